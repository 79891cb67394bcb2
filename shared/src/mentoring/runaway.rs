//! Runaway and missing-youth calls (出走失联警情): a station's 110 calls about a youth who
//! ran away or went missing, when the youth was found or came back, and the follow-up
//! visits after; overdue when not followed up within the setting's days (default 7). A
//! station record, read like outcome values; optionally linked to a case.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::past_day;
use crate::error::{FieldCode, FieldErrors};
use crate::i18n::Text;
use crate::record::{words, Described, Field, FieldKind, RecordKind};
use crate::rules;

/// A call as the API answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunawayCall {
    pub id: i64,
    pub station_id: i64,
    /// `YYYY-MM-DDTHH:MM`, China time.
    pub called_at: String,
    pub found_at: Option<String>,
    pub case_id: Option<i64>,
    /// The days of the follow-up visits, earliest first.
    pub follow_ups: Vec<String>,
    /// Not followed up within the setting's days of the call, and that time has passed.
    pub overdue: bool,
    pub version: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewRunawayCall {
    pub station_id: Option<i64>,
    /// `YYYY-MM-DDTHH:MM`, not in the future.
    pub called_at: String,
    /// When the youth was found or came back; not before the call.
    pub found_at: Option<String>,
    /// A case of the same station, when the youth is one.
    pub case_id: Option<i64>,
    /// Days of follow-up visits, on or after the call's day, not after today; at most 31.
    pub follow_ups: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRunawayCall {
    pub station_id: i64,
    pub called_at: NaiveDateTime,
    pub found_at: Option<NaiveDateTime>,
    pub case_id: Option<i64>,
    pub follow_ups: Vec<NaiveDate>,
}

/// The form every time of a call is written in.
pub const TIME_FORMAT: &str = "%Y-%m-%dT%H:%M";

fn time(text: &str, now: NaiveDateTime) -> Result<NaiveDateTime, FieldCode> {
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldCode::Required);
    }
    let t = NaiveDateTime::parse_from_str(text, TIME_FORMAT).map_err(|_| FieldCode::InvalidDate)?;
    if t > now {
        Err(FieldCode::DateInFuture)
    } else {
        Ok(t)
    }
}

impl NewRunawayCall {
    /// `now`: China's local time.
    pub fn validate(&self, now: NaiveDateTime) -> Result<ValidRunawayCall, FieldErrors> {
        let mut errors = FieldErrors::default();
        let station_id = errors.check("station_id", rules::required(self.station_id));
        let called_at = errors.check("called_at", time(&self.called_at, now));
        let found_at = errors
            .check(
                "found_at",
                match self
                    .found_at
                    .as_deref()
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                {
                    None => Ok(None),
                    Some(t) => time(t, now).and_then(|f| match called_at {
                        Some(c) if f < c => Err(FieldCode::EndsBeforeStart),
                        _ => Ok(Some(f)),
                    }),
                },
            )
            .flatten();
        let mut follow_ups = Vec::new();
        if errors
            .check("follow_ups", rules::at_most(&self.follow_ups, 31))
            .is_some()
        {
            for (i, text) in self.follow_ups.iter().enumerate() {
                let field = format!("follow_ups[{i}]");
                let day = past_day(text, now.date()).and_then(|d| match called_at {
                    Some(c) if d < c.date() => Err(FieldCode::EndsBeforeStart),
                    _ => Ok(d),
                });
                if let Some(day) = errors.check(field, day) {
                    follow_ups.push(day);
                }
            }
        }
        follow_ups.sort_unstable();
        follow_ups.dedup();
        match (station_id, called_at) {
            (Some(station_id), Some(called_at)) if errors.is_empty() => Ok(ValidRunawayCall {
                station_id,
                called_at,
                found_at,
                case_id: self.case_id,
                follow_ups,
            }),
            _ => Err(errors),
        }
    }
}

const TIME_HINT: Text = Text::new("如 2024-10-01T21:30", "e.g. 2024-10-01T21:30");
pub const CALLED_AT: Field = Field::new(
    "called_at",
    Text::new("接警时间", "Called at"),
    FieldKind::Text,
)
.required()
.hint(TIME_HINT);
pub const FOUND_AT: Field = Field::new(
    "found_at",
    Text::new("找回时间", "Found at"),
    FieldKind::Text,
)
.hint(TIME_HINT);
pub const CASE_ID: Field = Field::new(
    "case_id",
    Text::new("帮教对象", "Case"),
    FieldKind::Ref("cases"),
)
.hint(words::MAY_BE_BLANK);
pub const FOLLOW_UPS: Field = Field::new(
    "follow_ups",
    Text::new("回访日期", "Follow-up visits"),
    FieldKind::Dates,
);

impl Described for NewRunawayCall {
    const KIND: &'static RecordKind = &RecordKind {
        collection: "runaway_calls",
        title: Text::new("出走失联警情", "Runaway calls"),
        fields: &[
            crate::org::STATION_ID,
            CALLED_AT,
            FOUND_AT,
            CASE_ID,
            FOLLOW_UPS,
        ],
        computed: &["id", "overdue", "version"],
        natural_key: &["station_id", "called_at"],
        export: Some(&crate::columns::RUNAWAY_CALLS),
        import: None,
    };

    fn example() -> Self {
        NewRunawayCall {
            station_id: Some(1),
            called_at: "2024-10-01T21:30".into(),
            found_at: Some("2024-10-02T06:10".into()),
            case_id: None,
            follow_ups: vec!["2024-10-05".into()],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::table::{assert_table, Case};
    use FieldCode::*;

    fn validate(c: &NewRunawayCall) -> Result<ValidRunawayCall, FieldErrors> {
        let now = NaiveDateTime::parse_from_str("2024-12-30T12:00", TIME_FORMAT).unwrap();
        c.validate(now)
    }

    #[test]
    fn a_call_is_timed_and_followed_up_after_it() {
        let cases: &[Case<NewRunawayCall>] = &[
            (
                "no time",
                |c| c.called_at = String::new(),
                "called_at",
                Some(Required),
            ),
            (
                "a day only",
                |c| c.called_at = "2024-10-01".into(),
                "called_at",
                Some(InvalidDate),
            ),
            (
                "found before the call",
                |c| c.found_at = Some("2024-10-01T20:00".into()),
                "found_at",
                Some(EndsBeforeStart),
            ),
            (
                "a visit before the call",
                |c| c.follow_ups = vec!["2024-09-30".into()],
                "follow_ups[0]",
                Some(EndsBeforeStart),
            ),
            (
                "a visit tomorrow",
                |c| c.follow_ups = vec!["2024-12-31".into()],
                "follow_ups[0]",
                Some(DateInFuture),
            ),
            ("not found yet", |c| c.found_at = None, "found_at", None),
        ];
        assert_table(NewRunawayCall::example, validate, cases);
    }
}
