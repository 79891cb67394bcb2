//! `GET /api/v1/dashboard`: everything the leaders' page draws for one choice of filters,
//! in one answer. The server computes every figure (from the rollups where the slice allows),
//! so the page, the report and the aggregate endpoints state the same numbers by the same
//! definitions (`crate::definitions`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::aggregate::{
    unique_reach, AggregateFilter, AudienceSummary, FilmCoverage, GroupBy, OutcomePoint, ReachRow,
    TrainingCoverage,
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
    /// The share of open cases contacted within their grade's interval at each month's
    /// end, at the stations counting from registers (a leaders' chart; issue 18).
    #[serde(default)]
    pub contacts_on_time: Vec<RatePoint>,
    /// The share of each month's runaway calls followed up (within the setting's 7 days
    /// where counted from registers).
    #[serde(default)]
    pub followed_up_in_time: Vec<RatePoint>,
    /// Work figures one level down (`level`), every place of the level in scope listed.
    pub by_place: Vec<ReachRow>,
    pub by_month: Vec<ReachRow>,
    pub by_topic: Vec<ReachRow>,
    /// The stations the station chart draws: the [`TOP_STATIONS`](crate::charts::TOP_STATIONS)
    /// with the largest 人次, largest first (`aggregate::largest`). A province has a
    /// thousand stations and the page names fifteen; `GET /aggregates/reach?group_by=station`
    /// gives every one.
    pub by_station: Vec<ReachRow>,
    /// How many stations the slice's scope holds (live, or closed within the slice), of
    /// which `by_station` are the largest.
    pub stations: u64,
    /// Coverage figures one level down (`level`).
    pub coverage_by_place: Vec<PlaceCoverage>,
    pub films: Vec<FilmCoverage>,
    /// "X / Y 个所月报已审核": returns accepted of returns expected over the slice's months
    /// (up to the current one) and scope, whichever data the figures count.
    pub reviewed: crate::returns::completeness::ReviewedBadge,
}

impl Dashboard {
    /// Whether any station reported any outcome figure within the slice's months. Without
    /// one, the slice holds no outcome data: minors mentored (a stock at the slice's end)
    /// would be a figure from before it and the re-offence rate a 0.0% nobody reported, so
    /// the page says 无数据 instead. With some, a stock reported before the slice is still
    /// the stock at its end (stations report it once a year), and a month without a
    /// re-offence figure had none.
    pub fn outcomes_reported(&self) -> bool {
        !self.outcome_series.is_empty()
    }
}

/// What the rows one level down are, for a filter: a school or a station's schools, a
/// district's stations, a city's districts; with no place, the cities when the database
/// holds more than one (a province), else the districts.
pub fn level_of(filter: &AggregateFilter, cities: i64) -> GroupBy {
    match filter {
        AggregateFilter {
            school_id: Some(_), ..
        }
        | AggregateFilter {
            station_id: Some(_),
            ..
        } => GroupBy::School,
        AggregateFilter {
            district_id: Some(_),
            ..
        } => GroupBy::Station,
        AggregateFilter {
            city_id: Some(_), ..
        } => GroupBy::District,
        _ if cities > 1 => GroupBy::City,
        _ => GroupBy::District,
    }
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

impl Coverage {
    /// Counts one school of the place (the denominator) with the sessions held there in
    /// the slice and their students (人次), capped by `roll` for unique students
    /// ([`crate::org::capping_roll`]); a covered school without any roll stands uncapped
    /// and is flagged.
    pub fn add_school(&mut self, sessions: i64, students: i64, roll: Option<i64>) {
        self.schools += 1;
        if sessions > 0 {
            self.schools_covered += 1;
            self.students += students;
            self.unique_students += unique_reach(students, roll);
            self.schools_without_roll += i64::from(roll.is_none());
        }
    }

    /// Adds the coverage of other schools (places do not share schools, so a place's
    /// coverage is the sum of its parts').
    pub fn add(&mut self, other: &Coverage) {
        self.schools += other.schools;
        self.schools_covered += other.schools_covered;
        self.unique_students += other.unique_students;
        self.students += other.students;
        self.schools_without_roll += other.schools_without_roll;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rows_are_one_level_below_the_place_shown() {
        let f = |city, district, station, school| AggregateFilter {
            city_id: city,
            district_id: district,
            station_id: station,
            school_id: school,
            ..Default::default()
        };
        let cases = [
            (f(None, None, None, None), 13, GroupBy::City),
            (f(None, None, None, None), 1, GroupBy::District),
            (f(Some(1), None, None, None), 13, GroupBy::District),
            (f(Some(1), Some(2), None, None), 13, GroupBy::Station),
            (f(None, Some(2), Some(3), None), 1, GroupBy::School),
            (f(None, Some(2), Some(3), Some(4)), 1, GroupBy::School),
        ];
        for (filter, cities, level) in cases {
            assert_eq!(level_of(&filter, cities), level, "{filter:?} {cities}");
        }
    }

    #[test]
    fn coverage_counts_every_school_and_caps_the_covered_by_their_roll() {
        let mut c = Coverage::default();
        c.add_school(0, 0, Some(100)); // not covered: in the denominator only
        c.add_school(2, 150, Some(100)); // capped
        c.add_school(1, 40, None); // no roll: uncapped, flagged
        assert_eq!(
            c,
            Coverage {
                schools: 3,
                schools_covered: 2,
                unique_students: 140,
                students: 190,
                schools_without_roll: 1,
            }
        );
    }
}
