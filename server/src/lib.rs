//! Humiao's server: configuration, start-up, storage, and the HTTP routes.

pub mod aggregates;
pub mod auth;
pub mod backup;
pub mod check;
pub mod clock;
pub mod configuration;
pub mod db;
pub mod demo;
pub mod error;
pub mod export;
pub mod extract;
pub mod gen;
pub mod import;
pub mod mount;
pub mod openapi;
/// Monitoring and stopping: `/metrics`, request ids, SIGTERM.
pub mod ops;
pub mod proxy;
pub mod records;
/// Every kind of record in one list: routes, API document and imports follow from it.
pub mod registry;
pub mod report;
pub mod returns;
pub mod rollups;
pub mod routes;
pub mod site;
pub mod startup;
pub mod telemetry;
pub mod token;
pub mod users;
pub mod viewer;
