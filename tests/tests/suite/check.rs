//! `humiao check`, through the binary: one line per check, pending migrations compared and
//! not applied, nothing created, and a non-zero exit when a check fails.

use std::path::Path;
use std::process::Command;

use humiao_server::db::{Db, Engine as DbEngine};
use humiao_server::routes::charts;
use humiao_tests::database::Engine;
use humiao_tests::{server_binary, site_dir, TestDatabase};

/// Exit code and standard output of `humiao check` with `args`, run in `dir`.
fn check(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(server_binary())
        .current_dir(dir)
        .env_remove("HUMIAO_DATABASE_URL")
        .env_remove("HUMIAO_DATA_DIR")
        .env_remove("HUMIAO_TRUSTED_PROXIES")
        .env("RUST_LOG", "off")
        .arg("check")
        .args(["--bind", "127.0.0.1:0", "--assets-dir"])
        .arg(site_dir())
        .args(args)
        .output()
        .expect("humiao check runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The line about `subject`, e.g. `"migrations"`.
fn line<'a>(out: &'a str, subject: &str) -> &'a str {
    out.lines()
        .find(|l| {
            l.split_once(' ')
                .is_some_and(|(_, rest)| rest.trim_start().starts_with(&format!("{subject}:")))
        })
        .unwrap_or_else(|| panic!("no {subject} line in:\n{out}"))
}

fn migrations(engine: DbEngine) -> usize {
    engine.migrator().iter().count()
}

#[tokio::test]
async fn on_a_new_sqlite_path_check_reports_every_migration_pending_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = check(dir.path(), &["--database-url", "sqlite://./new/humiao.db"]);
    assert_eq!(code, Some(0), "warnings only:\n{out}{err}");
    let pending = line(&out, "migrations");
    assert!(pending.starts_with("warning"), "{pending}");
    let all = format!("all {} pending", migrations(DbEngine::Sqlite));
    assert!(pending.contains(&all), "{pending}");
    assert!(
        line(&out, "database").contains("does not exist yet"),
        "{out}"
    );
    assert!(line(&out, "data folder").starts_with("ok"), "{out}");
    assert!(!dir.path().join("new").exists(), "check created something");

    // The other checks have their line too, and agree with what the server would find.
    assert!(line(&out, "bind").starts_with("ok"), "{out}");
    assert!(line(&out, "trusted proxies").starts_with("ok"), "{out}");
    assert!(line(&out, "web app").starts_with("ok"), "{out}");
    let font = line(&out, "chart font");
    let installed = charts::fonts_in(Path::new(charts::FONT_DIR)).is_some();
    assert_eq!(font.starts_with("ok"), installed, "{font}");
    // The new database and its migrations; the font too when it is not installed.
    let warnings = if installed { 2 } else { 3 };
    let count = format!("0 errors, {warnings} warnings");
    assert!(out.trim_end().ends_with(&count), "{out}");
}

#[tokio::test]
async fn on_a_migrated_database_check_reports_none_pending_and_then_the_one_left_out() {
    let database = TestDatabase::create().await;
    let db = Db::connect(&database.url).await.unwrap();
    let engine = match database.engine {
        Engine::Sqlite => DbEngine::Sqlite,
        Engine::Postgres => DbEngine::Postgres,
    };
    let dir = database.data_dir();
    let (code, out, err) = check(&dir, &["--database-url", &database.url]);
    assert_eq!(code, Some(0), "{out}{err}");
    let applied = line(&out, "migrations");
    let none = format!("all {} applied, none pending", migrations(engine));
    assert!(
        applied.starts_with("ok") && applied.contains(&none),
        "{applied}"
    );
    assert!(line(&out, "database").starts_with("ok"), "{out}");

    // As if this release brought one migration more than the database has.
    let (last,): (i64,) = sqlx::query_as("SELECT MAX(version) FROM _sqlx_migrations")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = $1")
        .bind(last)
        .execute(&db.pool)
        .await
        .unwrap();
    let (code, out, _) = check(&dir, &["--database-url", &database.url]);
    assert_eq!(code, Some(0), "{out}");
    let pending = line(&out, "migrations");
    assert!(pending.starts_with("warning"), "{pending}");
    assert!(
        pending.contains(&format!("1 pending ({last} ")),
        "{pending}"
    );
    // Compared, not applied.
    let (still,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM _sqlx_migrations WHERE version = $1")
            .bind(last)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(still, 0);
}

#[tokio::test]
async fn an_unreachable_postgres_or_a_bad_bind_is_an_error_line_and_a_failure_exit() {
    let dir = tempfile::tempdir().unwrap();
    // Nothing listens on port 1.
    let (code, out, err) = check(
        dir.path(),
        &["--database-url", "postgres://postgres@127.0.0.1:1/humiao"],
    );
    assert_eq!(code, Some(1), "{out}{err}");
    let database = line(&out, "database");
    assert!(database.starts_with("error"), "{database}");
    assert!(
        database.contains("--database-url: cannot open the postgres database"),
        "{database}"
    );
    assert_eq!(err.trim(), "humiao: check found 1 error");
    let last = out.lines().last().unwrap_or_default();
    assert!(last.starts_with("1 error, "), "{out}");

    // A serving setting written before `check` is checked as well.
    let out = Command::new(server_binary())
        .current_dir(dir.path())
        .env_remove("HUMIAO_DATABASE_URL")
        .env_remove("HUMIAO_BIND")
        .env("RUST_LOG", "off")
        .args(["--bind", "nowhere", "check", "--data-dir", "data"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let bind = line(&stdout, "bind");
    assert!(
        bind.starts_with("error") && bind.contains("--bind nowhere"),
        "{bind}"
    );
}
