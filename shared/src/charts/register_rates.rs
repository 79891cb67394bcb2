//! The leaders' charts of the mentoring registers (issue 18), drawn like the re-offence
//! rate: contacts on time (of the cases open at each month's end, the share contacted within
//! their grade's interval) and runaway calls followed up (of each month's calls, the share
//! followed up, within 7 days where the registers count it). The server computes the shares
//! (`RatePoint`, as `GET /api/v1/dashboard` states them), per station at most: never a case.

use super::reoffence_rate::rate_by_month;
use super::{ChartName, Fit};
use crate::dashboard::RatePoint;
use crate::Lang;

/// From the dashboard's `contacts_on_time`.
pub fn contacts_on_time(points: &[RatePoint], lang: Lang, fit: Fit) -> String {
    let key = lang.pick(
        "按时联系的个案 ÷ 月末在帮个案",
        "Cases contacted on time ÷ cases open at the month's end",
    );
    let axis = lang.pick("按时联系率（%）", "Contacted on time (%)");
    rate_by_month(ChartName::ContactsOnTime, key, axis, points, lang, fit)
}

/// From the dashboard's `followed_up_in_time`.
pub fn followed_up_in_time(points: &[RatePoint], lang: Lang, fit: Fit) -> String {
    let key = lang.pick(
        "已回访警情 ÷ 当月警情",
        "Calls followed up ÷ the month's calls",
    );
    let axis = lang.pick("回访率（%）", "Followed up (%)");
    rate_by_month(ChartName::FollowedUpInTime, key, axis, points, lang, fit)
}
