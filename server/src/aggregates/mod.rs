//! Aggregates: what every figure for leaders starts from, whoever asks — the dashboard's
//! `/api/v1/aggregates/*`, the charts and the yearly report all call here, so a slice means
//! the same thing in each.
//!
//! [`resolve`] turns a filter into a [`Slice`] (its campaign and days), [`within_scope`]
//! narrows the filter to the viewer's scope first, `stock` holds the outcome figures that
//! are not plain sums (minors mentored is a stock, the re-offence rate divides by it), and
//! [`dashboard`] puts every figure of the leaders' page into one answer, and
//! [`completeness`] counts the monthly returns. The SQL is in `db::aggregates` and
//! `db::completeness`.

pub mod completeness;
pub mod dashboard;
mod stock;

use chrono::NaiveDate;
use humiao_shared::account::Role;
use humiao_shared::aggregate::{AggregateFilter, GroupBy};
use humiao_shared::org::current_of;
use humiao_shared::reach::DistrictReach;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection};

use crate::clock;
use crate::db::{aggregates, date, Db};
use crate::error::ApiError;
use crate::records::named::{self, Named};
use crate::records::place::Place;
use crate::viewer::Viewer;

pub use crate::db::aggregates::Slice;
pub use stock::{outcome_totals, outcomes, Outcomes};

/// Whether `viewer` sees outcome figures suppressed: everyone but administrators, at
/// every level (see `humiao_shared::suppression`).
pub fn suppresses(viewer: &Viewer) -> bool {
    !viewer.is_admin()
}

/// The filter narrowed to the viewer's scope: a city's leader's figures are the city's
/// (`city_id`, which every query applies), a district leader's the district's, an
/// officer's the station's. Schools and volunteers have no dashboard. A place or topic outside the scope
/// or unknown is 404 (the campaign is checked where it is resolved).
pub async fn within_scope(
    db: &Db,
    viewer: &Viewer,
    mut filter: AggregateFilter,
) -> Result<AggregateFilter, ApiError> {
    if matches!(viewer.role, Role::School | Role::Volunteer) {
        let denial = crate::db::audit::Event::denied(viewer, "aggregates", 0);
        crate::db::audit::event(&db.pool, &denial).await?;
        return Err(ApiError::Forbidden);
    }
    let mut place = Place {
        city_id: filter.city_id,
        district_id: filter.district_id,
        station_id: filter.station_id,
        school_id: filter.school_id,
    };
    let mut conn = db.pool.acquire().await?;
    place.narrow_to(&mut conn, viewer).await?;
    let topic = named::given([(Named::Topic, filter.topic_id)]);
    named::check(&mut conn, viewer, &topic).await?;
    filter.city_id = place.city_id;
    filter.district_id = place.district_id;
    filter.station_id = place.station_id;
    filter.school_id = place.school_id;
    Ok(filter)
}

/// What every aggregate starts with: the filter narrowed to the viewer's scope, then its
/// campaign and days (`None` without any campaign), and a connection to read them with.
pub async fn sliced(
    db: &Db,
    viewer: &Viewer,
    filter: AggregateFilter,
) -> Result<(PoolConnection<Any>, Option<Slice>), ApiError> {
    let filter = within_scope(db, viewer, filter).await?;
    let mut conn = db.pool.acquire().await?;
    let slice = resolve(&mut conn, filter).await?;
    Ok((conn, slice))
}

/// A campaign's id, year, window and name: all that resolving a filter needs.
type CampaignWindow = (i64, i64, NaiveDate, NaiveDate, String);

/// The campaign and days a filter means. `None` when there is no campaign at all (the
/// answer is then empty); 404 when the filter names a campaign or year that does not exist.
pub async fn resolve(
    conn: &mut AnyConnection,
    filter: AggregateFilter,
) -> Result<Option<Slice>, ApiError> {
    filter.validate().map_err(ApiError::Validation)?;
    // One small query on every dashboard request: the windows, not the whole records.
    let rows: Vec<(i64, i64, String, String, String)> = sqlx::query_as(
        "SELECT id, year, starts_on, ends_on, name FROM campaigns WHERE deleted_at IS NULL",
    )
    .fetch_all(&mut *conn)
    .await?;
    let all = rows
        .into_iter()
        .map(|(id, year, starts, ends, name)| Ok((id, year, date(&starts)?, date(&ends)?, name)))
        .collect::<Result<Vec<CampaignWindow>, sqlx::Error>>()?;
    let campaign = match (filter.campaign_id, filter.year) {
        (Some(id), _) => Some(all.iter().find(|c| c.0 == id).ok_or(ApiError::NotFound)?),
        (None, Some(year)) => Some(
            all.iter()
                .find(|c| c.1 == i64::from(year))
                .ok_or(ApiError::NotFound)?,
        ),
        (None, None) => current_of(&all, |c| (c.2, c.3), clock::today()),
    };
    let Some(campaign) = campaign else {
        return Ok(None);
    };
    let window = (campaign.2, campaign.3);
    Ok(Some(Slice {
        campaign_id: campaign.0,
        campaign: campaign.4.clone(),
        year: i32::try_from(campaign.1).unwrap_or_default(),
        from: filter.from.unwrap_or(window.0),
        to: filter.to.unwrap_or(window.1),
        window,
        filter,
    }))
}

/// Sessions and audience per district for the filter's campaign; empty without campaigns.
/// The whole city (every district, even one without sessions) comes from the district
/// rollup; any narrower slice from the same figures as `reach?group_by=district`.
pub async fn district_reach(
    db: &Db,
    filter: &AggregateFilter,
) -> Result<Vec<DistrictReach>, ApiError> {
    let mut conn = db.pool.acquire().await?;
    let Some(slice) = resolve(&mut conn, filter.clone()).await? else {
        return Ok(Vec::new());
    };
    let whole_city = AggregateFilter {
        campaign_id: filter.campaign_id,
        year: filter.year,
        from: filter.from,
        to: filter.to,
        ..Default::default()
    };
    if *filter == whole_city && slice.is_whole_window() {
        return Ok(aggregates::sessions_by_district(&db.pool, slice.campaign_id).await?);
    }
    let rows = aggregates::reach(&mut conn, &slice, GroupBy::District).await?;
    Ok(rows
        .into_iter()
        .map(|r| DistrictReach {
            district_id: r.key.parse().unwrap_or_default(),
            district: r.label,
            sessions: r.sessions,
            students: r.students,
            parents: r.parents,
            teachers: r.teachers,
            others: r.others,
        })
        .collect())
}
