//! Changing stored sessions: the duplicate check, edits and soft deletes. The generic record
//! handlers guard each change with the version and audit it; what is particular to sessions
//! is here: every change moves the reach rollups in the same transaction.

use humiao_shared::session::{Session, ValidSession, Venue};
use sqlx::{Any, AnyConnection, Transaction};

use super::rollups;
use super::sessions::{fetch_session, venue_columns, Duplicates};

/// A live session that matches `session` on station, venue, date, format and topics,
/// other than `except`.
pub async fn find_duplicate(
    conn: &mut AnyConnection,
    session: &ValidSession,
    except: Option<i64>,
) -> Result<Option<Session>, sqlx::Error> {
    let (school_id, venue) = venue_columns(&session.venue);
    let candidates: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM sessions
         WHERE station_id = $1 AND held_on = $2 AND format = $3 AND deleted_at IS NULL
           AND COALESCE(school_id, 0) = COALESCE($4, 0) AND COALESCE(venue, '') = COALESCE($5, '')
           AND id <> COALESCE($6, 0)",
    )
    .bind(session.station_id)
    .bind(session.held_on.format("%Y-%m-%d").to_string())
    .bind(session.format.code())
    .bind(school_id)
    .bind(venue)
    .bind(except)
    .fetch_all(&mut *conn)
    .await?;
    let mut topics = session.topic_ids.clone();
    topics.sort_unstable();
    for (id,) in candidates {
        if let Some(existing) = fetch_session(conn, id).await? {
            if existing.topic_ids == topics {
                return Ok(Some(existing));
            }
        }
    }
    Ok(None)
}

/// Replaces a live session's content, its topics and its share of the rollups; the caller
/// has already moved its version on. Content that another live session has, under
/// [`Duplicates::Refused`], fails with a unique violation.
pub async fn replace_session(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    session: &ValidSession,
    duplicates: Duplicates,
) -> Result<(), sqlx::Error> {
    let before = fetch_session(tx, id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let (school_id, venue) = venue_columns(&session.venue);
    let a = session.audience;
    sqlx::query(
        "UPDATE sessions SET campaign_id = $1, station_id = $2, school_id = $3, venue = $4,
                held_on = $5, format = $6, students = $7, parents = $8, teachers = $9,
                others = $10, notes = $11, duration_minutes = $12, speakers = $13,
                natural_key = $14
         WHERE id = $15",
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
    .bind(session.duration_minutes)
    .bind(session.speakers.clone())
    .bind(duplicates.key_of(session))
    .bind(id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM session_topics WHERE session_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for topic in &session.topic_ids {
        sqlx::query("INSERT INTO session_topics (session_id, topic_id) VALUES ($1, $2)")
            .bind(id)
            .bind(*topic)
            .execute(&mut **tx)
            .await?;
    }
    rollups::apply(
        tx,
        std::slice::from_ref(session),
        std::slice::from_ref(&as_valid(&before)),
    )
    .await
}

/// Takes a session that was just marked deleted out of the rollups; it stays in the
/// database and the audit log.
pub async fn take_out(tx: &mut Transaction<'_, Any>, before: &Session) -> Result<(), sqlx::Error> {
    rollups::apply(tx, &[], std::slice::from_ref(&as_valid(before))).await
}

/// The parts of a stored session the rollups count.
fn as_valid(s: &Session) -> ValidSession {
    ValidSession {
        campaign_id: s.campaign_id,
        station_id: s.station_id,
        venue: match s.school_id {
            Some(id) => Venue::School(id),
            None => Venue::Other(s.venue.clone()),
        },
        held_on: s.held_on,
        format: s.format,
        topic_ids: s.topic_ids.clone(),
        audience: s.audience,
        notes: s.notes.clone(),
        duration_minutes: s.duration_minutes,
        speakers: s.speakers.clone(),
    }
}
