//! `GET /api/v1/dashboard`: every figure of the leaders' page for one slice, on one
//! connection in a dozen plain queries, most of them over the rollups. The figures come
//! from the same functions as `/api/v1/aggregates/*` and the report, so all three agree.
//!
//! Work figures (sessions, 人次) are counted where the session's station is; coverage
//! figures (schools covered, unique students) where the school is (DOMAIN.md).

use std::collections::BTreeMap;

use humiao_shared::aggregate::{largest, AggregateFilter, FilmCoverage, GroupBy, ReachRow};
use humiao_shared::charts::TOP_STATIONS;
use humiao_shared::dashboard::{level_of, Coverage, Dashboard, PlaceCoverage, SliceInfo};
use sqlx::AnyConnection;

use super::{outcomes, resolve, within_scope, Slice};
use crate::db::aggregates::{
    self, coverage_of, reach, school_reach, work_summary, SchoolReach, IN_CITY,
};
use crate::db::where_clause::Conditions;
use crate::db::{day, district_figures, Db};
use crate::error::ApiError;
use crate::viewer::Viewer;

/// The dashboard of `filter` as `viewer` may see it (schools have none: 403; a place or
/// topic outside the viewer's scope: 404).
pub async fn dashboard(
    db: &Db,
    viewer: &Viewer,
    filter: AggregateFilter,
) -> Result<Dashboard, ApiError> {
    let filter = within_scope(db, viewer, filter).await?;
    let mut conn = db.pool.acquire().await?;
    let (cities,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM cities")
        .fetch_one(&mut *conn)
        .await?;
    let level = level_of(&filter, cities);
    let Some(slice) = resolve(&mut conn, filter).await? else {
        return Ok(Dashboard {
            level,
            ..Default::default()
        });
    };
    let by_month = reach(&mut conn, &slice, GroupBy::Month).await?;
    let Places {
        places,
        coverage,
        coverage_by_place,
        films,
    } = if district_figures::applies_to(&slice)
        && matches!(level, GroupBy::City | GroupBy::District)
    {
        // A city or the province: per-district figures, kept between requests.
        let kept = district_figures::district_figures(&mut conn, &db.figures, &slice).await?;
        let per_place = kept.per(|district, city| {
            if level == GroupBy::City {
                city
            } else {
                district
            }
        });
        let places = places_of(&mut conn, &slice, level).await?;
        let coverage_by_place = places
            .iter()
            .map(|(key, label)| PlaceCoverage {
                key: key.clone(),
                label: label.clone(),
                coverage: key
                    .parse::<i64>()
                    .ok()
                    .and_then(|id| per_place.get(&id).cloned())
                    .unwrap_or_default(),
            })
            .collect();
        Places {
            coverage: kept.total(),
            coverage_by_place,
            films: kept.films,
            places,
        }
    } else {
        let schools = school_reach(&mut conn, &slice).await?;
        let places = places(&mut conn, &slice, level, &schools).await?;
        Places {
            coverage: coverage_of(&schools),
            coverage_by_place: coverage_per_place(&places, level, &schools),
            films: aggregates::screening_coverage(&mut conn, &slice).await?,
            places,
        }
    };
    let summary = work_summary(&by_month, &coverage);
    let by_place = every_place(&places, reach(&mut conn, &slice, level).await?);
    // The station chart names the largest stations; a province's thousand are counted,
    // not sent.
    let (by_station, stations) = if level == GroupBy::Station {
        (largest(&by_place, TOP_STATIONS), places.len())
    } else {
        let stations = count_places(&mut conn, &slice, GroupBy::Station).await?;
        let top = aggregates::top_stations(&mut conn, &slice, TOP_STATIONS).await?;
        (top, stations)
    };
    let by_topic = reach(&mut conn, &slice, GroupBy::Topic).await?;
    let training = aggregates::training_coverage(&mut conn, &slice).await?;
    let outcomes = outcomes(&mut conn, viewer, &slice).await?;
    let reviewed = super::completeness::reviewed_badge(&mut conn, &slice).await?;
    let settings = crate::records::registers::settings(&mut conn).await?;
    let contacts_on_time = crate::db::derived::contacts_on_time_by_month(
        &mut conn,
        &slice,
        &settings,
        super::suppresses(viewer),
    )
    .await?;
    Ok(Dashboard {
        slice: Some(SliceInfo {
            campaign_id: slice.campaign_id,
            campaign: slice.campaign.clone(),
            year: slice.year,
            from: slice.from,
            to: slice.to,
        }),
        level,
        summary,
        coverage,
        training,
        reoffence_rate: outcomes.reoffence_rate,
        outcome_series: outcomes.series,
        reoffence_by_month: outcomes.reoffence_by_month,
        contacts_on_time,
        followed_up_in_time: outcomes.followed_up_in_time,
        outcomes: outcomes.totals,
        by_place,
        by_month,
        by_topic,
        by_station,
        stations: stations as u64,
        coverage_by_place,
        films,
        reviewed,
    })
}

/// A place of the level shown: its id as text and its name.
type PlaceName = (String, String);

/// The places of the level shown and the coverage figures, in total, per place and per film.
struct Places {
    places: Vec<PlaceName>,
    coverage: Coverage,
    coverage_by_place: Vec<PlaceCoverage>,
    films: Vec<FilmCoverage>,
}

/// Every place of `level` in the slice's scope, in the order lists show them. Schools are
/// those of `schools` (already the slice's).
async fn places(
    conn: &mut AnyConnection,
    slice: &Slice,
    level: GroupBy,
    schools: &[SchoolReach],
) -> Result<Vec<PlaceName>, sqlx::Error> {
    if level == GroupBy::School {
        return Ok(schools
            .iter()
            .map(|s| (s.school_id.to_string(), s.name.clone()))
            .collect());
    }
    places_of(conn, slice, level).await
}

/// Every city, district or station of the slice's scope (live, and for stations active
/// at some time in the slice).
async fn places_of(
    conn: &mut AnyConnection,
    slice: &Slice,
    level: GroupBy,
) -> Result<Vec<PlaceName>, sqlx::Error> {
    let (from, c) = scope_of(slice, level);
    let (columns, order) = match level {
        GroupBy::City => ("cy.id, cy.name", "cy.id"),
        GroupBy::District => ("d.id, d.name", "d.sort_order, d.id"),
        _ => ("st.id, st.name", "st.id"),
    };
    let sql = format!("SELECT {columns} {from} ORDER BY {order}");
    let rows: Vec<(i64, String)> = c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect())
}

/// How many of [`places_of`] there are.
async fn count_places(
    conn: &mut AnyConnection,
    slice: &Slice,
    level: GroupBy,
) -> Result<usize, sqlx::Error> {
    let (from, c) = scope_of(slice, level);
    let sql = format!("SELECT COUNT(*) {from}");
    let (n,): (i64,) = c.bind(sqlx::query_as(&sql)).fetch_one(&mut *conn).await?;
    Ok(usize::try_from(n).unwrap_or_default())
}

/// `FROM … WHERE …` of the places of `level` in the slice's scope, with its conditions.
fn scope_of(slice: &Slice, level: GroupBy) -> (String, Conditions) {
    let f = &slice.filter;
    let mut c = Conditions::all();
    let from = match level {
        GroupBy::City => {
            c.eq("cy.id", f.city_id);
            "FROM cities cy"
        }
        GroupBy::District => {
            c.raw("d.deleted_at IS NULL");
            c.eq("d.city_id", f.city_id);
            c.eq("d.id", f.district_id);
            "FROM districts d"
        }
        _ => {
            c.raw("st.deleted_at IS NULL");
            c.text(
                "(st.closed_on IS NULL OR st.closed_on >= ?)",
                day(slice.from),
            );
            if let Some(city) = f.city_id {
                c.int(&format!("st.district_id {IN_CITY}"), city);
            }
            c.eq("st.district_id", f.district_id);
            c.eq("st.id", f.station_id);
            "FROM stations st"
        }
    };
    (format!("{from} WHERE {}", c.sql()), c)
}

/// `rows` with every place listed, in the places' order (a place without sessions as
/// zeros, so charts show the gap); rows of other places (a session of the slice's station
/// at a neighbour's school) follow, so the rows still add up to the summary.
fn every_place(places: &[PlaceName], rows: Vec<ReachRow>) -> Vec<ReachRow> {
    let mut by_key: BTreeMap<String, ReachRow> =
        rows.into_iter().map(|r| (r.key.clone(), r)).collect();
    let mut all: Vec<ReachRow> = places
        .iter()
        .map(|(key, label)| {
            by_key.remove(key).unwrap_or_else(|| ReachRow {
                key: key.clone(),
                label: label.clone(),
                sessions: 0,
                students: 0,
                parents: 0,
                teachers: 0,
                others: 0,
            })
        })
        .collect();
    all.extend(by_key.into_values());
    all
}

/// Coverage of each place of `level`: its own schools, whoever gave the sessions.
fn coverage_per_place(
    places: &[PlaceName],
    level: GroupBy,
    schools: &[SchoolReach],
) -> Vec<PlaceCoverage> {
    let key = |s: &SchoolReach| match level {
        GroupBy::City => s.city_id,
        GroupBy::District => s.district_id,
        GroupBy::Station => s.station_id,
        _ => s.school_id,
    };
    let mut per_place: BTreeMap<String, Vec<&SchoolReach>> = BTreeMap::new();
    for s in schools {
        per_place.entry(key(s).to_string()).or_default().push(s);
    }
    places
        .iter()
        .map(|(key, label)| PlaceCoverage {
            key: key.clone(),
            label: label.clone(),
            coverage: per_place
                .get(key)
                .map_or_else(Coverage::default, |s| coverage_of(s.iter().copied())),
        })
        .collect()
}
