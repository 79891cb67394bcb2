//! `GET /report/{year}`: the year's work report as a printable A4 page, for the viewer's
//! scope (a city's leader's report is the city's, a district leader's the district's, an
//! officer's the station's).
//!
//! It is a page, not an API answer: errors are pages too (sign in, not allowed, no such
//! year), so a leader who opens a bookmark reads a sentence rather than JSON. The figures
//! come from the same aggregate queries as the dashboards (`db::aggregates`), narrowed by
//! the same scope rule (`aggregates::within_scope`); the wording is in
//! `humiao_shared::report`, the layout in [`page`].

mod page;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use humiao_shared::aggregate::AggregateFilter;
use humiao_shared::report::{issuing_unit, ReportScope, YearFigures};
use humiao_shared::Lang;
use serde::Deserialize;
use sqlx::AnyConnection;

use crate::aggregates::{outcome_totals, resolve, within_scope};
use crate::db::{aggregates, Db};
use crate::error::{lang_of, ApiError};
use crate::viewer::Viewer;

/// The first and last years a report may be asked for; any other is no report at all.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

pub fn configure(cfg: &mut web::ServiceConfig) {
    // Its own 405 (a page's, without a JSON body), so recorded rather than mounted with
    // `mount::resource`.
    crate::mount::record("/report/{year}", "GET");
    // The 打印 button's script, a file of the site's own: the CSP allows no inline script.
    // Not an operation of the API (like `/boot.js`), so neither recorded nor documented.
    cfg.service(
        web::resource("/report/print.js")
            .route(web::get().to(|| async {
                HttpResponse::Ok()
                    .content_type("text/javascript; charset=utf-8")
                    .insert_header(("Cache-Control", "public, max-age=3600"))
                    .body(page::PRINT_SCRIPT)
            }))
            .default_service(web::to(method_not_allowed)),
    );
    cfg.service(
        web::resource("/report/{year}")
            .route(web::get().to(report))
            .default_service(web::to(method_not_allowed)),
    );
}

/// A page's 405, without a JSON body.
async fn method_not_allowed() -> HttpResponse {
    HttpResponse::MethodNotAllowed()
        .insert_header(("Allow", "GET"))
        .finish()
}

/// What the address may add to the year.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ReportQuery {
    /// `zh` or `en`; overrides `Accept-Language`.
    #[param(inline)]
    pub lang: Option<Lang>,
    /// One city's report (a city leader's is always their city's).
    pub city_id: Option<i64>,
    /// One district's report (a district leader's is always their district's).
    pub district_id: Option<i64>,
    /// One station's report (an officer's is always their station's).
    pub station_id: Option<i64>,
}

async fn report(
    req: HttpRequest,
    db: web::Data<Db>,
    viewer: Result<Viewer, ApiError>,
    year: web::Path<String>,
) -> HttpResponse {
    let query = serde_urlencoded::from_str::<ReportQuery>(req.query_string());
    let lang = query
        .as_ref()
        .ok()
        .and_then(|q| q.lang)
        .unwrap_or_else(|| lang_of(&req));
    let year = year.parse::<i32>().ok().filter(|y| YEARS.contains(y));
    let answer = match (year, query, viewer) {
        (None, _, _) => Err(ApiError::NotFound),
        (_, Err(_), _) => Err(ApiError::InvalidQuery {
            field: "query".into(),
        }),
        (Some(_), Ok(_), Err(e)) => Err(e),
        (Some(year), Ok(query), Ok(viewer)) => figures(&db, &viewer, year, &query)
            .await
            .map(|found| page::report(year, found, &query, lang)),
    };
    match answer {
        Ok(html) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(html),
        Err(e) => error_page(&e, lang),
    }
}

/// The error as a page in the reader's language: signed-out readers are sent to sign in.
fn error_page(error: &ApiError, lang: Lang) -> HttpResponse {
    // Logs as every API error does (internal causes in full).
    let status = error.error_response().status();
    let signed_out = status == StatusCode::UNAUTHORIZED;
    let mut res = HttpResponse::build(status);
    if status == StatusCode::SERVICE_UNAVAILABLE {
        res.insert_header(("Retry-After", "5"));
    }
    let message = if signed_out {
        lang.pick(
            "请先登录，再打开本报告。",
            "Please sign in first, then open this report again.",
        )
        .to_string()
    } else {
        error.body(lang).message
    };
    res.content_type("text/html; charset=utf-8")
        .body(page::message(&message, signed_out, lang))
}

/// Whose report it is: the place it covers and the unit that issues it.
pub struct Issuer {
    pub scope: ReportScope,
    /// 发文单位, e.g. 常州市公安局天宁分局; `None` for a database of several cities asked
    /// for all of them at once, which no one bureau issues.
    pub unit: Option<String>,
}

/// The year's figures for the viewer's scope: `Err` when the viewer may not see this
/// scope; the scope alone (no figures) when there was no campaign that year.
async fn figures(
    db: &Db,
    viewer: &Viewer,
    year: i32,
    query: &ReportQuery,
) -> Result<(Issuer, Option<YearFigures>), ApiError> {
    let filter = within_scope(
        db,
        viewer,
        AggregateFilter {
            year: Some(year),
            city_id: query.city_id,
            district_id: query.district_id,
            station_id: query.station_id,
            ..Default::default()
        },
    )
    .await?;
    let mut conn = db.pool.acquire().await?;
    let issuer = issuer_of(&mut conn, &filter).await?;
    let scope = issuer.scope.clone();
    let slice = match resolve(&mut conn, filter).await {
        Ok(Some(slice)) => slice,
        Ok(None) | Err(ApiError::NotFound) => return Ok((issuer, None)),
        Err(e) => return Err(e),
    };
    let audience = aggregates::audience(&mut conn, &slice).await?;
    let screening = aggregates::screening_reach(&mut conn, &slice).await?;
    let training = aggregates::training_coverage(&mut conn, &slice).await?;
    let outcomes = outcome_totals(&mut conn, viewer, &slice).await?;
    let (stations, workstations) = workstations(&mut conn, &slice.filter).await?;
    let returns = crate::aggregates::completeness::report_returns(&mut conn, &slice).await?;
    let figures = YearFigures {
        year,
        campaign: slice.campaign.clone(),
        scope,
        period: (slice.from, slice.to),
        stations,
        workstations,
        training,
        audience,
        screening,
        outcomes,
        returns,
    };
    Ok((issuer, Some(figures)))
}

/// The place a (scoped) filter covers and its issuing unit, from the names of the place
/// and of those above it (a district's report is issued by 常州市公安局天宁分局).
async fn issuer_of(conn: &mut AnyConnection, filter: &AggregateFilter) -> Result<Issuer, ApiError> {
    let (sql, id) = match (filter.station_id, filter.district_id, filter.city_id) {
        (Some(id), _, _) => (
            "SELECT c.name, d.name, s.name FROM stations s
             JOIN districts d ON d.id = s.district_id JOIN cities c ON c.id = d.city_id
             WHERE s.id = $1 AND s.deleted_at IS NULL",
            id,
        ),
        (None, Some(id), _) => (
            "SELECT c.name, d.name, CAST('' AS TEXT) FROM districts d JOIN cities c ON c.id = d.city_id
             WHERE d.id = $1 AND d.deleted_at IS NULL",
            id,
        ),
        (None, None, Some(id)) => (
            "SELECT name, CAST('' AS TEXT), CAST('' AS TEXT) FROM cities WHERE id = $1 AND deleted_at IS NULL",
            id,
        ),
        (None, None, None) => {
            // The whole database: issued by its city when it holds one.
            let cities: Vec<(String,)> =
                sqlx::query_as("SELECT name FROM cities WHERE deleted_at IS NULL LIMIT 2")
                    .fetch_all(&mut *conn)
                    .await?;
            let unit = match cities.as_slice() {
                [(name,)] => Some(name.clone()),
                _ => None,
            };
            return Ok(Issuer {
                scope: ReportScope::All,
                unit,
            });
        }
    };
    let (city, district, station): (String, String, String) = sqlx::query_as(sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(ApiError::NotFound)?;
    let unit = issuing_unit(&[&city, &district, &station]);
    let scope = match (filter.station_id, filter.district_id) {
        (Some(_), _) => ReportScope::Station(station),
        (None, Some(_)) => ReportScope::District(district),
        (None, None) => ReportScope::City(city),
    };
    Ok(Issuer {
        scope,
        unit: Some(unit),
    })
}

/// Live stations in the filter's place, and those with a care workstation.
async fn workstations(
    conn: &mut AnyConnection,
    filter: &AggregateFilter,
) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT COUNT(*),
                CAST(COALESCE(SUM(CASE WHEN workstation IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT)
         FROM stations
         WHERE deleted_at IS NULL AND ($1 IS NULL OR district_id = $1) AND ($2 IS NULL OR id = $2)
           AND ($3 IS NULL OR district_id IN (SELECT d.id FROM districts d WHERE d.city_id = $3))",
    )
    .bind(filter.district_id)
    .bind(filter.station_id)
    .bind(filter.city_id)
    .fetch_one(&mut *conn)
    .await
}
