//! Volunteers (志愿者): retired officers and others who mentor cases, in a station's team
//! (先锋队, a "2+2+N" team), active from one day to another. Adults' personal data: their
//! name and phone are shown masked outside the station (see [`super::mask_name`]).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{optional_day, past_day};
use crate::error::{FieldCode, FieldErrors};
use crate::i18n::Text;
use crate::record::{words, Described, Field, FieldKind, RecordKind};
use crate::rules;

/// A volunteer as the API answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Volunteer {
    pub id: i64,
    pub station_id: i64,
    pub team: String,
    /// Masked (`张**`) for anyone but the station's officers and administrators.
    pub name: String,
    /// Masked (`138****5678`) likewise.
    pub phone: String,
    pub active_from: String,
    pub active_to: Option<String>,
    /// The volunteer's account (role `volunteer`), if they sign in.
    pub user_id: Option<i64>,
    pub version: i64,
}

/// A volunteer as a station's officer or an administrator sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewVolunteer {
    pub station_id: Option<i64>,
    /// The team's name, e.g. `雕庄先锋队`; at most 50 characters.
    pub team: String,
    /// At most 20 characters.
    pub name: String,
    /// A mobile (11 digits from 1) or a landline with its area code.
    pub phone: String,
    pub active_from: String,
    pub active_to: Option<String>,
    /// An account of role `volunteer` at the same station.
    pub user_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidVolunteer {
    pub station_id: i64,
    pub team: String,
    pub name: String,
    pub phone: String,
    pub active_from: NaiveDate,
    pub active_to: Option<NaiveDate>,
    pub user_id: Option<i64>,
}

/// A phone as stored: digits only (spaces and dashes dropped), a mobile or a landline.
pub fn phone(text: &str) -> Result<String, FieldCode> {
    let digits: String = rules::half_width(text)
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect();
    if digits.is_empty() {
        return Err(FieldCode::Required);
    }
    let mobile = digits.len() == 11 && digits.starts_with('1');
    let landline = (10..=12).contains(&digits.len()) && digits.starts_with('0');
    if digits.chars().all(|c| c.is_ascii_digit()) && (mobile || landline) {
        Ok(digits)
    } else {
        Err(FieldCode::InvalidType)
    }
}

impl NewVolunteer {
    pub fn validate(&self, today: NaiveDate) -> Result<ValidVolunteer, FieldErrors> {
        let mut errors = FieldErrors::default();
        let station_id = errors.check("station_id", rules::required(self.station_id));
        let team = errors.check("team", rules::required_text(&self.team, 50));
        let name = errors.check("name", rules::required_text(&self.name, 20));
        let phone = errors.check("phone", phone(&self.phone));
        let active_from = errors.check("active_from", past_day(&self.active_from, today));
        let active_to = errors
            .check(
                "active_to",
                match (optional_day(self.active_to.as_deref(), today), active_from) {
                    (Ok(Some(to)), Some(from)) if to < from => Err(FieldCode::EndsBeforeStart),
                    (Ok(to), _) => Ok(to),
                    // A day after today is a volunteer leaving later: allowed.
                    (Err(FieldCode::DateInFuture), _) => self
                        .active_to
                        .as_deref()
                        .map(crate::session::parse_date)
                        .transpose(),
                    (Err(e), _) => Err(e),
                },
            )
            .flatten();
        match (station_id, team, name, phone, active_from) {
            (Some(station_id), Some(team), Some(name), Some(phone), Some(active_from))
                if errors.is_empty() =>
            {
                Ok(ValidVolunteer {
                    station_id,
                    team,
                    name,
                    phone,
                    active_from,
                    active_to,
                    user_id: self.user_id,
                })
            }
            _ => Err(errors),
        }
    }
}

pub const TEAM: Field = Field::new("team", Text::new("所在队伍", "Team"), FieldKind::Text)
    .required()
    .hint(Text::new("如：雕庄先锋队", "e.g. 雕庄先锋队"));
pub const NAME: Field = Field::new("name", Text::new("姓名", "Name"), FieldKind::Text).required();
pub const PHONE: Field =
    Field::new("phone", Text::new("联系电话", "Phone"), FieldKind::Text).required();
pub const ACTIVE_FROM: Field = Field::new("active_from", words::STARTS_ON, FieldKind::Date)
    .required()
    .hint(words::DATE_HINT);
pub const ACTIVE_TO: Field =
    Field::new("active_to", words::ENDS_ON, FieldKind::Date).hint(words::MAY_BE_BLANK);
pub const USER_ID: Field = Field::new(
    "user_id",
    Text::new("登录账号", "Account"),
    FieldKind::Ref("users"),
);

impl Described for NewVolunteer {
    const KIND: &'static RecordKind = &RecordKind {
        collection: "volunteers",
        title: Text::new("志愿者", "Volunteers"),
        fields: &[
            crate::org::STATION_ID,
            TEAM,
            NAME,
            PHONE,
            ACTIVE_FROM,
            ACTIVE_TO,
            USER_ID,
        ],
        computed: &["id", "version"],
        natural_key: &["station_id", "phone"],
        export: Some(&crate::columns::VOLUNTEERS),
        import: Some(crate::import::ImportKind::Volunteers),
    };

    fn example() -> Self {
        NewVolunteer {
            station_id: Some(1),
            team: "雕庄先锋队".into(),
            name: "王建国".into(),
            phone: "13812345678".into(),
            active_from: "2024-03-01".into(),
            active_to: None,
            user_id: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::table::{assert_table, Case};
    use FieldCode::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 12, 30).unwrap()
    }

    fn validate(v: &NewVolunteer) -> Result<ValidVolunteer, FieldErrors> {
        v.validate(today())
    }

    #[test]
    fn a_volunteer_needs_a_team_a_name_a_phone_and_a_start() {
        let cases: &[Case<NewVolunteer>] = &[
            ("no team", |v| v.team = " ".into(), "team", Some(Required)),
            (
                "no name",
                |v| v.name = String::new(),
                "name",
                Some(Required),
            ),
            (
                "no phone",
                |v| v.phone = String::new(),
                "phone",
                Some(Required),
            ),
            (
                "short phone",
                |v| v.phone = "12345".into(),
                "phone",
                Some(InvalidType),
            ),
            (
                "grouped mobile",
                |v| v.phone = "138 1234 5678".into(),
                "phone",
                None,
            ),
            (
                "landline",
                |v| v.phone = "0519-86661234".into(),
                "phone",
                None,
            ),
            (
                "starts tomorrow",
                |v| v.active_from = "2024-12-31".into(),
                "active_from",
                Some(DateInFuture),
            ),
            (
                "ends before it starts",
                |v| v.active_to = Some("2024-01-01".into()),
                "active_to",
                Some(EndsBeforeStart),
            ),
            (
                "leaves next year",
                |v| v.active_to = Some("2025-06-30".into()),
                "active_to",
                None,
            ),
        ];
        assert_table(NewVolunteer::example, validate, cases);
        assert_eq!(
            validate(&NewVolunteer::example()).unwrap().phone,
            "13812345678"
        );
    }
}
