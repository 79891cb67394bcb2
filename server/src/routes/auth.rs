//! `/api/v1/auth/*`: sign in with a username and password (or a school's link), see who is
//! signed in, sign out. Failed logins are limited per account and per address.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use humiao_shared::account::Login;
use serde::Deserialize;

use crate::auth::{links, password, store, token_of, COOKIE};
use crate::db::audit::{self, Event};
use crate::db::{accounts, sign_ins, Db};
use crate::error::ApiError;
use crate::extract::Json;
use crate::viewer::Viewer;

/// Failed logins allowed per account or address within [`WINDOW`].
pub const MAX_FAILURES: i64 = 5;
pub const WINDOW: chrono::Duration = chrono::Duration::minutes(15);

pub fn configure(cfg: &mut web::ServiceConfig) {
    use super::resource;
    cfg.service(resource("/auth/login", "POST").route(web::post().to(login)))
        .service(resource("/auth/link", "POST").route(web::post().to(link)))
        .service(resource("/auth/logout", "POST").route(web::post().to(logout)))
        .service(resource("/auth/me", "GET").route(web::get().to(me)));
}

/// The session cookie: unreadable by scripts, never sent cross-site, and over TLS only
/// when the server is reached over TLS (so plain-HTTP localhost still works).
fn cookie(req: &HttpRequest, token: String) -> Cookie<'static> {
    Cookie::build(COOKIE, token)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(crate::proxy::origin(req).scheme == "https")
        .finish()
}

/// The client's address: the limit on failed logins counts per address too. Behind a
/// reverse proxy listed in `--trusted-proxies`, the client it forwards for.
fn address(req: &HttpRequest) -> String {
    crate::proxy::client_address(req)
}

async fn login(
    req: HttpRequest,
    db: web::Data<Db>,
    Json(body): Json<Login>,
) -> Result<HttpResponse, ApiError> {
    body.validate().map_err(ApiError::Validation)?;
    let username = body.username.trim().to_string();
    let address = address(&req);
    let now = Utc::now();

    let (by_user, by_address, oldest) =
        sign_ins::recent_failures(&db.pool, &username, &address, now - WINDOW).await?;
    if by_user >= MAX_FAILURES || by_address >= MAX_FAILURES {
        let retry_after = oldest
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| (t.with_timezone(&Utc) + WINDOW - now).num_seconds().max(1) as u64)
            .unwrap_or(WINDOW.num_seconds() as u64);
        audit::event(&db.pool, &Event::denied_login(&username)).await?;
        return Err(ApiError::TooManyAttempts { retry_after });
    }

    let user = accounts::find_user(&db.pool, &username).await?;
    // The same work whether or not the account exists: timing tells nothing. argon2 takes
    // tens of milliseconds on purpose: on the blocking pool, not on a request worker.
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let typed = body.password.clone();
    let matches = web::block(move || match stored {
        Some(hash) => password::verify(&typed, &hash),
        None => {
            password::verify_nothing(&typed);
            false
        }
    })
    .await
    .map_err(|e| ApiError::Internal(anyhow::anyhow!("password check: {e}")))?;
    let user = match user {
        Some(user) if matches => user,
        _ => {
            sign_ins::record_failure(&db.pool, &username, &address).await?;
            audit::event(
                &db.pool,
                &Event::failed_login(&username, user.map(|u| u.id)),
            )
            .await?;
            tracing::info!("failed login");
            return Err(ApiError::InvalidCredentials);
        }
    };
    if user.disabled {
        audit::event(&db.pool, &Event::failed_login(&username, Some(user.id))).await?;
        return Err(ApiError::AccountDisabled);
    }
    sign_ins::clear_failures(&db.pool, &username).await?;
    // A new token at every login: a token planted before cannot be carried over.
    if let Some(old) = token_of(&req) {
        store::end_session(&db.pool, &old).await?;
    }
    let token = store::start_session(&db.pool, Some(user.id), None).await?;
    audit::event(&db.pool, &Event::login(&user.username, user.id)).await?;
    tracing::info!(role = user.role.code(), "signed in");
    let viewer = user.viewer();
    Ok(HttpResponse::Ok()
        .cookie(cookie(&req, token))
        .json(viewer.me()))
}

/// `POST /api/v1/auth/link`: a school opens its link.
#[derive(Debug, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct LinkLogin {
    /// The secret part of the link (after `#` in the address the QR code holds).
    pub secret: String,
}

async fn link(
    req: HttpRequest,
    db: web::Data<Db>,
    Json(body): Json<LinkLogin>,
) -> Result<HttpResponse, ApiError> {
    let link_id = links::redeem(&db.pool, body.secret.trim(), Utc::now()).await?;
    if let Some(old) = token_of(&req) {
        store::end_session(&db.pool, &old).await?;
    }
    let token = store::start_session(&db.pool, None, Some(link_id)).await?;
    let viewer = links::viewer(&db.pool, link_id, Utc::now()).await?;
    audit::event(&db.pool, &Event::link_login(&viewer.username, link_id)).await?;
    Ok(HttpResponse::Ok()
        .cookie(cookie(&req, token))
        .json(viewer.me()))
}

async fn logout(
    req: HttpRequest,
    db: web::Data<Db>,
    viewer: Viewer,
) -> Result<HttpResponse, ApiError> {
    if let Some(token) = token_of(&req) {
        store::end_session(&db.pool, &token).await?;
    }
    audit::event(&db.pool, &Event::logout(&viewer)).await?;
    let mut gone = cookie(&req, String::new());
    gone.make_removal();
    Ok(HttpResponse::NoContent().cookie(gone).finish())
}

async fn me(viewer: Viewer) -> HttpResponse {
    HttpResponse::Ok().json(viewer.me())
}
