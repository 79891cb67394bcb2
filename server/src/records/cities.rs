//! City bureaus (市公安局): the top of the organisation tree when one database serves a
//! province. Reference data every signed-in person reads (a city-scoped one only their
//! own city); only whole-database administrators add, edit or delete them, and a city
//! that districts still belong to cannot be deleted.

use humiao_shared::org::{City, NewCity, ValidCity};
use serde::Deserialize;
use sqlx::{Any, AnyConnection, Transaction};

use super::{used_by, Conditions, Found, Resource};
use crate::error::ApiError;
use crate::viewer::Viewer;
use humiao_shared::record::used_by::UsedBy;

pub struct Cities;

/// Filters of `GET /api/v1/cities`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CityFilter {
    /// Part of the name or code.
    pub q: Option<String>,
}

impl Resource for Cities {
    const NAME: &'static str = "cities";
    const TABLE: &'static str = "cities";
    const FROM: &'static str = "cities t";
    const SORTS: &'static [(&'static str, &'static str)] = &[
        ("sort_order", "t.sort_order, t.id"),
        ("code", "t.code"),
        ("name", "t.name, t.id"),
    ];
    const PAGE: i64 = 1000;
    const KEY_FIELD: &'static str = "code";
    const SUMMARY: &'static str = "City bureaus of a province";
    const EXPORT: &'static humiao_shared::columns::Table = &humiao_shared::columns::CITIES;

    type Input = NewCity;
    type Valid = ValidCity;
    type Record = City;
    type Filter = CityFilter;

    async fn validate(_conn: &mut AnyConnection, input: &NewCity) -> Result<ValidCity, ApiError> {
        input.validate().map_err(ApiError::Validation)
    }

    fn filter(filter: &CityFilter, c: &mut Conditions) {
        if let Some(q) = filter.q.as_deref() {
            c.contains("(t.name || ' ' || t.code)", Some(q));
        }
    }

    /// Reference data: everyone reads the cities, anyone within one city only theirs.
    fn read_scope(viewer: &Viewer, c: &mut Conditions) -> Result<(), ApiError> {
        c.eq("t.id", viewer.city);
        Ok(())
    }

    async fn load(
        conn: &mut AnyConnection,
        c: &Conditions,
        tail: &str,
    ) -> Result<Vec<City>, sqlx::Error> {
        let sql = format!(
            "SELECT t.id, t.code, t.name, t.sort_order, t.version FROM {} WHERE {} {tail}",
            Self::FROM,
            c.sql()
        );
        let rows: Vec<(i64, String, String, i64, i64)> =
            c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
        Ok(rows
            .into_iter()
            .map(|(id, code, name, sort_order, version)| City {
                id,
                code,
                name,
                sort_order,
                version,
            })
            .collect())
    }

    async fn existing(
        conn: &mut AnyConnection,
        v: &ValidCity,
    ) -> Result<Option<Found>, sqlx::Error> {
        let row = sqlx::query_as("SELECT id, deleted_at FROM cities WHERE code = $1")
            .bind(&v.code)
            .fetch_optional(&mut *conn)
            .await?;
        Ok(Found::from_row(row))
    }

    async fn insert(tx: &mut Transaction<'static, Any>, v: &ValidCity) -> Result<i64, sqlx::Error> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO cities (code, name, sort_order) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(&v.code)
        .bind(&v.name)
        .bind(v.sort_order)
        .fetch_one(&mut **tx)
        .await?;
        Ok(id)
    }

    async fn update(
        tx: &mut Transaction<'static, Any>,
        id: i64,
        v: &ValidCity,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE cities SET code = $1, name = $2, sort_order = $3 WHERE id = $4")
            .bind(&v.code)
            .bind(&v.name)
            .bind(v.sort_order)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    async fn in_use(conn: &mut AnyConnection, id: i64) -> Result<UsedBy, sqlx::Error> {
        used_by(
            conn,
            id,
            &[
                (
                    "districts",
                    "SELECT COUNT(*) FROM districts WHERE city_id = $1 AND deleted_at IS NULL",
                ),
                (
                    "users",
                    "SELECT COUNT(*) FROM users WHERE city_id = $1 AND disabled_at IS NULL",
                ),
            ],
        )
        .await
    }

    fn version(c: &City) -> i64 {
        c.version
    }
}
