//! Humiao's domain, shared by the server (native) and the browser (WASM).
//!
//! Everything here is pure: no I/O, no clock. The same validation runs in the form before
//! sending and in the API before storing, so a user sees the same message in both places.

/// Accounts, roles and the password rule.
pub mod account;
/// The figures behind the dashboards and the filters they take.
pub mod aggregate;
pub mod app;
/// China's date (UTC+8), the campaign's "today", for the browser and the server alike.
pub mod calendar;
pub mod charts;
/// Enums with a stable code per variant, declared once.
pub mod coded;
/// The columns and headers of the CSV and Excel exports.
pub mod columns;
pub mod dashboard;
/// The written definition (口径) of every figure leaders read.
pub mod definitions;
/// Outcome figures counted from the mentoring registers, and where an answer's came from.
pub mod derived;
pub mod error;
/// Films (宣教片) that schools are asked to screen.
pub mod film;
pub mod i18n;
/// Importing records from XLSX and CSV files: templates, headers, cells, the report.
pub mod import;
/// Schools' links: issued per school and campaign, printed as QR codes.
pub mod link;
/// Mentoring registers: volunteers, cases without identity, contacts, runaway calls.
pub mod mentoring;
pub mod org;
/// Outcome indicators (帮扶成效): aggregate counts per station and month.
pub mod outcome;
/// Each kind of record declared once: its fields, labels, natural key, export and import.
pub mod record;
/// Checks every record shares: text, codes, counts, id lists, periods.
pub mod rules;
/// Finding a school by part of its name, a short name, pinyin initials or its code.
pub mod school_search;
/// Screening assignments (观看任务) and the schools' confirmations (观看确认).
pub mod screening;
pub mod session;
/// Which outcome figures a non-administrator sees: small counts and whatever would give
/// them away.
pub mod suppression;
/// What each person has to do next (待办), and the reminder list for late stations.
pub mod todo;
/// Speaker trainings (宣讲员培训班) and who attended them.
pub mod training;

/// Audience and reach figures shown to leaders.
pub mod reach;
/// The annual work report: the year's figures as sentences, a table and charts.
pub mod report;
/// Monthly returns (月报): their sign-off, the locks it sets, completeness and timeliness.
pub mod returns;

pub use calendar::campaign_today;
pub use error::{ErrorBody, FieldCode, FieldError};
pub use i18n::{Lang, Text};

/// Health report served at `GET /api/health`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    pub status: String,
    /// `sqlite` or `postgres`.
    pub database: String,
    pub version: String,
    /// True while the database holds the generated demonstration data.
    pub demo: bool,
}
