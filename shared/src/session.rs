//! Education sessions (宣讲活动): what an officer logs after a talk, and the rules an entry
//! must pass before it is stored.
//!
//! [`NewSession`] is the wire form, loose on purpose so that every problem can be reported
//! beside its field; [`NewSession::validate`] turns it into a [`ValidSession`] or a list of
//! field errors. Existence of the referenced station, school, campaign and topics is for the
//! server to check, since only it has the data.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{FieldCode, FieldErrors};
use crate::rules;

/// More person-times than this in one session is unusual enough to need a confirmation.
pub const LARGE_AUDIENCE: i64 = 5_000;
/// No single venue holds more; anything above is a typing error.
pub const MAX_COUNT: i64 = 1_000_000;
pub const MAX_VENUE_CHARS: usize = 100;
pub const MAX_NOTES_CHARS: usize = 2_000;
/// A day-long event (an open day, a summer camp) is the longest session there is.
pub const MAX_DURATION_MINUTES: i64 = 24 * 60;
/// The speakers' names, e.g. "张警官、李警官".
pub const MAX_SPEAKERS_CHARS: usize = 200;

crate::coded_enum! {
    /// How a session was given (形式).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum SessionFormat {
        ClassTalk = "class_talk",
        FirstLesson = "first_lesson",
        OpenDay = "open_day",
        SummerCamp = "summer_camp",
        OnlineParents = "online_parents",
        ParentLetter = "parent_letter",
        MediaColumn = "media_column",
        Other = "other",
    }
}

impl SessionFormat {
    pub fn label(self, lang: crate::Lang) -> &'static str {
        let (zh, en) = match self {
            SessionFormat::ClassTalk => ("课堂宣讲", "Classroom talk"),
            SessionFormat::FirstLesson => ("开学第一课", "First lesson of term"),
            SessionFormat::OpenDay => ("警营开放日", "Station open day"),
            SessionFormat::SummerCamp => ("夏令营", "Summer camp"),
            SessionFormat::OnlineParents => ("线上家长会", "Online parents' meeting"),
            SessionFormat::ParentLetter => ("致家长一封信", "Letter to parents"),
            SessionFormat::MediaColumn => ("宣传专栏", "Media column"),
            SessionFormat::Other => ("其他", "Other"),
        };
        lang.pick(zh, en)
    }
}

/// Audience counted per group, in person-times (人次).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Audience {
    pub students: i64,
    pub parents: i64,
    pub teachers: i64,
    pub others: i64,
}

impl Audience {
    pub fn total(&self) -> i64 {
        self.students + self.parents + self.teachers + self.others
    }

    fn fields(&self) -> [(&'static str, i64); 4] {
        [
            ("audience.students", self.students),
            ("audience.parents", self.parents),
            ("audience.teachers", self.teachers),
            ("audience.others", self.others),
        ]
    }
}

/// A session as a client sends it to `POST /api/v1/sessions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewSession {
    pub campaign_id: Option<i64>,
    pub station_id: Option<i64>,
    /// The school where it was held; `None` when it was held elsewhere (see `venue`).
    pub school_id: Option<i64>,
    /// Another venue: a community, a company, the station itself, online.
    pub venue: Option<String>,
    /// `YYYY-MM-DD`.
    pub held_on: String,
    pub format: Option<SessionFormat>,
    pub topic_ids: Vec<i64>,
    pub audience: Audience,
    /// Set by the officer to confirm an audience above [`LARGE_AUDIENCE`].
    pub confirm_large_audience: bool,
    /// Set to log a session although one with the same station, venue, date, format and
    /// topics exists (e.g. two classes taught the same talk the same day).
    pub confirm_distinct: bool,
    pub notes: Option<String>,
    /// How long it lasted, in minutes, when known.
    pub duration_minutes: Option<i64>,
    /// Who spoke (adult officers' names), when noted.
    pub speakers: Option<String>,
}

/// Where a session was held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Venue {
    School(i64),
    Other(String),
}

/// A session that passed every rule that needs no database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSession {
    pub campaign_id: i64,
    pub station_id: i64,
    pub venue: Venue,
    pub held_on: NaiveDate,
    pub format: SessionFormat,
    pub topic_ids: Vec<i64>,
    pub audience: Audience,
    pub notes: Option<String>,
    pub duration_minutes: Option<i64>,
    pub speakers: Option<String>,
}

/// What the rules need to know besides the entry itself.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    pub today: NaiveDate,
    /// The chosen campaign's first and last day, when it is known.
    pub campaign_window: Option<(NaiveDate, NaiveDate)>,
}

impl NewSession {
    pub fn validate(&self, ctx: &Context) -> Result<ValidSession, FieldErrors> {
        let mut errors = FieldErrors::default();

        if self.campaign_id.is_none() {
            errors.push("campaign_id", FieldCode::Required);
        }
        if self.station_id.is_none() {
            errors.push("station_id", FieldCode::Required);
        }

        let venue_text = self
            .venue
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty());
        let venue = match (self.school_id, venue_text) {
            (Some(id), None) => Some(Venue::School(id)),
            (None, Some(text)) => errors
                .check("venue", rules::required_text(text, MAX_VENUE_CHARS))
                .map(Venue::Other),
            (None, None) => {
                errors.push("school_id", FieldCode::Required);
                None
            }
            (Some(_), Some(_)) => {
                errors.push("venue", FieldCode::VenueConflict);
                None
            }
        };

        let held_on = match parse_date(&self.held_on) {
            Err(code) => {
                errors.push("held_on", code);
                None
            }
            Ok(day) if day > ctx.today => {
                errors.push("held_on", FieldCode::DateInFuture);
                None
            }
            Ok(day) => errors.check(
                "held_on",
                rules::inside(day, ctx.campaign_window, FieldCode::OutsideCampaign),
            ),
        };

        if self.format.is_none() {
            errors.push("format", FieldCode::Required);
        }

        let topic_ids = errors.check(
            "topic_ids",
            rules::chosen(
                &self.topic_ids,
                rules::MAX_TOPICS,
                FieldCode::DuplicateTopic,
            ),
        );

        let mut counts_ok = true;
        for (field, value) in self.audience.fields() {
            if errors.check(field, rules::count(value)).is_none() {
                counts_ok = false;
            }
        }
        if counts_ok {
            let total = self.audience.total();
            if total == 0 {
                errors.push("audience", FieldCode::NoAudience);
            } else if total > LARGE_AUDIENCE && !self.confirm_large_audience {
                errors.push(
                    "confirm_large_audience",
                    FieldCode::LargeAudienceUnconfirmed,
                );
            }
        }

        let notes = errors
            .check(
                "notes",
                rules::optional_text(self.notes.as_deref(), MAX_NOTES_CHARS),
            )
            .flatten();
        let speakers = errors
            .check(
                "speakers",
                rules::optional_text(self.speakers.as_deref(), MAX_SPEAKERS_CHARS),
            )
            .flatten();
        let duration_minutes = match self.duration_minutes {
            None => None,
            Some(minutes) => errors.check(
                "duration_minutes",
                rules::within(minutes, 1, MAX_DURATION_MINUTES),
            ),
        };

        if !errors.is_empty() {
            return Err(errors);
        }
        // Every `None` above pushed an error, so these all hold values here.
        match (
            self.campaign_id,
            self.station_id,
            venue,
            held_on,
            self.format,
            topic_ids,
        ) {
            (
                Some(campaign_id),
                Some(station_id),
                Some(venue),
                Some(held_on),
                Some(format),
                Some(topic_ids),
            ) => Ok(ValidSession {
                campaign_id,
                station_id,
                venue,
                held_on,
                format,
                topic_ids,
                audience: self.audience,
                notes,
                duration_minutes,
                speakers,
            }),
            _ => Err(errors),
        }
    }
}

/// The closing days of the places a session names (the last day each was open; `None`
/// while open), as only the server knows them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClosingDays {
    pub station: Option<NaiveDate>,
    pub school: Option<NaiveDate>,
}

impl ValidSession {
    /// A session is held where the station and the school were still open: one after the
    /// closing day of either is refused beside the place's field, since a closed place
    /// leaves every denominator and a session there would count against nothing.
    pub fn check_open(&self, closing: ClosingDays) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        if !crate::org::open_on(closing.station, self.held_on) {
            errors.push("station_id", FieldCode::Closed);
        }
        if matches!(self.venue, Venue::School(_))
            && !crate::org::open_on(closing.school, self.held_on)
        {
            errors.push("school_id", FieldCode::Closed);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Parses `YYYY-MM-DD` as a form or a client sends it.
pub fn parse_date(text: &str) -> Result<NaiveDate, FieldCode> {
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldCode::Required);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| FieldCode::InvalidDate)
}

/// Parses a count typed into a form or a sheet's cell; an empty box means nobody of that
/// group came. Full-width digits and thousands separators are read as people write them
/// ([`rules::plain_number`]): `２００`, `1,185`.
pub fn parse_count(text: &str) -> Result<i64, FieldCode> {
    let text = rules::plain_number(text);
    let text = text.as_str();
    if text.is_empty() {
        return Ok(0);
    }
    match text.parse::<i64>() {
        Ok(n) => rules::count(n),
        Err(_)
            if text
                .strip_prefix('-')
                .is_some_and(|rest| rest.parse::<f64>().is_ok()) =>
        {
            Err(FieldCode::Negative)
        }
        // Digits only, yet no i64: far beyond any audience.
        Err(_) if text.chars().all(|c| c.is_ascii_digit()) => Err(FieldCode::TooLarge),
        Err(_) if text.parse::<f64>().is_ok_and(f64::is_finite) => Err(FieldCode::NotWhole),
        Err(_) => Err(FieldCode::NotANumber),
    }
}

/// A stored session, as lists and the API return it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    pub id: i64,
    pub campaign_id: i64,
    pub station_id: i64,
    pub station: String,
    pub district: String,
    pub school_id: Option<i64>,
    /// The school's name, or the other venue.
    pub venue: String,
    pub held_on: NaiveDate,
    pub format: SessionFormat,
    pub topic_ids: Vec<i64>,
    pub audience: Audience,
    pub notes: Option<String>,
    #[serde(default)]
    pub duration_minutes: Option<i64>,
    #[serde(default)]
    pub speakers: Option<String>,
    pub demo: bool,
    /// Changes with every edit; sent back in `If-Match` to edit or delete.
    pub version: i64,
}

// Sessions as every part of the product names them (see `crate::record`).

use crate::i18n::Text;
use crate::import::ImportKind;
use crate::record::{words, Described, Field, FieldKind, RecordKind};

pub const SESSION_CAMPAIGN: Field =
    Field::new("campaign_id", words::CAMPAIGN, FieldKind::Ref("campaigns"));
pub const SESSION_SCHOOL: Field = Field::new("school_id", words::SCHOOL, FieldKind::Ref("schools"));
pub const VENUE: Field = Field::new(
    "venue",
    Text::new("其他场所", "Other venue"),
    FieldKind::Text,
)
.hint(Text::new(
    "社区、企业、线上等",
    "A community, a company, online…",
));
pub const HELD_ON: Field = Field::new("held_on", Text::new("日期", "Date"), FieldKind::Date)
    .required()
    .hint(words::DATE_HINT);
pub const FORMAT: Field = Field::new(
    "format",
    Text::new("形式", "Format"),
    FieldKind::Choice(crate::choices!(SessionFormat)),
)
.required()
.hint(Text::new(
    "课堂宣讲、开学第一课、警营开放日、夏令营、线上家长会、致家长一封信、宣传专栏、其他",
    "Classroom talk, first lesson, open day, summer camp, online parents' meeting, letter to parents, media column or other",
));
pub const SESSION_TOPICS: Field = Field::new("topic_ids", words::TOPICS, FieldKind::Ids("topics"))
    .required()
    .hint(Text::new(
        "一个或多个主题，用逗号或顿号分隔",
        "One or more topics, separated by commas",
    ));
pub const STUDENTS: Field = Field::new(
    "students",
    Text::new("学生人次", "Students"),
    FieldKind::Int,
)
.hint(words::COUNT_HINT);
pub const PARENTS: Field =
    Field::new("parents", Text::new("家长人次", "Parents"), FieldKind::Int).hint(words::COUNT_HINT);
pub const TEACHERS: Field = Field::new(
    "teachers",
    Text::new("教师人次", "Teachers"),
    FieldKind::Int,
)
.hint(words::COUNT_HINT);
pub const OTHERS: Field =
    Field::new("others", Text::new("其他人次", "Others"), FieldKind::Int).hint(words::COUNT_HINT);
pub const AUDIENCE: Field = Field::new(
    "audience",
    Text::new("受众", "Audience"),
    FieldKind::Counts(&[STUDENTS, PARENTS, TEACHERS, OTHERS]),
);
pub const CONFIRM_LARGE: Field = Field::new(
    "confirm_large_audience",
    Text::new("确认超过5000人次", "Confirm over 5000"),
    FieldKind::Bool,
)
.hint(Text::new(
    "单场超过 5000 人次时填“是”",
    "yes when one session had more than 5,000",
))
.write_only();
pub const CONFIRM_DISTINCT: Field = Field::new(
    "confirm_distinct",
    Text::new("确认不是重复记录", "Confirm not a duplicate"),
    FieldKind::Bool,
)
.write_only();
pub const NOTES: Field =
    Field::new("notes", Text::new("备注", "Notes"), FieldKind::Text).hint(Text::new(
        "可空；请勿填写未成年人信息",
        "May be blank; no minor's details",
    ));
pub const DURATION: Field =
    Field::new("duration_minutes", words::MINUTES, FieldKind::Int).hint(words::MAY_BE_BLANK);
pub const SPEAKERS: Field =
    Field::new("speakers", Text::new("宣讲人", "Speakers"), FieldKind::Text)
        .hint(words::MAY_BE_BLANK);

impl Described for NewSession {
    const KIND: &'static RecordKind = &RecordKind {
        collection: "sessions",
        title: Text::new("宣讲活动", "Sessions"),
        fields: &[
            SESSION_CAMPAIGN,
            crate::org::STATION_ID,
            SESSION_SCHOOL,
            VENUE,
            HELD_ON,
            FORMAT,
            SESSION_TOPICS,
            AUDIENCE,
            CONFIRM_LARGE,
            CONFIRM_DISTINCT,
            NOTES,
            DURATION,
            SPEAKERS,
        ],
        // `venue` is answered as the school's name or the other venue; `station` and
        // `district` are names looked up; `demo` marks generated records.
        computed: &["id", "station", "district", "demo", "version"],
        // What the duplicate rule compares (`server::db::sessions::natural_key`); a second
        // session with the same is refused unless the officer confirms it is another talk.
        natural_key: &[
            "station_id",
            "held_on",
            "format",
            "topic_ids",
            "school_id",
            "venue",
        ],
        export: Some(&crate::columns::SESSIONS),
        import: Some(ImportKind::Sessions),
    };

    fn example() -> Self {
        NewSession {
            campaign_id: Some(3),
            station_id: Some(1),
            school_id: Some(2),
            venue: None,
            held_on: "2024-07-24".into(),
            format: Some(SessionFormat::ClassTalk),
            topic_ids: vec![1, 3],
            audience: Audience {
                students: 420,
                parents: 60,
                teachers: 18,
                others: 0,
            },
            confirm_large_audience: false,
            confirm_distinct: false,
            notes: Some("暑期防溺水、防诈骗专题宣讲".into()),
            duration_minutes: Some(45),
            speakers: Some("张警官、李警官".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn ctx() -> Context {
        Context {
            today: day("2024-12-30"),
            campaign_window: Some((day("2024-01-01"), day("2024-12-31"))),
        }
    }

    /// The talk at 博爱小学 on 2024-07-24, as the source article tells it.
    fn valid() -> NewSession {
        NewSession {
            campaign_id: Some(3),
            station_id: Some(12),
            school_id: Some(40),
            venue: None,
            held_on: "2024-07-24".into(),
            format: Some(SessionFormat::ClassTalk),
            topic_ids: vec![1, 3],
            audience: Audience {
                students: 320,
                parents: 40,
                teachers: 12,
                others: 0,
            },
            confirm_large_audience: false,
            confirm_distinct: false,
            notes: Some("  防溺水专题  ".into()),
            duration_minutes: Some(45),
            speakers: Some("张警官".into()),
        }
    }

    #[test]
    fn a_complete_entry_is_accepted_and_trimmed() {
        let ok = valid().validate(&ctx()).expect("valid");
        assert_eq!(ok.venue, Venue::School(40));
        assert_eq!(ok.held_on, day("2024-07-24"));
        assert_eq!(ok.notes.as_deref(), Some("防溺水专题"));
        assert_eq!(ok.audience.total(), 372);
    }

    #[test]
    fn a_session_is_held_where_the_station_and_school_were_still_open() {
        let at_school = valid().validate(&ctx()).unwrap();
        let mut elsewhere = valid();
        elsewhere.school_id = None;
        elsewhere.venue = Some("社区".into());
        let elsewhere = elsewhere.validate(&ctx()).unwrap();
        let held = day("2024-07-24");
        let before = Some(day("2024-07-23"));
        let (on, none) = (Some(held), None);
        /// (session, station closed, school closed, fields refused)
        type Case<'a> = (
            &'a ValidSession,
            Option<NaiveDate>,
            Option<NaiveDate>,
            &'a [&'a str],
        );
        let cases: &[Case] = &[
            (&at_school, none, none, &[]),
            (&at_school, on, on, &[]),
            (&at_school, before, none, &["station_id"]),
            (&at_school, none, before, &["school_id"]),
            (&at_school, before, before, &["station_id", "school_id"]),
            (&elsewhere, none, before, &[]),
            (&elsewhere, before, none, &["station_id"]),
        ];
        for (i, (session, station, school, refused)) in cases.iter().enumerate() {
            let closing = ClosingDays {
                station: *station,
                school: *school,
            };
            let fields: Vec<(String, FieldCode)> = match session.check_open(closing) {
                Ok(()) => Vec::new(),
                Err(e) => e.codes().map(|(f, c)| (f.to_string(), c)).collect(),
            };
            let want: Vec<(String, FieldCode)> = refused
                .iter()
                .map(|f| (f.to_string(), FieldCode::Closed))
                .collect();
            assert_eq!(fields, want, "case {i}");
        }
    }

    #[test]
    fn each_broken_field_is_reported_beside_that_field() {
        type Edit = fn(&mut NewSession);
        let cases: &[(&str, Edit, &str, FieldCode)] = &[
            (
                "no campaign",
                |s| s.campaign_id = None,
                "campaign_id",
                FieldCode::Required,
            ),
            (
                "no station",
                |s| s.station_id = None,
                "station_id",
                FieldCode::Required,
            ),
            (
                "no venue at all",
                |s| s.school_id = None,
                "school_id",
                FieldCode::Required,
            ),
            (
                "blank venue",
                |s| {
                    s.school_id = None;
                    s.venue = Some("   ".into())
                },
                "school_id",
                FieldCode::Required,
            ),
            (
                "school and venue",
                |s| s.venue = Some("社区".into()),
                "venue",
                FieldCode::VenueConflict,
            ),
            (
                "venue too long",
                |s| {
                    s.school_id = None;
                    s.venue = Some("区".repeat(101))
                },
                "venue",
                FieldCode::TooLong,
            ),
            (
                "no date",
                |s| s.held_on = String::new(),
                "held_on",
                FieldCode::Required,
            ),
            (
                "bad date",
                |s| s.held_on = "2024-13-01".into(),
                "held_on",
                FieldCode::InvalidDate,
            ),
            (
                "slashes",
                |s| s.held_on = "2024/07/24".into(),
                "held_on",
                FieldCode::InvalidDate,
            ),
            (
                "future",
                |s| s.held_on = "2024-12-31".into(),
                "held_on",
                FieldCode::DateInFuture,
            ),
            (
                "before campaign",
                |s| s.held_on = "2023-12-31".into(),
                "held_on",
                FieldCode::OutsideCampaign,
            ),
            (
                "no format",
                |s| s.format = None,
                "format",
                FieldCode::Required,
            ),
            (
                "no topic",
                |s| s.topic_ids.clear(),
                "topic_ids",
                FieldCode::Required,
            ),
            (
                "topic twice",
                |s| s.topic_ids = vec![2, 2],
                "topic_ids",
                FieldCode::DuplicateTopic,
            ),
            (
                "40000 topics",
                |s| s.topic_ids = (1..=40_000).collect(),
                "topic_ids",
                FieldCode::TooMany,
            ),
            (
                "NUL in the notes",
                |s| s.notes = Some("讲了\u{0}防溺水".into()),
                "notes",
                FieldCode::ControlCharacter,
            ),
            (
                "escape in a venue",
                |s| {
                    s.school_id = None;
                    s.venue = Some("社区\u{1b}[2J".into())
                },
                "venue",
                FieldCode::ControlCharacter,
            ),
            (
                "negative students",
                |s| s.audience.students = -1,
                "audience.students",
                FieldCode::Negative,
            ),
            (
                "huge parents",
                |s| s.audience.parents = MAX_COUNT + 1,
                "audience.parents",
                FieldCode::TooLarge,
            ),
            (
                "nobody came",
                |s| s.audience = Audience::default(),
                "audience",
                FieldCode::NoAudience,
            ),
            (
                "5001 unconfirmed",
                |s| {
                    s.audience = Audience {
                        students: 5001,
                        ..Audience::default()
                    }
                },
                "confirm_large_audience",
                FieldCode::LargeAudienceUnconfirmed,
            ),
            (
                "notes too long",
                |s| s.notes = Some("字".repeat(2001)),
                "notes",
                FieldCode::TooLong,
            ),
            (
                "no time at all",
                |s| s.duration_minutes = Some(0),
                "duration_minutes",
                FieldCode::TooSmall,
            ),
            (
                "longer than a day",
                |s| s.duration_minutes = Some(24 * 60 + 1),
                "duration_minutes",
                FieldCode::TooLarge,
            ),
            (
                "speakers too long",
                |s| s.speakers = Some("警".repeat(201)),
                "speakers",
                FieldCode::TooLong,
            ),
        ];
        for (name, edit, field, code) in cases {
            let mut entry = valid();
            edit(&mut entry);
            let errors = entry.validate(&ctx()).expect_err(name);
            assert_eq!(errors.get(field), Some(*code), "{name}: {errors:?}");
            assert_eq!(
                errors.codes().count(),
                1,
                "{name}: only one problem expected, got {errors:?}"
            );
        }
    }

    #[test]
    fn boundaries_are_inclusive() {
        type Edit = fn(&mut NewSession);
        let cases: &[(&str, Edit)] = &[
            ("exactly 5000", |s| {
                s.audience = Audience {
                    students: 4000,
                    parents: 1000,
                    ..Audience::default()
                }
            }),
            ("5001 confirmed", |s| {
                s.audience.students = 5001;
                s.confirm_large_audience = true
            }),
            ("today", |s| s.held_on = "2024-12-30".into()),
            ("campaign's first day", |s| s.held_on = "2024-01-01".into()),
            ("other venue", |s| {
                s.school_id = None;
                s.venue = Some("雕庄派出所".into())
            }),
            ("100-character venue", |s| {
                s.school_id = None;
                s.venue = Some("区".repeat(100))
            }),
            ("only teachers came", |s| {
                s.audience = Audience {
                    teachers: 3,
                    ..Audience::default()
                }
            }),
            ("no campaign window known", |_| {}),
        ];
        for (name, edit) in cases {
            let mut entry = valid();
            edit(&mut entry);
            assert!(entry.validate(&ctx()).is_ok(), "{name}");
        }
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let errors = NewSession::default().validate(&ctx()).unwrap_err();
        let fields: Vec<_> = errors.codes().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            [
                "campaign_id",
                "station_id",
                "school_id",
                "held_on",
                "format",
                "topic_ids",
                "audience"
            ]
        );
    }

    #[test]
    fn typed_counts_parse_like_a_person_means_them() {
        let cases = [
            ("", Ok(0)),
            ("  42 ", Ok(42)),
            ("0", Ok(0)),
            ("-3", Err(FieldCode::Negative)),
            ("1.5", Err(FieldCode::NotWhole)),
            ("-1.5", Err(FieldCode::Negative)),
            ("abc", Err(FieldCode::NotANumber)),
            ("1e3", Err(FieldCode::NotWhole)),
            ("99999999999999999999", Err(FieldCode::TooLarge)),
            ("1000001", Err(FieldCode::TooLarge)),
            ("２００", Ok(200)),
            ("1,185", Ok(1185)),
            ("1，185", Ok(1185)),
            ("－３", Err(FieldCode::Negative)),
            ("1,18", Err(FieldCode::NotANumber)),
            ("1、2", Err(FieldCode::NotANumber)),
        ];
        for (text, want) in cases {
            assert_eq!(parse_count(text), want, "{text:?}");
        }
    }

    #[test]
    fn wire_form_round_trips_and_tolerates_missing_fields() {
        let json = serde_json::to_string(&valid()).unwrap();
        let back: NewSession = serde_json::from_str(&json).unwrap();
        assert_eq!(back, valid());
        let sparse: NewSession = serde_json::from_str(r#"{"format":"open_day"}"#).unwrap();
        assert_eq!(sparse.format, Some(SessionFormat::OpenDay));
        assert!(sparse.topic_ids.is_empty());
    }

    #[test]
    fn format_codes_round_trip() {
        for f in SessionFormat::ALL {
            assert_eq!(SessionFormat::from_code(f.code()), Some(f));
            let json = serde_json::to_string(&f).unwrap();
            assert_eq!(json, format!("\"{}\"", f.code()));
        }
    }
}
