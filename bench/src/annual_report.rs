//! The annual work report (`GET /report/2025`) on the generated city and province
//! databases: how long the page takes, beside the four aggregates it is made of fetched
//! one after another over HTTP (what a client drawing the same figures would wait for).
//! Runs alone with `cargo xtask bench --only report`.

use std::time::{Duration, Instant};

use anyhow::Result;
use humiao_tests::database::Engine;
use humiao_tests::signed_in;

use crate::report::Latency;
use crate::setup;
use crate::Options;

const SAMPLES: usize = 50;
const YEAR: i32 = 2025;

pub struct AnnualRow {
    pub engine: Engine,
    /// The database's scale, and which report: the whole database's or one city's.
    pub scale: String,
    pub years: u16,
    pub sessions: i64,
    pub page: Latency,
    pub aggregates: Latency,
    pub bytes: usize,
}

/// Times the report of the whole database, or with `one_city` the report of the first
/// city (Changzhou) in it.
pub async fn measure(
    engine: Engine,
    scale: &str,
    one_city: bool,
    options: &Options,
) -> Result<AnnualRow> {
    let setup::Served {
        server,
        db,
        years,
        sessions,
    } = setup::serve(engine, scale, options).await?;
    setup::ensure_admin(&db).await?;
    let client = signed_in(&server.url, "admin").await;

    let (city,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM cities")
        .fetch_one(&db.pool)
        .await?;
    let page_url = match one_city {
        true => format!("{}/report/{YEAR}?city_id={city}", server.url),
        false => format!("{}/report/{YEAR}", server.url),
    };
    let first = client.get(&page_url).send().await?;
    anyhow::ensure!(
        first.status().is_success(),
        "the report: {}",
        first.status()
    );
    let bytes = first.bytes().await?.len();
    let page = time(|| async {
        let res = client.get(&page_url).send().await.expect("answer");
        assert!(res.status().is_success());
        res.bytes().await.expect("body");
    })
    .await;
    let parts: Vec<String> = [
        "audience",
        "screening-reach",
        "training-coverage",
        "outcomes",
    ]
    .iter()
    .map(|a| format!("{}/api/v1/aggregates/{a}?year={YEAR}", server.url))
    .collect();
    let aggregates = time(|| async {
        for url in &parts {
            let res = client.get(url).send().await.expect("answer");
            assert!(res.status().is_success());
            res.bytes().await.expect("body");
        }
    })
    .await;
    Ok(AnnualRow {
        engine,
        scale: match one_city {
            true => format!("{scale}: one city's report"),
            false => scale.to_string(),
        },
        years,
        sessions,
        page,
        aggregates,
        bytes,
    })
}

async fn time<F, Fut>(f: F) -> Latency
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for _ in 0..3 {
        f().await;
    }
    let mut latencies: Vec<Duration> = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let start = Instant::now();
        f().await;
        latencies.push(start.elapsed());
    }
    Latency::of(latencies)
}

/// The section's Markdown table.
pub fn markdown(rows: &[AnnualRow]) -> String {
    let ms = |d: Duration| format!("{:.1}", d.as_secs_f64() * 1000.0);
    let mut out = format!(
        "#### Annual report: `GET /report/{YEAR}` for the whole database and for one city, {SAMPLES} sequential requests\n\n"
    );
    out.push_str("| engine | scale | sessions in database | page p50 ms | page p99 ms | its 4 aggregates over HTTP p50 ms | page KB |\n");
    out.push_str("|---|---|---:|---:|---:|---:|---:|\n");
    for r in rows {
        out.push_str(&format!(
            "| {} | {} ({} y) | {} | {} | {} | {} | {:.1} |\n",
            r.engine.name(),
            r.scale,
            r.years,
            r.sessions,
            ms(r.page.p50),
            ms(r.page.p99),
            ms(r.aggregates.p50),
            r.bytes as f64 / 1024.0,
        ));
    }
    out
}
