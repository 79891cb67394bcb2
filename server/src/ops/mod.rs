//! Running the server in production: how it reports on itself (`/metrics`, request ids) and
//! how it stops (SIGTERM). Its settings are [`OpsArgs`], flattened into `serve`'s.

pub mod metrics;
pub mod request;
pub mod shutdown;

use std::net::SocketAddr;

use actix_web::dev::Server;
use clap::Args;

use self::metrics::{Exporter, OnMain};
use self::shutdown::Stop;
use crate::db::writer::SessionWriter;
use crate::db::Db;
use crate::import::gate::ImportGate;

/// Monitoring and stopping. `/metrics` is off unless one of the two metrics flags is given.
#[derive(Clone, Args)]
pub struct OpsArgs {
    /// Serve `/metrics` (Prometheus text format) on this address and port as well, with no
    /// token: for a monitoring network the public never reaches, e.g. `127.0.0.1:9090`.
    #[arg(long, env = "HUMIAO_METRICS_BIND")]
    pub metrics_bind: Option<String>,

    /// Serve `/metrics` on the main address to requests that carry
    /// `Authorization: Bearer TOKEN`; others get 401.
    #[arg(long, env = "HUMIAO_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,

    /// On SIGTERM or SIGINT, how long requests in flight may take to finish, in seconds;
    /// past it, their connections are closed.
    #[arg(long, env = "HUMIAO_SHUTDOWN_TIMEOUT_SECS", default_value_t = shutdown::DEFAULT_TIMEOUT_SECS)]
    pub shutdown_timeout_secs: u64,

    /// Also take `http://127.0.0.1…` and `http://localhost…` as a district's WeCom webhook
    /// (a relay on this machine); any other must be https.
    #[arg(long, env = "HUMIAO_WECOM_ALLOW_LOCAL_HTTP")]
    pub wecom_allow_local_http: bool,

    /// The hour of the day (China time, 0–23) from which each district's daily WeCom
    /// digest is posted.
    #[arg(long, env = "HUMIAO_WECOM_DIGEST_HOUR", default_value_t = 9)]
    pub wecom_digest_hour: u32,

    /// How long to wait before trying a failed WeCom post again, in milliseconds; doubled
    /// before the third and last try.
    #[arg(long, env = "HUMIAO_WECOM_RETRY_MS", default_value_t = 2000)]
    pub wecom_retry_ms: u64,
}

/// Without the token: settings may be printed, a secret may not.
impl std::fmt::Debug for OpsArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpsArgs")
            .field("metrics_bind", &self.metrics_bind)
            .field("metrics_token", &self.metrics_token.as_ref().map(|_| "…"))
            .field("shutdown_timeout_secs", &self.shutdown_timeout_secs)
            .field("wecom_allow_local_http", &self.wecom_allow_local_http)
            .field("wecom_digest_hour", &self.wecom_digest_hour)
            .field("wecom_retry_ms", &self.wecom_retry_ms)
            .finish()
    }
}

impl OpsArgs {
    /// Whether anything serves `/metrics`, so whether to record at all.
    pub fn metrics_enabled(&self) -> bool {
        self.metrics_bind.is_some() || self.metrics_token.is_some()
    }
}

impl Default for OpsArgs {
    /// As with no flags: no `/metrics`, the default time limit on stopping.
    fn default() -> Self {
        OpsArgs {
            metrics_bind: None,
            metrics_token: None,
            shutdown_timeout_secs: shutdown::DEFAULT_TIMEOUT_SECS,
            wecom_allow_local_http: false,
            wecom_digest_hour: 9,
            wecom_retry_ms: 2000,
        }
    }
}

/// What `Application::build` gets from here.
pub struct Started {
    /// Resolves at SIGTERM or SIGINT: the main listener's shutdown signal.
    pub stop: Stop,
    /// What `/metrics` answers on the main listener.
    pub on_main: OnMain,
    /// `--metrics-bind`'s listener, and where it listens.
    pub metrics: Option<(Server, SocketAddr)>,
}

/// Listens for the stop signals, installs the metrics recorder when `/metrics` is served,
/// and starts `--metrics-bind`'s listener.
pub fn start(
    args: &OpsArgs,
    db: &Db,
    writer: &SessionWriter,
    gate: &ImportGate,
) -> anyhow::Result<Started> {
    use anyhow::Context as _;
    let stop = Stop::on_signals().context("cannot listen for SIGTERM and SIGINT")?;
    let exporter = if args.metrics_enabled() {
        Some(Exporter::new(db.clone(), writer.clone(), gate.clone())?)
    } else {
        None
    };
    let on_main = OnMain::new(args.metrics_token.as_deref(), exporter.as_ref());
    let metrics = match (&args.metrics_bind, exporter) {
        (Some(bind), Some(exporter)) => Some(self::metrics::serve_apart(
            bind,
            exporter,
            Box::pin(stop.asked()),
        )?),
        _ => None,
    };
    Ok(Started {
        stop,
        on_main,
        metrics,
    })
}
