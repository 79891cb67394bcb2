//! The web app's performance budget: the size of each release WASM module (raw and gzip;
//! budget 400 KB gzip each, as a page loads one module: see `shared::app::AppModule`) and
//! the dashboard's first paint in headless Chromium, as a leader of the whole database, on
//! the city-scale database (SQLite) and the province-scale one (both engines), on localhost
//! (budget 1.5 s on the province).
//!
//! "First paint" is measured twice: the browser's first contentful paint (the page shell),
//! and the moment the dashboard drew its figures and chart from the data (the app marks it
//! with `performance.mark("dashboard-drawn")`), both from the start of navigation. The first
//! load is cold (nothing cached); the others reload the page with the module cached, as a
//! leader opening the dashboard again would.

use std::io::Write as _;

use anyhow::{Context as _, Result};
use humiao_shared::app::AppModule;
use humiao_tests::browser::Browser;
use humiao_tests::database::Engine;
use humiao_tests::process::ServerProcess;

use crate::setup;

const RELOADS: usize = 5;

/// The size of one WASM module.
pub struct ModuleSize {
    pub name: &'static str,
    pub raw_kb: u64,
    pub gzip_kb: u64,
}

/// The dashboard loaded in Chromium on one database.
pub struct PageLoad {
    pub engine: Engine,
    pub scale: &'static str,
    pub cold: (f64, f64),
    pub warm_median: (f64, f64),
    pub warm_max: (f64, f64),
}

pub struct WebRow {
    pub modules: Vec<ModuleSize>,
    pub loads: Vec<PageLoad>,
}

impl WebRow {
    pub fn markdown(&self) -> String {
        let mut table = String::from("| web app | value | budget |\n|---|---|---|\n");
        for m in &self.modules {
            table.push_str(&format!(
                "| release WASM `{}` | {} KB raw, **{} KB gzip** | ≤400 KB gzip |\n",
                m.name, m.raw_kb, m.gzip_kb
            ));
        }
        for l in &self.loads {
            let on = format!("{}, {}", l.scale, l.engine.name());
            table.push_str(&format!(
                "| dashboard ({on}), cold load: first contentful paint / figures and chart drawn | {:.0} ms / **{:.0} ms** | ≤1,500 ms |\n\
                 | dashboard ({on}), reloaded (median of {RELOADS}) | {:.0} ms / {:.0} ms | |\n\
                 | dashboard ({on}), reloaded (slowest of {RELOADS}) | {:.0} ms / {:.0} ms | |\n",
                l.cold.0,
                l.cold.1,
                l.warm_median.0,
                l.warm_median.1,
                l.warm_max.0,
                l.warm_max.1,
            ));
        }
        table
    }
}

pub async fn measure(province_years: u16) -> Result<WebRow> {
    let mut modules = Vec::new();
    for name in AppModule::ALL.map(AppModule::binary) {
        let path = hashed_file(&humiao_tests::site_dir(), &format!("{name}_bg."), ".wasm")?;
        let bytes = std::fs::read(&path).with_context(|| format!("{}", path.display()))?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&bytes)?;
        modules.push(ModuleSize {
            name,
            raw_kb: bytes.len() as u64 / 1024,
            gzip_kb: gz.finish()?.len() as u64 / 1024,
        });
    }

    let mut loads = Vec::new();
    for (engine, scale, years) in [
        (Engine::Sqlite, "city", 1),
        (Engine::Sqlite, "province", province_years),
        (Engine::Postgres, "province", province_years),
    ] {
        loads.push(load(engine, scale, years).await?);
    }
    Ok(WebRow { modules, loads })
}

/// The file in `dir` whose name starts with `prefix` and ends with `ext`: the build gives
/// each module a content-hashed name.
pub fn hashed_file(dir: &std::path::Path, prefix: &str, ext: &str) -> Result<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .with_context(|| format!("{}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(ext))
        })
        .with_context(|| format!("no {prefix}…{ext} in {}", dir.display()))
}

/// Opens the dashboard in Chromium on one generated database, cold then reloaded.
async fn load(engine: Engine, scale: &'static str, years: u16) -> Result<PageLoad> {
    let url = setup::generated(engine, scale, years).await?;
    setup::ensure_leader(&humiao_server::db::Db::connect(&url).await?).await?;
    let scratch = std::env::temp_dir().join(format!("humiao-bench-web-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;
    let server = ServerProcess::start(&url, &scratch)?;
    let browser = Browser::start().await?;
    browser.sign_in(&server.url, "leader").await?;

    let mut samples = Vec::new();
    for _ in 0..=RELOADS {
        browser
            .client
            .goto(&format!("{}/dashboard", server.url))
            .await?;
        browser.wait_for("#figures").await?;
        browser.wait_for(".chart svg").await?;
        let times = browser
            .client
            .execute(
                "const paint = performance.getEntriesByName('first-contentful-paint')[0];
                 const drawn = performance.getEntriesByName('dashboard-drawn')[0];
                 return [paint ? paint.startTime : -1, drawn ? drawn.startTime : -1];",
                vec![],
            )
            .await?;
        let pair = |i: usize| times[i].as_f64().unwrap_or(-1.0);
        samples.push((pair(0), pair(1)));
        // The next navigation must load the page again, not reuse it.
        browser.client.goto("about:blank").await?;
    }
    let cold = samples[0];
    let mut warm: Vec<(f64, f64)> = samples[1..].to_vec();
    warm.sort_by(|a, b| a.1.total_cmp(&b.1));
    let warm_median = warm[warm.len() / 2];
    let warm_max = (
        warm.iter().map(|w| w.0).fold(0.0, f64::max),
        warm.iter().map(|w| w.1).fold(0.0, f64::max),
    );
    drop(browser);
    drop(server);
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(PageLoad {
        engine,
        scale,
        cold,
        warm_median,
        warm_max,
    })
}
