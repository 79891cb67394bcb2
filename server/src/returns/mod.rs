//! `/api/v1/returns`: the monthly returns (月报) and their sign-off. The rules (who may do
//! what from which state, what locks, when a month is due) are
//! [`humiao_shared::returns`]; this module finds who the viewer is to a return's station,
//! stores the move with its history and audit row in one transaction, and answers.
//!
//! - `GET /returns?year|month&district_id&station_id&state`: one return per expected station
//!   and month in the viewer's scope, up to the current month (a month no one moved is
//!   `open`, version 0).
//! - `GET /returns/{station}/{month}` (with its version as `ETag`), `…/history`, `…/summary`.
//! - `POST /returns/{station}/{month}/{action}` with `If-Match`: submit, approve, return,
//!   accept, reopen.
//! - `POST /returns/districts/{district}/{month}/accept`: the city accepts a district's
//!   month at once, only when every return there is approved.
//!
//! Someone who cannot see the station gets 404, as for records; someone who can but has no
//! say in the action gets 403 (audited); schools read no returns at all (403).

pub mod db;
pub mod digest;
pub mod locks;

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use chrono::{Datelike, NaiveDate};
use humiao_shared::account::Role;
use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::outcome::Indicator;
use humiao_shared::returns::{
    self as rules, Actor, MonthlyReturn, Refusal, ReturnAction, ReturnState, ReturnSummary,
    Timeliness, TransitionInput,
};
use humiao_shared::suppression::Place;
use serde::Deserialize;
use sqlx::AnyConnection;

use self::db::{DueDays, StationPlace, Stored};
use crate::clock;
use crate::db::audit::{self, Change, Event};
use crate::db::suppression::Suppression;
use crate::db::where_clause::Conditions;
use crate::db::Db;
use crate::error::{ApiError, Conflict};
use crate::extract::{etag, IfMatch, Json, Query};
use crate::records::named::{self, Named};
use crate::viewer::{Scope, Viewer};

/// The audit trail's name for returns.
pub const RESOURCE: &str = "returns";

pub fn configure(cfg: &mut web::ServiceConfig) {
    use crate::mount::resource;
    cfg.service(resource("/returns", "GET").route(web::get().to(list)))
        .service(
            resource("/returns/districts/{district}/{month}/accept", "POST")
                .route(web::post().to(accept_district)),
        )
        .service(resource("/returns/{station}/{month}", "GET").route(web::get().to(get)))
        .service(
            resource("/returns/{station}/{month}/history", "GET").route(web::get().to(history)),
        )
        .service(
            resource("/returns/{station}/{month}/summary", "GET").route(web::get().to(summary)),
        )
        .service(
            resource("/returns/{station}/{month}/{action}", "POST").route(web::post().to(act)),
        );
}

/// The list's filters and paging.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReturnQuery {
    /// Every month of the year up to the current one (the default: this year); with
    /// `month`, the month only if it is of this year.
    #[param(minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
    /// One month, `YYYY-MM` (instead of `year`).
    #[param(pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub month: Option<String>,
    pub district_id: Option<i64>,
    pub station_id: Option<i64>,
    #[param(inline)]
    pub state: Option<ReturnState>,
    /// Rows per page, 1–1000 (default 500).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// The page, from 1.
    #[param(minimum = 1)]
    pub page: Option<i64>,
}

/// Who the viewer is to a station's return: its officer, its district's leader, its city's
/// leader (or one of the whole database), an administrator over it, or no one.
pub fn actor_of(viewer: &Viewer, place: &StationPlace) -> Actor {
    match (viewer.role, viewer.scope) {
        (Role::Officer, Scope::Station { station, .. }) if station == place.id => {
            Actor::StationOfficer
        }
        (Role::Leader, Scope::District(d)) if d == place.district_id => Actor::DistrictLeader,
        (Role::Leader, Scope::All | Scope::City(_)) if is_city_leader(viewer, place.city_id) => {
            Actor::CityLeader
        }
        (Role::Admin, Scope::All) => Actor::Admin,
        (Role::Admin, Scope::City(c)) if c == place.city_id => Actor::Admin,
        (Role::Admin, Scope::District(d)) if d == place.district_id => Actor::Admin,
        _ => Actor::Outsider,
    }
}

/// Is the viewer a leader of `city` (or of the whole database)? The city level of the
/// sign-off, as [`actor_of`] finds it for a station of the city.
fn is_city_leader(viewer: &Viewer, city: i64) -> bool {
    match (viewer.role, viewer.scope) {
        (Role::Leader, Scope::All) => true,
        (Role::Leader, Scope::City(c)) => c == city,
        _ => false,
    }
}

/// The return as the API answers it, from the stored row (if any).
pub fn answer(
    place: &StationPlace,
    first: NaiveDate,
    stored: Option<&Stored>,
    due_days: &DueDays,
    today: NaiveDate,
) -> MonthlyReturn {
    let deadline = rules::deadline(first, due_days.of(first.year()));
    let state = stored.map_or(ReturnState::Open, |s| s.state);
    let first_submitted_on = stored.and_then(|s| s.first_submitted_on);
    let late = match rules::timeliness(state, first_submitted_on, deadline) {
        Timeliness::OnTime => false,
        Timeliness::Late => true,
        Timeliness::Missing => today > deadline,
    };
    MonthlyReturn {
        station_id: place.id,
        station_name: place.name.clone(),
        district_id: place.district_id,
        district_name: place.district_name.clone(),
        month: rules::month_of(first),
        state,
        version: stored.map_or(0, |s| s.version),
        deadline,
        first_submitted_on,
        submitted_on: stored.and_then(|s| s.submitted_on),
        late,
        reason: stored.and_then(|s| s.reason.clone()),
    }
}

/// 403, audited.
async fn denied(db: &Db, viewer: &Viewer, id: i64) -> ApiError {
    match audit::event(&db.pool, &Event::denied(viewer, RESOURCE, id)).await {
        Ok(()) => ApiError::Forbidden,
        Err(e) => e.into(),
    }
}

/// A month of the path: 422 on `month` when it is not `YYYY-MM` or has not begun.
fn begun_month(text: &str, today: NaiveDate) -> Result<NaiveDate, ApiError> {
    let mut errors = FieldErrors::default();
    match rules::parse_month(text) {
        Some(first) if first <= today => return Ok(first),
        Some(_) => errors.push("month", FieldCode::DateInFuture),
        None => errors.push("month", FieldCode::InvalidMonth),
    }
    Err(ApiError::Validation(errors))
}

/// The station of a return's path, if the viewer may read its returns: 404 for a station
/// they cannot see (or none), 403 for a school.
async fn visible_station(
    db: &Db,
    conn: &mut AnyConnection,
    viewer: &Viewer,
    station: i64,
) -> Result<StationPlace, ApiError> {
    // Schools and volunteers have no part in a station's returns.
    if matches!(viewer.role, Role::School | Role::Volunteer) {
        return Err(denied(db, viewer, 0).await);
    }
    let place = db::station(conn, station)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !named::within_scope(conn, viewer, Named::Station(station)).await? {
        return Err(ApiError::NotFound);
    }
    Ok(place)
}

/// The return of a station's month as the viewer may read it, with the stored row.
async fn read_one(
    db: &Db,
    viewer: &Viewer,
    station: i64,
    month: &str,
) -> Result<(MonthlyReturn, Option<Stored>), ApiError> {
    let mut conn = db.pool.acquire().await?;
    let place = visible_station(db, &mut conn, viewer, station).await?;
    let today = clock::today();
    let first = begun_month(month, today)?;
    let stored = db::stored(&mut conn, station, &rules::month_of(first)).await?;
    let due = DueDays::load(&mut conn).await?;
    Ok((answer(&place, first, stored.as_ref(), &due, today), stored))
}

async fn get(
    db: web::Data<Db>,
    viewer: Viewer,
    path: web::Path<(i64, String)>,
) -> Result<HttpResponse, ApiError> {
    let (station, month) = path.into_inner();
    let (current, _) = read_one(&db, &viewer, station, &month).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(current.version)))
        .json(current))
}

async fn history(
    db: web::Data<Db>,
    viewer: Viewer,
    path: web::Path<(i64, String)>,
) -> Result<HttpResponse, ApiError> {
    let (station, month) = path.into_inner();
    let (_, stored) = read_one(&db, &viewer, station, &month).await?;
    let events = match stored {
        Some(stored) => db::history(&mut *db.pool.acquire().await?, stored.id).await?,
        None => Vec::new(),
    };
    Ok(HttpResponse::Ok().json(events))
}

/// The month's figures and the warnings to look at first. Outcome values are shown as the
/// outcome list shows them to this viewer: a count the city hides from them is left out of
/// the figures and of what is usual.
async fn summary(
    db: web::Data<Db>,
    viewer: Viewer,
    path: web::Path<(i64, String)>,
) -> Result<HttpResponse, ApiError> {
    let (station, month) = path.into_inner();
    let (current, _) = read_one(&db, &viewer, station, &month).await?;
    let first = rules::parse_month(&current.month).ok_or(ApiError::NotFound)?;
    let mut conn = db.pool.acquire().await?;
    let (sessions, audience) =
        db::session_totals(&mut conn, station, first, rules::month_end(first)).await?;
    let year_before = rules::month_of(
        NaiveDate::from_ymd_opt(first.year() - 1, first.month(), 1).unwrap_or(first),
    );
    let values = db::outcome_values(&mut conn, station, &year_before, &current.month).await?;
    let suppression = if viewer.is_admin() {
        None
    } else {
        Some(Suppression::of_months(&mut conn, values.iter().map(|(m, _, _)| m.as_str())).await?)
    };
    let mut outcomes = Vec::new();
    let mut earlier: Vec<(Indicator, Vec<i64>)> = Vec::new();
    for (month, code, value) in values {
        let Some(indicator) = Indicator::from_code(&code) else {
            continue;
        };
        let shown = match &suppression {
            None => Some(value),
            Some(s) => s.month(indicator, Place::Station(station), &month, value),
        };
        let Some(value) = shown else { continue };
        if month == current.month {
            outcomes.push((indicator, value));
        } else {
            match earlier.iter_mut().find(|(i, _)| *i == indicator) {
                Some((_, values)) => values.push(value),
                None => earlier.push((indicator, vec![value])),
            }
        }
    }
    let warnings = rules::warnings(sessions, &outcomes, &earlier);
    Ok(HttpResponse::Ok().json(ReturnSummary {
        sessions,
        audience,
        outcomes,
        warnings,
    }))
}

async fn list(
    db: web::Data<Db>,
    viewer: Viewer,
    Query(q): Query<ReturnQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = q.limit.unwrap_or(500);
    if !(1..=crate::records::MAX_PAGE).contains(&limit) {
        return Err(ApiError::InvalidQuery {
            field: "limit".into(),
        });
    }
    let page = q.page.unwrap_or(1);
    if page < 1 {
        return Err(ApiError::InvalidQuery {
            field: "page".into(),
        });
    }
    let today = clock::today();
    let months = months_asked(&q, today)?;
    let mut c = Conditions::live();
    match viewer.role {
        Role::School | Role::Volunteer => return Err(denied(&db, &viewer, 0).await),
        Role::Officer => c.eq("t.id", viewer.station()),
        Role::Admin | Role::Leader => {
            crate::records::within_districts(&viewer, &mut c, "t.district_id")
        }
    }
    let mut conn = db.pool.acquire().await?;
    let asked = named::given([
        (Named::District, q.district_id),
        (Named::Station, q.station_id),
    ]);
    named::check(&mut conn, &viewer, &asked).await?;
    c.eq("t.district_id", q.district_id);
    c.eq("t.id", q.station_id);
    let rows = match (months.first(), months.last()) {
        (Some(from), Some(to)) => {
            let stations = db::stations(&mut conn, &c).await?;
            let stored = db::stored_between(
                &mut conn,
                &c,
                &rules::month_of(*from),
                &rules::month_of(*to),
            )
            .await?;
            let due = DueDays::load(&mut conn).await?;
            let mut rows = Vec::new();
            for first in &months {
                let month = rules::month_of(*first);
                for place in stations
                    .iter()
                    .filter(|s| rules::expected(*first, s.closed_on))
                {
                    let stored = stored.get(&(place.id, month.clone()));
                    let row = answer(place, *first, stored, &due, today);
                    if q.state.is_none_or(|s| s == row.state) {
                        rows.push(row);
                    }
                }
            }
            rows
        }
        _ => Vec::new(),
    };
    let total = rows.len();
    let skip = usize::try_from((page - 1).saturating_mul(limit)).unwrap_or(usize::MAX);
    let rows: Vec<MonthlyReturn> = rows.into_iter().skip(skip).take(limit as usize).collect();
    Ok(HttpResponse::Ok()
        .insert_header(("X-Total-Count", total.to_string()))
        .json(rows))
}

/// The months a list covers, first days in order, none after the current month.
fn months_asked(q: &ReturnQuery, today: NaiveDate) -> Result<Vec<NaiveDate>, ApiError> {
    let bad = |field: &str| ApiError::InvalidQuery {
        field: field.into(),
    };
    if q.year.is_some_and(|year| !(2000..=2100).contains(&year)) {
        return Err(bad("year"));
    }
    // Both are filters: a month and a year asked together leave the month if it is of
    // that year, and nothing otherwise.
    let months: Vec<NaiveDate> = match (&q.month, q.year) {
        (Some(text), year) => {
            let first = rules::parse_month(text).ok_or_else(|| bad("month"))?;
            let of_year = year.is_none_or(|year| first.year() == year);
            of_year.then_some(first).into_iter().collect()
        }
        (None, year) => {
            let year = year.unwrap_or(today.year());
            (1..=12)
                .filter_map(|m| NaiveDate::from_ymd_opt(year, m, 1))
                .collect()
        }
    };
    Ok(months.into_iter().filter(|first| *first <= today).collect())
}

/// A transition: finds who the viewer is to the station, asks the rules, and stores the
/// move, its history row and its audit row in one transaction.
async fn act(
    db: web::Data<Db>,
    viewer: Viewer,
    path: web::Path<(i64, String, String)>,
    IfMatch(version): IfMatch,
    Json(input): Json<TransitionInput>,
) -> Result<HttpResponse, ApiError> {
    let (station, month, action) = path.into_inner();
    let action = ReturnAction::from_code(&action).ok_or(ApiError::NotFound)?;
    // Refused before the write transaction begins: `denied` audits on a connection of its
    // own, which on SQLite would wait for this transaction's write lock.
    if matches!(viewer.role, Role::School | Role::Volunteer) {
        return Err(denied(&db, &viewer, 0).await);
    }
    let version = version.ok_or(ApiError::PreconditionRequired)?;
    let today = clock::today();
    let mut tx = db.write_tx().await?;
    let place = visible_station(&db, &mut tx, &viewer, station).await?;
    let first = begun_month(&month, today)?;
    let month = rules::month_of(first);
    // Writes of the month under way finish first; later ones see the new state.
    locks::hold(&mut tx, db.engine, &[(station, first)]).await?;
    let stored = db::stored(&mut tx, station, &month).await?;
    let due = DueDays::load(&mut tx).await?;
    let current = answer(&place, first, stored.as_ref(), &due, today);
    let actor = actor_of(&viewer, &place);
    let to = rules::transition(current.state, action, actor);
    if to == Err(Refusal::NotTheirs) {
        drop(tx);
        return Err(denied(&db, &viewer, stored.map_or(0, |s| s.id)).await);
    }
    if !rules::expected(first, place.closed_on) {
        return Err(conflict(Conflict::StationClosed, &current));
    }
    let reason = input.validate(action).map_err(ApiError::Validation)?;
    if version != current.version {
        return Err(conflict(Conflict::EditConflict, &current));
    }
    let Ok(to) = to else {
        return Err(conflict(Conflict::InvalidTransition, &current));
    };
    let after = apply(
        &mut tx,
        &viewer,
        Move {
            place: &place,
            first,
            stored: stored.as_ref(),
            before: &current,
            action,
            to,
            reason: reason.as_deref(),
            today,
            due: &due,
        },
    )
    .await?;
    let Some(after) = after else {
        // Another request moved it first: answer with the return as it is now.
        drop(tx);
        let (now, _) = read_one(&db, &viewer, station, &month).await?;
        return Err(conflict(Conflict::EditConflict, &now));
    };
    tx.commit().await?;
    tracing::info!(station, month, action = action.code(), "return moved");
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(after.version)))
        .json(after))
}

fn conflict(code: Conflict, current: &MonthlyReturn) -> ApiError {
    match serde_json::to_value(current) {
        Ok(current) => ApiError::Conflict { code, current },
        Err(e) => ApiError::Internal(e.into()),
    }
}

/// One return's move, as the rules allowed it.
struct Move<'a> {
    place: &'a StationPlace,
    first: NaiveDate,
    stored: Option<&'a Stored>,
    before: &'a MonthlyReturn,
    action: ReturnAction,
    to: ReturnState,
    reason: Option<&'a str>,
    today: NaiveDate,
    due: &'a DueDays,
}

/// Stores a move with its history and audit rows; `None` when another request moved the
/// return first (its version is no longer the one read).
async fn apply(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    viewer: &Viewer,
    m: Move<'_>,
) -> Result<Option<MonthlyReturn>, ApiError> {
    let month = rules::month_of(m.first);
    let submitting = m.action == ReturnAction::Submit;
    let first_submitted_on = match (m.before.first_submitted_on, submitting) {
        (None, true) => Some(m.today),
        (first, _) => first,
    };
    // A submission clears the last reason; a return or a reopen says its own; approving
    // and accepting leave it (there is none: they follow a submission).
    let reason = match m.action {
        ReturnAction::Submit => None,
        ReturnAction::Return | ReturnAction::Reopen => m.reason,
        ReturnAction::Approve | ReturnAction::Accept => m.before.reason.as_deref(),
    };
    let write = db::Write {
        station: m.place.id,
        month: &month,
        state: m.to,
        first_submitted_on,
        submitted_on: if submitting {
            Some(m.today)
        } else {
            m.before.submitted_on
        },
        reason,
    };
    let id = match m.stored {
        None => match db::insert(tx, &write).await? {
            Some(id) => id,
            None => return Ok(None),
        },
        Some(stored) => {
            if !db::update(tx, stored.id, stored.version, &write).await? {
                return Ok(None);
            }
            stored.id
        }
    };
    db::add_event(
        tx,
        &db::Step {
            return_id: id,
            actor: viewer.actor(),
            action: m.action,
            from: m.before.state,
            to: m.to,
            reason: m.reason,
        },
    )
    .await?;
    let stored = db::stored(tx, m.place.id, &month).await?;
    let after = answer(m.place, m.first, stored.as_ref(), m.due, m.today);
    let change = Change {
        actor: Some(viewer.actor()),
        action: m.action.code(),
        resource: RESOURCE,
        resource_id: id,
        before: Some(m.before),
        after: Some(&after),
    };
    audit::record(tx, &[change]).await?;
    Ok(Some(after))
}

/// The city accepts every approved return of a district's month, once every expected
/// return there is approved (or already accepted): "a level accepts only when every return
/// below it is approved". Answers the district's returns for the month.
async fn accept_district(
    db: web::Data<Db>,
    viewer: Viewer,
    path: web::Path<(i64, String)>,
) -> Result<HttpResponse, ApiError> {
    let (district, month) = path.into_inner();
    if viewer.role == Role::School {
        return Err(denied(&db, &viewer, 0).await);
    }
    let today = clock::today();
    let mut tx = db.write_tx().await?;
    if !named::within_scope(&mut tx, &viewer, Named::District(district)).await? {
        return Err(ApiError::NotFound);
    }
    let first = begun_month(&month, today)?;
    let month = rules::month_of(first);
    let mut c = Conditions::live();
    c.eq("t.district_id", Some(district));
    let stations: Vec<StationPlace> = db::stations(&mut tx, &c)
        .await?
        .into_iter()
        .filter(|s| rules::expected(first, s.closed_on))
        .collect();
    let city = db::district_city(&mut tx, district).await?;
    if !city.is_some_and(|city| is_city_leader(&viewer, city)) {
        drop(tx);
        return Err(denied(&db, &viewer, 0).await);
    }
    let held: Vec<locks::Period> = stations.iter().map(|s| (s.id, first)).collect();
    locks::hold(&mut tx, db.engine, &held).await?;
    let stored = db::stored_between(&mut tx, &c, &month, &month).await?;
    let due = DueDays::load(&mut tx).await?;
    let before: Vec<(&StationPlace, Option<&Stored>, MonthlyReturn)> = stations
        .iter()
        .map(|place| {
            let stored = stored.get(&(place.id, month.clone()));
            (place, stored, answer(place, first, stored, &due, today))
        })
        .collect();
    let waiting: Vec<&MonthlyReturn> = before
        .iter()
        .map(|(_, _, r)| r)
        .filter(|r| !matches!(r.state, ReturnState::Approved | ReturnState::Accepted))
        .collect();
    if !waiting.is_empty() {
        let current = serde_json::to_value(&waiting).map_err(|e| ApiError::Internal(e.into()))?;
        return Err(ApiError::Conflict {
            code: Conflict::NotAllApproved,
            current,
        });
    }
    let mut answers = Vec::new();
    for (place, stored, current) in &before {
        if current.state != ReturnState::Approved {
            answers.push(current.clone());
            continue;
        }
        let moved = apply(
            &mut tx,
            &viewer,
            Move {
                place,
                first,
                stored: *stored,
                before: current,
                action: ReturnAction::Accept,
                to: ReturnState::Accepted,
                reason: None,
                today,
                due: &due,
            },
        )
        .await?;
        // Nothing else moves a return while this transaction holds the district's rows
        // (SQLite) — on PostgreSQL a racing move makes this one a conflict to retry.
        let Some(moved) = moved else {
            drop(tx);
            return Err(conflict(Conflict::EditConflict, current));
        };
        answers.push(moved);
    }
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(answers))
}
