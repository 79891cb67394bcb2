//! The release archive as the bureau's IT staff get it: unpacked into an empty folder, its
//! binary run from there with no build tree and no `--assets-dir`, it serves the app (from
//! the files built into it) and the demo data. And the web app's files as browsers get
//! them, from the binary or from `--assets-dir`: hashed names kept for good, pages
//! revalidated, brotli or gzip when asked.
//!
//! `cargo xtask test` builds the archive (`cargo xtask dist --profile dev`: a debug server
//! with the tests' site built in) and names it in `HUMIAO_TEST_ARCHIVE`.

use std::io::{BufRead as _, BufReader, Read as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use humiao_tests::{signed_in, spawn_app, TestDatabase};
use reqwest::header;

fn archive() -> PathBuf {
    std::env::var_os("HUMIAO_TEST_ARCHIVE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!(
                "../target/dist/humiao-{}-x86_64-linux-dev.tar.gz",
                env!("CARGO_PKG_VERSION")
            ))
        })
}

/// The archive's one top folder, unpacked into `into`.
fn unpack(archive: &Path, into: &Path) -> PathBuf {
    let file = std::fs::File::open(archive)
        .unwrap_or_else(|e| panic!("{}: {e} (`cargo xtask test` builds it)", archive.display()));
    tar::Archive::new(flate2::read::GzDecoder::new(file))
        .unpack(into)
        .expect("the archive unpacks");
    let mut tops: Vec<PathBuf> = std::fs::read_dir(into)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(tops.len(), 1, "one top folder: {tops:?}");
    tops.pop().unwrap()
}

/// The binary run from `cwd` with the environment of a fresh shell: nothing of the tests'
/// `HUMIAO_*` settings reaches it.
struct Unpacked {
    child: Child,
    url: String,
}

impl Unpacked {
    fn start(binary: &Path, cwd: &Path, database_url: &str) -> Unpacked {
        let mut command = Command::new(binary);
        command
            .current_dir(cwd)
            .args([
                "serve",
                "--bind",
                "127.0.0.1:0",
                "--database-url",
                database_url,
            ])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("HUMIAO_") {
                command.env_remove(name);
            }
        }
        let mut child = command.spawn().expect("the unpacked binary starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("Humiao is serving on ") {
                    let _ = tx.send(url.trim().to_string());
                }
            }
        });
        // Ends early, with an error, if the process exits first (the sender is dropped).
        let url = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the unpacked binary says where it serves");
        Unpacked { child, url }
    }
}

impl Drop for Unpacked {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The content-hashed file of `prefix` (`/humiao_frontend_bg.`) the page names.
fn named_in(html: &str, prefix: &str, ext: &str) -> String {
    let start = html
        .find(prefix)
        .unwrap_or_else(|| panic!("the page names {prefix}…: {html}"));
    let rest = &html[start..];
    let end = rest.find(ext).expect("the name ends") + ext.len();
    rest[..end].to_string()
}

fn header_of(res: &reqwest::Response, name: header::HeaderName) -> String {
    res.headers()
        .get(&name)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// Checks what a browser gets from the server at `url`: each page names its module by a
/// hashed name, the page is revalidated (a 304 when unchanged), the module is kept for good
/// and sent as brotli or gzip when asked, and as itself when not.
async fn serves_the_app(url: &str) {
    let client = reqwest::Client::new();
    for (path, module) in [
        ("/", "humiao_frontend"),
        ("/sessions/3", "humiao_frontend"),
        ("/dashboard", "humiao_dashboard"),
        ("/admin/stations", "humiao_admin"),
    ] {
        let page = client.get(format!("{url}{path}")).send().await.unwrap();
        assert_eq!(page.status(), 200, "{path}");
        assert_eq!(
            header_of(&page, header::CACHE_CONTROL),
            "no-cache",
            "{path}"
        );
        assert!(header_of(&page, header::CONTENT_TYPE).starts_with("text/html"));
        let etag = header_of(&page, header::ETAG);
        let html = page.text().await.unwrap();
        let wasm = named_in(&html, &format!("/{module}_bg."), ".wasm");
        assert!(html.contains(&format!("?app={module}.")), "{path}: {html}");

        let again = client
            .get(format!("{url}{path}"))
            .header(header::IF_NONE_MATCH, &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{path} unchanged");

        let plain = client.get(format!("{url}{wasm}")).send().await.unwrap();
        assert_eq!(plain.status(), 200, "{wasm}");
        assert_eq!(header_of(&plain, header::CONTENT_TYPE), "application/wasm");
        assert_eq!(
            header_of(&plain, header::CACHE_CONTROL),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(header_of(&plain, header::CONTENT_ENCODING), "");
        let raw = plain.bytes().await.unwrap();
        assert!(raw.starts_with(b"\0asm"), "{wasm} is a WASM module");

        for (accept, encoding) in [("gzip, deflate, br", "br"), ("gzip", "gzip")] {
            let res = client
                .get(format!("{url}{wasm}"))
                .header(header::ACCEPT_ENCODING, accept)
                .send()
                .await
                .unwrap();
            assert_eq!(
                header_of(&res, header::CONTENT_ENCODING),
                encoding,
                "{wasm}"
            );
            assert_eq!(header_of(&res, header::VARY), "Accept-Encoding");
            assert_eq!(
                header_of(&res, header::CACHE_CONTROL),
                "public, max-age=31536000, immutable"
            );
            let body = res.bytes().await.unwrap();
            assert!(body.len() < raw.len(), "{wasm} in {encoding} is smaller");
            let mut decoded = Vec::new();
            match encoding {
                "br" => brotli::Decompressor::new(&body[..], 4096)
                    .read_to_end(&mut decoded)
                    .unwrap(),
                _ => flate2::read::GzDecoder::new(&body[..])
                    .read_to_end(&mut decoded)
                    .unwrap(),
            };
            assert!(decoded == raw, "{wasm} in {encoding} decodes to the module");
        }
    }
    // A module of another build is missing, not answered with a page.
    let stale = client
        .get(format!("{url}/humiao_frontend_bg.0000000000000000.wasm"))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 404);
    let sw = client.get(format!("{url}/sw.js")).send().await.unwrap();
    assert_eq!(sw.status(), 200);
    assert_eq!(header_of(&sw, header::CACHE_CONTROL), "no-cache");
}

#[tokio::test]
async fn the_release_archive_unpacked_in_an_empty_folder_serves_the_app_with_demo_data() {
    let folder = tempfile::tempdir().unwrap();
    let top = unpack(&archive(), folder.path());
    for file in [
        "humiao",
        "README.md",
        "systemd/humiao.service",
        "systemd/humiao-backup.service",
        "systemd/humiao-backup.timer",
        "nginx/humiao.conf",
    ] {
        assert!(top.join(file).is_file(), "the archive holds {file}");
    }
    let unit = std::fs::read_to_string(top.join("systemd/humiao.service")).unwrap();
    for line in [
        "ExecStart=/usr/local/bin/humiao serve --data-dir /var/lib/humiao",
        "DynamicUser=yes",
        "ProtectSystem=strict",
        "StateDirectory=humiao",
        "NoNewPrivileges=yes",
    ] {
        assert!(unit.contains(line), "the unit says {line}");
    }
    let timer = std::fs::read_to_string(top.join("systemd/humiao-backup.service")).unwrap();
    assert!(timer.contains("/usr/local/bin/humiao backup --data-dir /var/lib/humiao"));
    let nginx = std::fs::read_to_string(top.join("nginx/humiao.conf")).unwrap();
    let body_limit = format!(
        "client_max_body_size {}m;",
        humiao_server::routes::imports::DEFAULT_LIMIT_MB
    );
    assert!(nginx.contains(&body_limit), "nginx allows {body_limit}");

    // Run from a folder of its own, beside nothing but the archive's files.
    let cwd = folder.path().join("run");
    std::fs::create_dir(&cwd).unwrap();
    let database = TestDatabase::create().await;
    let server = Unpacked::start(&top.join("humiao"), &cwd, &database.url);
    serves_the_app(&server.url).await;

    let health = reqwest::get(format!("{}/api/health", server.url))
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let officer = signed_in(&server.url, "officer.diaozhuang").await;
    let me: serde_json::Value = officer
        .get(format!("{}/api/v1/auth/me", server.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "officer.diaozhuang", "{me}");
}

#[tokio::test]
async fn the_site_from_the_assets_folder_is_served_like_the_built_in_one() {
    let app = spawn_app().await;
    serves_the_app(&app.url).await;
}
