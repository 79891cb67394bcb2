//! Signing in: passwords, server-side sessions, schools' links, and the extractor that makes
//! the [`Viewer`] (defined in the leaf `crate::viewer`) every handler that reads or changes
//! records takes. Deny by default: a handler without a `Viewer` argument
//! is public (health, the API document, the app's files), every other one gets 401 before
//! it runs when no one is signed in.
//!
//! The cookie holds a random token; the database holds its SHA-256, so sessions are shared
//! by every instance and a copy of the database opens none. A session ends on logout, after
//! 30 minutes without a request, or 12 hours after login.

pub mod csrf;
pub mod links;
pub mod password;
pub mod store;

use std::future::Future;
use std::pin::Pin;

use actix_web::{web, FromRequest, HttpRequest};
use chrono::{DateTime, Utc};

use crate::db::Db;
use crate::error::ApiError;
use crate::viewer::Viewer;

/// The session cookie's name.
pub const COOKIE: &str = "humiao_session";
/// A session ends after this long without a request…
pub const IDLE: chrono::Duration = chrono::Duration::minutes(30);
/// …and this long after login, whatever happens.
pub const ABSOLUTE: chrono::Duration = chrono::Duration::hours(12);

/// The token in the request's session cookie, if any.
pub fn token_of(req: &HttpRequest) -> Option<String> {
    req.cookie(COOKIE).map(|c| c.value().to_string())
}

/// Has a session that started at `created` and was last used at `last_seen` ended by `now`?
pub fn expired(created: DateTime<Utc>, last_seen: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - last_seen > IDLE || now - created > ABSOLUTE
}

impl FromRequest for Viewer {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Viewer, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let token = token_of(req);
        let db = req.app_data::<web::Data<Db>>().cloned();
        Box::pin(async move {
            let (Some(token), Some(db)) = (token, db) else {
                return Err(ApiError::Unauthenticated);
            };
            store::viewer_of(&db, &token, Utc::now()).await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_ends_after_half_an_hour_idle_or_twelve_hours_in_all() {
        let login = DateTime::parse_from_rfc3339("2026-11-29T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let m = chrono::Duration::minutes;
        let cases = [
            ("just now", m(0), m(1), false),
            ("29 minutes idle", m(0), m(29), false),
            ("31 minutes idle", m(0), m(31), true),
            ("busy for 11 hours", m(11 * 60 - 5), m(11 * 60), false),
            (
                "busy for 12 hours and a minute",
                m(12 * 60),
                m(12 * 60 + 1),
                true,
            ),
        ];
        for (name, seen, now, ended) in cases {
            assert_eq!(expired(login, login + seen, login + now), ended, "{name}");
        }
    }
}
