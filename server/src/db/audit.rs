//! The audit trail: who changed which record when, with the record before and after.

use serde::Serialize;
use sqlx::{Any, AnyPool, Transaction};

use super::{now_text, placeholders};

/// One change, as the API lists it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: Option<String>,
    pub action: String,
    pub resource: String,
    pub resource_id: i64,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// A change to record.
pub struct Change<'a, T: Serialize> {
    /// Who made it (the signed-in user's name).
    pub actor: Option<&'a str>,
    pub action: &'static str,
    pub resource: &'static str,
    pub resource_id: i64,
    pub before: Option<&'a T>,
    pub after: Option<&'a T>,
}

/// Records changes inside the transaction that makes them, in one statement.
pub async fn record<T: Serialize>(
    tx: &mut Transaction<'_, Any>,
    changes: &[Change<'_, T>],
) -> Result<(), sqlx::Error> {
    let json = |v: Option<&T>| -> Result<Option<String>, sqlx::Error> {
        v.map(serde_json::to_string)
            .transpose()
            .map_err(|e| sqlx::Error::Encode(Box::new(e)))
    };
    let at = now_text();
    for chunk in changes.chunks(200) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| format!("({})", placeholders(i * 7 + 1, 7)))
            .collect();
        let sql = format!(
            "INSERT INTO audit_log (at, actor, action, resource, resource_id, before_json, after_json)
             VALUES {}",
            rows.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for c in chunk {
            query = query
                .bind(at.clone())
                .bind(c.actor.map(str::to_string))
                .bind(c.action)
                .bind(c.resource)
                .bind(c.resource_id)
                .bind(json(c.before)?)
                .bind(json(c.after)?);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Something that is not a change to a record but belongs in the trail: a login, a failed
/// one, a logout, a request refused for lack of rights. The resource is the account (or the
/// school's link); nothing secret is recorded.
#[derive(Debug, Clone)]
pub struct Event {
    pub actor: String,
    pub action: &'static str,
    pub resource: &'static str,
    pub resource_id: i64,
}

impl Event {
    pub fn login(username: &str, user_id: i64) -> Event {
        Event::user(username, "login", user_id)
    }

    /// `user_id` is `None` for an unknown username (recorded as typed, as the actor).
    pub fn failed_login(username: &str, user_id: Option<i64>) -> Event {
        Event::user(username, "login_failed", user_id.unwrap_or(0))
    }

    pub fn denied_login(username: &str) -> Event {
        Event::user(username, "login_refused", 0)
    }

    pub fn link_login(actor: &str, link_id: i64) -> Event {
        Event {
            actor: actor.to_string(),
            action: "login",
            resource: "school_links",
            resource_id: link_id,
        }
    }

    pub fn logout(viewer: &crate::viewer::Viewer) -> Event {
        Event::user(viewer.actor(), "logout", viewer.user_id.unwrap_or(0))
    }

    /// A request the viewer's role or scope does not allow.
    pub fn denied(viewer: &crate::viewer::Viewer, resource: &'static str, id: i64) -> Event {
        Event {
            actor: viewer.actor().to_string(),
            action: "denied",
            resource,
            resource_id: id,
        }
    }

    fn user(username: &str, action: &'static str, id: i64) -> Event {
        Event {
            actor: username.chars().take(100).collect(),
            action,
            resource: "users",
            resource_id: id,
        }
    }
}

/// Records an event on its own.
pub async fn event(pool: &AnyPool, event: &Event) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, resource, resource_id) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(now_text())
    .bind(&event.actor)
    .bind(event.action)
    .bind(event.resource)
    .bind(event.resource_id)
    .execute(pool)
    .await?;
    Ok(())
}

/// Which changes to list; `None` means any.
#[derive(Debug, Default)]
pub struct AuditFilter {
    pub resource: Option<String>,
    pub resource_id: Option<i64>,
    pub actor: Option<String>,
}

/// The newest changes first, at most `limit`.
pub async fn list(
    pool: &AnyPool,
    filter: &AuditFilter,
    limit: i64,
) -> Result<Vec<AuditEntry>, sqlx::Error> {
    type Row = (
        i64,
        String,
        Option<String>,
        String,
        String,
        i64,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, at, actor, action, resource, resource_id, before_json, after_json
         FROM audit_log
         WHERE ($1 IS NULL OR resource = $1) AND ($2 IS NULL OR resource_id = $2)
           AND ($3 IS NULL OR actor = $3)
         ORDER BY id DESC LIMIT $4",
    )
    .bind(filter.resource.clone())
    .bind(filter.resource_id)
    .bind(filter.actor.clone())
    .bind(limit)
    .fetch_all(pool)
    .await?;
    let parse = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
    Ok(rows
        .into_iter()
        .map(
            |(id, at, actor, action, resource, resource_id, before, after)| AuditEntry {
                id,
                at,
                actor,
                action,
                resource,
                resource_id,
                before: parse(before),
                after: parse(after),
            },
        )
        .collect())
}
