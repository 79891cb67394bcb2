//! District branches (分局) of a city bureau: the level below cities in the organisation
//! tree. A district names its city; left out, it is the database's only city.

use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::org::{District, NewDistrict, ValidDistrict};
use serde::Deserialize;
use sqlx::{Any, AnyConnection, Transaction};

use super::{checked, is_live, used_by, Conditions, Found, Resource};
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

    /// The city must be a live one; left out, it is the only city (none yet: the insert
    /// makes it), and with several cities it must be given.
    async fn validate(
        conn: &mut AnyConnection,
        input: &NewDistrict,
    ) -> Result<ValidDistrict, ApiError> {
        let mut refs = FieldErrors::default();
        let mut city = input.city_id;
        match input.city_id {
            Some(_) if !is_live(conn, "cities", input.city_id).await? => {
                refs.push("city_id", FieldCode::UnknownValue)
            }
            Some(_) => {}
            None => {
                let cities: Vec<(i64,)> =
                    sqlx::query_as("SELECT id FROM cities WHERE deleted_at IS NULL LIMIT 2")
                        .fetch_all(&mut *conn)
                        .await?;
                match cities.as_slice() {
                    [] => {}
                    [(only,)] => city = Some(*only),
                    _ => refs.push("city_id", FieldCode::Required),
                }
            }
        }
        checked(input.validate(), refs).map(|valid| ValidDistrict {
            city_id: city,
            ..valid
        })
    }

    fn filter(filter: &DistrictFilter, c: &mut Conditions) {
        if let Some(q) = filter.q.as_deref() {
            c.contains("(t.name || ' ' || t.code)", Some(q));
        }
    }

    /// Reference data: every signed-in person picks from it, within their city.
    fn read_scope(viewer: &Viewer, c: &mut Conditions) -> Result<(), ApiError> {
        c.eq("t.city_id", viewer.city);
        Ok(())
    }

    /// Whole-database administrators anywhere; a city's administrators in their city only.
    async fn may_write(
        _conn: &mut AnyConnection,
        viewer: &Viewer,
        valid: &ValidDistrict,
    ) -> Result<bool, sqlx::Error> {
        Ok(viewer.manages_all()
            || (viewer.is_admin() && valid.city_id.is_some() && valid.city_id == viewer.city))
    }

    /// Administrators; a city's see only their city's districts.
    fn may_delete(viewer: &Viewer, _record: &District) -> bool {
        viewer.is_admin()
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
             VALUES (COALESCE($1, (SELECT MIN(id) FROM cities)), $2, $3, $4) RETURNING id",
        )
        .bind(v.city_id)
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
        sqlx::query(
            "UPDATE districts SET city_id = COALESCE($1, city_id), code = $2, name = $3,
                                  sort_order = $4
             WHERE id = $5",
        )
        .bind(v.city_id)
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
