//! One module per page.

pub mod dashboard;
pub mod log_session;
pub mod login;
pub mod recent;
pub mod school;
