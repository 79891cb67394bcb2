//! What happens on a case: contacts (走访, 电话, 到校, 活动, 解决困难) logged by its team
//! with the next due day, and events (再犯 re-offence, 复学 back in school), dated.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::team::CASE_ID;
use super::{free_text, past_day};
use crate::error::{FieldCode, FieldErrors};
use crate::i18n::Text;
use crate::record::{words, Described, Field, FieldKind, RecordKind};
use crate::rules;

crate::coded_enum! {
    /// What a contact was.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum ContactKind {
        HomeVisit = "home_visit",
        Phone = "phone",
        School = "school",
        Activity = "activity",
        DifficultySolved = "difficulty_solved",
    }
}

impl ContactKind {
    pub fn label(self, lang: crate::Lang) -> &'static str {
        let (zh, en) = match self {
            ContactKind::HomeVisit => ("走访", "Home visit"),
            ContactKind::Phone => ("电话", "Phone call"),
            ContactKind::School => ("到校", "At school"),
            ContactKind::Activity => ("活动", "Activity"),
            ContactKind::DifficultySolved => ("解决困难", "Difficulty solved"),
        };
        lang.pick(zh, en)
    }
}

/// A contact as the API answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    pub id: i64,
    pub case_id: i64,
    pub contacted_on: String,
    pub kind: ContactKind,
    /// The team member who made it (a row of the case's team).
    pub team_member_id: i64,
    pub next_due_on: Option<String>,
    pub note: Option<String>,
    pub version: i64,
}

/// A contact as a team member sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewContact {
    pub case_id: Option<i64>,
    pub contacted_on: String,
    pub kind: Option<ContactKind>,
    /// A current member of the case's team; a volunteer logs as themselves.
    pub team_member_id: Option<i64>,
    /// On or after the contact.
    pub next_due_on: Option<String>,
    /// At most 100 characters, nothing identifying.
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidContact {
    pub case_id: i64,
    pub contacted_on: NaiveDate,
    pub kind: ContactKind,
    pub team_member_id: i64,
    pub next_due_on: Option<NaiveDate>,
    pub note: Option<String>,
}

impl NewContact {
    pub fn validate(&self, today: NaiveDate) -> Result<ValidContact, FieldErrors> {
        let mut errors = FieldErrors::default();
        let case_id = errors.check("case_id", rules::required(self.case_id));
        let contacted_on = errors.check("contacted_on", past_day(&self.contacted_on, today));
        let kind = errors.check("kind", rules::required(self.kind));
        let team_member_id = errors.check("team_member_id", rules::required(self.team_member_id));
        let next_due_on = errors
            .check(
                "next_due_on",
                match self
                    .next_due_on
                    .as_deref()
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                {
                    None => Ok(None),
                    Some(t) => crate::session::parse_date(t).and_then(|d| match contacted_on {
                        Some(c) if d < c => Err(FieldCode::EndsBeforeStart),
                        _ => Ok(Some(d)),
                    }),
                },
            )
            .flatten();
        let note = errors
            .check("note", free_text(self.note.as_deref()))
            .flatten();
        match (case_id, contacted_on, kind, team_member_id) {
            (Some(case_id), Some(contacted_on), Some(kind), Some(team_member_id))
                if errors.is_empty() =>
            {
                Ok(ValidContact {
                    case_id,
                    contacted_on,
                    kind,
                    team_member_id,
                    next_due_on,
                    note,
                })
            }
            _ => Err(errors),
        }
    }
}

pub const CONTACTED_ON: Field =
    Field::new("contacted_on", Text::new("日期", "Date"), FieldKind::Date)
        .required()
        .hint(words::DATE_HINT);
pub const KIND: Field = Field::new(
    "kind",
    Text::new("方式", "Kind"),
    FieldKind::Choice(crate::choices!(ContactKind)),
)
.required();
pub const TEAM_MEMBER_ID: Field = Field::new(
    "team_member_id",
    Text::new("帮教人", "By"),
    FieldKind::Ref("case_team"),
)
.required();
pub const NEXT_DUE_ON: Field = Field::new(
    "next_due_on",
    Text::new("下次联系日期", "Next due"),
    FieldKind::Date,
)
.hint(words::MAY_BE_BLANK);

impl Described for NewContact {
    const KIND: &'static RecordKind = &RecordKind {
        collection: "contacts",
        title: Text::new("帮教记录", "Contacts"),
        fields: &[
            CASE_ID,
            CONTACTED_ON,
            KIND,
            TEAM_MEMBER_ID,
            NEXT_DUE_ON,
            super::case::NOTE,
        ],
        computed: &["id", "version"],
        natural_key: &["case_id", "contacted_on", "kind", "team_member_id"],
        export: Some(&crate::columns::CONTACTS),
        import: None,
    };

    fn example() -> Self {
        NewContact {
            case_id: Some(1),
            contacted_on: "2024-12-01".into(),
            kind: Some(ContactKind::HomeVisit),
            team_member_id: Some(1),
            next_due_on: Some("2024-12-15".into()),
            note: Some("家中走访，情况稳定".into()),
        }
    }
}

crate::coded_enum! {
    /// What happened to a case.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum EventKind {
        Reoffence = "reoffence",
        ReturnedToSchool = "returned_to_school",
    }
}

impl EventKind {
    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            EventKind::Reoffence => lang.pick("再犯", "Re-offence"),
            EventKind::ReturnedToSchool => lang.pick("复学", "Returned to school"),
        }
    }
}

/// An event on a case, as the API answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseEvent {
    pub id: i64,
    pub case_id: i64,
    pub kind: EventKind,
    pub happened_on: String,
    pub version: i64,
}

/// An event as a station's officer sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewCaseEvent {
    pub case_id: Option<i64>,
    pub kind: Option<EventKind>,
    pub happened_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCaseEvent {
    pub case_id: i64,
    pub kind: EventKind,
    pub happened_on: NaiveDate,
}

impl NewCaseEvent {
    pub fn validate(&self, today: NaiveDate) -> Result<ValidCaseEvent, FieldErrors> {
        let mut errors = FieldErrors::default();
        let case_id = errors.check("case_id", rules::required(self.case_id));
        let kind = errors.check("kind", rules::required(self.kind));
        let happened_on = errors.check("happened_on", past_day(&self.happened_on, today));
        match (case_id, kind, happened_on) {
            (Some(case_id), Some(kind), Some(happened_on)) => Ok(ValidCaseEvent {
                case_id,
                kind,
                happened_on,
            }),
            _ => Err(errors),
        }
    }
}

pub const EVENT_KIND: Field = Field::new(
    "kind",
    Text::new("事件", "Event"),
    FieldKind::Choice(crate::choices!(EventKind)),
)
.required();
pub const HAPPENED_ON: Field =
    Field::new("happened_on", Text::new("日期", "Date"), FieldKind::Date)
        .required()
        .hint(words::DATE_HINT);

impl Described for NewCaseEvent {
    const KIND: &'static RecordKind = &RecordKind {
        collection: "case_events",
        title: Text::new("帮教事件", "Case events"),
        fields: &[CASE_ID, EVENT_KIND, HAPPENED_ON],
        computed: &["id", "version"],
        natural_key: &["case_id", "kind", "happened_on"],
        export: Some(&crate::columns::CASE_EVENTS),
        import: None,
    };

    fn example() -> Self {
        NewCaseEvent {
            case_id: Some(1),
            kind: Some(EventKind::ReturnedToSchool),
            happened_on: "2024-11-04".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::table::{assert_table, Case};
    use FieldCode::*;

    fn validate(c: &NewContact) -> Result<ValidContact, FieldErrors> {
        c.validate(NaiveDate::from_ymd_opt(2024, 12, 30).unwrap())
    }

    #[test]
    fn a_contact_is_dated_by_a_member_and_its_note_identifies_nobody() {
        let cases: &[Case<NewContact>] = &[
            ("no kind", |c| c.kind = None, "kind", Some(Required)),
            (
                "no member",
                |c| c.team_member_id = None,
                "team_member_id",
                Some(Required),
            ),
            (
                "tomorrow",
                |c| c.contacted_on = "2024-12-31".into(),
                "contacted_on",
                Some(DateInFuture),
            ),
            (
                "due before it",
                |c| c.next_due_on = Some("2024-11-30".into()),
                "next_due_on",
                Some(EndsBeforeStart),
            ),
            (
                "due next year",
                |c| c.next_due_on = Some("2025-01-10".into()),
                "next_due_on",
                None,
            ),
            (
                "a phone in the note",
                |c| c.note = Some("家长 139 0000 1111".into()),
                "note",
                Some(HoldsPhoneNumber),
            ),
        ];
        assert_table(NewContact::example, validate, cases);
    }
}
