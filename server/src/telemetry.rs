//! Logging, set up once per process. `RUST_LOG` picks what is shown; `--log-format json`
//! writes one JSON object a line, for a log collector.
//!
//! Request logs carry method, route template, status and the request's id only: never
//! bodies, cookies or query values that might hold a child's details.

use actix_web::HttpMessage as _;
use clap::{Args, ValueEnum};
use tracing_subscriber::EnvFilter;

use crate::ops::request::RequestId;

/// How log lines are written; a flag of every command.
#[derive(Debug, Clone, Args)]
pub struct LogArgs {
    /// `text` for people, `json` (one object a line) for a log collector.
    #[arg(long, env = "HUMIAO_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

pub fn init(args: &LogArgs) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,actix_server=warn"));
    // A second call (several servers in one test process) keeps the first subscriber.
    let _ = match args.log_format {
        LogFormat::Text => tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_target(false)
            .try_init(),
        // The request span's fields (method, route, status, request_id) beside each line's
        // own; the event's fields at the top level, where collectors look for `message`.
        LogFormat::Json => tracing_subscriber::fmt()
            .json()
            .with_env_filter(filter)
            .with_target(false)
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
}

/// The request span: method, route template, request id and status only. The default span of
/// tracing-actix-web also records the full target (with the query string), the client's
/// address and user agent; none of that is needed to run the service, and a query string
/// could carry what a user typed.
pub struct RequestSpan;

impl tracing_actix_web::RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &actix_web::dev::ServiceRequest) -> tracing::Span {
        let route = request.match_pattern().unwrap_or_else(|| "-".into());
        // Set by `ops::request::observe`, which runs first.
        let id = request
            .extensions()
            .get::<RequestId>()
            .map(|id| id.0.clone())
            .unwrap_or_default();
        tracing::info_span!(
            "request",
            method = %request.method(),
            route = %route,
            request_id = %id,
            status = tracing::field::Empty,
        )
    }

    fn on_request_end<B: actix_web::body::MessageBody>(
        span: tracing::Span,
        outcome: &Result<actix_web::dev::ServiceResponse<B>, actix_web::Error>,
    ) {
        let status = match outcome {
            Ok(response) => response.status(),
            Err(error) => error.as_response_error().status_code(),
        };
        span.record("status", status.as_u16());
    }
}
