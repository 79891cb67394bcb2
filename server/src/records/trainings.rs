//! Speaker training courses (宣讲员培训班): title, dates and place.

use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::training::{NewTraining, Training, ValidTraining};
use serde::Deserialize;
use sqlx::{Any, AnyConnection, Transaction};

use super::named::{self, Named};
use super::{
    checked, date, day, is_live, outside_dates, used_by, Conditions, Dated, Found, Outside,
    Resource,
};
use crate::error::ApiError;
use crate::viewer::Viewer;
use humiao_shared::record::used_by::UsedBy;

pub struct Trainings;

/// Filters of `GET /api/v1/trainings`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrainingFilter {
    pub campaign_id: Option<i64>,
    /// Courses that end on or after this day (`YYYY-MM-DD`).
    pub from: Option<chrono::NaiveDate>,
    /// Courses that start on or before this day.
    pub to: Option<chrono::NaiveDate>,
}

impl Resource for Trainings {
    const NAME: &'static str = "trainings";
    const TABLE: &'static str = "trainings";
    const FROM: &'static str = "trainings t";
    const SORTS: &'static [(&'static str, &'static str)] = &[
        ("-starts_on", "t.starts_on DESC, t.id DESC"),
        ("starts_on", "t.starts_on, t.id"),
    ];
    const KEY_FIELD: &'static str = "title";
    const SUMMARY: &'static str = "Speaker training courses";
    const EXPORT: &'static humiao_shared::columns::Table = &humiao_shared::columns::TRAININGS;

    type Input = NewTraining;
    type Valid = ValidTraining;
    type Record = Training;
    type Filter = TrainingFilter;

    async fn validate(
        conn: &mut AnyConnection,
        input: &NewTraining,
    ) -> Result<ValidTraining, ApiError> {
        let mut refs = FieldErrors::default();
        if input.campaign_id.is_some() && !is_live(conn, "campaigns", input.campaign_id).await? {
            refs.push("campaign_id", FieldCode::UnknownValue);
        }
        checked(input.validate(), refs)
    }

    fn named(filter: &TrainingFilter) -> Vec<Named> {
        named::given([(Named::Campaign, filter.campaign_id)])
    }

    fn filter(filter: &TrainingFilter, c: &mut Conditions) {
        c.eq("t.campaign_id", filter.campaign_id);
        if let Some(from) = filter.from {
            c.text("t.ends_on >= ?", day(from));
        }
        if let Some(to) = filter.to {
            c.text("t.starts_on <= ?", day(to));
        }
    }

    /// Reference data: every signed-in person picks from it.
    fn read_scope(_viewer: &Viewer, _c: &mut Conditions) -> Result<(), ApiError> {
        Ok(())
    }

    async fn load(
        conn: &mut AnyConnection,
        c: &Conditions,
        tail: &str,
    ) -> Result<Vec<Training>, sqlx::Error> {
        let sql = format!(
            "SELECT t.id, t.title, t.place, t.starts_on, t.ends_on, t.campaign_id, t.version
             FROM {} WHERE {} {tail}",
            Self::FROM,
            c.sql()
        );
        type Row = (i64, String, String, String, String, Option<i64>, i64);
        let rows: Vec<Row> = c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
        rows.into_iter()
            .map(|(id, title, place, starts, ends, campaign_id, version)| {
                Ok(Training {
                    id,
                    title,
                    place,
                    starts_on: date(&starts)?,
                    ends_on: date(&ends)?,
                    campaign_id,
                    version,
                })
            })
            .collect()
    }

    async fn existing(
        conn: &mut AnyConnection,
        v: &ValidTraining,
    ) -> Result<Option<Found>, sqlx::Error> {
        let row = sqlx::query_as(
            "SELECT id, deleted_at FROM trainings WHERE title = $1 AND starts_on = $2",
        )
        .bind(&v.title)
        .bind(day(v.starts_on))
        .fetch_optional(&mut *conn)
        .await?;
        Ok(Found::from_row(row))
    }

    async fn insert(
        tx: &mut Transaction<'static, Any>,
        v: &ValidTraining,
    ) -> Result<i64, sqlx::Error> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO trainings (title, place, starts_on, ends_on, campaign_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&v.title)
        .bind(&v.place)
        .bind(day(v.starts_on))
        .bind(day(v.ends_on))
        .bind(v.campaign_id)
        .bind(crate::db::now_text())
        .fetch_one(&mut **tx)
        .await?;
        Ok(id)
    }

    async fn update(
        tx: &mut Transaction<'static, Any>,
        id: i64,
        v: &ValidTraining,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE trainings SET title = $1, place = $2, starts_on = $3, ends_on = $4,
                    campaign_id = $5
             WHERE id = $6",
        )
        .bind(&v.title)
        .bind(&v.place)
        .bind(day(v.starts_on))
        .bind(day(v.ends_on))
        .bind(v.campaign_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Trainees' attendance refers to the course's days.
    async fn in_use(conn: &mut AnyConnection, id: i64) -> Result<UsedBy, sqlx::Error> {
        used_by(
            conn,
            id,
            &[(
                "trainees",
                "SELECT COUNT(*) FROM trainees WHERE training_id = $1 AND deleted_at IS NULL",
            )],
        )
        .await
    }

    /// New course dates that leave out days trainees attended are refused: training
    /// coverage counts them.
    async fn left_outside(
        conn: &mut AnyConnection,
        id: i64,
        v: &ValidTraining,
    ) -> Result<Option<Outside>, sqlx::Error> {
        const DATED: &[Dated] = &[Dated {
            collection: "trainees",
            rows: "trainees t WHERE t.training_id = $1 AND t.deleted_at IS NULL",
            first: "(SELECT MIN(d.day) FROM trainee_days d WHERE d.trainee_id = t.id)",
            last: "(SELECT MAX(d.day) FROM trainee_days d WHERE d.trainee_id = t.id)",
        }];
        outside_dates(
            conn,
            id,
            DATED,
            Some(("starts_on", v.starts_on)),
            Some(("ends_on", v.ends_on)),
        )
        .await
    }

    fn version(t: &Training) -> i64 {
        t.version
    }
}
