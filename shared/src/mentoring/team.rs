//! A case's team (结对): the officers and volunteers who mentor it, each from one day to
//! another. A volunteer sees the cases they are on the current team of, and nothing else.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{optional_day, past_day};
use crate::error::{FieldCode, FieldErrors};
use crate::i18n::Text;
use crate::record::{words, Described, Field, FieldKind, RecordKind};
use crate::rules;

/// One member of a case's team, as the API answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamMember {
    pub id: i64,
    pub case_id: i64,
    /// A volunteer, or else…
    pub volunteer_id: Option<i64>,
    /// …an officer's account.
    pub officer_id: Option<i64>,
    pub from_on: String,
    pub to_on: Option<String>,
    pub version: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewTeamMember {
    pub case_id: Option<i64>,
    /// A volunteer of the case's station; or `officer_id`, not both.
    pub volunteer_id: Option<i64>,
    /// An officer account of the case's station.
    pub officer_id: Option<i64>,
    pub from_on: String,
    pub to_on: Option<String>,
}

/// Who a team member is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member {
    Volunteer(i64),
    Officer(i64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidTeamMember {
    pub case_id: i64,
    pub member: Member,
    pub from_on: NaiveDate,
    pub to_on: Option<NaiveDate>,
}

impl NewTeamMember {
    pub fn validate(&self, today: NaiveDate) -> Result<ValidTeamMember, FieldErrors> {
        let mut errors = FieldErrors::default();
        let case_id = errors.check("case_id", rules::required(self.case_id));
        let member = errors.check(
            "volunteer_id",
            match (self.volunteer_id, self.officer_id) {
                (Some(v), None) => Ok(Member::Volunteer(v)),
                (None, Some(o)) => Ok(Member::Officer(o)),
                (None, None) => Err(FieldCode::Required),
                (Some(_), Some(_)) => Err(FieldCode::ChooseOne),
            },
        );
        let from_on = errors.check("from_on", past_day(&self.from_on, today));
        let to_on = errors
            .check(
                "to_on",
                optional_day(self.to_on.as_deref(), today).and_then(|t| match (t, from_on) {
                    (Some(t), Some(f)) if t < f => Err(FieldCode::EndsBeforeStart),
                    (t, _) => Ok(t),
                }),
            )
            .flatten();
        match (case_id, member, from_on) {
            (Some(case_id), Some(member), Some(from_on)) if errors.is_empty() => {
                Ok(ValidTeamMember {
                    case_id,
                    member,
                    from_on,
                    to_on,
                })
            }
            _ => Err(errors),
        }
    }
}

pub const CASE_ID: Field = Field::new(
    "case_id",
    Text::new("帮教对象", "Case"),
    FieldKind::Ref("cases"),
)
.required();
pub const VOLUNTEER_ID: Field = Field::new(
    "volunteer_id",
    Text::new("志愿者", "Volunteer"),
    FieldKind::Ref("volunteers"),
);
pub const OFFICER_ID: Field = Field::new(
    "officer_id",
    Text::new("民警", "Officer"),
    FieldKind::Ref("users"),
);
pub const FROM_ON: Field = Field::new("from_on", words::STARTS_ON, FieldKind::Date)
    .required()
    .hint(words::DATE_HINT);
pub const TO_ON: Field =
    Field::new("to_on", words::ENDS_ON, FieldKind::Date).hint(words::MAY_BE_BLANK);

impl Described for NewTeamMember {
    const KIND: &'static RecordKind = &RecordKind {
        collection: "case_team",
        title: Text::new("结对帮教", "Case teams"),
        fields: &[CASE_ID, VOLUNTEER_ID, OFFICER_ID, FROM_ON, TO_ON],
        computed: &["id", "version"],
        natural_key: &["case_id", "volunteer_id", "officer_id", "from_on"],
        export: Some(&crate::columns::CASE_TEAM),
        import: None,
    };

    fn example() -> Self {
        NewTeamMember {
            case_id: Some(1),
            volunteer_id: Some(1),
            officer_id: None,
            from_on: "2024-09-02".into(),
            to_on: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_is_a_volunteer_or_an_officer_not_both() {
        let today = NaiveDate::from_ymd_opt(2024, 12, 30).unwrap();
        let mut m = NewTeamMember::example();
        assert_eq!(m.validate(today).unwrap().member, Member::Volunteer(1));
        m.officer_id = Some(4);
        let e = m.validate(today).unwrap_err();
        assert_eq!(e.get("volunteer_id"), Some(FieldCode::ChooseOne));
        m.volunteer_id = None;
        assert_eq!(m.validate(today).unwrap().member, Member::Officer(4));
        m.officer_id = None;
        let e = m.validate(today).unwrap_err();
        assert_eq!(e.get("volunteer_id"), Some(FieldCode::Required));
    }
}
