//! Trainees of the speaker courses: an officer of a station, the days attended, and
//! whether the course was completed (a station with one counts as having a trained speaker).

use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::training::{NewTrainee, Trainee, ValidTrainee};
use serde::Deserialize;
use sqlx::{Any, AnyConnection, Transaction};

use super::named::{self, Named};
use super::{checked, date, day, is_live, Conditions, Found, Resource};
use crate::clock;
use crate::db::placeholders;
use crate::error::ApiError;
use crate::viewer::Viewer;
use humiao_shared::account::Role;

pub struct Trainees;

/// Filters of `GET /api/v1/trainees`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TraineeFilter {
    pub training_id: Option<i64>,
    pub district_id: Option<i64>,
    pub station_id: Option<i64>,
    pub completed: Option<bool>,
}

impl Resource for Trainees {
    const NAME: &'static str = "trainees";
    const TABLE: &'static str = "trainees";
    const FROM: &'static str = "trainees t JOIN stations st ON st.id = t.station_id";
    const SORTS: &'static [(&'static str, &'static str)] = &[
        ("station", "st.code, t.name, t.id"),
        ("name", "t.name, t.id"),
    ];
    const PAGE: i64 = 200;
    const KEY_FIELD: &'static str = "name";
    const SUMMARY: &'static str = "Trainees of the speaker courses and their attendance";
    const EXPORT: &'static humiao_shared::columns::Table = &humiao_shared::columns::TRAINEES;

    type Input = NewTrainee;
    type Valid = ValidTrainee;
    type Record = Trainee;
    type Filter = TraineeFilter;

    async fn validate(
        conn: &mut AnyConnection,
        input: &NewTrainee,
    ) -> Result<ValidTrainee, ApiError> {
        let mut refs = FieldErrors::default();
        let mut course = None;
        if let Some(id) = input.training_id {
            let row: Option<(String, String)> = sqlx::query_as(
                "SELECT starts_on, ends_on FROM trainings WHERE id = $1 AND deleted_at IS NULL",
            )
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
            match row {
                Some((starts, ends)) => course = Some((date(&starts)?, date(&ends)?)),
                None => refs.push("training_id", FieldCode::UnknownValue),
            }
        }
        if input.station_id.is_some() && !is_live(conn, "stations", input.station_id).await? {
            refs.push("station_id", FieldCode::UnknownValue);
        }
        checked(input.validate(course, clock::today()), refs)
    }

    fn named(filter: &TraineeFilter) -> Vec<Named> {
        named::given([
            (Named::Training, filter.training_id),
            (Named::District, filter.district_id),
            (Named::Station, filter.station_id),
        ])
    }

    fn filter(filter: &TraineeFilter, c: &mut Conditions) {
        c.eq("t.training_id", filter.training_id);
        c.eq("st.district_id", filter.district_id);
        c.eq("t.station_id", filter.station_id);
        c.eq("t.completed", filter.completed.map(i64::from));
    }

    fn read_scope(viewer: &Viewer, c: &mut Conditions) -> Result<(), ApiError> {
        super::station_records(viewer, c)
    }

    const WRITERS: &'static [Role] = &[Role::Admin, Role::Officer];

    /// An officer records the station's own only.
    async fn may_write(
        conn: &mut AnyConnection,
        viewer: &Viewer,
        valid: &ValidTrainee,
    ) -> Result<bool, sqlx::Error> {
        super::own_station(conn, viewer, valid.station_id).await
    }

    async fn load(
        conn: &mut AnyConnection,
        c: &Conditions,
        tail: &str,
    ) -> Result<Vec<Trainee>, sqlx::Error> {
        let sql = format!(
            "SELECT t.id, t.training_id, t.name, t.station_id, t.completed, t.version
             FROM {} WHERE {} {tail}",
            Self::FROM,
            c.sql()
        );
        let rows: Vec<(i64, i64, String, i64, i64, i64)> =
            c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
        let mut days: Vec<(i64, String)> = Vec::new();
        let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        for chunk in ids.chunks(500) {
            let sql = format!(
                "SELECT trainee_id, day FROM trainee_days WHERE trainee_id IN ({}) ORDER BY trainee_id, day",
                placeholders(1, chunk.len())
            );
            let mut query = sqlx::query_as::<_, (i64, String)>(&sql);
            for id in chunk {
                query = query.bind(*id);
            }
            days.extend(query.fetch_all(&mut *conn).await?);
        }
        rows.into_iter()
            .map(|(id, training_id, name, station_id, completed, version)| {
                Ok(Trainee {
                    id,
                    training_id,
                    name,
                    station_id,
                    days_attended: days
                        .iter()
                        .filter(|(t, _)| *t == id)
                        .map(|(_, d)| date(d))
                        .collect::<Result<_, _>>()?,
                    completed: completed != 0,
                    version,
                })
            })
            .collect()
    }

    async fn existing(
        conn: &mut AnyConnection,
        v: &ValidTrainee,
    ) -> Result<Option<Found>, sqlx::Error> {
        let row = sqlx::query_as(
            "SELECT id, deleted_at FROM trainees
             WHERE training_id = $1 AND station_id = $2 AND name = $3",
        )
        .bind(v.training_id)
        .bind(v.station_id)
        .bind(&v.name)
        .fetch_optional(&mut *conn)
        .await?;
        Ok(Found::from_row(row))
    }

    async fn insert(
        tx: &mut Transaction<'static, Any>,
        v: &ValidTrainee,
    ) -> Result<i64, sqlx::Error> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO trainees (training_id, name, station_id, completed, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(v.training_id)
        .bind(&v.name)
        .bind(v.station_id)
        .bind(i64::from(v.completed))
        .bind(crate::db::now_text())
        .fetch_one(&mut **tx)
        .await?;
        set_days(tx, id, v).await?;
        Ok(id)
    }

    async fn update(
        tx: &mut Transaction<'static, Any>,
        id: i64,
        v: &ValidTrainee,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE trainees SET training_id = $1, name = $2, station_id = $3, completed = $4
             WHERE id = $5",
        )
        .bind(v.training_id)
        .bind(&v.name)
        .bind(v.station_id)
        .bind(i64::from(v.completed))
        .bind(id)
        .execute(&mut **tx)
        .await?;
        set_days(tx, id, v).await
    }

    /// An officer may take back the station's own entries.
    fn may_delete(viewer: &Viewer, record: &Trainee) -> bool {
        super::takes_back(viewer, record.station_id)
    }

    fn version(t: &Trainee) -> i64 {
        t.version
    }
}

async fn set_days(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    v: &ValidTrainee,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM trainee_days WHERE trainee_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for d in &v.days_attended {
        sqlx::query("INSERT INTO trainee_days (trainee_id, day) VALUES ($1, $2)")
            .bind(id)
            .bind(day(*d))
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
