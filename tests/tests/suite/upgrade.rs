//! Upgrades: a database as each release wrote it (`tests/fixtures/upgrade/<version>/`,
//! written by `cargo xtask fixture upgrade`) opens with the current server, whose start runs
//! the pending migrations, and keeps every row of every table and the dashboard's figures, with
//! the schema of a new database; a migration that fails leaves such a database as it was; a
//! database whose migration records the binary does not have is refused. On the engine under
//! test. And the binary names its release, which the change log has.

use std::path::{Path, PathBuf};

use humiao_server::db::Db;
use humiao_server::startup::Application;
use humiao_tests::database::Engine;
use humiao_tests::upgrade::{self, Expected};
use humiao_tests::TestDatabase;

/// Every release's fixture, oldest first.
fn releases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(upgrade::fixtures())
        .expect("tests/fixtures/upgrade")
        .map(|entry| entry.expect("a fixture folder").path())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no release's fixture to upgrade");
    dirs
}

/// A fresh database holding the release's dump, not yet migrated any further.
async fn restored(release: &Path) -> (TestDatabase, Expected) {
    let database = TestDatabase::create().await;
    let dump = std::fs::read_to_string(release.join(format!("{}.sql", database.engine.name())))
        .expect("the engine's dump");
    upgrade::load(database.engine, &database.url, &dump)
        .await
        .unwrap_or_else(|e| panic!("{}: the dump loads: {e:#}", release.display()));
    let expected = Expected::read(release).expect("expected.json");
    (database, expected)
}

/// The tables whose rows (the columns the release had) differ from what it left.
async fn changed_tables(db: &Db, engine: Engine, expected: &Expected) -> Vec<String> {
    let mut changed = vec![];
    for (table, before) in &expected.tables {
        match upgrade::digest(&db.pool, table, &before.columns, "").await {
            Ok(now) if now == *before => {}
            Ok(now) => changed.push(format!(
                "{table}: {} rows before, {} now{}",
                before.rows,
                now.rows,
                if now.rows == before.rows {
                    " (their content changed)"
                } else {
                    ""
                }
            )),
            Err(e) => changed.push(format!("{table}: {e:#}")),
        }
    }
    let before = &expected.migrations[engine.name()];
    match upgrade::digest_migrations(&db.pool, Some(expected.last_migration)).await {
        Ok(now) if now == *before => {}
        Ok(now) => changed.push(format!(
            "{}: {} migrations recorded before, {} now (or their checksums changed)",
            upgrade::MIGRATIONS_TABLE,
            before.rows,
            now.rows
        )),
        Err(e) => changed.push(format!("{}: {e:#}", upgrade::MIGRATIONS_TABLE)),
    }
    changed
}

#[tokio::test]
async fn every_earlier_release_database_keeps_its_rows_and_figures_after_the_upgrade() {
    for release in releases() {
        let (database, expected) = restored(&release).await;
        let engine = database.engine;
        // The server's start applies the migrations the release did not have.
        let app = Application::build(database.settings(true))
            .await
            .unwrap_or_else(|e| panic!("{}: the server starts: {e:#}", expected.release));
        let url = app.url();
        let db = app.db().clone();
        tokio::spawn(app.run_until_stopped());

        assert!(
            expected.tables.len() > 20 && expected.tables["sessions"].rows > 0,
            "{}: the fixture holds rows",
            expected.release
        );
        // Before anyone signs in, which writes a row.
        let changed = changed_tables(&db, engine, &expected).await;
        assert!(
            changed.is_empty(),
            "{} on {}: the upgrade changed rows:\n{}",
            expected.release,
            engine.name(),
            changed.join("\n")
        );

        // The schema is a new installation's, statement for statement.
        let new_database = TestDatabase::create_on(engine).await;
        let new = Db::connect(&new_database.url)
            .await
            .expect("a new database");
        let (upgraded, fresh) = (
            upgrade::schema(&db.pool, engine).await.expect("schema"),
            upgrade::schema(&new.pool, engine).await.expect("schema"),
        );
        assert!(upgraded.tables.len() > 20, "{upgraded:#?}");
        assert_eq!(
            upgraded,
            fresh,
            "{} on {}: the upgraded schema differs from a new database's",
            expected.release,
            engine.name()
        );

        let (top, district) =
            upgrade::dashboards(&url, expected.campaign_id, expected.district_id).await;
        let mut differ = vec![];
        upgrade::differences(
            "dashboard",
            &upgrade::as_sent_now(&expected.dashboard),
            &top,
            &mut differ,
        );
        upgrade::differences(
            "district",
            &upgrade::as_sent_now(&expected.district_dashboard),
            &district,
            &mut differ,
        );
        assert!(
            differ.is_empty(),
            "{} on {}: the dashboard's figures changed:\n{}",
            expected.release,
            engine.name(),
            differ.join("\n")
        );
    }
}

/// A migration that changes rows and then fails keeps none of its changes: the database
/// is as the current migrations left it, row for row (schema.rs checks the same for the
/// schema of a new database).
#[tokio::test]
async fn a_failing_migration_leaves_a_release_database_as_it_was() {
    let release = releases().pop().expect("a release");
    let (database, _) = restored(&release).await;
    let engine = database.engine;
    let db = Db::connect(&database.url)
        .await
        .expect("the current migrations apply");
    let before = upgrade::digest_all(&db.pool, engine)
        .await
        .expect("the rows before");
    assert!(before.0["sessions"].rows > 0 && before.0["school_enrolments"].rows > 0);
    let folder = tempfile::tempdir().expect("a folder");
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../migrations")
        .join(engine.name());
    for entry in std::fs::read_dir(source).expect("the migrations") {
        let entry = entry.expect("a migration");
        std::fs::copy(entry.path(), folder.path().join(entry.file_name())).expect("copied");
    }
    std::fs::write(
        folder.path().join("9999_broken.sql"),
        "UPDATE sessions SET notes = 'lost';\n\
         DELETE FROM school_enrolments;\n\
         CREATE TABLE half_done (x BIGINT);\n\
         INSERT INTO no_such_table VALUES (1);\n",
    )
    .expect("written");
    let migrator = sqlx::migrate::Migrator::new(folder.path())
        .await
        .expect("the migrations read");
    assert!(
        migrator.run(&db.pool).await.is_err(),
        "the broken migration fails"
    );

    let after = upgrade::digest_all(&db.pool, engine)
        .await
        .expect("the rows after");
    let changed: Vec<&String> = after
        .0
        .iter()
        .filter(|(table, digest)| before.0.get(*table) != Some(digest))
        .map(|(table, _)| table)
        .collect();
    assert!(
        changed.is_empty() && after.0.len() == before.0.len(),
        "{}: the failed migration left changes in {changed:?}",
        engine.name()
    );
    assert_eq!(
        after.1,
        before.1,
        "{}: the failed migration is not recorded",
        engine.name()
    );
    let tables = upgrade::table_names(&db.pool, engine)
        .await
        .expect("the tables");
    assert!(!tables.iter().any(|t| t == "half_done"), "{tables:?}");
}

/// The fixture keeps the records of the migrations the release applied, and the server
/// checks them at start: an old migration's file edited since, or a database already
/// migrated by a later release (a rollback without restoring the backup), stops the start
/// with one clear error instead of a schema unlike every other installation's.
#[tokio::test]
async fn a_release_database_with_migrations_the_binary_does_not_have_is_refused() {
    let release = releases().pop().expect("a release");
    let (database, expected) = restored(&release).await;
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&database.url).await.expect("opened");
    let refusal = || async {
        match Db::connect(&database.url).await {
            Ok(_) => None,
            Err(e) => Some(format!("{e:#}")),
        }
    };
    let checksum = |value: Vec<u8>| {
        sqlx::query("UPDATE _sqlx_migrations SET checksum = $1 WHERE version = 1").bind(value)
    };
    let (original,): (Vec<u8>,) =
        sqlx::query_as("SELECT checksum FROM _sqlx_migrations WHERE version = 1")
            .fetch_one(&pool)
            .await
            .expect("the first migration's checksum");

    // The first migration's file edited since the release applied it.
    checksum(vec![0; 48]).execute(&pool).await.expect("edited");
    let error = refusal().await.expect("an edited migration is refused");
    assert!(
        error.contains("cannot apply database migrations")
            && error.contains("previously applied but has been modified"),
        "{}: {error}",
        expected.release
    );
    checksum(original).execute(&pool).await.expect("put back");

    // A later release's migration: a rollback that kept the migrated database.
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         SELECT 99999, 'a later release', success, checksum, 0 FROM _sqlx_migrations
         WHERE version = 1",
    )
    .execute(&pool)
    .await
    .expect("recorded");
    let error = refusal().await.expect("an unknown migration is refused");
    assert!(
        error.contains("cannot apply database migrations")
            && error.contains("previously applied but is missing"),
        "{}: {error}",
        expected.release
    );
    pool.close().await;
}

/// The binary says which release it is, and the change log has that release's entry.
#[tokio::test]
async fn the_binary_names_its_release_and_the_change_log_has_it() {
    let version = env!("CARGO_PKG_VERSION");
    let output = tokio::process::Command::new(humiao_tests::server_binary())
        .arg("--version")
        .output()
        .await
        .expect("humiao runs");
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        format!("humiao {version}")
    );
    let log =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../CHANGELOG.md"))
            .expect("CHANGELOG.md");
    assert!(
        log.lines()
            .any(|line| line.starts_with("## ") && line.contains(version)),
        "CHANGELOG.md has no entry for {version}"
    );
}
