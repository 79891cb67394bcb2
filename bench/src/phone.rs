//! The web app on a slow phone: headless Chromium with its CPU slowed 4× and a fast-3G link
//! (150 ms latency, 1.6 Mbps down, 750 kbps up), through Chrome DevTools commands
//! (chromedriver's `goog/cdp/execute`), with a cold cache and the service worker bypassed,
//! as an officer's first visit of the day would be. Measured from the start of navigation:
//! when the sign-in form appears, and, already signed in, when the officer's session form
//! appears and when its school list is filled.
//!
//! The same release site is also served as it was before it was shipped in one file (the
//! files compressed with gzip only, the page naming only `boot.js`, so the module is found
//! one round trip after another), and with brotli alone, so the table shows what each
//! change brought.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context as _, Result};
use humiao_tests::browser::Browser;
use humiao_tests::TestDatabase;
use serde_json::{json, Value};

/// Loads per figure; the median is reported.
const RUNS: usize = 3;

/// Records when each watched element first appears, from the start of navigation. Installed
/// through DevTools before the page's own scripts, so the page's CSP does not apply.
const WATCH: &str = "
    const seen = {};
    window.__humiaoSeen = seen;
    const watched = [['sign-in', '#username'], ['form', '#school_id'],
                     ['lists', '#school_id[data-schools]']];
    new MutationObserver(() => {
        for (const [name, css] of watched) {
            if (!(name in seen) && document.querySelector(css)) seen[name] = performance.now();
        }
    }).observe(document, {childList: true, subtree: true, attributes: true,
                         attributeFilter: ['data-schools']});";

/// How the site is served in one column of the table.
#[derive(Clone, Copy)]
pub enum Serving {
    /// gzip only, the page naming `boot.js` alone.
    Before,
    /// brotli, the page naming `boot.js` alone.
    Brotli,
    /// brotli, and the page naming its module's JS and WASM for the browser to preload.
    Shipped,
}

impl Serving {
    const ALL: [Serving; 3] = [Serving::Before, Serving::Brotli, Serving::Shipped];

    fn name(self) -> &'static str {
        match self {
            Serving::Before => "gzip, module found after `boot.js` (as before)",
            Serving::Brotli => "brotli, module found after `boot.js`",
            Serving::Shipped => "brotli, module preloaded with the page (as shipped)",
        }
    }
}

pub struct PhoneLoad {
    pub serving: Serving,
    pub sign_in_ms: f64,
    pub form_ms: f64,
    pub lists_ms: f64,
}

pub fn markdown(loads: &[PhoneLoad]) -> String {
    let mut table = String::from(
        "| slow phone (4× CPU, fast 3G, cold cache, median of 3) | sign-in form | session form (signed in) | its school list filled | budget |\n|---|---|---|---|---|\n",
    );
    for l in loads {
        table.push_str(&format!(
            "| {} | {:.0} ms | **{:.0} ms** | {:.0} ms | form ≤2,500 ms |\n",
            l.serving.name(),
            l.sign_in_ms,
            l.form_ms,
            l.lists_ms
        ));
    }
    table
}

pub async fn measure(site: &Path) -> Result<Vec<PhoneLoad>> {
    let mut loads = Vec::new();
    for serving in Serving::ALL {
        let scratch = tempfile::tempdir()?;
        let served = prepare(site, serving, scratch.path())?;
        let database = TestDatabase::create().await;
        let server = Server::start(&database.url, &database.data_dir(), &served)?;
        let mut sign_in = Vec::new();
        let mut form = Vec::new();
        let mut lists = Vec::new();
        for _ in 0..RUNS {
            let browser = Browser::start().await?;
            let seen = slow_load(&browser, &server.url, "sign-in").await?;
            sign_in.push(at(&seen, "sign-in")?);
            browser.sign_in(&server.url, "officer.diaozhuang").await?;
            let seen = slow_load(&browser, &server.url, "lists").await?;
            form.push(at(&seen, "form")?);
            lists.push(at(&seen, "lists")?);
        }
        let load = PhoneLoad {
            serving,
            sign_in_ms: median(sign_in),
            form_ms: median(form),
            lists_ms: median(lists),
        };
        println!(
            "{}: sign-in {:.0} ms, form {:.0} ms, lists {:.0} ms",
            serving.name(),
            load.sign_in_ms,
            load.form_ms,
            load.lists_ms
        );
        loads.push(load);
    }
    Ok(loads)
}

/// The site as `serving` serves it: a copy of the release site with what that column goes
/// without taken out.
fn prepare(site: &Path, serving: Serving, scratch: &Path) -> Result<PathBuf> {
    if let Serving::Shipped = serving {
        return Ok(site.to_path_buf());
    }
    let copy = scratch.join("site");
    std::fs::create_dir_all(&copy)?;
    for entry in std::fs::read_dir(site)? {
        let path = entry?.path();
        let name = path.file_name().context("a file name")?.to_owned();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !path.is_file() || (matches!(serving, Serving::Before) && ext == "br") {
            continue;
        }
        if ext == "html" {
            // The preload lines go; their compressed copies would still have them.
            let html = std::fs::read_to_string(&path)?;
            let kept: Vec<&str> = html
                .lines()
                .filter(|l| !l.contains("rel=\"modulepreload\"") && !l.contains("rel=\"preload\""))
                .collect();
            std::fs::write(copy.join(&name), kept.join("\n"))?;
        } else if !(path.to_string_lossy().ends_with(".html.gz")
            || path.to_string_lossy().ends_with(".html.br"))
        {
            std::fs::copy(&path, copy.join(&name))?;
        }
    }
    Ok(copy)
}

/// Opens the app on a slow phone with nothing cached, waits until the watched element
/// `until` appeared, and returns when each one did (milliseconds from the start of
/// navigation).
async fn slow_load(browser: &Browser, url: &str, until: &str) -> Result<Value> {
    browser.client.goto("about:blank").await?;
    cdp(browser, "Network.enable", json!({})).await?;
    cdp(browser, "Network.clearBrowserCache", json!({})).await?;
    cdp(
        browser,
        "Network.setBypassServiceWorker",
        json!({"bypass": true}),
    )
    .await?;
    cdp(
        browser,
        "Network.emulateNetworkConditions",
        json!({
            "offline": false,
            "latency": 150,
            "downloadThroughput": 1_600_000 / 8,
            "uploadThroughput": 750_000 / 8,
        }),
    )
    .await?;
    cdp(
        browser,
        "Emulation.setCPUThrottlingRate",
        json!({"rate": 4}),
    )
    .await?;
    let script = cdp(
        browser,
        "Page.addScriptToEvaluateOnNewDocument",
        json!({"source": WATCH}),
    )
    .await?;
    browser.client.goto(url).await?;
    browser
        .wait_until_true(&format!(
            "return '{until}' in (window.__humiaoSeen || {{}});"
        ))
        .await?;
    let seen = browser
        .client
        .execute("return window.__humiaoSeen;", vec![])
        .await?;
    // Back to a fast machine for whatever the caller does next (signing in, say).
    cdp(
        browser,
        "Emulation.setCPUThrottlingRate",
        json!({"rate": 1}),
    )
    .await?;
    cdp(
        browser,
        "Network.emulateNetworkConditions",
        json!({"offline": false, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
    )
    .await?;
    if let Some(id) = script.get("identifier") {
        cdp(
            browser,
            "Page.removeScriptToEvaluateOnNewDocument",
            json!({"identifier": id}),
        )
        .await?;
    }
    Ok(seen)
}

fn at(seen: &Value, name: &str) -> Result<f64> {
    seen.get(name)
        .and_then(Value::as_f64)
        .with_context(|| format!("{name} never appeared: {seen}"))
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// One Chrome DevTools command, through chromedriver.
async fn cdp(browser: &Browser, cmd: &str, params: Value) -> Result<Value> {
    browser.cdp(cmd, params).await
}

/// The release server serving the site from `site` (the tests' `ServerProcess` serves the
/// site the run was given).
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(database_url: &str, data_dir: &Path, site: &Path) -> Result<Server> {
        let mut child = Command::new(humiao_tests::server_binary())
            .args(["--bind", "127.0.0.1:0", "--database-url", database_url])
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--assets-dir")
            .arg(site)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .context("cannot start the server")?;
        let stdout = child.stdout.take().context("stdout")?;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("Humiao is serving on ") {
                    let _ = tx.send(url.trim().to_string());
                }
            }
        });
        let url = rx
            .recv_timeout(Duration::from_secs(60))
            .context("the server did not say where it serves")?;
        Ok(Server { child, url })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
