//! What the browser tests need from the operating system: Chromium, its WebDriver and a
//! CJK font, and poppler-utils to read the report's PDF (PostgreSQL is in `postgres.rs`). Installed from Debian's packages when missing and running as root; otherwise
//! the test run stops and says what to install, rather than skipping the browser tests.

use std::path::Path;
use std::process::Command;

use anyhow::{bail, Result};

const NEEDS: [(&str, &str); 4] = [
    ("chromium", "/usr/bin/chromium"),
    ("chromium-driver", "/usr/bin/chromedriver"),
    (
        "fonts-noto-cjk",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    ),
    // The report's PDF is read back with pdfinfo, pdftotext and pdftoppm.
    ("poppler-utils", "/usr/bin/pdfinfo"),
];

pub fn ensure_test_packages() -> Result<()> {
    let missing: Vec<&str> = NEEDS
        .iter()
        .filter(|(_, path)| !Path::new(path).exists())
        .map(|(pkg, _)| *pkg)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    if !is_root() {
        bail!(
            "the browser tests need these Debian packages: sudo apt-get install -y {}",
            missing.join(" ")
        );
    }
    println!("installing {} …", missing.join(" "));
    apt_install(&missing)
}

/// Installs Debian packages (the caller checked that this runs as root).
pub fn apt_install(packages: &[&str]) -> Result<()> {
    crate::status(Command::new("apt-get").args(["update", "-qq"]))?;
    crate::status(
        Command::new("apt-get")
            .env("DEBIAN_FRONTEND", "noninteractive")
            .args(["install", "-y", "-qq"])
            .args(packages),
    )
}

pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}
