//! Helpers for the integration tests in `tests/tests/suite/`: each test spawns the real server on
//! port 0 with a fresh database of its own, and browser tests drive headless Chromium.
//!
//! `HUMIAO_TEST_ENGINE=postgres` runs the same tests on PostgreSQL: each test then creates
//! its own database on `HUMIAO_TEST_POSTGRES` (default: the local server, user postgres)
//! and drops it when done. `cargo xtask test` runs the suite once per engine.

pub mod browser;
pub mod database;
pub mod fixtures;
pub mod process;
pub mod template;
pub mod upgrade;

use std::path::PathBuf;

use humiao_server::configuration::{DatabaseArgs, Settings};
use humiao_server::db::Db;
use humiao_server::startup::Application;
use serde_json::Value;

pub use database::TestDatabase;

/// A running server with its own database, dropped with the test.
pub struct TestApp {
    pub url: String,
    pub client: reqwest::Client,
    pub db: Db,
    pub database: TestDatabase,
    /// The turns imports take, for tests that take them all.
    pub import_gate: humiao_server::import::gate::ImportGate,
}

/// The built web app the tests serve; `cargo xtask test` builds it and sets the variable.
pub fn site_dir() -> PathBuf {
    std::env::var_os("HUMIAO_TEST_SITE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/site-dev"))
}

/// The `humiao` binary, for tests that run the server as a process of its own.
pub fn server_binary() -> PathBuf {
    std::env::var_os("HUMIAO_TEST_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/debug/humiao"))
}

/// Starts the server on a fresh database holding the demo data.
pub async fn spawn_app() -> TestApp {
    spawn(false).await
}

/// Starts the server on a fresh, empty database.
pub async fn spawn_empty_app() -> TestApp {
    spawn(true).await
}

/// Starts the server with demo data on the given database.
pub async fn spawn_app_on(database: TestDatabase) -> TestApp {
    spawn_with(database, false).await
}

/// Starts the server with demo data and the settings `edit` changes (e.g. smaller limits).
pub async fn spawn_app_with(edit: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_edited(TestDatabase::with_demo().await, false, edit).await
}

async fn spawn(no_demo: bool) -> TestApp {
    let database = if no_demo {
        TestDatabase::create().await
    } else {
        TestDatabase::with_demo().await
    };
    spawn_with(database, no_demo).await
}

async fn spawn_with(database: TestDatabase, no_demo: bool) -> TestApp {
    spawn_edited(database, no_demo, |_| {}).await
}

async fn spawn_edited(
    database: TestDatabase,
    no_demo: bool,
    edit: impl FnOnce(&mut Settings),
) -> TestApp {
    let mut settings = database.settings(no_demo);
    edit(&mut settings);
    let app = Application::build(settings)
        .await
        .expect("the server starts");
    let url = app.url();
    let db = app.db().clone();
    let import_gate = app.import_gate().clone();
    tokio::spawn(app.run_until_stopped());
    if no_demo {
        // The demo brings its accounts; an empty database gets the one administrator.
        let hash = humiao_server::auth::password::hash(DEMO_PASSWORD).expect("hash");
        humiao_server::db::accounts::add_user(
            &db.pool,
            "admin",
            &hash,
            humiao_shared::account::Role::Admin,
            humiao_server::db::accounts::ScopeRef::All,
        )
        .await
        .expect("an administrator");
    }
    let client = signed_in(&url, "admin").await;
    TestApp {
        url,
        client,
        db,
        database,
        import_gate,
    }
}

/// The demo accounts' password.
pub const DEMO_PASSWORD: &str = humiao_server::demo::accounts::PASSWORD;

/// A client that keeps the session cookie (for the server's host, whatever its port: one
/// login serves every instance on one database), not signed in.
pub fn cookie_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        // The server closes a connection idle for 5 s; one the client kept that long could be
        // reused just as it closes (`IncompleteMessage`), as when a test builds big files
        // between two requests. Idle connections are dropped well before.
        .pool_idle_timeout(std::time::Duration::from_secs(2))
        .build()
        .expect("a client")
}

/// A client signed in as `username` with the demo password.
pub async fn signed_in(url: &str, username: &str) -> reqwest::Client {
    let client = cookie_client();
    let res = client
        .post(format!("{url}/api/v1/auth/login"))
        .json(&serde_json::json!({"username": username, "password": DEMO_PASSWORD}))
        .send()
        .await
        .expect("login sent");
    assert_eq!(res.status(), 200, "{username} signs in");
    client
}

/// Settings for a server on `database_url`, listening on a free port.
pub fn settings_for(database_url: &str, data_dir: PathBuf, no_demo: bool) -> Settings {
    Settings {
        bind: "127.0.0.1:0".into(),
        database: DatabaseArgs {
            data_dir,
            database_url: Some(database_url.to_string()),
        },
        assets_dir: Some(site_dir()),
        no_demo,
        import_limit_mb: humiao_server::routes::imports::DEFAULT_LIMIT_MB,
        import_limits: Default::default(),
        proxies: Default::default(),
        ops: Default::default(),
    }
}

impl TestApp {
    /// A client signed in as one of the demo accounts.
    pub async fn client_as(&self, username: &str) -> reqwest::Client {
        signed_in(&self.url, username).await
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.url))
            .send()
            .await
            .expect("request sent")
    }

    pub async fn get_json(&self, path: &str) -> Value {
        let res = self.get(path).await;
        assert_eq!(res.status(), 200, "GET {path}");
        res.json().await.expect("JSON body")
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.url))
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    /// Rows in a table, read behind the API's back.
    pub async fn count(&self, table: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&self.db.pool)
            .await
            .expect("count");
        n
    }

    /// The id of the named row, e.g. `id_of("stations", "name", "雕庄派出所")`.
    pub async fn id_of(&self, table: &str, column: &str, value: &str) -> i64 {
        let (id,): (i64,) = sqlx::query_as(&format!("SELECT id FROM {table} WHERE {column} = $1"))
            .bind(value)
            .fetch_one(&self.db.pool)
            .await
            .unwrap_or_else(|e| panic!("no {table}.{column} = {value}: {e}"));
        id
    }

    /// The campaign running today (the demo holds one for every year up to this one).
    pub async fn current_campaign(&self) -> i64 {
        let year = chrono::Datelike::year(&humiao_server::clock::today());
        self.id_of(
            "campaigns",
            "name",
            &format!("{year}年警心护苗集中宣防行动"),
        )
        .await
    }
}

/// Asserts that the reach rollups equal what the sessions that are not deleted add up to:
/// the station and district ones by this file's own SQL, all four by `rollups::check_all`.
pub async fn assert_rollup_matches_sessions(db: &Db) {
    type Row = (i64, i64, String, i64, i64, i64, i64, i64);
    let raw: Vec<Row> = sqlx::query_as(
        "SELECT campaign_id, station_id, substr(held_on, 1, 7) AS month, COUNT(*),
                CAST(SUM(students) AS BIGINT), CAST(SUM(parents) AS BIGINT),
                CAST(SUM(teachers) AS BIGINT), CAST(SUM(others) AS BIGINT)
         FROM sessions WHERE deleted_at IS NULL
         GROUP BY campaign_id, station_id, substr(held_on, 1, 7)
         ORDER BY campaign_id, station_id, month",
    )
    .fetch_all(&db.pool)
    .await
    .expect("sessions add up");
    let rollup: Vec<Row> = sqlx::query_as(
        "SELECT campaign_id, station_id, month, sessions, students, parents, teachers, others
         FROM station_month_reach WHERE sessions > 0 ORDER BY campaign_id, station_id, month",
    )
    .fetch_all(&db.pool)
    .await
    .expect("rollup");
    assert!(!raw.is_empty());
    assert_eq!(
        rollup, raw,
        "the station rollup disagrees with the sessions"
    );

    let raw: Vec<Row> = sqlx::query_as(
        "SELECT s.campaign_id, st.district_id, substr(s.held_on, 1, 7) AS month, COUNT(*),
                CAST(SUM(s.students) AS BIGINT), CAST(SUM(s.parents) AS BIGINT),
                CAST(SUM(s.teachers) AS BIGINT), CAST(SUM(s.others) AS BIGINT)
         FROM sessions s JOIN stations st ON st.id = s.station_id
         WHERE s.deleted_at IS NULL
         GROUP BY s.campaign_id, st.district_id, substr(s.held_on, 1, 7)
         ORDER BY s.campaign_id, st.district_id, month",
    )
    .fetch_all(&db.pool)
    .await
    .expect("sessions add up by district");
    let rollup: Vec<Row> = sqlx::query_as(
        "SELECT campaign_id, district_id, month, sessions, students, parents, teachers, others
         FROM district_month_reach WHERE sessions > 0 ORDER BY campaign_id, district_id, month",
    )
    .fetch_all(&db.pool)
    .await
    .expect("district rollup");
    assert_eq!(
        rollup, raw,
        "the district rollup disagrees with the sessions"
    );
    // The topic and school rollups, by the server's own comparison.
    let differences = humiao_server::db::rollups::check_all(db)
        .await
        .expect("rollups checked");
    assert!(
        differences.is_empty(),
        "the rollups disagree with the sessions: {differences:?}"
    );
}
