//! The integration suite, one test binary: each module is one area of the product, and
//! one binary links the server once instead of once per area (29 links of ~100 MB each
//! made a change to the server cost minutes on 2 cores).

mod access;
mod aggregates;
mod api_document;
mod auth;
mod backup;
mod browser;
mod charts;
mod check;
mod city_scope;
mod dashboard;
mod demo;
mod dist;
mod duplicates;
mod edits;
mod export;
mod gen;
mod graceful_stop;
mod health;
mod hostile_imports;
mod hostile_input;
mod idempotency;
mod import;
mod import_as_kept;
mod journeys;
mod kept_figures;
mod links;
mod observability;
mod offline_app;
mod outage;
mod processes;
mod proxies;
mod reads;
mod records;
mod report;
mod report_pdf;
mod rollups;
mod schema;
mod scope_filters;
mod session_edits;
mod sessions;
mod settings;
mod suppression;
mod upgrade;
mod users;
