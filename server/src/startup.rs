//! Builds the application from its settings: database, demo data, listener, routes.
//!
//! `Application::build` binds before it returns, so a test that asks for port 0 learns the
//! real port from `port()` and can talk to the server at once.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Compress, DefaultHeaders};
use actix_web::{web, App, HttpServer};
use anyhow::Context as _;
use tracing_actix_web::TracingLogger;

use crate::configuration::Settings;
use crate::db::writer::SessionWriter;
use crate::db::Db;
use crate::import::gate::ImportGate;
use crate::{clock, demo, error, ops, routes, telemetry};

/// Scripts and styles come only from this server; the WASM module needs
/// `wasm-unsafe-eval`; nothing may frame the app.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; \
    base-uri 'none'; frame-ancestors 'none'";

pub struct Application {
    port: u16,
    host: String,
    server: Server,
    db: Db,
    import_gate: ImportGate,
    /// Drained once the server has stopped.
    writer: SessionWriter,
    /// `--metrics-bind`'s listener, and where it listens.
    metrics: Option<(Server, std::net::SocketAddr)>,
    /// The daily WeCom digest's task, stopped with the server.
    digest: tokio::task::JoinHandle<()>,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let db = settings.database.connect().await?;
        if !settings.no_demo && demo::is_empty(&db).await? {
            demo::load(&db, clock::today()).await?;
            tracing::info!("loaded the demonstration data into the empty database");
        }
        crate::records::registers::retention::start(&db).await?;
        if !crate::db::accounts::has_admin(&db.pool).await? {
            // Said on standard output too: it is the first thing a new operator must do.
            let hint = "no administrator account yet: create one with \
                        `humiao user add --username admin --role admin` \
                        (it reads the password from standard input)";
            println!("Humiao: {hint}");
            tracing::warn!("{hint}");
        }

        let site = crate::site::SiteFiles::choose(settings.assets_dir.as_deref());
        if !site.is_built() {
            tracing::warn!(
                assets = %site.describe(),
                "the web app is not built here; `cargo run` in the repository builds and serves it"
            );
        }

        let listener = TcpListener::bind(&settings.bind)
            .with_context(|| format!("--bind {}: cannot listen there", settings.bind))?;
        let address = listener.local_addr()?;
        let db_data = web::Data::new(db.clone());
        let session_writer = SessionWriter::start(db.clone());
        let writer = web::Data::new(session_writer.clone());
        let import_limit = web::Data::new(routes::imports::ImportLimit(
            settings.import_limit_mb.saturating_mul(1024 * 1024),
        ));
        let import_limits = web::Data::new(settings.import_limits.clone());
        let import_gate = ImportGate::new(
            settings.import_limits.import_concurrency,
            std::time::Duration::from_secs(settings.import_limits.import_wait_secs),
        );
        let gate = web::Data::new(import_gate.clone());
        let proxies = web::Data::new(settings.proxies.clone());
        let digest = crate::returns::digest::Digest::new(&settings.ops)?;
        let digest_task = crate::returns::digest::spawn(db.clone(), digest.clone());
        let digest = web::Data::new(digest);
        let ops::Started {
            stop,
            on_main,
            metrics,
        } = ops::start(&settings.ops, &db, &session_writer, &import_gate)?;
        let server = HttpServer::new(move || {
            App::new()
                .wrap(from_fn(error::localize))
                .wrap(Compress::default())
                .wrap(
                    DefaultHeaders::new()
                        .add(("Cache-Control", "no-cache"))
                        .add(("X-Content-Type-Options", "nosniff"))
                        .add(("Referrer-Policy", "same-origin"))
                        .add(("Content-Security-Policy", CSP)),
                )
                .wrap(TracingLogger::<telemetry::RequestSpan>::new())
                // Outermost: the request's id is known to the log span and every layer.
                .wrap(from_fn(ops::request::observe))
                .app_data(db_data.clone())
                .app_data(writer.clone())
                .app_data(import_limit.clone())
                .app_data(import_limits.clone())
                .app_data(gate.clone())
                .app_data(proxies.clone())
                .app_data(digest.clone())
                .configure(ops::metrics::configure(on_main.clone()))
                // The API document beside the `/api` scope, before its fallback.
                .configure(crate::openapi::configure)
                .configure(routes::configure_api)
                // A page, not the API; before the app's fallback, which answers every GET.
                .configure(crate::report::configure)
                .configure(routes::configure_app(site.clone()))
        })
        .shutdown_timeout(settings.ops.shutdown_timeout_secs)
        .shutdown_signal(stop.asked())
        .listen(listener)?
        .run();

        Ok(Application {
            port: address.port(),
            host: address.ip().to_string(),
            server,
            db,
            import_gate,
            writer: session_writer,
            metrics,
            digest: digest_task,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn url(&self) -> String {
        format!("http://{}:{}", self.host, self.port)
    }

    /// The database the server uses, for tests that look behind the API.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The turns imports take, for tests that take them all.
    pub fn import_gate(&self) -> &ImportGate {
        &self.import_gate
    }

    /// Where `--metrics-bind` serves `/metrics`, if it was given.
    pub fn metrics_url(&self) -> Option<String> {
        self.metrics
            .as_ref()
            .map(|(_, address)| format!("http://{address}/metrics"))
    }

    /// Serves until SIGTERM or SIGINT, then stops gracefully (see `ops::shutdown`): every
    /// request in flight answered (within the time limit), every queued session committed
    /// and answered, the pool closed.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let metrics_server = self.metrics.map(|(server, _)| server);
        let metrics = async move {
            match metrics_server {
                Some(server) => server.await,
                None => Ok(()),
            }
        };
        let (served, metrics) = futures_util::future::join(self.server, metrics).await;
        // A digest being posted is dropped: it is posted again the next day.
        self.digest.abort();
        self.writer.drain().await;
        self.db.pool.close().await;
        tracing::info!("stopped");
        served.and(metrics)
    }
}
