//! What each kind of record is, declared once: its API collection, its title, its fields
//! (key, label, kind, whether required, a hint), its natural key, its export table and its
//! import kind. The admin form, the export's and the import template's headers read their
//! words from here, so a label is written in one place and cannot drift between copies.
//!
//! Each kind's declaration sits beside its `NewX` (`impl Described for NewStation` in
//! `org.rs`); [`KINDS`] lists them all. The tests below prove that the declared keys are
//! exactly the serde fields of `NewX` (and of the record `X` the API answers), so a field
//! added to one and not the other fails the build's tests rather than a form at run time.

use serde::de::DeserializeOwned;
use serde::Serialize;

pub mod form;
pub mod used_by;

use crate::columns::Table;
use crate::i18n::Text;
use crate::import::ImportKind;

/// What a field holds, and so how a form shows it and a sheet's cell is read.
#[derive(Debug, Clone, Copy)]
pub enum FieldKind {
    Text,
    /// A whole number.
    Int,
    /// `YYYY-MM-DD`.
    Date,
    /// `YYYY-MM`.
    Month,
    /// The id of a record of this collection (e.g. `stations`), shown by its name.
    Ref(&'static str),
    /// One of a fixed list of codes, each shown by its label.
    Choice(fn() -> Vec<Choice>),
    /// A list of ids of records of this collection (a film's topics).
    Ids(&'static str),
    /// A list of dates (the days a trainee attended).
    Dates,
    Bool,
    /// Sent once, never shown back.
    Password,
    /// A school's students on roll, one figure per school year.
    Roll,
    /// An object of whole numbers (a session's audience, a campaign's targets).
    Counts(&'static [Field]),
}

/// One choice of a [`FieldKind::Choice`]: the code sent and the words shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub code: &'static str,
    pub label: Text,
}

/// One field of a record as a client sends it.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The JSON key in `NewX` (and `X`).
    pub key: &'static str,
    pub label: Text,
    pub kind: FieldKind,
    /// The rules refuse the record without it.
    pub required: bool,
    /// What to type, where the label alone does not say.
    pub hint: Option<Text>,
    /// Sent but never answered back (a password, a confirmation of a large audience).
    pub write_only: bool,
}

impl Field {
    /// An optional field without a hint; the builders below add the rest.
    pub const fn new(key: &'static str, label: Text, kind: FieldKind) -> Field {
        Field {
            key,
            label,
            kind,
            required: false,
            hint: None,
            write_only: false,
        }
    }

    pub const fn required(self) -> Field {
        Field {
            required: true,
            ..self
        }
    }

    pub const fn hint(self, hint: Text) -> Field {
        Field {
            hint: Some(hint),
            ..self
        }
    }

    pub const fn write_only(self) -> Field {
        Field {
            write_only: true,
            ..self
        }
    }
}

/// One kind of record, as every part of the product names it.
#[derive(Debug, Clone, Copy)]
pub struct RecordKind {
    /// The URL segment under `/api/v1`, e.g. `stations` (also the audit log's name).
    pub collection: &'static str,
    pub title: Text,
    /// The fields of `NewX`, in the order a form shows them.
    pub fields: &'static [Field],
    /// Keys the record as the API answers it has beside the readable fields: its id and
    /// version, and what the server works out or looks up (a station's name, …).
    pub computed: &'static [&'static str],
    /// The fields that together name one record; a second create with them is a conflict.
    pub natural_key: &'static [&'static str],
    /// The list as a CSV or Excel file.
    pub export: Option<&'static Table>,
    /// The import that adds these records from a file, if any.
    pub import: Option<ImportKind>,
}

impl RecordKind {
    pub fn field(&self, key: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.key == key)
    }
}

/// A `NewX` whose kind is declared: its fields, and an example of it.
pub trait Described: Serialize + DeserializeOwned + 'static {
    const KIND: &'static RecordKind;

    /// A realistic record (Changzhou's names), for tests and the import templates'
    /// example row.
    fn example() -> Self;
}

/// Lists every declared kind once, as its `NewX` and the record `X` the API answers: gives
/// [`KINDS`], and the tests' cases for each pair.
macro_rules! declared {
    ($($new:ty => $record:ty),* $(,)?) => {
        /// Every declared kind, in the order the API document lists them.
        pub const KINDS: &[&RecordKind] = &[$(<$new as Described>::KIND),*];

        /// For each kind: its declaration, the check of its keys against `NewX` and `X`,
        /// and the admin form's round trip of its example.
        #[cfg(test)]
        type Case = (&'static RecordKind, fn() -> Vec<String>, fn() -> Vec<String>);

        #[cfg(test)]
        const CASES: &[Case] = &[
            $((<$new as Described>::KIND, tests::keys::<$new, $record>, tests::form_round_trip::<$new>)),*
        ];
    };
}

declared! {
    crate::org::NewCity => crate::org::City,
    crate::org::NewDistrict => crate::org::District,
    crate::org::NewStation => crate::org::Station,
    crate::org::NewSchool => crate::org::School,
    crate::org::NewTopic => crate::org::Topic,
    crate::org::NewCampaign => crate::org::Campaign,
    crate::film::NewFilm => crate::film::Film,
    crate::screening::NewAssignment => crate::screening::Assignment,
    crate::screening::NewConfirmation => crate::screening::Confirmation,
    crate::training::NewTraining => crate::training::Training,
    crate::training::NewTrainee => crate::training::Trainee,
    crate::outcome::NewOutcome => crate::outcome::Outcome,
    crate::mentoring::volunteer::NewVolunteer => crate::mentoring::volunteer::Volunteer,
    crate::mentoring::case::NewCase => crate::mentoring::case::Case,
    crate::mentoring::team::NewTeamMember => crate::mentoring::team::TeamMember,
    crate::mentoring::contact::NewContact => crate::mentoring::contact::Contact,
    crate::mentoring::contact::NewCaseEvent => crate::mentoring::contact::CaseEvent,
    crate::mentoring::runaway::NewRunawayCall => crate::mentoring::runaway::RunawayCall,
    crate::mentoring::night_care::NewNightCare => crate::mentoring::night_care::NightCare,
    crate::session::NewSession => crate::session::Session,
    crate::account::NewAccount => crate::account::Account,
}

/// The declared kind with this collection name.
pub fn kind(collection: &str) -> Option<&'static RecordKind> {
    KINDS.iter().copied().find(|k| k.collection == collection)
}

/// The choices of an enum that has `ALL`, `code` and `label(lang)`.
#[macro_export]
macro_rules! choices {
    ($ty:ty) => {
        || {
            <$ty>::ALL
                .into_iter()
                .map(|c| $crate::record::Choice {
                    code: c.code(),
                    label: $crate::i18n::Text::new(
                        c.label($crate::Lang::Zh),
                        c.label($crate::Lang::En),
                    ),
                })
                .collect()
        }
    };
}

/// Shared words of several kinds' fields.
pub mod words {
    use crate::i18n::Text;

    pub const CITY: Text = Text::new("所属市局", "City");
    pub const DISTRICT: Text = Text::new("所属分局", "District");
    pub const STATION: Text = Text::new("派出所", "Police station");
    pub const SCHOOL: Text = Text::new("学校", "School");
    pub const CAMPAIGN: Text = Text::new("所属行动", "Campaign");
    pub const TOPICS: Text = Text::new("主题", "Topics");
    pub const STARTS_ON: Text = Text::new("开始日期", "Starts on");
    pub const ENDS_ON: Text = Text::new("结束日期", "Ends on");
    pub const SORT_ORDER: Text = Text::new("排序", "Sort order");
    pub const MINUTES: Text = Text::new("时长（分钟）", "Minutes");
    pub const CODE_HINT: Text = Text::new("字母、数字、- 和 _", "Letters, digits, - and _");
    pub const DATE_HINT: Text = Text::new("年-月-日，如 2024-07-24", "A date like 2024-07-24");
    pub const COUNT_HINT: Text = Text::new("整数，空白为 0", "A whole number; blank is 0");
    pub const MAY_BE_BLANK: Text = Text::new("可空", "May be blank");
}

#[cfg(test)]
mod tests;
