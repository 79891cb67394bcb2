//! Builds the web app: the frontend crate to WASM with cargo, then wasm-bindgen as a library,
//! then `index.html` beside them. Prints the module's size, raw and gzipped.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context as _, Result};

const TARGET: &str = "wasm32-unknown-unknown";
const CRATE: &str = "humiao_frontend";

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
    let wasm = target
        .join(TARGET)
        .join(profile.cargo_profile())
        .join(format!("{CRATE}.wasm"));

    let site = target.join(profile.site_dir());
    std::fs::create_dir_all(&site)?;
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .web(true)?
        // Keeps the default `new URL('…_bg.wasm', import.meta.url)`, so `init()` finds the module.
        .omit_default_module_path(false)
        .typescript(false)
        .generate(&site)
        .context("wasm-bindgen failed")?;

    let assets = root.join("frontend").join("assets");
    for entry in std::fs::read_dir(&assets).with_context(|| format!("{}", assets.display()))? {
        let entry = entry?;
        std::fs::copy(entry.path(), site.join(entry.file_name()))?;
    }

    let module = site.join(format!("{CRATE}_bg.wasm"));
    let raw = std::fs::metadata(&module)?.len();
    let gz = gzip_len(&std::fs::read(&module)?)?;
    println!(
        "web app ({:?}) in {}: {CRATE}_bg.wasm {} KB raw, {} KB gzip",
        profile,
        site.display(),
        raw / 1024,
        gz / 1024
    );
    Ok(site)
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
