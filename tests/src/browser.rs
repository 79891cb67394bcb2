//! Headless Chromium driven over WebDriver (Debian's `chromium` and `chromium-driver`).

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{bail, Context as _, Result};
use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

/// How long an element may take to appear: generous, since an unoptimised WASM build on a
/// busy 2-core machine can take seconds to start.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// A browser session and the chromedriver behind it; both end when this is dropped.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub async fn start() -> Result<Browser> {
        let port = free_port()?;
        let mut driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            // The browser keeps the campaign's time, as phones in Changzhou do: the server's
            // "today" is China's (`clock::today`), and from 16:00 UTC a browser on UTC would
            // still be on the day before and call today's dates "in the future".
            .env("TZ", "Asia/Shanghai")
            // Its own process group, so that Chromium, which it starts, ends with it.
            .process_group(0)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("cannot start chromedriver (`cargo xtask test` installs it)")?;
        let stdout = driver.stdout.take().context("chromedriver's output")?;
        // chromedriver says when it listens; the end of its output means it gave up. The
        // thread keeps reading afterwards, so that later output never meets a closed pipe.
        let (said, heard) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let mut said = Some(said);
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.contains("started successfully") {
                    if let Some(said) = said.take() {
                        let _ = said.send(());
                    }
                }
            }
        });
        let ready = heard.await.is_ok();
        if !ready {
            let _ = driver.kill();
            bail!("chromedriver exited before it listened");
        }
        let profile = tempfile::tempdir()?;
        let mut caps = Capabilities::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--window-size=1280,1400",
                    "--lang=zh-CN",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }),
        );
        let webdriver = format!("http://127.0.0.1:{port}");
        let client = connect(&webdriver, caps).await;
        match client {
            Ok(client) => Ok(Browser {
                client,
                driver,
                _profile: profile,
            }),
            Err(e) => {
                let _ = driver.kill();
                Err(e)
            }
        }
    }

    /// Waits for the element to be in the page and returns it.
    pub async fn wait_for(&self, css: &str) -> Result<fantoccini::elements::Element> {
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("waiting for {css}"))
    }

    /// Waits for the element and clicks it.
    pub async fn click(&self, css: &str) -> Result<()> {
        Ok(self.wait_for(css).await?.click().await?)
    }

    /// Waits for the input and types into it.
    pub async fn type_into(&self, css: &str, text: &str) -> Result<()> {
        Ok(self.wait_for(css).await?.send_keys(text).await?)
    }

    pub async fn text_of(&self, css: &str) -> Result<String> {
        Ok(self.wait_for(css).await?.text().await?)
    }

    /// Signs in through the form with the demo password and waits for the header.
    pub async fn sign_in(&self, url: &str, username: &str) -> Result<()> {
        self.client.goto(url).await?;
        self.type_into("#username", username).await?;
        self.type_into("#password", crate::DEMO_PASSWORD).await?;
        self.click("form.login button[type=submit]").await?;
        // A school's name comes a moment after the header itself.
        self.wait_for_text("header .who", |who| shows(who, username))
            .await
            .with_context(|| format!("signed in as {username}"))?;
        Ok(())
    }

    /// Cuts the browser's network (`true`) or gives it back, as a phone losing signal.
    pub async fn set_offline(&self, offline: bool) -> Result<()> {
        self.client
            .issue_cmd(NetworkConditions { offline })
            .await
            .context("chromedriver's network conditions")?;
        Ok(())
    }

    /// Lets pages write to and read the clipboard: a phone asks its user, headless Chromium
    /// has no one to ask (through chromedriver's DevTools endpoint).
    pub async fn allow_clipboard(&self) -> Result<()> {
        let params = json!({"permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]});
        self.cdp("Browser.grantPermissions", params)
            .await
            .context("granting the clipboard")?;
        Ok(())
    }

    /// One Chrome DevTools command (`Page.printToPDF`, `Emulation.setEmulatedMedia`…),
    /// through chromedriver's `goog/cdp/execute`; its answer.
    pub async fn cdp(&self, cmd: &str, params: serde_json::Value) -> Result<serde_json::Value> {
        self.client
            .issue_cmd(Cdp {
                cmd: cmd.to_string(),
                params,
            })
            .await
            .with_context(|| format!("DevTools command {cmd}"))
    }

    /// Waits until no element matches `css` (a notice went away, say).
    pub async fn wait_until_gone(&self, css: &str) -> Result<()> {
        self.poll(|| async {
            let gone = self.client.find_all(Locator::Css(css)).await?.is_empty();
            Ok(if gone {
                Ok(())
            } else {
                Err(format!("{css} is still there"))
            })
        })
        .await
    }

    /// Waits until `script` (a function body) returns `true` in the page.
    pub async fn wait_until_true(&self, script: &str) -> Result<()> {
        self.poll(|| async {
            let answer = self.client.execute(script, vec![]).await?;
            Ok(if answer == serde_json::Value::Bool(true) {
                Ok(())
            } else {
                Err(format!("{script} is still {answer}"))
            })
        })
        .await
    }

    /// Waits until the element's text satisfies `done`, and returns it.
    pub async fn wait_for_text(&self, css: &str, done: impl Fn(&str) -> bool) -> Result<String> {
        self.poll(|| async {
            let text = self.text_of(css).await?;
            Ok(if done(&text) {
                Ok(text)
            } else {
                Err(format!("{css} still reads {text:?}"))
            })
        })
        .await
    }

    /// Looks at a condition in the page every 100 ms until `look` finds it met (`Ok(Ok(_))`),
    /// for at most [`PATIENCE`]; the error then says what the last look saw (`Ok(Err(_))`).
    /// The pause is between looks at a condition, never a wait in the hope it became true.
    async fn poll<T, Look>(&self, mut look: impl FnMut() -> Look) -> Result<T>
    where
        Look: std::future::Future<Output = Result<std::result::Result<T, String>>>,
    {
        let deadline = std::time::Instant::now() + PATIENCE;
        loop {
            let seen = match look().await? {
                Ok(value) => return Ok(value),
                Err(seen) => seen,
            };
            if std::time::Instant::now() > deadline {
                bail!("{seen} after {PATIENCE:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Saves a screenshot of the page to the screenshots folder and returns its path.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, self.client.screenshot().await?)?;
        println!("screenshot: {}", path.display());
        Ok(path)
    }

    /// Saves a screenshot of the whole page, not only what fits in the window: the window is
    /// made as tall as the page (at most 8,000 px) for the picture, then given its height back.
    pub async fn screenshot_whole_page(&self, name: &str) -> Result<PathBuf> {
        let (width, height) = self.client.get_window_size().await?;
        let page = self
            .client
            .execute("return document.documentElement.scrollHeight;", vec![])
            .await?
            .as_u64()
            .unwrap_or(height);
        self.client
            .set_window_size(width as u32, page.clamp(height, 8_000) as u32)
            .await?;
        let shot = self.screenshot(name).await;
        self.client
            .set_window_size(width as u32, height as u32)
            .await?;
        shot
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Killing chromedriver alone would leave its Chromium running: end the whole group.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.driver.id())])
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Whether the header's `who` names the account signed in: by its name, or for a school's
/// account (`school.…` in the demo) by the school's name, never the account's.
pub fn shows(who: &str, username: &str) -> bool {
    if username.starts_with("school.") {
        who.ends_with("（学校）") && !who.contains(username) && who != "（学校）"
    } else {
        who.starts_with(username)
    }
}

/// Where screenshots of every run go: `target/screenshots`.
pub fn screenshot_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots")
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

async fn connect(webdriver: &str, caps: Capabilities) -> Result<Client> {
    ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(webdriver)
        .await
        .context("cannot start a Chromium session")
}

/// chromedriver's own command to emulate network conditions (`offline` cuts every request).
#[derive(Debug)]
struct NetworkConditions {
    offline: bool,
}

impl fantoccini::wd::WebDriverCompatibleCommand for NetworkConditions {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/chromium/network_conditions",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({
            "network_conditions": {
                "offline": self.offline,
                "latency": 0,
                "download_throughput": -1,
                "upload_throughput": -1
            }
        });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// chromedriver's door to the Chrome DevTools Protocol.
#[derive(Debug)]
struct Cdp {
    cmd: String,
    params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({"cmd": self.cmd, "params": self.params});
        (http::Method::POST, Some(body.to_string()))
    }
}
