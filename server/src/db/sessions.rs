//! Education sessions: checking what a new one refers to, storing them (with their topics
//! and their share of the reach rollups) and reading them back.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use humiao_shared::rules::MAX_TOPICS;
use humiao_shared::session::{Audience, NewSession, Session, SessionFormat, ValidSession, Venue};
use sqlx::{Any, AnyConnection, AnyPool, Transaction};

use super::{date, now_text, placeholders};

/// What the stored data says about the ids a new session refers to, read in one query:
/// enough to check them and to answer with the stored session without reading it back.
#[derive(Debug, Clone, Default)]
pub struct References {
    pub campaign_window: Option<(NaiveDate, NaiveDate)>,
    /// The station's name and its district's name.
    pub station: Option<(String, String)>,
    pub school: Option<String>,
    /// How many of the entry's topic ids name a topic.
    pub known_topics: usize,
}

pub async fn lookup_references(
    pool: &AnyPool,
    input: &NewSession,
) -> Result<References, sqlx::Error> {
    // A longer list than the rules allow is refused by them; it is not looked up, so a
    // hostile list of 40,000 ids costs nothing and never meets an engine's bind limit.
    let looked_up = input.topic_ids.len() <= MAX_TOPICS;
    let topics = if input.topic_ids.is_empty() || !looked_up {
        "SELECT CAST(0 AS BIGINT)".to_string()
    } else {
        format!(
            "SELECT COUNT(*) FROM topics WHERE id IN ({})",
            placeholders(4, input.topic_ids.len())
        )
    };
    let sql = format!(
        "SELECT (SELECT starts_on FROM campaigns WHERE id = $1),
                (SELECT ends_on FROM campaigns WHERE id = $1),
                (SELECT name FROM stations WHERE id = $2),
                (SELECT d.name FROM stations st JOIN districts d ON d.id = st.district_id
                 WHERE st.id = $2),
                (SELECT name FROM schools WHERE id = $3),
                ({topics})"
    );
    type Row = (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        i64,
    );
    let mut query = sqlx::query_as::<_, Row>(&sql)
        .bind(input.campaign_id)
        .bind(input.station_id)
        .bind(input.school_id);
    for topic in input.topic_ids.iter().filter(|_| looked_up) {
        query = query.bind(*topic);
    }
    let (starts, ends, station, district, school, known) = query.fetch_one(pool).await?;
    let campaign_window = match (starts, ends) {
        (Some(s), Some(e)) => Some((date(&s)?, date(&e)?)),
        _ => None,
    };
    Ok(References {
        campaign_window,
        station: station.zip(district),
        school,
        known_topics: usize::try_from(known).unwrap_or(0),
    })
}

impl References {
    /// The stored form of `session`, as a read would return it.
    pub fn stored(&self, id: i64, session: &ValidSession) -> Session {
        let (station, district) = self.station.clone().unwrap_or_default();
        let (school_id, venue) = match &session.venue {
            Venue::School(school) => (Some(*school), self.school.clone().unwrap_or_default()),
            Venue::Other(name) => (None, name.clone()),
        };
        let mut topic_ids = session.topic_ids.clone();
        topic_ids.sort_unstable();
        Session {
            id,
            campaign_id: session.campaign_id,
            station_id: session.station_id,
            station,
            district,
            school_id,
            venue,
            held_on: session.held_on,
            format: session.format,
            topic_ids,
            audience: session.audience,
            notes: session.notes.clone(),
            duration_minutes: session.duration_minutes,
            speakers: session.speakers.clone(),
            demo: false,
            version: 1,
        }
    }
}

/// Whether the duplicate rule holds a session that is stored or edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duplicates {
    /// A second live session with the same [`natural_key`] is refused by the database
    /// itself (a unique index), so racing requests or server instances cannot both store one.
    Refused,
    /// Confirmed distinct by the officer (`confirm_distinct`), or demo data, which may
    /// repeat itself: stored without a key.
    Allowed,
}

/// What the duplicate rule compares: station, date, format, topics and venue, as one text
/// (`station|date|format|topic,topic|school|venue`). The venue comes last, so a `|` in it
/// cannot make two keys alike. migrations/*/0008 computes the same text in SQL.
pub fn natural_key(session: &ValidSession) -> String {
    let mut topics = session.topic_ids.clone();
    topics.sort_unstable();
    let topics: Vec<String> = topics.iter().map(i64::to_string).collect();
    let (school_id, venue) = venue_columns(&session.venue);
    format!(
        "{}|{}|{}|{}|{}|{}",
        session.station_id,
        session.held_on.format("%Y-%m-%d"),
        session.format.code(),
        topics.join(","),
        school_id.map(|id| id.to_string()).unwrap_or_default(),
        venue.unwrap_or_default()
    )
}

impl Duplicates {
    /// The `natural_key` column of a session under this rule.
    pub(super) fn key_of(self, session: &ValidSession) -> Option<String> {
        match self {
            Duplicates::Refused => Some(natural_key(session)),
            Duplicates::Allowed => None,
        }
    }
}

/// Stores a demo session and its topics inside the caller's transaction. Demo data is
/// drawn at random and may repeat itself, so the duplicate rule does not hold it.
pub async fn insert_demo_session(
    tx: &mut Transaction<'_, Any>,
    session: &ValidSession,
) -> Result<i64, sqlx::Error> {
    let ids = insert_sessions(tx, &[(session.clone(), Duplicates::Allowed)], true).await?;
    Ok(ids[0])
}

/// Stores validated sessions, their topics and their share of the reach rollup inside the
/// caller's transaction, in about one statement per session; returns their ids in order.
/// A session the duplicate rule refuses fails the whole statement with a unique violation
/// when a live one with its key is stored (or is being stored by another transaction).
pub async fn insert_sessions(
    tx: &mut Transaction<'_, Any>,
    entries: &[(ValidSession, Duplicates)],
    demo: bool,
) -> Result<Vec<i64>, sqlx::Error> {
    let created_at = now_text();
    let mut ids = Vec::with_capacity(entries.len());
    for (session, duplicates) in entries {
        let (school_id, venue) = venue_columns(&session.venue);
        let a = session.audience;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO sessions (campaign_id, station_id, school_id, venue, held_on, format,
                                   students, parents, teachers, others, notes, is_demo, created_at,
                                   duration_minutes, speakers, natural_key)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
             RETURNING id",
        )
        .bind(session.campaign_id)
        .bind(session.station_id)
        .bind(school_id)
        .bind(venue)
        .bind(session.held_on.format("%Y-%m-%d").to_string())
        .bind(session.format.code())
        .bind(a.students)
        .bind(a.parents)
        .bind(a.teachers)
        .bind(a.others)
        .bind(session.notes.clone())
        .bind(i64::from(demo))
        .bind(&created_at)
        .bind(session.duration_minutes)
        .bind(session.speakers.clone())
        .bind(duplicates.key_of(session))
        .fetch_one(&mut **tx)
        .await?;
        ids.push(id);
    }

    let links: Vec<(i64, i64)> = ids
        .iter()
        .zip(entries)
        .flat_map(|(id, (s, _))| s.topic_ids.iter().map(move |t| (*id, *t)))
        .collect();
    for chunk in links.chunks(500) {
        let sql = format!(
            "INSERT INTO session_topics (session_id, topic_id) VALUES {}",
            rows_of(chunk.len(), 2)
        );
        let mut query = sqlx::query(&sql);
        for (session, topic) in chunk {
            query = query.bind(*session).bind(*topic);
        }
        query.execute(&mut **tx).await?;
    }

    let sessions: Vec<ValidSession> = entries.iter().map(|(s, _)| s.clone()).collect();
    add_to_rollup(tx, &sessions, 1).await?;
    Ok(ids)
}

/// The `school_id` and `venue` columns of a venue: exactly one is set.
pub(super) fn venue_columns(venue: &Venue) -> (Option<i64>, Option<String>) {
    match venue {
        Venue::School(id) => (Some(*id), None),
        Venue::Other(name) => (None, Some(name.clone())),
    }
}

/// `($1, $2), ($3, $4), …`: `rows` groups of `width` placeholders.
fn rows_of(rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", placeholders(r * width + 1, width)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Adds new sessions to the reach rollups (`station_month_reach`, `district_month_reach`)
/// in the transaction that stores them, so the rollups and the sessions never disagree.
/// Keys are summed first, since one statement may not update the same row twice.
/// `sign` is 1 to add the sessions and -1 to take them away (an edit or a delete).
pub(super) async fn add_to_rollup(
    tx: &mut Transaction<'_, Any>,
    sessions: &[ValidSession],
    sign: i64,
) -> Result<(), sqlx::Error> {
    let districts = districts_of(tx, sessions).await?;
    let mut by_station: BTreeMap<(i64, i64, String), [i64; 5]> = BTreeMap::new();
    let mut by_district: BTreeMap<(i64, i64, String), [i64; 5]> = BTreeMap::new();
    for s in sessions {
        let month = s.held_on.format("%Y-%m").to_string();
        let a = s.audience;
        let add = [1, a.students, a.parents, a.teachers, a.others].map(|n| n * sign);
        let district = districts.get(&s.station_id).copied().unwrap_or_default();
        for (sums, key) in [
            (
                &mut by_station,
                (s.campaign_id, s.station_id, month.clone()),
            ),
            (&mut by_district, (s.campaign_id, district, month)),
        ] {
            let sum = sums.entry(key).or_default();
            for (total, n) in sum.iter_mut().zip(add) {
                *total += n;
            }
        }
    }
    if sign > 0 {
        upsert_rollup(tx, "station_month_reach", "station_id", by_station).await?;
        upsert_rollup(tx, "district_month_reach", "district_id", by_district).await
    } else {
        subtract_rollup(tx, "station_month_reach", "station_id", by_station).await?;
        subtract_rollup(tx, "district_month_reach", "district_id", by_district).await
    }
}

/// Takes (negative) sums off rows that exist, since the sessions were counted in them.
/// An upsert would not do: its candidate row, with negative counts, fails the CHECKs.
async fn subtract_rollup(
    tx: &mut Transaction<'_, Any>,
    table: &str,
    unit: &str,
    sums: BTreeMap<(i64, i64, String), [i64; 5]>,
) -> Result<(), sqlx::Error> {
    let sql = format!(
        "UPDATE {table} SET sessions = sessions + $1, students = students + $2,
                parents = parents + $3, teachers = teachers + $4, others = others + $5
         WHERE campaign_id = $6 AND {unit} = $7 AND month = $8"
    );
    for ((campaign, unit_id, month), sum) in sums {
        let mut query = sqlx::query(&sql);
        for value in sum {
            query = query.bind(value);
        }
        query
            .bind(campaign)
            .bind(unit_id)
            .bind(month)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The district of each station the sessions name.
async fn districts_of(
    tx: &mut Transaction<'_, Any>,
    sessions: &[ValidSession],
) -> Result<BTreeMap<i64, i64>, sqlx::Error> {
    let mut stations: Vec<i64> = sessions.iter().map(|s| s.station_id).collect();
    stations.sort_unstable();
    stations.dedup();
    let mut districts = BTreeMap::new();
    // A large import may name many stations: bound lists stay under every engine's limit.
    for chunk in stations.chunks(500) {
        let sql = format!(
            "SELECT id, district_id FROM stations WHERE id IN ({})",
            placeholders(1, chunk.len())
        );
        let mut query = sqlx::query_as::<_, (i64, i64)>(&sql);
        for station in chunk {
            query = query.bind(*station);
        }
        districts.extend(query.fetch_all(&mut **tx).await?);
    }
    Ok(districts)
}

async fn upsert_rollup(
    tx: &mut Transaction<'_, Any>,
    table: &str,
    unit: &str,
    sums: BTreeMap<(i64, i64, String), [i64; 5]>,
) -> Result<(), sqlx::Error> {
    let sums: Vec<_> = sums.into_iter().collect();
    for chunk in sums.chunks(200) {
        let sql = format!(
            "INSERT INTO {table}
                 (campaign_id, {unit}, month, sessions, students, parents, teachers, others)
             VALUES {}
             ON CONFLICT (campaign_id, {unit}, month) DO UPDATE SET
                 sessions = {table}.sessions + excluded.sessions,
                 students = {table}.students + excluded.students,
                 parents = {table}.parents + excluded.parents,
                 teachers = {table}.teachers + excluded.teachers,
                 others = {table}.others + excluded.others",
            rows_of(chunk.len(), 8)
        );
        let mut query = sqlx::query(&sql);
        for ((campaign, unit_id, month), sum) in chunk {
            query = query.bind(*campaign).bind(*unit_id).bind(month.clone());
            for value in sum {
                query = query.bind(*value);
            }
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: i64,
    campaign_id: i64,
    station_id: i64,
    station: String,
    district: String,
    school_id: Option<i64>,
    venue: String,
    held_on: String,
    format: String,
    students: i64,
    parents: i64,
    teachers: i64,
    others: i64,
    notes: Option<String>,
    duration_minutes: Option<i64>,
    speakers: Option<String>,
    is_demo: i64,
    version: i64,
}

const SELECT_SESSIONS: &str = "
    SELECT s.id, s.campaign_id, s.station_id, st.name AS station, d.name AS district,
           s.school_id, COALESCE(sc.name, s.venue, '') AS venue, s.held_on, s.format,
           s.students, s.parents, s.teachers, s.others, s.notes, s.duration_minutes, s.speakers,
           s.is_demo, s.version
    FROM sessions s
    JOIN stations st ON st.id = s.station_id
    JOIN districts d ON d.id = st.district_id
    LEFT JOIN schools sc ON sc.id = s.school_id";

/// Filters for listing sessions; `None` means any.
#[derive(Debug, Default, Clone, Copy)]
pub struct SessionFilter {
    pub campaign_id: Option<i64>,
    pub district_id: Option<i64>,
    pub station_id: Option<i64>,
    pub school_id: Option<i64>,
    pub topic_id: Option<i64>,
    /// First and last day, both included.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// How a list is ordered; ties go to the newest entry.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SessionSort {
    #[default]
    HeldOnDesc,
    HeldOnAsc,
    AudienceDesc,
    AudienceAsc,
}

impl SessionSort {
    fn order_by(self) -> &'static str {
        match self {
            SessionSort::HeldOnDesc => "s.held_on DESC, s.id DESC",
            SessionSort::HeldOnAsc => "s.held_on ASC, s.id DESC",
            SessionSort::AudienceDesc => {
                "s.students + s.parents + s.teachers + s.others DESC, s.id DESC"
            }
            SessionSort::AudienceAsc => {
                "s.students + s.parents + s.teachers + s.others ASC, s.id DESC"
            }
        }
    }
}

const FILTERS: &str = "s.deleted_at IS NULL
    AND ($1 IS NULL OR s.campaign_id = $1)
    AND ($2 IS NULL OR st.district_id = $2)
    AND ($3 IS NULL OR s.station_id = $3)
    AND ($4 IS NULL OR s.school_id = $4)
    AND ($5 IS NULL OR EXISTS (SELECT 1 FROM session_topics t
                               WHERE t.session_id = s.id AND t.topic_id = $5))
    AND ($6 IS NULL OR s.held_on >= $6)
    AND ($7 IS NULL OR s.held_on <= $7)";

fn bind_filter<'q, O>(
    query: sqlx::query::QueryAs<'q, Any, O, sqlx::any::AnyArguments<'q>>,
    filter: &SessionFilter,
) -> sqlx::query::QueryAs<'q, Any, O, sqlx::any::AnyArguments<'q>> {
    let day = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    query
        .bind(filter.campaign_id)
        .bind(filter.district_id)
        .bind(filter.station_id)
        .bind(filter.school_id)
        .bind(filter.topic_id)
        .bind(day(filter.from))
        .bind(day(filter.to))
}

/// One page of sessions and how many match in all.
pub async fn list_sessions(
    pool: &AnyPool,
    filter: &SessionFilter,
    sort: SessionSort,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Session>, i64), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let count = format!(
        "SELECT COUNT(*) FROM sessions s JOIN stations st ON st.id = s.station_id WHERE {FILTERS}"
    );
    let (total,): (i64,) = bind_filter(sqlx::query_as(&count), filter)
        .fetch_one(&mut *conn)
        .await?;
    let sql = format!(
        "{SELECT_SESSIONS} WHERE {FILTERS} ORDER BY {} LIMIT $8 OFFSET $9",
        sort.order_by()
    );
    let rows: Vec<SessionRow> = bind_filter(sqlx::query_as(&sql), filter)
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *conn)
        .await?;
    Ok((with_topics(&mut conn, rows).await?, total))
}

/// A session that has not been deleted.
pub async fn get_session(pool: &AnyPool, id: i64) -> Result<Option<Session>, sqlx::Error> {
    fetch_session(&mut *pool.acquire().await?, id).await
}

/// The same, on a given connection (e.g. inside a transaction).
pub async fn fetch_session(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<Session>, sqlx::Error> {
    let sql = format!("{SELECT_SESSIONS} WHERE s.id = $1 AND s.deleted_at IS NULL");
    let rows: Vec<SessionRow> = sqlx::query_as(&sql).bind(id).fetch_all(&mut *conn).await?;
    Ok(with_topics(conn, rows).await?.pop())
}

/// Attaches each session's topics with one query for the whole page.
async fn with_topics(
    conn: &mut AnyConnection,
    rows: Vec<SessionRow>,
) -> Result<Vec<Session>, sqlx::Error> {
    let mut topics: Vec<(i64, i64)> = Vec::new();
    if !rows.is_empty() {
        let sql = format!(
            "SELECT session_id, topic_id FROM session_topics WHERE session_id IN ({})
             ORDER BY session_id, topic_id",
            placeholders(1, rows.len())
        );
        let mut query = sqlx::query_as::<_, (i64, i64)>(&sql);
        for row in &rows {
            query = query.bind(row.id);
        }
        topics = query.fetch_all(&mut *conn).await?;
    }
    rows.into_iter()
        .map(|r| {
            Ok(Session {
                id: r.id,
                campaign_id: r.campaign_id,
                station_id: r.station_id,
                station: r.station,
                district: r.district,
                school_id: r.school_id,
                venue: r.venue,
                held_on: date(&r.held_on)?,
                format: SessionFormat::from_code(&r.format).unwrap_or(SessionFormat::Other),
                topic_ids: topics
                    .iter()
                    .filter(|(s, _)| *s == r.id)
                    .map(|(_, t)| *t)
                    .collect(),
                audience: Audience {
                    students: r.students,
                    parents: r.parents,
                    teachers: r.teachers,
                    others: r.others,
                },
                notes: r.notes,
                duration_minutes: r.duration_minutes,
                speakers: r.speakers,
                demo: r.is_demo != 0,
                version: r.version,
            })
        })
        .collect()
}

/// Every session matching the filter, in the list's order, read as a stream and handed to
/// `each` a batch at a time (with their topics): an export of any size holds one batch.
/// The rows come over `conn`; the topics of each batch over `topics_conn`, since the first
/// is busy streaming.
pub async fn for_each_batch<F: AsyncFnMut(Vec<Session>) -> Result<(), E>, E: From<sqlx::Error>>(
    conn: &mut AnyConnection,
    topics_conn: &mut AnyConnection,
    filter: &SessionFilter,
    sort: SessionSort,
    mut each: F,
) -> Result<(), E> {
    use futures_util::TryStreamExt;
    const BATCH: usize = 500;
    let sql = format!(
        "{SELECT_SESSIONS} WHERE {FILTERS} ORDER BY {}",
        sort.order_by()
    );
    let mut rows = bind_filter(sqlx::query_as::<_, SessionRow>(&sql), filter).fetch(&mut *conn);
    let mut batch = Vec::with_capacity(BATCH);
    while let Some(row) = rows.try_next().await? {
        batch.push(row);
        if batch.len() == BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            each(with_topics(topics_conn, full).await?).await?;
        }
    }
    if !batch.is_empty() {
        each(with_topics(topics_conn, batch).await?).await?;
    }
    Ok(())
}
