//! The kinds of record the admin pages keep: for each, its API collection, the table's
//! columns, the form's fields and the shared rule the form runs before sending.

use humiao_shared::account::NewAccount;
use humiao_shared::error::FieldErrors;
use humiao_shared::film::NewFilm;
use humiao_shared::org::{NewCampaign, NewSchool, NewStation};
use humiao_shared::outcome::NewOutcome;
use humiao_shared::training::{NewTrainee, NewTraining};
use serde_json::Value;

use crate::i18n::T;

/// What a form input holds and how it becomes JSON.
#[derive(Clone, Copy)]
pub(super) enum Kind {
    Text,
    /// A whole number (a blank is `null`).
    Int,
    Date,
    /// `YYYY-MM`.
    Month,
    /// The id of a record listed at this API path, shown by its `name` (or `title`).
    Ref(&'static str),
    SchoolType,
    Indicator,
    /// This school year's roll, sent as the school's one enrolment.
    Roll,
    /// Topics as chips, sent as a list of ids (kept as `1,4,7` in the form).
    Topics,
    Role,
    Password,
    /// Days as `2024-08-19, 2024-08-20`, sent as a list.
    Dates,
    /// A checkbox, sent as `true`/`false`.
    Bool,
}

#[derive(Clone, Copy)]
pub(super) struct Field {
    pub key: &'static str,
    pub label: T,
    pub kind: Kind,
}

const fn field(key: &'static str, label: T, kind: Kind) -> Field {
    Field { key, label, kind }
}

/// One kind of record on the admin page.
#[derive(Clone, Copy)]
pub(super) struct Section {
    pub slug: &'static str,
    pub title: T,
    /// The API collection, e.g. `/api/v1/stations`.
    pub path: &'static str,
    /// The columns of the table: a JSON key of the record and its heading.
    pub columns: &'static [(&'static str, T)],
    pub fields: &'static [Field],
    /// The shared rule the API applies, run before sending.
    pub check: fn(&Value) -> FieldErrors,
    /// Whether a record can be edited (`PUT {path}/{id}` with `If-Match`) and deleted.
    /// Accounts cannot: they are disabled instead, and keep their history.
    pub editable: bool,
    /// Buttons on each row.
    pub actions: &'static [RowAction],
}

/// A button on a table row: its text, the `POST {path}/{id}/{action}` it sends, and whether
/// a record shows it.
pub(super) type RowAction = (T, &'static str, fn(&Value) -> bool);

/// Runs `New*::validate` on the form's JSON.
fn rule<N: serde::de::DeserializeOwned, V>(
    validate: impl Fn(&N) -> Result<V, FieldErrors>,
) -> impl Fn(&Value) -> FieldErrors {
    move |value| match serde_json::from_value::<N>(value.clone()) {
        Ok(entry) => validate(&entry).err().unwrap_or_default(),
        // A shape the form cannot produce; the server will say what is wrong.
        Err(_) => FieldErrors::default(),
    }
}

pub(super) fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

pub(super) const SECTIONS: &[Section] = &[
    Section {
        slug: "stations",
        title: T::Stations,
        path: "/api/v1/stations",
        columns: &[
            ("code", T::Code),
            ("name", T::Name),
            ("workstation", T::Workstation),
        ],
        fields: &[
            field("district_id", T::District, Kind::Ref("/api/v1/districts")),
            field("code", T::Code, Kind::Text),
            field("name", T::Name, Kind::Text),
            field("workstation", T::Workstation, Kind::Text),
        ],
        check: |v| rule(NewStation::validate)(v),
        editable: true,
        actions: &[],
    },
    Section {
        slug: "schools",
        title: T::Schools,
        path: "/api/v1/schools",
        columns: &[
            ("code", T::Code),
            ("name", T::Name),
            ("enrolment", T::Students),
        ],
        fields: &[
            field("code", T::Code, Kind::Text),
            field("name", T::Name, Kind::Text),
            field("kind", T::SchoolType, Kind::SchoolType),
            field("district_id", T::District, Kind::Ref("/api/v1/districts")),
            field("station_id", T::Station, Kind::Ref("/api/v1/stations")),
            field("enrolments", T::Students, Kind::Roll),
        ],
        check: |v| rule(NewSchool::validate)(v),
        editable: true,
        actions: &[],
    },
    Section {
        slug: "films",
        title: T::Films,
        path: "/api/v1/films",
        columns: &[("title", T::Name), ("minutes", T::Minutes)],
        fields: &[
            field("title", T::Name, Kind::Text),
            field("minutes", T::Minutes, Kind::Int),
            field("topic_ids", T::Topics, Kind::Topics),
        ],
        check: |v| rule(NewFilm::validate)(v),
        editable: true,
        actions: &[],
    },
    Section {
        slug: "campaigns",
        title: T::Campaigns,
        path: "/api/v1/campaigns",
        columns: &[
            ("name", T::Name),
            ("year", T::Year),
            ("starts_on", T::From),
            ("ends_on", T::To),
        ],
        fields: &[
            field("name", T::Name, Kind::Text),
            field("year", T::Year, Kind::Int),
            field("starts_on", T::From, Kind::Date),
            field("ends_on", T::To, Kind::Date),
            field("topic_ids", T::Topics, Kind::Topics),
        ],
        check: |v| rule(NewCampaign::validate)(v),
        editable: true,
        actions: &[],
    },
    Section {
        slug: "trainings",
        title: T::Trainings,
        path: "/api/v1/trainings",
        columns: &[
            ("title", T::Name),
            ("place", T::Place),
            ("starts_on", T::From),
            ("ends_on", T::To),
        ],
        fields: &[
            field("title", T::Name, Kind::Text),
            field("place", T::Place, Kind::Text),
            field("starts_on", T::From, Kind::Date),
            field("ends_on", T::To, Kind::Date),
            field("campaign_id", T::Campaign, Kind::Ref("/api/v1/campaigns")),
        ],
        check: |v| rule(NewTraining::validate)(v),
        editable: true,
        actions: &[],
    },
    Section {
        slug: "trainees",
        title: T::Trainees,
        path: "/api/v1/trainees",
        columns: &[
            ("name", T::Name),
            ("station", T::Station),
            ("completed", T::Completed),
        ],
        fields: &[
            field("training_id", T::Trainings, Kind::Ref("/api/v1/trainings")),
            field("name", T::Name, Kind::Text),
            field(
                "station_id",
                T::Station,
                Kind::Ref("/api/v1/stations?limit=1000"),
            ),
            field("days_attended", T::DaysAttended, Kind::Dates),
            field("completed", T::Completed, Kind::Bool),
        ],
        // Whether the days fall within the course only the server knows (it has the course).
        check: |v| rule(|t: &NewTrainee| t.validate(None, today()))(v),
        editable: true,
        actions: &[],
    },
    Section {
        slug: "outcomes",
        title: T::Outcomes,
        path: "/api/v1/outcomes",
        columns: &[
            ("month", T::Month),
            ("indicator", T::Indicator),
            ("value", T::Value),
        ],
        fields: &[
            field("station_id", T::Station, Kind::Ref("/api/v1/stations")),
            field("month", T::Month, Kind::Month),
            field("indicator", T::Indicator, Kind::Indicator),
            field("value", T::Value, Kind::Int),
        ],
        check: |v| rule(|o: &NewOutcome| o.validate(today()))(v),
        editable: true,
        actions: &[],
    },
    Section {
        slug: "accounts",
        title: T::Accounts,
        path: "/api/v1/users",
        columns: &[
            ("username", T::Username),
            ("role", T::Role),
            ("district", T::District),
            ("station", T::Station),
            ("school", T::School),
            ("disabled", T::Disabled),
            ("last_sign_in", T::LastSignIn),
        ],
        fields: &[
            field("username", T::Username, Kind::Text),
            field("role", T::Role, Kind::Role),
            field("district_id", T::District, Kind::Ref("/api/v1/districts")),
            field(
                "station_id",
                T::Station,
                Kind::Ref("/api/v1/stations?limit=1000"),
            ),
            field(
                "school_id",
                T::School,
                Kind::Ref("/api/v1/schools?limit=1000"),
            ),
            field("password", T::Password, Kind::Password),
        ],
        check: |v| rule(NewAccount::validate)(v),
        editable: false,
        actions: &[
            (T::Disable, "disable", |v| {
                v["disabled"] == Value::Bool(false)
            }),
            (T::Enable, "enable", |v| v["disabled"] == Value::Bool(true)),
        ],
    },
];
