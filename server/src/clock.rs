//! The date in the campaign's time zone, from the server's clock.

use chrono::{NaiveDate, Utc};

/// Today in China Standard Time, which decides what counts as "in the future" whatever zone
/// the server runs in. The rule is shared with the browser: see
/// [`humiao_shared::campaign_today`].
pub fn today() -> NaiveDate {
    humiao_shared::campaign_today(Utc::now())
}
