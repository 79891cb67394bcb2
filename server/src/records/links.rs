//! Schools' links as records: administrators issue them (a new one for a school and
//! campaign revokes the earlier ones), list them and revoke them; `routes/links.rs` serves
//! that and the printed sheet. Only issuing and revoking write; listing and [`active`]
//! (the reprint) read. What a link opens when a school uses it is `auth::links`.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::link::{LinkState, LinksPreview, NewLinks, SchoolLink, ValidLinks};
use serde::Serialize;
use sqlx::{Any, AnyPool, Transaction};

use super::{checked, count_live, is_live};
use crate::db::audit::{self, Change};
use crate::db::{now_text, placeholders, Db};
use crate::error::ApiError;
use crate::token::{digest, new_token};

/// What a printed card shows of a school.
#[derive(Debug, Clone)]
pub struct School {
    pub id: i64,
    pub name: String,
    pub district: String,
    pub station: String,
}

/// A link just issued, with its secret, which is kept nowhere once the answer is sent.
/// (No `Debug`: the secret must not end up in a log.)
pub struct Issued {
    pub id: i64,
    pub secret: String,
    pub school: School,
    pub campaign_id: i64,
    pub campaign: String,
    pub expires_at: DateTime<Utc>,
}

/// A request for links, checked against the stored campaigns and schools as well.
pub async fn check(pool: &AnyPool, input: &NewLinks) -> Result<ValidLinks, ApiError> {
    let mut refs = FieldErrors::default();
    let mut conn = pool.acquire().await?;
    if input.campaign_id.is_some() && !is_live(&mut conn, "campaigns", input.campaign_id).await? {
        refs.push("campaign_id", FieldCode::UnknownValue);
    }
    if let Some(ids) = &input.school_ids {
        let mut distinct = ids.clone();
        distinct.sort_unstable();
        distinct.dedup();
        if count_live(&mut conn, "schools", &distinct).await? < distinct.len() {
            refs.push("school_ids", FieldCode::UnknownValue);
        }
    }
    checked(input.validate(), refs)
}

/// Issues a fresh link to each school asked for (every school when none is named),
/// revoking the school's earlier links for the campaign, all or nothing. The links are
/// in the order a sheet is sorted and handed out: by district, station and school.
pub async fn issue(
    db: &Db,
    request: &ValidLinks,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Issued>, ApiError> {
    let mut tx = db.write_tx().await?;
    let campaign: Option<(String,)> =
        sqlx::query_as("SELECT name FROM campaigns WHERE id = $1 AND deleted_at IS NULL")
            .bind(request.campaign_id)
            .fetch_optional(&mut *tx)
            .await?;
    let schools = live_schools(&mut tx, request.school_ids.as_deref()).await?;
    // Deleted meanwhile (they were checked before the transaction began).
    let Some((campaign,)) = campaign else {
        return Err(unknown("campaign_id"));
    };
    if let Some(asked) = &request.school_ids {
        if asked.len() != schools.len() {
            return Err(unknown("school_ids"));
        }
    }
    let ids: Vec<i64> = schools.iter().map(|s| s.id).collect();
    let stamp = text(now);
    let revoked = revoke_earlier(&mut tx, request.campaign_id, &ids, &stamp).await?;

    let expires_at = now + chrono::Duration::days(request.days_valid);
    let mut secrets = Vec::with_capacity(schools.len());
    for _ in &schools {
        secrets.push(new_token()?);
    }
    let link_ids = insert(
        &mut tx,
        request.campaign_id,
        &ids,
        &secrets,
        &text(expires_at),
        &stamp,
        actor,
    )
    .await?;

    let audited: Vec<AuditedLink> = ids
        .iter()
        .map(|&school_id| AuditedLink {
            school_id,
            campaign_id: request.campaign_id,
            expires_at: text(expires_at),
        })
        .collect();
    let mut changes: Vec<Change<'_, AuditedLink>> = revoked
        .iter()
        .map(|&id| change(actor, "revoke", id, None))
        .collect();
    changes.extend(
        link_ids
            .iter()
            .zip(&audited)
            .map(|(&id, link)| change(actor, "issue", id, Some(link))),
    );
    audit::record(&mut tx, &changes).await?;
    tx.commit().await?;

    Ok(schools
        .into_iter()
        .zip(secrets)
        .zip(link_ids)
        .map(|((school, secret), id)| Issued {
            id,
            secret,
            school,
            campaign_id: request.campaign_id,
            campaign: campaign.clone(),
            expires_at,
        })
        .collect())
}

/// What the audit log keeps of an issued link: never its secret or hash.
#[derive(Serialize)]
struct AuditedLink {
    school_id: i64,
    campaign_id: i64,
    expires_at: String,
}

fn change<'a>(
    actor: &'a str,
    action: &'static str,
    id: i64,
    after: Option<&'a AuditedLink>,
) -> Change<'a, AuditedLink> {
    Change {
        actor: Some(actor),
        action,
        resource: "school_links",
        resource_id: id,
        before: None,
        after,
    }
}

fn unknown(field: &str) -> ApiError {
    let mut errors = FieldErrors::default();
    errors.push(field, FieldCode::UnknownValue);
    ApiError::Validation(errors)
}

/// The schools that are not deleted, of `only` when given, sorted for handing out.
async fn live_schools(
    tx: &mut Transaction<'static, Any>,
    only: Option<&[i64]>,
) -> Result<Vec<School>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT sc.id, sc.name, d.name, st.name
         FROM schools sc
         JOIN districts d ON d.id = sc.district_id
         JOIN stations st ON st.id = sc.station_id
         WHERE sc.deleted_at IS NULL
         ORDER BY d.sort_order, d.code, st.code, sc.code",
    )
    .fetch_all(&mut **tx)
    .await?;
    // The city has under a thousand schools: reading them all beats `IN` lists of ids.
    let only: Option<HashSet<i64>> = only.map(|ids| ids.iter().copied().collect());
    Ok(rows
        .into_iter()
        .filter(|(id, ..)| only.as_ref().is_none_or(|o| o.contains(id)))
        .map(|(id, name, district, station)| School {
            id,
            name,
            district,
            station,
        })
        .collect())
}

/// Revokes the unrevoked links of `schools` for the campaign; returns their ids.
async fn revoke_earlier(
    tx: &mut Transaction<'static, Any>,
    campaign_id: i64,
    schools: &[i64],
    now: &str,
) -> Result<Vec<i64>, sqlx::Error> {
    let mut revoked = Vec::new();
    for chunk in schools.chunks(500) {
        let sql = format!(
            "UPDATE school_links SET revoked_at = $1
             WHERE campaign_id = $2 AND revoked_at IS NULL AND school_id IN ({})
             RETURNING id",
            placeholders(3, chunk.len())
        );
        let mut query = sqlx::query_as::<_, (i64,)>(&sql)
            .bind(now)
            .bind(campaign_id);
        for id in chunk {
            query = query.bind(*id);
        }
        revoked.extend(
            query
                .fetch_all(&mut **tx)
                .await?
                .into_iter()
                .map(|(id,)| id),
        );
    }
    Ok(revoked)
}

/// Stores one link per school (only the secrets' hashes); returns the ids in the schools'
/// order.
async fn insert(
    tx: &mut Transaction<'static, Any>,
    campaign_id: i64,
    schools: &[i64],
    secrets: &[String],
    expires_at: &str,
    now: &str,
    actor: &str,
) -> Result<Vec<i64>, sqlx::Error> {
    let mut ids: HashMap<i64, i64> = HashMap::with_capacity(schools.len());
    let rows: Vec<(&i64, &String)> = schools.iter().zip(secrets).collect();
    for chunk in rows.chunks(200) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("(${}, ${}, $1, $2, $3, $4)", 5 + 2 * i, 6 + 2 * i))
            .collect();
        let sql = format!(
            "INSERT INTO school_links
                 (token_hash, school_id, campaign_id, expires_at, created_at, created_by)
             VALUES {} RETURNING school_id, id",
            values.join(", ")
        );
        let mut query = sqlx::query_as::<_, (i64, i64)>(&sql)
            .bind(campaign_id)
            .bind(expires_at)
            .bind(now)
            .bind(actor);
        for (school, secret) in chunk {
            query = query.bind(digest(secret)).bind(**school);
        }
        // The rows come back in no promised order; each school appears once.
        ids.extend(query.fetch_all(&mut **tx).await?);
    }
    schools
        .iter()
        .map(|school| ids.get(school).copied().ok_or(sqlx::Error::RowNotFound))
        .collect()
}

/// Which links to list; `None` means any.
#[derive(Debug, Default)]
pub struct LinkFilter {
    pub campaign_id: Option<i64>,
    pub school_id: Option<i64>,
    pub state: Option<LinkState>,
    /// Part of the school's name or code.
    pub q: Option<String>,
}

/// One page of a list: where it starts and how long it is.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub limit: i64,
    pub offset: i64,
}

/// The `WHERE` clause every list and count of links shares; binds `$1`…`$5`.
const LISTED: &str = "FROM school_links l
     JOIN schools sc ON sc.id = l.school_id
     JOIN campaigns c ON c.id = l.campaign_id
     WHERE ($1 IS NULL OR l.campaign_id = $1) AND ($2 IS NULL OR l.school_id = $2)
       AND ($3 IS NULL
            OR ($3 = 'revoked' AND l.revoked_at IS NOT NULL)
            OR ($3 = 'active' AND l.revoked_at IS NULL AND l.expires_at > $4)
            OR ($3 = 'expired' AND l.revoked_at IS NULL AND l.expires_at <= $4))
       AND ($5 IS NULL OR sc.name LIKE $5 ESCAPE '\\' OR sc.code LIKE $5 ESCAPE '\\')";

/// `%part%` for `LIKE`, its wildcards taken literally; `None` for no search.
fn pattern(q: Option<&str>) -> Option<String> {
    let part = q.map(str::trim).filter(|p| !p.is_empty())?;
    let escaped = part
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    Some(format!("%{escaped}%"))
}

/// Stored links, newest first, one page of them, and how many match in all.
pub async fn list(
    pool: &AnyPool,
    filter: &LinkFilter,
    page: Page,
    now: DateTime<Utc>,
) -> Result<(Vec<SchoolLink>, i64), ApiError> {
    type Row = (
        i64,
        i64,
        String,
        String,
        i64,
        String,
        String,
        String,
        String,
        Option<String>,
    );
    let state = filter.state.map(LinkState::code);
    // Stored times are all written by `text`, so they compare as text.
    let now_text = text(now);
    let like = pattern(filter.q.as_deref());
    let mut conn = pool.acquire().await?;
    let (total,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) {LISTED}"))
        .bind(filter.campaign_id)
        .bind(filter.school_id)
        .bind(state)
        .bind(&now_text)
        .bind(&like)
        .fetch_one(&mut *conn)
        .await?;
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT l.id, l.school_id, sc.name, sc.code, l.campaign_id, c.name, l.expires_at,
                l.created_at, l.created_by, l.revoked_at
         {LISTED}
         ORDER BY l.id DESC LIMIT $6 OFFSET $7"
    ))
    .bind(filter.campaign_id)
    .bind(filter.school_id)
    .bind(state)
    .bind(&now_text)
    .bind(&like)
    .bind(page.limit)
    .bind(page.offset)
    .fetch_all(&mut *conn)
    .await?;
    let links = rows
        .into_iter()
        .map(
            |(
                id,
                school_id,
                school,
                school_code,
                campaign_id,
                campaign,
                expires,
                created,
                created_by,
                revoked,
            )| {
                let expires_at = time(&expires)?;
                let revoked_at = revoked.as_deref().map(time).transpose()?;
                Ok(SchoolLink {
                    id,
                    school_id,
                    school,
                    school_code,
                    campaign_id,
                    campaign,
                    expires_at,
                    created_at: time(&created)?,
                    created_by,
                    revoked_at,
                    state: LinkState::of(expires_at, revoked_at.is_some(), now),
                })
            },
        )
        .collect::<Result<_, ApiError>>()?;
    Ok((links, total))
}

/// What issuing `request` would do, changing nothing: how many schools get a link and how
/// many links in use it revokes. Links that expired or were revoked already are not
/// counted: revoking them changes nothing a school would notice.
pub async fn preview(
    pool: &AnyPool,
    request: &ValidLinks,
    now: DateTime<Utc>,
) -> Result<LinksPreview, ApiError> {
    let mut conn = pool.acquire().await?;
    let live: Vec<(i64,)> = sqlx::query_as("SELECT id FROM schools WHERE deleted_at IS NULL")
        .fetch_all(&mut *conn)
        .await?;
    let live: HashSet<i64> = live.into_iter().map(|(id,)| id).collect();
    let in_use: Vec<(i64,)> = sqlx::query_as(
        "SELECT school_id FROM school_links
         WHERE campaign_id = $1 AND revoked_at IS NULL AND expires_at > $2",
    )
    .bind(request.campaign_id)
    .bind(text(now))
    .fetch_all(&mut *conn)
    .await?;
    // The city has under a thousand schools and a link or so each: counted here rather
    // than with `IN` lists of ids.
    let asked: HashSet<i64> = match &request.school_ids {
        Some(ids) => ids.iter().copied().filter(|id| live.contains(id)).collect(),
        None => live,
    };
    let revokes = in_use
        .iter()
        .filter(|(school,)| asked.contains(school))
        .count();
    Ok(LinksPreview {
        schools: asked.len() as i64,
        revokes: revokes as i64,
    })
}

/// A link still in use, as a reprint shows it: everything but the secret, which is kept
/// nowhere, so no QR code can be drawn for it again.
pub struct Active {
    pub id: i64,
    pub school: School,
    pub expires_at: DateTime<Utc>,
}

/// The campaign's name and its active links, sorted as a sheet is; `None` when there is no
/// such campaign. Reads only.
pub async fn active(
    pool: &AnyPool,
    campaign_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<(String, Vec<Active>)>, ApiError> {
    let campaign: Option<(String,)> =
        sqlx::query_as("SELECT name FROM campaigns WHERE id = $1 AND deleted_at IS NULL")
            .bind(campaign_id)
            .fetch_optional(pool)
            .await?;
    let Some((campaign,)) = campaign else {
        return Ok(None);
    };
    let rows: Vec<(i64, i64, String, String, String, String)> = sqlx::query_as(
        "SELECT l.id, sc.id, sc.name, d.name, st.name, l.expires_at
         FROM school_links l
         JOIN schools sc ON sc.id = l.school_id
         JOIN districts d ON d.id = sc.district_id
         JOIN stations st ON st.id = sc.station_id
         WHERE l.campaign_id = $1 AND l.revoked_at IS NULL AND l.expires_at > $2
         ORDER BY d.sort_order, d.code, st.code, sc.code, l.id",
    )
    .bind(campaign_id)
    .bind(text(now))
    .fetch_all(pool)
    .await?;
    let links = rows
        .into_iter()
        .map(|(id, school, name, district, station, expires)| {
            Ok(Active {
                id,
                school: School {
                    id: school,
                    name,
                    district,
                    station,
                },
                expires_at: time(&expires)?,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(Some((campaign, links)))
}

/// The schools (not deleted) with no link in use for the campaign, sorted as a sheet is:
/// the reprint page says which they are and offers to issue theirs, which revokes nothing.
pub async fn without_link(
    pool: &AnyPool,
    campaign_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<School>, ApiError> {
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT sc.id, sc.name, d.name, st.name
         FROM schools sc
         JOIN districts d ON d.id = sc.district_id
         JOIN stations st ON st.id = sc.station_id
         WHERE sc.deleted_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM school_links l
                           WHERE l.school_id = sc.id AND l.campaign_id = $1
                             AND l.revoked_at IS NULL AND l.expires_at > $2)
         ORDER BY d.sort_order, d.code, st.code, sc.code",
    )
    .bind(campaign_id)
    .bind(text(now))
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, district, station)| School {
            id,
            name,
            district,
            station,
        })
        .collect())
}

/// Revokes one link: its school's sessions stop working at their next request. False when
/// there is no such link; revoking a revoked link changes nothing.
pub async fn revoke(db: &Db, id: i64, actor: &str) -> Result<bool, ApiError> {
    let mut tx = db.write_tx().await?;
    let done =
        sqlx::query("UPDATE school_links SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now_text())
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if done == 0 {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM school_links WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        return Ok(n > 0);
    }
    audit::record(&mut tx, &[change(actor, "revoke", id, None)]).await?;
    tx.commit().await?;
    Ok(true)
}

/// A time as the table stores it (as `now_text` writes it).
fn text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn time(text: &str) -> Result<DateTime<Utc>, ApiError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("bad time {text}: {e}")))
}
