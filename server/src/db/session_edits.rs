//! Changing stored sessions: the duplicate check, edits guarded by a version, soft deletes.
//! Every change moves the reach rollups in the same transaction.

use humiao_shared::session::{Session, ValidSession, Venue};
use sqlx::{Any, AnyPool, Transaction};

use super::now_text;
use super::sessions::{
    add_to_rollup, fetch_session, get_session, venue_columns, Duplicates, References,
};

/// A stored session that matches `session` on station, venue, date, format and topics,
/// other than `except`.
pub async fn find_duplicate(
    pool: &AnyPool,
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
    .fetch_all(pool)
    .await?;
    let mut topics = session.topic_ids.clone();
    topics.sort_unstable();
    for (id,) in candidates {
        if let Some(existing) = get_session(pool, id).await? {
            if existing.topic_ids == topics {
                return Ok(Some(existing));
            }
        }
    }
    Ok(None)
}

/// What became of an edit or a delete.
pub enum Outcome {
    /// Done: the record before and after (`None` after a delete).
    Done {
        before: Session,
        after: Option<Box<Session>>,
    },
    /// The version sent is not the current one; here is the current record.
    Stale(Session),
    Missing,
}

/// Replaces a session's content, if `expected_version` is still its version. Content that
/// another live session has, under [`Duplicates::Refused`], fails with a unique violation.
pub async fn update_session(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    expected_version: i64,
    session: &ValidSession,
    duplicates: Duplicates,
    refs: &References,
) -> Result<Outcome, sqlx::Error> {
    let Some(before) = fetch_session(tx, id).await? else {
        return Ok(Outcome::Missing);
    };
    if before.version != expected_version {
        return Ok(Outcome::Stale(before));
    }
    let (school_id, venue) = venue_columns(&session.venue);
    let a = session.audience;
    // The version in the WHERE clause makes a concurrent edit lose cleanly.
    let changed = sqlx::query(
        "UPDATE sessions SET campaign_id = $1, station_id = $2, school_id = $3, venue = $4,
                held_on = $5, format = $6, students = $7, parents = $8, teachers = $9,
                others = $10, notes = $11, updated_at = $12, version = version + 1,
                duration_minutes = $15, speakers = $16, natural_key = $17
         WHERE id = $13 AND version = $14 AND deleted_at IS NULL",
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
    .bind(now_text())
    .bind(id)
    .bind(expected_version)
    .bind(session.duration_minutes)
    .bind(session.speakers.clone())
    .bind(duplicates.key_of(session))
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Ok(match fetch_session(tx, id).await? {
            Some(current) => Outcome::Stale(current),
            None => Outcome::Missing,
        });
    }
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
    add_to_rollup(tx, std::slice::from_ref(&as_valid(&before)), -1).await?;
    add_to_rollup(tx, std::slice::from_ref(session), 1).await?;
    let mut after = refs.stored(id, session);
    after.version = expected_version + 1;
    after.demo = before.demo;
    Ok(Outcome::Done {
        before,
        after: Some(Box::new(after)),
    })
}

/// Marks a session deleted (it stays in the database and the audit log) and takes it out of
/// the rollups. `expected_version`, when given, must be the current one.
pub async fn delete_session(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    expected_version: Option<i64>,
) -> Result<Outcome, sqlx::Error> {
    let Some(before) = fetch_session(tx, id).await? else {
        return Ok(Outcome::Missing);
    };
    if expected_version.is_some_and(|v| v != before.version) {
        return Ok(Outcome::Stale(before));
    }
    let changed = sqlx::query(
        "UPDATE sessions SET deleted_at = $1, version = version + 1
         WHERE id = $2 AND version = $3 AND deleted_at IS NULL",
    )
    .bind(now_text())
    .bind(id)
    .bind(before.version)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Ok(match fetch_session(tx, id).await? {
            Some(current) => Outcome::Stale(current),
            None => Outcome::Missing,
        });
    }
    add_to_rollup(tx, std::slice::from_ref(&as_valid(&before)), -1).await?;
    Ok(Outcome::Done {
        before,
        after: None,
    })
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
