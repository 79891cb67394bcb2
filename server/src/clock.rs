//! The date in the campaign's time zone.

use chrono::{FixedOffset, NaiveDate, Utc};

/// Today in China Standard Time (UTC+8, no daylight saving), which decides what counts as
/// "in the future" whatever zone the server runs in.
pub fn today() -> NaiveDate {
    let china = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    Utc::now().with_timezone(&china).date_naive()
}
