//! The measured runs.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use humiao_server::db::aggregates::SESSIONS_BY_DISTRICT;
use humiao_server::db::Db;
use humiao_tests::database::Engine;
use humiao_tests::fixtures::{demo_refs, session_entry};
use humiao_tests::process::ServerProcess;
use humiao_tests::{signed_in, TestDatabase};

use crate::report::{DashboardRow, Latency, Report, WriteRow};
use crate::setup;
use crate::Options;

/// Requests answered with 2xx, the others, and the latencies of all of them.
struct Load {
    ok: usize,
    failed: usize,
    latencies: Vec<Duration>,
    elapsed: Duration,
}

/// Runs `clients` loops of `request` until `duration` has passed.
async fn run_load<F, Fut>(
    client: reqwest::Client,
    clients: usize,
    duration: Duration,
    request: F,
) -> Load
where
    F: Fn(reqwest::Client, usize, usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send,
{
    let request = Arc::new(request);
    let start = Instant::now();
    let deadline = start + duration;
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (request, client) = (request.clone(), client.clone());
        tasks.push(tokio::spawn(async move {
            let (mut ok, mut failed, mut latencies) = (0, 0, Vec::new());
            let mut i = 0;
            while Instant::now() < deadline {
                let sent = Instant::now();
                if request(client.clone(), c, i).await {
                    ok += 1;
                } else {
                    failed += 1;
                }
                latencies.push(sent.elapsed());
                i += 1;
            }
            (ok, failed, latencies)
        }));
    }
    let mut load = Load {
        ok: 0,
        failed: 0,
        latencies: Vec::new(),
        elapsed: Duration::ZERO,
    };
    for task in tasks {
        let (ok, failed, latencies) = task.await.expect("load task");
        load.ok += ok;
        load.failed += failed;
        load.latencies.extend(latencies);
    }
    load.elapsed = start.elapsed();
    load
}

pub async fn writes(engine: Engine, options: &Options, report: &mut Report) -> Result<()> {
    let database = TestDatabase::create_on(engine).await;
    let server = ServerProcess::start(&database.url, &database.data_dir())?;
    // Every client writes as the demo administrator, over one shared session.
    let client = signed_in(&server.url, "admin").await;
    let refs = Arc::new(demo_refs(&client, &server.url).await);
    let db = Db::connect(&database.url).await?;
    let before = count_sessions(&db).await?;

    let url = server.url.clone();
    let health = run_load(client.clone(), options.clients, Duration::from_secs(5), move |client, _, _| {
        let url = url.clone();
        async move {
            matches!(client.get(format!("{url}/api/health")).send().await, Ok(r) if r.status().is_success())
        }
    })
    .await;

    let url = server.url.clone();
    let writes = run_load(
        client.clone(),
        options.clients,
        Duration::from_secs(options.write_secs),
        move |client, c, i| {
            let (url, entry) = (url.clone(), session_entry(&refs, &format!("bench {c}/{i}")));
            async move {
                matches!(
                    client.post(format!("{url}/api/v1/sessions")).json(&entry).send().await,
                    Ok(r) if r.status().as_u16() == 201
                )
            }
        },
    )
    .await;
    let memory = setup::peak_memory_mib(server.pid());
    let stored = count_sessions(&db).await? - before;
    println!(
        "writes: {} acknowledged, {} stored, {} failed",
        writes.ok, stored, writes.failed
    );
    report.writes.push(WriteRow {
        engine,
        health_rps: rate(&health),
        write_rps: rate(&writes),
        latency: Latency::of(writes.latencies),
        failed: writes.failed,
        acknowledged: writes.ok,
        stored: stored as usize,
        memory_mib: memory,
    });
    Ok(())
}

fn rate(load: &Load) -> f64 {
    load.ok as f64 / load.elapsed.as_secs_f64()
}

async fn count_sessions(db: &Db) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions")
        .fetch_one(&db.pool)
        .await?;
    Ok(n)
}

const SAMPLES: usize = 500;

pub async fn dashboard(
    engine: Engine,
    scale: &str,
    options: &Options,
    report: &mut Report,
) -> Result<()> {
    let years = if scale == "city" {
        1
    } else {
        options.province_years
    };
    let url = setup::generated(engine, scale, years).await?;
    let scratch = tempfile_dir()?;
    let server = ServerProcess::start(&url, &scratch)?;
    let db = Db::connect(&url).await?;
    let (campaign,): (i64,) = sqlx::query_as("SELECT id FROM campaigns WHERE year = 2025")
        .fetch_one(&db.pool)
        .await
        .context("the 2025 campaign")?;
    let (sessions,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions")
        .fetch_one(&db.pool)
        .await?;

    ensure_admin(&db).await?;
    let client = signed_in(&server.url, "admin").await;
    let aggregate = format!(
        "{}/api/v1/aggregates/sessions-by-district?campaign_id={campaign}",
        server.url
    );
    let chart = format!(
        "{}/api/v1/charts/sessions-by-district.svg?campaign_id={campaign}",
        server.url
    );
    let http = time(SAMPLES, || async {
        let res = client.get(&aggregate).send().await.expect("answer");
        assert!(res.status().is_success());
        res.bytes().await.expect("body");
    })
    .await;
    let svg = time(SAMPLES, || async {
        let res = client.get(&chart).send().await.expect("answer");
        assert!(res.status().is_success());
        res.bytes().await.expect("body");
    })
    .await;
    // The same server's round trip for an answer that needs no database: the HTTP floor.
    let floor_url = format!("{}/api/v1/charts", server.url);
    let floor = time(SAMPLES, || async {
        let res = client.get(&floor_url).send().await.expect("answer");
        assert!(res.status().is_success());
        res.bytes().await.expect("body");
    })
    .await;
    let sql = time(SAMPLES, || async {
        let rows: Vec<(i64, String, i64, i64, i64, i64, i64)> =
            sqlx::query_as(SESSIONS_BY_DISTRICT)
                .bind(campaign)
                .fetch_all(&db.pool)
                .await
                .expect("rows");
        assert!(!rows.is_empty());
    })
    .await;
    report.dashboards.push(DashboardRow {
        engine,
        scale: scale.to_string(),
        years,
        sessions,
        http,
        sql,
        svg,
        floor,
        memory_mib: setup::peak_memory_mib(server.pid()),
    });
    Ok(())
}

/// Generated data has no accounts: the operator's first step, done here.
pub async fn ensure_admin(db: &Db) -> Result<()> {
    if humiao_server::auth::store::find_user(&db.pool, "admin")
        .await?
        .is_none()
    {
        let hash = humiao_server::auth::password::hash(humiao_tests::DEMO_PASSWORD)?;
        humiao_server::auth::store::add_user(
            &db.pool,
            "admin",
            &hash,
            humiao_shared::account::Role::Admin,
            humiao_server::auth::store::ScopeRef::City,
        )
        .await?;
    }
    Ok(())
}

/// Times `samples` sequential runs of `f`, after a few to warm caches up.
async fn time<F, Fut>(samples: usize, f: F) -> Latency
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()>,
{
    for _ in 0..10 {
        f().await;
    }
    let mut latencies = Vec::with_capacity(samples);
    for _ in 0..samples {
        let start = Instant::now();
        f().await;
        latencies.push(start.elapsed());
    }
    Latency::of(latencies)
}

fn tempfile_dir() -> Result<std::path::PathBuf> {
    let dir = setup::data_dir().join("scratch");
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
