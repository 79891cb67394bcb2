//! Film screenings (观看): assignments that ask schools to show films within a window, the
//! confirmations schools send back with how many watched, and the rules both must pass.
//!
//! The rules that need stored data (the assignment's window, the school's roll, whether the
//! film and the school belong to the assignment) take what the server looked up, so the form
//! and the API still run the same checks.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{FieldCode, FieldErrors};
use crate::rules::{self, MAX_NAME_CHARS};
use crate::session::parse_date;

/// More than every school in the province: a longer list is a mistake.
pub const MAX_ASSIGNED_SCHOOLS: usize = 10_000;
/// Ten times the films of 2024: more in one assignment is a mistake.
pub const MAX_ASSIGNED_FILMS: usize = 100;

/// A stored assignment (观看任务), as lists and the API return it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assignment {
    pub id: i64,
    pub campaign_id: i64,
    pub title: String,
    /// The films to show.
    pub film_ids: Vec<i64>,
    /// The schools expected to show them and confirm.
    pub school_ids: Vec<i64>,
    /// The first day the films may be shown.
    pub opens_on: NaiveDate,
    /// The last day, included.
    pub closes_on: NaiveDate,
    /// Changes with every edit; sent back in `If-Match` to edit or delete.
    pub version: i64,
}

/// An assignment as an administrator sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewAssignment {
    pub campaign_id: Option<i64>,
    pub title: String,
    /// The films to show; at least one, each once, at most 100.
    pub film_ids: Vec<i64>,
    /// The schools expected to show them; at least one, each once, at most 10000.
    pub school_ids: Vec<i64>,
    /// `YYYY-MM-DD`, within the campaign.
    pub opens_on: String,
    /// `YYYY-MM-DD`, within the campaign and not before `opens_on`.
    pub closes_on: String,
}

/// An assignment that passed every rule that needs no database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidAssignment {
    pub campaign_id: i64,
    pub title: String,
    pub film_ids: Vec<i64>,
    pub school_ids: Vec<i64>,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
}

impl NewAssignment {
    /// `campaign_window`: the campaign's first and last day when known.
    pub fn validate(
        &self,
        campaign_window: Option<(NaiveDate, NaiveDate)>,
    ) -> Result<ValidAssignment, FieldErrors> {
        let mut errors = FieldErrors::default();
        let campaign_id = errors.check("campaign_id", rules::required(self.campaign_id));
        let title = errors.check("title", rules::required_text(&self.title, MAX_NAME_CHARS));
        let film_ids = errors.check(
            "film_ids",
            rules::chosen(
                &self.film_ids,
                MAX_ASSIGNED_FILMS,
                FieldCode::DuplicateValue,
            ),
        );
        let school_ids = errors.check(
            "school_ids",
            rules::chosen(
                &self.school_ids,
                MAX_ASSIGNED_SCHOOLS,
                FieldCode::DuplicateValue,
            ),
        );

        let in_campaign = |day| rules::inside(day, campaign_window, FieldCode::OutsideCampaign);
        let opens_on = errors.check("opens_on", parse_date(&self.opens_on).and_then(in_campaign));
        let closes_on = parse_date(&self.closes_on).and_then(in_campaign);
        let closes_on = match (opens_on, closes_on) {
            (Some(opens), Ok(closes)) if closes < opens => Err(FieldCode::EndsBeforeStart),
            (_, checked) => checked,
        };
        let closes_on = errors.check("closes_on", closes_on);

        match (
            campaign_id,
            title,
            film_ids,
            school_ids,
            opens_on,
            closes_on,
        ) {
            (
                Some(campaign_id),
                Some(title),
                Some(film_ids),
                Some(school_ids),
                Some(opens_on),
                Some(closes_on),
            ) if errors.is_empty() => Ok(ValidAssignment {
                campaign_id,
                title,
                film_ids,
                school_ids,
                opens_on,
                closes_on,
            }),
            _ => Err(errors),
        }
    }
}

crate::coded_enum! {
    /// How a school showed a film.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum ShowMethod {
        /// On each classroom's screen (班级多媒体).
        Classroom = "classroom",
        /// To the school gathered in one hall (集中观看).
        Assembly = "assembly",
        /// Online, e.g. at home with parents (线上观看).
        Online = "online",
        Other = "other",
    }
}

impl ShowMethod {
    pub fn label(self, lang: crate::Lang) -> &'static str {
        let (zh, en) = match self {
            ShowMethod::Classroom => ("班级多媒体", "In classrooms"),
            ShowMethod::Assembly => ("集中观看", "At an assembly"),
            ShowMethod::Online => ("线上观看", "Online"),
            ShowMethod::Other => ("其他", "Other"),
        };
        lang.pick(zh, en)
    }
}

/// A stored confirmation (观看确认) that a school showed one film of an assignment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Confirmation {
    pub id: i64,
    pub assignment_id: i64,
    pub school_id: i64,
    pub film_id: i64,
    /// The day the film was shown.
    pub shown_on: NaiveDate,
    /// Students who watched, in person-times (人次).
    pub students: i64,
    /// Parents who watched, in person-times (人次).
    pub parents: i64,
    /// Classes that watched.
    pub classes: i64,
    pub method: ShowMethod,
    /// Changes with every edit; sent back in `If-Match` to edit or delete.
    pub version: i64,
}

/// A confirmation as a school sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewConfirmation {
    pub assignment_id: Option<i64>,
    pub school_id: Option<i64>,
    /// One of the assignment's films.
    pub film_id: Option<i64>,
    /// `YYYY-MM-DD`, within the assignment's window and not after today.
    pub shown_on: String,
    /// Students who watched; not more than the school's roll.
    pub students: i64,
    /// Parents who watched.
    pub parents: i64,
    /// Classes that watched; at least one when students did.
    pub classes: i64,
    pub method: Option<ShowMethod>,
}

/// A confirmation that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidConfirmation {
    pub assignment_id: i64,
    pub school_id: i64,
    pub film_id: i64,
    pub shown_on: NaiveDate,
    pub students: i64,
    pub parents: i64,
    pub classes: i64,
    pub method: ShowMethod,
}

/// What the confirmation rules need from the database; the server fills it in.
#[derive(Debug, Clone, Copy)]
pub struct ConfirmationContext {
    pub today: NaiveDate,
    /// The assignment's window, when the assignment is known.
    pub window: Option<(NaiveDate, NaiveDate)>,
    /// The school's roll for the school year of shown_on, when on record.
    pub enrolment: Option<i64>,
    /// False when the film is not one of the assignment's films.
    pub film_assigned: bool,
    /// False when the school is not among the schools expected.
    pub school_expected: bool,
}

impl NewConfirmation {
    pub fn validate(&self, ctx: &ConfirmationContext) -> Result<ValidConfirmation, FieldErrors> {
        let mut errors = FieldErrors::default();
        let assignment_id = errors.check("assignment_id", rules::required(self.assignment_id));
        let school_id = errors.check(
            "school_id",
            rules::required(self.school_id).and_then(|id| {
                if ctx.school_expected {
                    Ok(id)
                } else {
                    Err(FieldCode::NotAssigned)
                }
            }),
        );
        let film_id = errors.check(
            "film_id",
            rules::required(self.film_id).and_then(|id| {
                if ctx.film_assigned {
                    Ok(id)
                } else {
                    Err(FieldCode::NotAssigned)
                }
            }),
        );
        let shown_on = errors.check(
            "shown_on",
            parse_date(&self.shown_on).and_then(|day| {
                if day > ctx.today {
                    Err(FieldCode::DateInFuture)
                } else {
                    rules::inside(day, ctx.window, FieldCode::OutsideWindow)
                }
            }),
        );

        let students = errors.check("students", rules::count(self.students));
        let parents = errors.check("parents", rules::count(self.parents));
        let classes = errors.check("classes", rules::count(self.classes));
        if let (Some(students), Some(parents)) = (students, parents) {
            if students + parents == 0 {
                errors.push("students", FieldCode::NoAudience);
            } else if ctx.enrolment.is_some_and(|roll| students > roll) {
                errors.push("students", FieldCode::ExceedsEnrolment);
            }
        }
        if students.is_some_and(|s| s > 0) && classes == Some(0) {
            errors.push("classes", FieldCode::TooSmall);
        }

        let method = errors.check("method", rules::required(self.method));

        match (assignment_id, school_id, film_id, shown_on, method) {
            (Some(assignment_id), Some(school_id), Some(film_id), Some(shown_on), Some(method))
                if errors.is_empty() =>
            {
                Ok(ValidConfirmation {
                    assignment_id,
                    school_id,
                    film_id,
                    shown_on,
                    students: self.students,
                    parents: self.parents,
                    classes: self.classes,
                    method,
                })
            }
            _ => Err(errors),
        }
    }
}

// Assignments and confirmations as every part of the product names them (see
// `crate::record`).

use crate::i18n::Text;
use crate::import::ImportKind;
use crate::record::{words, Described, Field, FieldKind, RecordKind};

pub const ASSIGNMENT_CAMPAIGN: Field =
    Field::new("campaign_id", words::CAMPAIGN, FieldKind::Ref("campaigns")).required();
pub const ASSIGNMENT_TITLE: Field = Field::new(
    "title",
    Text::new("观看任务", "Assignment"),
    FieldKind::Text,
)
.required()
.hint(Text::new("观看任务名称", "The assignment's title"));
pub const FILM_IDS: Field = Field::new(
    "film_ids",
    Text::new("宣教片", "Films"),
    FieldKind::Ids("films"),
)
.required();
pub const SCHOOL_IDS: Field = Field::new(
    "school_ids",
    Text::new("学校", "Schools"),
    FieldKind::Ids("schools"),
)
.required();
pub const OPENS_ON: Field = Field::new(
    "opens_on",
    Text::new("开始日期", "Opens on"),
    FieldKind::Date,
)
.required();
pub const CLOSES_ON: Field = Field::new(
    "closes_on",
    Text::new("截止日期", "Closes on"),
    FieldKind::Date,
)
.required();

impl Described for NewAssignment {
    const KIND: &'static RecordKind = &RecordKind {
        collection: "assignments",
        title: Text::new("观看任务", "Screening assignments"),
        fields: &[
            ASSIGNMENT_CAMPAIGN,
            ASSIGNMENT_TITLE,
            FILM_IDS,
            SCHOOL_IDS,
            OPENS_ON,
            CLOSES_ON,
        ],
        computed: &["id", "version"],
        natural_key: &["campaign_id", "title"],
        export: Some(&crate::columns::ASSIGNMENTS),
        import: None,
    };

    fn example() -> Self {
        NewAssignment {
            campaign_id: Some(3),
            title: "暑期安全教育观看".into(),
            film_ids: vec![2],
            school_ids: vec![1, 2],
            opens_on: "2024-07-01".into(),
            closes_on: "2024-08-31".into(),
        }
    }
}

pub const ASSIGNMENT_ID: Field = Field::new(
    "assignment_id",
    ASSIGNMENT_TITLE.label,
    FieldKind::Ref("assignments"),
)
.required()
.hint(Text::new("观看任务名称", "The assignment's title"));
pub const CONFIRMING_SCHOOL: Field =
    Field::new("school_id", words::SCHOOL, FieldKind::Ref("schools")).required();
pub const FILM_ID: Field = Field::new(
    "film_id",
    Text::new("宣教片", "Film"),
    FieldKind::Ref("films"),
)
.required();
pub const SHOWN_ON: Field = Field::new(
    "shown_on",
    Text::new("观看日期", "Date shown"),
    FieldKind::Date,
)
.required()
.hint(words::DATE_HINT);
pub const WATCHING_STUDENTS: Field = Field::new(
    "students",
    Text::new("观看学生人次", "Students"),
    FieldKind::Int,
)
.hint(words::COUNT_HINT);
pub const WATCHING_PARENTS: Field = Field::new(
    "parents",
    Text::new("观看家长人次", "Parents"),
    FieldKind::Int,
)
.hint(words::COUNT_HINT);
pub const CLASSES: Field =
    Field::new("classes", Text::new("班级数", "Classes"), FieldKind::Int).hint(words::COUNT_HINT);
pub const METHOD: Field = Field::new(
    "method",
    Text::new("观看方式", "Method"),
    FieldKind::Choice(crate::choices!(ShowMethod)),
)
.required()
.hint(Text::new(
    "班级多媒体、集中观看、线上观看、其他",
    "In classrooms, assembly, online or other",
));

impl Described for NewConfirmation {
    const KIND: &'static RecordKind = &RecordKind {
        collection: "confirmations",
        title: Text::new("观看确认", "Screening confirmations"),
        fields: &[
            ASSIGNMENT_ID,
            CONFIRMING_SCHOOL,
            FILM_ID,
            SHOWN_ON,
            WATCHING_STUDENTS,
            WATCHING_PARENTS,
            CLASSES,
            METHOD,
        ],
        computed: &["id", "version"],
        natural_key: &["assignment_id", "school_id", "film_id"],
        export: Some(&crate::columns::CONFIRMATIONS),
        import: Some(ImportKind::Confirmations),
    };

    fn example() -> Self {
        NewConfirmation {
            assignment_id: Some(1),
            school_id: Some(1),
            film_id: Some(2),
            shown_on: "2024-07-10".into(),
            students: 1200,
            parents: 860,
            classes: 30,
            method: Some(ShowMethod::Classroom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::table::{assert_table, Case};
    use crate::session::MAX_COUNT;
    use FieldCode::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn campaign_2024() -> Option<(NaiveDate, NaiveDate)> {
        Some((day("2024-01-01"), day("2024-12-31")))
    }

    /// The summer-holiday film shown before the 2024 holidays.
    fn assignment() -> NewAssignment {
        NewAssignment {
            campaign_id: Some(3),
            title: " 暑期安全教育观看 ".into(),
            film_ids: vec![2, 4],
            school_ids: vec![40, 41, 42],
            opens_on: "2024-06-20".into(),
            closes_on: "2024-07-10".into(),
        }
    }

    fn validate_assignment(entry: &NewAssignment) -> Result<ValidAssignment, FieldErrors> {
        entry.validate(campaign_2024())
    }

    fn ctx() -> ConfirmationContext {
        ConfirmationContext {
            today: day("2024-12-30"),
            window: Some((day("2024-06-20"), day("2024-07-10"))),
            enrolment: Some(1480),
            film_assigned: true,
            school_expected: true,
        }
    }

    fn confirmation() -> NewConfirmation {
        NewConfirmation {
            assignment_id: Some(7),
            school_id: Some(40),
            film_id: Some(2),
            shown_on: "2024-07-05".into(),
            students: 1400,
            parents: 900,
            classes: 30,
            method: Some(ShowMethod::Classroom),
        }
    }

    fn validate_confirmation(entry: &NewConfirmation) -> Result<ValidConfirmation, FieldErrors> {
        entry.validate(&ctx())
    }

    #[test]
    fn a_complete_assignment_is_accepted_and_trimmed() {
        let ok = validate_assignment(&assignment()).expect("valid");
        assert_eq!(ok.title, "暑期安全教育观看");
        assert_eq!(
            (ok.opens_on, ok.closes_on),
            (day("2024-06-20"), day("2024-07-10"))
        );
        assert_eq!(ok.school_ids, [40, 41, 42]);
    }

    #[test]
    fn every_problem_with_an_assignment_is_reported_at_once() {
        let errors = NewAssignment::default().validate(None).unwrap_err();
        let fields: Vec<_> = errors.codes().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            [
                "campaign_id",
                "title",
                "film_ids",
                "school_ids",
                "opens_on",
                "closes_on"
            ]
        );
    }

    #[test]
    fn assignments_need_a_campaign_and_a_title() {
        let cases: &[Case<NewAssignment>] = &[
            (
                "no campaign",
                |a| a.campaign_id = None,
                "campaign_id",
                Some(Required),
            ),
            (
                "blank title",
                |a| a.title = " ".into(),
                "title",
                Some(Required),
            ),
            (
                "101-character title",
                |a| a.title = "看".repeat(101),
                "title",
                Some(TooLong),
            ),
            (
                "100-character title",
                |a| a.title = "看".repeat(100),
                "title",
                None,
            ),
        ];
        assert_table(assignment, validate_assignment, cases);
    }

    #[test]
    fn assignments_list_films_and_schools_each_once() {
        let cases: &[Case<NewAssignment>] = &[
            (
                "no film",
                |a| a.film_ids.clear(),
                "film_ids",
                Some(Required),
            ),
            (
                "a film twice",
                |a| a.film_ids = vec![2, 2],
                "film_ids",
                Some(DuplicateValue),
            ),
            (
                "no school",
                |a| a.school_ids.clear(),
                "school_ids",
                Some(Required),
            ),
            (
                "a school twice",
                |a| a.school_ids = vec![40, 41, 40],
                "school_ids",
                Some(DuplicateValue),
            ),
            (
                "10001 schools",
                |a| a.school_ids = (1..=10_001).collect(),
                "school_ids",
                Some(TooMany),
            ),
            (
                "101 films",
                |a| a.film_ids = (1..=101).collect(),
                "film_ids",
                Some(TooMany),
            ),
            (
                "100 films",
                |a| a.film_ids = (1..=100).collect(),
                "film_ids",
                None,
            ),
            (
                "10000 schools",
                |a| a.school_ids = (1..=10_000).collect(),
                "school_ids",
                None,
            ),
        ];
        assert_table(assignment, validate_assignment, cases);
    }

    #[test]
    fn an_assignment_window_lies_in_the_campaign_and_closes_after_it_opens() {
        let cases: &[Case<NewAssignment>] = &[
            (
                "no opening",
                |a| a.opens_on = String::new(),
                "opens_on",
                Some(Required),
            ),
            (
                "bad opening",
                |a| a.opens_on = "2024-6-31".into(),
                "opens_on",
                Some(InvalidDate),
            ),
            (
                "no closing",
                |a| a.closes_on = " ".into(),
                "closes_on",
                Some(Required),
            ),
            (
                "closes before it opens",
                |a| a.closes_on = "2024-06-19".into(),
                "closes_on",
                Some(EndsBeforeStart),
            ),
            (
                "opens before the campaign",
                |a| a.opens_on = "2023-12-31".into(),
                "opens_on",
                Some(OutsideCampaign),
            ),
            (
                "closes after the campaign",
                |a| a.closes_on = "2025-01-01".into(),
                "closes_on",
                Some(OutsideCampaign),
            ),
            (
                "one day",
                |a| a.closes_on = "2024-06-20".into(),
                "closes_on",
                None,
            ),
            (
                "the campaign's first and last day",
                |a| {
                    a.opens_on = "2024-01-01".into();
                    a.closes_on = "2024-12-31".into()
                },
                "opens_on",
                None,
            ),
        ];
        assert_table(assignment, validate_assignment, cases);
        let mut later = assignment();
        later.closes_on = "2025-03-01".into();
        assert!(later.validate(None).is_ok(), "no window known: any dates");
    }

    #[test]
    fn a_complete_confirmation_is_accepted() {
        let ok = validate_confirmation(&confirmation()).expect("valid");
        assert_eq!(ok.shown_on, day("2024-07-05"));
        assert_eq!((ok.students, ok.parents, ok.classes), (1400, 900, 30));
        assert_eq!(ok.method, ShowMethod::Classroom);
    }

    #[test]
    fn every_problem_with_a_confirmation_is_reported_at_once() {
        let errors = validate_confirmation(&NewConfirmation::default()).unwrap_err();
        let fields: Vec<_> = errors.codes().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            [
                "assignment_id",
                "school_id",
                "film_id",
                "shown_on",
                "students",
                "method"
            ]
        );
    }

    #[test]
    fn confirmations_name_the_assignment_school_film_and_method() {
        let cases: &[Case<NewConfirmation>] = &[
            (
                "no assignment",
                |c| c.assignment_id = None,
                "assignment_id",
                Some(Required),
            ),
            (
                "no school",
                |c| c.school_id = None,
                "school_id",
                Some(Required),
            ),
            ("no film", |c| c.film_id = None, "film_id", Some(Required)),
            ("no method", |c| c.method = None, "method", Some(Required)),
        ];
        assert_table(confirmation, validate_confirmation, cases);
    }

    #[test]
    fn the_film_and_the_school_belong_to_the_assignment() {
        type Edit = fn(&mut ConfirmationContext);
        let cases: &[(&str, Edit, &str)] = &[
            ("film not assigned", |c| c.film_assigned = false, "film_id"),
            (
                "school not expected",
                |c| c.school_expected = false,
                "school_id",
            ),
        ];
        for (name, edit, field) in cases {
            let mut context = ctx();
            edit(&mut context);
            let errors = confirmation().validate(&context).expect_err(name);
            assert_eq!(errors.get(field), Some(NotAssigned), "{name}: {errors:?}");
            assert_eq!(errors.codes().count(), 1, "{name}: {errors:?}");
        }
    }

    #[test]
    fn films_are_shown_within_the_window_and_not_after_today() {
        let cases: &[Case<NewConfirmation>] = &[
            (
                "blank",
                |c| c.shown_on = String::new(),
                "shown_on",
                Some(Required),
            ),
            (
                "bad",
                |c| c.shown_on = "07/05/2024".into(),
                "shown_on",
                Some(InvalidDate),
            ),
            (
                "tomorrow",
                |c| c.shown_on = "2024-12-31".into(),
                "shown_on",
                Some(DateInFuture),
            ),
            (
                "before opening",
                |c| c.shown_on = "2024-06-19".into(),
                "shown_on",
                Some(OutsideWindow),
            ),
            (
                "after closing",
                |c| c.shown_on = "2024-07-11".into(),
                "shown_on",
                Some(OutsideWindow),
            ),
            (
                "first day",
                |c| c.shown_on = "2024-06-20".into(),
                "shown_on",
                None,
            ),
            (
                "last day",
                |c| c.shown_on = "2024-07-10".into(),
                "shown_on",
                None,
            ),
        ];
        assert_table(confirmation, validate_confirmation, cases);
    }

    #[test]
    fn watchers_and_classes_are_counts() {
        let cases: &[Case<NewConfirmation>] = &[
            (
                "negative students",
                |c| c.students = -1,
                "students",
                Some(Negative),
            ),
            (
                "negative parents",
                |c| c.parents = -1,
                "parents",
                Some(Negative),
            ),
            (
                "negative classes",
                |c| c.classes = -1,
                "classes",
                Some(Negative),
            ),
            (
                "huge parents",
                |c| c.parents = MAX_COUNT + 1,
                "parents",
                Some(TooLarge),
            ),
            (
                "huge classes",
                |c| c.classes = MAX_COUNT + 1,
                "classes",
                Some(TooLarge),
            ),
        ];
        assert_table(confirmation, validate_confirmation, cases);
    }

    #[test]
    fn somebody_watched() {
        let cases: &[Case<NewConfirmation>] = &[
            (
                "nobody",
                |c| {
                    c.students = 0;
                    c.parents = 0;
                    c.classes = 0
                },
                "students",
                Some(NoAudience),
            ),
            (
                "only parents, online",
                |c| {
                    c.students = 0;
                    c.classes = 0;
                    c.method = Some(ShowMethod::Online)
                },
                "students",
                None,
            ),
        ];
        assert_table(confirmation, validate_confirmation, cases);
    }

    #[test]
    fn no_more_students_watch_than_the_school_enrols() {
        let cases: &[Case<NewConfirmation>] = &[
            (
                "one above the roll",
                |c| c.students = 1481,
                "students",
                Some(ExceedsEnrolment),
            ),
            ("the whole roll", |c| c.students = 1480, "students", None),
        ];
        assert_table(confirmation, validate_confirmation, cases);
        let unknown_roll = ConfirmationContext {
            enrolment: None,
            ..ctx()
        };
        let mut entry = confirmation();
        entry.students = 5_000;
        assert!(entry.validate(&unknown_roll).is_ok(), "no roll on record");
    }

    #[test]
    fn students_watch_in_at_least_one_class() {
        let cases: &[Case<NewConfirmation>] = &[
            ("no class", |c| c.classes = 0, "classes", Some(TooSmall)),
            ("one assembly", |c| c.classes = 1, "classes", None),
        ];
        assert_table(confirmation, validate_confirmation, cases);
    }

    #[test]
    fn method_codes_round_trip() {
        for m in ShowMethod::ALL {
            assert_eq!(ShowMethod::from_code(m.code()), Some(m));
            let json = serde_json::to_string(&m).unwrap();
            assert_eq!(json, format!("\"{}\"", m.code()));
        }
    }
}
