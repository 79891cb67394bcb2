//! Outcome indicators (帮扶成效): aggregate counts per station and month, such as minors
//! mentored, visits paid or runaway calls followed up, and the rules an entry must pass.
//!
//! Only totals are kept, never a child's name or identity: the minors behind these figures
//! are children. Whether the station exists, and whether a value for the same station, month
//! and indicator is already stored, is for the server to check.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{FieldCode, FieldErrors};
use crate::rules;

crate::coded_enum! {
    /// What an outcome figure counts.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum Indicator {
        /// Key minors in a mentoring pair (结对帮扶未成年人).
        MinorsMentored = "minors_mentored",
        /// Home visits to mentored minors (走访).
        Visits = "visits",
        /// Activities held for them (开展活动).
        Activities = "activities",
        /// Practical difficulties solved (解决困难).
        DifficultiesSolved = "difficulties_solved",
        /// Mentored minors who offended again (再犯).
        Reoffences = "reoffences",
        /// Emergency calls about runaway or missing youths (出走失联警情).
        RunawayCalls = "runaway_calls",
        /// Those calls followed up afterwards (回访).
        FollowUps = "follow_ups",
        /// Youths given a volunteer team (落实志愿帮扶).
        VolunteerTeams = "volunteer_teams",
        /// Minors found wandering at night and cared for (夜间游荡关爱).
        NightWanderingCared = "night_wandering_cared",
        /// Theft cases by minors (未成年人盗窃案件).
        JuvenileThefts = "juvenile_thefts",
        /// Youths back in school (复学).
        ReturnedToSchool = "returned_to_school",
    }
}

impl Indicator {
    pub fn label(self, lang: crate::Lang) -> &'static str {
        let (zh, en) = match self {
            Indicator::MinorsMentored => ("结对帮扶未成年人", "Minors mentored"),
            Indicator::Visits => ("走访", "Home visits"),
            Indicator::Activities => ("开展活动", "Activities held"),
            Indicator::DifficultiesSolved => ("解决困难", "Difficulties solved"),
            Indicator::Reoffences => ("再犯", "Re-offences"),
            Indicator::RunawayCalls => ("出走失联警情", "Runaway and missing-youth calls"),
            Indicator::FollowUps => ("回访", "Follow-up visits"),
            Indicator::VolunteerTeams => ("落实志愿帮扶", "Volunteer teams assigned"),
            Indicator::NightWanderingCared => ("夜间游荡关爱", "Night wanderers cared for"),
            Indicator::JuvenileThefts => ("未成年人盗窃案件", "Theft cases by minors"),
            Indicator::ReturnedToSchool => ("复学", "Returned to school"),
        };
        lang.pick(zh, en)
    }
}

/// A stored outcome figure, as lists and the API return it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Outcome {
    pub id: i64,
    pub station_id: i64,
    /// `YYYY-MM`.
    pub month: String,
    pub indicator: Indicator,
    /// The count for that station, month and indicator; `null` for a viewer who is not an
    /// administrator when it is 1–4, so that no child can be singled out, or when it would
    /// give such a count away (see [`crate::suppression`]). Shown as [`HIDDEN`].
    pub value: Option<i64>,
    /// Changes with every edit; sent back in `If-Match` to edit or delete.
    pub version: i64,
}

/// Counts from 1 to this minus one are hidden at station level from all but administrators.
pub const SMALL_COUNT: i64 = 5;

/// Whether a station-level count is small enough to single a child out: `None` for 1–4.
/// Which other figures are hidden with it is [`crate::suppression`]'s business.
pub fn shown(value: i64) -> Option<i64> {
    if (1..SMALL_COUNT).contains(&value) {
        None
    } else {
        Some(value)
    }
}

/// How a hidden figure reads. The same mark for a small count and for a figure hidden
/// beside it, so that the mark tells nothing about the number behind it.
pub const HIDDEN: &str = "*";

/// How a count that may be hidden reads in a table: the number with thousands separators,
/// as every other figure of the dashboard reads, or [`HIDDEN`].
pub fn display(value: Option<i64>) -> String {
    value.map_or_else(|| HIDDEN.to_string(), crate::charts::thousands)
}

/// An outcome figure as a station sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewOutcome {
    pub station_id: Option<i64>,
    /// `YYYY-MM`, not later than the current month.
    pub month: String,
    pub indicator: Option<Indicator>,
    /// The count for that station, month and indicator; 0 is a value, blank is not.
    pub value: Option<i64>,
}

/// An outcome figure that passed every rule that needs no database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidOutcome {
    pub station_id: i64,
    /// The first day of the month.
    pub month: NaiveDate,
    pub indicator: Indicator,
    pub value: i64,
}

impl NewOutcome {
    pub fn validate(&self, today: NaiveDate) -> Result<ValidOutcome, FieldErrors> {
        let mut errors = FieldErrors::default();
        let station_id = errors.check("station_id", rules::required(self.station_id));
        let this_month = today.with_day(1).unwrap_or(today);
        let month = errors.check(
            "month",
            parse_month(&self.month).and_then(|m| {
                if m > this_month {
                    Err(FieldCode::DateInFuture)
                } else {
                    Ok(m)
                }
            }),
        );
        let indicator = errors.check("indicator", rules::required(self.indicator));
        let value = errors.check("value", rules::required(self.value).and_then(rules::count));
        match (station_id, month, indicator, value) {
            (Some(station_id), Some(month), Some(indicator), Some(value)) if errors.is_empty() => {
                Ok(ValidOutcome {
                    station_id,
                    month,
                    indicator,
                    value,
                })
            }
            _ => Err(errors),
        }
    }
}

impl ValidOutcome {
    /// A month's values belong to a station that was open in it: a month that starts
    /// after the station's closing day is refused beside the station, as sessions after
    /// it are, since the closed station has left every figure of that month.
    pub fn check_open(&self, station_closed_on: Option<NaiveDate>) -> Result<(), FieldErrors> {
        if crate::org::open_on(station_closed_on, self.month) {
            return Ok(());
        }
        let mut errors = FieldErrors::default();
        errors.push("station_id", FieldCode::Closed);
        Err(errors)
    }
}

/// Parses `YYYY-MM` to the month's first day.
pub fn parse_month(text: &str) -> Result<NaiveDate, FieldCode> {
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldCode::Required);
    }
    // chrono would take `2024-9` too; a stored month must sort as text, so insist on two digits.
    let shaped = text.len() == 7
        && text
            .char_indices()
            .all(|(i, c)| if i == 4 { c == '-' } else { c.is_ascii_digit() });
    if !shaped {
        return Err(FieldCode::InvalidMonth);
    }
    NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d")
        .map_err(|_| FieldCode::InvalidMonth)
}

// Outcome values as every part of the product names them (see `crate::record`).

use crate::i18n::Text;
use crate::record::{Described, Field, FieldKind, RecordKind};

pub const MONTH: Field =
    Field::new("month", Text::new("月份", "Month"), FieldKind::Month).required();
pub const INDICATOR: Field = Field::new(
    "indicator",
    Text::new("指标", "Indicator"),
    FieldKind::Choice(crate::choices!(Indicator)),
)
.required();
pub const VALUE: Field = Field::new("value", Text::new("数值", "Value"), FieldKind::Int).required();

impl Described for NewOutcome {
    const KIND: &'static RecordKind = &RecordKind {
        collection: "outcomes",
        title: Text::new("帮扶成效", "Outcomes"),
        fields: &[crate::org::STATION_ID, MONTH, INDICATOR, VALUE],
        computed: &["id", "version"],
        natural_key: &["station_id", "month", "indicator"],
        export: Some(&crate::columns::OUTCOMES),
        import: None,
    };

    fn example() -> Self {
        NewOutcome {
            station_id: Some(2),
            month: "2024-12".into(),
            indicator: Some(Indicator::NightWanderingCared),
            value: Some(162),
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn small_station_counts_are_hidden_but_zero_and_five_are_not() {
        let cases = [
            (0, Some(0)),
            (1, None),
            (4, None),
            (5, Some(5)),
            (162, Some(162)),
        ];
        for (value, expected) in cases {
            assert_eq!(shown(value), expected, "{value}");
        }
        assert_eq!(display(None), "*");
        assert_eq!(display(Some(12)), "12");
        assert_eq!(display(Some(1012)), "1,012");
    }

    use super::*;
    use crate::rules::table::{assert_table, Case};
    use crate::session::MAX_COUNT;
    use FieldCode::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn today() -> NaiveDate {
        day("2024-12-30")
    }

    /// 三井 station: 162 minors cared for at night since 2024-09.
    fn valid() -> NewOutcome {
        NewOutcome {
            station_id: Some(21),
            month: " 2024-09 ".into(),
            indicator: Some(Indicator::NightWanderingCared),
            value: Some(162),
        }
    }

    fn validate(entry: &NewOutcome) -> Result<ValidOutcome, FieldErrors> {
        entry.validate(today())
    }

    #[test]
    fn a_complete_entry_is_accepted() {
        let ok = validate(&valid()).expect("valid");
        assert_eq!(ok.month, day("2024-09-01"));
        assert_eq!(
            (ok.indicator, ok.value),
            (Indicator::NightWanderingCared, 162)
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let errors = validate(&NewOutcome::default()).unwrap_err();
        let fields: Vec<_> = errors.codes().map(|(f, _)| f).collect();
        assert_eq!(fields, ["station_id", "month", "indicator", "value"]);
    }

    #[test]
    fn outcomes_need_a_station_and_an_indicator() {
        let cases: &[Case<NewOutcome>] = &[
            (
                "no station",
                |o| o.station_id = None,
                "station_id",
                Some(Required),
            ),
            (
                "no indicator",
                |o| o.indicator = None,
                "indicator",
                Some(Required),
            ),
        ];
        assert_table(valid, validate, cases);
    }

    #[test]
    fn months_are_year_and_month_up_to_the_current_one() {
        let cases: &[Case<NewOutcome>] = &[
            ("blank", |o| o.month = " ".into(), "month", Some(Required)),
            (
                "a whole date",
                |o| o.month = "2024-09-01".into(),
                "month",
                Some(InvalidMonth),
            ),
            (
                "one-digit month",
                |o| o.month = "2024-9".into(),
                "month",
                Some(InvalidMonth),
            ),
            (
                "month 13",
                |o| o.month = "2024-13".into(),
                "month",
                Some(InvalidMonth),
            ),
            (
                "month 00",
                |o| o.month = "2024-00".into(),
                "month",
                Some(InvalidMonth),
            ),
            (
                "slash",
                |o| o.month = "2024/09".into(),
                "month",
                Some(InvalidMonth),
            ),
            (
                "words",
                |o| o.month = "九月".into(),
                "month",
                Some(InvalidMonth),
            ),
            (
                "next month",
                |o| o.month = "2025-01".into(),
                "month",
                Some(DateInFuture),
            ),
            ("this month", |o| o.month = "2024-12".into(), "month", None),
        ];
        assert_table(valid, validate, cases);
    }

    #[test]
    fn values_are_required_counts() {
        let cases: &[Case<NewOutcome>] = &[
            ("blank", |o| o.value = None, "value", Some(Required)),
            ("negative", |o| o.value = Some(-1), "value", Some(Negative)),
            (
                "too large",
                |o| o.value = Some(MAX_COUNT + 1),
                "value",
                Some(TooLarge),
            ),
            ("zero re-offences", |o| o.value = Some(0), "value", None),
            ("the maximum", |o| o.value = Some(MAX_COUNT), "value", None),
        ];
        assert_table(valid, validate, cases);
    }

    #[test]
    fn indicator_codes_round_trip() {
        for i in Indicator::ALL {
            assert_eq!(Indicator::from_code(i.code()), Some(i));
            let json = serde_json::to_string(&i).unwrap();
            assert_eq!(json, format!("\"{}\"", i.code()));
        }
    }

    #[test]
    fn a_month_after_the_stations_closing_day_is_refused_and_the_closing_month_is_not() {
        let outcome = |month: u32| ValidOutcome {
            station_id: 1,
            month: NaiveDate::from_ymd_opt(2024, month, 1).unwrap(),
            indicator: Indicator::MinorsMentored,
            value: 3,
        };
        let closed = NaiveDate::from_ymd_opt(2024, 6, 15);
        assert!(outcome(6).check_open(closed).is_ok());
        assert!(outcome(7).check_open(None).is_ok());
        let refused = outcome(7).check_open(closed).unwrap_err();
        assert_eq!(refused.get("station_id"), Some(FieldCode::Closed));
    }
}
