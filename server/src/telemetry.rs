//! Logging, set up once per process. `RUST_LOG` picks what is shown.
//!
//! Request logs carry method, path and status only: never bodies, cookies or query values
//! that might hold a child's details.

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,actix_server=warn"));
    // A second call (several servers in one test process) keeps the first subscriber.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .try_init();
}
