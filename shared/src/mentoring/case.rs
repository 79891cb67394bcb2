//! Cases (帮教对象) without identity: a code the server issues, birth year, sex, optional
//! school, category, risk grade (its changes kept as history), opened and closed with a
//! reason. Never a name, ID number, phone or address; the free texts (a note, the closing
//! reason) pass [`super::free_text`], are never exported, and are cleared when a case
//! closed longer than the retention setting is reduced.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{free_text, optional_day, past_day, Category, Grade, Sex};
use crate::error::{FieldCode, FieldErrors};
use crate::i18n::Text;
use crate::record::{words, Described, Field, FieldKind, RecordKind};
use crate::rules;

/// A case as the API answers. For a paired volunteer only what logging a contact needs:
/// the fields marked "officers" are `null`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Case {
    pub id: i64,
    /// `{station code}-{year opened}-{number}`, e.g. `TN03-2024-017`; issued once, never reused.
    pub code: String,
    pub station_id: i64,
    /// Officers.
    pub birth_year: Option<i64>,
    /// Officers.
    pub sex: Option<Sex>,
    /// Officers; cleared when the case is reduced.
    pub school_id: Option<i64>,
    pub category: Category,
    pub grade: Grade,
    pub opened_on: String,
    pub closed_on: Option<String>,
    /// Officers; cleared when the case is reduced.
    pub closing_reason: Option<String>,
    /// Officers; cleared when the case is reduced.
    pub note: Option<String>,
    /// The grade's history, earliest first: each grade and the day it applied from.
    pub grades: Vec<GradeChange>,
    /// The latest contact's day, if any.
    pub last_contact_on: Option<String>,
    /// Open and without a contact within its grade's interval (see [`super::Settings`]).
    pub overdue: bool,
    pub version: i64,
}

/// A grade a case had from a day on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GradeChange {
    pub grade: Grade,
    pub from_on: String,
}

/// A case as a station's officer or an administrator sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewCase {
    pub station_id: Option<i64>,
    /// The minor was 6–18 in the year the case opened.
    pub birth_year: Option<i64>,
    pub sex: Option<Sex>,
    pub school_id: Option<i64>,
    pub category: Option<Category>,
    pub grade: Option<Grade>,
    pub opened_on: String,
    pub closed_on: Option<String>,
    /// Required once closed; at most 100 characters, nothing identifying.
    pub closing_reason: Option<String>,
    /// At most 100 characters, nothing identifying.
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCase {
    pub station_id: i64,
    pub birth_year: i64,
    pub sex: Sex,
    pub school_id: Option<i64>,
    pub category: Category,
    pub grade: Grade,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub closing_reason: Option<String>,
    pub note: Option<String>,
}

/// The youngest and oldest a case's minor may be in the year it opens.
pub const AGES: (i64, i64) = (6, 18);

impl NewCase {
    pub fn validate(&self, today: NaiveDate) -> Result<ValidCase, FieldErrors> {
        let mut errors = FieldErrors::default();
        let station_id = errors.check("station_id", rules::required(self.station_id));
        let opened_on = errors.check("opened_on", past_day(&self.opened_on, today));
        let birth_year = errors.check(
            "birth_year",
            rules::required(self.birth_year).and_then(|y| match opened_on {
                Some(o) => {
                    let year = i64::from(o.year());
                    rules::within(y, year - AGES.1, year - AGES.0)
                }
                None => Ok(y),
            }),
        );
        let sex = errors.check("sex", rules::required(self.sex));
        let category = errors.check("category", rules::required(self.category));
        let grade = errors.check("grade", rules::required(self.grade));
        let closed_on = errors
            .check(
                "closed_on",
                optional_day(self.closed_on.as_deref(), today).and_then(|c| match (c, opened_on) {
                    (Some(c), Some(o)) if c < o => Err(FieldCode::EndsBeforeStart),
                    (c, _) => Ok(c),
                }),
            )
            .flatten();
        let closing_reason = errors
            .check(
                "closing_reason",
                free_text(self.closing_reason.as_deref()).and_then(|r| {
                    match (&r, self.closed_on.as_deref().map(str::trim)) {
                        (None, Some(c)) if !c.is_empty() => Err(FieldCode::Required),
                        _ => Ok(r),
                    }
                }),
            )
            .flatten();
        let note = errors
            .check("note", free_text(self.note.as_deref()))
            .flatten();
        match (station_id, opened_on, birth_year, sex, category, grade) {
            (
                Some(station_id),
                Some(opened_on),
                Some(birth_year),
                Some(sex),
                Some(category),
                Some(grade),
            ) if errors.is_empty() => Ok(ValidCase {
                station_id,
                birth_year,
                sex,
                school_id: self.school_id,
                category,
                grade,
                opened_on,
                closed_on,
                closing_reason,
                note,
            }),
            _ => Err(errors),
        }
    }
}

pub const BIRTH_YEAR: Field = Field::new(
    "birth_year",
    Text::new("出生年份", "Birth year"),
    FieldKind::Int,
)
.required();
pub const SEX: Field = Field::new(
    "sex",
    Text::new("性别", "Sex"),
    FieldKind::Choice(crate::choices!(Sex)),
)
.required();
pub const SCHOOL_ID: Field =
    Field::new("school_id", words::SCHOOL, FieldKind::Ref("schools")).hint(words::MAY_BE_BLANK);
pub const CATEGORY: Field = Field::new(
    "category",
    Text::new("帮教类别", "Category"),
    FieldKind::Choice(crate::choices!(Category)),
)
.required();
pub const GRADE: Field = Field::new(
    "grade",
    Text::new("风险等级", "Risk grade"),
    FieldKind::Choice(crate::choices!(Grade)),
)
.required();
pub const OPENED_ON: Field = Field::new(
    "opened_on",
    Text::new("立案日期", "Opened on"),
    FieldKind::Date,
)
.required()
.hint(words::DATE_HINT);
pub const CLOSED_ON: Field = Field::new(
    "closed_on",
    Text::new("结案日期", "Closed on"),
    FieldKind::Date,
)
.hint(words::MAY_BE_BLANK);
const NO_IDENTITY: Text = Text::new(
    "不超过 100 字，不得含姓名、身份证号、电话",
    "At most 100 characters; no name, ID number or phone",
);
pub const CLOSING_REASON: Field = Field::new(
    "closing_reason",
    Text::new("结案原因", "Closing reason"),
    FieldKind::Text,
)
.hint(NO_IDENTITY);
pub const NOTE: Field =
    Field::new("note", Text::new("备注", "Note"), FieldKind::Text).hint(NO_IDENTITY);

impl Described for NewCase {
    const KIND: &'static RecordKind = &RecordKind {
        collection: "cases",
        title: Text::new("帮教对象", "Cases"),
        fields: &[
            crate::org::STATION_ID,
            BIRTH_YEAR,
            SEX,
            SCHOOL_ID,
            CATEGORY,
            GRADE,
            OPENED_ON,
            CLOSED_ON,
            CLOSING_REASON,
            NOTE,
        ],
        computed: &[
            "id",
            "code",
            "grades",
            "last_contact_on",
            "overdue",
            "version",
        ],
        // The code is the natural key, but the server issues it: no create can clash.
        natural_key: &["station_id"],
        export: Some(&crate::columns::CASES),
        import: Some(crate::import::ImportKind::Cases),
    };

    fn example() -> Self {
        NewCase {
            station_id: Some(1),
            birth_year: Some(2009),
            sex: Some(Sex::Male),
            school_id: None,
            category: Some(Category::NightWandering),
            grade: Some(Grade::Orange),
            opened_on: "2024-09-02".into(),
            closed_on: None,
            closing_reason: None,
            note: Some("夜间游荡，家长外出务工".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::table::{assert_table, Case as Row};
    use FieldCode::*;

    fn validate(c: &NewCase) -> Result<ValidCase, FieldErrors> {
        c.validate(NaiveDate::from_ymd_opt(2024, 12, 30).unwrap())
    }

    #[test]
    fn a_case_holds_no_identity_and_closes_with_a_reason() {
        let cases: &[Row<NewCase>] = &[
            (
                "too young",
                |c| c.birth_year = Some(2019),
                "birth_year",
                Some(TooLarge),
            ),
            (
                "too old",
                |c| c.birth_year = Some(2005),
                "birth_year",
                Some(TooSmall),
            ),
            (
                "eighteen",
                |c| c.birth_year = Some(2006),
                "birth_year",
                None,
            ),
            ("no grade", |c| c.grade = None, "grade", Some(Required)),
            (
                "closed without a reason",
                |c| c.closed_on = Some("2024-12-01".into()),
                "closing_reason",
                Some(Required),
            ),
            (
                "closed before opened",
                |c| {
                    c.closed_on = Some("2024-01-01".into());
                    c.closing_reason = Some("已满 18 周岁".into());
                },
                "closed_on",
                Some(EndsBeforeStart),
            ),
            (
                "a note with an ID number",
                |c| c.note = Some("身份证 320402200901011234".into()),
                "note",
                Some(HoldsIdNumber),
            ),
            (
                "a note with a phone",
                |c| c.note = Some("母亲 13812345678".into()),
                "note",
                Some(HoldsPhoneNumber),
            ),
            (
                "a reason with a name",
                |c| {
                    c.closed_on = Some("2024-12-01".into());
                    c.closing_reason = Some("姓名：张伟，已成年".into());
                },
                "closing_reason",
                Some(HoldsName),
            ),
        ];
        assert_table(NewCase::example, validate, cases);
    }
}
