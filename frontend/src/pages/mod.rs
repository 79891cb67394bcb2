//! One file per page.

pub mod admin;
pub mod dashboard;
pub mod import;
pub mod log_session;
pub mod login;
pub mod recent;
pub mod school;
pub mod sessions;
