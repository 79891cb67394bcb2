//! The organisation and the reference data officers pick from: districts, stations,
//! schools, topics and campaigns, as the API serves them, and the rules an administrator's
//! entry must pass before it is stored.
//!
//! Each record comes in three forms: the stored one (`District`), the loose wire form an
//! administrator sends (`NewDistrict`) and the checked one (`ValidDistrict`). Whether a
//! referenced district, station or topic exists, and whether a code is unique, is for the
//! server to check, since only it has the data.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{FieldCode, FieldErrors};
use crate::rules::{self, MAX_NAME_CHARS};
use crate::session::parse_date;

/// Lists are ordered by `sort_order`; more room than any list needs.
pub const MAX_SORT_ORDER: i64 = 10_000;
/// Years the system accepts for campaigns and school years.
pub const FIRST_YEAR: i32 = 2000;
pub const LAST_YEAR: i32 = 2100;
/// A school has one roll per school year, from [`FIRST_YEAR`] to [`LAST_YEAR`].
pub const MAX_ENROLMENTS: usize = (LAST_YEAR - FIRST_YEAR + 1) as usize;
/// A campaign runs for at most a (leap) year.
pub const MAX_CAMPAIGN_DAYS: i64 = 366;
/// Targets are city-wide totals: 1.3 million screenings fit with room to spare.
pub const MAX_TARGET: i64 = 10_000_000;

/// A city bureau (市公安局): the level above districts when one database serves a province.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct City {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// Position in lists, smallest first.
    #[serde(default)]
    pub sort_order: i64,
    /// Changes with every edit; sent back in `If-Match` to edit or delete.
    #[serde(default)]
    pub version: i64,
}

/// A city as a whole-database administrator sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewCity {
    /// 1–32 ASCII letters, digits, `-` and `_`, e.g. `CZ`.
    pub code: String,
    pub name: String,
    /// Position in lists, 0 to 10000, smallest first.
    pub sort_order: i64,
}

/// A city that passed every rule that needs no database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCity {
    pub code: String,
    pub name: String,
    pub sort_order: i64,
}

impl NewCity {
    pub fn validate(&self) -> Result<ValidCity, FieldErrors> {
        let mut errors = FieldErrors::default();
        let code = errors.check("code", rules::code(&self.code));
        let name = errors.check("name", rules::required_text(&self.name, MAX_NAME_CHARS));
        let sort_order = errors.check("sort_order", sort_order(self.sort_order));
        match (code, name, sort_order) {
            (Some(code), Some(name), Some(sort_order)) if errors.is_empty() => Ok(ValidCity {
                code,
                name,
                sort_order,
            }),
            _ => Err(errors),
        }
    }
}

/// A district branch (分局) of the city bureau.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct District {
    pub id: i64,
    /// The city bureau the district belongs to.
    #[serde(default)]
    pub city_id: i64,
    pub code: String,
    pub name: String,
    /// Position in lists, smallest first.
    pub sort_order: i64,
    /// Changes with every edit; sent back in `If-Match` to edit or delete.
    pub version: i64,
}

/// A district as an administrator sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewDistrict {
    /// The city bureau the district belongs to; may be left out while the database has
    /// one city, which it then is (so clients and files from before cities keep working).
    pub city_id: Option<i64>,
    /// 1–32 ASCII letters, digits, `-` and `_`, e.g. `TN`.
    pub code: String,
    pub name: String,
    /// Position in lists, 0 to 10000, smallest first.
    pub sort_order: i64,
}

/// A district that passed every rule that needs no database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDistrict {
    /// `None`: the database's only city, which the server looks up.
    pub city_id: Option<i64>,
    pub code: String,
    pub name: String,
    pub sort_order: i64,
}

impl NewDistrict {
    pub fn validate(&self) -> Result<ValidDistrict, FieldErrors> {
        let mut errors = FieldErrors::default();
        let code = errors.check("code", rules::code(&self.code));
        let name = errors.check("name", rules::required_text(&self.name, MAX_NAME_CHARS));
        let sort_order = errors.check("sort_order", sort_order(self.sort_order));
        match (code, name, sort_order) {
            (Some(code), Some(name), Some(sort_order)) if errors.is_empty() => Ok(ValidDistrict {
                city_id: self.city_id,
                code,
                name,
                sort_order,
            }),
            _ => Err(errors),
        }
    }
}

/// A police station (派出所); each has a care workstation (关爱工作站).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Station {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub district_id: i64,
    /// The care workstation (关爱工作站) name, if it has one.
    pub workstation: Option<String>,
    /// The last day it was open; `None` while it is. A station with history is closed,
    /// not deleted, and no session is logged there after this day.
    #[serde(default)]
    pub closed_on: Option<NaiveDate>,
    /// Changes with every edit; sent back in `If-Match` to edit or delete.
    pub version: i64,
}

/// A station as an administrator sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewStation {
    pub district_id: Option<i64>,
    /// 1–32 ASCII letters, digits, `-` and `_`, e.g. `XB01`.
    pub code: String,
    pub name: String,
    /// The care workstation (关爱工作站) name; blank when it has none.
    pub workstation: Option<String>,
    /// `YYYY-MM-DD`, the last day it was open; blank while it is.
    pub closed_on: Option<String>,
}

/// A station that passed every rule that needs no database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidStation {
    pub district_id: i64,
    pub code: String,
    pub name: String,
    pub workstation: Option<String>,
    pub closed_on: Option<NaiveDate>,
}

impl NewStation {
    pub fn validate(&self) -> Result<ValidStation, FieldErrors> {
        let mut errors = FieldErrors::default();
        let district_id = errors.check("district_id", rules::required(self.district_id));
        let code = errors.check("code", rules::code(&self.code));
        let name = errors.check("name", rules::required_text(&self.name, MAX_NAME_CHARS));
        let workstation = errors.check(
            "workstation",
            rules::optional_text(self.workstation.as_deref(), MAX_NAME_CHARS),
        );
        let closed_on = errors.check("closed_on", closing_day(self.closed_on.as_deref()));
        match (district_id, code, name, workstation, closed_on) {
            (Some(district_id), Some(code), Some(name), Some(workstation), Some(closed_on))
                if errors.is_empty() =>
            {
                Ok(ValidStation {
                    district_id,
                    code,
                    name,
                    workstation,
                    closed_on,
                })
            }
            _ => Err(errors),
        }
    }
}

crate::coded_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum SchoolKind {
        Primary = "primary",
        Junior = "junior",
        NineYear = "nine_year",
        Senior = "senior",
        Vocational = "vocational",
        Special = "special",
        Other = "other",
    }
}

impl SchoolKind {
    pub fn label_zh(self) -> &'static str {
        self.label(crate::Lang::Zh)
    }

    pub fn label(self, lang: crate::Lang) -> &'static str {
        let (zh, en) = match self {
            SchoolKind::Primary => ("小学", "Primary school"),
            SchoolKind::Junior => ("初中", "Junior secondary school"),
            SchoolKind::NineYear => ("九年一贯制", "Nine-year school"),
            SchoolKind::Senior => ("高中", "Senior secondary school"),
            SchoolKind::Vocational => ("中职", "Vocational school"),
            SchoolKind::Special => ("特殊教育", "Special education school"),
            SchoolKind::Other => ("其他", "Other"),
        };
        lang.pick(zh, en)
    }
}

/// Students on a school's roll in one school year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Enrolment {
    /// The calendar year the school year starts in: 2024 is the 2024–25 school year.
    pub school_year: i32,
    pub students: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct School {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: SchoolKind,
    pub district_id: i64,
    /// The station whose area the school lies in.
    pub station_id: i64,
    /// Students on the roll in the latest school year on record.
    pub enrolment: i64,
    /// The roll of every school year on record, oldest first.
    pub enrolments: Vec<Enrolment>,
    /// The last day it was open; `None` while it is. A school with history is closed,
    /// not deleted, and no session is logged there after this day.
    #[serde(default)]
    pub closed_on: Option<NaiveDate>,
    /// Changes with every edit; sent back in `If-Match` to edit or delete.
    pub version: i64,
    /// The name's pinyin initials, lower case (雕庄小学: `dzxx`), worked out by the server so
    /// that the form can find the school by them (`school_search`) without the pinyin table.
    #[serde(default)]
    pub initials: String,
}

/// A school as an administrator sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewSchool {
    /// 1–32 ASCII letters, digits, `-` and `_`.
    pub code: String,
    pub name: String,
    pub kind: Option<SchoolKind>,
    pub district_id: Option<i64>,
    /// The station whose area the school lies in.
    pub station_id: Option<i64>,
    /// The roll per school year, in any order; each year at most once.
    pub enrolments: Vec<Enrolment>,
    /// `YYYY-MM-DD`, the last day it was open; blank while it is.
    pub closed_on: Option<String>,
}

/// A school that passed every rule that needs no database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSchool {
    pub code: String,
    pub name: String,
    pub kind: SchoolKind,
    pub district_id: i64,
    pub station_id: i64,
    /// Sorted by school year, oldest first.
    pub enrolments: Vec<Enrolment>,
    pub closed_on: Option<NaiveDate>,
}

impl NewSchool {
    pub fn validate(&self) -> Result<ValidSchool, FieldErrors> {
        let mut errors = FieldErrors::default();
        let code = errors.check("code", rules::code(&self.code));
        let name = errors.check("name", rules::required_text(&self.name, MAX_NAME_CHARS));
        let kind = errors.check("kind", rules::required(self.kind));
        let district_id = errors.check("district_id", rules::required(self.district_id));
        let station_id = errors.check("station_id", rules::required(self.station_id));

        // One roll per school year, and there are only so many years.
        let enrolments = match rules::at_most(&self.enrolments, MAX_ENROLMENTS) {
            Ok(enrolments) => enrolments,
            Err(code) => {
                errors.push("enrolments", code);
                &[]
            }
        };
        let years: Vec<i32> = enrolments.iter().map(|e| e.school_year).collect();
        let repeated = rules::repeats(&years);
        for (i, enrolment) in enrolments.iter().enumerate() {
            let year_field = format!("enrolments[{i}].school_year");
            if let Err(code) = year(enrolment.school_year) {
                errors.push(year_field, code);
            } else if repeated.contains(&i) {
                errors.push(year_field, FieldCode::DuplicateValue);
            }
            errors.check(
                format!("enrolments[{i}].students"),
                rules::count(enrolment.students),
            );
        }

        let closed_on = errors.check("closed_on", closing_day(self.closed_on.as_deref()));

        match (code, name, kind, district_id, station_id, closed_on) {
            (
                Some(code),
                Some(name),
                Some(kind),
                Some(district_id),
                Some(station_id),
                Some(closed_on),
            ) if errors.is_empty() => {
                let mut enrolments = self.enrolments.clone();
                enrolments.sort_by_key(|e| e.school_year);
                Ok(ValidSchool {
                    code,
                    name,
                    kind,
                    district_id,
                    station_id,
                    enrolments,
                    closed_on,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A school's or station's closing day as typed: blank while it is open, else a date in
/// the years the system knows.
pub fn closing_day(text: Option<&str>) -> Result<Option<NaiveDate>, FieldCode> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(text) => {
            let day = parse_date(text)?;
            year(day.year())?;
            Ok(Some(day))
        }
    }
}

/// Whether a school or station closed on `closed_on` was still open on `day`: it is open
/// up to and including its closing day.
pub fn open_on(closed_on: Option<NaiveDate>, day: NaiveDate) -> bool {
    closed_on.is_none_or(|closed| day <= closed)
}

/// The school year `day` belongs to: school years start on 1 September, so a day in
/// January to August belongs to the one that started the calendar year before.
pub fn school_year_of(day: NaiveDate) -> i32 {
    if day.month() >= 9 {
        day.year()
    } else {
        day.year() - 1
    }
}

/// The roll that applies on `day`: the school year starting on 1 September (a day in Jan–Aug
/// belongs to the school year of the previous calendar year); None when that year is not on
/// record.
pub fn enrolment_on(enrolments: &[Enrolment], day: NaiveDate) -> Option<i64> {
    let school_year = school_year_of(day);
    enrolments
        .iter()
        .find(|e| e.school_year == school_year)
        .map(|e| e.students)
}

/// Of things with a campaign window (first and last day), the one running on `today`, else
/// the latest: what [`Campaign::current`] picks, for callers that hold only the windows.
pub fn current_of<T>(
    items: &[T],
    window: impl Fn(&T) -> (NaiveDate, NaiveDate),
    today: NaiveDate,
) -> Option<&T> {
    items
        .iter()
        .filter(|item| {
            let (start, end) = window(item);
            start <= today && today <= end
        })
        .max_by_key(|item| window(item).0)
        .or_else(|| items.iter().max_by_key(|item| window(item).0))
}

/// The roll to check a count on `day` against: that school year's, else the latest earlier
/// one (a new school year's roll is often entered late); None when nothing earlier is known.
pub fn roll_for(enrolments: &[Enrolment], day: NaiveDate) -> Option<i64> {
    let school_year = school_year_of(day);
    enrolments
        .iter()
        .filter(|e| e.school_year <= school_year)
        .max_by_key(|e| e.school_year)
        .map(|e| e.students)
}

/// The roll that caps unique students for a period ending on `day` (a decided definition,
/// see DOMAIN.md): that school year's (1 September – 31 August); else the nearest earlier
/// year's; else the nearest later year's (a roll entered only for the next year still says
/// how many pupils the school has). `None` only when the school has no roll at all: its
/// count then stands uncapped and is flagged (无在册数).
pub fn capping_roll(enrolments: &[Enrolment], day: NaiveDate) -> Option<i64> {
    let school_year = school_year_of(day);
    roll_for(enrolments, day).or_else(|| {
        enrolments
            .iter()
            .filter(|e| e.school_year > school_year)
            .min_by_key(|e| e.school_year)
            .map(|e| e.students)
    })
}

/// The roll of the latest school year on record, as [`School::enrolment`] shows it.
pub fn latest_enrolment(enrolments: &[Enrolment]) -> Option<i64> {
    enrolments
        .iter()
        .max_by_key(|e| e.school_year)
        .map(|e| e.students)
}

/// A topic of the campaign (宣防主题), kept as data so administrators can add one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Topic {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// Position in lists, smallest first.
    pub sort_order: i64,
    /// Changes with every edit; sent back in `If-Match` to edit or delete.
    pub version: i64,
}

impl Topic {
    pub fn name(&self, lang: crate::Lang) -> &str {
        lang.pick(&self.name_zh, &self.name_en)
    }
}

/// A topic as an administrator sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewTopic {
    /// 1–32 ASCII letters, digits, `-` and `_`, e.g. `drowning`.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// Position in lists, 0 to 10000, smallest first.
    pub sort_order: i64,
}

/// A topic that passed every rule that needs no database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidTopic {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub sort_order: i64,
}

impl NewTopic {
    pub fn validate(&self) -> Result<ValidTopic, FieldErrors> {
        let mut errors = FieldErrors::default();
        let code = errors.check("code", rules::code(&self.code));
        let name_zh = errors.check(
            "name_zh",
            rules::required_text(&self.name_zh, MAX_NAME_CHARS),
        );
        let name_en = errors.check(
            "name_en",
            rules::required_text(&self.name_en, MAX_NAME_CHARS),
        );
        let sort_order = errors.check("sort_order", sort_order(self.sort_order));
        match (code, name_zh, name_en, sort_order) {
            (Some(code), Some(name_zh), Some(name_en), Some(sort_order)) if errors.is_empty() => {
                Ok(ValidTopic {
                    code,
                    name_zh,
                    name_en,
                    sort_order,
                })
            }
            _ => Err(errors),
        }
    }
}

/// What a campaign aims for, city-wide; 0 means no target was set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Targets {
    /// Education sessions to hold.
    pub sessions: i64,
    /// Schools to reach, of the city's 855.
    pub schools: i64,
    /// Audience to reach, in person-times (人次).
    pub audience: i64,
}

impl Targets {
    fn fields(&self) -> [(&'static str, i64); 3] {
        [
            ("targets.sessions", self.sessions),
            ("targets.schools", self.schools),
            ("targets.audience", self.audience),
        ]
    }
}

/// A yearly campaign (警心护苗集中宣防行动) and its window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Campaign {
    pub id: i64,
    pub name: String,
    pub year: i32,
    /// The campaign's first day.
    pub starts_on: NaiveDate,
    /// The campaign's last day, included.
    pub ends_on: NaiveDate,
    /// The topics the campaign promotes.
    pub topic_ids: Vec<i64>,
    pub targets: Targets,
    /// Changes with every edit; sent back in `If-Match` to edit or delete.
    pub version: i64,
}

impl Campaign {
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.starts_on <= day && day <= self.ends_on
    }

    /// The campaign a new entry goes to by default: the one running on `today`, else the
    /// latest. `campaigns` may be in any order.
    pub fn current(campaigns: &[Campaign], today: NaiveDate) -> Option<&Campaign> {
        current_of(campaigns, Campaign::window, today)
    }

    /// The first and last day, as the rules of entries within the campaign take them.
    pub fn window(&self) -> (NaiveDate, NaiveDate) {
        (self.starts_on, self.ends_on)
    }
}

/// A campaign as an administrator sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewCampaign {
    pub name: String,
    /// The campaign's year, 2000 to 2100; it must start within it.
    pub year: Option<i32>,
    /// `YYYY-MM-DD`, within `year`.
    pub starts_on: String,
    /// `YYYY-MM-DD`, at most 366 days after the start counting both ends.
    pub ends_on: String,
    /// The topics the campaign promotes; may be empty.
    pub topic_ids: Vec<i64>,
    pub targets: Targets,
}

/// A campaign that passed every rule that needs no database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCampaign {
    pub name: String,
    pub year: i32,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub topic_ids: Vec<i64>,
    pub targets: Targets,
}

impl NewCampaign {
    pub fn validate(&self) -> Result<ValidCampaign, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = errors.check("name", rules::required_text(&self.name, MAX_NAME_CHARS));
        let year = errors.check("year", rules::required(self.year).and_then(year));

        let starts_on = match (parse_date(&self.starts_on), year) {
            (Ok(day), Some(year)) if day.year() != year => Err(FieldCode::YearMismatch),
            (parsed, _) => parsed,
        };
        let starts_on = errors.check("starts_on", starts_on);
        let ends_on = match (starts_on, parse_date(&self.ends_on)) {
            (Some(start), Ok(end)) => rules::period_end(start, end, MAX_CAMPAIGN_DAYS),
            (_, parsed) => parsed,
        };
        let ends_on = errors.check("ends_on", ends_on);

        let topic_ids = errors.check(
            "topic_ids",
            rules::distinct(
                &self.topic_ids,
                rules::MAX_TOPICS,
                FieldCode::DuplicateTopic,
            ),
        );
        for (field, value) in self.targets.fields() {
            errors.check(field, rules::count_up_to(value, MAX_TARGET));
        }

        match (name, year, starts_on, ends_on, topic_ids) {
            (Some(name), Some(year), Some(starts_on), Some(ends_on), Some(topic_ids))
                if errors.is_empty() =>
            {
                Ok(ValidCampaign {
                    name,
                    year,
                    starts_on,
                    ends_on,
                    topic_ids,
                    targets: self.targets,
                })
            }
            _ => Err(errors),
        }
    }
}

fn sort_order(n: i64) -> Result<i64, FieldCode> {
    rules::within(n, 0, MAX_SORT_ORDER)
}

fn year(n: i32) -> Result<i32, FieldCode> {
    rules::within(n, FIRST_YEAR, LAST_YEAR)
}

// The kinds of this module as every part of the product names them (see `crate::record`).

use crate::i18n::Text;
use crate::import::ImportKind;
use crate::record::{words, Described, Field, FieldKind, RecordKind};

pub const DISTRICT_CODE: Field = Field::new(
    "code",
    Text::new("分局编码", "District code"),
    FieldKind::Text,
)
.required()
.hint(words::CODE_HINT);
pub const DISTRICT_NAME: Field = Field::new(
    "name",
    Text::new("分局名称", "District name"),
    FieldKind::Text,
)
.required();
pub const SORT_ORDER: Field = Field::new("sort_order", words::SORT_ORDER, FieldKind::Int);

pub const CITY_CODE: Field =
    Field::new("code", Text::new("市局编码", "City code"), FieldKind::Text)
        .required()
        .hint(words::CODE_HINT);
pub const CITY_NAME: Field =
    Field::new("name", Text::new("市局名称", "City name"), FieldKind::Text).required();

impl Described for NewCity {
    const KIND: &'static RecordKind = &RecordKind {
        collection: "cities",
        title: Text::new("市局", "Cities"),
        fields: &[CITY_CODE, CITY_NAME, SORT_ORDER],
        computed: &["id", "version"],
        natural_key: &["code"],
        export: Some(&crate::columns::CITIES),
        import: None,
    };

    fn example() -> Self {
        NewCity {
            code: "CZ".into(),
            name: "常州市公安局".into(),
            sort_order: 1,
        }
    }
}

/// A district's city: the database's only one when left blank.
pub const DISTRICT_CITY: Field = Field::new("city_id", words::CITY, FieldKind::Ref("cities")).hint(
    Text::new("只有一个市局时可空", "May be blank while there is one city"),
);

impl Described for NewDistrict {
    const KIND: &'static RecordKind = &RecordKind {
        collection: "districts",
        title: Text::new("分局", "Districts"),
        fields: &[DISTRICT_CITY, DISTRICT_CODE, DISTRICT_NAME, SORT_ORDER],
        computed: &["id", "version"],
        natural_key: &["code"],
        export: Some(&crate::columns::DISTRICTS),
        import: None,
    };

    fn example() -> Self {
        NewDistrict {
            city_id: Some(1),
            code: "TN".into(),
            name: "天宁分局".into(),
            sort_order: 1,
        }
    }
}

/// Which district a record belongs to, by id.
pub const DISTRICT_ID: Field =
    Field::new("district_id", words::DISTRICT, FieldKind::Ref("districts")).required();
pub const STATION_CODE: Field = Field::new(
    "code",
    Text::new("派出所编码", "Station code"),
    FieldKind::Text,
)
.required()
.hint(words::CODE_HINT);
pub const STATION_NAME: Field = Field::new(
    "name",
    Text::new("派出所名称", "Station name"),
    FieldKind::Text,
)
.required();
/// Each station's care workstation (关爱工作站), as DOMAIN.md names it.
pub const WORKSTATION: Field = Field::new(
    "workstation",
    Text::new("关爱工作站", "Care workstation"),
    FieldKind::Text,
)
.hint(words::MAY_BE_BLANK);

/// The day a school or station closed, as DOMAIN.md has it: closed, not deleted.
pub const CLOSED_ON: Field = Field::new(
    "closed_on",
    Text::new("关闭日期", "Closed on"),
    FieldKind::Date,
)
.hint(Text::new(
    "最后开放的一天；仍在开放的留空。此日之后不能再记录活动",
    "The last day it was open; blank while it is. No session can be logged after it",
));

impl Described for NewStation {
    const KIND: &'static RecordKind = &RecordKind {
        collection: "stations",
        title: Text::new("派出所", "Police stations"),
        fields: &[
            DISTRICT_ID,
            STATION_CODE,
            STATION_NAME,
            WORKSTATION,
            CLOSED_ON,
        ],
        computed: &["id", "version"],
        natural_key: &["code"],
        export: Some(&crate::columns::STATIONS),
        import: Some(ImportKind::Stations),
    };

    fn example() -> Self {
        NewStation {
            district_id: Some(1),
            code: "DZ".into(),
            name: "雕庄派出所".into(),
            workstation: Some("雕庄关爱工作站".into()),
            closed_on: None,
        }
    }
}

pub const SCHOOL_CODE: Field = Field::new(
    "code",
    Text::new("学校编码", "School code"),
    FieldKind::Text,
)
.required()
.hint(words::CODE_HINT);
pub const SCHOOL_NAME: Field = Field::new(
    "name",
    Text::new("学校名称", "School name"),
    FieldKind::Text,
)
.required();
pub const SCHOOL_KIND: Field = Field::new(
    "kind",
    Text::new("学校类型", "Kind"),
    FieldKind::Choice(crate::choices!(SchoolKind)),
)
.required()
.hint(Text::new(
    "小学、初中、九年一贯制、高中、中职、特殊教育、其他",
    "Primary, junior, nine_year, senior, vocational, special or other",
));
/// The station whose area a record lies in, by id.
pub const STATION_ID: Field =
    Field::new("station_id", words::STATION, FieldKind::Ref("stations")).required();
pub const ENROLMENTS: Field = Field::new(
    "enrolments",
    Text::new("在册学生数", "Students on roll"),
    FieldKind::Roll,
)
.hint(Text::new(
    "该学年的在册学生数",
    "Students on the roll that school year",
));

impl Described for NewSchool {
    const KIND: &'static RecordKind = &RecordKind {
        collection: "schools",
        title: Text::new("学校", "Schools"),
        fields: &[
            SCHOOL_CODE,
            SCHOOL_NAME,
            SCHOOL_KIND,
            DISTRICT_ID,
            STATION_ID,
            ENROLMENTS,
            CLOSED_ON,
        ],
        // `enrolment`: this school year's roll, worked out from `enrolments`; `initials`: the
        // name's pinyin initials, for the session form's school search.
        computed: &["id", "enrolment", "initials", "version"],
        natural_key: &["code"],
        export: Some(&crate::columns::SCHOOLS),
        import: Some(ImportKind::Schools),
    };

    fn example() -> Self {
        NewSchool {
            code: "CZ-DZXX".into(),
            name: "雕庄小学".into(),
            kind: Some(SchoolKind::Primary),
            district_id: Some(1),
            station_id: Some(1),
            enrolments: vec![Enrolment {
                school_year: 2024,
                students: 1260,
            }],
            closed_on: None,
        }
    }
}

pub const TOPIC_CODE: Field =
    Field::new("code", Text::new("主题编码", "Topic code"), FieldKind::Text)
        .required()
        .hint(words::CODE_HINT);
pub const NAME_ZH: Field = Field::new(
    "name_zh",
    Text::new("中文名称", "Name (Chinese)"),
    FieldKind::Text,
)
.required();
pub const NAME_EN: Field = Field::new(
    "name_en",
    Text::new("英文名称", "Name (English)"),
    FieldKind::Text,
)
.required();

impl Described for NewTopic {
    const KIND: &'static RecordKind = &RecordKind {
        collection: "topics",
        title: Text::new("宣防主题", "Topics"),
        fields: &[TOPIC_CODE, NAME_ZH, NAME_EN, SORT_ORDER],
        computed: &["id", "version"],
        natural_key: &["code"],
        export: Some(&crate::columns::TOPICS),
        import: None,
    };

    fn example() -> Self {
        NewTopic {
            code: "drowning".into(),
            name_zh: "防溺水".into(),
            name_en: "Drowning prevention".into(),
            sort_order: 1,
        }
    }
}

pub const CAMPAIGN_NAME: Field = Field::new(
    "name",
    Text::new("行动名称", "Campaign name"),
    FieldKind::Text,
)
.required();
pub const YEAR: Field = Field::new("year", Text::new("年度", "Year"), FieldKind::Int).required();
pub const STARTS_ON: Field = Field::new("starts_on", words::STARTS_ON, FieldKind::Date).required();
pub const ENDS_ON: Field = Field::new("ends_on", words::ENDS_ON, FieldKind::Date).required();
pub const TOPIC_IDS: Field = Field::new("topic_ids", words::TOPICS, FieldKind::Ids("topics"));
pub const TARGET_SESSIONS: Field = Field::new(
    "sessions",
    Text::new("目标场次", "Target sessions"),
    FieldKind::Int,
);
pub const TARGET_SCHOOLS: Field = Field::new(
    "schools",
    Text::new("目标学校数", "Target schools"),
    FieldKind::Int,
);
pub const TARGET_AUDIENCE: Field = Field::new(
    "audience",
    Text::new("目标受众人次", "Target audience"),
    FieldKind::Int,
);
pub const TARGETS: Field = Field::new(
    "targets",
    Text::new("目标", "Targets"),
    FieldKind::Counts(&[TARGET_SESSIONS, TARGET_SCHOOLS, TARGET_AUDIENCE]),
);

impl Described for NewCampaign {
    const KIND: &'static RecordKind = &RecordKind {
        collection: "campaigns",
        title: Text::new("宣防行动", "Campaigns"),
        fields: &[CAMPAIGN_NAME, YEAR, STARTS_ON, ENDS_ON, TOPIC_IDS, TARGETS],
        computed: &["id", "version"],
        natural_key: &["year"],
        export: Some(&crate::columns::CAMPAIGNS),
        import: None,
    };

    fn example() -> Self {
        NewCampaign {
            name: "2024年“警心护苗”集中宣防行动".into(),
            year: Some(2024),
            starts_on: "2024-03-01".into(),
            ends_on: "2024-12-31".into(),
            topic_ids: vec![1, 2, 3],
            targets: Targets {
                sessions: 2000,
                schools: 855,
                audience: 1_300_000,
            },
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_count_is_checked_against_the_period_roll_or_the_latest_earlier_one() {
        let rolls = [
            Enrolment {
                school_year: 2024,
                students: 600,
            },
            Enrolment {
                school_year: 2025,
                students: 640,
            },
        ];
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let cases = [
            (day(2025, 3, 1), Some(600)),   // school year 2024
            (day(2025, 9, 1), Some(640)),   // 2025
            (day(2026, 11, 29), Some(640)), // 2026 not on record yet: 2025's
            (day(2024, 6, 1), None),        // 2023: nothing earlier
        ];
        for (on, expected) in cases {
            assert_eq!(roll_for(&rolls, on), expected, "{on}");
        }
    }

    #[test]
    fn unique_students_are_capped_by_the_period_roll_else_the_nearest_earlier_else_later() {
        let roll = |school_year, students| Enrolment {
            school_year,
            students,
        };
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let rolls = [roll(2022, 500), roll(2024, 600), roll(2026, 700)];
        let cases = [
            (&rolls[..], day(2025, 3, 15), Some(600)), // school year 2024: its own
            (&rolls[..], day(2024, 8, 31), Some(500)), // 2023 missing: 2022, earlier
            (&rolls[..], day(2025, 9, 1), Some(600)),  // 2025 missing: 2024, not 2026
            (&rolls[..], day(2021, 12, 1), Some(500)), // nothing earlier: 2022, later
            (&rolls[1..], day(2023, 6, 1), Some(600)), // nothing earlier: nearest later
            (&rolls[..], day(2030, 1, 1), Some(700)),  // far ahead: the latest
            (&[][..], day(2025, 1, 1), None),          // no roll at all: uncapped
        ];
        for (rolls, on, expected) in cases {
            assert_eq!(capping_roll(rolls, on), expected, "{on} {rolls:?}");
        }
    }

    use super::*;
    use crate::rules::table::{assert_table, Case};
    use FieldCode::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn district() -> NewDistrict {
        NewDistrict {
            city_id: None,
            code: " XB ".into(),
            name: " 新北分局（高新区） ".into(),
            sort_order: 2,
        }
    }

    fn station() -> NewStation {
        NewStation {
            district_id: Some(3),
            code: "XB01".into(),
            name: "三井派出所".into(),
            workstation: Some(" 三井关爱工作站 ".into()),
            closed_on: None,
        }
    }

    fn school() -> NewSchool {
        NewSchool {
            code: "XB01-03".into(),
            name: "博爱小学".into(),
            kind: Some(SchoolKind::Primary),
            district_id: Some(3),
            station_id: Some(21),
            enrolments: vec![
                Enrolment {
                    school_year: 2024,
                    students: 1480,
                },
                Enrolment {
                    school_year: 2023,
                    students: 1432,
                },
            ],
            closed_on: None,
        }
    }

    fn topic() -> NewTopic {
        NewTopic {
            code: "drowning".into(),
            name_zh: "防溺水".into(),
            name_en: "Drowning prevention".into(),
            sort_order: 0,
        }
    }

    /// The 2024 campaign, the third since 2022.
    fn campaign() -> NewCampaign {
        NewCampaign {
            name: "2024年警心护苗集中宣防行动".into(),
            year: Some(2024),
            starts_on: "2024-01-01".into(),
            ends_on: "2024-12-31".into(),
            topic_ids: vec![1, 2, 3],
            targets: Targets {
                sessions: 2_000,
                schools: 855,
                audience: 1_300_000,
            },
        }
    }

    #[test]
    fn complete_entries_are_accepted_and_trimmed() {
        let d = district().validate().expect("district");
        assert_eq!(
            (d.code.as_str(), d.name.as_str()),
            ("XB", "新北分局（高新区）")
        );
        let s = station().validate().expect("station");
        assert_eq!(s.workstation.as_deref(), Some("三井关爱工作站"));
        let sc = school().validate().expect("school");
        let years: Vec<_> = sc.enrolments.iter().map(|e| e.school_year).collect();
        assert_eq!(years, [2023, 2024], "enrolments are sorted by year");
        assert_eq!(
            topic().validate().expect("topic").name_en,
            "Drowning prevention"
        );
        let c = campaign().validate().expect("campaign");
        assert_eq!(
            (c.starts_on, c.ends_on),
            (day("2024-01-01"), day("2024-12-31"))
        );
        assert_eq!(c.targets.schools, 855);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let fields = |errors: FieldErrors| -> Vec<String> {
            errors.codes().map(|(f, _)| f.to_string()).collect()
        };
        let cases: [(Vec<String>, &[&str]); 5] = [
            (
                fields(NewDistrict::default().validate().unwrap_err()),
                &["code", "name"],
            ),
            (
                fields(NewStation::default().validate().unwrap_err()),
                &["district_id", "code", "name"],
            ),
            (
                fields(
                    NewSchool {
                        enrolments: vec![Enrolment::default()],
                        ..NewSchool::default()
                    }
                    .validate()
                    .unwrap_err(),
                ),
                &[
                    "code",
                    "name",
                    "kind",
                    "district_id",
                    "station_id",
                    "enrolments[0].school_year",
                ],
            ),
            (
                fields(NewTopic::default().validate().unwrap_err()),
                &["code", "name_zh", "name_en"],
            ),
            (
                fields(
                    NewCampaign {
                        topic_ids: vec![1, 1],
                        targets: Targets {
                            sessions: -1,
                            ..Targets::default()
                        },
                        ..NewCampaign::default()
                    }
                    .validate()
                    .unwrap_err(),
                ),
                &[
                    "name",
                    "year",
                    "starts_on",
                    "ends_on",
                    "topic_ids",
                    "targets.sessions",
                ],
            ),
        ];
        for (got, want) in cases {
            assert_eq!(got, want);
        }
    }

    #[test]
    fn district_codes_are_letters_digits_dashes_and_underscores() {
        let cases: &[Case<NewDistrict>] = &[
            ("blank", |d| d.code = "  ".into(), "code", Some(Required)),
            (
                "33 characters",
                |d| d.code = "a".repeat(33),
                "code",
                Some(TooLong),
            ),
            ("32 characters", |d| d.code = "a".repeat(32), "code", None),
            (
                "a space inside",
                |d| d.code = "X B".into(),
                "code",
                Some(InvalidCode),
            ),
            (
                "Chinese",
                |d| d.code = "新北".into(),
                "code",
                Some(InvalidCode),
            ),
            (
                "dash and underscore",
                |d| d.code = "xb-1_a".into(),
                "code",
                None,
            ),
        ];
        assert_table(district, NewDistrict::validate, cases);
    }

    #[test]
    fn district_names_are_required_and_at_most_100_characters() {
        let cases: &[Case<NewDistrict>] = &[
            ("blank", |d| d.name = " ".into(), "name", Some(Required)),
            (
                "101 characters",
                |d| d.name = "区".repeat(101),
                "name",
                Some(TooLong),
            ),
            (
                "100 characters",
                |d| d.name = "区".repeat(100),
                "name",
                None,
            ),
        ];
        assert_table(district, NewDistrict::validate, cases);
    }

    #[test]
    fn district_sort_orders_run_from_0_to_10000() {
        let cases: &[Case<NewDistrict>] = &[
            (
                "negative",
                |d| d.sort_order = -1,
                "sort_order",
                Some(TooSmall),
            ),
            (
                "10001",
                |d| d.sort_order = 10_001,
                "sort_order",
                Some(TooLarge),
            ),
            ("0", |d| d.sort_order = 0, "sort_order", None),
            ("10000", |d| d.sort_order = 10_000, "sort_order", None),
        ];
        assert_table(district, NewDistrict::validate, cases);
    }

    #[test]
    fn stations_need_a_district() {
        let cases: &[Case<NewStation>] = &[(
            "no district",
            |s| s.district_id = None,
            "district_id",
            Some(Required),
        )];
        assert_table(station, NewStation::validate, cases);
    }

    #[test]
    fn station_codes_are_letters_digits_dashes_and_underscores() {
        let cases: &[Case<NewStation>] = &[
            ("blank", |s| s.code = String::new(), "code", Some(Required)),
            (
                "33 characters",
                |s| s.code = "1".repeat(33),
                "code",
                Some(TooLong),
            ),
            (
                "a slash",
                |s| s.code = "XB/01".into(),
                "code",
                Some(InvalidCode),
            ),
        ];
        assert_table(station, NewStation::validate, cases);
    }

    #[test]
    fn station_names_are_required_and_at_most_100_characters() {
        let cases: &[Case<NewStation>] = &[
            ("blank", |s| s.name = "\t".into(), "name", Some(Required)),
            (
                "101 characters",
                |s| s.name = "所".repeat(101),
                "name",
                Some(TooLong),
            ),
            (
                "100 characters",
                |s| s.name = "所".repeat(100),
                "name",
                None,
            ),
        ];
        assert_table(station, NewStation::validate, cases);
    }

    #[test]
    fn workstations_are_optional_and_at_most_100_characters() {
        let cases: &[Case<NewStation>] = &[
            ("none", |s| s.workstation = None, "workstation", None),
            (
                "blank",
                |s| s.workstation = Some(" ".into()),
                "workstation",
                None,
            ),
            (
                "101 characters",
                |s| s.workstation = Some("站".repeat(101)),
                "workstation",
                Some(TooLong),
            ),
            (
                "100 characters",
                |s| s.workstation = Some("站".repeat(100)),
                "workstation",
                None,
            ),
        ];
        assert_table(station, NewStation::validate, cases);
        let mut blank = station();
        blank.workstation = Some("  ".into());
        assert_eq!(blank.validate().unwrap().workstation, None);
    }

    #[test]
    fn a_closing_day_is_blank_or_a_date_of_the_known_years() {
        let cases: &[Case<NewSchool>] = &[
            ("open", |s| s.closed_on = None, "closed_on", None),
            (
                "blank",
                |s| s.closed_on = Some(" ".into()),
                "closed_on",
                None,
            ),
            (
                "a date",
                |s| s.closed_on = Some("2024-06-30".into()),
                "closed_on",
                None,
            ),
            (
                "no such day",
                |s| s.closed_on = Some("2024-02-30".into()),
                "closed_on",
                Some(InvalidDate),
            ),
            (
                "not a date",
                |s| s.closed_on = Some("下学期".into()),
                "closed_on",
                Some(InvalidDate),
            ),
            (
                "before 2000",
                |s| s.closed_on = Some("1999-12-31".into()),
                "closed_on",
                Some(TooSmall),
            ),
        ];
        assert_table(school, NewSchool::validate, cases);
        let stations: &[Case<NewStation>] = &[
            (
                "a date",
                |s| s.closed_on = Some("2024-06-30".into()),
                "closed_on",
                None,
            ),
            (
                "not a date",
                |s| s.closed_on = Some("2024/06/30".into()),
                "closed_on",
                Some(InvalidDate),
            ),
        ];
        assert_table(station, NewStation::validate, stations);
        let mut closed = station();
        closed.closed_on = Some(" 2024-06-30 ".into());
        assert_eq!(
            closed.validate().unwrap().closed_on,
            Some(day("2024-06-30"))
        );
    }

    #[test]
    fn a_school_or_station_is_open_up_to_and_on_its_closing_day() {
        let closed = Some(day("2024-06-30"));
        assert!(open_on(None, day("2030-01-01")));
        assert!(open_on(closed, day("2024-06-29")));
        assert!(open_on(closed, day("2024-06-30")));
        assert!(!open_on(closed, day("2024-07-01")));
    }

    #[test]
    fn school_codes_are_letters_digits_dashes_and_underscores() {
        let cases: &[Case<NewSchool>] = &[
            ("blank", |s| s.code = " ".into(), "code", Some(Required)),
            (
                "33 characters",
                |s| s.code = "a".repeat(33),
                "code",
                Some(TooLong),
            ),
            (
                "a dot",
                |s| s.code = "XB.1".into(),
                "code",
                Some(InvalidCode),
            ),
        ];
        assert_table(school, NewSchool::validate, cases);
    }

    #[test]
    fn school_names_are_required_and_at_most_100_characters() {
        let cases: &[Case<NewSchool>] = &[
            ("blank", |s| s.name = String::new(), "name", Some(Required)),
            (
                "101 characters",
                |s| s.name = "校".repeat(101),
                "name",
                Some(TooLong),
            ),
            (
                "100 characters",
                |s| s.name = "校".repeat(100),
                "name",
                None,
            ),
        ];
        assert_table(school, NewSchool::validate, cases);
    }

    #[test]
    fn schools_need_a_kind_a_district_and_a_station() {
        let cases: &[Case<NewSchool>] = &[
            ("no kind", |s| s.kind = None, "kind", Some(Required)),
            (
                "no district",
                |s| s.district_id = None,
                "district_id",
                Some(Required),
            ),
            (
                "no station",
                |s| s.station_id = None,
                "station_id",
                Some(Required),
            ),
        ];
        assert_table(school, NewSchool::validate, cases);
    }

    #[test]
    fn school_years_run_from_2000_to_2100_each_at_most_once() {
        let cases: &[Case<NewSchool>] = &[
            (
                "1999",
                |s| s.enrolments[1].school_year = 1999,
                "enrolments[1].school_year",
                Some(TooSmall),
            ),
            (
                "2101",
                |s| s.enrolments[0].school_year = 2101,
                "enrolments[0].school_year",
                Some(TooLarge),
            ),
            (
                "the same year twice marks the second",
                |s| s.enrolments[1].school_year = 2024,
                "enrolments[1].school_year",
                Some(DuplicateValue),
            ),
            (
                "2000",
                |s| s.enrolments[0].school_year = 2000,
                "enrolments[0].school_year",
                None,
            ),
            (
                "2100",
                |s| s.enrolments[0].school_year = 2100,
                "enrolments[0].school_year",
                None,
            ),
            (
                "no roll on record",
                |s| s.enrolments.clear(),
                "enrolments",
                None,
            ),
        ];
        assert_table(school, NewSchool::validate, cases);
    }

    #[test]
    fn enrolled_students_are_counts() {
        let cases: &[Case<NewSchool>] = &[
            (
                "negative",
                |s| s.enrolments[1].students = -1,
                "enrolments[1].students",
                Some(Negative),
            ),
            (
                "beyond any school",
                |s| s.enrolments[0].students = crate::session::MAX_COUNT + 1,
                "enrolments[0].students",
                Some(TooLarge),
            ),
            (
                "none yet",
                |s| s.enrolments[0].students = 0,
                "enrolments[0].students",
                None,
            ),
        ];
        assert_table(school, NewSchool::validate, cases);
    }

    #[test]
    fn the_roll_that_applies_is_the_school_year_starting_in_september() {
        let rolls = school().enrolments;
        let cases = [
            ("2024-09-01", 2024, Some(1480)),
            ("2024-12-31", 2024, Some(1480)),
            ("2025-08-31", 2024, Some(1480)),
            ("2024-08-31", 2023, Some(1432)),
            ("2024-01-15", 2023, Some(1432)),
            ("2023-08-31", 2022, None),
            ("2025-09-01", 2025, None),
        ];
        for (on, school_year, roll) in cases {
            assert_eq!(school_year_of(day(on)), school_year, "{on}");
            assert_eq!(enrolment_on(&rolls, day(on)), roll, "{on}");
        }
        assert_eq!(latest_enrolment(&rolls), Some(1480));
        assert_eq!(latest_enrolment(&[]), None);
    }

    #[test]
    fn topic_codes_are_letters_digits_dashes_and_underscores() {
        let cases: &[Case<NewTopic>] = &[
            ("blank", |t| t.code = " ".into(), "code", Some(Required)),
            (
                "33 characters",
                |t| t.code = "a".repeat(33),
                "code",
                Some(TooLong),
            ),
            (
                "a space",
                |t| t.code = "mental health".into(),
                "code",
                Some(InvalidCode),
            ),
            (
                "underscore",
                |t| t.code = "mental_health".into(),
                "code",
                None,
            ),
        ];
        assert_table(topic, NewTopic::validate, cases);
    }

    #[test]
    fn topic_names_are_required_in_both_languages_and_at_most_100_characters() {
        let cases: &[Case<NewTopic>] = &[
            (
                "no Chinese",
                |t| t.name_zh = " ".into(),
                "name_zh",
                Some(Required),
            ),
            (
                "no English",
                |t| t.name_en = String::new(),
                "name_en",
                Some(Required),
            ),
            (
                "101 Chinese",
                |t| t.name_zh = "题".repeat(101),
                "name_zh",
                Some(TooLong),
            ),
            (
                "101 English",
                |t| t.name_en = "e".repeat(101),
                "name_en",
                Some(TooLong),
            ),
            (
                "100 English",
                |t| t.name_en = "e".repeat(100),
                "name_en",
                None,
            ),
        ];
        assert_table(topic, NewTopic::validate, cases);
    }

    #[test]
    fn topic_sort_orders_run_from_0_to_10000() {
        let cases: &[Case<NewTopic>] = &[
            (
                "negative",
                |t| t.sort_order = -5,
                "sort_order",
                Some(TooSmall),
            ),
            (
                "10001",
                |t| t.sort_order = 10_001,
                "sort_order",
                Some(TooLarge),
            ),
            ("10000", |t| t.sort_order = 10_000, "sort_order", None),
        ];
        assert_table(topic, NewTopic::validate, cases);
    }

    #[test]
    fn campaign_names_are_required_and_at_most_100_characters() {
        let cases: &[Case<NewCampaign>] = &[
            ("blank", |c| c.name = "  ".into(), "name", Some(Required)),
            (
                "101 characters",
                |c| c.name = "动".repeat(101),
                "name",
                Some(TooLong),
            ),
            (
                "100 characters",
                |c| c.name = "动".repeat(100),
                "name",
                None,
            ),
        ];
        assert_table(campaign, NewCampaign::validate, cases);
    }

    #[test]
    fn campaign_years_run_from_2000_to_2100() {
        let cases: &[Case<NewCampaign>] = &[
            ("no year", |c| c.year = None, "year", Some(Required)),
            ("1999", |c| c.year = Some(1999), "year", Some(TooSmall)),
            ("2101", |c| c.year = Some(2101), "year", Some(TooLarge)),
        ];
        assert_table(campaign, NewCampaign::validate, cases);
    }

    #[test]
    fn a_campaign_starts_in_its_year() {
        let cases: &[Case<NewCampaign>] = &[
            (
                "no start",
                |c| c.starts_on = " ".into(),
                "starts_on",
                Some(Required),
            ),
            (
                "bad start",
                |c| c.starts_on = "2024-02-30".into(),
                "starts_on",
                Some(InvalidDate),
            ),
            (
                "starts the year before",
                |c| c.starts_on = "2023-12-31".into(),
                "starts_on",
                Some(YearMismatch),
            ),
            (
                "starts late in its year and ends the next",
                |c| {
                    c.starts_on = "2024-09-01".into();
                    c.ends_on = "2025-06-30".into()
                },
                "starts_on",
                None,
            ),
        ];
        assert_table(campaign, NewCampaign::validate, cases);
    }

    #[test]
    fn a_campaign_ends_after_it_starts_and_within_366_days() {
        let cases: &[Case<NewCampaign>] = &[
            (
                "no end",
                |c| c.ends_on = String::new(),
                "ends_on",
                Some(Required),
            ),
            (
                "bad end",
                |c| c.ends_on = "2024/12/31".into(),
                "ends_on",
                Some(InvalidDate),
            ),
            (
                "ends before it starts",
                |c| c.ends_on = "2023-12-31".into(),
                "ends_on",
                Some(EndsBeforeStart),
            ),
            (
                "367 days",
                |c| c.ends_on = "2025-01-01".into(),
                "ends_on",
                Some(PeriodTooLong),
            ),
            (
                "one day",
                |c| c.ends_on = "2024-01-01".into(),
                "ends_on",
                None,
            ),
            (
                "366 days in a leap year",
                |c| c.ends_on = "2024-12-31".into(),
                "ends_on",
                None,
            ),
        ];
        assert_table(campaign, NewCampaign::validate, cases);
    }

    #[test]
    fn campaign_topics_may_be_left_out_but_not_repeated() {
        let cases: &[Case<NewCampaign>] = &[
            ("none", |c| c.topic_ids.clear(), "topic_ids", None),
            (
                "twice",
                |c| c.topic_ids = vec![4, 5, 4],
                "topic_ids",
                Some(DuplicateTopic),
            ),
        ];
        assert_table(campaign, NewCampaign::validate, cases);
    }

    #[test]
    fn campaign_targets_run_from_0_to_ten_million() {
        let cases: &[Case<NewCampaign>] = &[
            (
                "no targets",
                |c| c.targets = Targets::default(),
                "targets",
                None,
            ),
            (
                "negative sessions",
                |c| c.targets.sessions = -1,
                "targets.sessions",
                Some(Negative),
            ),
            (
                "too many schools",
                |c| c.targets.schools = MAX_TARGET + 1,
                "targets.schools",
                Some(TooLarge),
            ),
            (
                "ten million",
                |c| c.targets.audience = MAX_TARGET,
                "targets.audience",
                None,
            ),
        ];
        assert_table(campaign, NewCampaign::validate, cases);
    }

    #[test]
    fn the_current_campaign_is_the_running_one_else_the_latest() {
        let of = |id, year: i32| Campaign {
            id,
            name: format!("{year}"),
            year,
            starts_on: NaiveDate::from_ymd_opt(year, 1, 1).unwrap(),
            ends_on: NaiveDate::from_ymd_opt(year, 12, 31).unwrap(),
            topic_ids: vec![],
            targets: Targets::default(),
            version: 1,
        };
        let all = [of(2, 2023), of(3, 2024), of(1, 2022)];
        let current = |on| Campaign::current(&all, day(on)).map(|c| c.id);
        assert_eq!(current("2023-06-01"), Some(2));
        assert_eq!(current("2026-01-01"), Some(3));
        assert_eq!(Campaign::current(&[], day("2024-01-01")), None);
    }

    #[test]
    fn wire_forms_tolerate_missing_fields_and_kinds_round_trip() {
        let sparse: NewSchool = serde_json::from_str(r#"{"kind":"nine_year"}"#).unwrap();
        assert_eq!(sparse.kind, Some(SchoolKind::NineYear));
        let sparse: NewCampaign = serde_json::from_str(r#"{"targets":{"schools":855}}"#).unwrap();
        assert_eq!(sparse.targets.schools, 855);
        assert_eq!(sparse.targets.sessions, 0);
        for kind in SchoolKind::ALL {
            assert_eq!(SchoolKind::from_code(kind.code()), Some(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.code()));
        }
    }
}
