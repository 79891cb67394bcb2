//! Education sessions as a [`Resource`]: officers log, list, edit and delete them through the
//! generic handlers, like every other record. What is particular to sessions:
//!
//! - creates go to the group-commit writer ([`crate::db::writer`]), which stores many
//!   officers' entries in one transaction ([`Resource::GROUP_COMMIT`]);
//! - the natural key (station, venue, date, format, topics) holds unless the entry says
//!   `confirm_distinct`, and a clash is 409 `duplicate_session`;
//! - every change moves the reach rollups in its transaction ([`crate::db::session_edits`]);
//! - the list clamps `limit` (1–500) and `page` into range rather than refusing them, as it
//!   always has.

use chrono::NaiveDate;
use futures_util::FutureExt;
use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::session::{ClosingDays, Context, NewSession, Session, ValidSession, Venue};
use serde::Deserialize;
use sqlx::{Any, AnyConnection, Transaction};

use super::named::{self, Named};
use super::{checked, own_station, Conditions, Found, GroupCommit, Resource};
use crate::clock;
use crate::db::idempotency::Pending;
use crate::db::session_edits::{find_duplicate, replace_session, take_out};
use crate::db::sessions::{
    insert_sessions, lookup_references, with_topics, Duplicates, References, SessionRow,
    SESSIONS_FROM, SESSION_COLUMNS,
};
use crate::db::writer::{Job, SessionWriter};
use crate::error::{ApiError, Conflict};
use crate::returns::locks::period_of_day;
use crate::viewer::{Scope, Viewer};
use humiao_shared::account::Role;

pub struct Sessions;

/// Filters of `GET /api/v1/sessions`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SessionFilter {
    pub campaign_id: Option<i64>,
    pub district_id: Option<i64>,
    pub station_id: Option<i64>,
    pub school_id: Option<i64>,
    /// Sessions on this topic (among others).
    pub topic_id: Option<i64>,
    /// `YYYY-MM-DD`, included.
    pub from: Option<NaiveDate>,
    /// `YYYY-MM-DD`, included.
    pub to: Option<NaiveDate>,
}

/// An entry that passed the rules: the session, what its ids name (to answer with it as
/// stored), and whether the duplicate rule holds it.
pub struct Entry {
    session: ValidSession,
    refs: References,
    duplicates: Duplicates,
}

impl Resource for Sessions {
    const NAME: &'static str = "sessions";
    const TABLE: &'static str = "sessions";
    const FROM: &'static str = SESSIONS_FROM;
    const SORTS: &'static [(&'static str, &'static str)] = &[
        ("held_on_desc", "t.held_on DESC, t.id DESC"),
        ("held_on_asc", "t.held_on ASC, t.id DESC"),
        (
            "audience_desc",
            "t.students + t.parents + t.teachers + t.others DESC, t.id DESC",
        ),
        (
            "audience_asc",
            "t.students + t.parents + t.teachers + t.others ASC, t.id DESC",
        ),
    ];
    const MAX_LIMIT: i64 = 500;
    const CLAMP_PAGING: bool = true;
    const DUPLICATE: Conflict = Conflict::DuplicateSession;
    const GROUP_COMMIT: Option<GroupCommit<Self>> =
        Some(|req, viewer, entry, pending| group_commit(req, viewer, entry, pending).boxed_local());
    // A deleted session keeps no key (the unique index holds live ones), so no clash with
    // one is ever reported on this field.
    const KEY_FIELD: &'static str = "held_on";
    const SUMMARY: &'static str = "Education sessions, newest first";
    const EXPORT: &'static humiao_shared::columns::Table = &humiao_shared::columns::SESSIONS;
    const WRITERS: &'static [Role] = &[Role::Admin, Role::Officer];

    type Input = NewSession;
    type Valid = Entry;
    type Record = Session;
    type Filter = SessionFilter;

    /// The shared rules and the reference check, with every problem reported at once.
    async fn validate(conn: &mut AnyConnection, input: &NewSession) -> Result<Entry, ApiError> {
        let refs = lookup_references(conn, input).await?;
        let ctx = Context {
            today: clock::today(),
            campaign_window: refs.campaign_window,
        };
        let session = checked(input.validate(&ctx), check_references(&refs, input))?;
        check_open(conn, &session).await?;
        // The duplicate rule holds unless the officer confirmed the session is another one.
        let duplicates = if input.confirm_distinct {
            Duplicates::Allowed
        } else {
            Duplicates::Refused
        };
        Ok(Entry {
            session,
            refs,
            duplicates,
        })
    }

    fn named(f: &SessionFilter) -> Vec<Named> {
        named::given([
            (Named::District, f.district_id),
            (Named::Station, f.station_id),
            (Named::School, f.school_id),
            (Named::Campaign, f.campaign_id),
            (Named::Topic, f.topic_id),
        ])
    }

    fn filter(f: &SessionFilter, c: &mut Conditions) {
        c.eq("t.campaign_id", f.campaign_id);
        c.eq("st.district_id", f.district_id);
        c.eq("t.station_id", f.station_id);
        c.eq("t.school_id", f.school_id);
        if let Some(topic) = f.topic_id {
            c.int(
                "EXISTS (SELECT 1 FROM session_topics tp WHERE tp.session_id = t.id AND tp.topic_id = ?)",
                topic,
            );
        }
        if let Some(from) = f.from {
            c.text("t.held_on >= ?", super::day(from));
        }
        if let Some(to) = f.to {
            c.text("t.held_on <= ?", super::day(to));
        }
    }

    async fn load(
        conn: &mut AnyConnection,
        conditions: &Conditions,
        tail: &str,
    ) -> Result<Vec<Session>, sqlx::Error> {
        let sql = format!(
            "SELECT {SESSION_COLUMNS} FROM {SESSIONS_FROM} WHERE {} {tail}",
            conditions.sql()
        );
        let rows: Vec<SessionRow> = conditions
            .bind(sqlx::query_as(&sql))
            .fetch_all(&mut *conn)
            .await?;
        with_topics(conn, rows).await
    }

    /// A live session with the same station, venue, date, format and topics, when the
    /// duplicate rule holds the entry. Deleted ones are history and never come back.
    async fn existing(
        conn: &mut AnyConnection,
        entry: &Entry,
    ) -> Result<Option<Found>, sqlx::Error> {
        other_than(conn, entry, None).await
    }

    async fn other_with_key(
        conn: &mut AnyConnection,
        entry: &Entry,
        id: i64,
    ) -> Result<Option<Found>, sqlx::Error> {
        other_than(conn, entry, Some(id)).await
    }

    /// Unused while [`Resource::GROUP_COMMIT`] is set; stores one session as the writer
    /// does, should a caller store one in its own transaction.
    async fn insert(tx: &mut Transaction<'static, Any>, entry: &Entry) -> Result<i64, sqlx::Error> {
        let ids = insert_sessions(tx, &[(entry.session.clone(), entry.duplicates)], false).await?;
        Ok(ids[0])
    }

    async fn update(
        tx: &mut Transaction<'static, Any>,
        id: i64,
        entry: &Entry,
    ) -> Result<(), sqlx::Error> {
        replace_session(tx, id, &entry.session, entry.duplicates).await
    }

    async fn deleted(
        tx: &mut Transaction<'static, Any>,
        before: &Session,
    ) -> Result<(), sqlx::Error> {
        take_out(tx, before).await
    }

    /// A district's leader reads the district's sessions, an officer the station's, a
    /// school those held there.
    fn read_scope(viewer: &Viewer, c: &mut Conditions) -> Result<(), ApiError> {
        // A volunteer's scope is their station's, but sessions are the officers' work.
        if viewer.role == Role::Volunteer {
            return Err(ApiError::Forbidden);
        }
        match viewer.scope {
            Scope::All => {}
            Scope::City(_) | Scope::District(_) => {
                super::within_districts(viewer, c, "st.district_id")
            }
            Scope::Station { station, .. } => c.eq("t.station_id", Some(station)),
            Scope::School { school, .. } => c.eq("t.school_id", Some(school)),
        }
        Ok(())
    }

    /// Administrators log any station's sessions, officers their own station's.
    async fn may_write(
        conn: &mut AnyConnection,
        viewer: &Viewer,
        entry: &Entry,
    ) -> Result<bool, sqlx::Error> {
        own_station(conn, viewer, entry.session.station_id).await
    }

    /// Whoever may write sessions may delete those they see (an officer sees only the
    /// station's).
    fn may_delete(_viewer: &Viewer, _record: &Session) -> bool {
        true
    }

    fn period(entry: &Entry) -> Option<super::Period> {
        let s = &entry.session;
        Some(period_of_day(s.station_id, s.held_on))
    }

    fn period_of(record: &Session) -> Option<super::Period> {
        Some(period_of_day(record.station_id, record.held_on))
    }

    fn version(record: &Session) -> i64 {
        record.version
    }
}

/// A live session other than `except` that the entry would duplicate, if the rule holds it.
async fn other_than(
    conn: &mut AnyConnection,
    entry: &Entry,
    except: Option<i64>,
) -> Result<Option<Found>, sqlx::Error> {
    if entry.duplicates == Duplicates::Allowed {
        return Ok(None);
    }
    let found = find_duplicate(conn, &entry.session, except).await?;
    Ok(found.map(|s| Found {
        id: s.id,
        live: true,
    }))
}

/// Hands the entry to the group-commit writer; the session as stored, once committed.
async fn group_commit(
    req: &actix_web::HttpRequest,
    viewer: &Viewer,
    entry: &Entry,
    pending: &Pending,
) -> Result<(i64, Session), sqlx::Error> {
    let writer = req
        .app_data::<actix_web::web::Data<SessionWriter>>()
        .ok_or(sqlx::Error::PoolClosed)?;
    let job = Job {
        session: entry.session.clone(),
        duplicates: entry.duplicates,
        refs: entry.refs.clone(),
        pending: pending.clone(),
        actor: viewer.actor().to_string(),
    };
    let session = writer.insert(job).await?;
    tracing::info!(
        session_id = session.id,
        station_id = session.station_id,
        "session logged"
    );
    Ok((session.id, session))
}

/// Refuses (422) a session held after its station or school closed (see
/// [`ValidSession::check_open`]); the imports of sessions run it too.
pub async fn check_open(conn: &mut AnyConnection, session: &ValidSession) -> Result<(), ApiError> {
    let school = match session.venue {
        Venue::School(id) => Some(id),
        Venue::Other(_) => None,
    };
    let (station, school): (Option<String>, Option<String>) = sqlx::query_as(
        "SELECT (SELECT closed_on FROM stations WHERE id = $1),
                (SELECT closed_on FROM schools WHERE id = $2)",
    )
    .bind(session.station_id)
    .bind(school)
    .fetch_one(&mut *conn)
    .await?;
    let closing = ClosingDays {
        station: station.as_deref().map(super::date).transpose()?,
        school: school.as_deref().map(super::date).transpose()?,
    };
    session.check_open(closing).map_err(ApiError::Validation)
}

/// Reports every id in the entry that names nothing stored.
fn check_references(refs: &References, input: &NewSession) -> FieldErrors {
    let mut errors = FieldErrors::default();
    if input.campaign_id.is_some() && refs.campaign_window.is_none() {
        errors.push("campaign_id", FieldCode::UnknownValue);
    }
    if input.station_id.is_some() && refs.station.is_none() {
        errors.push("station_id", FieldCode::UnknownValue);
    }
    if input.school_id.is_some() && refs.school.is_none() {
        errors.push("school_id", FieldCode::UnknownValue);
    }
    // Duplicates are the shared rules' to report; count each id once here.
    let mut distinct = input.topic_ids.clone();
    distinct.sort_unstable();
    distinct.dedup();
    if refs.known_topics < distinct.len() {
        errors.push("topic_ids", FieldCode::UnknownValue);
    }
    errors
}

/// The list's paging as the API document states it. The handlers read the generic
/// [`super::handlers::Page`]; this says what sessions make of it: a `limit` up to 500,
/// brought into range rather than refused, and the sort keys of [`Sessions`]' `SORTS`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SessionPage {
    /// Rows per page, 1–500 (default 50); a number out of range is brought into it.
    pub limit: Option<i64>,
    /// The page, from 1.
    pub page: Option<i64>,
    #[serde(default)]
    #[param(inline)]
    pub sort: SessionSort,
}

/// How a list is ordered; ties go to the newest entry.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SessionSort {
    #[default]
    HeldOnDesc,
    HeldOnAsc,
    AudienceDesc,
    AudienceAsc,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_sort_keys_are_the_lists_own() {
        let keys: Vec<&str> = Sessions::SORTS.iter().map(|(k, _)| *k).collect();
        let documented = [
            SessionSort::HeldOnDesc,
            SessionSort::HeldOnAsc,
            SessionSort::AudienceDesc,
            SessionSort::AudienceAsc,
        ];
        assert_eq!(keys.len(), documented.len());
        for (key, sort) in keys.iter().zip(documented) {
            let parsed: SessionSort = serde_json::from_value(serde_json::json!(key)).unwrap();
            assert_eq!(parsed, sort, "{key}");
        }
        assert_eq!(
            SessionSort::default(),
            documented[0],
            "the default sorts first"
        );
    }
}
