//! The daily WeCom (企业微信) digest: a district that set a group robot's webhook gets, once a
//! day, a markdown message with what is behind — returns past their deadline and not in,
//! returns waiting for the district's approval, and schools that have not confirmed an open
//! screening assignment, with the days left.
//!
//! - `PUT /api/v1/districts/{id}/webhook` `{"url": "https://…" | null}`: an administrator over
//!   the district sets or clears it (https only; `--wecom-allow-local-http` also takes
//!   `http://127.0.0.1…` and `http://localhost…`, for a relay on the machine and for tests).
//! - `POST /api/v1/digest/run`: an administrator posts the digest of the districts in their
//!   scope now, whatever was sent today, and reads what each post did.
//! - A background task ([`spawn`]) posts each district's digest once a day from
//!   `--wecom-digest-hour` (China time). The day is claimed in `app_meta` first, so two
//!   instances or a restart do not post it twice.
//!
//! A post is tried three times, waiting `--wecom-retry-ms` and then twice that between
//! tries; it runs off the request path (the background task), never holds a transaction,
//! and a webhook that keeps failing is logged and tried again the next day.

use std::time::Duration;

use actix_web::{web, HttpResponse};
use chrono::{Datelike, NaiveDate, Timelike};
use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::returns::{self as rules, ReturnState};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

use super::db::{self as returns_db, DueDays};
use crate::db::audit::{self, Change, Event};
use crate::db::where_clause::Conditions;
use crate::db::Db;
use crate::error::ApiError;
use crate::extract::Json;
use crate::records::named::{self, Named};
use crate::viewer::{Scope, Viewer};

/// How many tries a post gets.
const TRIES: u32 = 3;
/// The longest webhook URL kept.
pub const MAX_URL_CHARS: usize = 500;
/// WeCom refuses markdown content over 4096 bytes; lists are cut well before.
const MAX_CONTENT_BYTES: usize = 4000;
/// Items named per list; the rest are counted.
const LISTED: usize = 8;

/// The digest's settings and its HTTP client, shared by the routes and the task.
#[derive(Clone)]
pub struct Digest {
    pub allow_local_http: bool,
    /// The wait before the second try; doubled before the third.
    pub retry: Duration,
    /// The hour (China time, 0–23) from which the day's digest is posted.
    pub hour: u32,
    client: reqwest::Client,
}

impl Digest {
    pub fn new(ops: &crate::ops::OpsArgs) -> anyhow::Result<Digest> {
        Ok(Digest {
            allow_local_http: ops.wecom_allow_local_http,
            retry: Duration::from_millis(ops.wecom_retry_ms),
            hour: ops.wecom_digest_hour.min(23),
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()?,
        })
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    use crate::mount::resource;
    cfg.service(resource("/districts/{id}/webhook", "PUT").route(web::put().to(set_webhook)))
        .service(resource("/digest/run", "POST").route(web::post().to(run_now)));
}

/// The body of `PUT /api/v1/districts/{id}/webhook`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookInput {
    /// The group robot's webhook (`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`);
    /// `null` or blank: no digest.
    #[serde(default)]
    pub url: Option<String>,
}

/// A district's webhook as stored.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Webhook {
    pub district_id: i64,
    pub url: Option<String>,
}

/// What one district's post did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Posted {
    pub district_id: i64,
    pub district_name: String,
    /// Whether the webhook took the message.
    pub delivered: bool,
    /// How many posts it took (at most 3).
    pub tries: u32,
}

/// The URL, trimmed, if it is one a digest may be posted to: https, or local http when
/// allowed. Blank is none.
pub fn webhook_url(
    text: Option<&str>,
    allow_local_http: bool,
) -> Result<Option<String>, FieldErrors> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let mut errors = FieldErrors::default();
    let local = [
        "http://127.0.0.1:",
        "http://127.0.0.1/",
        "http://localhost:",
        "http://localhost/",
    ];
    let https = text
        .strip_prefix("https://")
        .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'));
    let allowed = https || (allow_local_http && local.iter().any(|p| text.starts_with(p)));
    if text.chars().count() > MAX_URL_CHARS {
        errors.push("url", FieldCode::TooLong);
    } else if !allowed || text.chars().any(char::is_whitespace) {
        errors.push("url", FieldCode::InvalidUrl);
    }
    if errors.is_empty() {
        Ok(Some(text.to_string()))
    } else {
        Err(errors)
    }
}

/// 403 (audited) unless the viewer administers `district`; 404 for one they cannot see.
async fn administered(
    db: &Db,
    conn: &mut AnyConnection,
    viewer: &Viewer,
    district: i64,
) -> Result<(), ApiError> {
    if !named::within_scope(conn, viewer, Named::District(district)).await? {
        return Err(ApiError::NotFound);
    }
    if viewer.is_admin() {
        return Ok(());
    }
    audit::event(&db.pool, &Event::denied(viewer, "districts", district)).await?;
    Err(ApiError::Forbidden)
}

async fn set_webhook(
    db: web::Data<Db>,
    digest: web::Data<Digest>,
    viewer: Viewer,
    district: web::Path<i64>,
    Json(input): Json<WebhookInput>,
) -> Result<HttpResponse, ApiError> {
    let district = district.into_inner();
    let mut conn = db.pool.acquire().await?;
    administered(&db, &mut conn, &viewer, district).await?;
    drop(conn);
    let url =
        webhook_url(input.url.as_deref(), digest.allow_local_http).map_err(ApiError::Validation)?;
    let mut tx = db.write_tx().await?;
    let (before,): (Option<String>,) =
        sqlx::query_as("SELECT wecom_webhook FROM districts WHERE id = $1")
            .bind(district)
            .fetch_one(&mut *tx)
            .await?;
    sqlx::query("UPDATE districts SET wecom_webhook = $1 WHERE id = $2")
        .bind(url.as_deref())
        .bind(district)
        .execute(&mut *tx)
        .await?;
    // The key names the robot's group: the trail says that it changed, not what it is.
    let shown = |url: &Option<String>| Webhook {
        district_id: district,
        url: url.as_ref().map(|_| "(set)".to_string()),
    };
    audit::record(
        &mut tx,
        &[Change {
            actor: Some(viewer.actor()),
            action: "webhook",
            resource: "districts",
            resource_id: district,
            before: Some(&shown(&before)),
            after: Some(&shown(&url)),
        }],
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(Webhook {
        district_id: district,
        url,
    }))
}

/// Posts the digest of every district in the administrator's scope that has a webhook,
/// now, and answers what each post did.
async fn run_now(
    db: web::Data<Db>,
    digest: web::Data<Digest>,
    viewer: Viewer,
) -> Result<HttpResponse, ApiError> {
    if !viewer.is_admin() {
        audit::event(&db.pool, &Event::denied(&viewer, "digest", 0)).await?;
        return Err(ApiError::Forbidden);
    }
    let today = crate::clock::today();
    let mut posted = Vec::new();
    for (district, name, url) in hooked(&db, Some(&viewer)).await? {
        let content = compose(&db, district, &name, today).await?;
        let tries = post(&digest, &url, &content).await;
        claim(&db, district, today).await?;
        posted.push(Posted {
            district_id: district,
            district_name: name,
            delivered: tries.is_some(),
            tries: tries.unwrap_or(TRIES),
        });
    }
    Ok(HttpResponse::Ok().json(posted))
}

/// The districts with a webhook (in the viewer's scope, when one is given).
async fn hooked(
    db: &Db,
    viewer: Option<&Viewer>,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    let mut c = Conditions::live();
    c.raw("t.wecom_webhook IS NOT NULL");
    if let Some(viewer) = viewer {
        match viewer.scope {
            Scope::All => {}
            Scope::City(city) => c.eq("t.city_id", Some(city)),
            _ => c.eq("t.id", viewer.district()),
        }
    }
    let sql = format!(
        "SELECT t.id, t.name, t.wecom_webhook FROM districts t WHERE {} ORDER BY t.sort_order, t.id",
        c.sql()
    );
    c.bind(sqlx::query_as(&sql)).fetch_all(&db.pool).await
}

/// Claims today's digest of `district`: true when no one posted it today yet.
async fn claim(db: &Db, district: i64, today: NaiveDate) -> Result<bool, sqlx::Error> {
    let key = format!("wecom_digest:{district}");
    let day = crate::db::day(today);
    let inserted = sqlx::query(
        "INSERT INTO app_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
    )
    .bind(&key)
    .bind(&day)
    .execute(&db.pool)
    .await?
    .rows_affected();
    if inserted > 0 {
        return Ok(true);
    }
    let moved = sqlx::query("UPDATE app_meta SET value = $1 WHERE key = $2 AND value < $1")
        .bind(&day)
        .bind(&key)
        .execute(&db.pool)
        .await?
        .rows_affected();
    Ok(moved > 0)
}

/// Posts `content` as a markdown message; the tries it took, or `None` when all failed.
pub async fn post(digest: &Digest, url: &str, content: &str) -> Option<u32> {
    let body = serde_json::json!({"msgtype": "markdown", "markdown": {"content": content}});
    let mut wait = digest.retry;
    for attempt in 1..=TRIES {
        match try_post(&digest.client, url, &body).await {
            Ok(()) => return Some(attempt),
            Err(e) => tracing::warn!(attempt, error = %e, "the WeCom webhook refused the digest"),
        }
        if attempt < TRIES {
            tokio::time::sleep(wait).await;
            wait *= 2;
        }
    }
    None
}

async fn try_post(
    client: &reqwest::Client,
    url: &str,
    body: &serde_json::Value,
) -> anyhow::Result<()> {
    // The URL holds the robot's key: an error that names it would put a secret in the log.
    let res = client
        .post(url)
        .json(body)
        .send()
        .await
        .map_err(reqwest::Error::without_url)?;
    let status = res.status();
    anyhow::ensure!(status.is_success(), "HTTP {status}");
    // WeCom answers 200 with `errcode` 0, or another code (a bad key, too many messages).
    let answer: serde_json::Value = res.json().await.unwrap_or_default();
    match answer.get("errcode").and_then(|c| c.as_i64()) {
        None | Some(0) => Ok(()),
        Some(code) => anyhow::bail!("errcode {code}: {}", answer["errmsg"]),
    }
}

/// The day's message for a district, in Chinese (the groups' language).
pub async fn compose(
    db: &Db,
    district: i64,
    name: &str,
    today: NaiveDate,
) -> Result<String, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    let mut c = Conditions::live();
    c.eq("t.district_id", Some(district));
    let stations = returns_db::stations(&mut conn, &c).await?;
    let first_of_year = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    // From January of last year, so that December's return is chased in January.
    let from = NaiveDate::from_ymd_opt(today.year() - 1, 1, 1).unwrap_or(first_of_year);
    let stored = returns_db::stored_between(
        &mut conn,
        &c,
        &rules::month_of(from),
        &rules::month_of(today),
    )
    .await?;
    let due = DueDays::load(&mut conn).await?;
    let mut late = Vec::new();
    let mut waiting = Vec::new();
    let mut month = from;
    while month <= today {
        for place in stations
            .iter()
            .filter(|s| rules::expected(month, s.closed_on))
        {
            let row = stored.get(&(place.id, rules::month_of(month)));
            let answer = super::answer(place, month, row, &due, today);
            match answer.state {
                ReturnState::Submitted => waiting.push(format!(
                    "{} {}（{} 报）",
                    answer.station_name,
                    answer.month,
                    answer
                        .submitted_on
                        .map(|d| d.to_string())
                        .unwrap_or_default()
                )),
                ReturnState::Open | ReturnState::Returned if answer.late => late.push(format!(
                    "{} {}（{} 截止{}）",
                    answer.station_name,
                    answer.month,
                    answer.deadline,
                    if answer.state == ReturnState::Returned {
                        "，已退回"
                    } else {
                        ""
                    }
                )),
                _ => {}
            }
        }
        month = next_month(month);
    }
    let schools = unconfirmed(&mut conn, district, today).await?;
    let mut text = format!("**{name} 月报与观影提醒**（{today}）\n");
    section(&mut text, "逾期未报的月报", &late, "warning");
    section(&mut text, "待分局审核的月报", &waiting, "info");
    section(&mut text, "尚未确认观影的学校", &schools, "comment");
    if late.is_empty() && waiting.is_empty() && schools.is_empty() {
        text.push_str("> 今天没有待办事项。\n");
    }
    // Cut at a character boundary under the limit.
    if text.len() > MAX_CONTENT_BYTES {
        let mut end = MAX_CONTENT_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    Ok(text)
}

fn next_month(first: NaiveDate) -> NaiveDate {
    rules::month_end(first) + chrono::Duration::days(1)
}

fn section(text: &mut String, title: &str, items: &[String], color: &str) {
    if items.is_empty() {
        return;
    }
    text.push_str(&format!(
        "\n{title}：<font color=\"{color}\">{}</font>\n",
        items.len()
    ));
    for item in items.iter().take(LISTED) {
        text.push_str(&format!("> {item}\n"));
    }
    if items.len() > LISTED {
        text.push_str(&format!("> 等共 {} 项\n", items.len()));
    }
}

/// Open screening assignments with the district's schools that have confirmed none of
/// their films: "《title》 12 所学校未确认，剩 5 天".
async fn unconfirmed(
    conn: &mut AnyConnection,
    district: i64,
    today: NaiveDate,
) -> Result<Vec<String>, sqlx::Error> {
    let day = crate::db::day(today);
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT a.title, a.closes_on, CAST(COUNT(*) AS BIGINT)
         FROM screening_assignments a
         JOIN assignment_schools x ON x.assignment_id = a.id
         JOIN schools s ON s.id = x.school_id
         WHERE a.deleted_at IS NULL AND a.opens_on <= $1 AND a.closes_on >= $1
           AND s.district_id = $2 AND s.deleted_at IS NULL
           AND (s.closed_on IS NULL OR s.closed_on >= $1)
           AND NOT EXISTS (SELECT 1 FROM screening_confirmations f
                           WHERE f.assignment_id = a.id AND f.school_id = s.id
                             AND f.deleted_at IS NULL)
         GROUP BY a.id, a.title, a.closes_on
         ORDER BY a.closes_on, a.title",
    )
    .bind(&day)
    .bind(district)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(title, closes_on, n)| {
            let left = (crate::db::date(&closes_on)? - today).num_days();
            Ok(format!("《{title}》 {n} 所学校未确认，剩 {left} 天"))
        })
        .collect()
}

/// Posts each district's digest once a day from the configured hour, until the server
/// stops (the task is aborted then). The first look is a while after start, so a server
/// started for a moment (a test) posts nothing of its own accord.
pub fn spawn(db: Db, digest: Digest) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let every = Duration::from_secs(15 * 60);
        loop {
            tokio::time::sleep(every).await;
            if let Err(e) = due(&db, &digest).await {
                tracing::warn!(error = %e, "the daily digest could not be read");
            }
        }
    })
}

/// Posts today's digests not yet posted, once the hour has come.
async fn due(db: &Db, digest: &Digest) -> Result<(), sqlx::Error> {
    let now = chrono::Utc::now();
    let china = now.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8"));
    if china.hour() < digest.hour {
        return Ok(());
    }
    let today = humiao_shared::campaign_today(now);
    for (district, name, url) in hooked(db, None).await? {
        if !claim(db, district, today).await? {
            continue;
        }
        let content = compose(db, district, &name, today).await?;
        if post(digest, &url, &content).await.is_none() {
            tracing::warn!(district, "the digest was not delivered after {TRIES} tries");
        }
    }
    Ok(())
}
