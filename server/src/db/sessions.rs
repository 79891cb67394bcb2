//! Education sessions: checking what a new one refers to, storing them (with their topics
//! and their share of the reach rollups, [`super::rollups`]) and reading them back.

use chrono::NaiveDate;
use humiao_shared::rules::MAX_TOPICS;
use humiao_shared::session::{Audience, NewSession, Session, SessionFormat, ValidSession, Venue};
use sqlx::{Any, AnyConnection, Transaction};

use super::{date, now_text, placeholders, rollups};

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
    conn: &mut AnyConnection,
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
    let (starts, ends, station, district, school, known) = query.fetch_one(conn).await?;
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

/// Stores validated sessions, their topics and their share of the reach rollups
/// ([`rollups::apply`]) inside the caller's transaction, in about one statement per session; returns their ids in order.
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
    rollups::apply(tx, &sessions, &[]).await?;
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

/// A row of [`SESSION_COLUMNS`], before its topics are attached ([`with_topics`]).
#[derive(sqlx::FromRow)]
pub struct SessionRow {
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

/// The rows joined to read sessions, the session as `t` and its station as `st`.
pub const SESSIONS_FROM: &str = "sessions t
    JOIN stations st ON st.id = t.station_id
    JOIN districts d ON d.id = st.district_id
    LEFT JOIN schools sc ON sc.id = t.school_id";

/// The columns of a [`SessionRow`], from [`SESSIONS_FROM`].
pub const SESSION_COLUMNS: &str = "t.id, t.campaign_id, t.station_id, st.name AS station,
    d.name AS district, t.school_id, COALESCE(sc.name, t.venue, '') AS venue, t.held_on,
    t.format, t.students, t.parents, t.teachers, t.others, t.notes, t.duration_minutes,
    t.speakers, t.is_demo, t.version";

/// A session that has not been deleted, on a given connection (e.g. inside a transaction).
pub async fn fetch_session(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<Session>, sqlx::Error> {
    let sql = format!(
        "SELECT {SESSION_COLUMNS} FROM {SESSIONS_FROM} WHERE t.id = $1 AND t.deleted_at IS NULL"
    );
    let rows: Vec<SessionRow> = sqlx::query_as(&sql).bind(id).fetch_all(&mut *conn).await?;
    Ok(with_topics(conn, rows).await?.pop())
}

/// Attaches each session's topics with one query for the whole page.
pub async fn with_topics(
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
