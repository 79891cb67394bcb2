//! `cargo xtask dist [--profile dev]`: the release archive an operator installs, with no
//! Rust toolchain and no build tree: the `humiao` binary with the web app built into it, the
//! README (and CHANGELOG.md when there is one), and the templates in `dist/` (systemd units,
//! a daily backup timer, an nginx site).
//!
//! `--profile dev` packs a debug server and the tests' site instead: quick to build, the same
//! archive otherwise, for the test that unpacks it (`cargo xtask test` builds it).

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::site::{self, Profile};

/// The platform this machine builds for, as the archive's name says it.
const PLATFORM: &str = "x86_64-linux";

/// The templates beside the binary: (path in `dist/`, mode).
const TEMPLATES: [(&str, u32); 4] = [
    ("systemd/humiao.service", 0o644),
    ("systemd/humiao-backup.service", 0o644),
    ("systemd/humiao-backup.timer", 0o644),
    ("nginx/humiao.conf", 0o644),
];

pub fn profile(args: &[String]) -> Result<Profile> {
    match args {
        [] => Ok(Profile::Release),
        [flag, value] if flag == "--profile" && value == "dev" => Ok(Profile::Dev),
        [flag, value] if flag == "--profile" && value == "release" => Ok(Profile::Release),
        _ => anyhow::bail!("usage: cargo xtask dist [--profile dev|release]"),
    }
}

/// Builds the site, then the server carrying it, and packs the archive; returns its path.
pub fn build(profile: Profile) -> Result<PathBuf> {
    let site = site::build(profile)?;
    let binary = build_server(profile, &site)?;
    pack(profile, &binary)
}

/// Builds `humiao` with the site at `site` built in, and returns the binary.
///
/// The dev build selects the same packages and features as every build of the tests, so
/// cargo resolves the dependencies' features once and the server is compiled once, not once
/// per command. The release build is the server's alone: the quickest from a fresh clone.
pub fn build_server(profile: Profile, site: &Path) -> Result<PathBuf> {
    let mut cmd = crate::cargo();
    cmd.arg("build");
    match profile {
        Profile::Dev => cmd.args(crate::WORKSPACE).args(["--bin", "humiao"]),
        Profile::Release => {
            cmd.args(["--release", "--package", "humiao-server", "--bin", "humiao"])
        }
    };
    cmd.args(EMBED_FEATURE).env("HUMIAO_EMBED_SITE", site);
    crate::status(&mut cmd).context("cannot build the server")?;
    let dir = match profile {
        Profile::Dev => "debug",
        Profile::Release => "release",
    };
    Ok(site::target_dir().join(dir).join("humiao"))
}

/// The server's feature that builds the site into the binary.
pub const EMBED_FEATURE: [&str; 2] = ["--features", "humiao-server/embed-site"];

/// Where the archive of a profile is written.
pub fn archive_path(profile: Profile) -> PathBuf {
    let suffix = match profile {
        Profile::Release => "",
        Profile::Dev => "-dev",
    };
    site::target_dir().join("dist").join(format!(
        "humiao-{}-{PLATFORM}{suffix}.tar.gz",
        env!("CARGO_PKG_VERSION")
    ))
}

/// Writes `humiao-<version>-<platform>/…` into the archive.
fn pack(profile: Profile, binary: &Path) -> Result<PathBuf> {
    let started = std::time::Instant::now();
    let root = site::workspace_root();
    let archive = archive_path(profile);
    std::fs::create_dir_all(archive.parent().context("the archive's folder")?)?;
    let top = format!("humiao-{}-{PLATFORM}", env!("CARGO_PKG_VERSION"));
    let file = std::fs::File::create(&archive)
        .with_context(|| format!("cannot write {}", archive.display()))?;
    // The dev archive holds a debug binary of a few hundred MB, packed at every test run.
    let level = match profile {
        Profile::Release => flate2::Compression::best(),
        Profile::Dev => flate2::Compression::fast(),
    };
    let mut tar = tar::Builder::new(flate2::write::GzEncoder::new(file, level));
    let mut add = |from: &Path, to: &str, mode: u32| -> Result<()> {
        let bytes = std::fs::read(from).with_context(|| format!("{}", from.display()))?;
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(mode);
        header.set_mtime(
            std::fs::metadata(from)?
                .modified()?
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        );
        header.set_cksum();
        tar.append_data(&mut header, format!("{top}/{to}"), &bytes[..])
            .with_context(|| format!("cannot pack {to}"))
    };
    add(binary, "humiao", 0o755)?;
    add(&root.join("README.md"), "README.md", 0o644)?;
    let changelog = root.join("CHANGELOG.md");
    if changelog.is_file() {
        add(&changelog, "CHANGELOG.md", 0o644)?;
    }
    for (template, mode) in TEMPLATES {
        add(&root.join("dist").join(template), template, mode)?;
    }
    tar.into_inner()?.finish()?;
    let size = std::fs::metadata(&archive)?.len();
    println!(
        "release archive: {} ({:.1} MB, packed in {:.1} s)",
        archive.display(),
        size as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    Ok(archive)
}
