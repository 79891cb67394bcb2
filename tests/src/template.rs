//! The demo database, loaded once per test process and copied for every test that starts
//! on it: loading the demo (855 schools, about 21,000 screening confirmations) took 9 s on
//! SQLite and 20 s on PostgreSQL per test on a busy machine, copying it well under one.
//!
//! The demo's dates follow the day it is loaded on (China's), so a template is kept with
//! its day and made again when a test starts on another day. A SQLite template is a file
//! (copied); a PostgreSQL one is a database that others are created from (`CREATE DATABASE
//! … TEMPLATE`, which needs nobody connected to it: the loading pool is closed first).
//! Templates are named with the process id, so concurrent test runs keep their own, and a
//! run removes those left by processes that have ended.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use sqlx::{Connection, Executor, PgConnection};
use tokio::sync::Mutex;

use crate::database::{admin_connection, postgres_server, Engine};

const PREFIX: &str = "humiao_template_";

/// A loaded demo database, ready to copy.
#[derive(Clone)]
pub enum Template {
    /// The SQLite file, checkpointed and closed.
    File(PathBuf),
    /// The PostgreSQL database's name.
    Database(String),
}

/// The current template of this process on each engine, with the day it was loaded on.
static TEMPLATES: Mutex<Vec<(Engine, NaiveDate, Template)>> = Mutex::const_new(Vec::new());

/// The demo template for `engine` as of today, made when missing.
pub async fn demo(engine: Engine) -> Template {
    let today = humiao_server::clock::today();
    let mut templates = TEMPLATES.lock().await;
    if let Some((_, _, t)) = templates
        .iter()
        .find(|(e, day, _)| *e == engine && *day == today)
    {
        return t.clone();
    }
    remove_ended(engine);
    let name = format!(
        "{PREFIX}{}_{}_{}",
        std::process::id(),
        engine.name(),
        today.format("%Y%m%d")
    );
    let template = match engine {
        Engine::Sqlite => {
            let file = std::env::temp_dir().join(format!("{name}.db"));
            let _ = std::fs::remove_file(&file);
            load(&format!("sqlite://{}?mode=rwc", file.display()), today).await;
            Template::File(file)
        }
        Engine::Postgres => {
            let mut admin = admin_connection().await;
            admin
                .execute(format!("DROP DATABASE IF EXISTS {name}").as_str())
                .await
                .expect("drop an old template");
            admin
                .execute(format!("CREATE DATABASE {name}").as_str())
                .await
                .expect("create the template database");
            load(&format!("{}/{name}", postgres_server()), today).await;
            Template::Database(name)
        }
    };
    templates.retain(|(e, _, _)| *e != engine);
    templates.push((engine, today, template.clone()));
    template
}

/// Migrates the database at `url` and loads the demo as of `today`, then closes it.
async fn load(url: &str, today: NaiveDate) {
    let data = tempfile::tempdir().expect("temporary folder");
    let settings = crate::settings_for(url, data.path().to_path_buf(), false);
    let db = settings
        .database
        .connect()
        .await
        .expect("the template database");
    humiao_server::demo::load(&db, today)
        .await
        .expect("the demo loads");
    if db.engine == humiao_server::db::Engine::Sqlite {
        // Everything into the file itself, which is what is copied.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&db.pool)
            .await
            .expect("checkpoint");
    }
    db.pool.close().await;
}

/// Copies `template` to a new SQLite file at `file`.
pub fn copy_file(template: &Path, file: &Path) {
    std::fs::copy(template, file).expect("copy the demo template");
}

/// Creates the PostgreSQL database `name` as a copy of `template`.
pub async fn copy_database(template: &str, name: &str) {
    admin_connection()
        .await
        .execute(format!("CREATE DATABASE {name} TEMPLATE {template}").as_str())
        .await
        .expect("create the test database from the demo template");
}

/// Removes the templates of test processes that have ended (SQLite files and PostgreSQL
/// databases), so that interrupted runs leave nothing behind for long.
fn remove_ended(engine: Engine) {
    fn ended(name: &str) -> bool {
        let pid = name
            .strip_prefix(PREFIX)
            .and_then(|rest| rest.split('_').next())
            .and_then(|pid| pid.parse::<u32>().ok());
        pid.is_some_and(|pid| {
            pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists()
        })
    }
    if let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if ended(&name) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    if engine != Engine::Postgres {
        return;
    }
    // PostgreSQL's, on a thread of its own: this may run where no runtime can block.
    let _ = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let Ok(mut admin) =
                PgConnection::connect(&format!("{}/postgres", postgres_server())).await
            else {
                return;
            };
            let names: Vec<(String,)> = sqlx::query_as(
                "SELECT datname::text FROM pg_database WHERE datname LIKE 'humiao_template_%'",
            )
            .fetch_all(&mut admin)
            .await
            .unwrap_or_default();
            for (name,) in names.into_iter().filter(|(n,)| ended(n)) {
                let _ = admin
                    .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await;
            }
        });
    })
    .join();
}
