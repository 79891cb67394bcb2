//! Completeness and timeliness (报送率, 及时率) as `GET /api/v1/completeness`, the dashboard's
//! "已审核" badge and the annual report count them: for each month and place, the stations
//! expected ([`expected`]), how their returns count ([`timeliness`]) against the month's
//! [`deadline`], and how far the sign-off got. Also the screening windows' completeness.
//!
//! The server reads the stations and stored returns of a scope (two queries, whatever its
//! size) and counts here, so the same rule serves every answer and is tested without a
//! database. Kept in its own file beside [`CompletenessCounts`] so that the sign-off's rules
//! in `returns.rs` stay on a few screens.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{deadline, expected, month_end, month_of, timeliness, CompletenessCounts, ReturnState};
use crate::aggregate::GroupBy;

/// The years a completeness question may name (the document's `minimum` and `maximum`
/// for `year` say the same).
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// `GET /api/v1/completeness`: which year (default: this year), for which place (default:
/// the viewer's whole scope).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default, deny_unknown_fields)]
pub struct CompletenessQuery {
    /// The year, 2000–2100 (default: this year).
    #[cfg_attr(feature = "openapi", param(minimum = 2000, maximum = 2100))]
    pub year: Option<i32>,
    pub city_id: Option<i64>,
    pub district_id: Option<i64>,
    pub station_id: Option<i64>,
}

/// A station as completeness counts it: the place one level down it is counted under (a
/// city, a district, or the station itself), and the day it closed, if it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedStation {
    pub id: i64,
    pub place_id: i64,
    pub place: String,
    pub closed_on: Option<NaiveDate>,
}

/// A stored return: a station's month that someone moved (a month without one is open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReturn {
    pub station_id: i64,
    /// `YYYY-MM`.
    pub month: String,
    pub state: ReturnState,
    pub first_submitted_on: Option<NaiveDate>,
}

/// One place's counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlaceCompleteness {
    pub id: i64,
    pub name: String,
    pub counts: CompletenessCounts,
}

/// One month: its deadline, the scope's total and one row per place one level down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthCompleteness {
    /// `YYYY-MM`.
    pub month: String,
    /// The last day a return of the month is on time.
    pub deadline: NaiveDate,
    pub total: CompletenessCounts,
    pub places: Vec<PlaceCompleteness>,
}

/// The returns of some months, per month and over all of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReturnsCompleteness {
    pub months: Vec<MonthCompleteness>,
    /// Every month together: a return is one station-month, so a year's `expected` is the
    /// sum of its months'.
    pub total: CompletenessCounts,
    /// Every month together, per place one level down.
    pub places: Vec<PlaceCompleteness>,
}

/// One screening assignment's window: schools asked, schools that confirmed every film of
/// it, and the days left to confirm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScreeningCompleteness {
    pub assignment_id: i64,
    pub title: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    /// Schools in scope asked to screen the assignment's films.
    pub schools: i64,
    /// Of those, schools that confirmed every one of its films.
    pub confirmed: i64,
    /// `schools - confirmed`.
    pub not_yet: i64,
    /// Days a school can still confirm, today included ([`days_left`]); 0 once closed.
    pub days_left: i64,
    /// The window has ended: say 已截止, not "0 days".
    pub closed: bool,
}

/// `GET /api/v1/completeness`: a year's returns in a scope, and its screening windows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Completeness {
    pub year: i32,
    /// What the places are: `city`, `district` or `station`.
    pub level: GroupBy,
    /// Days after a month's end that its return is on time (the year's campaign's).
    pub due_days: i64,
    /// The months of the year up to the current one.
    pub returns: ReturnsCompleteness,
    /// The year's campaign's screening assignments (none without a campaign).
    pub screenings: Vec<ScreeningCompleteness>,
}

/// The dashboard's badge: "X / Y 个所月报已审核", returns accepted of returns expected over
/// the slice's months (up to the current one) and scope.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewedBadge {
    pub accepted: i64,
    pub expected: i64,
}

impl ReviewedBadge {
    /// What the badge beside the dashboard's title reads.
    pub fn text(&self, lang: crate::Lang) -> String {
        let (a, e) = (
            crate::charts::thousands(self.accepted),
            crate::charts::thousands(self.expected),
        );
        match lang {
            crate::Lang::Zh => format!("{a} / {e} 个所月报已审核"),
            crate::Lang::En => format!("{a} / {e} station returns accepted"),
        }
    }
}

/// The first days of the months that overlap `from..=to` and have begun by `today`: a
/// month still to come expects nothing yet.
pub fn months_between(from: NaiveDate, to: NaiveDate, today: NaiveDate) -> Vec<NaiveDate> {
    let last = to.min(today);
    let mut month = from.with_day(1).expect("the first of a month");
    let mut months = Vec::new();
    while month <= last {
        months.push(month);
        month = month_end(month) + chrono::Duration::days(1);
    }
    months
}

/// The months of `year` up to `today`'s.
pub fn months_of_year(year: i32, today: NaiveDate) -> Vec<NaiveDate> {
    match (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) {
        (Some(from), Some(to)) => months_between(from, to, today),
        _ => Vec::new(),
    }
}

/// Counts the returns of `stations` in `months`: each station expected in a month
/// ([`expected`]) adds one return to its place and the total, counted by its stored state
/// (open without one) and first submission against the month's deadline. Places are listed
/// in the order `stations` first names them.
pub fn count(
    months: &[NaiveDate],
    due_days: i64,
    stations: &[CountedStation],
    returns: &[StoredReturn],
) -> ReturnsCompleteness {
    let stored: HashMap<(i64, &str), &StoredReturn> = returns
        .iter()
        .map(|r| ((r.station_id, r.month.as_str()), r))
        .collect();
    let mut order: Vec<(i64, &str)> = Vec::new();
    for s in stations {
        if !order.iter().any(|(id, _)| *id == s.place_id) {
            order.push((s.place_id, &s.place));
        }
    }
    let blank = || -> Vec<PlaceCompleteness> {
        order
            .iter()
            .map(|(id, name)| PlaceCompleteness {
                id: *id,
                name: name.to_string(),
                counts: CompletenessCounts::default(),
            })
            .collect()
    };
    let mut year = ReturnsCompleteness {
        places: blank(),
        ..Default::default()
    };
    for first in months {
        let due = deadline(*first, due_days);
        let month = month_of(*first);
        let mut this = MonthCompleteness {
            month: month.clone(),
            deadline: due,
            total: CompletenessCounts::default(),
            places: blank(),
        };
        for s in stations.iter().filter(|s| expected(*first, s.closed_on)) {
            let (state, first_submitted) = stored
                .get(&(s.id, month.as_str()))
                .map_or((ReturnState::Open, None), |r| {
                    (r.state, r.first_submitted_on)
                });
            let counted = timeliness(state, first_submitted, due);
            let at = order.iter().position(|(id, _)| *id == s.place_id);
            for counts in [
                Some(&mut this.total),
                Some(&mut year.total),
                at.map(|i| &mut this.places[i].counts),
                at.map(|i| &mut year.places[i].counts),
            ]
            .into_iter()
            .flatten()
            {
                counts.add(state, counted);
            }
        }
        year.months.push(this);
    }
    year
}

/// Days left to confirm in a window, today included: the whole window before it opens, 0
/// once it has closed.
pub fn days_left(opens_on: NaiveDate, closes_on: NaiveDate, today: NaiveDate) -> i64 {
    if today > closes_on {
        0
    } else {
        (closes_on - today.max(opens_on)).num_days() + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_months_counted_stop_at_the_current_one() {
        let today = day("2025-03-10");
        assert_eq!(
            months_of_year(2025, today),
            [day("2025-01-01"), day("2025-02-01"), day("2025-03-01")]
        );
        assert_eq!(months_of_year(2024, today).len(), 12);
        assert!(months_of_year(2026, today).is_empty());
        assert_eq!(
            months_between(day("2024-11-20"), day("2025-01-02"), today),
            [day("2024-11-01"), day("2024-12-01"), day("2025-01-01")]
        );
    }

    #[test]
    fn a_station_closed_mid_year_counts_before_and_not_after_and_late_is_late() {
        let station = |id, place_id: i64, closed: Option<&str>| CountedStation {
            id,
            place_id,
            place: format!("P{place_id}"),
            closed_on: closed.map(day),
        };
        let stations = [
            station(1, 10, None),
            station(2, 10, Some("2025-02-14")),
            station(3, 20, None),
        ];
        let stored = |station_id, month: &str, state, first: Option<&str>| StoredReturn {
            station_id,
            month: month.into(),
            state,
            first_submitted_on: first.map(day),
        };
        use ReturnState as S;
        let returns = [
            stored(1, "2025-01", S::Accepted, Some("2025-02-03")),
            stored(2, "2025-01", S::Approved, Some("2025-02-06")), // late: due 02-05
            stored(3, "2025-01", S::Returned, Some("2025-02-01")),
            stored(1, "2025-02", S::Submitted, Some("2025-03-05")),
            stored(3, "2025-03", S::Open, Some("2025-04-01")), // reopened: missing
        ];
        let months = months_of_year(2025, day("2025-03-20"));
        let got = count(&months, 5, &stations, &returns);
        let jan = &got.months[0];
        assert_eq!(jan.deadline, day("2025-02-05"));
        assert_eq!(
            (jan.total.expected, jan.total.on_time, jan.total.late),
            (3, 2, 1)
        );
        assert_eq!((jan.total.approved, jan.total.accepted), (2, 1));
        // Station 2 closed in February: expected then, not in March.
        assert_eq!(got.months[1].total.expected, 3);
        assert_eq!(got.months[2].total.expected, 2);
        assert_eq!(got.months[2].total.missing, 2);
        assert_eq!(got.total.expected, 8);
        assert_eq!(got.places[0].counts.expected, 5);
        assert_eq!(got.places[1].counts.expected, 3);
        for c in got
            .months
            .iter()
            .flat_map(|m| m.places.iter().map(|p| &p.counts).chain([&m.total]))
        {
            assert_eq!(c.on_time + c.late + c.missing, c.expected);
            assert!(c.submitted_rate().unwrap_or(0.0) <= 100.0);
        }
    }

    #[test]
    fn the_badge_reads_accepted_of_expected() {
        let badge = ReviewedBadge {
            accepted: 1020,
            expected: 1044,
        };
        assert_eq!(badge.text(crate::Lang::Zh), "1,020 / 1,044 个所月报已审核");
        assert_eq!(
            badge.text(crate::Lang::En),
            "1,020 / 1,044 station returns accepted"
        );
    }

    #[test]
    fn days_left_count_today_and_a_closed_window_has_none() {
        let (opens, closes) = (day("2025-06-01"), day("2025-06-30"));
        assert_eq!(days_left(opens, closes, day("2025-05-01")), 30);
        assert_eq!(days_left(opens, closes, day("2025-06-30")), 1);
        assert_eq!(days_left(opens, closes, day("2025-06-21")), 10);
        assert_eq!(days_left(opens, closes, day("2025-07-01")), 0);
    }
}
