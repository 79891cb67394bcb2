//! 待办: what each person has to do next in the sign-off and the screenings, as
//! `GET /api/v1/todo` answers, and the reminder list leaders send to their WeChat groups
//! (`GET /api/v1/todo/reminders`).
//!
//! Who sees what (the server finds the role from the account; the rules of what is due are
//! here, so the page and the API agree):
//! - an officer: the returns sent back, each with the leader's reason, then the station's
//!   ended months still to submit (open, oldest first);
//! - a district leader: returns waiting for approval, and the stations that have not
//!   submitted the last ended month;
//! - a city leader (a leader of a city or of the whole database): districts whose month is
//!   approved throughout and waits for the city's acceptance;
//! - a school: films of an assignment whose window is open that it has not confirmed, with
//!   the days left;
//! - an administrator: nothing. In the sign-off an administrator only reopens, and only when
//!   asked (a station that sent a wrong figure, a leader who approved too soon): nothing waits
//!   on an administrator as it waits on the others.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::returns::{self, ReturnState};

/// Someone's to-do list, and its length for the header's badge.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Todo {
    /// How many items: the number on the header's 待办 link.
    pub count: i64,
    pub items: Vec<TodoItem>,
}

impl Todo {
    pub fn of(items: Vec<TodoItem>) -> Todo {
        Todo {
            count: items.len() as i64,
            items,
        }
    }
}

/// One thing to do. `kind` says which.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TodoItem {
    /// An officer: a month of the station to submit: open (never sent, or reopened) or
    /// returned (sent back by a leader, with the reason).
    Submit {
        station_id: i64,
        station_name: String,
        /// `YYYY-MM`.
        month: String,
        state: ReturnState,
        /// The `If-Match` to submit with.
        version: i64,
        deadline: NaiveDate,
        /// Days past the deadline; 0 while it has not passed.
        days_late: i64,
        /// The leader's (or the administrator's) reason, for a returned or reopened month.
        reason: Option<String>,
    },
    /// A district leader: a submitted return waiting for approval or to be sent back.
    Review {
        station_id: i64,
        station_name: String,
        month: String,
        version: i64,
        submitted_on: Option<NaiveDate>,
    },
    /// A district leader: a station that has not submitted the last ended month.
    NotSubmitted {
        station_id: i64,
        station_name: String,
        month: String,
        state: ReturnState,
        deadline: NaiveDate,
        days_late: i64,
    },
    /// A city leader: a district whose month is approved throughout, waiting for the city
    /// to accept it (or to send one of its returns back).
    AcceptDistrict {
        district_id: i64,
        district_name: String,
        month: String,
        /// Approved returns waiting for acceptance.
        approved: i64,
    },
    /// A school: a film of an open assignment it has not confirmed.
    Confirm {
        assignment_id: i64,
        assignment_title: String,
        film_id: i64,
        film_title: String,
        closes_on: NaiveDate,
        /// Days left after today in the window: 0 on its last day.
        days_left: i64,
    },
}

/// One row of the reminder list: a station late or missing for a month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reminder {
    pub district_id: i64,
    pub district_name: String,
    pub station_id: i64,
    pub station_name: String,
    /// `YYYY-MM`.
    pub month: String,
    /// `open` (not submitted) or `returned` (sent back and not submitted again).
    pub state: ReturnState,
    pub deadline: NaiveDate,
    /// Days past the deadline today; 0 while it has not passed.
    pub days_late: i64,
    /// Why it was sent back, for a returned one.
    pub reason: Option<String>,
}

/// Days `today` is past `deadline`; 0 on or before it.
pub fn days_late(deadline: NaiveDate, today: NaiveDate) -> i64 {
    (today - deadline).num_days().max(0)
}

/// The first day of the last month that has ended by `today` (November on 4 December).
pub fn last_ended_month(today: NaiveDate) -> NaiveDate {
    let this_month = today.with_day(1).expect("every month has a first day");
    let before = this_month - Duration::days(1);
    before.with_day(1).expect("every month has a first day")
}

/// The months a station has to return by `today`: every month that has ended, of every year
/// with a campaign (a month belongs to the campaign of its year), from January of the first
/// such year; oldest first. A station closed before a month is not expected in it.
pub fn months_due(
    today: NaiveDate,
    campaign_years: &[i32],
    closed_on: Option<NaiveDate>,
) -> Vec<NaiveDate> {
    let last = last_ended_month(today);
    let mut months = Vec::new();
    let mut years: Vec<i32> = campaign_years.to_vec();
    years.sort_unstable();
    years.dedup();
    for year in years {
        for month in 1..=12 {
            let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else {
                continue;
            };
            if first <= last && returns::expected(first, closed_on) {
                months.push(first);
            }
        }
    }
    months
}

/// Whether a month in `state` is still the station's to send: never sent, reopened, or sent
/// back.
pub fn still_to_submit(state: ReturnState) -> bool {
    matches!(state, ReturnState::Open | ReturnState::Returned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_last_ended_month_is_the_one_before_today_s() {
        assert_eq!(last_ended_month(day("2026-12-04")), day("2026-11-01"));
        assert_eq!(last_ended_month(day("2026-01-01")), day("2025-12-01"));
        assert_eq!(last_ended_month(day("2026-03-31")), day("2026-02-01"));
    }

    #[test]
    fn months_due_are_the_ended_months_of_campaign_years_while_the_station_was_open() {
        let today = day("2026-04-10");
        let due = months_due(today, &[2026, 2025, 2026], None);
        assert_eq!(due.len(), 12 + 3, "2025 whole, then January to March 2026");
        assert_eq!(due[0], day("2025-01-01"));
        assert_eq!(due.last(), Some(&day("2026-03-01")));
        // A year without a campaign has no deadline to keep.
        assert_eq!(months_due(today, &[2026], None).len(), 3);
        // Closed in February: expected in February, not in March.
        let closed = months_due(today, &[2026], Some(day("2026-02-10")));
        assert_eq!(closed, [day("2026-01-01"), day("2026-02-01")]);
        assert!(months_due(day("2026-01-20"), &[2026], None).is_empty());
    }

    #[test]
    fn days_late_count_from_the_day_after_the_deadline() {
        let due = day("2026-04-05");
        assert_eq!(days_late(due, day("2026-04-01")), 0);
        assert_eq!(days_late(due, due), 0);
        assert_eq!(days_late(due, day("2026-04-06")), 1);
        assert_eq!(days_late(due, day("2026-05-05")), 30);
    }

    #[test]
    fn only_open_and_returned_months_wait_for_the_station() {
        let waiting: Vec<_> = ReturnState::ALL
            .into_iter()
            .filter(|s| still_to_submit(*s))
            .collect();
        assert_eq!(waiting, [ReturnState::Open, ReturnState::Returned]);
    }
}
