//! The figures behind the leaders' dashboards: the filters every aggregate takes and the
//! shapes the API answers with.
//!
//! Person-times (人次) count a student at three talks three times; unique reach counts,
//! per school, at most the school's roll for the period.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{FieldCode, FieldErrors};
use crate::outcome::Indicator;
use crate::session::SessionFormat;

/// The slice of the data an aggregate covers. Every aggregate takes all of these; each
/// applies those that mean something for it (a film has no topic filter, say).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default)]
pub struct AggregateFilter {
    /// The campaign; defaults to the campaign of `year`, else the one running today, else
    /// the latest.
    pub campaign_id: Option<i64>,
    /// The campaign of this year, when `campaign_id` is not given.
    pub year: Option<i32>,
    /// First day included (`YYYY-MM-DD`); defaults to the campaign's first day.
    pub from: Option<NaiveDate>,
    /// Last day included; defaults to the campaign's last day.
    pub to: Option<NaiveDate>,
    /// One city of a province (the level above districts).
    pub city_id: Option<i64>,
    pub district_id: Option<i64>,
    pub station_id: Option<i64>,
    pub school_id: Option<i64>,
    pub topic_id: Option<i64>,
    #[cfg_attr(feature = "openapi", param(inline))]
    pub format: Option<SessionFormat>,
    /// Which entered figures count: `all` (the default) or only station-months whose
    /// monthly return the city accepted (`accepted`, 已审核).
    #[cfg_attr(feature = "openapi", param(inline))]
    pub data: Option<FigureData>,
}

crate::coded_enum! {
    /// Which of the entered figures an aggregate counts (the dashboard's 全部数据 / 已审核).
    /// Work and outcome figures belong to a station's month, so 已审核 keeps the sessions and
    /// outcome values of station-months whose return is accepted; schools' film
    /// confirmations and speaker training are not part of a return and count either way.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum FigureData {
        /// Everything entered (the default).
        #[default]
        All = "all",
        /// Only station-months whose return is accepted.
        Accepted = "accepted",
    }
}

impl FigureData {
    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            FigureData::All => lang.pick("全部数据", "All data"),
            FigureData::Accepted => lang.pick("已审核", "Accepted"),
        }
    }
}

impl AggregateFilter {
    /// Only accepted station-months count (`data=accepted`).
    pub fn accepted_only(&self) -> bool {
        self.data == Some(FigureData::Accepted)
    }

    /// The filter's own rule, the same on the dashboard (beside the date field, before
    /// asking) and on the server (422): its days run forwards. The problem is said at
    /// `from`, the field a leader sets first and reads first.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if from > to {
                errors.push("from", FieldCode::StartsAfterEnd);
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// What the rows of a reach aggregate are per.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    #[default]
    Month,
    /// The cities of a province.
    City,
    District,
    Station,
    Topic,
    Format,
    /// Sessions held at schools, per school (sessions elsewhere are left out).
    School,
}

/// Sessions and audience (人次) of one group: a month, a district, a station, a topic or a
/// format. A session with two topics counts under both topics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReachRow {
    /// The group: `YYYY-MM` for months, the id for districts, stations, schools and topics, the
    /// code for formats.
    pub key: String,
    /// The group's name as people read it (Chinese).
    pub label: String,
    pub sessions: i64,
    pub students: i64,
    pub parents: i64,
    pub teachers: i64,
    pub others: i64,
}

impl ReachRow {
    /// Person-times across the audience groups.
    pub fn audience(&self) -> i64 {
        self.students + self.parents + self.teachers + self.others
    }
}

/// The `top` rows with the largest audience (人次), largest first, leaving out places
/// without sessions; equal audiences keep the rows' own order. What a ranked chart shows
/// (the stations, the topics), and what the dashboard sends of a province's stations.
pub fn largest(rows: &[ReachRow], top: usize) -> Vec<ReachRow> {
    let mut shown: Vec<ReachRow> = rows.iter().filter(|r| r.sessions > 0).cloned().collect();
    // A stable sort: ties stay in the aggregate's order (by id).
    shown.sort_by_key(|r| std::cmp::Reverse(r.audience()));
    shown.truncate(top);
    shown
}

/// The headline figures: sessions, 人次 per audience group, and unique students reached.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AudienceSummary {
    pub sessions: i64,
    pub students: i64,
    pub parents: i64,
    pub teachers: i64,
    pub others: i64,
    /// Students reached at schools, counting each school at most up to its roll for the
    /// period: a student at three talks is one student here, three 人次 above.
    pub unique_students: i64,
    /// Schools with at least one session in the slice.
    pub schools_reached: i64,
}

impl AudienceSummary {
    /// Person-times across the audience groups.
    pub fn audience(&self) -> i64 {
        self.students + self.parents + self.teachers + self.others
    }
}

/// Students reached at one school against its roll: the cap applied to unique reach.
pub fn unique_reach(students_reached: i64, roll: Option<i64>) -> i64 {
    match roll {
        Some(roll) => students_reached.min(roll),
        // Without a roll on record nothing caps the count; the school's own figure stands.
        None => students_reached,
    }
}

/// How many of the schools asked to screen a film confirmed it, overall and per district.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FilmCoverage {
    pub film_id: i64,
    pub title: String,
    /// Schools asked to screen the film.
    pub expected: i64,
    /// Of those, schools that confirmed it (never more than `expected`).
    pub confirmed: i64,
    /// Students and parents who watched, as the schools reported.
    pub students: i64,
    pub parents: i64,
    pub by_district: Vec<DistrictCoverage>,
}

/// The people the films reached: the schools that confirmed at least one film of those
/// expected, and per school the largest audience of any one film (the same pupils watch
/// several films), students capped at the school's roll.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScreeningReach {
    /// Schools asked to screen at least one film.
    pub schools_expected: i64,
    /// Of those, schools that confirmed at least one.
    pub schools_confirmed: i64,
    pub students: i64,
    pub parents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DistrictCoverage {
    pub district_id: i64,
    pub district: String,
    pub expected: i64,
    pub confirmed: i64,
}

/// Share of `part` in `whole`, 0–1; 0 when there is no whole.
pub fn rate(part: i64, whole: i64) -> f64 {
    if whole <= 0 {
        0.0
    } else {
        (part as f64 / whole as f64).clamp(0.0, 1.0)
    }
}

/// Stations with a trained speaker (a trainee who completed a course) of all stations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainingCoverage {
    pub stations: i64,
    pub trained: i64,
    /// Trainees who completed a course.
    pub speakers: i64,
    pub by_district: Vec<DistrictTraining>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DistrictTraining {
    pub district_id: i64,
    pub district: String,
    pub stations: i64,
    pub trained: i64,
}

/// One indicator's total over the slice's stations in one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutcomePoint {
    /// `YYYY-MM`.
    pub month: String,
    pub indicator: Indicator,
    /// `null` when a single station's count is 1–4 and the viewer is not an administrator.
    pub value: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_reach_never_exceeds_the_roll() {
        let cases = [
            (120, Some(500), 120),
            (1500, Some(500), 500),
            (0, Some(500), 0),
            (300, None, 300),
        ];
        for (reached, roll, expected) in cases {
            assert_eq!(unique_reach(reached, roll), expected, "{reached} {roll:?}");
        }
    }

    #[test]
    fn a_range_may_be_one_day_or_open_but_never_backwards() {
        let day = |d: &str| Some(d.parse::<NaiveDate>().unwrap());
        let cases = [
            (day("2024-05-01"), day("2024-04-30"), false),
            (day("2024-05-01"), day("2024-05-01"), true),
            (day("2024-05-01"), day("2024-06-30"), true),
            (day("2024-05-01"), None, true),
            (None, day("2024-04-30"), true),
        ];
        for (from, to, ok) in cases {
            let filter = AggregateFilter {
                from,
                to,
                ..AggregateFilter::default()
            };
            let problem = filter.validate().err();
            assert_eq!(problem.is_none(), ok, "{from:?} {to:?}");
            if let Some(errors) = problem {
                assert_eq!(errors.get("from"), Some(FieldCode::StartsAfterEnd));
            }
        }
    }

    #[test]
    fn rates_stay_between_nought_and_one() {
        assert_eq!(rate(3, 4), 0.75);
        assert_eq!(rate(5, 4), 1.0);
        assert_eq!(rate(1, 0), 0.0);
        assert_eq!(rate(0, 855), 0.0);
    }
}
