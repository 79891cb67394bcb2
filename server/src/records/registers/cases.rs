//! Cases (帮教对象): the server issues each its code (`{station code}-{year}-{seq}`, from
//! `case_codes`, so a deleted case's number is never issued again), keeps its grade's
//! history (`case_grades`), works out its last contact and whether it is overdue, and
//! records every read (see the module above).

use humiao_shared::account::Role;
use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::mentoring::case::{Case, GradeChange, NewCase, ValidCase};
use humiao_shared::mentoring::{case_code, Category, Grade, Sex};
use humiao_shared::record::used_by::UsedBy;
use serde::Deserialize;
use sqlx::{Any, AnyConnection, Transaction};

use super::{case_scope, settings, viewed};
use crate::clock;
use crate::error::ApiError;
use crate::records::named::{self, Named};
use crate::records::{checked, date, day, is_live, Conditions, Found, Resource};
use crate::viewer::Viewer;

pub struct Cases;

/// Filters of `GET /api/v1/cases`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseFilter {
    pub district_id: Option<i64>,
    pub station_id: Option<i64>,
    #[param(inline)]
    pub grade: Option<Grade>,
    #[param(inline)]
    pub category: Option<Category>,
    /// `true`: open cases only; `false`: closed ones only.
    pub open: Option<bool>,
}

/// A case row as read, in the order of [`Cases::load`]'s columns.
type Row = (
    i64,
    String,
    i64,
    i64,
    String,
    Option<i64>,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    Option<String>,
);

fn decode<T>(code: &str, parsed: Option<T>) -> Result<T, sqlx::Error> {
    parsed.ok_or_else(|| sqlx::Error::Decode(format!("unknown code {code}").into()))
}

impl Resource for Cases {
    const NAME: &'static str = "cases";
    const TABLE: &'static str = "cases";
    const FROM: &'static str = "cases t JOIN stations st ON st.id = t.station_id";
    const SORTS: &'static [(&'static str, &'static str)] = &[
        ("code", "t.code"),
        ("-opened", "t.opened_on DESC, t.code"),
        ("grade", "t.grade, t.code"),
    ];
    const PAGE: i64 = 100;
    const KEY_FIELD: &'static str = "station_id";
    const SUMMARY: &'static str = "Mentoring cases, without identity (every read is audited)";
    const EXPORT: &'static humiao_shared::columns::Table = &humiao_shared::columns::CASES;
    const EXPORTERS: Option<&'static [Role]> = Some(&[Role::Admin]);

    type Input = NewCase;
    type Valid = ValidCase;
    type Record = Case;
    type Filter = CaseFilter;

    async fn validate(conn: &mut AnyConnection, input: &NewCase) -> Result<ValidCase, ApiError> {
        let mut refs = FieldErrors::default();
        if input.station_id.is_some() && !is_live(conn, "stations", input.station_id).await? {
            refs.push("station_id", FieldCode::UnknownValue);
        }
        if input.school_id.is_some() && !is_live(conn, "schools", input.school_id).await? {
            refs.push("school_id", FieldCode::UnknownValue);
        }
        checked(input.validate(clock::today()), refs)
    }

    fn named(filter: &CaseFilter) -> Vec<Named> {
        named::given([
            (Named::District, filter.district_id),
            (Named::Station, filter.station_id),
        ])
    }

    fn filter(filter: &CaseFilter, c: &mut Conditions) {
        c.eq("st.district_id", filter.district_id);
        c.eq("t.station_id", filter.station_id);
        c.eq_text("t.grade", filter.grade.map(Grade::code));
        c.eq_text("t.category", filter.category.map(Category::code));
        match filter.open {
            Some(true) => c.raw("t.closed_on IS NULL"),
            Some(false) => c.raw("t.closed_on IS NOT NULL"),
            None => {}
        }
    }

    fn read_scope(viewer: &Viewer, c: &mut Conditions) -> Result<(), ApiError> {
        case_scope(viewer, c, "t")
    }

    const WRITERS: &'static [Role] = &[Role::Admin, Role::Officer];

    async fn may_write(
        conn: &mut AnyConnection,
        viewer: &Viewer,
        valid: &ValidCase,
    ) -> Result<bool, sqlx::Error> {
        crate::records::own_station(conn, viewer, valid.station_id).await
    }

    fn may_delete(viewer: &Viewer, record: &Case) -> bool {
        crate::records::takes_back(viewer, record.station_id)
    }

    async fn load(
        conn: &mut AnyConnection,
        c: &Conditions,
        tail: &str,
    ) -> Result<Vec<Case>, sqlx::Error> {
        let sql = format!(
            "SELECT t.id, t.code, t.station_id, t.birth_year, t.sex, t.school_id, t.category,
                    t.grade, t.opened_on, t.closed_on, t.closing_reason, t.note, t.version,
                    (SELECT MAX(k.contacted_on) FROM contacts k
                     WHERE k.case_id = t.id AND k.deleted_at IS NULL)
             FROM {} WHERE {} {tail}",
            Self::FROM,
            c.sql()
        );
        let rows: Vec<Row> = c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let mut grades = grade_history(conn, &ids).await?;
        let settings = settings(conn).await?;
        let today = clock::today();
        rows.into_iter()
            .map(|row| {
                let (id, code, station_id, birth_year, sex, school_id, category) =
                    (row.0, row.1, row.2, row.3, row.4, row.5, row.6);
                let (grade, opened_on, closed_on, closing_reason, note, version, last) =
                    (row.7, row.8, row.9, row.10, row.11, row.12, row.13);
                let grade = decode(&grade, Grade::from_code(&grade))?;
                let last_contact = last.as_deref().map(date).transpose()?;
                let overdue = settings.case_overdue(
                    grade,
                    date(&opened_on)?,
                    last_contact,
                    closed_on.is_some(),
                    today,
                );
                Ok(Case {
                    id,
                    code,
                    station_id,
                    birth_year: Some(birth_year),
                    sex: Some(decode(&sex, Sex::from_code(&sex))?),
                    school_id,
                    category: decode(&category, Category::from_code(&category))?,
                    grade,
                    opened_on,
                    closed_on,
                    closing_reason,
                    note,
                    grades: grades.remove(&id).unwrap_or_default(),
                    last_contact_on: last,
                    overdue,
                    version,
                })
            })
            .collect()
    }

    /// The code is the natural key and the server issues it: a create never clashes.
    async fn existing(
        _conn: &mut AnyConnection,
        _v: &ValidCase,
    ) -> Result<Option<Found>, sqlx::Error> {
        Ok(None)
    }

    async fn insert(tx: &mut Transaction<'static, Any>, v: &ValidCase) -> Result<i64, sqlx::Error> {
        use chrono::Datelike;
        let year = i64::from(v.opened_on.year());
        let (station_code,): (String,) = sqlx::query_as("SELECT code FROM stations WHERE id = $1")
            .bind(v.station_id)
            .fetch_one(&mut **tx)
            .await?;
        // One statement on both engines: the first case of a year makes the row, the next
        // ones take the row (locked until the transaction ends) and move it on, so two
        // creates at one station never get one number.
        let (seq,): (i64,) = sqlx::query_as(
            "INSERT INTO case_codes (station_id, year, last_seq) VALUES ($1, $2, 1)
             ON CONFLICT (station_id, year) DO UPDATE SET last_seq = case_codes.last_seq + 1
             RETURNING last_seq",
        )
        .bind(v.station_id)
        .bind(year)
        .fetch_one(&mut **tx)
        .await?;
        let code = case_code(&station_code, v.opened_on.year(), seq);
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO cases (code, station_id, birth_year, sex, school_id, category, grade,
                                opened_on, closed_on, closing_reason, note, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(code)
        .bind(v.station_id)
        .bind(v.birth_year)
        .bind(v.sex.code())
        .bind(v.school_id)
        .bind(v.category.code())
        .bind(v.grade.code())
        .bind(day(v.opened_on))
        .bind(v.closed_on.map(day))
        .bind(v.closing_reason.clone())
        .bind(v.note.clone())
        .bind(crate::db::now_text())
        .fetch_one(&mut **tx)
        .await?;
        graded(tx, id, v.grade, &day(v.opened_on)).await?;
        Ok(id)
    }

    async fn update(
        tx: &mut Transaction<'static, Any>,
        id: i64,
        v: &ValidCase,
    ) -> Result<(), sqlx::Error> {
        // The code stays: it was issued for the station and year the case was opened in.
        sqlx::query(
            "UPDATE cases SET station_id = $1, birth_year = $2, sex = $3, school_id = $4,
                 category = $5, grade = $6, opened_on = $7, closed_on = $8,
                 closing_reason = $9, note = $10
             WHERE id = $11",
        )
        .bind(v.station_id)
        .bind(v.birth_year)
        .bind(v.sex.code())
        .bind(v.school_id)
        .bind(v.category.code())
        .bind(v.grade.code())
        .bind(day(v.opened_on))
        .bind(v.closed_on.map(day))
        .bind(v.closing_reason.clone())
        .bind(v.note.clone())
        .bind(id)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// A case with a live team, contacts, events, calls or nights of care stays: they are
    /// its history (close it with a reason instead).
    async fn in_use(conn: &mut AnyConnection, id: i64) -> Result<UsedBy, sqlx::Error> {
        crate::records::used_by(
            conn,
            id,
            &[
                (
                    "case_team",
                    "SELECT COUNT(*) FROM case_team WHERE case_id = $1 AND deleted_at IS NULL",
                ),
                (
                    "contacts",
                    "SELECT COUNT(*) FROM contacts WHERE case_id = $1 AND deleted_at IS NULL",
                ),
                (
                    "case_events",
                    "SELECT COUNT(*) FROM case_events WHERE case_id = $1 AND deleted_at IS NULL",
                ),
                (
                    "runaway_calls",
                    "SELECT COUNT(*) FROM runaway_calls WHERE case_id = $1 AND deleted_at IS NULL",
                ),
                (
                    "night_care",
                    "SELECT COUNT(*) FROM night_care_cases x JOIN night_care n ON n.id = x.care_id
                     WHERE x.case_id = $1 AND n.deleted_at IS NULL",
                ),
            ],
        )
        .await
    }

    /// A new grade is a row of the history, from today.
    async fn updated(
        tx: &mut Transaction<'static, Any>,
        _viewer: &Viewer,
        before: &Case,
        after: &Case,
    ) -> Result<(), sqlx::Error> {
        if before.grade != after.grade {
            graded(tx, after.id, after.grade, &day(clock::today())).await?;
        }
        Ok(())
    }

    /// Every case shown is recorded as viewed; a volunteer gets only what logging a
    /// contact needs.
    async fn redact(
        conn: &mut AnyConnection,
        viewer: &Viewer,
        mut cases: Vec<Case>,
    ) -> Result<Vec<Case>, sqlx::Error> {
        viewed(conn, viewer, Self::NAME, cases.iter().map(|c| c.id)).await?;
        if viewer.role == Role::Volunteer {
            for c in &mut cases {
                c.birth_year = None;
                c.sex = None;
                c.school_id = None;
                c.closing_reason = None;
                c.note = None;
            }
        }
        Ok(cases)
    }

    fn version(c: &Case) -> i64 {
        c.version
    }
}

/// Adds a row to a case's grade history.
async fn graded(
    tx: &mut Transaction<'static, Any>,
    case: i64,
    grade: Grade,
    from_on: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO case_grades (case_id, grade, from_on) VALUES ($1, $2, $3)")
        .bind(case)
        .bind(grade.code())
        .bind(from_on)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The grade histories of these cases, earliest first.
async fn grade_history(
    conn: &mut AnyConnection,
    ids: &[i64],
) -> Result<std::collections::BTreeMap<i64, Vec<GradeChange>>, sqlx::Error> {
    let mut grades = std::collections::BTreeMap::<i64, Vec<GradeChange>>::new();
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT case_id, grade, from_on FROM case_grades WHERE case_id IN ({})
             ORDER BY case_id, id",
            crate::db::placeholders(1, chunk.len())
        );
        let mut query = sqlx::query_as::<_, (i64, String, String)>(&sql);
        for id in chunk {
            query = query.bind(*id);
        }
        for (case, grade, from_on) in query.fetch_all(&mut *conn).await? {
            grades.entry(case).or_default().push(GradeChange {
                grade: decode(&grade, Grade::from_code(&grade))?,
                from_on,
            });
        }
    }
    Ok(grades)
}
