//! TEMP stub (dropped at merge): a crude `GET /api/v1/dashboard` composed of the existing
//! aggregate functions, and `GET /api/v1/cities`, so that the page can be run before the
//! real endpoints exist. Nothing else depends on it.

use actix_web::{web, HttpResponse};
use humiao_shared::aggregate::{AggregateFilter, GroupBy};
use humiao_shared::dashboard::{Coverage, Dashboard, PlaceCoverage, SliceInfo};
use humiao_shared::org::City;

use crate::aggregates::{outcome_totals, resolve, suppresses, within_scope};
use crate::db::{aggregates, Db};
use crate::error::ApiError;
use crate::extract::Query;
use crate::viewer::Viewer;

pub fn configure(cfg: &mut web::ServiceConfig) {
    use super::resource;
    cfg.service(resource("/dashboard", "GET").route(web::get().to(dashboard)))
        .service(resource("/cities", "GET").route(web::get().to(cities)));
}

async fn cities(db: web::Data<Db>, _viewer: Viewer) -> Result<HttpResponse, ApiError> {
    let rows: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, code, name FROM cities ORDER BY id")
            .fetch_all(&db.pool)
            .await?;
    let cities: Vec<City> = rows
        .into_iter()
        .map(|(id, code, name)| City { id, code, name })
        .collect();
    Ok(HttpResponse::Ok().json(cities))
}

async fn dashboard(
    db: web::Data<Db>,
    viewer: Viewer,
    Query(filter): Query<AggregateFilter>,
) -> Result<HttpResponse, ApiError> {
    let filter = within_scope(&db, &viewer, filter).await?;
    let level = if filter.station_id.is_some() {
        GroupBy::School
    } else if filter.district_id.is_some() {
        GroupBy::Station
    } else {
        GroupBy::District
    };
    let mut conn = db.pool.acquire().await?;
    let Some((slice, window)) = resolve(&mut conn, filter.clone()).await? else {
        return Ok(HttpResponse::Ok().json(Dashboard {
            level,
            ..Default::default()
        }));
    };
    let (name, year): (String, i64) =
        sqlx::query_as("SELECT name, year FROM campaigns WHERE id = $1")
            .bind(slice.campaign_id)
            .fetch_one(&mut *conn)
            .await?;
    let summary = aggregates::audience(&mut conn, &slice).await?;
    let outcomes = outcome_totals(&mut conn, &viewer, &slice).await?;
    let by_place = aggregates::reach(&mut conn, &slice, window, level).await?;
    let mut coverage_by_place = Vec::new();
    for row in &by_place {
        let id: Option<i64> = row.key.parse().ok();
        let narrowed = match level {
            GroupBy::District => AggregateFilter {
                district_id: id,
                ..filter.clone()
            },
            GroupBy::Station => AggregateFilter {
                station_id: id,
                ..filter.clone()
            },
            _ => AggregateFilter {
                school_id: id,
                ..filter.clone()
            },
        };
        let one = crate::db::aggregates::Slice {
            filter: narrowed,
            ..slice.clone()
        };
        let a = aggregates::audience(&mut conn, &one).await?;
        coverage_by_place.push(PlaceCoverage {
            key: row.key.clone(),
            label: row.label.clone(),
            coverage: Coverage {
                schools: 0,
                schools_covered: a.schools_reached,
                unique_students: a.unique_students,
                students: a.students,
                schools_without_roll: 0,
            },
        });
    }
    let (schools,): (i64,) = {
        let sql = "SELECT COUNT(*) FROM schools s JOIN stations st ON st.id = s.station_id
             WHERE s.deleted_at IS NULL
               AND ($1 IS NULL OR st.district_id = $1)
               AND ($2 IS NULL OR s.station_id = $2)
               AND ($3 IS NULL OR s.id = $3)";
        sqlx::query_as(sql)
            .bind(filter.district_id)
            .bind(filter.station_id)
            .bind(filter.school_id)
            .fetch_one(&mut *conn)
            .await?
    };
    let reoffence_rate = match (outcomes.reoffences, outcomes.minors_mentored) {
        (Some(r), Some(m)) if m > 0 => Some(r as f64 / m as f64),
        _ => None,
    };
    let answer = Dashboard {
        slice: Some(SliceInfo {
            campaign_id: slice.campaign_id,
            campaign: name,
            year: year as i32,
            from: slice.from,
            to: slice.to,
        }),
        level,
        coverage: Coverage {
            schools,
            schools_covered: summary.schools_reached,
            unique_students: summary.unique_students,
            students: summary.students,
            schools_without_roll: 0,
        },
        summary,
        training: aggregates::training_coverage(&mut conn, &slice).await?,
        outcomes,
        reoffence_rate,
        outcome_series: aggregates::outcome_series(&mut conn, &slice, suppresses(&viewer)).await?,
        reoffence_by_month: Vec::new(),
        by_place,
        by_month: aggregates::reach(&mut conn, &slice, window, GroupBy::Month).await?,
        by_topic: aggregates::reach(&mut conn, &slice, window, GroupBy::Topic).await?,
        by_station: aggregates::reach(&mut conn, &slice, window, GroupBy::Station).await?,
        coverage_by_place,
        films: aggregates::screening_coverage(&mut conn, &slice).await?,
    };
    Ok(HttpResponse::Ok().json(answer))
}
