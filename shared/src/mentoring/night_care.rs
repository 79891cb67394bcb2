//! Night-wandering care (夜间游荡关爱): a station's night out, the day, how many minors it
//! cared for, and optionally which of its cases they were (三井派出所: 162 minors since
//! 2024-09). A station record, read like outcome values; the linked cases are shown to
//! the station's officers and administrators only.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::past_day;
use crate::error::{FieldCode, FieldErrors};
use crate::i18n::Text;
use crate::record::{words, Described, Field, FieldKind, RecordKind};
use crate::rules;

/// A night's care as the API answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NightCare {
    pub id: i64,
    pub station_id: i64,
    pub cared_on: String,
    pub minors: i64,
    /// Cases among them; empty for anyone but the station's officers and administrators.
    pub case_ids: Vec<i64>,
    pub version: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewNightCare {
    pub station_id: Option<i64>,
    /// The day the night began.
    pub cared_on: String,
    /// Minors cared for that night: 1–500.
    pub minors: Option<i64>,
    /// Cases of the same station among them, each once, no more than `minors`.
    pub case_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidNightCare {
    pub station_id: i64,
    pub cared_on: NaiveDate,
    pub minors: i64,
    pub case_ids: Vec<i64>,
}

/// The most minors one night's record holds.
pub const MAX_MINORS: i64 = 500;

impl NewNightCare {
    pub fn validate(&self, today: NaiveDate) -> Result<ValidNightCare, FieldErrors> {
        let mut errors = FieldErrors::default();
        let station_id = errors.check("station_id", rules::required(self.station_id));
        let cared_on = errors.check("cared_on", past_day(&self.cared_on, today));
        let minors = errors.check(
            "minors",
            rules::required(self.minors).and_then(|n| rules::within(n, 1, MAX_MINORS)),
        );
        let limit = usize::try_from(minors.unwrap_or(MAX_MINORS)).unwrap_or(0);
        let case_ids = errors.check(
            "case_ids",
            rules::distinct(&self.case_ids, limit, FieldCode::DuplicateValue),
        );
        match (station_id, cared_on, minors, case_ids) {
            (Some(station_id), Some(cared_on), Some(minors), Some(case_ids))
                if errors.is_empty() =>
            {
                Ok(ValidNightCare {
                    station_id,
                    cared_on,
                    minors,
                    case_ids,
                })
            }
            _ => Err(errors),
        }
    }
}

pub const CARED_ON: Field = Field::new("cared_on", Text::new("日期", "Date"), FieldKind::Date)
    .required()
    .hint(words::DATE_HINT);
pub const MINORS: Field = Field::new(
    "minors",
    Text::new("关爱未成年人数", "Minors cared for"),
    FieldKind::Int,
)
.required();
pub const CASE_IDS: Field = Field::new(
    "case_ids",
    Text::new("其中帮教对象", "Cases among them"),
    FieldKind::Ids("cases"),
);

impl Described for NewNightCare {
    const KIND: &'static RecordKind = &RecordKind {
        collection: "night_care",
        title: Text::new("夜间游荡关爱", "Night-wandering care"),
        fields: &[crate::org::STATION_ID, CARED_ON, MINORS, CASE_IDS],
        computed: &["id", "version"],
        natural_key: &["station_id", "cared_on"],
        export: Some(&crate::columns::NIGHT_CARE),
        import: None,
    };

    fn example() -> Self {
        NewNightCare {
            station_id: Some(21),
            cared_on: "2024-09-06".into(),
            minors: Some(6),
            case_ids: vec![],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::table::{assert_table, Case};
    use FieldCode::*;

    fn validate(c: &NewNightCare) -> Result<ValidNightCare, FieldErrors> {
        c.validate(NaiveDate::from_ymd_opt(2024, 12, 30).unwrap())
    }

    #[test]
    fn a_night_cares_for_at_least_one_minor_and_names_no_more_cases_than_minors() {
        let cases: &[Case<NewNightCare>] = &[
            ("nobody", |c| c.minors = Some(0), "minors", Some(TooSmall)),
            ("blank", |c| c.minors = None, "minors", Some(Required)),
            (
                "too many",
                |c| c.minors = Some(501),
                "minors",
                Some(TooLarge),
            ),
            (
                "a case twice",
                |c| c.case_ids = vec![3, 3],
                "case_ids",
                Some(DuplicateValue),
            ),
            (
                "more cases than minors",
                |c| {
                    c.minors = Some(1);
                    c.case_ids = vec![3, 4];
                },
                "case_ids",
                Some(TooMany),
            ),
            ("two of six", |c| c.case_ids = vec![3, 4], "case_ids", None),
            (
                "tomorrow",
                |c| c.cared_on = "2024-12-31".into(),
                "cared_on",
                Some(DateInFuture),
            ),
        ];
        assert_table(NewNightCare::example, validate, cases);
    }
}
