//! Schools' links (学校确认链接): an administrator issues one per school and campaign, printed
//! as a QR code, so that a school confirms its screenings without a password. A link expires,
//! can be revoked, and is replaced when a new one is issued for the same school and campaign.
//!
//! The secret a link carries is shown once, when it is issued; the server keeps only its hash.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{FieldCode, FieldErrors};
use crate::rules;

/// How long a link works when the request does not say: a school year and a little more.
pub const DEFAULT_DAYS_VALID: i64 = 180;
/// At most a year (a leap one included): a campaign runs one year.
pub const MAX_DAYS_VALID: i64 = 366;
/// More than every school in the province: a longer list is a mistake.
pub const MAX_SCHOOLS: usize = 10_000;

/// `POST /api/v1/links`: issue links for some schools, or every school, for one campaign.
/// Each school's earlier links for the campaign are revoked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewLinks {
    pub campaign_id: Option<i64>,
    /// The schools, each once; left out, every school that is not deleted.
    pub school_ids: Option<Vec<i64>>,
    /// Days until the links expire, 1–366; 180 when left out.
    pub days_valid: Option<i64>,
}

/// Links to issue, having passed every rule that needs no database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidLinks {
    pub campaign_id: i64,
    /// `None`: every school.
    pub school_ids: Option<Vec<i64>>,
    pub days_valid: i64,
}

impl NewLinks {
    pub fn validate(&self) -> Result<ValidLinks, FieldErrors> {
        let mut errors = FieldErrors::default();
        let campaign_id = errors.check("campaign_id", rules::required(self.campaign_id));
        let school_ids = match &self.school_ids {
            None => Some(None),
            Some(ids) => errors
                .check(
                    "school_ids",
                    rules::chosen(ids, MAX_SCHOOLS, FieldCode::DuplicateValue),
                )
                .map(Some),
        };
        let days_valid = errors.check(
            "days_valid",
            rules::within(
                self.days_valid.unwrap_or(DEFAULT_DAYS_VALID),
                1,
                MAX_DAYS_VALID,
            ),
        );
        match (campaign_id, school_ids, days_valid) {
            (Some(campaign_id), Some(school_ids), Some(days_valid)) if errors.is_empty() => {
                Ok(ValidLinks {
                    campaign_id,
                    school_ids,
                    days_valid,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A link just issued: the only time its address, with the secret, is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedLink {
    pub id: i64,
    pub school_id: i64,
    /// The school's name.
    pub school: String,
    pub campaign_id: i64,
    pub expires_at: DateTime<Utc>,
    /// The address to give the school (`{origin}/s#{secret}`); the secret is not stored, so
    /// it cannot be shown again.
    pub url: String,
}

/// Where a link stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LinkState {
    /// Opens a session for its school.
    Active,
    Expired,
    /// Revoked by hand, or replaced by a newer link for the same school and campaign.
    Revoked,
}

impl LinkState {
    /// A revoked link says so even once it would have expired: that is what happened to it.
    pub fn of(expires_at: DateTime<Utc>, revoked: bool, now: DateTime<Utc>) -> LinkState {
        if revoked {
            LinkState::Revoked
        } else if expires_at <= now {
            LinkState::Expired
        } else {
            LinkState::Active
        }
    }

    /// The state as the stored code (`active`, `expired`, `revoked`), as the API writes it.
    pub fn code(self) -> &'static str {
        match self {
            LinkState::Active => "active",
            LinkState::Expired => "expired",
            LinkState::Revoked => "revoked",
        }
    }

    /// The state as pages and exports name it.
    pub fn label(self, lang: crate::Lang) -> &'static str {
        let (zh, en) = match self {
            LinkState::Active => ("生效", "active"),
            LinkState::Expired => ("已过期", "expired"),
            LinkState::Revoked => ("已作废", "revoked"),
        };
        lang.pick(zh, en)
    }

    pub fn from_code(code: &str) -> Option<LinkState> {
        [LinkState::Active, LinkState::Expired, LinkState::Revoked]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// `POST /api/v1/links/preview`: what the same body sent to `POST /api/v1/links` would do,
/// worked out without changing anything, so a page can ask before it issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinksPreview {
    /// Schools that would get a new link.
    pub schools: i64,
    /// Links in use (neither revoked nor expired) that issuing would revoke.
    pub revokes: i64,
}

impl LinksPreview {
    /// What the page asks before issuing: `将为 857 所学校重新生成链接，旧链接 857 个将作废`.
    pub fn question(&self, lang: crate::Lang) -> String {
        let LinksPreview { schools, revokes } = *self;
        match lang {
            crate::Lang::Zh if revokes > 0 => format!(
                "将为 {schools} 所学校重新生成链接，旧链接 {revokes} 个将作废（已发出的二维码随即失效）。"
            ),
            crate::Lang::Zh => format!("将为 {schools} 所学校生成链接，没有旧链接需要作废。"),
            crate::Lang::En if revokes > 0 => format!(
                "This issues new links to {schools} schools and revokes {revokes} links in use \
                 (QR codes already handed out stop working)."
            ),
            crate::Lang::En => {
                format!("This issues links to {schools} schools; no link in use is revoked.")
            }
        }
    }
}

/// A stored link, as `GET /api/v1/links` lists it (without its secret, which is not kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SchoolLink {
    pub id: i64,
    pub school_id: i64,
    /// The school's name.
    pub school: String,
    /// The school's code, as the bureau numbers it.
    #[serde(default)]
    pub school_code: String,
    pub campaign_id: i64,
    /// The campaign's name.
    #[serde(default)]
    pub campaign: String,
    pub expires_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    /// The administrator who issued it.
    pub created_by: String,
    pub revoked_at: Option<DateTime<Utc>>,
    pub state: LinkState,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::table::{assert_table, Case};

    fn valid() -> NewLinks {
        NewLinks {
            campaign_id: Some(3),
            school_ids: Some(vec![1, 2]),
            days_valid: Some(30),
        }
    }

    #[test]
    fn the_question_before_issuing_says_how_many_links_in_use_it_revokes() {
        let all = LinksPreview {
            schools: 857,
            revokes: 857,
        };
        assert!(all
            .question(crate::Lang::Zh)
            .starts_with("将为 857 所学校重新生成链接，旧链接 857 个将作废"));
        let fresh = LinksPreview {
            schools: 3,
            revokes: 0,
        };
        assert_eq!(
            fresh.question(crate::Lang::Zh),
            "将为 3 所学校生成链接，没有旧链接需要作废。"
        );
        assert!(fresh.question(crate::Lang::En).contains("no link in use"));
    }

    #[test]
    fn states_read_in_chinese_and_round_trip_their_codes() {
        let labels: Vec<&str> = [LinkState::Active, LinkState::Expired, LinkState::Revoked]
            .into_iter()
            .map(|s| {
                assert_eq!(LinkState::from_code(s.code()), Some(s));
                s.label(crate::Lang::Zh)
            })
            .collect();
        assert_eq!(labels, ["生效", "已过期", "已作废"]);
        assert_eq!(LinkState::from_code("Active"), None);
    }

    #[test]
    fn a_request_for_links_names_a_campaign_distinct_schools_and_up_to_a_year() {
        let cases: &[Case<NewLinks>] = &[
            ("as sent", |_| {}, "", None),
            ("every school", |l| l.school_ids = None, "", None),
            ("the default term", |l| l.days_valid = None, "", None),
            ("one day", |l| l.days_valid = Some(1), "", None),
            ("a leap year", |l| l.days_valid = Some(366), "", None),
            (
                "no campaign",
                |l| l.campaign_id = None,
                "campaign_id",
                Some(FieldCode::Required),
            ),
            (
                "an empty list",
                |l| l.school_ids = Some(vec![]),
                "school_ids",
                Some(FieldCode::Required),
            ),
            (
                "a school twice",
                |l| l.school_ids = Some(vec![1, 2, 1]),
                "school_ids",
                Some(FieldCode::DuplicateValue),
            ),
            (
                "too many schools",
                |l| l.school_ids = Some((0..=MAX_SCHOOLS as i64).collect()),
                "school_ids",
                Some(FieldCode::TooMany),
            ),
            (
                "no days",
                |l| l.days_valid = Some(0),
                "days_valid",
                Some(FieldCode::TooSmall),
            ),
            (
                "longer than a year",
                |l| l.days_valid = Some(367),
                "days_valid",
                Some(FieldCode::TooLarge),
            ),
        ];
        assert_table(valid, NewLinks::validate, cases);
        let every = NewLinks {
            school_ids: None,
            days_valid: None,
            ..valid()
        };
        assert_eq!(
            every.validate(),
            Ok(ValidLinks {
                campaign_id: 3,
                school_ids: None,
                days_valid: DEFAULT_DAYS_VALID,
            })
        );
    }

    #[test]
    fn a_link_is_revoked_before_it_is_expired() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let now = at("2026-03-01T08:00:00Z");
        let cases = [
            (
                "tomorrow",
                at("2026-03-02T08:00:00Z"),
                false,
                LinkState::Active,
            ),
            ("this very moment", now, false, LinkState::Expired),
            (
                "yesterday",
                at("2026-02-28T08:00:00Z"),
                false,
                LinkState::Expired,
            ),
            (
                "revoked",
                at("2026-03-02T08:00:00Z"),
                true,
                LinkState::Revoked,
            ),
            (
                "revoked and expired",
                at("2026-02-28T08:00:00Z"),
                true,
                LinkState::Revoked,
            ),
        ];
        for (name, expires, revoked, state) in cases {
            assert_eq!(LinkState::of(expires, revoked, now), state, "{name}");
        }
    }
}
