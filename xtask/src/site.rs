//! Builds the web app: the frontend crate's binaries to WASM with cargo, one per module of
//! `shared::app::AppModule` (main, dashboard, admin), then wasm-bindgen as a library on
//! each, then `frontend/assets` beside them with one HTML page per module, made from
//! `index.html`. Prints each module's size, raw and gzipped.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context as _, Result};

const TARGET: &str = "wasm32-unknown-unknown";
use humiao_shared::app::AppModule;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// What ships: optimised for size.
    Release,
    /// What the tests load: quick to build.
    Dev,
}

impl Profile {
    fn cargo_profile(self) -> &'static str {
        match self {
            Profile::Release => "wasm-release",
            Profile::Dev => "wasm-dev",
        }
    }

    fn site_dir(self) -> &'static str {
        match self {
            Profile::Release => "site",
            Profile::Dev => "site-dev",
        }
    }
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}

pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// Builds the app and returns the folder to serve.
pub fn build(profile: Profile) -> Result<PathBuf> {
    ensure_wasm_target()?;
    let root = workspace_root();
    let target = target_dir();

    let mut cmd = crate::cargo();
    cmd.current_dir(&root).args([
        "build",
        "--package",
        "humiao-frontend",
        "--target",
        TARGET,
        "--profile",
        profile.cargo_profile(),
    ]);
    crate::status(&mut cmd).context("cannot build the frontend")?;

    let site = target.join(profile.site_dir());
    std::fs::create_dir_all(&site)?;
    for module in AppModule::ALL.map(AppModule::binary) {
        let wasm = target
            .join(TARGET)
            .join(profile.cargo_profile())
            .join(format!("{module}.wasm"));
        wasm_bindgen_cli_support::Bindgen::new()
            .input_path(&wasm)
            .web(true)?
            // Keeps the default `new URL('…_bg.wasm', import.meta.url)`, so `init()` finds
            // the module.
            .omit_default_module_path(false)
            .typescript(false)
            .generate(&site)
            .with_context(|| format!("wasm-bindgen failed on {module}"))?;
    }

    let assets = root.join("frontend").join("assets");
    for entry in std::fs::read_dir(&assets).with_context(|| format!("{}", assets.display()))? {
        let entry = entry?;
        std::fs::copy(entry.path(), site.join(entry.file_name()))?;
    }
    write_module_pages(&site)?;

    println!("web app ({profile:?}) in {}:", site.display());
    for module in AppModule::ALL.map(AppModule::binary) {
        let bytes = std::fs::read(site.join(format!("{module}_bg.wasm")))?;
        println!(
            "  {module}_bg.wasm {} KB raw, {} KB gzip",
            bytes.len() / 1024,
            gzip_len(&bytes)? / 1024
        );
    }
    Ok(site)
}

/// Each module's HTML page: `index.html` with its `boot.js` told which module to load.
fn write_module_pages(site: &Path) -> Result<()> {
    let index = std::fs::read_to_string(site.join("index.html"))?;
    let boot = r#"<script type="module" src="/boot.js"></script>"#;
    if !index.contains(boot) {
        bail!("frontend/assets/index.html no longer loads {boot}");
    }
    for module in AppModule::ALL {
        if module != AppModule::Main {
            let own = format!(
                r#"<script type="module" src="/boot.js?app={}"></script>"#,
                module.binary()
            );
            std::fs::write(site.join(module.html_page()), index.replace(boot, &own))?;
        }
    }
    Ok(())
}

fn gzip_len(bytes: &[u8]) -> Result<u64> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes)?;
    Ok(enc.finish()?.len() as u64)
}

/// `RUSTUP_AUTO_INSTALL=0` keeps rustup from adding the target on its own, so add it here.
fn ensure_wasm_target() -> Result<()> {
    let sysroot = Command::new("rustc").args(["--print", "sysroot"]).output();
    if let Ok(out) = sysroot {
        let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
            .join("lib/rustlib")
            .join(TARGET);
        if path.is_dir() {
            return Ok(());
        }
    }
    println!("adding the Rust target {TARGET} (once)…");
    let status = Command::new("rustup")
        .args(["target", "add", TARGET])
        .status();
    match status {
        Ok(s) if s.success() => Ok(()),
        _ => bail!("cannot add the {TARGET} target; run `rustup target add {TARGET}`"),
    }
}
