//! Mentoring registers (帮教台账, issue 18): the volunteers (志愿者), the cases (帮教对象)
//! they and the station's officers mentor, each case's team, its contacts and events, and
//! the runaway and missing-youth calls (出走失联警情) a station follows up, and its nights of
//! care for wandering minors (夜间游荡关爱).
//!
//! A case has no identity: a code the server issues (`TN03-2024-017`), birth year, sex,
//! optional school, category and risk grade. Never a name, ID number, phone or address —
//! the station keeps the mapping on paper — and every free text passes [`free_text`].
//! Volunteers are adults: their name and phone are kept, and shown masked ([`mask_name`],
//! [`mask_phone`]) to anyone outside the station's officers and administrators.
//!
//! The rules of being overdue live here, with the settings they read ([`Settings`]).

pub mod case;
pub mod contact;
pub mod free_text;
pub mod night_care;
pub mod runaway;
pub mod team;
pub mod volunteer;

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

pub use free_text::free_text;

crate::coded_enum! {
    /// A case's risk grade (风险等级), from the highest.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum Grade {
        Red = "red",
        Orange = "orange",
        Yellow = "yellow",
        Green = "green",
    }
}

impl Grade {
    pub fn label(self, lang: crate::Lang) -> &'static str {
        let (zh, en) = match self {
            Grade::Red => ("红", "Red"),
            Grade::Orange => ("橙", "Orange"),
            Grade::Yellow => ("黄", "Yellow"),
            Grade::Green => ("绿", "Green"),
        };
        lang.pick(zh, en)
    }
}

crate::coded_enum! {
    /// Why a minor is a case (帮教类别).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum Category {
        Misbehaviour = "misbehaviour",
        SeriousMisbehaviour = "serious_misbehaviour",
        Offence = "offence",
        Runaway = "runaway",
        NightWandering = "night_wandering",
        Dropout = "dropout",
    }
}

impl Category {
    pub fn label(self, lang: crate::Lang) -> &'static str {
        let (zh, en) = match self {
            Category::Misbehaviour => ("不良行为", "Misbehaviour"),
            Category::SeriousMisbehaviour => ("严重不良行为", "Serious misbehaviour"),
            Category::Offence => ("涉罪", "Offence"),
            Category::Runaway => ("出走失联", "Runaway or missing"),
            Category::NightWandering => ("夜间游荡", "Night wandering"),
            Category::Dropout => ("辍学", "Dropped out of school"),
        };
        lang.pick(zh, en)
    }
}

crate::coded_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum Sex {
        Male = "male",
        Female = "female",
    }
}

impl Sex {
    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            Sex::Male => lang.pick("男", "Male"),
            Sex::Female => lang.pick("女", "Female"),
        }
    }
}

/// The settings of the registers, stored in the database (`mentoring_settings`, one row)
/// and read by every rule below; these are the defaults a new database starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Settings {
    /// Days a case of each grade may go without a contact before it is overdue.
    pub red_days: i64,
    pub orange_days: i64,
    pub yellow_days: i64,
    pub green_days: i64,
    /// Days after a runaway call within which it must be followed up.
    pub runaway_follow_up_days: i64,
    /// Years after closing that a case is reduced to what the statistics need.
    pub retention_years: i64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            red_days: 7,
            orange_days: 14,
            yellow_days: 30,
            green_days: 60,
            runaway_follow_up_days: 7,
            retention_years: 3,
        }
    }
}

impl Settings {
    /// The longest a case of `grade` may go without a contact.
    pub fn interval(&self, grade: Grade) -> Duration {
        Duration::days(match grade {
            Grade::Red => self.red_days,
            Grade::Orange => self.orange_days,
            Grade::Yellow => self.yellow_days,
            Grade::Green => self.green_days,
        })
    }

    /// The last day a case may go to without a contact: its grade's interval after its last
    /// contact (or, with none, the day it was opened). The day a volunteer's phone proposes
    /// as the next due day of a contact made on `last_contact`, and the day a case becomes
    /// overdue after (see [`Settings::case_overdue`]).
    pub fn due_on(
        &self,
        grade: Grade,
        opened_on: NaiveDate,
        last_contact: Option<NaiveDate>,
    ) -> NaiveDate {
        last_contact.map_or(opened_on, |c| c.max(opened_on)) + self.interval(grade)
    }

    /// Is an open case overdue on `today`? Its last contact (or, with none, the day it
    /// was opened) is further back than its grade's interval. A closed case never is.
    pub fn case_overdue(
        &self,
        grade: Grade,
        opened_on: NaiveDate,
        last_contact: Option<NaiveDate>,
        closed: bool,
        today: NaiveDate,
    ) -> bool {
        let since = last_contact.map_or(opened_on, |c| c.max(opened_on));
        !closed && today - since > self.interval(grade)
    }

    /// Is a runaway call overdue on `today`? Not followed up within the setting's days of
    /// the day it came in (a follow-up on the last day counts), and that time has passed.
    pub fn call_overdue(
        &self,
        called_on: NaiveDate,
        follow_ups: &[NaiveDate],
        today: NaiveDate,
    ) -> bool {
        let due = called_on + Duration::days(self.runaway_follow_up_days);
        !follow_ups.iter().any(|d| *d >= called_on && *d <= due) && today > due
    }

    /// The day before which closed cases are reduced: `retention_years` before `today`.
    pub fn reduce_closed_before(&self, today: NaiveDate) -> NaiveDate {
        let years = i32::try_from(self.retention_years).unwrap_or(3);
        today
            .with_year_back(years)
            .unwrap_or(today - Duration::days(365 * i64::from(years)))
    }
}

/// `NaiveDate` minus whole years, 29 February falling to the 28th.
trait YearBack {
    fn with_year_back(self, years: i32) -> Option<NaiveDate>;
}

impl YearBack for NaiveDate {
    fn with_year_back(self, years: i32) -> Option<NaiveDate> {
        use chrono::Datelike;
        let year = self.year() - years;
        NaiveDate::from_ymd_opt(year, self.month(), self.day())
            .or_else(|| NaiveDate::from_ymd_opt(year, self.month(), self.day() - 1))
    }
}

/// A day of a register: `YYYY-MM-DD`, not after `today`.
pub fn past_day(text: &str, today: NaiveDate) -> Result<NaiveDate, crate::error::FieldCode> {
    let day = crate::session::parse_date(text)?;
    if day > today {
        Err(crate::error::FieldCode::DateInFuture)
    } else {
        Ok(day)
    }
}

/// An optional day: blank is none.
pub fn optional_day(
    text: Option<&str>,
    today: NaiveDate,
) -> Result<Option<NaiveDate>, crate::error::FieldCode> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => past_day(t, today).map(Some),
    }
}

/// A volunteer's name as shown outside the station: the surname and a star per other
/// character (`张**`).
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        None => String::new(),
        Some(first) => std::iter::once(first).chain(chars.map(|_| '*')).collect(),
    }
}

/// A phone number as shown outside the station: the first three and last four digits
/// (`138****5678`); anything shorter is all stars.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 8 {
        return "*".repeat(chars.len());
    }
    let (head, tail) = (&chars[..3], &chars[chars.len() - 4..]);
    let stars = "*".repeat(chars.len() - 7);
    format!(
        "{}{stars}{}",
        head.iter().collect::<String>(),
        tail.iter().collect::<String>()
    )
}

/// A case's code: the station's code, the year it was opened and its number that year
/// at the station, from 1, in three digits at least (`TN03-2024-017`).
pub fn case_code(station_code: &str, year: i32, seq: i64) -> String {
    format!("{station_code}-{year}-{seq:03}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_case_is_overdue_after_its_grades_interval_without_a_contact() {
        let s = Settings::default();
        let opened = day("2024-01-01");
        // (grade, last contact, today, overdue)
        let cases = [
            (Grade::Red, Some("2024-03-01"), "2024-03-08", false),
            (Grade::Red, Some("2024-03-01"), "2024-03-09", true),
            (Grade::Orange, Some("2024-03-01"), "2024-03-15", false),
            (Grade::Orange, Some("2024-03-01"), "2024-03-16", true),
            (Grade::Yellow, Some("2024-03-01"), "2024-03-31", false),
            (Grade::Yellow, Some("2024-03-01"), "2024-04-01", true),
            (Grade::Green, Some("2024-03-01"), "2024-04-30", false),
            (Grade::Green, Some("2024-03-01"), "2024-05-01", true),
            (Grade::Red, None, "2024-01-08", false),
            (Grade::Red, None, "2024-01-09", true),
        ];
        for (grade, last, today, want) in cases {
            let got = s.case_overdue(grade, opened, last.map(day), false, day(today));
            assert_eq!(got, want, "{grade:?} last {last:?} on {today}");
        }
        assert!(!s.case_overdue(Grade::Red, opened, None, true, day("2025-01-01")));
    }

    #[test]
    fn a_case_is_due_its_grades_interval_after_its_last_contact_and_overdue_the_day_after() {
        let s = Settings::default();
        let opened = day("2024-01-01");
        let due = s.due_on(Grade::Red, opened, Some(day("2024-03-01")));
        assert_eq!(due, day("2024-03-08"));
        assert!(!s.case_overdue(Grade::Red, opened, Some(day("2024-03-01")), false, due));
        let after = due.succ_opt().unwrap();
        assert!(s.case_overdue(Grade::Red, opened, Some(day("2024-03-01")), false, after));
        // No contact yet: counted from the day it opened; a contact before it counts as then.
        assert_eq!(s.due_on(Grade::Green, opened, None), day("2024-03-01"));
        assert_eq!(
            s.due_on(Grade::Yellow, opened, Some(day("2023-12-01"))),
            day("2024-01-31")
        );
    }

    #[test]
    fn a_runaway_call_is_overdue_after_seven_days_without_a_follow_up() {
        let s = Settings::default();
        let called = day("2024-10-01");
        assert!(!s.call_overdue(called, &[], day("2024-10-08")));
        assert!(s.call_overdue(called, &[], day("2024-10-09")));
        assert!(!s.call_overdue(called, &[day("2024-10-08")], day("2024-12-01")));
        assert!(s.call_overdue(called, &[day("2024-10-09")], day("2024-12-01")));
    }

    #[test]
    fn names_and_phones_are_masked_and_codes_numbered() {
        assert_eq!(mask_name("张建国"), "张**");
        assert_eq!(mask_name("李华"), "李*");
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("0519-86661234"), "051******1234");
        assert_eq!(mask_phone("110"), "***");
        assert_eq!(case_code("TN03", 2024, 17), "TN03-2024-017");
        assert_eq!(case_code("TN03", 2024, 1017), "TN03-2024-1017");
    }

    #[test]
    fn closed_cases_are_kept_three_years_by_default() {
        let s = Settings::default();
        assert_eq!(s.reduce_closed_before(day("2027-06-30")), day("2024-06-30"));
        assert_eq!(s.reduce_closed_before(day("2028-02-29")), day("2025-02-28"));
    }
}
