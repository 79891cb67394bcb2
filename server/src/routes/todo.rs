//! `GET /api/v1/todo`: the signed-in person's 待办 and its count (see
//! `humiao_shared::todo` for who sees what); `GET /api/v1/todo/reminders`: the stations that
//! have not submitted a month, as an Excel file for the WeChat groups (or CSV, or JSON for
//! the printable page).

use actix_web::{web, HttpRequest, HttpResponse};
use humiao_shared::account::Role;
use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::returns;
use humiao_shared::todo::{self, Todo};
use serde::Deserialize;

use crate::db::Db;
use crate::error::ApiError;
use crate::export::{Export, Format};
use crate::extract::Query;
use crate::viewer::{Scope, Viewer};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(super::resource("/todo", "GET").route(web::get().to(get)))
        .service(super::resource("/todo/reminders", "GET").route(web::get().to(reminders)));
}

async fn get(db: web::Data<Db>, viewer: Viewer) -> Result<HttpResponse, ApiError> {
    let today = crate::clock::today();
    let mut conn = db.pool.acquire().await?;
    let conn = &mut *conn;
    let items = match (viewer.role, viewer.scope) {
        (Role::Officer, Scope::Station { station, .. }) => {
            crate::db::todo::officer(conn, station, today).await?
        }
        (Role::Leader, Scope::District(_)) => {
            crate::db::todo::district_leader(conn, &viewer, today).await?
        }
        (Role::Leader, Scope::City(_) | Scope::All) => {
            crate::db::todo::city_leader(conn, &viewer).await?
        }
        (Role::School, Scope::School { school, .. }) => {
            crate::db::todo::school(conn, school, viewer.campaign, today).await?
        }
        // Administrators only reopen, when asked: nothing waits on them.
        _ => Vec::new(),
    };
    Ok(HttpResponse::Ok().json(Todo::of(items)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReminderQuery {
    /// `YYYY-MM`, a month that has begun; the last ended month when left out.
    month: Option<String>,
    /// `xlsx` (the default), `csv`, or `json` for the rows themselves.
    #[param(inline)]
    format: Option<Format>,
}

/// Leaders and administrators, over the stations of their scope: the people who chase the
/// stations in the groups. An officer has its own months in 待办; a school has none.
/// The file is the whole list (a province's month is at most one row per station).
async fn reminders(
    req: HttpRequest,
    db: web::Data<Db>,
    viewer: Viewer,
    Query(q): Query<ReminderQuery>,
) -> Result<HttpResponse, ApiError> {
    if !matches!(viewer.role, Role::Leader | Role::Admin) {
        // Refusals are audited, as everywhere else.
        let denied = crate::db::audit::Event::denied(&viewer, "reminders", 0);
        crate::db::audit::event(&db.pool, &denied).await?;
        return Err(ApiError::Forbidden);
    }
    let today = crate::clock::today();
    let first = match q.month.as_deref() {
        None => todo::last_ended_month(today),
        Some(text) => {
            let code = match returns::parse_month(text) {
                None => FieldCode::InvalidMonth,
                Some(first) if first > today => FieldCode::DateInFuture,
                Some(first) => return answer(&req, &db, q.format, &viewer, first, today).await,
            };
            let mut errors = FieldErrors::default();
            errors.push("month", code);
            return Err(ApiError::Validation(errors));
        }
    };
    answer(&req, &db, q.format, &viewer, first, today).await
}

async fn answer(
    req: &HttpRequest,
    db: &Db,
    format: Option<Format>,
    viewer: &Viewer,
    first: chrono::NaiveDate,
    today: chrono::NaiveDate,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db.pool.acquire().await?;
    let rows = crate::db::todo::reminders(&mut conn, viewer, first, today).await?;
    let format = Some(format.unwrap_or(Format::Xlsx));
    match Export::asked(req, format, &humiao_shared::columns::REMINDERS) {
        Some(export) => crate::export::respond_with(export, rows),
        None => Ok(HttpResponse::Ok().json(rows)),
    }
}
