//! Who is asking: accounts, server-side sessions, and the [`Viewer`] every handler that
//! reads or changes records takes. Deny by default: a handler without a `Viewer` argument
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
use humiao_shared::account::{Me, Role};

use crate::db::Db;
use crate::error::ApiError;

/// The session cookie's name.
pub const COOKIE: &str = "humiao_session";
/// A session ends after this long without a request…
pub const IDLE: chrono::Duration = chrono::Duration::minutes(30);
/// …and this long after login, whatever happens.
pub const ABSOLUTE: chrono::Duration = chrono::Duration::hours(12);

/// Where a viewer's rights apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    City,
    District(i64),
    Station {
        district: i64,
        station: i64,
    },
    School {
        district: i64,
        station: i64,
        school: i64,
    },
}

/// The person behind a request, with role and scope.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// The account; `None` for a school that came in through its link.
    pub user_id: Option<i64>,
    pub username: String,
    pub role: Role,
    pub scope: Scope,
    /// The one campaign a school that came in through its link may act in.
    pub campaign: Option<i64>,
}

impl Viewer {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// The name the audit log records for this viewer's changes.
    pub fn actor(&self) -> &str {
        &self.username
    }

    /// Whose idempotency keys this viewer's requests use: an account by its id, a school
    /// that came in through its link by the school. Never a name, so no account can be
    /// given another account's or a school's stored answers, whatever it is called.
    pub fn key_owner(&self) -> String {
        match self.user_id {
            Some(id) => format!("user:{id}"),
            // Only a school's link signs in without an account.
            None => humiao_shared::account::link_actor(self.school().unwrap_or_default()),
        }
    }

    pub fn me(&self) -> Me {
        let (district_id, station_id, school_id) = match self.scope {
            Scope::City => (None, None, None),
            Scope::District(d) => (Some(d), None, None),
            Scope::Station { district, station } => (Some(district), Some(station), None),
            Scope::School {
                district,
                station,
                school,
            } => (Some(district), Some(station), Some(school)),
        };
        Me {
            username: self.username.clone(),
            role: self.role,
            district_id,
            station_id,
            school_id,
        }
    }

    pub fn district(&self) -> Option<i64> {
        match self.scope {
            Scope::City => None,
            Scope::District(d) => Some(d),
            Scope::Station { district, .. } | Scope::School { district, .. } => Some(district),
        }
    }

    pub fn station(&self) -> Option<i64> {
        match self.scope {
            Scope::Station { station, .. } | Scope::School { station, .. } => Some(station),
            _ => None,
        }
    }

    pub fn school(&self) -> Option<i64> {
        match self.scope {
            Scope::School { school, .. } => Some(school),
            _ => None,
        }
    }
}

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

    #[test]
    fn keys_belong_to_an_account_by_its_id_and_to_a_link_by_its_school_never_to_a_name() {
        let school = Scope::School {
            district: 1,
            station: 2,
            school: 11,
        };
        let viewer = |user_id, username: &str| Viewer {
            user_id,
            username: username.into(),
            role: Role::School,
            scope: school,
            campaign: None,
        };
        let link = viewer(None, "link:11");
        // An account stored before usernames were checked, named like the link.
        let namesake = viewer(Some(7), "link:11");
        let renamed = viewer(Some(7), "school.diaozhuang");
        assert_eq!(link.key_owner(), "link:11");
        assert_eq!(namesake.key_owner(), "user:7");
        assert_eq!(renamed.key_owner(), namesake.key_owner());
        assert_ne!(viewer(Some(11), "link").key_owner(), link.key_owner());
    }
}
