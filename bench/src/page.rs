//! The leaders' page as the browser asks for it, not one endpoint: each view is replayed
//! request for request, in the page's order, as a leader of the whole database, on the
//! generated city and province databases, for the 2025 campaign.
//!
//! - **Open**: what the page fetches when it opens — who is signed in and the reference
//!   lists, all at once (the page's resources start together) — then the dashboard
//!   request and, beside it, the year's completeness of the monthly returns; both wait for
//!   the campaigns (the page picks the campaign, and so the year, from them).
//! - **Drill-down**: the dashboard and completeness requests (the lists are cached by
//!   then; choosing a district also asks for its stations, at the same time), one level
//!   down at a time: the first place of the top level (a city on the province, a district
//!   on the city), then its first district, station and school (a school has no
//!   completeness of its own: the station's stays on the page).
//!
//! Each time is from the first request sent to the last answer read.

use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use humiao_shared::aggregate::GroupBy;
use humiao_shared::dashboard::Dashboard;
use humiao_tests::database::Engine;
use humiao_tests::signed_in;

use crate::report::Latency;
use crate::setup;
use crate::Options;

const SAMPLES: usize = 30;

/// What the page fetches when it opens, before its dashboard request (see
/// `frontend/src/pages/dashboard/mod.rs`, and `frontend/assets/boot.js`, which asks who is
/// signed in). Each must answer 200: a list the page does not have would time a 404.
/// The stations are not among them: the page asks for a district's own when one is chosen
/// (a province has 1,100).
pub const OPENING: [&str; 5] = [
    "/api/v1/auth/me",
    "/api/v1/campaigns",
    "/api/v1/cities",
    "/api/v1/districts",
    "/api/v1/topics",
];

/// One view's name and its timing.
pub struct View {
    pub name: String,
    pub latency: Latency,
    /// The dashboard answer's size.
    pub bytes: usize,
}

pub struct PageRow {
    pub engine: Engine,
    pub scale: String,
    pub years: u16,
    pub sessions: i64,
    pub views: Vec<View>,
    pub memory_mib: Option<f64>,
}

pub async fn measure(engine: Engine, scale: &str, options: &Options) -> Result<PageRow> {
    let setup::Served {
        server,
        db,
        years,
        sessions,
    } = setup::serve(engine, scale, options).await?;
    let (campaign,): (i64,) = sqlx::query_as("SELECT id FROM campaigns WHERE year = 2025")
        .fetch_one(&db.pool)
        .await
        .context("the 2025 campaign")?;
    setup::ensure_leader(&db).await?;
    let client = signed_in(&server.url, "leader").await;
    let base = server.url.clone();

    let dashboard = |query: String| {
        let client = client.clone();
        let url = format!("{base}/api/v1/dashboard?campaign_id={campaign}{query}");
        async move {
            let res = client.get(&url).send().await.expect("answer");
            assert!(res.status().is_success(), "{url}: {}", res.status());
            res.bytes().await.expect("body")
        }
    };

    // The completeness of the monthly returns, asked beside the dashboard for the same
    // place (not a school: returns are a station's).
    let completeness = |query: String| {
        let client = client.clone();
        let url = format!("{base}/api/v1/completeness?year=2025{query}");
        async move {
            let res = client.get(&url).send().await.expect("answer");
            assert!(res.status().is_success(), "{url}: {}", res.status());
            res.bytes().await.expect("body");
        }
    };

    let mut views = Vec::new();
    // Opening: the lists together, then the dashboard.
    let open = {
        let client = client.clone();
        let base = base.clone();
        let dashboard = &dashboard;
        let completeness = &completeness;
        move || {
            let client = client.clone();
            let base = base.clone();
            async move {
                let mut lists = tokio::task::JoinSet::new();
                for path in OPENING {
                    let (client, url) = (client.clone(), format!("{base}{path}"));
                    lists.spawn(async move {
                        let res = client.get(&url).send().await.expect("answer");
                        assert!(res.status().is_success(), "{url}: {}", res.status());
                        res.bytes().await.expect("body");
                    });
                }
                while lists.join_next().await.is_some() {}
                let (answer, ()) =
                    tokio::join!(dashboard(String::new()), completeness(String::new()));
                answer.len()
            }
        }
    };
    let (latency, bytes) = time(open).await;
    views.push(View {
        name: format!("open ({} lists, then the dashboard)", OPENING.len()),
        latency,
        bytes,
    });

    // Drill-down: one level at a time, following the first place listed.
    let mut query = String::new();
    let top: Dashboard = serde_json::from_slice(&dashboard(String::new()).await)?;
    let mut level = top.level;
    let mut rows = top.by_place;
    while let Some(first) = rows.first().cloned() {
        let (name, param) = match level {
            GroupBy::City => ("city", "city_id"),
            GroupBy::District => ("district", "district_id"),
            GroupBy::Station => ("station", "station_id"),
            GroupBy::School => ("school", "school_id"),
            _ => break,
        };
        query.push_str(&format!("&{param}={}", first.key));
        let q = query.clone();
        let place = (level != GroupBy::School).then(|| query.clone());
        // A district chosen, the page asks for its stations beside the dashboard.
        let stations = (level == GroupBy::District)
            .then(|| format!("{base}/api/v1/stations?district_id={}", first.key));
        let (latency, bytes) = time(|| {
            let fetch = dashboard(q.clone());
            let list = stations.clone().map(|url| {
                let client = client.clone();
                async move {
                    let res = client.get(&url).send().await.expect("answer");
                    assert!(res.status().is_success(), "{url}: {}", res.status());
                    res.bytes().await.expect("body");
                }
            });
            let returns = place.clone().map(&completeness);
            async move {
                let (answer, (), ()) = tokio::join!(
                    fetch,
                    async {
                        if let Some(list) = list {
                            list.await;
                        }
                    },
                    async {
                        if let Some(returns) = returns {
                            returns.await;
                        }
                    }
                );
                answer.len()
            }
        })
        .await;
        views.push(View {
            name: if stations.is_some() {
                format!("drill to a {name} (and its stations)")
            } else {
                format!("drill to a {name}")
            },
            latency,
            bytes,
        });
        if level == GroupBy::School {
            break;
        }
        let below: Dashboard = serde_json::from_slice(&dashboard(query.clone()).await)?;
        // Rows are listed even without sessions; follow one that has some.
        level = below.level;
        rows = below.by_place;
        rows.sort_by_key(|r| std::cmp::Reverse(r.sessions));
    }
    Ok(PageRow {
        engine,
        scale: scale.to_string(),
        years,
        sessions,
        views,
        memory_mib: setup::peak_memory_mib(server.pid()),
    })
}

/// Times [`SAMPLES`] sequential runs of `f` after three to warm caches; returns the
/// latencies and what the last run returned.
async fn time<F, Fut>(f: F) -> (Latency, usize)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = usize>,
{
    for _ in 0..3 {
        f().await;
    }
    let mut latencies: Vec<Duration> = Vec::with_capacity(SAMPLES);
    let mut bytes = 0;
    for _ in 0..SAMPLES {
        let start = Instant::now();
        bytes = f().await;
        latencies.push(start.elapsed());
    }
    (Latency::of(latencies), bytes)
}

/// The section's Markdown table, with the province ÷ city ratio of opening the page.
pub fn markdown(rows: &[PageRow]) -> String {
    let ms = |d: Duration| format!("{:.1}", d.as_secs_f64() * 1000.0);
    let mut out = format!(
        "#### Leaders' page, as the browser asks for it: 2025, a leader of the whole database, {SAMPLES} sequential replays of each view\n\n"
    );
    out.push_str("| engine | scale | sessions in database | view | p50 ms | p99 ms | dashboard answer KB | server peak RSS MiB |\n");
    out.push_str("|---|---|---:|---|---:|---:|---:|---:|\n");
    for r in rows {
        for v in &r.views {
            out.push_str(&format!(
                "| {} | {} ({} y) | {} | {} | {} | {} | {:.1} | {} |\n",
                r.engine.name(),
                r.scale,
                r.years,
                r.sessions,
                v.name,
                ms(v.latency.p50),
                ms(v.latency.p99),
                v.bytes as f64 / 1024.0,
                r.memory_mib.map_or("?".into(), |m| format!("{m:.0}")),
            ));
        }
    }
    for engine in [Engine::Sqlite, Engine::Postgres] {
        let open = |scale: &str| {
            rows.iter()
                .find(|r| r.engine == engine && r.scale == scale)
                .and_then(|r| r.views.first())
                .map(|v| v.latency.p50.as_secs_f64())
        };
        if let (Some(city), Some(province)) = (open("city"), open("province")) {
            out.push_str(&format!(
                "\n{}: province ÷ city, opening the page = {:.2}",
                engine.name(),
                province / city
            ));
        }
    }
    out.push('\n');
    out
}
