//! `cargo xtask fixture upgrade` (`humiao-bench fixture upgrade`): writes the database this
//! release leaves behind, on both engines, into `tests/fixtures/upgrade/<version>/` for the
//! next releases' upgrade test (`tests/tests/suite/upgrade.rs`; the shared parts are in
//! `humiao_tests::upgrade`). A test-only command: the server's CLI has no need of it.
//!
//! The data: the demo as of [`DEMO_DAY`] (campaigns 2024 and 2025), cut down to one district
//! and three of its stations, so that the dumps stay small, then a little use through the API (a failed login, a
//! session entered with an `Idempotency-Key`, a leader signed in). It is made on SQLite and
//! copied row for row into a PostgreSQL database the same migrations made, so both dumps
//! hold the same rows and `expected.json` one hash per table. Each run gives new
//! timestamps, tokens and password salts; the figures and ids stay the same.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{ensure, Context as _};
use chrono::NaiveDate;
use humiao_server::db::{self, Db};
use humiao_server::startup::Application;
use humiao_tests::database::{Engine, TestDatabase};
use humiao_tests::upgrade::{self, Expected, MIGRATIONS_TABLE};
use serde_json::json;
use sqlx::{AnyPool, Connection as _};

/// The day the demo is loaded as of: both campaigns whole, whatever the date of the run.
const DEMO_DAY: NaiveDate = NaiveDate::from_ymd_opt(2025, 12, 31).expect("a date");
/// The district kept (天宁分局: 雕庄's station, school and accounts are in it), and the
/// stations of it kept (天宁, 雕庄, 红梅), with their schools and records.
const DISTRICT: &str = "TN";
const STATIONS: [&str; 3] = ["TN01", "TN02", "TN03"];
const CAMPAIGN_YEAR: i64 = 2025;
/// Rows per INSERT in a dump.
const ROWS_PER_INSERT: usize = 100;

pub async fn run(args: &[String]) -> anyhow::Result<()> {
    ensure!(
        args == ["upgrade"],
        "usage: humiao-bench fixture upgrade (the only fixture it writes)"
    );
    let dir = upgrade::fixtures().join(env!("CARGO_PKG_VERSION"));
    write(&dir).await?;
    println!("wrote {}", dir.display());
    Ok(())
}

async fn write(dir: &Path) -> anyhow::Result<()> {
    let sqlite = TestDatabase::create_on(Engine::Sqlite).await;
    {
        let db = Db::connect(&sqlite.url).await?;
        humiao_server::demo::load(&db, DEMO_DAY).await?;
        db.pool.close().await;
    }
    keep_one_district(&sqlite.url).await?;
    let (url, db) = start(&sqlite).await?;
    db::rollups::rebuild_all(&db).await?;
    use_it(&url, &db).await?;
    let (campaign_id,): (i64,) = sqlx::query_as("SELECT id FROM campaigns WHERE year = $1")
        .bind(CAMPAIGN_YEAR)
        .fetch_one(&db.pool)
        .await?;
    let (district_id,): (i64,) = sqlx::query_as("SELECT id FROM districts WHERE code = $1")
        .bind(DISTRICT)
        .fetch_one(&db.pool)
        .await?;
    let (dashboard, district_dashboard) = upgrade::dashboards(&url, campaign_id, district_id).await;
    let (tables, lite_migrations) = upgrade::digest_all(&db.pool, Engine::Sqlite).await?;
    let sqlite_dump = dump(&db.pool, Engine::Sqlite).await?;

    let postgres = TestDatabase::create_on(Engine::Postgres).await;
    let pg = Db::connect(&postgres.url).await?;
    copy_rows(&db.pool, &postgres.url, &pg.pool).await?;
    let (pg_tables, pg_migrations) = upgrade::digest_all(&pg.pool, Engine::Postgres).await?;
    ensure!(
        pg_tables == tables,
        "the PostgreSQL copy differs from the SQLite database"
    );
    let postgres_dump = dump(&pg.pool, Engine::Postgres).await?;
    // The figures must not depend on the engine (signing in here is after the dump).
    let (pg_url, _) = start(&postgres).await?;
    let pg_answers = upgrade::dashboards(&pg_url, campaign_id, district_id).await;
    ensure!(
        pg_answers == (dashboard.clone(), district_dashboard.clone()),
        "the dashboard differs between the engines"
    );
    ensure!(
        dashboard["summary"]["sessions"].as_i64().unwrap_or(0) > 0,
        "the dashboard counts no sessions: {dashboard}"
    );

    let (last_migration,): (i64,) =
        sqlx::query_as(&format!("SELECT MAX(version) FROM {MIGRATIONS_TABLE}"))
            .fetch_one(&db.pool)
            .await?;
    let expected = Expected {
        release: env!("CARGO_PKG_VERSION").into(),
        last_migration,
        tables,
        migrations: BTreeMap::from([
            ("sqlite".to_string(), lite_migrations),
            ("postgres".to_string(), pg_migrations),
        ]),
        campaign_id,
        district_id,
        dashboard,
        district_dashboard,
    };
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("sqlite.sql"), sqlite_dump)?;
    std::fs::write(dir.join("postgres.sql"), postgres_dump)?;
    std::fs::write(
        dir.join("expected.json"),
        serde_json::to_string_pretty(&expected)? + "\n",
    )?;
    Ok(())
}

/// The server on `database`, without demo data; its address and database.
async fn start(database: &TestDatabase) -> anyhow::Result<(String, Db)> {
    let app = Application::build(database.settings(true)).await?;
    let (url, db) = (app.url(), app.db().clone());
    tokio::spawn(app.run_until_stopped());
    Ok((url, db))
}

/// Deletes every district but [`DISTRICT`], every station but [`STATIONS`] and, table by
/// table along the foreign keys, every row that belonged to one; the rollups are rebuilt
/// afterwards.
async fn keep_one_district(url: &str) -> anyhow::Result<()> {
    let mut conn = sqlx::SqliteConnection::connect(url).await?;
    sqlx::raw_sql("PRAGMA foreign_keys = OFF")
        .execute(&mut conn)
        .await?;
    let keys: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT m.name, p.\"from\", p.\"table\", COALESCE(p.\"to\", 'id')
         FROM sqlite_master m, pragma_foreign_key_list(m.name) p WHERE m.type = 'table'",
    )
    .fetch_all(&mut conn)
    .await?;
    let mut tx = conn.begin().await?;
    sqlx::query("DELETE FROM districts WHERE code <> $1")
        .bind(DISTRICT)
        .execute(&mut *tx)
        .await?;
    sqlx::query(&format!(
        "DELETE FROM stations WHERE code NOT IN ('{}')",
        STATIONS.join("', '")
    ))
    .execute(&mut *tx)
    .await?;
    loop {
        let mut deleted = 0;
        for (table, column, parent, key) in &keys {
            deleted += sqlx::query(&format!(
                "DELETE FROM {table} WHERE {column} IS NOT NULL
                 AND {column} NOT IN (SELECT {key} FROM {parent})"
            ))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        if deleted == 0 {
            break;
        }
    }
    tx.commit().await?;
    let dangling: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
        .fetch_all(&mut conn)
        .await?;
    ensure!(dangling.is_empty(), "rows left dangling: {dangling:?}");
    conn.close().await?;
    Ok(())
}

/// A little use through the API, so that the tables of accounts and requests hold rows.
async fn use_it(url: &str, db: &Db) -> anyhow::Result<()> {
    let failed = humiao_tests::cookie_client()
        .post(format!("{url}/api/v1/auth/login"))
        .json(&json!({"username": "leader", "password": "wrong"}))
        .send()
        .await?;
    ensure!(
        failed.status() == 401,
        "a wrong password: {}",
        failed.status()
    );

    let officer = humiao_tests::signed_in(url, "officer.diaozhuang").await;
    let refs: (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT c.id, s.station_id, s.id, (SELECT MIN(id) FROM topics)
         FROM campaigns c, schools s WHERE c.year = $1 AND s.name = '雕庄小学'",
    )
    .bind(CAMPAIGN_YEAR)
    .fetch_one(&db.pool)
    .await?;
    let res = officer
        .post(format!("{url}/api/v1/sessions"))
        .header("Idempotency-Key", "fixture-0001")
        .json(&json!({
            "campaign_id": refs.0,
            "station_id": refs.1,
            "school_id": refs.2,
            "held_on": "2025-11-20",
            "format": "class_talk",
            "topic_ids": [refs.3],
            "audience": {"students": 42, "teachers": 2},
            "notes": "entered by the upgrade fixture",
            "confirm_distinct": true,
        }))
        .send()
        .await?;
    let status = res.status();
    ensure!(
        status == 201,
        "a session entered: {status} {}",
        res.text().await?
    );
    Ok(())
}

/// Copies every row (but the migrations') from SQLite into `pg`, whose migrations are the
/// same, then moves the id sequences past the last id as SQLite would number the next row.
async fn copy_rows(lite: &AnyPool, pg_url: &str, pg: &AnyPool) -> anyhow::Result<()> {
    let mut script = String::from("BEGIN;\nSET LOCAL session_replication_role = replica;\n");
    for table in upgrade::table_names(lite, Engine::Sqlite).await? {
        if table != MIGRATIONS_TABLE {
            // SQLite's quote() writes integers bare and text as '…' with '' doubled, as
            // PostgreSQL reads it (standard_conforming_strings).
            script.push_str(&inserts(lite, Engine::Sqlite, &table).await?);
        }
    }
    for (table, column, _) in identities(pg).await? {
        writeln!(
            script,
            "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), \
             COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false);"
        )?;
    }
    script.push_str("COMMIT;\n");
    upgrade::load(Engine::Postgres, pg_url, &script)
        .await
        .context("cannot copy the rows into PostgreSQL")
}

/// The identity columns of PostgreSQL's tables: table, column, `a` (always) or `d`.
async fn identities(pg: &AnyPool) -> anyhow::Result<Vec<(String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT CAST(c.relname AS TEXT), CAST(a.attname AS TEXT), CAST(a.attidentity AS TEXT)
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND a.attidentity <> '' AND NOT a.attisdropped
         ORDER BY 1, 2",
    )
    .fetch_all(pg)
    .await?)
}

/// A table's rows as INSERT statements, in a stable order; each value is written by the
/// engine itself as a literal (SQLite's `quote`, PostgreSQL's `quote_nullable`).
async fn inserts(pool: &AnyPool, engine: Engine, table: &str) -> anyhow::Result<String> {
    // An id PostgreSQL always generates itself is written only when the INSERT says so.
    let overriding = engine == Engine::Postgres
        && identities(pool)
            .await?
            .iter()
            .any(|(t, _, kind)| t == table && kind == "a");
    let columns = upgrade::column_names(pool, engine, table).await?;
    let literals: Vec<String> = match engine {
        Engine::Sqlite => columns.iter().map(|c| format!("quote(\"{c}\")")).collect(),
        Engine::Postgres => {
            let types: Vec<(String,)> = sqlx::query_as(
                "SELECT CAST(data_type AS TEXT) FROM information_schema.columns
                 WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
            )
            .bind(table)
            .fetch_all(pool)
            .await?;
            columns
                .iter()
                .zip(types)
                .map(|(c, (t,))| match t.as_str() {
                    // Numbers and booleans bare, to keep the dump small and readable.
                    "bigint" | "integer" | "smallint" | "boolean" => {
                        format!("COALESCE(CAST(\"{c}\" AS TEXT), 'NULL')")
                    }
                    _ => format!("quote_nullable(\"{c}\")"),
                })
                .collect()
        }
    };
    let names = columns
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT {} FROM \"{table}\" ORDER BY {names}",
        literals.join(" || ', ' || ")
    );
    let rows: Vec<(String,)> = sqlx::query_as(&sql).fetch_all(pool).await?;
    let mut out = String::new();
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let overriding = if overriding {
            " OVERRIDING SYSTEM VALUE"
        } else {
            ""
        };
        writeln!(out, "INSERT INTO \"{table}\" ({names}){overriding} VALUES")?;
        let values: Vec<String> = chunk.iter().map(|(v,)| format!("({v})")).collect();
        writeln!(out, "{};", values.join(",\n"))?;
    }
    Ok(out)
}

/// The whole database as SQL a fresh one of the same engine runs: tables, rows (the
/// migrations' too), sequences, then foreign keys (PostgreSQL) and indexes.
async fn dump(pool: &AnyPool, engine: Engine) -> anyhow::Result<String> {
    let mut out = format!(
        "-- Humiao {} on {}: the upgrade test's fixture, written by `cargo xtask fixture \
         upgrade`.\n-- Load it into an empty database; do not edit it by hand.\n",
        env!("CARGO_PKG_VERSION"),
        engine.name()
    );
    let tables = upgrade::table_names(pool, engine).await?;
    let schema = upgrade::schema(pool, engine).await?;
    out.push_str(match engine {
        // Tables are written in name order, not in the order of their foreign keys.
        Engine::Sqlite => "PRAGMA foreign_keys = OFF;\nBEGIN;\n",
        Engine::Postgres => "BEGIN;\n",
    });
    for create in &schema.tables {
        writeln!(out, "{create};")?;
    }
    for table in &tables {
        out.push_str(&inserts(pool, engine, table).await?);
    }
    if engine == Engine::Postgres {
        for (table, column, _) in identities(pool).await? {
            let (sequence,): (String,) = sqlx::query_as("SELECT pg_get_serial_sequence($1, $2)")
                .bind(&table)
                .bind(&column)
                .fetch_one(pool)
                .await?;
            let (last, called): (i64, bool) =
                sqlx::query_as(&format!("SELECT last_value, is_called FROM {sequence}"))
                    .fetch_one(pool)
                    .await?;
            writeln!(
                out,
                "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), {last}, {called});"
            )?;
        }
    }
    for statement in schema.foreign_keys.iter().chain(&schema.indexes) {
        writeln!(out, "{statement};")?;
    }
    out.push_str("COMMIT;\n");
    Ok(out)
}
