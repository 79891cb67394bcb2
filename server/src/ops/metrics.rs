//! `/metrics` in Prometheus's text format.
//!
//! Counters and histograms are recorded where things happen, through the `metrics` facade
//! (a no-op until a recorder is installed, so a server without `/metrics` pays nothing);
//! levels (pool, writer queue, imports) are read when scraped. Requests are counted by
//! route template (`/api/v1/sessions/{id}`), never by path: ids in labels would make a new
//! series per record.
//!
//! The endpoint is off by default. `--metrics-bind` serves it on an address of its own;
//! `--metrics-token` serves it on the main listener to `Authorization: Bearer TOKEN`.

use std::sync::Mutex;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use anyhow::Context as _;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sha2::{Digest, Sha256};

use crate::db::writer::SessionWriter;
use crate::db::Db;
use crate::error::ApiError;
use crate::import::gate::ImportGate;

pub const REQUESTS: &str = "humiao_http_requests_total";
pub const DURATION: &str = "humiao_http_request_duration_seconds";
pub const FAILED_LOGINS: &str = "humiao_failed_logins_total";
pub const WRITER_BATCH: &str = "humiao_session_writer_batch_size";
const WRITER_QUEUE: &str = "humiao_session_writer_queue_depth";
const IMPORTS: &str = "humiao_imports_in_flight";
const POOL_SIZE: &str = "humiao_db_pool_connections";
const POOL_IDLE: &str = "humiao_db_pool_idle_connections";
const POOL_MAX: &str = "humiao_db_pool_max_connections";

/// Seconds: from a cached read (a millisecond) to the slowest report or import.
const DURATION_BUCKETS: &[f64] = &[
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];
/// Entries per commit, up to the writer's largest batch (128).
const BATCH_BUCKETS: &[f64] = &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0];

/// The process's recorder: one per process, since `metrics` records into a global one (a
/// test process that builds several servers shares it).
static RECORDER: Mutex<Option<PrometheusHandle>> = Mutex::new(None);

/// Installs the recorder on the first call; later calls return the same handle.
fn recorder() -> anyhow::Result<PrometheusHandle> {
    let mut installed = RECORDER
        .lock()
        .map_err(|_| anyhow::anyhow!("the metrics recorder's lock is poisoned"))?;
    if let Some(handle) = installed.as_ref() {
        return Ok(handle.clone());
    }
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Full(DURATION.into()), DURATION_BUCKETS)?
        .set_buckets_for_metric(Matcher::Full(WRITER_BATCH.into()), BATCH_BUCKETS)?
        .install_recorder()
        .context("cannot set up the metrics recorder")?;
    describe();
    // Histograms keep samples until upkeep folds them into their buckets; without a scrape
    // for a while they would grow.
    let upkeep = handle.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(5));
        loop {
            every.tick().await;
            upkeep.run_upkeep();
        }
    });
    *installed = Some(handle.clone());
    Ok(handle)
}

/// The `# HELP` lines.
fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
    describe_counter!(
        REQUESTS,
        "HTTP requests answered, by method, route template and status"
    );
    describe_histogram!(
        DURATION,
        Unit::Seconds,
        "Time to answer a request (until its head is sent), by method and route template"
    );
    describe_counter!(
        FAILED_LOGINS,
        "Logins refused for a wrong username or password"
    );
    describe_histogram!(
        WRITER_BATCH,
        "New sessions committed together by the session writer"
    );
    describe_gauge!(WRITER_QUEUE, "New sessions waiting for the session writer");
    describe_gauge!(IMPORTS, "Imports running now");
    describe_gauge!(POOL_SIZE, "Database connections open, idle or in use");
    describe_gauge!(POOL_IDLE, "Database connections open and idle");
    describe_gauge!(POOL_MAX, "The most database connections the pool opens");
}

/// Renders the metrics, with the levels read now.
#[derive(Clone)]
pub struct Exporter {
    handle: PrometheusHandle,
    db: Db,
    writer: SessionWriter,
    gate: ImportGate,
}

impl Exporter {
    /// Installs the recorder (once per process) and reads levels from these.
    pub fn new(db: Db, writer: SessionWriter, gate: ImportGate) -> anyhow::Result<Exporter> {
        Ok(Exporter {
            handle: recorder()?,
            db,
            writer,
            gate,
        })
    }

    fn render(&self) -> HttpResponse {
        metrics::gauge!(POOL_SIZE).set(self.db.pool.size() as f64);
        metrics::gauge!(POOL_IDLE).set(self.db.pool.num_idle() as f64);
        metrics::gauge!(POOL_MAX).set(self.db.pool.options().get_max_connections() as f64);
        metrics::gauge!(WRITER_QUEUE).set(self.writer.queued() as f64);
        metrics::gauge!(IMPORTS).set(self.gate.in_flight() as f64);
        HttpResponse::Ok()
            .content_type("text/plain; version=0.0.4; charset=utf-8")
            .body(self.handle.render())
    }
}

/// What `/metrics` on the main listener answers: 404 unless a token is set.
#[derive(Clone)]
pub struct OnMain(Option<(TokenDigest, Exporter)>);

/// A token kept as its SHA-256: comparing digests tells nothing about the token.
#[derive(Clone)]
struct TokenDigest([u8; 32]);

impl TokenDigest {
    fn of(token: &str) -> TokenDigest {
        TokenDigest(Sha256::digest(token.as_bytes()).into())
    }
}

impl OnMain {
    pub fn new(token: Option<&str>, exporter: Option<&Exporter>) -> OnMain {
        OnMain(
            token
                .zip(exporter)
                .map(|(t, e)| (TokenDigest::of(t), e.clone())),
        )
    }
}

/// Mounts `/metrics` on the main listener, before the app's fallback (which answers every
/// other GET with the web app).
pub fn configure(on_main: OnMain) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.app_data(web::Data::new(on_main))
            .route("/metrics", web::get().to(behind_token));
    }
}

async fn behind_token(
    req: HttpRequest,
    on_main: web::Data<OnMain>,
) -> Result<HttpResponse, ApiError> {
    let Some((digest, exporter)) = &on_main.0 else {
        return Err(ApiError::NotFound);
    };
    let sent = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match sent {
        Some(token) if TokenDigest::of(token.trim()).0 == digest.0 => Ok(exporter.render()),
        _ => Err(ApiError::Unauthenticated),
    }
}

/// A listener of its own serving `/metrics` to anyone who reaches it, stopping with the
/// main one.
pub fn serve_apart(
    bind: &str,
    exporter: Exporter,
    stop: std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>,
) -> anyhow::Result<(Server, std::net::SocketAddr)> {
    let listener = std::net::TcpListener::bind(bind)
        .with_context(|| format!("cannot listen for metrics on {bind}"))?;
    let address = listener.local_addr()?;
    let exporter = web::Data::new(exporter);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(exporter.clone())
            .route("/metrics", web::get().to(open))
            .default_service(web::to(|| async {
                Err::<HttpResponse, _>(ApiError::NotFound)
            }))
    })
    .workers(1)
    .shutdown_signal(stop)
    .listen(listener)?
    .run();
    Ok((server, address))
}

async fn open(exporter: web::Data<Exporter>) -> HttpResponse {
    exporter.render()
}
