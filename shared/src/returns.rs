//! Monthly returns (月报) and their sign-off (逐级审核): a station's month is a return that
//! its officers submit, the district's leader approves or sends back with a reason, and the
//! city accepts. While a return is submitted, approved or accepted its month's records are
//! locked. Completeness and timeliness are counted from the returns.
//!
//! This module is the one place the rules live: who may move a return from which state to
//! which, what locks, when a month is due, and how a return counts in completeness. The
//! server stores and scopes; the browser shows the same rules before asking.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{FieldCode, FieldErrors};
use crate::rules;

pub mod completeness;

crate::coded_enum! {
    /// Where a station's month stands.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum ReturnState {
        /// Being filled in (every month starts here; no row is stored until it moves).
        Open = "open",
        /// Sent by the station, waiting for the district leader.
        Submitted = "submitted",
        /// Sent back by a leader with a reason; the station fixes it and submits again.
        Returned = "returned",
        /// Approved by the district leader, waiting for the city.
        Approved = "approved",
        /// Accepted by the city: the month's figures are final.
        Accepted = "accepted",
    }
}

crate::coded_enum! {
    /// What someone does to a return; the URL's last segment.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum ReturnAction {
        /// The station's officer sends the month (from open or returned).
        Submit = "submit",
        /// The district leader approves a submitted return.
        Approve = "approve",
        /// A leader sends a return back with a reason: the district a submitted one, the
        /// city an approved one.
        Return = "return",
        /// The city accepts an approved return.
        Accept = "accept",
        /// An administrator opens a return again, with a reason, from any other state.
        Reopen = "reopen",
    }
}

impl ReturnState {
    /// While a return is in this state, its month's sessions and outcome values cannot be
    /// created, edited or deleted (409 `period_locked`).
    pub fn locks(self) -> bool {
        matches!(
            self,
            ReturnState::Submitted | ReturnState::Approved | ReturnState::Accepted
        )
    }

    pub fn label(self, lang: crate::Lang) -> &'static str {
        let (zh, en) = match self {
            ReturnState::Open => ("填报中", "Open"),
            ReturnState::Submitted => ("待审核", "Submitted"),
            ReturnState::Returned => ("已退回", "Returned"),
            ReturnState::Approved => ("分局已审核", "Approved"),
            ReturnState::Accepted => ("市局已审核", "Accepted"),
        };
        lang.pick(zh, en)
    }
}

impl ReturnAction {
    /// Whether the action needs a reason: sending back and reopening always say why.
    pub fn needs_reason(self) -> bool {
        matches!(self, ReturnAction::Return | ReturnAction::Reopen)
    }

    pub fn label(self, lang: crate::Lang) -> &'static str {
        let (zh, en) = match self {
            ReturnAction::Submit => ("上报", "Submit"),
            ReturnAction::Approve => ("审核通过", "Approve"),
            ReturnAction::Return => ("退回", "Return"),
            ReturnAction::Accept => ("市局确认", "Accept"),
            ReturnAction::Reopen => ("重新打开", "Reopen"),
        };
        lang.pick(zh, en)
    }
}

/// Who acts on a return, as the server finds it from the viewer and the return's station.
/// Anyone else (a school, an officer of another station, a leader of another district or
/// city) is [`Actor::Outsider`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Actor {
    /// An officer of the return's station.
    StationOfficer,
    /// A leader scoped to the return's district.
    DistrictLeader,
    /// A leader scoped to the return's city, or to the whole database.
    CityLeader,
    /// An administrator whose scope holds the return's station.
    Admin,
    /// Anyone whose scope does not hold the station, or whose role has no say.
    Outsider,
}

impl Actor {
    pub const ALL: [Actor; 5] = [
        Actor::StationOfficer,
        Actor::DistrictLeader,
        Actor::CityLeader,
        Actor::Admin,
        Actor::Outsider,
    ];
}

/// Why a transition is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The actor may never take this action (403 `forbidden`).
    NotTheirs,
    /// The actor may take it, but not from the return's state (409 `invalid_transition`).
    WrongState,
}

/// The state `action` by `actor` moves a return in `from` to, or why it may not.
///
/// The whole sign-off is this table:
///
/// | action  | who               | from                                   | to        |
/// |---------|-------------------|----------------------------------------|-----------|
/// | submit  | station officer   | open, returned                         | submitted |
/// | approve | district leader   | submitted                              | approved  |
/// | return  | district leader   | submitted                              | returned  |
/// | return  | city leader       | approved                               | returned  |
/// | accept  | city leader       | approved                               | accepted  |
/// | reopen  | administrator     | submitted, returned, approved, accepted | open     |
///
/// Nothing else is allowed: an administrator does not submit or approve on anyone's
/// behalf (so that every approval is a leader's), and a city leader does not skip the
/// district.
pub fn transition(
    from: ReturnState,
    action: ReturnAction,
    actor: Actor,
) -> Result<ReturnState, Refusal> {
    use ReturnAction as A;
    use ReturnState as S;
    let may = match action {
        A::Submit => actor == Actor::StationOfficer,
        A::Approve => actor == Actor::DistrictLeader,
        A::Return => matches!(actor, Actor::DistrictLeader | Actor::CityLeader),
        A::Accept => actor == Actor::CityLeader,
        A::Reopen => actor == Actor::Admin,
    };
    if !may {
        return Err(Refusal::NotTheirs);
    }
    let to = match (action, actor, from) {
        (A::Submit, _, S::Open | S::Returned) => S::Submitted,
        (A::Approve, _, S::Submitted) => S::Approved,
        (A::Return, Actor::DistrictLeader, S::Submitted) => S::Returned,
        (A::Return, Actor::CityLeader, S::Approved) => S::Returned,
        (A::Accept, _, S::Approved) => S::Accepted,
        (A::Reopen, _, S::Submitted | S::Returned | S::Approved | S::Accepted) => S::Open,
        _ => return Err(Refusal::WrongState),
    };
    Ok(to)
}

/// The longest reason a return or a reopen may carry, in characters.
pub const REASON_MAX: usize = 200;

/// The body of `POST /api/v1/returns/{station}/{month}/{action}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TransitionInput {
    /// Why: required to return or reopen (at most 200 characters), optional otherwise.
    #[serde(default)]
    pub reason: Option<String>,
}

impl TransitionInput {
    /// The reason, trimmed, checked for `action`: required where the action needs one.
    pub fn validate(&self, action: ReturnAction) -> Result<Option<String>, FieldErrors> {
        let mut errors = FieldErrors::default();
        let reason = match rules::optional_text(self.reason.as_deref(), REASON_MAX) {
            Ok(None) if action.needs_reason() => {
                errors.push("reason", FieldCode::Required);
                None
            }
            Ok(reason) => reason,
            Err(code) => {
                errors.push("reason", code);
                None
            }
        };
        if errors.is_empty() {
            Ok(reason)
        } else {
            Err(errors)
        }
    }
}

/// A month as the returns name it: `YYYY-MM`, its first day.
pub fn parse_month(text: &str) -> Option<NaiveDate> {
    if text.len() != 7 {
        return None;
    }
    NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").ok()
}

/// The month of a day, as `YYYY-MM`.
pub fn month_of(day: NaiveDate) -> String {
    format!("{:04}-{:02}", day.year(), day.month())
}

/// The last day of the month that starts on `first`.
pub fn month_end(first: NaiveDate) -> NaiveDate {
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    };
    next.expect("the first of a month in range") - Duration::days(1)
}

/// Days after a month's end that its return is on time, unless the campaign says otherwise.
pub const DEFAULT_DUE_DAYS: i64 = 5;

/// The last day a month's return is on time: `due_days` after the month's last day (the
/// 5th of the next month by default). The month's campaign (the campaign of its year)
/// sets `due_days`.
pub fn deadline(month_first: NaiveDate, due_days: i64) -> NaiveDate {
    month_end(month_first) + Duration::days(due_days)
}

/// Is a station expected to return this month? It is unless it was closed before the
/// month began: a station that closes in June is still expected for March, so past rates
/// do not change when a station closes later.
pub fn expected(month_first: NaiveDate, closed_on: Option<NaiveDate>) -> bool {
    closed_on.is_none_or(|closed| closed >= month_first)
}

/// How one expected return counts in completeness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Timeliness {
    /// First submitted on or before the deadline.
    OnTime,
    /// First submitted after the deadline.
    Late,
    /// Not submitted (open, or reopened), whether or not the deadline has passed.
    Missing,
}

/// How a return counts: submitted means it left the station and was not reopened since
/// (a returned one still counts as submitted: the station did report, and the leader's
/// review is counted separately); on time by its first submission's day.
pub fn timeliness(
    state: ReturnState,
    first_submitted_on: Option<NaiveDate>,
    deadline: NaiveDate,
) -> Timeliness {
    match (state, first_submitted_on) {
        (ReturnState::Open, _) | (_, None) => Timeliness::Missing,
        (_, Some(day)) if day <= deadline => Timeliness::OnTime,
        _ => Timeliness::Late,
    }
}

/// A monthly return as the API answers: `GET /api/v1/returns` and `…/{station}/{month}`.
/// A month nobody has moved yet is answered as `open`, version 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthlyReturn {
    pub station_id: i64,
    pub station_name: String,
    pub district_id: i64,
    pub district_name: String,
    /// `YYYY-MM`.
    pub month: String,
    pub state: ReturnState,
    /// The `ETag`; send it as `If-Match` with a transition (0 for a month never moved).
    pub version: i64,
    /// The last day the return is on time.
    pub deadline: NaiveDate,
    /// The day it was first submitted, if ever (timeliness goes by this).
    pub first_submitted_on: Option<NaiveDate>,
    /// The day it was last submitted.
    pub submitted_on: Option<NaiveDate>,
    /// Submitted after the deadline (or still not submitted once it passed).
    pub late: bool,
    /// The reason of the last return or reopen, while the return is returned or reopened.
    pub reason: Option<String>,
}

/// One step of a return's history, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReturnEvent {
    /// When, as an RFC 3339 time.
    pub at: String,
    /// Who: the account's name.
    pub actor: String,
    pub action: ReturnAction,
    pub from: ReturnState,
    pub to: ReturnState,
    pub reason: Option<String>,
}

/// What an officer looks at before submitting, and a leader before approving: the month's
/// records and the warnings to check first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReturnSummary {
    pub sessions: i64,
    /// Students, parents, teachers and others reached by the month's sessions.
    pub audience: i64,
    /// The month's outcome values, by indicator code.
    pub outcomes: Vec<(crate::outcome::Indicator, i64)>,
    pub warnings: Vec<ReturnWarning>,
}

/// Something in a month's figures to look at before it goes up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReturnWarning {
    /// No session was logged in the month.
    NoSessions,
    /// More follow-up visits than runaway calls.
    FollowUpsAboveCalls { follow_ups: i64, calls: i64 },
    /// A value far from the station's usual: more than three times, or under a third of,
    /// its median over the 12 months before (when it has at least 3 of them).
    Unusual {
        indicator: crate::outcome::Indicator,
        value: i64,
        usual: i64,
    },
}

/// The warnings of a month, from its figures and the station's earlier values of each
/// indicator (`history`: the values of up to 12 earlier months).
pub fn warnings(
    sessions: i64,
    outcomes: &[(crate::outcome::Indicator, i64)],
    history: &[(crate::outcome::Indicator, Vec<i64>)],
) -> Vec<ReturnWarning> {
    use crate::outcome::Indicator;
    let mut found = Vec::new();
    if sessions == 0 {
        found.push(ReturnWarning::NoSessions);
    }
    let value = |i: Indicator| outcomes.iter().find(|(k, _)| *k == i).map(|(_, v)| *v);
    if let (Some(follow_ups), Some(calls)) =
        (value(Indicator::FollowUps), value(Indicator::RunawayCalls))
    {
        if follow_ups > calls {
            found.push(ReturnWarning::FollowUpsAboveCalls { follow_ups, calls });
        }
    }
    for (indicator, value) in outcomes {
        let Some((_, earlier)) = history.iter().find(|(k, _)| k == indicator) else {
            continue;
        };
        if earlier.len() < 3 {
            continue;
        }
        let mut sorted = earlier.clone();
        sorted.sort_unstable();
        let usual = sorted[sorted.len() / 2];
        let far = if usual == 0 {
            *value > 10
        } else {
            *value > usual * 3 || *value * 3 < usual
        };
        if far {
            found.push(ReturnWarning::Unusual {
                indicator: *indicator,
                value: *value,
                usual,
            });
        }
    }
    found
}

/// Completeness of one month at one level (the city, a district, or a station), as
/// `GET /api/v1/completeness` answers. `expected` is the denominator of every rate, and
/// `on_time + late + missing == expected`, so no rate exceeds 100%.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompletenessCounts {
    /// Stations that existed and were not closed before the month began.
    pub expected: i64,
    pub on_time: i64,
    pub late: i64,
    pub missing: i64,
    /// Of the submitted, how many are sent back and not yet submitted again.
    pub returned: i64,
    /// Approved by the district (accepted ones included).
    pub approved: i64,
    /// Accepted by the city.
    pub accepted: i64,
}

impl CompletenessCounts {
    /// Adds one expected return.
    pub fn add(&mut self, state: ReturnState, timeliness: Timeliness) {
        self.expected += 1;
        match timeliness {
            Timeliness::OnTime => self.on_time += 1,
            Timeliness::Late => self.late += 1,
            Timeliness::Missing => self.missing += 1,
        }
        match state {
            ReturnState::Returned => self.returned += 1,
            ReturnState::Approved => self.approved += 1,
            ReturnState::Accepted => {
                self.approved += 1;
                self.accepted += 1;
            }
            ReturnState::Open | ReturnState::Submitted => {}
        }
    }

    /// Submitted (on time or late) ÷ expected, in percent; `None` when nothing is expected.
    pub fn submitted_rate(&self) -> Option<f64> {
        self.rate(self.on_time + self.late)
    }

    pub fn on_time_rate(&self) -> Option<f64> {
        self.rate(self.on_time)
    }

    pub fn accepted_rate(&self) -> Option<f64> {
        self.rate(self.accepted)
    }

    fn rate(&self, part: i64) -> Option<f64> {
        (self.expected > 0).then(|| part as f64 * 100.0 / self.expected as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn each_action_has_one_kind_of_actor_and_leads_from_its_states_only() {
        use Actor as P;
        use ReturnAction as A;
        use ReturnState as S;
        // (from, action, actor) → to; every other combination is refused.
        let allowed = [
            (S::Open, A::Submit, P::StationOfficer, S::Submitted),
            (S::Returned, A::Submit, P::StationOfficer, S::Submitted),
            (S::Submitted, A::Approve, P::DistrictLeader, S::Approved),
            (S::Submitted, A::Return, P::DistrictLeader, S::Returned),
            (S::Approved, A::Return, P::CityLeader, S::Returned),
            (S::Approved, A::Accept, P::CityLeader, S::Accepted),
            (S::Submitted, A::Reopen, P::Admin, S::Open),
            (S::Returned, A::Reopen, P::Admin, S::Open),
            (S::Approved, A::Reopen, P::Admin, S::Open),
            (S::Accepted, A::Reopen, P::Admin, S::Open),
        ];
        let mut checked = 0;
        for from in ReturnState::ALL {
            for action in ReturnAction::ALL {
                for actor in Actor::ALL {
                    let got = transition(from, action, actor);
                    let want = allowed
                        .iter()
                        .find(|(f, a, p, _)| (*f, *a, *p) == (from, action, actor))
                        .map(|(_, _, _, to)| *to);
                    match want {
                        Some(to) => assert_eq!(got, Ok(to), "{from:?} {action:?} {actor:?}"),
                        None => assert!(got.is_err(), "{from:?} {action:?} {actor:?}"),
                    }
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 5 * 5 * 5);
        // An outsider is refused as not theirs whatever the state; a right actor in the
        // wrong state is told the state is wrong.
        assert_eq!(
            transition(S::Open, A::Approve, P::Outsider),
            Err(Refusal::NotTheirs)
        );
        assert_eq!(
            transition(S::Accepted, A::Submit, P::StationOfficer),
            Err(Refusal::WrongState)
        );
    }

    #[test]
    fn submitted_approved_and_accepted_months_are_locked() {
        let locked: Vec<_> = ReturnState::ALL.into_iter().filter(|s| s.locks()).collect();
        assert_eq!(
            locked,
            [
                ReturnState::Submitted,
                ReturnState::Approved,
                ReturnState::Accepted
            ]
        );
    }

    #[test]
    fn returning_and_reopening_need_a_reason() {
        let none = TransitionInput::default();
        assert!(none.validate(ReturnAction::Return).is_err());
        assert!(none.validate(ReturnAction::Reopen).is_err());
        assert_eq!(none.validate(ReturnAction::Approve), Ok(None));
        let blank = TransitionInput {
            reason: Some("  ".into()),
        };
        assert!(blank.validate(ReturnAction::Return).is_err());
        let long = TransitionInput {
            reason: Some("因".repeat(REASON_MAX + 1)),
        };
        assert!(long.validate(ReturnAction::Approve).is_err());
        let said = TransitionInput {
            reason: Some(" 三月讲座人数与签到表不符 ".into()),
        };
        assert_eq!(
            said.validate(ReturnAction::Return),
            Ok(Some("三月讲座人数与签到表不符".into()))
        );
    }

    #[test]
    fn a_month_is_due_five_days_after_it_ends_unless_the_campaign_says_otherwise() {
        assert_eq!(
            deadline(day("2025-02-01"), DEFAULT_DUE_DAYS),
            day("2025-03-05")
        );
        assert_eq!(deadline(day("2024-02-01"), 5), day("2024-03-05"));
        assert_eq!(deadline(day("2025-12-01"), 10), day("2026-01-10"));
        assert_eq!(parse_month("2025-03"), Some(day("2025-03-01")));
        assert_eq!(parse_month("2025-3"), None);
        assert_eq!(parse_month("2025-13"), None);
        assert_eq!(month_of(day("2025-03-31")), "2025-03");
    }

    #[test]
    fn a_station_closed_before_a_month_is_not_expected_in_it_but_is_in_earlier_ones() {
        let closed = Some(day("2025-06-15"));
        assert!(expected(day("2025-03-01"), closed));
        assert!(expected(day("2025-06-01"), closed));
        assert!(!expected(day("2025-07-01"), closed));
        assert!(expected(day("2025-07-01"), None));
    }

    #[test]
    fn timeliness_goes_by_the_first_submission_and_counts_never_exceed_expected() {
        let due = day("2025-04-05");
        use ReturnState as S;
        let cases = [
            (S::Accepted, Some(day("2025-04-05")), Timeliness::OnTime),
            (S::Approved, Some(day("2025-04-06")), Timeliness::Late),
            (S::Returned, Some(day("2025-04-01")), Timeliness::OnTime),
            (S::Open, Some(day("2025-04-01")), Timeliness::Missing),
            (S::Open, None, Timeliness::Missing),
        ];
        let mut counts = CompletenessCounts::default();
        for (state, first, want) in cases {
            let got = timeliness(state, first, due);
            assert_eq!(got, want, "{state:?} {first:?}");
            counts.add(state, got);
        }
        assert_eq!(counts.expected, 5);
        assert_eq!(
            counts.on_time + counts.late + counts.missing,
            counts.expected
        );
        assert_eq!(
            (counts.approved, counts.accepted, counts.returned),
            (2, 1, 1)
        );
        assert_eq!(counts.submitted_rate(), Some(60.0));
        assert_eq!(CompletenessCounts::default().submitted_rate(), None);
    }

    #[test]
    fn warnings_name_an_empty_month_follow_ups_above_calls_and_unusual_values() {
        use crate::outcome::Indicator as I;
        let history = vec![(I::Visits, vec![10, 12, 8, 11])];
        let found = warnings(
            0,
            &[(I::FollowUps, 5), (I::RunawayCalls, 3), (I::Visits, 40)],
            &history,
        );
        assert_eq!(
            found,
            [
                ReturnWarning::NoSessions,
                ReturnWarning::FollowUpsAboveCalls {
                    follow_ups: 5,
                    calls: 3
                },
                ReturnWarning::Unusual {
                    indicator: I::Visits,
                    value: 40,
                    usual: 11
                },
            ]
        );
        assert!(warnings(2, &[(I::Visits, 12)], &history).is_empty());
        // Too little history to say what is usual.
        assert!(warnings(2, &[(I::Visits, 90)], &[(I::Visits, vec![1, 2])]).is_empty());
    }
}
