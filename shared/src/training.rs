//! Speaker trainings (宣讲员培训班): courses that prepare station officers to give the talks,
//! such as the one held 2024-08-19..20 at 常州市人民警察培训学校, the trainees each station
//! sent, and the rules both must pass.
//!
//! Trainees are adult police officers, never minors. Whether the campaign, training and
//! station exist is for the server to check.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{FieldCode, FieldErrors};
use crate::rules::{self, MAX_NAME_CHARS};
use crate::session::parse_date;

/// A course longer than a month is a mistake, not a course.
pub const MAX_COURSE_DAYS: i64 = 31;
pub const MAX_TRAINEE_NAME_CHARS: usize = 50;

/// A stored training course, as lists and the API return it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Training {
    pub id: i64,
    pub title: String,
    /// Where it is held, e.g. 常州市人民警察培训学校.
    pub place: String,
    /// The course's first day.
    pub starts_on: NaiveDate,
    /// The course's last day, included.
    pub ends_on: NaiveDate,
    /// The campaign the course prepares for, if any.
    pub campaign_id: Option<i64>,
    /// Changes with every edit; sent back in `If-Match` to edit or delete.
    pub version: i64,
}

/// A training course as an administrator sends it; planned courses may lie in the future.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewTraining {
    pub title: String,
    /// Where it is held.
    pub place: String,
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    /// `YYYY-MM-DD`, not before `starts_on`; at most 31 days counting both ends.
    pub ends_on: String,
    /// The campaign the course prepares for, if any.
    pub campaign_id: Option<i64>,
}

/// A training course that passed every rule that needs no database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidTraining {
    pub title: String,
    pub place: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub campaign_id: Option<i64>,
}

impl NewTraining {
    pub fn validate(&self) -> Result<ValidTraining, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = errors.check("title", rules::required_text(&self.title, MAX_NAME_CHARS));
        let place = errors.check("place", rules::required_text(&self.place, MAX_NAME_CHARS));
        let starts_on = errors.check("starts_on", parse_date(&self.starts_on));
        let ends_on = match (starts_on, parse_date(&self.ends_on)) {
            (Some(start), Ok(end)) => rules::period_end(start, end, MAX_COURSE_DAYS),
            (_, parsed) => parsed,
        };
        let ends_on = errors.check("ends_on", ends_on);
        match (title, place, starts_on, ends_on) {
            (Some(title), Some(place), Some(starts_on), Some(ends_on)) if errors.is_empty() => {
                Ok(ValidTraining {
                    title,
                    place,
                    starts_on,
                    ends_on,
                    campaign_id: self.campaign_id,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A stored trainee: an officer a station sent to a course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Trainee {
    pub id: i64,
    pub training_id: i64,
    /// The officer's name (an adult speaker, not a minor).
    pub name: String,
    /// The station that sent the officer.
    pub station_id: i64,
    /// Days of the course the trainee attended.
    pub days_attended: Vec<NaiveDate>,
    /// True once the trainee has completed the course (结业).
    pub completed: bool,
    /// Changes with every edit; sent back in `If-Match` to edit or delete.
    pub version: i64,
}

/// A trainee as an administrator sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewTrainee {
    pub training_id: Option<i64>,
    /// The officer's name (an adult speaker, not a minor).
    pub name: String,
    /// The station that sent the officer.
    pub station_id: Option<i64>,
    /// Days of the course attended, `YYYY-MM-DD`, each once and not after today; at most 31.
    pub days_attended: Vec<String>,
    /// True once the trainee has completed the course; needs at least one day attended.
    pub completed: bool,
}

/// A trainee that passed every rule that needs no database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidTrainee {
    pub training_id: i64,
    pub name: String,
    pub station_id: i64,
    /// Sorted, earliest first.
    pub days_attended: Vec<NaiveDate>,
    pub completed: bool,
}

impl NewTrainee {
    /// `course`: the training's first and last day when known.
    pub fn validate(
        &self,
        course: Option<(NaiveDate, NaiveDate)>,
        today: NaiveDate,
    ) -> Result<ValidTrainee, FieldErrors> {
        let mut errors = FieldErrors::default();
        let training_id = errors.check("training_id", rules::required(self.training_id));
        let name = errors.check(
            "name",
            rules::required_text(&self.name, MAX_TRAINEE_NAME_CHARS),
        );
        let station_id = errors.check("station_id", rules::required(self.station_id));

        // No one attends more days than the longest course has.
        let days_attended = match rules::at_most(&self.days_attended, MAX_COURSE_DAYS as usize) {
            Ok(days) => days,
            Err(code) => {
                errors.push("days_attended", code);
                &[]
            }
        };
        let parsed: Vec<Result<NaiveDate, FieldCode>> = days_attended
            .iter()
            .map(|text| {
                parse_date(text).and_then(|day| {
                    if day > today {
                        Err(FieldCode::DateInFuture)
                    } else {
                        rules::inside(day, course, FieldCode::OutsideCourse)
                    }
                })
            })
            .collect();
        // Only days that are fine otherwise can repeat one another.
        let comparable: Vec<Option<NaiveDate>> =
            parsed.iter().map(|p| p.as_ref().ok().copied()).collect();
        let repeated: Vec<usize> = rules::repeats(&comparable)
            .into_iter()
            .filter(|&i| comparable[i].is_some())
            .collect();
        let mut days = Vec::with_capacity(parsed.len());
        for (i, day) in parsed.into_iter().enumerate() {
            let day = if repeated.contains(&i) {
                Err(FieldCode::DuplicateValue)
            } else {
                day
            };
            days.extend(errors.check(format!("days_attended[{i}]"), day));
        }
        days.sort_unstable();

        if self.completed && self.days_attended.is_empty() {
            errors.push("completed", FieldCode::NotAttended);
        }

        match (training_id, name, station_id) {
            (Some(training_id), Some(name), Some(station_id)) if errors.is_empty() => {
                Ok(ValidTrainee {
                    training_id,
                    name,
                    station_id,
                    days_attended: days,
                    completed: self.completed,
                })
            }
            _ => Err(errors),
        }
    }
}

// Trainings and their trainees as every part of the product names them (see
// `crate::record`). The people a course trains are called 参训宣讲员 / speaker trainees
// everywhere (the export, the import, the admin page); the import keeps its URL code
// `speakers`.

use crate::i18n::Text;
use crate::import::ImportKind;
use crate::record::{words, Described, Field, FieldKind, RecordKind};

/// The title every part of the product gives the people a course trains.
pub const TRAINEES_TITLE: Text = Text::new("参训宣讲员", "Speaker trainees");

pub const TRAINING_TITLE: Field =
    Field::new("title", Text::new("培训班", "Course"), FieldKind::Text)
        .required()
        .hint(Text::new("培训班名称", "The course's title"));
pub const PLACE: Field =
    Field::new("place", Text::new("地点", "Place"), FieldKind::Text).required();
pub const TRAINING_CAMPAIGN: Field =
    Field::new("campaign_id", words::CAMPAIGN, FieldKind::Ref("campaigns"));

impl Described for NewTraining {
    const KIND: &'static RecordKind = &RecordKind {
        collection: "trainings",
        title: Text::new("宣讲员培训班", "Speaker trainings"),
        fields: &[
            TRAINING_TITLE,
            PLACE,
            crate::org::STARTS_ON,
            crate::org::ENDS_ON,
            TRAINING_CAMPAIGN,
        ],
        computed: &["id", "version"],
        natural_key: &["title", "starts_on"],
        export: Some(&crate::columns::TRAININGS),
        import: None,
    };

    fn example() -> Self {
        NewTraining {
            title: "2024年宣讲员培训班".into(),
            place: "常州市人民警察培训学校".into(),
            starts_on: "2024-08-19".into(),
            ends_on: "2024-08-20".into(),
            campaign_id: Some(3),
        }
    }
}

pub const TRAINING_ID: Field = Field::new(
    "training_id",
    TRAINING_TITLE.label,
    FieldKind::Ref("trainings"),
)
.required()
.hint(Text::new("培训班名称", "The course's title"));
pub const TRAINEE_NAME: Field = Field::new("name", Text::new("姓名", "Name"), FieldKind::Text)
    .required()
    .hint(Text::new(
        "宣讲员（民警）姓名",
        "The speaker's (officer's) name",
    ));
pub const DAYS_ATTENDED: Field = Field::new(
    "days_attended",
    Text::new("参训日期", "Days attended"),
    FieldKind::Dates,
)
.hint(Text::new(
    "一个或多个日期，用逗号或顿号分隔",
    "One or more dates, separated by commas",
));
pub const COMPLETED: Field = Field::new(
    "completed",
    Text::new("是否结业", "Completed"),
    FieldKind::Bool,
)
.hint(Text::new("是 / 否", "yes / no"));

impl Described for NewTrainee {
    const KIND: &'static RecordKind = &RecordKind {
        collection: "trainees",
        title: TRAINEES_TITLE,
        fields: &[
            TRAINING_ID,
            TRAINEE_NAME,
            crate::org::STATION_ID,
            DAYS_ATTENDED,
            COMPLETED,
        ],
        computed: &["id", "version"],
        natural_key: &["training_id", "station_id", "name"],
        export: Some(&crate::columns::TRAINEES),
        import: Some(ImportKind::Speakers),
    };

    fn example() -> Self {
        NewTrainee {
            training_id: Some(1),
            name: "王建国".into(),
            station_id: Some(1),
            days_attended: vec!["2024-08-19".into(), "2024-08-20".into()],
            completed: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::table::{assert_table, Case};
    use FieldCode::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// The 2024 course: 87 stations sent 94 speakers.
    fn training() -> NewTraining {
        NewTraining {
            title: " 2024年宣讲员培训班 ".into(),
            place: "常州市人民警察培训学校".into(),
            starts_on: "2024-08-19".into(),
            ends_on: "2024-08-20".into(),
            campaign_id: Some(3),
        }
    }

    fn course() -> Option<(NaiveDate, NaiveDate)> {
        Some((day("2024-08-19"), day("2024-08-20")))
    }

    fn trainee() -> NewTrainee {
        NewTrainee {
            training_id: Some(1),
            name: " 王警官 ".into(),
            station_id: Some(21),
            days_attended: vec!["2024-08-20".into(), "2024-08-19".into()],
            completed: true,
        }
    }

    fn validate_trainee(entry: &NewTrainee) -> Result<ValidTrainee, FieldErrors> {
        entry.validate(course(), day("2024-12-30"))
    }

    #[test]
    fn a_complete_training_is_accepted_and_trimmed() {
        let ok = training().validate().expect("valid");
        assert_eq!(ok.title, "2024年宣讲员培训班");
        assert_eq!(
            (ok.starts_on, ok.ends_on),
            (day("2024-08-19"), day("2024-08-20"))
        );
        assert_eq!(ok.campaign_id, Some(3));
    }

    #[test]
    fn every_problem_with_a_training_is_reported_at_once() {
        let errors = NewTraining::default().validate().unwrap_err();
        let fields: Vec<_> = errors.codes().map(|(f, _)| f).collect();
        assert_eq!(fields, ["title", "place", "starts_on", "ends_on"]);
    }

    #[test]
    fn trainings_have_a_title_and_a_place() {
        let cases: &[Case<NewTraining>] = &[
            (
                "blank title",
                |t| t.title = " ".into(),
                "title",
                Some(Required),
            ),
            (
                "long title",
                |t| t.title = "训".repeat(101),
                "title",
                Some(TooLong),
            ),
            (
                "blank place",
                |t| t.place = String::new(),
                "place",
                Some(Required),
            ),
            (
                "long place",
                |t| t.place = "校".repeat(101),
                "place",
                Some(TooLong),
            ),
            (
                "100-character place",
                |t| t.place = "校".repeat(100),
                "place",
                None,
            ),
            ("no campaign", |t| t.campaign_id = None, "campaign_id", None),
        ];
        assert_table(training, NewTraining::validate, cases);
    }

    #[test]
    fn a_course_ends_after_it_starts_and_within_31_days() {
        let cases: &[Case<NewTraining>] = &[
            (
                "no start",
                |t| t.starts_on = " ".into(),
                "starts_on",
                Some(Required),
            ),
            (
                "bad start",
                |t| t.starts_on = "2024-08-32".into(),
                "starts_on",
                Some(InvalidDate),
            ),
            (
                "no end",
                |t| t.ends_on = String::new(),
                "ends_on",
                Some(Required),
            ),
            (
                "ends before it starts",
                |t| t.ends_on = "2024-08-18".into(),
                "ends_on",
                Some(EndsBeforeStart),
            ),
            (
                "32 days",
                |t| t.ends_on = "2024-09-19".into(),
                "ends_on",
                Some(PeriodTooLong),
            ),
            (
                "31 days",
                |t| t.ends_on = "2024-09-18".into(),
                "ends_on",
                None,
            ),
            (
                "one day",
                |t| t.ends_on = "2024-08-19".into(),
                "ends_on",
                None,
            ),
            (
                "planned for next year",
                |t| {
                    t.starts_on = "2099-08-18".into();
                    t.ends_on = "2099-08-19".into()
                },
                "starts_on",
                None,
            ),
        ];
        assert_table(training, NewTraining::validate, cases);
    }

    #[test]
    fn a_complete_trainee_is_accepted_with_days_sorted() {
        let ok = validate_trainee(&trainee()).expect("valid");
        assert_eq!(ok.name, "王警官");
        assert_eq!(ok.days_attended, [day("2024-08-19"), day("2024-08-20")]);
    }

    #[test]
    fn every_problem_with_a_trainee_is_reported_at_once() {
        let entry = NewTrainee {
            days_attended: vec!["x".into(), "2024-08-21".into()],
            ..NewTrainee::default()
        };
        let errors = validate_trainee(&entry).unwrap_err();
        let fields: Vec<_> = errors.codes().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            [
                "training_id",
                "name",
                "station_id",
                "days_attended[0]",
                "days_attended[1]"
            ]
        );
    }

    #[test]
    fn trainees_name_the_training_station_and_officer() {
        let cases: &[Case<NewTrainee>] = &[
            (
                "no training",
                |t| t.training_id = None,
                "training_id",
                Some(Required),
            ),
            (
                "no station",
                |t| t.station_id = None,
                "station_id",
                Some(Required),
            ),
            (
                "blank name",
                |t| t.name = "  ".into(),
                "name",
                Some(Required),
            ),
            (
                "51-character name",
                |t| t.name = "名".repeat(51),
                "name",
                Some(TooLong),
            ),
            (
                "50-character name",
                |t| t.name = "名".repeat(50),
                "name",
                None,
            ),
        ];
        assert_table(trainee, validate_trainee, cases);
    }

    #[test]
    fn days_attended_are_past_days_of_the_course_each_once() {
        let cases: &[Case<NewTrainee>] = &[
            (
                "blank",
                |t| t.days_attended[1] = " ".into(),
                "days_attended[1]",
                Some(Required),
            ),
            (
                "bad",
                |t| t.days_attended[0] = "8月19日".into(),
                "days_attended[0]",
                Some(InvalidDate),
            ),
            (
                "before the course",
                |t| t.days_attended[1] = "2024-08-18".into(),
                "days_attended[1]",
                Some(OutsideCourse),
            ),
            (
                "after the course",
                |t| t.days_attended[0] = "2024-08-21".into(),
                "days_attended[0]",
                Some(OutsideCourse),
            ),
            (
                "the same day twice marks the second",
                |t| t.days_attended[1] = "2024-08-20".into(),
                "days_attended[1]",
                Some(DuplicateValue),
            ),
            (
                "one day only",
                |t| t.days_attended.truncate(1),
                "days_attended",
                None,
            ),
        ];
        assert_table(trainee, validate_trainee, cases);
    }

    #[test]
    fn days_attended_cannot_lie_in_the_future() {
        let planned = Some((day("2024-08-19"), day("2024-08-20")));
        let errors = trainee().validate(planned, day("2024-08-19")).unwrap_err();
        let found: Vec<_> = errors.codes().collect();
        assert_eq!(found, [("days_attended[0]", DateInFuture)]);
        assert!(
            trainee().validate(None, day("2024-12-30")).is_ok(),
            "no course known"
        );
    }

    #[test]
    fn only_trainees_who_attended_complete_the_course() {
        let cases: &[Case<NewTrainee>] = &[
            (
                "completed without a day",
                |t| t.days_attended.clear(),
                "completed",
                Some(NotAttended),
            ),
            (
                "registered, not yet attended",
                |t| {
                    t.days_attended.clear();
                    t.completed = false
                },
                "completed",
                None,
            ),
            (
                "attended, not completed",
                |t| t.completed = false,
                "completed",
                None,
            ),
        ];
        assert_table(trainee, validate_trainee, cases);
    }
}
