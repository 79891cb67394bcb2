//! Contacts with a case (走访, 电话, 到校, 活动, 解决困难), logged by a member of its team.
//! A volunteer logs contacts on the cases they are paired with, as themselves, and reads
//! back their own; officers and administrators read and log their scope's.

use humiao_shared::account::Role;
use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::mentoring::contact::{Contact, ContactKind, NewContact, ValidContact};
use serde::Deserialize;
use sqlx::{Any, AnyConnection, Transaction};

use super::{case_scope, own_case, paired, viewed};
use crate::clock;
use crate::error::ApiError;
use crate::records::{checked, day, Conditions, Found, Resource};
use crate::viewer::Viewer;

pub struct Contacts;

/// Filters of `GET /api/v1/contacts`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContactFilter {
    pub case_id: Option<i64>,
    pub station_id: Option<i64>,
}

/// A volunteer's own contacts: made as a team row of theirs (bound to `?`).
const OWN_CONTACTS: &str = "t.team_member_id IN (SELECT ct.id FROM case_team ct
     JOIN volunteers cv ON cv.id = ct.volunteer_id WHERE cv.user_id = ?)";

impl Resource for Contacts {
    const NAME: &'static str = "contacts";
    const TABLE: &'static str = "contacts";
    const FROM: &'static str = "contacts t JOIN cases cs ON cs.id = t.case_id
                                JOIN stations st ON st.id = cs.station_id";
    const SORTS: &'static [(&'static str, &'static str)] = &[
        ("-date", "t.contacted_on DESC, t.id DESC"),
        ("date", "t.contacted_on, t.id"),
    ];
    const PAGE: i64 = 100;
    const KEY_FIELD: &'static str = "kind";
    const SUMMARY: &'static str = "Contacts with a case by its team (every read is audited)";
    const EXPORT: &'static humiao_shared::columns::Table = &humiao_shared::columns::CONTACTS;
    const EXPORTERS: Option<&'static [Role]> = Some(&[Role::Admin]);

    type Input = NewContact;
    type Valid = ValidContact;
    type Record = Contact;
    type Filter = ContactFilter;

    async fn validate(
        conn: &mut AnyConnection,
        input: &NewContact,
    ) -> Result<ValidContact, ApiError> {
        let mut refs = FieldErrors::default();
        if input.case_id.is_some() && super::case_station(conn, input.case_id).await?.is_none() {
            refs.push("case_id", FieldCode::UnknownValue);
        }
        if let Some(member) = input.team_member_id {
            let row: Option<(i64,)> = sqlx::query_as(
                "SELECT case_id FROM case_team WHERE id = $1 AND deleted_at IS NULL",
            )
            .bind(member)
            .fetch_optional(&mut *conn)
            .await?;
            match row {
                None => refs.push("team_member_id", FieldCode::UnknownValue),
                Some((case,)) if Some(case) != input.case_id => {
                    refs.push("team_member_id", FieldCode::NotAssigned)
                }
                _ => {}
            }
        }
        checked(input.validate(clock::today()), refs)
    }

    fn filter(filter: &ContactFilter, c: &mut Conditions) {
        c.eq("t.case_id", filter.case_id);
        c.eq("cs.station_id", filter.station_id);
    }

    fn read_scope(viewer: &Viewer, c: &mut Conditions) -> Result<(), ApiError> {
        case_scope(viewer, c, "cs")?;
        if viewer.role == Role::Volunteer {
            c.int(OWN_CONTACTS, viewer.user_id.unwrap_or_default());
        }
        Ok(())
    }

    const WRITERS: &'static [Role] = &[Role::Admin, Role::Officer, Role::Volunteer];

    /// Officers and administrators on their scope's cases; a volunteer as themselves on a
    /// case they are paired with today.
    async fn may_write(
        conn: &mut AnyConnection,
        viewer: &Viewer,
        valid: &ValidContact,
    ) -> Result<bool, sqlx::Error> {
        if viewer.role != Role::Volunteer {
            return own_case(conn, viewer, valid.case_id).await;
        }
        let Some(user) = viewer.user_id else {
            return Ok(false);
        };
        let sql = format!(
            "SELECT COUNT(*) FROM cases t
             WHERE t.id = $1 AND t.deleted_at IS NULL AND {}
               AND EXISTS (SELECT 1 FROM case_team mt JOIN volunteers mv ON mv.id = mt.volunteer_id
                           WHERE mt.id = $3 AND mv.user_id = $2)",
            paired("t").replace('?', "$2")
        );
        let (n,): (i64,) = sqlx::query_as(&sql)
            .bind(valid.case_id)
            .bind(user)
            .bind(valid.team_member_id)
            .fetch_one(&mut *conn)
            .await?;
        Ok(n > 0)
    }

    fn may_delete(viewer: &Viewer, _record: &Contact) -> bool {
        matches!(viewer.role, Role::Admin | Role::Officer)
    }

    async fn load(
        conn: &mut AnyConnection,
        c: &Conditions,
        tail: &str,
    ) -> Result<Vec<Contact>, sqlx::Error> {
        let sql = format!(
            "SELECT t.id, t.case_id, t.contacted_on, t.kind, t.team_member_id, t.next_due_on,
                    t.note, t.version
             FROM {} WHERE {} {tail}",
            Self::FROM,
            c.sql()
        );
        type Row = (
            i64,
            i64,
            String,
            String,
            i64,
            Option<String>,
            Option<String>,
            i64,
        );
        let rows: Vec<Row> = c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
        rows.into_iter()
            .map(
                |(id, case_id, contacted_on, kind, team_member_id, next_due_on, note, version)| {
                    Ok(Contact {
                        id,
                        case_id,
                        contacted_on,
                        kind: ContactKind::from_code(&kind).ok_or_else(|| {
                            sqlx::Error::Decode(format!("unknown contact kind {kind}").into())
                        })?,
                        team_member_id,
                        next_due_on,
                        note,
                        version,
                    })
                },
            )
            .collect()
    }

    async fn existing(
        conn: &mut AnyConnection,
        v: &ValidContact,
    ) -> Result<Option<Found>, sqlx::Error> {
        let row = sqlx::query_as(
            "SELECT id, deleted_at FROM contacts
             WHERE case_id = $1 AND contacted_on = $2 AND kind = $3 AND team_member_id = $4",
        )
        .bind(v.case_id)
        .bind(day(v.contacted_on))
        .bind(v.kind.code())
        .bind(v.team_member_id)
        .fetch_optional(&mut *conn)
        .await?;
        Ok(Found::from_row(row))
    }

    async fn insert(
        tx: &mut Transaction<'static, Any>,
        v: &ValidContact,
    ) -> Result<i64, sqlx::Error> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO contacts
                 (case_id, contacted_on, kind, team_member_id, next_due_on, note, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(v.case_id)
        .bind(day(v.contacted_on))
        .bind(v.kind.code())
        .bind(v.team_member_id)
        .bind(v.next_due_on.map(day))
        .bind(v.note.clone())
        .bind(crate::db::now_text())
        .fetch_one(&mut **tx)
        .await?;
        Ok(id)
    }

    async fn update(
        tx: &mut Transaction<'static, Any>,
        id: i64,
        v: &ValidContact,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE contacts SET case_id = $1, contacted_on = $2, kind = $3,
                 team_member_id = $4, next_due_on = $5, note = $6
             WHERE id = $7",
        )
        .bind(v.case_id)
        .bind(day(v.contacted_on))
        .bind(v.kind.code())
        .bind(v.team_member_id)
        .bind(v.next_due_on.map(day))
        .bind(v.note.clone())
        .bind(id)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    async fn redact(
        conn: &mut AnyConnection,
        viewer: &Viewer,
        rows: Vec<Contact>,
    ) -> Result<Vec<Contact>, sqlx::Error> {
        viewed(conn, viewer, Self::NAME, rows.iter().map(|r| r.case_id)).await?;
        Ok(rows)
    }

    fn version(r: &Contact) -> i64 {
        r.version
    }
}
