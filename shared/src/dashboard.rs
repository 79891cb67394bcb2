//! `GET /api/v1/dashboard`: everything the leaders' page draws for one choice of filters,
//! in one answer. The server computes every figure (from the rollups where the slice allows),
//! so the page, the report and the aggregate endpoints state the same numbers by the same
//! definitions (`crate::definitions`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::aggregate::{
    AudienceSummary, FilmCoverage, GroupBy, OutcomePoint, ReachRow, TrainingCoverage,
};
use crate::report::OutcomeTotals;

/// The whole dashboard view for one slice.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dashboard {
    /// The campaign and days the figures cover; `null` when there is no campaign at all
    /// (every figure is then empty).
    pub slice: Option<SliceInfo>,
    /// What the rows of `by_place` and `coverage_by_place` are: the level below the one
    /// shown (`city` for a province, `district`, `station` or `school`).
    pub level: GroupBy,
    /// Work figures: sessions and 人次 given by the stations in scope (counted where the
    /// session's station is).
    pub summary: AudienceSummary,
    /// Coverage figures: counted where the school is.
    pub coverage: Coverage,
    pub training: TrainingCoverage,
    /// The outcome figures of the slice, hidden as a whole where a part would give a small
    /// count away; the re-offence rate computed from true counts.
    pub outcomes: OutcomeTotals,
    /// Re-offences ÷ minors mentored, 0–1, computed from true counts; `null` when either
    /// count is hidden from this viewer or there are no minors mentored.
    pub reoffence_rate: Option<f64>,
    /// Each indicator's monthly total, as `GET /aggregates/outcomes` gives it.
    pub outcome_series: Vec<OutcomePoint>,
    /// The re-offence rate per month, as the re-offence chart draws it.
    pub reoffence_by_month: Vec<RatePoint>,
    /// Work figures one level down (`level`), every place of the level in scope listed.
    pub by_place: Vec<ReachRow>,
    pub by_month: Vec<ReachRow>,
    pub by_topic: Vec<ReachRow>,
    /// Per station of the slice (the station chart below district level).
    pub by_station: Vec<ReachRow>,
    /// Coverage figures one level down (`level`).
    pub coverage_by_place: Vec<PlaceCoverage>,
    pub films: Vec<FilmCoverage>,
}

/// The campaign and days a dashboard answer covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SliceInfo {
    pub campaign_id: i64,
    pub campaign: String,
    pub year: i32,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Coverage of the schools in scope: schools are counted in their own station and district,
/// whoever gave the session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Coverage {
    /// Schools in scope active at some time in the slice (the denominator).
    pub schools: i64,
    /// Of those, schools with at least one session in the slice.
    pub schools_covered: i64,
    /// Unique students: per school, min(students 人次 in the slice, the roll that applies).
    pub unique_students: i64,
    /// Students 人次 at the schools in scope (the figure unique students caps).
    pub students: i64,
    /// Covered schools with no roll on record at all, counted uncapped (无在册数).
    pub schools_without_roll: i64,
}

/// Coverage of one place (city, district, station or school).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlaceCoverage {
    /// The place's id, as text (as `ReachRow::key`).
    pub key: String,
    pub label: String,
    #[serde(flatten)]
    pub coverage: Coverage,
}

/// One month's re-offence rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatePoint {
    /// `YYYY-MM`.
    pub month: String,
    /// 0–1; `null` when hidden or undefined.
    pub rate: Option<f64>,
}
