//! The outcome figures that are not plain sums over the slice. Minors mentored is a stock
//! that stations report once a year (each December): the last figure reported in the twelve
//! months before the slice stands until the slice's own report, and the re-offence rate
//! divides by it. The chart, the dashboard's totals and the report all take it from here.

use chrono::{Datelike, Months};
use humiao_shared::aggregate::OutcomePoint;
use humiao_shared::outcome::Indicator;
use humiao_shared::report::OutcomeTotals;
use sqlx::AnyConnection;

use super::{suppresses, Slice};
use crate::db::aggregates;
use crate::db::suppression::{place_of, Suppression};
use crate::error::ApiError;
use crate::viewer::Viewer;

/// The minors in mentoring last reported in the year before the slice: a stock reported
/// once a year, which the months before this year's report divide their re-offences by.
pub async fn stock_before(
    conn: &mut sqlx::AnyConnection,
    slice: &Slice,
    suppress: bool,
) -> Result<Option<OutcomePoint>, ApiError> {
    let (Some(from), Some(to)) = (
        slice.from.checked_sub_months(Months::new(12)),
        slice.from.pred_opt(),
    ) else {
        return Ok(None);
    };
    let year_before = Slice {
        from,
        to,
        ..slice.clone()
    };
    let points = aggregates::outcome_series(conn, &year_before, suppress).await?;
    Ok(points
        .into_iter()
        .rfind(|p| p.indicator == Indicator::MinorsMentored))
}

/// The outcome figures of the slice as `viewer` may see them: flows summed from true counts,
/// the stock of minors mentored its latest figure, then hidden as the city's suppression
/// tables say. The report and `GET /api/v1/aggregates/outcome-totals` both state these.
pub async fn outcome_totals(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    slice: &Slice,
) -> Result<OutcomeTotals, ApiError> {
    // Minors mentored is a stock reported each December: the one reported the year before
    // stands until this year's report, as the re-offence chart divides by it too.
    let stock = stock_before(conn, slice, false).await?;
    let series = aggregates::outcome_series(conn, slice, false).await?;
    let mut outcomes =
        OutcomeTotals::sum(stock.iter().chain(&series).map(|p| (p.indicator, p.value)));
    if suppresses(viewer) {
        hide_outcomes(conn, slice, stock.iter().chain(&series), &mut outcomes).await?;
    }
    Ok(outcomes)
}

/// Hides the year's outcome figures a non-administrator may not see, as the city's
/// suppression tables have them: a total of the year (or of the campaign's months) that is
/// hidden there, and the stock of minors mentored when the month it was reported in is.
/// The re-offence rate then goes with either of its counts.
async fn hide_outcomes(
    conn: &mut AnyConnection,
    slice: &Slice,
    points: impl Iterator<Item = &OutcomePoint>,
    outcomes: &mut OutcomeTotals,
) -> Result<(), sqlx::Error> {
    let year = slice.from.year();
    let suppression = Suppression::of_years(conn, [year - 1, year, slice.to.year()]).await?;
    let place = place_of(&slice.filter);
    let (from, to) = (
        slice.from.format("%Y-%m").to_string(),
        slice.to.format("%Y-%m").to_string(),
    );
    for indicator in OutcomeTotals::STATED {
        if indicator != Indicator::MinorsMentored
            && suppression.covers_hidden(indicator, place, &from, &to)
        {
            outcomes.hide(indicator);
        }
    }
    let stock = points
        .filter(|p| p.indicator == Indicator::MinorsMentored)
        .last();
    if let Some(p) = stock {
        if suppression.hides_month(p.indicator, place, &p.month) {
            outcomes.hide(Indicator::MinorsMentored);
        }
    }
    Ok(())
}
