//! District branches (分局) of the city bureau: the first level of the organisation tree.

use humiao_shared::org::{District, NewDistrict, ValidDistrict};
use serde::Deserialize;
use sqlx::{Any, AnyConnection, Transaction};

use super::{used_by, Conditions, Found, Resource};
use crate::error::ApiError;
use crate::viewer::Viewer;
use humiao_shared::record::used_by::UsedBy;

pub struct Districts;

/// Filters of `GET /api/v1/districts`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DistrictFilter {
    /// Part of the name or code.
    pub q: Option<String>,
}

impl Resource for Districts {
    const NAME: &'static str = "districts";
    const TABLE: &'static str = "districts";
    const FROM: &'static str = "districts t";
    const SORTS: &'static [(&'static str, &'static str)] = &[
        ("sort_order", "t.sort_order, t.id"),
        ("code", "t.code"),
        ("name", "t.name, t.id"),
    ];
    const PAGE: i64 = 1000;
    const KEY_FIELD: &'static str = "code";
    const SUMMARY: &'static str = "District branches of the city bureau";
    const EXPORT: &'static humiao_shared::columns::Table = &humiao_shared::columns::DISTRICTS;

    type Input = NewDistrict;
    type Valid = ValidDistrict;
    type Record = District;
    type Filter = DistrictFilter;

    async fn validate(
        _conn: &mut AnyConnection,
        input: &NewDistrict,
    ) -> Result<ValidDistrict, ApiError> {
        input.validate().map_err(ApiError::Validation)
    }

    fn filter(filter: &DistrictFilter, c: &mut Conditions) {
        if let Some(q) = filter.q.as_deref() {
            c.contains("(t.name || ' ' || t.code)", Some(q));
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
    ) -> Result<Vec<District>, sqlx::Error> {
        let sql = format!(
            "SELECT t.id, t.city_id, t.code, t.name, t.sort_order, t.version FROM {} WHERE {} {tail}",
            Self::FROM,
            c.sql()
        );
        let rows: Vec<(i64, i64, String, String, i64, i64)> =
            c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
        Ok(rows
            .into_iter()
            .map(|(id, city_id, code, name, sort_order, version)| District {
                id,
                city_id,
                code,
                name,
                sort_order,
                version,
            })
            .collect())
    }

    async fn existing(
        conn: &mut AnyConnection,
        v: &ValidDistrict,
    ) -> Result<Option<Found>, sqlx::Error> {
        let row = sqlx::query_as("SELECT id, deleted_at FROM districts WHERE code = $1")
            .bind(&v.code)
            .fetch_optional(&mut *conn)
            .await?;
        Ok(Found::from_row(row))
    }

    async fn insert(
        tx: &mut Transaction<'static, Any>,
        v: &ValidDistrict,
    ) -> Result<i64, sqlx::Error> {
        // Every district belongs to the one city bureau the database serves; a database
        // started without demo data gets that bureau with its first district.
        sqlx::query(
            "INSERT INTO cities (code, name) SELECT 'CITY', '市公安局'
             WHERE NOT EXISTS (SELECT 1 FROM cities)",
        )
        .execute(&mut **tx)
        .await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO districts (city_id, code, name, sort_order)
             VALUES ((SELECT MIN(id) FROM cities), $1, $2, $3) RETURNING id",
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
        v: &ValidDistrict,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE districts SET code = $1, name = $2, sort_order = $3 WHERE id = $4")
            .bind(&v.code)
            .bind(&v.name)
            .bind(v.sort_order)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// A district with live stations, schools or accounts stays.
    async fn in_use(conn: &mut AnyConnection, id: i64) -> Result<UsedBy, sqlx::Error> {
        used_by(
            conn,
            id,
            &[
                (
                    "stations",
                    "SELECT COUNT(*) FROM stations WHERE district_id = $1 AND deleted_at IS NULL",
                ),
                (
                    "schools",
                    "SELECT COUNT(*) FROM schools WHERE district_id = $1 AND deleted_at IS NULL",
                ),
                (
                    "users",
                    "SELECT COUNT(*) FROM users WHERE district_id = $1 AND disabled_at IS NULL",
                ),
            ],
        )
        .await
    }

    fn version(d: &District) -> i64 {
        d.version
    }
}
