//! The measured runs.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use humiao_server::db::Db;
use humiao_tests::database::Engine;
use humiao_tests::fixtures::{demo_refs, session_entry};
use humiao_tests::process::ServerProcess;
use humiao_tests::{signed_in, TestDatabase};

use crate::report::{Latency, Report, WriteRow};
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
