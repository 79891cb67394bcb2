//! The campaign's calendar: what day it is in China, wherever the clock that asks runs.
//!
//! The campaign is run in Changzhou, on China Standard Time (UTC+8, no daylight saving).
//! "Today" decides what counts as a date in the future and which campaign is running, so
//! the browser (whose device may be set to any zone) and the server (which may run in UTC)
//! must agree on it: both call [`campaign_today`] with the instant their clock gives.
//! `shared` reads no clock itself; the caller passes `now`.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// China Standard Time's offset from UTC, in seconds.
const CHINA_OFFSET_SECONDS: i32 = 8 * 3600;

/// The date in China at the instant `now`.
pub fn campaign_today(now: DateTime<Utc>) -> NaiveDate {
    // A constant within range: `east_opt` only refuses offsets of a day or more.
    let china = FixedOffset::east_opt(CHINA_OFFSET_SECONDS).expect("UTC+8 is a valid offset");
    now.with_timezone(&china).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("a valid instant")
            .with_timezone(&Utc)
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a valid date")
    }

    #[test]
    fn the_day_turns_at_midnight_in_china_which_is_four_in_the_afternoon_utc() {
        let cases = [
            ("2024-07-24T00:00:00Z", "2024-07-24"),
            ("2024-07-24T15:59:59Z", "2024-07-24"),
            ("2024-07-24T16:00:00Z", "2024-07-25"),
            ("2024-07-24T23:59:59Z", "2024-07-25"),
            // The year turns in China eight hours before it does in UTC.
            ("2024-12-31T15:59:59Z", "2024-12-31"),
            ("2024-12-31T16:00:00Z", "2025-01-01"),
            // A device set to another zone asks with the same instant.
            ("2024-07-24T09:30:00-07:00", "2024-07-25"),
        ];
        for (now, want) in cases {
            assert_eq!(campaign_today(at(now)), day(want), "{now}");
        }
    }
}
