//! Screening assignments: a campaign asks a set of schools to screen a set of films
//! within a window.

use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::screening::{Assignment, NewAssignment, ValidAssignment};
use serde::Deserialize;
use sqlx::{Any, AnyConnection, Transaction};

use super::named::{self, Named};
use super::{
    checked, count_live, date, day, items_of, links, outside_dates, set_links, used_by, Conditions,
    Dated, Found, Outside, Resource,
};
use crate::error::ApiError;
use crate::viewer::Viewer;
use humiao_shared::account::Role;
use humiao_shared::record::used_by::UsedBy;

pub struct Assignments;

/// Filters of `GET /api/v1/assignments`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssignmentFilter {
    pub campaign_id: Option<i64>,
    /// Assignments that expect this school.
    pub school_id: Option<i64>,
    /// Assignments that include this film.
    pub film_id: Option<i64>,
    /// Assignments whose window includes this day or ends after it (`YYYY-MM-DD`).
    pub from: Option<chrono::NaiveDate>,
    /// Assignments whose window starts on or before this day.
    pub to: Option<chrono::NaiveDate>,
}

impl Resource for Assignments {
    const NAME: &'static str = "assignments";
    const TABLE: &'static str = "screening_assignments";
    const FROM: &'static str = "screening_assignments t";
    const SORTS: &'static [(&'static str, &'static str)] = &[
        ("opens_on", "t.opens_on, t.id"),
        ("-opens_on", "t.opens_on DESC, t.id DESC"),
    ];
    const KEY_FIELD: &'static str = "title";
    const SUMMARY: &'static str = "Screening assignments: films, the schools expected, a window";
    const EXPORT: &'static humiao_shared::columns::Table = &humiao_shared::columns::ASSIGNMENTS;

    type Input = NewAssignment;
    type Valid = ValidAssignment;
    type Record = Assignment;
    type Filter = AssignmentFilter;

    async fn validate(
        conn: &mut AnyConnection,
        input: &NewAssignment,
    ) -> Result<ValidAssignment, ApiError> {
        let mut refs = FieldErrors::default();
        let window = match input.campaign_id {
            None => None,
            Some(id) => {
                let row: Option<(String, String)> = sqlx::query_as(
                    "SELECT starts_on, ends_on FROM campaigns WHERE id = $1 AND deleted_at IS NULL",
                )
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
                match row {
                    Some((starts, ends)) => Some((date(&starts)?, date(&ends)?)),
                    None => {
                        refs.push("campaign_id", FieldCode::UnknownValue);
                        None
                    }
                }
            }
        };
        for (field, table, ids) in [
            ("film_ids", "films", &input.film_ids),
            ("school_ids", "schools", &input.school_ids),
        ] {
            let mut distinct = ids.clone();
            distinct.sort_unstable();
            distinct.dedup();
            if count_live(conn, table, &distinct).await? < distinct.len() {
                refs.push(field, FieldCode::UnknownValue);
            }
        }
        checked(input.validate(window), refs)
    }

    fn named(filter: &AssignmentFilter) -> Vec<Named> {
        named::given([
            (Named::Campaign, filter.campaign_id),
            (Named::School, filter.school_id),
            (Named::Film, filter.film_id),
        ])
    }

    fn filter(filter: &AssignmentFilter, c: &mut Conditions) {
        c.eq("t.campaign_id", filter.campaign_id);
        if let Some(school) = filter.school_id {
            c.int(
                "EXISTS (SELECT 1 FROM assignment_schools x WHERE x.assignment_id = t.id AND x.school_id = ?)",
                school,
            );
        }
        if let Some(film) = filter.film_id {
            c.int(
                "EXISTS (SELECT 1 FROM assignment_films x WHERE x.assignment_id = t.id AND x.film_id = ?)",
                film,
            );
        }
        if let Some(from) = filter.from {
            c.text("t.closes_on >= ?", day(from));
        }
        if let Some(to) = filter.to {
            c.text("t.opens_on <= ?", day(to));
        }
    }

    /// Leaders and administrators see every assignment; a school those that expect it;
    /// officers have no part in screenings.
    fn read_scope(viewer: &Viewer, c: &mut Conditions) -> Result<(), ApiError> {
        match (viewer.role, viewer.school()) {
            (Role::Admin | Role::Leader, _) => {
                // Within a city: the assignments that ask a school of the city.
                if let Some(city) = viewer.city {
                    c.int(
                        "EXISTS (SELECT 1 FROM assignment_schools x
                                 JOIN schools xs ON xs.id = x.school_id
                                 JOIN districts xd ON xd.id = xs.district_id
                                 WHERE x.assignment_id = t.id AND xd.city_id = ?)",
                        city,
                    );
                }
                Ok(())
            }
            (Role::School, Some(school)) => {
                // Through a link: that link's campaign only.
                c.eq("t.campaign_id", viewer.campaign);
                c.int(
                    "EXISTS (SELECT 1 FROM assignment_schools x
                             WHERE x.assignment_id = t.id AND x.school_id = ?)",
                    school,
                );
                Ok(())
            }
            _ => Err(ApiError::Forbidden),
        }
    }

    async fn load(
        conn: &mut AnyConnection,
        c: &Conditions,
        tail: &str,
    ) -> Result<Vec<Assignment>, sqlx::Error> {
        let sql = format!(
            "SELECT t.id, t.campaign_id, t.title, t.opens_on, t.closes_on, t.version
             FROM {} WHERE {} {tail}",
            Self::FROM,
            c.sql()
        );
        let rows: Vec<(i64, i64, String, String, String, i64)> =
            c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let films = links(conn, "assignment_films", "assignment_id", "film_id", &ids).await?;
        let schools = links(
            conn,
            "assignment_schools",
            "assignment_id",
            "school_id",
            &ids,
        )
        .await?;
        rows.into_iter()
            .map(|(id, campaign_id, title, opens, closes, version)| {
                Ok(Assignment {
                    id,
                    campaign_id,
                    title,
                    film_ids: items_of(&films, id),
                    school_ids: items_of(&schools, id),
                    opens_on: date(&opens)?,
                    closes_on: date(&closes)?,
                    version,
                })
            })
            .collect()
    }

    async fn existing(
        conn: &mut AnyConnection,
        v: &ValidAssignment,
    ) -> Result<Option<Found>, sqlx::Error> {
        let row = sqlx::query_as(
            "SELECT id, deleted_at FROM screening_assignments WHERE campaign_id = $1 AND title = $2",
        )
        .bind(v.campaign_id)
        .bind(&v.title)
        .fetch_optional(&mut *conn)
        .await?;
        Ok(Found::from_row(row))
    }

    async fn insert(
        tx: &mut Transaction<'static, Any>,
        v: &ValidAssignment,
    ) -> Result<i64, sqlx::Error> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO screening_assignments (campaign_id, title, opens_on, closes_on, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(v.campaign_id)
        .bind(&v.title)
        .bind(day(v.opens_on))
        .bind(day(v.closes_on))
        .bind(crate::db::now_text())
        .fetch_one(&mut **tx)
        .await?;
        set_contents(tx, id, v).await?;
        Ok(id)
    }

    async fn update(
        tx: &mut Transaction<'static, Any>,
        id: i64,
        v: &ValidAssignment,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE screening_assignments SET campaign_id = $1, title = $2, opens_on = $3,
                    closes_on = $4
             WHERE id = $5",
        )
        .bind(v.campaign_id)
        .bind(&v.title)
        .bind(day(v.opens_on))
        .bind(day(v.closes_on))
        .bind(id)
        .execute(&mut **tx)
        .await?;
        set_contents(tx, id, v).await
    }

    /// Schools' confirmations refer to the assignment; they stay countable only with it.
    async fn in_use(conn: &mut AnyConnection, id: i64) -> Result<UsedBy, sqlx::Error> {
        used_by(
            conn,
            id,
            &[(
                "confirmations",
                "SELECT COUNT(*) FROM screening_confirmations
                 WHERE assignment_id = $1 AND deleted_at IS NULL",
            )],
        )
        .await
    }

    /// A window narrowed past the schools' confirmations is refused: screening coverage
    /// counts them.
    async fn left_outside(
        conn: &mut AnyConnection,
        id: i64,
        v: &ValidAssignment,
    ) -> Result<Option<Outside>, sqlx::Error> {
        const DATED: &[Dated] = &[Dated {
            collection: "confirmations",
            rows: "screening_confirmations t WHERE t.assignment_id = $1 AND t.deleted_at IS NULL",
            first: "t.shown_on",
            last: "t.shown_on",
        }];
        outside_dates(
            conn,
            id,
            DATED,
            Some(("opens_on", v.opens_on)),
            Some(("closes_on", v.closes_on)),
        )
        .await
    }

    /// Within a city, an assignment lists the city's schools only: the others' ids are
    /// another city's business.
    async fn redact(
        conn: &mut AnyConnection,
        viewer: &Viewer,
        mut records: Vec<Assignment>,
    ) -> Result<Vec<Assignment>, sqlx::Error> {
        let Some(city) = viewer.city else {
            return Ok(records);
        };
        let mut asked: Vec<i64> = records.iter().flat_map(|a| a.school_ids.clone()).collect();
        asked.sort_unstable();
        asked.dedup();
        let mut mine = std::collections::BTreeSet::new();
        for chunk in asked.chunks(500) {
            let sql = format!(
                "SELECT sc.id FROM schools sc JOIN districts d ON d.id = sc.district_id
                 WHERE d.city_id = $1 AND sc.id IN ({})",
                crate::db::placeholders(2, chunk.len())
            );
            let mut query = sqlx::query_as::<_, (i64,)>(&sql).bind(city);
            for id in chunk {
                query = query.bind(*id);
            }
            mine.extend(
                query
                    .fetch_all(&mut *conn)
                    .await?
                    .into_iter()
                    .map(|(id,)| id),
            );
        }
        for record in &mut records {
            record.school_ids.retain(|id| mine.contains(id));
        }
        Ok(records)
    }

    fn version(a: &Assignment) -> i64 {
        a.version
    }
}

async fn set_contents(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    v: &ValidAssignment,
) -> Result<(), sqlx::Error> {
    set_links(
        tx,
        "assignment_films",
        "assignment_id",
        "film_id",
        id,
        &v.film_ids,
    )
    .await?;
    set_links(
        tx,
        "assignment_schools",
        "assignment_id",
        "school_id",
        id,
        &v.school_ids,
    )
    .await
}
