//! The organisation and the reference data officers pick from: districts, stations,
//! schools, topics and campaigns, as the API serves them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A district branch (分局) of the city bureau.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct District {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// A police station (派出所); each has a care workstation (关爱工作站).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Station {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub district_id: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SchoolKind {
    Primary,
    Junior,
    NineYear,
    Senior,
    Vocational,
    Special,
    Other,
}

impl SchoolKind {
    pub const ALL: [SchoolKind; 7] = [
        SchoolKind::Primary,
        SchoolKind::Junior,
        SchoolKind::NineYear,
        SchoolKind::Senior,
        SchoolKind::Vocational,
        SchoolKind::Special,
        SchoolKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SchoolKind::Primary => "primary",
            SchoolKind::Junior => "junior",
            SchoolKind::NineYear => "nine_year",
            SchoolKind::Senior => "senior",
            SchoolKind::Vocational => "vocational",
            SchoolKind::Special => "special",
            SchoolKind::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<SchoolKind> {
        SchoolKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            SchoolKind::Primary => "小学",
            SchoolKind::Junior => "初中",
            SchoolKind::NineYear => "九年一贯制",
            SchoolKind::Senior => "高中",
            SchoolKind::Vocational => "中职",
            SchoolKind::Special => "特殊教育",
            SchoolKind::Other => "其他",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct School {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: SchoolKind,
    pub district_id: i64,
    pub station_id: i64,
    /// Students on the roll in the latest school year on record.
    pub enrolment: i64,
}

/// A topic of the campaign (宣防主题), kept as data so administrators can add one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

/// A yearly campaign (警心护苗集中宣防行动) and its window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Campaign {
    pub id: i64,
    pub name: String,
    pub year: i32,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

impl Campaign {
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.starts_on <= day && day <= self.ends_on
    }

    /// The campaign a new entry goes to by default: the one running on `today`, else the
    /// latest. `campaigns` may be in any order.
    pub fn current(campaigns: &[Campaign], today: NaiveDate) -> Option<&Campaign> {
        campaigns
            .iter()
            .filter(|c| c.contains(today))
            .max_by_key(|c| c.starts_on)
            .or_else(|| campaigns.iter().max_by_key(|c| c.starts_on))
    }
}
