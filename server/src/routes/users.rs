//! `/api/v1/users`: the accounts, for administrators only — list them, add one with its
//! first password, disable or enable one, set a new password. Everyone else gets 403
//! (audited), no one signed in 401. A city's administrators see and manage the accounts of
//! their city only (another city's account is 404 to them), and add none beyond it.
//!
//! Every change is in the audit trail with the account before and after; a password never
//! is, nor is it logged, nor kept anywhere but as its argon2id hash. Disabling an account
//! or setting its password ends its sessions at once (those live in the database, so on
//! every instance).

use actix_web::{web, HttpRequest, HttpResponse};
use humiao_shared::account::{Account, NewAccount, NewPassword, Role};
use humiao_shared::error::{FieldCode, FieldErrors};
use serde::Serialize;
use sqlx::{Any, Transaction};

use crate::auth::{password, token_of};
use crate::db::audit::{self, Change, Event};
use crate::db::idempotency::{self, Create, Lost, Next, Pending};
use crate::db::{accounts, Db};
use crate::error::{ApiError, Conflict};
use crate::extract::{IdempotencyKey, Json};
use crate::viewer::{Scope, Viewer};

/// The audit trail's name for accounts (also used by logins).
const RESOURCE: &str = "users";

pub fn configure(cfg: &mut web::ServiceConfig) {
    use super::resource;
    cfg.service(
        resource("/users", "GET, POST")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(resource("/users/{id}/disable", "POST").route(web::post().to(disable)))
    .service(resource("/users/{id}/enable", "POST").route(web::post().to(enable)))
    .service(resource("/users/{id}/password", "POST").route(web::post().to(set_password)));
}

/// 403 (audited) for anyone but an administrator; the city an administrator of one city
/// manages the accounts of (`None`: every account).
async fn admin_only(db: &Db, viewer: &Viewer) -> Result<Option<i64>, ApiError> {
    match (viewer.is_admin(), viewer.scope) {
        (true, Scope::City(city)) => return Ok(Some(city)),
        (true, _) => return Ok(None),
        (false, _) => {}
    }
    audit::event(&db.pool, &Event::denied(viewer, RESOURCE, 0)).await?;
    Err(ApiError::Forbidden)
}

async fn list(db: web::Data<Db>, viewer: Viewer) -> Result<HttpResponse, ApiError> {
    let city = admin_only(&db, &viewer).await?;
    let mut conn = db.pool.acquire().await?;
    Ok(HttpResponse::Ok().json(accounts::accounts(&mut conn, city).await?))
}

/// What makes two create requests the same one for their idempotency key: everything but
/// the password, which is kept nowhere but in the account's hash (a plain SHA-256 of a
/// request holding it would be one that can be guessed at offline).
#[derive(Serialize)]
struct Fingerprint<'a> {
    username: &'a str,
    role: Option<Role>,
    // Left out when absent, so that requests from before cities keep their fingerprints.
    #[serde(skip_serializing_if = "Option::is_none")]
    city_id: Option<i64>,
    district_id: Option<i64>,
    station_id: Option<i64>,
    school_id: Option<i64>,
}

async fn create(
    db: web::Data<Db>,
    viewer: Viewer,
    IdempotencyKey(key): IdempotencyKey,
    Json(input): Json<NewAccount>,
) -> Result<HttpResponse, ApiError> {
    let managed = admin_only(&db, &viewer).await?;
    let hash = idempotency::fingerprint(&Fingerprint {
        username: input.username.trim(),
        role: input.role,
        city_id: input.city_id,
        district_id: input.district_id,
        station_id: input.station_id,
        school_id: input.school_id,
    });
    // Accounts are not read one by one, so a replay has no `Location` to give.
    let create = Create {
        resource: RESOURCE,
        located: false,
    };
    let pending = match idempotency::begin(&db.pool, create, &viewer.key_owner(), key, hash).await?
    {
        Next::Replay(first) => return Ok(first),
        Next::Proceed(pending) => pending,
    };
    let valid = input.validate().map_err(ApiError::Validation)?;
    let mut conn = db.pool.acquire().await?;
    // A place outside a city administrator's city is as unknown to them as one that
    // does not exist; the whole database is not theirs to hand out.
    let ids = match (accounts::place_ids(&mut conn, valid.place).await?, managed) {
        (Some(ids), Some(_)) if ids.home_city.is_none() => {
            audit::event(&db.pool, &Event::denied(&viewer, RESOURCE, 0)).await?;
            return Err(ApiError::Forbidden);
        }
        (Some(ids), Some(city)) if ids.home_city != Some(city) => None,
        (ids, _) => ids,
    };
    let Some(ids) = ids else {
        let field = match (input.city_id, input.district_id, input.station_id) {
            (Some(_), _, _) => "city_id",
            (None, Some(_), _) => "district_id",
            (None, None, Some(_)) => "station_id",
            _ => "school_id",
        };
        let mut errors = FieldErrors::default();
        errors.push(field, FieldCode::UnknownValue);
        return Err(ApiError::Validation(errors));
    };
    if let Some(existing) = accounts::find_user(&db.pool, &valid.username).await? {
        // Added by a retry with the same key that got there first? Then its answer: the
        // account and its key were committed together.
        if let Some(first) = idempotency::first_answer(&db.pool, &pending).await? {
            return Ok(first);
        }
        return Err(duplicate(&mut conn, existing.id, managed).await);
    }
    drop(conn);
    // argon2id takes tens of milliseconds on purpose: on the blocking pool.
    let typed = input.password.clone();
    let hash = web::block(move || password::hash(&typed))
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("password hash: {e}")))??;

    let mut tx = db.write_tx().await?;
    let stored =
        match accounts::insert_account(&mut tx, &valid.username, &hash, valid.role, ids).await {
            Ok(id) => record_create(&mut tx, &viewer, id, &pending).await,
            Err(e) => Err(e),
        };
    let response = match stored {
        Ok(response) => tx.commit().await.map(|()| response),
        Err(e) => Err(e),
    };
    let error = match response {
        Ok(response) => {
            tracing::info!(role = valid.role.code(), "account added");
            return Ok(HttpResponse::Created()
                .content_type("application/json")
                .body(response));
        }
        Err(e) => e,
    };
    // Lost a race: to a retry with the same key, or to another account of this name.
    let error = match idempotency::lost_race(&db.pool, &pending, error).await? {
        Lost::Replay(first) => return Ok(first),
        Lost::Taken(error) => error,
    };
    match accounts::find_user(&db.pool, &valid.username).await? {
        Some(existing) => {
            let mut conn = db.pool.acquire().await?;
            Err(duplicate(&mut conn, existing.id, managed).await)
        }
        None => Err(error.into()),
    }
}

/// The new account's audit entry and idempotency record, in its transaction; its JSON.
async fn record_create(
    tx: &mut Transaction<'static, Any>,
    viewer: &Viewer,
    id: i64,
    pending: &Pending,
) -> Result<String, sqlx::Error> {
    let after = accounts::account(tx, id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    record(tx, viewer, "create", None, &after).await?;
    let response = serde_json::to_string(&after).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    idempotency::finish(tx, pending, id, &response).await?;
    Ok(response)
}

/// 409 with the account that already has the username, if the administrator manages it.
async fn duplicate(conn: &mut sqlx::AnyConnection, id: i64, city: Option<i64>) -> ApiError {
    match accounts::account_in(conn, id, city).await {
        Ok(Some(existing)) => conflict(Conflict::DuplicateRecord, &existing),
        // Another city's account: the name is taken, and that is all a city's
        // administrator learns of it.
        Ok(None) => {
            let mut errors = FieldErrors::default();
            errors.push("username", FieldCode::DuplicateValue);
            ApiError::Validation(errors)
        }
        Err(e) => e.into(),
    }
}

fn conflict(code: Conflict, account: &Account) -> ApiError {
    match serde_json::to_value(account) {
        Ok(current) => ApiError::Conflict { code, current },
        Err(e) => ApiError::Internal(e.into()),
    }
}

async fn record(
    tx: &mut Transaction<'static, Any>,
    viewer: &Viewer,
    action: &'static str,
    before: Option<&Account>,
    after: &Account,
) -> Result<(), sqlx::Error> {
    let change = Change {
        actor: Some(viewer.actor()),
        action,
        resource: RESOURCE,
        resource_id: after.id,
        before,
        after: Some(after),
    };
    audit::record(tx, &[change]).await
}

async fn disable(
    db: web::Data<Db>,
    viewer: Viewer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    switch(&db, &viewer, *id, true).await
}

async fn enable(
    db: web::Data<Db>,
    viewer: Viewer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    switch(&db, &viewer, *id, false).await
}

/// Disables or enables the account; the account as it is now. Asking for what already is
/// changes (and audits) nothing. An administrator cannot disable themself: someone must
/// be left who can enable accounts again.
async fn switch(
    db: &Db,
    viewer: &Viewer,
    id: i64,
    disabled: bool,
) -> Result<HttpResponse, ApiError> {
    let city = admin_only(db, viewer).await?;
    let mut tx = db.write_tx().await?;
    let before = accounts::account_in(&mut tx, id, city)
        .await?
        .ok_or(ApiError::NotFound)?;
    if disabled && viewer.user_id == Some(id) {
        return Err(conflict(Conflict::OwnAccount, &before));
    }
    if before.disabled == disabled {
        return Ok(HttpResponse::Ok().json(before));
    }
    accounts::set_disabled(&mut tx, id, disabled).await?;
    let after = accounts::account(&mut tx, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let action = if disabled { "disable" } else { "enable" };
    record(&mut tx, viewer, action, Some(&before), &after).await?;
    tx.commit().await?;
    tracing::info!(id, action, "account switched");
    Ok(HttpResponse::Ok().json(after))
}

/// Sets a new password. The account's other sessions end (whoever knew the old password
/// is signed out); the administrator's own session, when it is their own account, stays.
async fn set_password(
    req: HttpRequest,
    db: web::Data<Db>,
    viewer: Viewer,
    id: web::Path<i64>,
    Json(input): Json<NewPassword>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let city = admin_only(&db, &viewer).await?;
    {
        let mut conn = db.pool.acquire().await?;
        accounts::account_in(&mut conn, id, city)
            .await?
            .ok_or(ApiError::NotFound)?;
    }
    input.validate().map_err(ApiError::Validation)?;
    let typed = input.password;
    let hash = web::block(move || password::hash(&typed))
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("password hash: {e}")))??;
    let own = token_of(&req).filter(|_| viewer.user_id == Some(id));
    let mut tx = db.write_tx().await?;
    let account = accounts::account(&mut tx, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    accounts::set_password(&mut tx, id, &hash, own.as_deref()).await?;
    // Before and after are the same account: the entry says that the password changed,
    // and who changed it, never what it is.
    record(&mut tx, &viewer, "set_password", Some(&account), &account).await?;
    tx.commit().await?;
    tracing::info!(id, "password set");
    Ok(HttpResponse::NoContent().finish())
}
