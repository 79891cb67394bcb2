//! Humiao's domain, shared by the server (native) and the browser (WASM).
//!
//! Everything here is pure: no I/O, no clock. The same validation runs in the form before
//! sending and in the API before storing, so a user sees the same message in both places.

pub mod charts;
pub mod error;
pub mod i18n;
pub mod org;
pub mod session;

/// Audience and reach figures shown to leaders.
pub mod reach;

pub use error::{ErrorBody, FieldCode, FieldError};
pub use i18n::Lang;

/// Health report served at `GET /api/health`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Health {
    pub status: String,
    /// `sqlite` or `postgres`.
    pub database: String,
    pub version: String,
    /// True while the database holds the generated demonstration data.
    pub demo: bool,
}
