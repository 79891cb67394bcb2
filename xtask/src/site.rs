//! Builds the web app: the frontend crate's binaries to WASM with cargo, one per module of
//! `shared::app::AppModule` (main, dashboard, admin), then wasm-bindgen as a library on
//! each, then `frontend/assets` beside them with one HTML page per module, made from
//! `index.html`. Prints each module's size, raw and compressed.
//!
//! Every file a page loads gets a content-hashed name (`humiao_frontend_bg.<hash>.wasm`), so
//! the server can let browsers keep it for a year without asking again (`immutable`); the
//! pages, which name those files, and `sw.js` keep fixed names and are asked for each time.
//! Each text or WASM file also gets its gzip and brotli variants (`NAME.gz`, `NAME.br`),
//! written once here rather than by the server on every request.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context as _, Result};
use humiao_shared::app::AppModule;
use sha2::Digest as _;

const TARGET: &str = "wasm32-unknown-unknown";

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

    /// Brotli's quality: the best for what ships (seconds per module, once per release), a
    /// quick one for the tests' multi-megabyte unoptimised modules.
    fn brotli_quality(self) -> i32 {
        match self {
            Profile::Release => 11,
            Profile::Dev => 4,
        }
    }

    fn gzip_level(self) -> flate2::Compression {
        match self {
            Profile::Release => flate2::Compression::best(),
            Profile::Dev => flate2::Compression::fast(),
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
    // Names change with the content: files of an earlier build would stay beside the new
    // ones, and be served or embedded for nothing.
    if site.exists() {
        std::fs::remove_dir_all(&site).with_context(|| format!("{}", site.display()))?;
    }
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
    let names = fingerprint(&site)?;
    write_module_pages(&site, &names)?;
    let started = std::time::Instant::now();
    precompress(&site, profile)?;
    let compressing = started.elapsed();

    println!(
        "web app ({profile:?}) in {} (gzip and brotli variants in {:.1} s):",
        site.display(),
        compressing.as_secs_f64()
    );
    for (_, module) in &names.modules {
        let size = |name: &str| std::fs::metadata(site.join(name)).map(|m| m.len() / 1024);
        println!(
            "  {} {} KB raw, {} KB gzip, {} KB brotli",
            module.wasm,
            size(&module.wasm)?,
            size(&format!("{}.gz", module.wasm))?,
            size(&format!("{}.br", module.wasm))?,
        );
    }
    Ok(site)
}

/// The hashed names of the files the pages load.
struct Names {
    style: String,
    boot: String,
    modules: Vec<(AppModule, Module)>,
}

struct Module {
    js: String,
    wasm: String,
}

/// Renames the files the pages load to content-hashed names. A module's JS names its WASM,
/// so the WASM is renamed first and the JS, rewritten to the new name, hashed after.
fn fingerprint(site: &Path) -> Result<Names> {
    let mut modules = Vec::new();
    for module in AppModule::ALL {
        let name = module.binary();
        let wasm = rename_hashed(site, &format!("{name}_bg.wasm"))?;
        let js_path = site.join(format!("{name}.js"));
        let js = std::fs::read_to_string(&js_path)?;
        let old = format!("'{name}_bg.wasm'");
        if !js.contains(&old) {
            bail!("wasm-bindgen's {name}.js no longer names {old}");
        }
        std::fs::write(&js_path, js.replace(&old, &format!("'{wasm}'")))?;
        let js = rename_hashed(site, &format!("{name}.js"))?;
        modules.push((module, Module { js, wasm }));
    }
    Ok(Names {
        style: rename_hashed(site, "style.css")?,
        boot: rename_hashed(site, "boot.js")?,
        modules,
    })
}

/// `NAME.EXT` becomes `NAME.<16 hex digits of its SHA-256>.EXT`; returns the new name.
fn rename_hashed(site: &Path, file: &str) -> Result<String> {
    let path = site.join(file);
    let bytes = std::fs::read(&path).with_context(|| format!("{}", path.display()))?;
    let (stem, ext) = file
        .rsplit_once('.')
        .context("a file name without extension")?;
    let digest = sha2::Sha256::digest(&bytes);
    let hash: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    let name = format!("{stem}.{hash}.{ext}");
    std::fs::rename(&path, site.join(&name))?;
    Ok(name)
}

/// Each module's HTML page: `index.html` naming the hashed style sheet and `boot.js`, with
/// `boot.js` told which module to load. The module's JS and WASM are named in the page too
/// (`modulepreload`, `preload`), so the browser fetches them alongside `boot.js` instead of
/// one after the other: on a phone's link each round trip costs hundreds of milliseconds.
fn write_module_pages(site: &Path, names: &Names) -> Result<()> {
    let index = std::fs::read_to_string(site.join("index.html"))?;
    let boot = r#"<script type="module" src="/boot.js"></script>"#;
    let style = r#"href="/style.css""#;
    for expected in [boot, style] {
        if !index.contains(expected) {
            bail!("frontend/assets/index.html no longer has {expected}");
        }
    }
    let index = index.replace(style, &format!(r#"href="/{}""#, names.style));
    for (module, files) in &names.modules {
        let app = files.js.strip_suffix(".js").unwrap_or(&files.js);
        let own = format!(
            r#"<link rel="modulepreload" href="/{js}">
  <link rel="preload" href="/{wasm}" as="fetch" type="application/wasm" crossorigin>
  <script type="module" src="/{boot}?app={app}"></script>"#,
            js = files.js,
            wasm = files.wasm,
            boot = names.boot,
        );
        std::fs::write(site.join(module.html_page()), index.replace(boot, &own))?;
    }
    Ok(())
}

/// Writes `NAME.gz` and `NAME.br` beside each file worth compressing, when smaller.
fn precompress(site: &Path, profile: Profile) -> Result<()> {
    for entry in std::fs::read_dir(site)? {
        let path = entry?.path();
        let compressible = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "html" | "js" | "css" | "wasm" | "svg" | "json"));
        if !path.is_file() || !compressible {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), profile.gzip_level());
        gz.write_all(&bytes)?;
        let gz = gz.finish()?;
        let mut br = Vec::new();
        let params = brotli::enc::BrotliEncoderParams {
            quality: profile.brotli_quality(),
            lgwin: 22,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut &bytes[..], &mut br, &params)?;
        for (variant, ext) in [(gz, "gz"), (br, "br")] {
            if variant.len() < bytes.len() {
                let mut name = path.clone().into_os_string();
                name.push(format!(".{ext}"));
                std::fs::write(name, variant)?;
            }
        }
    }
    Ok(())
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
