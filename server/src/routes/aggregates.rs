//! `/api/v1/aggregates/*`: the figures behind the leaders' charts and tables. Every
//! aggregate takes the same filters ([`AggregateFilter`]); the campaign defaults to the
//! one running today.

use actix_web::{web, HttpRequest, HttpResponse};
use humiao_shared::aggregate::{AggregateFilter, GroupBy};
use serde::Deserialize;

use crate::aggregates::{district_reach, resolve, sliced, suppresses, within_scope};
use crate::db::{aggregates, Db};
use crate::error::ApiError;
use crate::export::Export;
use crate::extract::Query;
use crate::viewer::Viewer;
use humiao_shared::columns::{self, Table};

pub fn configure(cfg: &mut web::ServiceConfig) {
    use super::resource;
    cfg.service(
        resource("/aggregates/sessions-by-district", "GET")
            .route(web::get().to(sessions_by_district)),
    )
    .service(resource("/aggregates/reach", "GET").route(web::get().to(reach)))
    .service(resource("/aggregates/audience", "GET").route(web::get().to(audience)))
    .service(
        resource("/aggregates/screening-coverage", "GET").route(web::get().to(screening_coverage)),
    )
    .service(resource("/aggregates/screening-reach", "GET").route(web::get().to(screening_reach)))
    .service(
        resource("/aggregates/training-coverage", "GET").route(web::get().to(training_coverage)),
    )
    .service(resource("/aggregates/outcomes", "GET").route(web::get().to(outcomes)))
    .service(resource("/aggregates/outcome-totals", "GET").route(web::get().to(outcome_totals)));
}

/// What the rows of `GET /aggregates/reach` are per.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Grouping {
    #[serde(default)]
    #[param(inline)]
    pub group_by: GroupBy,
}

async fn sessions_by_district(
    db: web::Data<Db>,
    viewer: Viewer,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (export, filter) = asked(&req, &columns::SESSIONS_BY_DISTRICT)?;
    let filter = within_scope(&db, &viewer, filter).await?;
    reply(export, district_reach(&db, &filter).await?)
}

async fn reach(
    db: web::Data<Db>,
    viewer: Viewer,
    Query(grouping): Query<Grouping>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (export, filter) = asked(&req, &columns::REACH)?;
    let filter = within_scope(&db, &viewer, filter).await?;
    let mut conn = db.pool.acquire().await?;
    let Some(slice) = resolve(&mut conn, filter).await? else {
        return reply(export, Vec::<()>::new());
    };
    let rows = aggregates::reach(&mut conn, &slice, grouping.group_by).await?;
    reply(export, rows)
}

async fn audience(
    db: web::Data<Db>,
    viewer: Viewer,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (export, filter) = asked(&req, &columns::AUDIENCE)?;
    let (mut conn, slice) = sliced(&db, &viewer, filter).await?;
    let answer = match slice {
        Some(slice) => aggregates::audience(&mut conn, &slice).await?,
        None => Default::default(),
    };
    reply(export, answer)
}

async fn screening_coverage(
    db: web::Data<Db>,
    viewer: Viewer,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (export, filter) = asked(&req, &columns::SCREENING_COVERAGE)?;
    let (mut conn, slice) = sliced(&db, &viewer, filter).await?;
    let answer = match slice {
        Some(slice) => aggregates::screening_coverage(&mut conn, &slice).await?,
        None => Vec::new(),
    };
    reply(export, answer)
}

async fn screening_reach(
    db: web::Data<Db>,
    viewer: Viewer,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (export, filter) = asked(&req, &columns::SCREENING_REACH)?;
    let (mut conn, slice) = sliced(&db, &viewer, filter).await?;
    let answer = match slice {
        Some(slice) => aggregates::screening_reach(&mut conn, &slice).await?,
        None => Default::default(),
    };
    reply(export, answer)
}

async fn training_coverage(
    db: web::Data<Db>,
    viewer: Viewer,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (export, filter) = asked(&req, &columns::TRAINING_COVERAGE)?;
    let (mut conn, slice) = sliced(&db, &viewer, filter).await?;
    let answer = match slice {
        Some(slice) => aggregates::training_coverage(&mut conn, &slice).await?,
        None => Default::default(),
    };
    reply(export, answer)
}

async fn outcomes(
    db: web::Data<Db>,
    viewer: Viewer,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (export, filter) = asked(&req, &columns::OUTCOME_SERIES)?;
    let (mut conn, slice) = sliced(&db, &viewer, filter).await?;
    let series = match slice {
        Some(slice) => aggregates::outcome_series(&mut conn, &slice, suppresses(&viewer)).await?,
        None => Vec::new(),
    };
    reply(export, series)
}

/// The outcome figures of the whole slice, hidden as the report hides them: a total of a
/// year can be shown when some of its months are not, so the dashboard asks for these
/// rather than adding up the months.
async fn outcome_totals(
    db: web::Data<Db>,
    viewer: Viewer,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (export, filter) = asked(&req, &columns::OUTCOME_TOTALS)?;
    let (mut conn, slice) = sliced(&db, &viewer, filter).await?;
    let totals = match slice {
        Some(slice) => crate::aggregates::outcome_totals(&mut conn, &viewer, &slice).await?,
        None => Default::default(),
    };
    reply(export, totals)
}

/// The filters and the file asked for, if any: the aggregates' `format` is also the
/// session format filter (see [`crate::export::split_format`]).
fn asked(
    req: &HttpRequest,
    table: &'static Table,
) -> Result<(Option<Export>, AggregateFilter), ApiError> {
    let (format, filter) = crate::export::split_format(req)?;
    Ok((Export::asked(req, format, table), filter))
}

/// The answer as JSON, or as the file asked for.
fn reply<T: serde::Serialize + 'static>(
    export: Option<Export>,
    answer: T,
) -> Result<HttpResponse, ApiError> {
    match export {
        Some(export) => crate::export::respond_with(export, answer),
        None => Ok(HttpResponse::Ok().json(answer)),
    }
}
