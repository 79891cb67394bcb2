//! The kinds of record the admin pages keep: for each, its declaration in `shared` (API
//! collection, title, the form's fields with their labels and kinds), the table's columns
//! and the shared rule the form runs before sending.

use humiao_shared::account::NewAccount;
use humiao_shared::error::FieldErrors;
use humiao_shared::film::NewFilm;
use humiao_shared::org::{NewCampaign, NewCity, NewDistrict, NewSchool, NewStation};
use humiao_shared::outcome::NewOutcome;
use humiao_shared::record::form::{check_form, on_form};
use humiao_shared::record::{Described, Field, FieldKind, RecordKind};
use humiao_shared::training::{NewTrainee, NewTraining};
use humiao_shared::Text;
use serde_json::Value;

use crate::components::today;
use crate::i18n::{lang, T};

/// A table column's heading: the declared field's label, or words of its own for what
/// the API answers beside the fields (a station's name, an account's last sign-in).
#[derive(Clone, Copy)]
pub(super) enum Heading {
    Field,
    Own(T),
}

/// One kind of record on the admin page.
#[derive(Clone, Copy)]
pub(super) struct Section {
    pub slug: &'static str,
    /// Its declaration: collection, title and fields.
    pub kind: &'static RecordKind,
    /// The columns of the table: a JSON key of the record and its heading.
    pub columns: &'static [(&'static str, Heading)],
    /// The shared rule the API applies, run before sending.
    pub check: fn(&Value) -> FieldErrors,
    /// Whether a record can be edited (`PUT {path}/{id}` with `If-Match`) and deleted.
    /// Accounts cannot: they are disabled instead, and keep their history.
    pub editable: bool,
    /// Buttons on each row.
    pub actions: &'static [RowAction],
    /// Fields the list can be narrowed by (the API's filters of the same names), each a
    /// choice above the table: a school's district, station and kind.
    pub filters: &'static [&'static str],
    /// Whether the API's search matches the code as well as the name.
    pub search_code: bool,
    /// Whether a new name already in the list is pointed out beside the field (a warning:
    /// two schools may share a name in different places).
    pub warn_same_name: bool,
}

impl Section {
    /// The API collection, e.g. `/api/v1/stations`.
    pub fn path(&self) -> String {
        format!("/api/v1/{}", self.kind.collection)
    }

    /// The fields the form shows, in the declared order.
    pub fn fields(&self) -> Vec<&'static Field> {
        self.kind.fields.iter().filter(|f| on_form(f)).collect()
    }

    /// The collections whose records the table's columns and filters name by id (a
    /// school's district and station), each once.
    pub fn referred(&self) -> Vec<&'static str> {
        let keys = self
            .columns
            .iter()
            .map(|(k, _)| *k)
            .chain(self.filters.iter().copied());
        let mut out: Vec<&'static str> = Vec::new();
        for key in keys {
            if let Some(FieldKind::Ref(collection)) = self.kind.field(key).map(|f| f.kind) {
                if !out.contains(&collection) {
                    out.push(collection);
                }
            }
        }
        out
    }

    pub fn title(&self) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        say(self.kind.title)
    }

    /// The heading of the column `key`.
    pub fn heading(
        &self,
        key: &str,
        heading: Heading,
    ) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        let label = self.kind.field(key).map(|f| f.label);
        move || match heading {
            Heading::Own(t) => t.get(lang()),
            Heading::Field => label.map_or("", |l| l.get(lang())),
        }
    }
}

/// A declared text in the page's language.
pub(super) fn say(text: Text) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || text.get(lang())
}

/// A button on a table row: its text, the `POST {path}/{id}/{action}` it sends, and whether
/// a record shows it.
pub(super) type RowAction = (T, &'static str, fn(&Value) -> bool);

const F: Heading = Heading::Field;

pub(super) const SECTIONS: &[Section] = &[
    // The organisation from the top: a province's cities, then each city's districts.
    Section {
        slug: "cities",
        kind: NewCity::KIND,
        columns: &[("code", F), ("name", F), ("sort_order", F)],
        check: |v| check_form(v, NewCity::validate),
        editable: true,
        actions: &[],
        filters: &[],
        search_code: false,
        warn_same_name: false,
    },
    Section {
        slug: "districts",
        kind: NewDistrict::KIND,
        columns: &[("code", F), ("name", F), ("sort_order", F)],
        check: |v| check_form(v, NewDistrict::validate),
        editable: true,
        actions: &[],
        filters: &[],
        search_code: false,
        warn_same_name: false,
    },
    Section {
        slug: "stations",
        kind: NewStation::KIND,
        columns: &[
            ("code", F),
            ("name", F),
            ("district_id", F),
            ("workstation", F),
        ],
        check: |v| check_form(v, NewStation::validate),
        editable: true,
        actions: &[],
        filters: &["district_id"],
        search_code: true,
        warn_same_name: true,
    },
    Section {
        slug: "schools",
        kind: NewSchool::KIND,
        columns: &[
            ("code", F),
            ("name", F),
            ("district_id", F),
            ("station_id", F),
            ("kind", F),
            ("enrolment", Heading::Own(T::Students)),
        ],
        check: |v| check_form(v, NewSchool::validate),
        editable: true,
        actions: &[],
        filters: &["district_id", "station_id", "kind"],
        search_code: true,
        warn_same_name: true,
    },
    Section {
        slug: "films",
        kind: NewFilm::KIND,
        columns: &[("title", F), ("minutes", F)],
        check: |v| check_form(v, NewFilm::validate),
        editable: true,
        actions: &[],
        filters: &[],
        search_code: false,
        warn_same_name: false,
    },
    Section {
        slug: "campaigns",
        kind: NewCampaign::KIND,
        columns: &[("name", F), ("year", F), ("starts_on", F), ("ends_on", F)],
        check: |v| check_form(v, NewCampaign::validate),
        editable: true,
        actions: &[],
        filters: &[],
        search_code: false,
        warn_same_name: false,
    },
    Section {
        slug: "trainings",
        kind: NewTraining::KIND,
        columns: &[("title", F), ("place", F), ("starts_on", F), ("ends_on", F)],
        check: |v| check_form(v, NewTraining::validate),
        editable: true,
        actions: &[],
        filters: &[],
        search_code: false,
        warn_same_name: false,
    },
    Section {
        slug: "trainees",
        kind: NewTrainee::KIND,
        columns: &[
            ("name", F),
            ("station", Heading::Own(T::Station)),
            ("completed", F),
        ],
        // Whether the days fall within the course only the server knows (it has the course).
        check: |v| check_form(v, |t: &NewTrainee| t.validate(None, today())),
        editable: true,
        actions: &[],
        filters: &[],
        search_code: false,
        warn_same_name: false,
    },
    Section {
        slug: "outcomes",
        kind: NewOutcome::KIND,
        columns: &[("month", F), ("indicator", F), ("value", F)],
        check: |v| check_form(v, |o: &NewOutcome| o.validate(today())),
        editable: true,
        actions: &[],
        filters: &[],
        search_code: false,
        warn_same_name: false,
    },
    Section {
        slug: "accounts",
        kind: NewAccount::KIND,
        columns: &[
            ("username", F),
            ("role", F),
            ("district", Heading::Own(T::District)),
            ("station", Heading::Own(T::Station)),
            ("school", Heading::Own(T::School)),
            ("disabled", Heading::Own(T::Disabled)),
            ("last_sign_in", Heading::Own(T::LastSignIn)),
        ],
        check: |v| check_form(v, NewAccount::validate),
        editable: false,
        actions: &[
            (T::Disable, "disable", |v| {
                v["disabled"] == Value::Bool(false)
            }),
            (T::Enable, "enable", |v| v["disabled"] == Value::Bool(true)),
        ],
        filters: &[],
        search_code: false,
        warn_same_name: false,
    },
];
