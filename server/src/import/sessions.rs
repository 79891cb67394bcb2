//! Education sessions from a file. Stations and schools are given by code or name, topics
//! by code or name in either language, the campaign by its year (blank: the campaign whose
//! window holds the date). An officer may leave the station blank: it is their own.
//!
//! The natural key is the one `POST /api/v1/sessions` calls a duplicate: station, venue
//! (school or other place), date, format and topics. A file that holds two sessions with the
//! same key is refused at the second row: log such sessions one by one in the app, where
//! `confirm_distinct` says they are different.

use humiao_shared::account::Role;
use humiao_shared::import::{parse_bool, split_list, ImportKind};
use humiao_shared::session::{Audience, Context, NewSession, SessionFormat, ValidSession};
use sqlx::{Any, AnyConnection, Transaction};

use super::{
    choice, count, date_text, reference, Campaigns, Cells, Names, RowProblems, Sheet, Status,
};
use crate::clock;
use crate::db::sessions::{insert_sessions, Duplicates};
use crate::error::ApiError;
use crate::returns::locks::{period_of_day, Period};
use crate::viewer::Viewer;
use humiao_shared::error::FieldCode;

pub struct Sessions;

pub struct SessionNames {
    campaigns: Campaigns,
    stations: Names,
    schools: Names,
    topics: Names,
}

impl Sheet for Sessions {
    const KIND: ImportKind = ImportKind::Sessions;
    const IMPORTERS: &'static [Role] = &[Role::Admin, Role::Officer];
    const SCOPE_COLUMN: &'static str = "station";
    const FIELDS: &'static [(&'static str, &'static str)] = &[
        ("campaign_id", "campaign"),
        ("station_id", "station"),
        ("school_id", "school"),
        ("venue", "venue"),
        ("held_on", "held_on"),
        ("format", "format"),
        ("topic_ids", "topics"),
        ("students", "students"),
        ("parents", "parents"),
        ("teachers", "teachers"),
        ("others", "others"),
        ("audience", "students"),
        ("confirm_large_audience", "confirm_large"),
        ("duration_minutes", "duration"),
        ("speakers", "speakers"),
        ("notes", "notes"),
    ];

    type Input = NewSession;
    type Valid = ValidSession;
    type Names = SessionNames;

    async fn names(conn: &mut AnyConnection) -> Result<SessionNames, sqlx::Error> {
        let mut topics = Names::load(
            conn,
            "SELECT id, code, name_zh FROM topics WHERE deleted_at IS NULL",
        )
        .await?;
        topics
            .load_more(
                conn,
                "SELECT id, NULL, name_en FROM topics WHERE deleted_at IS NULL",
            )
            .await?;
        Ok(SessionNames {
            campaigns: Campaigns::load(conn).await?,
            stations: Names::load(
                conn,
                "SELECT id, code, name FROM stations WHERE deleted_at IS NULL",
            )
            .await?,
            schools: Names::load(
                conn,
                "SELECT id, code, name FROM schools WHERE deleted_at IS NULL",
            )
            .await?,
            topics,
        })
    }

    fn input(
        cells: &Cells<'_>,
        names: &SessionNames,
        viewer: &Viewer,
        problems: &mut RowProblems,
    ) -> NewSession {
        let held_on = date_text(cells.get("held_on"));
        let campaign_id = match cells.get("campaign") {
            "" => humiao_shared::import::parse_cell_date(&held_on)
                .ok()
                .and_then(|day| names.campaigns.holding(day)),
            year => names.campaigns.of_year(problems, "campaign", year),
        };
        let station_id = match cells.get("station") {
            "" if viewer.role == Role::Officer => viewer.station(),
            text => reference(problems, "station", &names.stations, text),
        };
        let mut topic_ids = Vec::new();
        for topic in split_list(cells.get("topics")) {
            if let Some(id) = reference(problems, "topics", &names.topics, topic) {
                topic_ids.push(id);
            }
        }
        let duration = humiao_shared::rules::plain_number(cells.get("duration"));
        let duration_minutes = if duration.is_empty() {
            None
        } else {
            problems.check(
                "duration",
                duration.parse::<i64>().map_err(|_| FieldCode::NotANumber),
            )
        };
        let text = |key: &str| Some(cells.get(key).to_string()).filter(|t| !t.is_empty());
        NewSession {
            campaign_id,
            station_id,
            school_id: reference(problems, "school", &names.schools, cells.get("school")),
            venue: text("venue"),
            held_on,
            format: choice(
                problems,
                "format",
                cells.get("format"),
                &SessionFormat::ALL,
                SessionFormat::code,
                SessionFormat::label,
            ),
            topic_ids,
            audience: Audience {
                students: count(problems, "students", cells.get("students")),
                parents: count(problems, "parents", cells.get("parents")),
                teachers: count(problems, "teachers", cells.get("teachers")),
                others: count(problems, "others", cells.get("others")),
            },
            confirm_large_audience: problems
                .check("confirm_large", parse_bool(cells.get("confirm_large")))
                .unwrap_or(false),
            confirm_distinct: false,
            notes: text("notes"),
            duration_minutes,
            speakers: text("speakers"),
        }
    }

    /// The shared rules, and whether the station and school were open that day: every id
    /// in the input came from a live record's name.
    async fn validate(
        conn: &mut AnyConnection,
        names: &SessionNames,
        input: &NewSession,
    ) -> Result<ValidSession, ApiError> {
        let ctx = Context {
            today: clock::today(),
            campaign_window: names.campaigns.window(input.campaign_id),
        };
        let session = input.validate(&ctx).map_err(ApiError::Validation)?;
        // A station or school that had closed by the day takes no session, as in the API.
        crate::records::sessions::check_open(conn, &session).await?;
        Ok(session)
    }

    async fn in_scope(
        conn: &mut AnyConnection,
        viewer: &Viewer,
        valid: &ValidSession,
    ) -> Result<bool, sqlx::Error> {
        crate::records::own_station(conn, viewer, valid.station_id).await
    }

    fn key(v: &ValidSession) -> String {
        let mut topics = v.topic_ids.clone();
        topics.sort_unstable();
        format!(
            "{}|{:?}|{}|{}|{:?}",
            v.station_id,
            v.venue,
            v.held_on,
            v.format.code(),
            topics
        )
    }

    fn period(v: &ValidSession) -> Option<Period> {
        Some(period_of_day(v.station_id, v.held_on))
    }

    const PERIOD_COLUMN: &'static str = "held_on";

    async fn status(conn: &mut AnyConnection, v: &ValidSession) -> Result<Status, sqlx::Error> {
        let (school_id, venue) = match &v.venue {
            humiao_shared::session::Venue::School(id) => (Some(*id), None),
            humiao_shared::session::Venue::Other(name) => (None, Some(name.clone())),
        };
        type Row = (
            i64,
            i64,
            i64,
            i64,
            i64,
            i64,
            Option<String>,
            Option<i64>,
            Option<String>,
        );
        let candidates: Vec<Row> = sqlx::query_as(
            "SELECT id, campaign_id, students, parents, teachers, others, notes, duration_minutes,
                    speakers
             FROM sessions
             WHERE station_id = $1 AND held_on = $2 AND format = $3 AND deleted_at IS NULL
               AND COALESCE(school_id, 0) = COALESCE($4, 0)
               AND COALESCE(venue, '') = COALESCE($5, '')",
        )
        .bind(v.station_id)
        .bind(v.held_on.format("%Y-%m-%d").to_string())
        .bind(v.format.code())
        .bind(school_id)
        .bind(venue)
        .fetch_all(&mut *conn)
        .await?;
        let mut topics = v.topic_ids.clone();
        topics.sort_unstable();
        for (id, campaign, students, parents, teachers, others, notes, minutes, speakers) in
            candidates
        {
            let stored: Vec<(i64,)> = sqlx::query_as(
                "SELECT topic_id FROM session_topics WHERE session_id = $1 ORDER BY topic_id",
            )
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
            if stored.into_iter().map(|(t,)| t).collect::<Vec<_>>() != topics {
                continue;
            }
            let a = v.audience;
            let same = campaign == v.campaign_id
                && [students, parents, teachers, others]
                    == [a.students, a.parents, a.teachers, a.others]
                && notes == v.notes
                && minutes == v.duration_minutes
                && speakers == v.speakers;
            return Ok(if same {
                Status::Unchanged
            } else {
                Status::Present
            });
        }
        Ok(Status::New)
    }

    /// One multi-row insert per batch, with the topics and the reach rollups.
    async fn store(
        tx: &mut Transaction<'static, Any>,
        rows: &[(ValidSession, Status)],
    ) -> Result<Vec<i64>, sqlx::Error> {
        // A file has no `confirm_distinct`: each of its sessions is the only one of its key.
        let new: Vec<(ValidSession, Duplicates)> = rows
            .iter()
            .filter(|(_, status)| *status == Status::New)
            .map(|(v, _)| (v.clone(), Duplicates::Refused))
            .collect();
        // The rollups' upsert has no rows to write for none (a second import of a file).
        if new.is_empty() {
            return Ok(Vec::new());
        }
        insert_sessions(tx, &new, false).await
    }
}
