//! Settings where people write them, through the real binary: the database before or after
//! any command, the serving settings before or after `serve`, a SQLite file named by URL
//! created when missing, and one line naming the setting for every configuration error.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use humiao_tests::database::Engine;
use humiao_tests::{server_binary, site_dir, TestDatabase};

/// What a finished `humiao` said.
struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// `humiao` with no `HUMIAO_*` variable from the environment, in `dir`.
fn humiao_in(dir: &Path) -> Command {
    let mut command = Command::new(server_binary());
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("HUMIAO_") {
            command.env_remove(name);
        }
    }
    command.current_dir(dir).env("RUST_LOG", "off");
    command
}

fn run(dir: &Path, args: &[&str]) -> Ran {
    let out = humiao_in(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("humiao runs");
    Ran {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A `humiao` serving, ended when dropped.
struct Serving {
    child: Child,
    url: String,
    /// What it printed before it said where it serves.
    said: Vec<String>,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `humiao` with `args` and reads its output until it serves.
fn serve(dir: &Path, args: &[&str]) -> Serving {
    let mut child = humiao_in(dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("humiao starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut said = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("a line");
        if let Some(url) = line.strip_prefix("Humiao is serving on ") {
            return Serving {
                url: url.trim().to_string(),
                child,
                said,
            };
        }
        said.push(line);
    }
    let status = child.wait().expect("it ended");
    panic!("humiao {args:?} ended before serving ({status}): {said:?}");
}

/// A port nothing listens on now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

#[tokio::test]
async fn every_command_takes_the_database_before_or_after_it() {
    let database = TestDatabase::create().await;
    let dir = database.data_dir();
    let url = database.url.as_str();
    // The first run creates the tables (and, on SQLite, the file).
    let added = humiao_in(&dir)
        .args([
            "--database-url",
            url,
            "user",
            "add",
            "--username",
            "first.admin",
        ])
        .args(["--role", "admin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write as _;
            let mut stdin = child.stdin.take().expect("stdin");
            writeln!(stdin, "a long enough password 1")?;
            drop(stdin);
            child.wait_with_output()
        })
        .expect("user add runs");
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );

    let lines: [&[&str]; 6] = [
        &["--database-url", url, "user", "list"],
        &["user", "--database-url", url, "list"],
        &["user", "list", "--database-url", url],
        &["--database-url", url, "rollups", "check"],
        &["rollups", "check", "--database-url", url],
        &["rollups", "--database-url", url, "check"],
    ];
    for args in lines {
        let ran = run(&dir, args);
        assert_eq!(ran.code, Some(0), "{args:?}: {}", ran.stderr);
        if args.contains(&"user") {
            assert!(
                ran.stdout.contains("first.admin"),
                "{args:?}: {}",
                ran.stdout
            );
        }
    }
    // The data folder too, before a command or after it.
    for args in [
        &["--data-dir", "elsewhere", "user", "list"][..],
        &["user", "list", "--data-dir", "elsewhere"],
    ] {
        let ran = run(&dir, args);
        assert_eq!(ran.code, Some(0), "{args:?}: {}", ran.stderr);
        assert!(!ran.stdout.contains("first.admin"), "another database");
    }
    assert!(dir.join("elsewhere/humiao.db").is_file());
}

#[tokio::test]
async fn backup_takes_the_database_before_or_after_it() {
    if Engine::under_test() != Engine::Sqlite {
        return; // backup copies SQLite; PostgreSQL has pg_dump
    }
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("live.db").display());
    assert_eq!(
        run(dir.path(), &["user", "list", "--database-url", &url]).code,
        Some(0)
    );
    for (n, args) in [
        &["--database-url", &url, "backup", "one.db"][..],
        &["backup", "two.db", "--database-url", &url],
    ]
    .into_iter()
    .enumerate()
    {
        let ran = run(dir.path(), args);
        assert_eq!(ran.code, Some(0), "{args:?}: {}", ran.stderr);
        let copy = ["one.db", "two.db"][n];
        assert!(dir.path().join(copy).is_file(), "{copy}");
    }
}

#[tokio::test]
async fn a_sqlite_file_named_by_url_is_created_for_serve_and_gen() {
    let dir = tempfile::tempdir().unwrap();
    // Relative to where it runs, as README's `sqlite://./…`, in a folder not there yet.
    let server = serve(
        dir.path(),
        &[
            "serve",
            "--database-url",
            "sqlite://./new/served.db",
            "--bind",
            "127.0.0.1:0",
        ],
    );
    assert!(dir.path().join("new/served.db").is_file());
    drop(server);

    let generated = dir.path().join("gen").join("g.db");
    let url = format!("sqlite://{}", generated.display());
    let ran = run(
        dir.path(),
        &["--database-url", &url, "gen", "--scale", "city"],
    );
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(ran.stdout.starts_with("generated "), "{}", ran.stdout);
    assert!(generated.is_file());
}

#[tokio::test]
async fn serving_settings_are_taken_before_or_after_serve() {
    let database = TestDatabase::create().await;
    let dir = database.data_dir();
    let site = site_dir();
    let site = site.to_str().unwrap();
    for before_serve in [true, false] {
        let port = free_port();
        let bind = format!("127.0.0.1:{port}");
        let serving = ["--bind", &bind, "--no-demo", "--assets-dir", site];
        let command = ["serve", "--database-url", database.url.as_str()];
        let args: Vec<&str> = if before_serve {
            serving.iter().chain(&command).copied().collect()
        } else {
            command.iter().chain(&serving).copied().collect()
        };
        let server = serve(&dir, &args);
        assert_eq!(server.url, format!("http://{bind}"), "{args:?}");
        // Without demonstration data there is no administrator: `--no-demo` was taken.
        assert!(
            server
                .said
                .iter()
                .any(|l| l.contains("no administrator account yet")),
            "{args:?}: {:?}",
            server.said
        );
        let page = reqwest::get(format!("{}/", server.url)).await.unwrap();
        assert_eq!(
            page.status(),
            200,
            "{args:?}: the web app from --assets-dir"
        );
    }
}

#[tokio::test]
async fn a_serving_setting_given_to_another_command_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let ran = run(dir.path(), &["--bind", "127.0.0.1:0", "user", "list"]);
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    let first = ran.stderr.lines().next().unwrap_or_default();
    assert!(first.contains("--bind"), "{}", ran.stderr);
    assert!(first.contains("humiao user"), "{}", ran.stderr);
    assert!(!dir.path().join("data").exists(), "nothing was opened");
}

#[tokio::test]
async fn each_configuration_error_is_one_line_naming_its_setting() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "not a folder").unwrap();
    let under_file = file.join("data");
    let under_file = under_file.to_str().unwrap();
    let sqlite_under_file = format!("sqlite://{under_file}/h.db");
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let taken = taken.local_addr().unwrap().to_string();
    let in_use = format!("--bind {taken}: cannot listen there");
    let db = format!("sqlite://{}", dir.path().join("ok.db").display());
    let cases: [(&[&str], i32, &str); 7] = [
        (
            &["serve", "--database-url", "mysql://root:secret@db/humiao"],
            2,
            "--database-url: unsupported database URL scheme \"mysql\"",
        ),
        (
            &[
                "user",
                "list",
                "--database-url",
                "mysql://root:secret@db/humiao",
            ],
            2,
            "--database-url: unsupported database URL scheme",
        ),
        (
            &["--bind", "no-port-here", "--database-url", &db],
            2,
            "--bind no-port-here: not an address and port",
        ),
        (&["user", "list", "--data-dir", under_file], 2, "--data-dir"),
        (
            &[
                "gen",
                "--scale",
                "city",
                "--database-url",
                &sqlite_under_file,
            ],
            2,
            "--database-url: the folder",
        ),
        (
            &[
                "rollups",
                "check",
                "--database-url",
                "postgres://postgres@127.0.0.1:1/humiao",
            ],
            1,
            "--database-url: cannot open the postgres database",
        ),
        (
            &[
                "serve",
                "--no-demo",
                "--bind",
                &taken,
                "--database-url",
                &db,
            ],
            1,
            &in_use,
        ),
    ];
    for (args, code, names) in cases {
        let ran = run(dir.path(), args);
        assert_eq!(ran.code, Some(code), "{args:?}: {}", ran.stderr);
        let stderr = ran.stderr.trim();
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with("humiao: "), "{args:?}: {stderr}");
        assert!(stderr.contains(names), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("secret"),
            "a password is never repeated: {stderr}"
        );
    }
    // A value clap itself refuses names its flag on the first line, with status 2.
    let ran = run(
        dir.path(),
        &["serve", "--trusted-proxies", "10.0.0.1,nginx.local"],
    );
    assert_eq!(ran.code, Some(2));
    let first = ran.stderr.lines().next().unwrap_or_default();
    assert!(
        first.contains("--trusted-proxies") && first.contains("nginx.local"),
        "{}",
        ran.stderr
    );
}
