//! Outcome figures derived from the mentoring registers (issue 18): which indicators a
//! station's registers answer, from which month (`stations.registers_from`), and how an
//! answer says where its figures came from. A station-month is typed or derived, never
//! both: from its marker on, the registers answer every indicator of [`DERIVED`] and a
//! typed value of one is refused; theft cases by minors are not in the registers and stay
//! typed. The counting rules themselves are SQL on the server (`server/src/db/derived.rs`):
//!
//! | indicator | from the registers, per station and month |
//! |---|---|
//! | minors mentored | cases opened on or before the month's end and not closed by it (a stock) |
//! | visits, activities, difficulties solved | contacts of kind home visit, activity, difficulty solved |
//! | re-offences | cases with a re-offence event in the month |
//! | runaway calls | calls by the month they came in |
//! | follow-ups | those calls with a follow-up visit within the setting's days (7) |
//! | volunteer teams | cases whose first volunteer on their team starts in the month |
//! | night wanderers cared for | minors of the station's nights of care |
//! | returned to school | return-to-school events |

use chrono::NaiveDate;

use crate::mentoring::{Grade, Settings};
use crate::outcome::Indicator;
use crate::Text;

/// The indicators a station's registers answer from its marker on.
pub const DERIVED: [Indicator; 10] = [
    Indicator::MinorsMentored,
    Indicator::Visits,
    Indicator::Activities,
    Indicator::DifficultiesSolved,
    Indicator::Reoffences,
    Indicator::RunawayCalls,
    Indicator::FollowUps,
    Indicator::VolunteerTeams,
    Indicator::NightWanderingCared,
    Indicator::ReturnedToSchool,
];

/// Whether `indicator` of a station-month (`YYYY-MM`) comes from the registers, given the
/// station's marker: months sort as text, so the comparison is on the text.
pub fn is_derived(indicator: Indicator, registers_from: Option<&str>, month: &str) -> bool {
    DERIVED.contains(&indicator) && registers_from.is_some_and(|from| month >= from)
}

crate::coded_enum! {
    /// Where an answer's outcome figures came from.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum Source {
        /// Totals typed per station and month (and nothing is derived).
        #[default]
        Typed = "typed",
        /// Every station-month of the answer counted from the registers.
        Derived = "derived",
        /// Some station-months typed, the others derived; none both.
        Mixed = "mixed",
    }
}

impl Source {
    /// From whether the answer holds typed station-months and derived ones. An answer with
    /// neither is typed: that is what the figures were before registers.
    pub fn of(typed: bool, derived: bool) -> Source {
        match (typed, derived) {
            (_, false) => Source::Typed,
            (false, true) => Source::Derived,
            (true, true) => Source::Mixed,
        }
    }

    /// The sentence the dashboard's note and the report state.
    pub fn note(self) -> Text {
        match self {
            Source::Typed => Text::new(
                "帮扶成效数据为各派出所按月填报的合计数。",
                "The outcome figures are totals typed by the stations each month.",
            ),
            Source::Derived => Text::new(
                "帮扶成效数据由帮教台账（案件、走访、事件、警情）逐条统计得出。",
                "The outcome figures are counted from the mentoring registers (cases, contacts, events, calls).",
            ),
            Source::Mixed => Text::new(
                "帮扶成效数据部分由帮教台账统计得出，其余为按月填报的合计数；同一派出所同一月份只取其一。",
                "The outcome figures are counted from the mentoring registers where a station uses them and typed totals elsewhere; a station's month is one or the other, never both.",
            ),
        }
    }
}

/// What the contacts-on-time share reads of a case: when it was open, its grade's history
/// and the days it was contacted (both in day order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseHistory {
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub grades: Vec<(NaiveDate, Grade)>,
    pub contacts: Vec<NaiveDate>,
}

impl CaseHistory {
    /// Whether the case was contacted on time at the end of `day`: `None` when it was not
    /// open then (opened later, or closed on or before it, as the stock counts it);
    /// otherwise not overdue by the grade it had that day (the rule of the case list).
    pub fn on_time_at(&self, settings: &Settings, day: NaiveDate) -> Option<bool> {
        if self.opened_on > day || self.closed_on.is_some_and(|c| c <= day) {
            return None;
        }
        let grade = self
            .grades
            .iter()
            .rev()
            .find(|(from, _)| *from <= day)
            .or(self.grades.first())
            .map_or(Grade::Green, |(_, g)| *g);
        let last = self.contacts.iter().rev().find(|c| **c <= day).copied();
        Some(!settings.case_overdue(grade, self.opened_on, last, false, day))
    }
}

/// Contacts on time (a leaders' chart): of the cases open at `day`'s end, how many were
/// contacted within their grade's interval, and how many were open — the share of
/// case-months on time when `day` is a month's last.
pub fn contacts_on_time(cases: &[CaseHistory], settings: &Settings, day: NaiveDate) -> (i64, i64) {
    cases
        .iter()
        .filter_map(|c| c.on_time_at(settings, day))
        .fold((0, 0), |(on_time, open), ok| {
            (on_time + i64::from(ok), open + 1)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("a day")
    }

    #[test]
    fn a_case_month_is_on_time_when_contacted_within_its_grades_interval_then() {
        let settings = Settings::default();
        let case = CaseHistory {
            opened_on: day("2024-01-10"),
            closed_on: Some(day("2024-06-30")),
            // Yellow (30 days) until April, red (7 days) after.
            grades: vec![
                (day("2024-01-10"), Grade::Yellow),
                (day("2024-04-01"), Grade::Red),
            ],
            contacts: vec![day("2024-01-20"), day("2024-03-15"), day("2024-04-20")],
        };
        let cases = [
            ("2023-12-31", None),
            ("2024-01-31", Some(true)),
            // 40 days since the last contact, yellow: overdue.
            ("2024-02-29", Some(false)),
            ("2024-03-31", Some(true)),
            // Red by then: 10 days since the last contact is overdue.
            ("2024-04-30", Some(false)),
            ("2024-06-30", None),
        ];
        for (end, want) in cases {
            assert_eq!(case.on_time_at(&settings, day(end)), want, "{end}");
        }
        let other = CaseHistory {
            opened_on: day("2024-03-25"),
            grades: vec![(day("2024-03-25"), Grade::Green)],
            ..CaseHistory::default()
        };
        assert_eq!(
            contacts_on_time(&[case, other], &settings, day("2024-03-31")),
            (2, 2),
            "a case just opened is on time"
        );
    }

    #[test]
    fn a_month_at_or_after_the_marker_is_derived_but_theft_cases_stay_typed() {
        let cases = [
            (Indicator::Reoffences, None, "2024-05", false),
            (Indicator::Reoffences, Some("2024-01"), "2023-12", false),
            (Indicator::Reoffences, Some("2024-01"), "2024-01", true),
            (Indicator::MinorsMentored, Some("2024-01"), "2025-03", true),
            (Indicator::JuvenileThefts, Some("2024-01"), "2024-05", false),
        ];
        for (indicator, from, month, derived) in cases {
            assert_eq!(
                is_derived(indicator, from, month),
                derived,
                "{indicator:?} {month}"
            );
        }
    }

    #[test]
    fn an_answer_is_typed_derived_or_mixed() {
        assert_eq!(Source::of(false, false), Source::Typed);
        assert_eq!(Source::of(true, false), Source::Typed);
        assert_eq!(Source::of(false, true), Source::Derived);
        assert_eq!(Source::of(true, true), Source::Mixed);
    }
}
