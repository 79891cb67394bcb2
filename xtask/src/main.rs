//! The project's one entry point for people and CI.
//!
//! - `cargo run [-- SERVER FLAGS]`: builds the WASM app (release), then builds and runs the
//!   server on it. Flags after `--` go to `humiao`, e.g. `cargo run -- --no-demo`.
//! - `cargo xtask build [--dev]`: builds the web app only, into `target/site` (or
//!   `target/site-dev`).
//! - `cargo xtask test`: installs what the tests need, builds the web app, runs every test,
//!   then fuzzes the API with schemathesis (`HUMIAO_SKIP_FUZZ=1` skips that step).
//! - `cargo xtask fuzz`: builds the server and fuzzes the API only.
//! - `cargo xtask dist [--profile dev]`: the release archive, `target/dist/humiao-*.tar.gz`.
//! - `cargo xtask bench [--quick] [--only writes|dashboard|import]`: the benchmarks; prints a
//!   Markdown table.
//! - `cargo xtask fixture upgrade`: writes this release's database, on both engines, for
//!   the next releases' upgrade test (`tests/fixtures/upgrade/<version>/`).
//!
//! Nothing is downloaded outside the package registries: wasm-bindgen runs as a library.

mod dist;
mod fuzz;
mod postgres;
mod site;
mod system;

use std::process::{Command, ExitCode};

use anyhow::{bail, Context as _, Result};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("build") => site::build(profile(&args[1..])).map(|_| ()),
        Some("test") => test(&args[1..]),
        Some("run") => run(&args[1..]),
        Some("bench") => bench(&args[1..]),
        Some("fuzz") => fuzz::build_and_run(),
        Some("fixture") => fixture(&args[1..]),
        Some("dist") => dist::profile(&args[1..]).and_then(dist::build).map(|_| ()),
        Some("help" | "--help" | "-h") => {
            println!("{}", include_str!("usage.txt"));
            Ok(())
        }
        _ => run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn profile(args: &[String]) -> site::Profile {
    if args.iter().any(|a| a == "--dev") {
        site::Profile::Dev
    } else {
        site::Profile::Release
    }
}

/// Builds the release web app, then runs the server on it with `args`.
fn run(args: &[String]) -> Result<()> {
    let site = site::build(site::Profile::Release)?;
    let mut server_args: Vec<String> = args.iter().filter(|a| *a != "--").cloned().collect();
    let release = server_args.iter().any(|a| a == "--release");
    server_args.retain(|a| a != "--release");
    let mut cmd = cargo();
    cmd.args([
        "run",
        "--quiet",
        "--package",
        "humiao-server",
        "--bin",
        "humiao",
    ]);
    if release {
        cmd.arg("--release");
    }
    cmd.arg("--")
        .args(&server_args)
        .env("HUMIAO_ASSETS_DIR", &site);
    status(&mut cmd)
}

/// The packages every test build selects: all but the frontend, which is WASM (its logic
/// lives in `shared`, which is tested natively).
pub const WORKSPACE: [&str; 3] = ["--workspace", "--exclude", "humiao-frontend"];

/// Areas of the integration suite run on SQLite only: the browser journeys (Chromium
/// drives the same page whichever engine answers it; about a tenth of the suite's time) and
/// checks of HTTP alone (forwarding headers, the API document); the report printed to PDF.
const ENGINE_BLIND: [&str; 9] = [
    "browser::",
    "officer_phone::",
    "signoff_phone::",
    "report_pdf::",
    "journeys::",
    "offline_app::",
    "volunteer_phone::",
    "proxies::",
    "api_document::",
];

/// Everything CI checks besides formatting and lints: unit, API and browser tests, the
/// integration suite once on SQLite and once on PostgreSQL, then the API fuzzed.
fn test(args: &[String]) -> Result<()> {
    system::ensure_test_packages()?;
    postgres::ensure_running()?;
    // Some tests run the server as a process of its own (restarts, kill -9, two instances),
    // one from the release archive unpacked in an empty folder: the dev archive's binary,
    // with the site built in, is the one they all run. Every build below selects the same
    // packages (`WORKSPACE`) and features, so cargo resolves the dependencies' features
    // once: `--package humiao-server` alone resolves them otherwise and compiles actix-web,
    // sqlx and the server a second and a third time.
    let archive = dist::build(site::Profile::Dev)?;
    let site = site::target_dir().join("site-dev");
    let binary = site::target_dir().join("debug").join("humiao");

    println!("== every test, on SQLite ==");
    let mut cmd = cargo();
    cmd.arg("test")
        .args(WORKSPACE)
        .args(dist::EMBED_FEATURE)
        .args(args)
        .env("HUMIAO_EMBED_SITE", &site)
        .env("HUMIAO_TEST_ARCHIVE", &archive)
        .env("HUMIAO_TEST_SITE", &site)
        .env("HUMIAO_TEST_BIN", &binary)
        .env("HUMIAO_TEST_ENGINE", "sqlite");
    status(&mut cmd)?;

    println!("== the integration suite, on PostgreSQL ==");
    // What the database engine cannot change runs once, above: the browser journeys (the
    // page is the same whichever engine answers it) and the HTTP-only checks.
    let mut args = args.to_vec();
    if !args.iter().any(|a| a == "--") {
        args.push("--".into());
    }
    for area in ENGINE_BLIND {
        args.extend(["--skip".to_string(), area.to_string()]);
    }
    let mut cmd = cargo();
    cmd.arg("test")
        .args(WORKSPACE)
        .args(dist::EMBED_FEATURE)
        .args(["--test", "suite"])
        .args(&args)
        .env("HUMIAO_EMBED_SITE", &site)
        .env("HUMIAO_TEST_ARCHIVE", &archive)
        .env("HUMIAO_TEST_SITE", &site)
        .env("HUMIAO_TEST_BIN", &binary)
        .env("HUMIAO_TEST_ENGINE", "postgres");
    status(&mut cmd)?;

    fuzz::run()
}

/// The benchmarks, on release builds of the server and the load generator.
fn bench(args: &[String]) -> Result<()> {
    postgres::ensure_running()?;
    system::ensure_test_packages()?;
    // The web budget is the release app's, as people get it from `cargo run`.
    let site = site::build(site::Profile::Release)?;
    status(cargo().args([
        "build",
        "--release",
        "--bins",
        "--package",
        "humiao-server",
        "--package",
        "humiao-bench",
    ]))?;
    let release = site::target_dir().join("release");
    status(
        Command::new(release.join("humiao-bench"))
            .args(args)
            .env("HUMIAO_TEST_BIN", release.join("humiao"))
            .env("HUMIAO_TEST_SITE", site)
            .env("RUST_LOG", "warn"),
    )
}

/// The upgrade test's fixture, written by a test-only command of the bench binary (which
/// links the server and the tests' helpers already), built as `test` builds it.
fn fixture(args: &[String]) -> Result<()> {
    if args != ["upgrade"] {
        bail!("usage: cargo xtask fixture upgrade");
    }
    postgres::ensure_running()?;
    status(
        cargo()
            .args(["build"])
            .args(WORKSPACE)
            .args(["--bin", "humiao-bench"]),
    )?;
    status(
        Command::new(site::target_dir().join("debug").join("humiao-bench"))
            .args(["fixture", "upgrade"])
            .env("RUST_LOG", "warn"),
    )
}

pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

pub fn status(cmd: &mut Command) -> Result<()> {
    let status = cmd
        .status()
        .with_context(|| format!("cannot start {cmd:?}"))?;
    if !status.success() {
        bail!("{:?} failed ({status})", cmd.get_program());
    }
    Ok(())
}
