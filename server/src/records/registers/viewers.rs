//! Who viewed a case: the `case_views` rows every read of a case leaves (see the module
//! above), newest first, as `GET /api/v1/cases/{id}/viewers` answers administrators.

use serde::Serialize;
use sqlx::AnyConnection;

/// One read of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct CaseView {
    /// The account's username.
    pub actor: String,
    pub user_id: Option<i64>,
    /// The role it had: `admin`, `officer` or `volunteer`.
    pub role: String,
    /// How: `cases` (the case, in a list, a read or an export), `contacts`, `case_team`
    /// or `case_events` (its rows).
    pub how: String,
    /// When (RFC 3339, UTC).
    pub at: String,
}

/// The reads of `case`, newest first, at most `limit`.
pub async fn of_case(
    conn: &mut AnyConnection,
    case: i64,
    limit: i64,
) -> Result<Vec<CaseView>, sqlx::Error> {
    let rows: Vec<(String, Option<i64>, String, String, String)> = sqlx::query_as(
        "SELECT actor, user_id, role, how, at FROM case_views WHERE case_id = $1
         ORDER BY id DESC LIMIT $2",
    )
    .bind(case)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(actor, user_id, role, how, at)| CaseView {
            actor,
            user_id,
            role,
            how,
            at,
        })
        .collect())
}
