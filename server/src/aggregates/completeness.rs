//! Completeness and timeliness of the monthly returns, and of the screening windows, for
//! `GET /api/v1/completeness`, the dashboard's "已审核" badge and the annual report. The
//! counting is `humiao_shared::returns::completeness`; the rows come from
//! `db::completeness`, scoped as the dashboard is ([`within_scope`]).

use chrono::Datelike;
use humiao_shared::aggregate::{AggregateFilter, GroupBy};
use humiao_shared::dashboard::level_of;
use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::returns::completeness::{
    count, days_left, months_between, months_of_year, Completeness, CompletenessQuery,
    ReturnsCompleteness, ReviewedBadge, ScreeningCompleteness, YEARS,
};
use humiao_shared::returns::{expected, month_of, CompletenessCounts};
use sqlx::AnyConnection;

use super::{within_scope, Slice};
use crate::clock;
use crate::db::completeness::{
    accepted_count, assignments, campaign_of, closing_days, stations, stored_returns,
};
use crate::db::Db;
use crate::error::ApiError;
use crate::viewer::Viewer;

/// A year's completeness in the place `query` names, as `viewer` may see it (schools: 403;
/// a place outside the scope: 404; an officer: the station).
pub async fn completeness(
    db: &Db,
    viewer: &Viewer,
    query: CompletenessQuery,
) -> Result<Completeness, ApiError> {
    let today = clock::today();
    let year = query.year.unwrap_or(today.year());
    if !YEARS.contains(&year) {
        let mut errors = FieldErrors::default();
        errors.push("year", FieldCode::InvalidDate);
        return Err(ApiError::Validation(errors));
    }
    let place = AggregateFilter {
        city_id: query.city_id,
        district_id: query.district_id,
        station_id: query.station_id,
        ..Default::default()
    };
    let place = within_scope(db, viewer, place).await?;
    let mut conn = db.pool.acquire().await?;
    let (cities,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM cities")
        .fetch_one(&mut *conn)
        .await?;
    // One level down, as the dashboard's rows; a station counts itself.
    let level = match level_of(&place, cities) {
        GroupBy::School => GroupBy::Station,
        level => level,
    };
    let (campaign, due_days) = campaign_of(&mut conn, year).await?;
    let returns = year_returns(&mut conn, &place, level, year, due_days).await?;
    let screenings = match campaign {
        Some((id, name, starts, ends)) => {
            let slice = Slice {
                filter: place,
                campaign_id: id,
                campaign: name,
                year,
                from: starts,
                to: ends,
                window: (starts, ends),
            };
            assignments(&mut conn, &db.figures, &slice)
                .await?
                .into_iter()
                .map(
                    |(assignment_id, title, opens_on, closes_on, schools, confirmed)| {
                        ScreeningCompleteness {
                            assignment_id,
                            title,
                            opens_on,
                            closes_on,
                            schools,
                            confirmed,
                            not_yet: schools - confirmed,
                            days_left: days_left(opens_on, closes_on, today),
                            closed: today > closes_on,
                        }
                    },
                )
                .collect()
        }
        None => Vec::new(),
    };
    Ok(Completeness {
        year,
        level,
        due_days,
        returns,
        screenings,
    })
}

/// The returns of `year`'s months up to the current one in `place` (narrowed to the
/// viewer), per month and per place of `level`.
async fn year_returns(
    conn: &mut AnyConnection,
    place: &AggregateFilter,
    level: GroupBy,
    year: i32,
    due_days: i64,
) -> Result<ReturnsCompleteness, sqlx::Error> {
    let months = months_of_year(year, clock::today());
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return Ok(ReturnsCompleteness::default());
    };
    let span = (month_of(*first), month_of(*last));
    let counted = stations(conn, place, level, *first).await?;
    let stored = stored_returns(conn, place, (&span.0, &span.1)).await?;
    Ok(count(&months, due_days, &counted, &stored))
}

/// The year's returns in the slice's place, all months together: what the annual report
/// states.
pub async fn report_returns(
    conn: &mut AnyConnection,
    slice: &Slice,
) -> Result<CompletenessCounts, sqlx::Error> {
    let (_, due_days) = campaign_of(conn, slice.year).await?;
    let returns = year_returns(conn, &slice.filter, GroupBy::Station, slice.year, due_days);
    Ok(returns.await?.total)
}

/// Returns accepted of returns expected over the slice's months (up to the current one)
/// in its place: the dashboard's "X / Y 个所月报已审核". On every dashboard request, so it
/// reads counts, not rows: the stations per closing day, and the accepted returns.
pub async fn reviewed_badge(
    conn: &mut AnyConnection,
    slice: &Slice,
) -> Result<ReviewedBadge, sqlx::Error> {
    let months = months_between(slice.from, slice.to, clock::today());
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return Ok(ReviewedBadge::default());
    };
    let closing = closing_days(conn, &slice.filter, *first).await?;
    let expected = months
        .iter()
        .flat_map(|m| closing.iter().filter(|(closed, _)| expected(*m, *closed)))
        .map(|(_, n)| n)
        .sum();
    let span = (month_of(*first), month_of(*last));
    let accepted = accepted_count(conn, &slice.filter, (&span.0, &span.1)).await?;
    Ok(ReviewedBadge { accepted, expected })
}
