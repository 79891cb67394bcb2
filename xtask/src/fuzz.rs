//! The API fuzzed by schemathesis against a live server: every operation in the server's own
//! OpenAPI document gets valid and invalid inputs, and every check must pass (no 5xx, no
//! response that breaks the document, every invalid input rejected). What is tested is set in
//! `tests/schemathesis/schemathesis.toml`; this file installs schemathesis, starts the server
//! on a fresh SQLite database with the demo data, points schemathesis at it and lets it print
//! its summary, then does the same on a fresh PostgreSQL database (made and dropped here):
//! the engines differ in what they refuse (PostgreSQL: NUL in text; SQLite: more than 32,766
//! bound values), so a pass on one says little of the other. `HUMIAO_SKIP_FUZZ=1` skips the
//! step for quick local runs.
//!
//! Schemathesis comes from PyPI, pinned, into a virtualenv in the target folder, and is
//! installed only when that virtualenv lacks the pinned version.

use std::fs::File;
use std::io::{BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _, Result};

use crate::{postgres, site};

const SCHEMATHESIS_VERSION: &str = "4.32.5";
/// Migrations and the demo data take well under a second; this only bounds a hung start.
const START_TIMEOUT: Duration = Duration::from_secs(60);
const SERVING: &str = "Humiao is serving on ";

/// `cargo xtask fuzz`: builds the server, then fuzzes it (the step `cargo xtask test` ends with).
pub fn build_and_run() -> Result<()> {
    crate::status(
        crate::cargo()
            .arg("build")
            .args(crate::WORKSPACE)
            .args(["--bin", "humiao"]),
    )?;
    run()
}

/// The engines fuzzed, in this order.
#[derive(Debug, Clone, Copy)]
enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }
}

/// Fuzzes the server binary `cargo xtask test` builds, `target/debug/humiao`, on SQLite and
/// then on PostgreSQL; both run even when the first fails, so one run shows every failure.
pub fn run() -> Result<()> {
    if std::env::var_os("HUMIAO_SKIP_FUZZ").is_some_and(|v| v == "1") {
        println!("== the API fuzzed by schemathesis ==");
        println!("skipped: HUMIAO_SKIP_FUZZ=1");
        return Ok(());
    }
    let st = ensure_schemathesis()?;
    postgres::ensure_running()?;
    let mut failed = Vec::new();
    for engine in [Engine::Sqlite, Engine::Postgres] {
        println!("== the API fuzzed by schemathesis, on {} ==", engine.name());
        if let Err(e) = fuzz_on(&st, engine) {
            eprintln!("{e:#}");
            failed.push(engine.name());
        }
    }
    if !failed.is_empty() {
        bail!("schemathesis failed on {}", failed.join(" and "));
    }
    Ok(())
}

/// One run of schemathesis against a server on a fresh database of `engine`.
fn fuzz_on(st: &Path, engine: Engine) -> Result<()> {
    let work = site::target_dir().join("schemathesis").join(engine.name());
    let config = site::workspace_root()
        .join("tests")
        .join("schemathesis")
        .join("schemathesis.toml");
    // Declared before the server, so it is dropped after the server is stopped.
    let database = match engine {
        Engine::Sqlite => None,
        Engine::Postgres => Some(postgres::Database::create("humiao_fuzz")?),
    };
    let server = Server::start(
        &site::target_dir().join("debug").join("humiao"),
        &work,
        database.as_ref().map(postgres::Database::url),
    )?;
    let spec = format!("{}/api/openapi.json", server.url);
    // Fuzzed as the demo administrator, who may call every operation; schemathesis also
    // sends requests without the cookie and expects them refused (its ignored_auth check).
    let cookie = sign_in(&server.url, "admin", DEMO_PASSWORD)?;

    let started = Instant::now();
    let mut cmd = Command::new(st);
    cmd.arg("--config-file")
        .arg(&config)
        .args(["run", &spec])
        // The session cookie's value, for the document's `session_cookie` scheme (see the
        // [auth] section of the config): schemathesis then knows it, and can also leave it
        // out to check that requests without it are refused.
        .env(
            "HUMIAO_FUZZ_SESSION",
            cookie.split_once('=').map_or("", |(_, value)| value),
        )
        // Signing out would end the session the rest of the run uses.
        .args(["--exclude-operation-id", "logout"])
        // Schemathesis keeps its Hypothesis files in the folder it runs in: not the repository.
        .current_dir(&work);
    println!("{}", shown(&cmd));
    let status = cmd
        .status()
        .with_context(|| format!("cannot start {}", st.display()))?;
    println!(
        "schemathesis took {:.0} s on {}; the server's log is in {}",
        started.elapsed().as_secs_f64(),
        engine.name(),
        server.log.display()
    );
    if !status.success() {
        bail!(
            "schemathesis reported failures on {} ({status}); its summary is above",
            engine.name()
        );
    }
    Ok(())
}

/// Returns the `st` executable of the virtualenv, creating it and installing the pinned
/// schemathesis when it is missing or another version.
fn ensure_schemathesis() -> Result<PathBuf> {
    let venv = site::target_dir().join("schemathesis-venv");
    let python = venv.join("bin").join("python");
    if installed_version(&python).as_deref() == Some(SCHEMATHESIS_VERSION) {
        return Ok(venv.join("bin").join("st"));
    }
    if !python.exists() {
        crate::status(Command::new("python3").args(["-m", "venv"]).arg(&venv)).context(
            "cannot create a Python virtualenv for schemathesis; \
             it needs python3 with its venv module (Debian: python3-venv)",
        )?;
    }
    println!(
        "installing schemathesis {SCHEMATHESIS_VERSION} into {} (once) …",
        venv.display()
    );
    crate::status(Command::new(&python).args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        &format!("schemathesis=={SCHEMATHESIS_VERSION}"),
    ]))
    .context("cannot install schemathesis from PyPI")?;
    Ok(venv.join("bin").join("st"))
}

fn installed_version(python: &Path) -> Option<String> {
    let out = Command::new(python)
        .args([
            "-c",
            "import importlib.metadata as m; print(m.version('schemathesis'))",
        ])
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The demo accounts' password (server/src/demo/accounts.rs, README).
const DEMO_PASSWORD: &str = "humiao-demo-2024";

/// Signs in with one plain HTTP/1.1 request and returns the session cookie (`name=value`).
fn sign_in(url: &str, username: &str, password: &str) -> Result<String> {
    use std::io::Read as _;
    let authority = url.trim_start_matches("http://");
    let body = format!(r#"{{"username":"{username}","password":"{password}"}}"#);
    let mut stream = std::net::TcpStream::connect(authority)
        .with_context(|| format!("cannot reach {authority}"))?;
    write!(
        stream,
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: {authority}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    if !answer.starts_with("HTTP/1.1 200") {
        bail!(
            "signing in as {username} failed: {}",
            answer.lines().next().unwrap_or("")
        );
    }
    answer
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("set-cookie")
                .then(|| value.trim().split(';').next().unwrap_or("").to_string())
        })
        .context("the login answer set no cookie")
}

/// The command line, to show what ran (arguments unquoted).
fn shown(cmd: &Command) -> String {
    let mut line = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        line.push(' ');
        line.push_str(&arg.to_string_lossy());
    }
    line
}

/// `humiao` on a fresh database, with the demo data so that lists and ids lead somewhere:
/// `database_url`'s, or else SQLite in `work/data`. Killed when dropped, so a failed run
/// does not leave it listening.
struct Server {
    child: Child,
    url: String,
    log: PathBuf,
}

impl Server {
    fn start(binary: &Path, work: &Path, database_url: Option<String>) -> Result<Server> {
        let data = work.join("data");
        if data.exists() {
            std::fs::remove_dir_all(&data)
                .with_context(|| format!("cannot empty {}", data.display()))?;
        }
        std::fs::create_dir_all(&data).with_context(|| format!("{}", data.display()))?;
        // Every rejected request is logged; thousands of those would bury schemathesis'
        // summary, so the server writes to a file.
        let log = work.join("server.log");
        let mut log_file = File::create(&log).with_context(|| format!("{}", log.display()))?;
        let stderr = log_file.try_clone()?;

        let mut command = Command::new(binary);
        if let Some(url) = database_url {
            command.arg("--database-url").arg(url);
        }
        let mut child = command
            .args(["--bind", "127.0.0.1:0"])
            .arg("--data-dir")
            .arg(&data)
            // What `cargo xtask test` has built; only the API is fuzzed, so without it the
            // server merely logs a warning.
            .arg("--assets-dir")
            .arg(site::target_dir().join("site-dev"))
            .env("RUST_LOG", "warn")
            // An outer HUMIAO_DATABASE_URL or HUMIAO_NO_DEMO would replace the fresh demo database.
            .env_remove("HUMIAO_DATABASE_URL")
            .env_remove("HUMIAO_NO_DEMO")
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .with_context(|| format!("cannot start {}", binary.display()))?;
        let stdout = child.stdout.take().context("the server's stdout")?;

        // The server prints its URL once it listens; the rest of its output, before and after,
        // goes to the log. Reading on in a thread also keeps the pipe from filling up.
        let (url_tx, url_rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(url) = line.strip_prefix(SERVING) {
                    let _ = url_tx.send(url.trim().to_string());
                }
                let _ = writeln!(log_file, "{line}");
            }
        });
        let mut server = Server {
            child,
            url: String::new(),
            log,
        };
        server.url = match url_rx.recv_timeout(START_TIMEOUT) {
            Ok(url) => url,
            Err(RecvTimeoutError::Disconnected) => {
                let status = server.child.wait()?;
                bail!(
                    "the server exited before serving ({status}); its log is in {}",
                    server.log.display()
                );
            }
            Err(RecvTimeoutError::Timeout) => bail!(
                "the server printed no URL within {} s; its log is in {}",
                START_TIMEOUT.as_secs(),
                server.log.display()
            ),
        };
        Ok(server)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
