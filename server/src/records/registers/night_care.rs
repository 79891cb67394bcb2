//! Night-wandering care (夜间游荡关爱): a station's record, read like outcome values. The
//! cases among a night's minors must be the same station's, and are shown to its officers
//! and administrators only: a leader reads the count.

use humiao_shared::account::Role;
use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::mentoring::night_care::{NewNightCare, NightCare, ValidNightCare, MAX_MINORS};
use serde::Deserialize;
use sqlx::{Any, AnyConnection, Transaction};

use crate::clock;
use crate::error::ApiError;
use crate::records::named::{self, Named};
use crate::records::{
    checked, day, is_live, items_of, links, set_links, Conditions, Found, Resource,
};
use crate::viewer::Viewer;

pub struct NightCareRecords;

/// Filters of `GET /api/v1/night_care`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NightCareFilter {
    pub district_id: Option<i64>,
    pub station_id: Option<i64>,
}

impl Resource for NightCareRecords {
    const NAME: &'static str = "night_care";
    const TABLE: &'static str = "night_care";
    const FROM: &'static str = "night_care t JOIN stations st ON st.id = t.station_id";
    const SORTS: &'static [(&'static str, &'static str)] = &[
        ("-date", "t.cared_on DESC, t.id DESC"),
        ("date", "t.cared_on, t.id"),
    ];
    const PAGE: i64 = 100;
    const KEY_FIELD: &'static str = "cared_on";
    const SUMMARY: &'static str = "Nights of care for minors found wandering";
    const EXPORT: &'static humiao_shared::columns::Table = &humiao_shared::columns::NIGHT_CARE;

    type Input = NewNightCare;
    type Valid = ValidNightCare;
    type Record = NightCare;
    type Filter = NightCareFilter;

    async fn validate(
        conn: &mut AnyConnection,
        input: &NewNightCare,
    ) -> Result<ValidNightCare, ApiError> {
        let mut refs = FieldErrors::default();
        if input.station_id.is_some() && !is_live(conn, "stations", input.station_id).await? {
            refs.push("station_id", FieldCode::UnknownValue);
        }
        // A list longer than any night's is refused by the rules without a look-up each.
        let named = if input.case_ids.len() <= MAX_MINORS as usize {
            input.case_ids.as_slice()
        } else {
            &[]
        };
        for (i, case) in named.iter().enumerate() {
            match super::case_station(conn, Some(*case)).await? {
                None => refs.push(format!("case_ids[{i}]"), FieldCode::UnknownValue),
                Some(s) if Some(s) != input.station_id => {
                    refs.push(format!("case_ids[{i}]"), FieldCode::OtherStation)
                }
                _ => {}
            }
        }
        checked(input.validate(clock::today()), refs)
    }

    fn named(filter: &NightCareFilter) -> Vec<Named> {
        named::given([
            (Named::District, filter.district_id),
            (Named::Station, filter.station_id),
        ])
    }

    fn filter(filter: &NightCareFilter, c: &mut Conditions) {
        c.eq("st.district_id", filter.district_id);
        c.eq("t.station_id", filter.station_id);
    }

    fn read_scope(viewer: &Viewer, c: &mut Conditions) -> Result<(), ApiError> {
        crate::records::station_records(viewer, c)
    }

    const WRITERS: &'static [Role] = &[Role::Admin, Role::Officer];

    async fn may_write(
        conn: &mut AnyConnection,
        viewer: &Viewer,
        valid: &ValidNightCare,
    ) -> Result<bool, sqlx::Error> {
        crate::records::own_station(conn, viewer, valid.station_id).await
    }

    fn may_delete(viewer: &Viewer, record: &NightCare) -> bool {
        crate::records::takes_back(viewer, record.station_id)
    }

    async fn load(
        conn: &mut AnyConnection,
        c: &Conditions,
        tail: &str,
    ) -> Result<Vec<NightCare>, sqlx::Error> {
        let sql = format!(
            "SELECT t.id, t.station_id, t.cared_on, t.minors, t.version
             FROM {} WHERE {} {tail}",
            Self::FROM,
            c.sql()
        );
        let rows: Vec<(i64, i64, String, i64, i64)> =
            c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let cases = links(conn, "night_care_cases", "care_id", "case_id", &ids).await?;
        Ok(rows
            .into_iter()
            .map(|(id, station_id, cared_on, minors, version)| NightCare {
                id,
                station_id,
                cared_on,
                minors,
                case_ids: items_of(&cases, id),
                version,
            })
            .collect())
    }

    async fn existing(
        conn: &mut AnyConnection,
        v: &ValidNightCare,
    ) -> Result<Option<Found>, sqlx::Error> {
        let row = sqlx::query_as(
            "SELECT id, deleted_at FROM night_care WHERE station_id = $1 AND cared_on = $2",
        )
        .bind(v.station_id)
        .bind(day(v.cared_on))
        .fetch_optional(&mut *conn)
        .await?;
        Ok(Found::from_row(row))
    }

    async fn insert(
        tx: &mut Transaction<'static, Any>,
        v: &ValidNightCare,
    ) -> Result<i64, sqlx::Error> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO night_care (station_id, cared_on, minors, created_at)
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(v.station_id)
        .bind(day(v.cared_on))
        .bind(v.minors)
        .bind(crate::db::now_text())
        .fetch_one(&mut **tx)
        .await?;
        set_links(
            tx,
            "night_care_cases",
            "care_id",
            "case_id",
            id,
            &v.case_ids,
        )
        .await?;
        Ok(id)
    }

    async fn update(
        tx: &mut Transaction<'static, Any>,
        id: i64,
        v: &ValidNightCare,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE night_care SET station_id = $1, cared_on = $2, minors = $3 WHERE id = $4",
        )
        .bind(v.station_id)
        .bind(day(v.cared_on))
        .bind(v.minors)
        .bind(id)
        .execute(&mut **tx)
        .await?;
        set_links(
            tx,
            "night_care_cases",
            "care_id",
            "case_id",
            id,
            &v.case_ids,
        )
        .await
    }

    /// Which cases were among the minors is case data: the station's officers and
    /// administrators only.
    async fn redact(
        _conn: &mut AnyConnection,
        viewer: &Viewer,
        mut rows: Vec<NightCare>,
    ) -> Result<Vec<NightCare>, sqlx::Error> {
        for r in &mut rows {
            let case_reader = viewer.is_admin()
                || (viewer.role == Role::Officer && viewer.station() == Some(r.station_id));
            if !case_reader {
                r.case_ids.clear();
            }
        }
        Ok(rows)
    }

    fn version(r: &NightCare) -> i64 {
        r.version
    }
}
