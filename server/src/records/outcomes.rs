//! Outcome indicators: one aggregate count per station, month and indicator (minors
//! mentored, re-offences, night-wandering minors cared for…). No child's name or identity
//! is stored: the counts are all there is.

use humiao_shared::derived::is_derived;
use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::outcome::{parse_month, Indicator, NewOutcome, Outcome, ValidOutcome};
use humiao_shared::suppression::Place;
use serde::Deserialize;
use sqlx::{Any, AnyConnection, Transaction};

use super::named::{self, Named};
use super::{checked, is_live, Conditions, Found, Resource};
use crate::clock;
use crate::db::suppression::Suppression;
use crate::error::ApiError;
use crate::viewer::Viewer;
use humiao_shared::account::Role;

pub struct Outcomes;

/// Filters of `GET /api/v1/outcomes`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutcomeFilter {
    pub district_id: Option<i64>,
    pub station_id: Option<i64>,
    #[param(inline)]
    pub indicator: Option<Indicator>,
    /// First month included, `YYYY-MM`.
    #[param(value_type = Option<String>, pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub from: Option<Month>,
    /// Last month included, `YYYY-MM`.
    #[param(value_type = Option<String>, pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub to: Option<Month>,
}

/// A `YYYY-MM` query parameter; anything else is a 400 naming the parameter.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "String")]
pub struct Month(String);

impl TryFrom<String> for Month {
    type Error = &'static str;

    fn try_from(text: String) -> Result<Month, Self::Error> {
        parse_month(&text)
            .map(|first_day| Month(first_day.format("%Y-%m").to_string()))
            .map_err(|_| "expected a month like 2024-09")
    }
}

impl Resource for Outcomes {
    const NAME: &'static str = "outcomes";
    const TABLE: &'static str = "outcome_values";
    const FROM: &'static str = "outcome_values t JOIN stations st ON st.id = t.station_id";
    const SORTS: &'static [(&'static str, &'static str)] = &[
        ("-month", "t.month DESC, st.code, t.indicator"),
        ("month", "t.month, st.code, t.indicator"),
        ("station", "st.code, t.month, t.indicator"),
    ];
    const PAGE: i64 = 200;
    const KEY_FIELD: &'static str = "indicator";
    const SUMMARY: &'static str = "Outcome indicator values per station and month";
    const EXPORT: &'static humiao_shared::columns::Table = &humiao_shared::columns::OUTCOMES;

    type Input = NewOutcome;
    type Valid = ValidOutcome;
    type Record = Outcome;
    type Filter = OutcomeFilter;

    async fn validate(
        conn: &mut AnyConnection,
        input: &NewOutcome,
    ) -> Result<ValidOutcome, ApiError> {
        let mut refs = FieldErrors::default();
        if input.station_id.is_some() && !is_live(conn, "stations", input.station_id).await? {
            refs.push("station_id", FieldCode::UnknownValue);
        }
        let valid = checked(input.validate(clock::today()), refs)?;
        let (closed_on, registers_from): (Option<String>, Option<String>) =
            sqlx::query_as("SELECT closed_on, registers_from FROM stations WHERE id = $1")
                .bind(valid.station_id)
                .fetch_one(&mut *conn)
                .await?;
        let closed_on = closed_on.as_deref().map(super::date).transpose()?;
        valid.check_open(closed_on).map_err(ApiError::Validation)?;
        // A station-month is typed or derived, never both: from the station's marker on,
        // its registers answer this indicator (an import passes here too).
        let month = valid.month.format("%Y-%m").to_string();
        if is_derived(valid.indicator, registers_from.as_deref(), &month) {
            let mut errors = FieldErrors::default();
            errors.push("month", FieldCode::DerivedMonth);
            return Err(ApiError::Validation(errors));
        }
        Ok(valid)
    }

    fn named(filter: &OutcomeFilter) -> Vec<Named> {
        named::given([
            (Named::District, filter.district_id),
            (Named::Station, filter.station_id),
        ])
    }

    fn filter(filter: &OutcomeFilter, c: &mut Conditions) {
        c.eq("st.district_id", filter.district_id);
        c.eq("t.station_id", filter.station_id);
        c.eq_text("t.indicator", filter.indicator.map(Indicator::code));
        // `YYYY-MM` sorts as it reads, so months compare as text.
        if let Some(Month(from)) = &filter.from {
            c.text("t.month >= ?", from.clone());
        }
        if let Some(Month(to)) = &filter.to {
            c.text("t.month <= ?", to.clone());
        }
    }

    fn read_scope(viewer: &Viewer, c: &mut Conditions) -> Result<(), ApiError> {
        super::station_records(viewer, c)
    }

    const WRITERS: &'static [Role] = &[Role::Admin, Role::Officer];

    /// An officer records the station's own only.
    async fn may_write(
        conn: &mut AnyConnection,
        viewer: &Viewer,
        valid: &ValidOutcome,
    ) -> Result<bool, sqlx::Error> {
        super::own_station(conn, viewer, valid.station_id).await
    }

    async fn load(
        conn: &mut AnyConnection,
        c: &Conditions,
        tail: &str,
    ) -> Result<Vec<Outcome>, sqlx::Error> {
        let sql = format!(
            "SELECT t.id, t.station_id, t.month, t.indicator, t.value, t.version
             FROM {} WHERE {} {tail}",
            Self::FROM,
            c.sql()
        );
        let rows: Vec<(i64, i64, String, String, i64, i64)> =
            c.bind(sqlx::query_as(&sql)).fetch_all(&mut *conn).await?;
        rows.into_iter()
            .map(|(id, station_id, month, indicator, value, version)| {
                let indicator = Indicator::from_code(&indicator).ok_or_else(|| {
                    sqlx::Error::Decode(format!("unknown indicator {indicator}").into())
                })?;
                Ok(Outcome {
                    id,
                    station_id,
                    month,
                    indicator,
                    value: Some(value),
                    version,
                })
            })
            .collect()
    }

    async fn existing(
        conn: &mut AnyConnection,
        v: &ValidOutcome,
    ) -> Result<Option<Found>, sqlx::Error> {
        let row = sqlx::query_as(
            "SELECT id, deleted_at FROM outcome_values
             WHERE station_id = $1 AND month = $2 AND indicator = $3",
        )
        .bind(v.station_id)
        .bind(month(v))
        .bind(v.indicator.code())
        .fetch_optional(&mut *conn)
        .await?;
        Ok(Found::from_row(row))
    }

    async fn insert(
        tx: &mut Transaction<'static, Any>,
        v: &ValidOutcome,
    ) -> Result<i64, sqlx::Error> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO outcome_values (station_id, month, indicator, value, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(v.station_id)
        .bind(month(v))
        .bind(v.indicator.code())
        .bind(v.value)
        .bind(crate::db::now_text())
        .fetch_one(&mut **tx)
        .await?;
        Ok(id)
    }

    async fn update(
        tx: &mut Transaction<'static, Any>,
        id: i64,
        v: &ValidOutcome,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE outcome_values SET station_id = $1, month = $2, indicator = $3, value = $4
             WHERE id = $5",
        )
        .bind(v.station_id)
        .bind(month(v))
        .bind(v.indicator.code())
        .bind(v.value)
        .bind(id)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Small counts single out children: hidden from all but administrators, with whatever
    /// other figure would give them away (the city's suppression tables).
    async fn redact(
        conn: &mut AnyConnection,
        viewer: &Viewer,
        mut outcomes: Vec<Outcome>,
    ) -> Result<Vec<Outcome>, sqlx::Error> {
        if viewer.is_admin() {
            return Ok(outcomes);
        }
        let suppression =
            Suppression::of_months(conn, outcomes.iter().map(|o| o.month.as_str())).await?;
        for o in &mut outcomes {
            let place = Place::Station(o.station_id);
            o.value = o
                .value
                .and_then(|v| suppression.month(o.indicator, place, &o.month, v));
        }
        Ok(outcomes)
    }

    /// An officer may take back the station's own entries.
    fn may_delete(viewer: &Viewer, record: &Outcome) -> bool {
        super::takes_back(viewer, record.station_id)
    }

    fn period(v: &ValidOutcome) -> Option<super::Period> {
        Some((v.station_id, v.month))
    }

    fn period_of(o: &Outcome) -> Option<super::Period> {
        let first = humiao_shared::returns::parse_month(&o.month)?;
        Some((o.station_id, first))
    }

    fn version(o: &Outcome) -> i64 {
        o.version
    }
}

fn month(v: &ValidOutcome) -> String {
    v.month.format("%Y-%m").to_string()
}
