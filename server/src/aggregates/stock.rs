//! The outcome figures that are not plain sums over the slice. Minors mentored is a stock
//! (DOMAIN.md): for each station its latest value reported on or before the period's end,
//! summed over the stations. The re-offence rate divides the period's re-offences by it,
//! from true counts, and is then shown or hidden as a whole. The dashboard, the re-offence
//! chart, `GET /aggregates/outcome-totals` and the report all take these from here.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Datelike;
use humiao_shared::aggregate::OutcomePoint;
use humiao_shared::dashboard::RatePoint;
use humiao_shared::outcome::Indicator;
use humiao_shared::report::{reoffence_share, OutcomeTotals};
use humiao_shared::suppression::Place;
use sqlx::AnyConnection;

use super::{suppresses, Slice};
use crate::db::aggregates;
use crate::db::suppression::{places_of, Suppression};
use crate::db::where_clause::Conditions;
use crate::error::ApiError;
use crate::viewer::Viewer;

/// Every outcome figure of a slice as one viewer may see it.
#[derive(Debug, Clone, Default)]
pub struct Outcomes {
    pub totals: OutcomeTotals,
    /// Re-offences ÷ minors mentored over the slice; `None` when either is hidden.
    pub reoffence_rate: Option<f64>,
    /// The same per month, from the first to the last month with a re-offence figure.
    pub reoffence_by_month: Vec<RatePoint>,
    /// Each indicator's monthly total, hidden as the viewer sees it.
    pub series: Vec<OutcomePoint>,
    /// Follow-ups ÷ runaway calls per month, from the series as the viewer sees it.
    pub followed_up_in_time: Vec<RatePoint>,
}

/// The outcome figures of the slice as `viewer` may see them.
pub async fn outcomes(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    slice: &Slice,
) -> Result<Outcomes, ApiError> {
    let suppress = suppresses(viewer);
    let truth = aggregates::outcome_series(conn, slice, false).await?;
    let series = if suppress {
        aggregates::outcome_series(conn, slice, true).await?
    } else {
        truth.clone()
    };
    let reports = StockReports::of(conn, slice).await?;
    let end = month_of(slice.to);
    let stock = reports.at(&end);
    let flows = truth
        .iter()
        .filter(|p| p.indicator != Indicator::MinorsMentored)
        .map(|p| (p.indicator, p.value));
    let mut totals = OutcomeTotals::sum(flows);
    totals.minors_mentored = Some(stock.total);
    totals.source = crate::db::derived::source(conn, slice).await?;
    let true_reoffences = totals.reoffences.unwrap_or(0);

    // Re-offences per month from true counts, the months drawn being those from the
    // first to the last month with a figure (a month between without one had none).
    let monthly: BTreeMap<&str, i64> = truth
        .iter()
        .filter(|p| p.indicator == Indicator::Reoffences)
        .map(|p| (p.month.as_str(), p.value.unwrap_or(0)))
        .collect();
    let months = month_run(monthly.keys().next(), monthly.keys().next_back());
    let stocks: Vec<Stock> = months.iter().map(|m| reports.at(m)).collect();

    let (mut hidden_stock, mut hidden_month) = (false, vec![false; months.len()]);
    if suppress {
        let places = places_of(conn, &slice.filter).await?;
        let mut years: BTreeSet<i32> = [slice.from.year(), slice.to.year()].into();
        for s in stocks.iter().chain([&stock]) {
            years.extend(s.months.iter().filter_map(|m| m[..4].parse::<i32>().ok()));
        }
        let suppression = Suppression::of_years(conn, years).await?;
        let from = month_of(slice.from);
        for indicator in OutcomeTotals::STATED {
            if indicator != Indicator::MinorsMentored
                && suppression.covers_hidden_in(indicator, &places, &from, &end)
            {
                totals.hide(indicator);
            }
        }
        hidden_stock = stock.is_hidden(&suppression, &places);
        if hidden_stock {
            totals.hide(Indicator::MinorsMentored);
        }
        for (i, m) in months.iter().enumerate() {
            hidden_month[i] = stocks[i].is_hidden(&suppression, &places)
                || suppression.hides_month_in(Indicator::Reoffences, &places, m);
        }
    }
    let reoffence_rate = if hidden_stock || totals.reoffences.is_none() {
        None
    } else {
        reoffence_share(true_reoffences, stock.total)
    };
    let reoffence_by_month = months
        .iter()
        .zip(&stocks)
        .zip(hidden_month)
        .map(|((m, s), hidden)| RatePoint {
            month: m.clone(),
            rate: if hidden {
                None
            } else {
                reoffence_share(monthly.get(m.as_str()).copied().unwrap_or(0), s.total)
            },
        })
        .collect();
    let followed_up_in_time = followed_up(&series);
    Ok(Outcomes {
        totals,
        reoffence_rate,
        reoffence_by_month,
        series,
        followed_up_in_time,
    })
}

/// Follow-ups ÷ runaway calls for each month with calls; `None` where either is hidden
/// (a share of shown figures tells nothing they do not).
fn followed_up(series: &[OutcomePoint]) -> Vec<RatePoint> {
    let of = |indicator| {
        series
            .iter()
            .filter(move |p| p.indicator == indicator)
            .map(|p| (p.month.as_str(), p.value))
            .collect::<BTreeMap<&str, Option<i64>>>()
    };
    let (calls, follow_ups) = (of(Indicator::RunawayCalls), of(Indicator::FollowUps));
    calls
        .iter()
        .map(|(month, calls)| RatePoint {
            month: month.to_string(),
            rate: match (calls, follow_ups.get(month).copied().unwrap_or(Some(0))) {
                (Some(calls), Some(done)) if *calls > 0 => Some(done as f64 / *calls as f64),
                _ => None,
            },
        })
        .collect()
}

/// The outcome figures of the slice as `viewer` may see them: what the report and
/// `GET /api/v1/aggregates/outcome-totals` state.
pub async fn outcome_totals(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    slice: &Slice,
) -> Result<OutcomeTotals, ApiError> {
    Ok(outcomes(conn, viewer, slice).await?.totals)
}

/// The stock of minors mentored at one month's end.
#[derive(Debug, Clone, Default, PartialEq)]
struct Stock {
    /// Per station its latest value on or before the month, summed.
    total: i64,
    /// The months those values were reported in.
    months: BTreeSet<String>,
    /// Per month, the districts whose stations' values of that month count, and whether
    /// they are all the month's values in the slice.
    parts: BTreeMap<String, (BTreeSet<i64>, bool)>,
    /// Whether some month's values of a district count only in part (a station reported
    /// again later): the sum is then not a figure the suppression tables know, so it is
    /// never shown to those who see suppressed figures.
    partial: bool,
}

impl Stock {
    /// Hidden from a viewer of suppressed figures unless it is the sum of whole figures of
    /// some months, each shown: the place's month, or where only some districts' values of
    /// a month count (stations typing a yearly stock beside others counting theirs from
    /// registers every month), each of those districts' months.
    fn is_hidden(&self, suppression: &Suppression, places: &[Place]) -> bool {
        self.partial
            || self.parts.iter().any(|(m, (districts, whole))| {
                if *whole {
                    suppression.hides_month_in(Indicator::MinorsMentored, places, m)
                } else {
                    districts.iter().any(|d| {
                        suppression.hides_month(Indicator::MinorsMentored, Place::District(*d), m)
                    })
                }
            })
    }
}

/// The reports of minors mentored of the slice's stations up to its end, per station (with
/// its district) in month order.
#[derive(Debug, Default)]
struct StockReports {
    by_station: BTreeMap<i64, (i64, Vec<(String, i64)>)>,
}

impl StockReports {
    async fn of(conn: &mut AnyConnection, slice: &Slice) -> Result<StockReports, sqlx::Error> {
        let mut c = Conditions::live();
        c.text(
            "t.indicator = ?",
            Indicator::MinorsMentored.code().to_string(),
        );
        c.text("t.month <= ?", month_of(slice.to));
        slice.work_place(&mut c);
        if slice.filter.accepted_only() {
            // A station's latest accepted value: the stock as the city has signed it off.
            c.raw(crate::db::aggregates::ACCEPTED_MONTH);
        }
        let sql = format!(
            "SELECT t.station_id, st.district_id, t.month, t.value
             FROM {} t JOIN stations st ON st.id = t.station_id
             WHERE {} ORDER BY t.station_id, t.month",
            crate::db::derived::figures(crate::clock::today()),
            c.sql()
        );
        let rows: Vec<(i64, i64, String, i64)> =
            c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
        let mut reports = StockReports::default();
        for (station, district, month, value) in rows {
            let entry = reports
                .by_station
                .entry(station)
                .or_insert_with(|| (district, Vec::new()));
            entry.1.push((month, value));
        }
        Ok(reports)
    }

    /// Rows of (station, district, month, value), for the unit tests.
    #[cfg(test)]
    fn from_rows(rows: &[(i64, i64, &str, i64)]) -> StockReports {
        let mut reports = StockReports::default();
        for (station, district, month, value) in rows {
            reports
                .by_station
                .entry(*station)
                .or_insert_with(|| (*district, Vec::new()))
                .1
                .push((month.to_string(), *value));
        }
        reports
    }

    /// The stock at the end of `month` (`YYYY-MM`).
    fn at(&self, month: &str) -> Stock {
        let mut stock = Stock::default();
        // Reports per month and district up to `month`, and how many are a station's latest.
        let mut reported: BTreeMap<(&str, i64), (usize, usize)> = BTreeMap::new();
        for (district, reports) in self.by_station.values() {
            let upto = reports.iter().filter(|(m, _)| m.as_str() <= month);
            let mut latest = None;
            for (m, value) in upto {
                reported.entry((m.as_str(), *district)).or_default().0 += 1;
                latest = Some((m, value));
            }
            if let Some((m, value)) = latest {
                stock.total += value;
                stock.months.insert(m.clone());
                reported.entry((m.as_str(), *district)).or_default().1 += 1;
            }
        }
        for m in &stock.months {
            let of_month = reported.iter().filter(|((rm, _), _)| rm == m);
            let used: BTreeSet<i64> = of_month
                .clone()
                .filter(|(_, (_, latest))| *latest > 0)
                .map(|((_, d), _)| *d)
                .collect();
            // A district whose values of the month count, but not all of them.
            stock.partial |= of_month
                .clone()
                .any(|(_, (all, latest))| *latest > 0 && all != latest);
            let whole = of_month.clone().all(|(_, (_, latest))| *latest > 0);
            stock.parts.insert(m.clone(), (used, whole));
        }
        stock
    }
}

/// `YYYY-MM` of a day.
fn month_of(day: chrono::NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

/// Every month from `first` to `last` (`YYYY-MM`), both included; none without both.
fn month_run(first: Option<&&str>, last: Option<&&str>) -> Vec<String> {
    let parse = |m: &str| {
        let (y, mo) = m.split_once('-')?;
        Some((y.parse::<i32>().ok()?, mo.parse::<u32>().ok()?))
    };
    let (Some((mut y, mut m)), Some(end)) =
        (first.and_then(|f| parse(f)), last.and_then(|l| parse(l)))
    else {
        return Vec::new();
    };
    let mut months = Vec::new();
    while (y, m) <= end && months.len() < 1200 {
        months.push(format!("{y:04}-{m:02}"));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    months
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minors_mentored_is_each_stations_latest_value_at_the_months_end() {
        // One district: a month's values count whole or in part.
        let reports = StockReports::from_rows(&[
            (1, 1, "2023-12", 10),
            (1, 1, "2024-12", 12),
            (2, 1, "2023-12", 5),
            (3, 1, "2024-06", 7),
        ]);
        let months = |s: &[&str]| s.iter().map(|m| m.to_string()).collect::<BTreeSet<_>>();
        let cases = [
            ("2023-11", 0, months(&[]), false),
            ("2024-03", 15, months(&["2023-12"]), false),
            // Station 3 reports in June: two months make the stock, each whole.
            ("2024-08", 22, months(&["2023-12", "2024-06"]), false),
            // Station 1 reported again: its 2023 value no longer counts, so the 2023-12
            // part is station 2's alone, not a figure of the place.
            (
                "2025-01",
                24,
                months(&["2023-12", "2024-06", "2024-12"]),
                true,
            ),
        ];
        for (month, total, from, partial) in cases {
            let stock = reports.at(month);
            assert_eq!(
                (stock.total, stock.months, stock.partial),
                (total, from, partial),
                "{month}"
            );
        }
    }

    #[test]
    fn a_yearly_stock_beside_monthly_registers_counts_whole_districts() {
        // District 1 types its stock each December; district 2 counts it every month.
        let reports = StockReports::from_rows(&[
            (1, 1, "2025-12", 10),
            (2, 1, "2025-12", 6),
            (3, 2, "2025-12", 8),
            (3, 2, "2026-01", 9),
            (3, 2, "2026-02", 7),
        ]);
        let stock = reports.at("2026-02");
        assert_eq!((stock.total, stock.partial), (23, false));
        let parts: Vec<(&str, Vec<i64>, bool)> = stock
            .parts
            .iter()
            .map(|(m, (d, whole))| (m.as_str(), d.iter().copied().collect(), *whole))
            .collect();
        // December counts district 1's values only: its figure, not the city's month.
        assert_eq!(
            parts,
            [("2025-12", vec![1], false), ("2026-02", vec![2], true)]
        );
    }

    #[test]
    fn months_run_across_years() {
        assert_eq!(
            month_run(Some(&"2024-11"), Some(&"2025-02")),
            ["2024-11", "2024-12", "2025-01", "2025-02"]
        );
        assert!(month_run(None, None).is_empty());
    }
}
