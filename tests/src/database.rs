//! A fresh database per test, on the engine `HUMIAO_TEST_ENGINE` names.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use humiao_server::configuration::Settings;
use sqlx::{Connection, Executor, PgConnection};

use crate::template::Template;

const DEFAULT_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// The engine this test run uses.
    pub fn under_test() -> Engine {
        match std::env::var("HUMIAO_TEST_ENGINE").as_deref() {
            Ok("postgres") => Engine::Postgres,
            Ok("sqlite") | Err(_) => Engine::Sqlite,
            Ok(other) => panic!("HUMIAO_TEST_ENGINE={other}: use sqlite or postgres"),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }
}

/// The PostgreSQL server the tests use, without a database name.
pub fn postgres_server() -> String {
    std::env::var("HUMIAO_TEST_POSTGRES").unwrap_or_else(|_| DEFAULT_POSTGRES.into())
}

/// A database of one test's own; a PostgreSQL one is dropped with this value.
pub struct TestDatabase {
    pub engine: Engine,
    pub url: String,
    /// Holds the SQLite file (and is the data folder on either engine).
    pub dir: tempfile::TempDir,
    postgres_name: Option<String>,
}

impl TestDatabase {
    pub async fn create() -> TestDatabase {
        Self::create_on(Engine::under_test()).await
    }

    pub async fn create_on(engine: Engine) -> TestDatabase {
        Self::make(engine, None).await
    }

    /// A database of one test's own holding the demo data: a copy of the demo this test
    /// process loaded once ([`crate::template`]).
    pub async fn with_demo() -> TestDatabase {
        let engine = Engine::under_test();
        let template = crate::template::demo(engine).await;
        Self::make(engine, Some(template)).await
    }

    /// A new database, empty or a copy of `template`.
    async fn make(engine: Engine, template: Option<Template>) -> TestDatabase {
        let dir = tempfile::tempdir().expect("temporary folder");
        match engine {
            Engine::Sqlite => {
                let file = dir.path().join("humiao.db");
                if let Some(Template::File(template)) = &template {
                    crate::template::copy_file(template, &file);
                }
                TestDatabase {
                    engine,
                    url: format!("sqlite://{}?mode=rwc", file.display()),
                    dir,
                    postgres_name: None,
                }
            }
            Engine::Postgres => {
                static NEXT: AtomicU32 = AtomicU32::new(0);
                let name = format!(
                    "humiao_test_{}_{}_{}",
                    std::process::id(),
                    NEXT.fetch_add(1, Ordering::Relaxed),
                    chrono::Utc::now().timestamp_micros()
                );
                if let Some(Template::Database(template)) = &template {
                    crate::template::copy_database(template, &name).await;
                } else {
                    admin_connection()
                        .await
                        .execute(format!("CREATE DATABASE {name}").as_str())
                        .await
                        .expect("create the test database");
                }
                TestDatabase {
                    engine,
                    url: format!("{}/{name}", postgres_server()),
                    dir,
                    postgres_name: Some(name),
                }
            }
        }
    }

    /// Settings for a server on this database, listening on a free port.
    pub fn settings(&self, no_demo: bool) -> Settings {
        crate::settings_for(&self.url, self.data_dir(), no_demo)
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }
}

pub(crate) async fn admin_connection() -> PgConnection {
    let url = format!("{}/postgres", postgres_server());
    PgConnection::connect(&url).await.unwrap_or_else(|e| {
        panic!("cannot reach PostgreSQL at {url} (`cargo xtask test` starts it): {e}")
    })
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some(name) = self.postgres_name.take() else {
            return;
        };
        // Drop runs inside the test's runtime, which cannot block on itself: use a thread.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async {
                let mut admin = admin_connection().await;
                admin
                    .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await
                    .map(|_| ())
            })
        })
        .join();
        if let Ok(Err(e)) = dropped {
            eprintln!("could not drop a test database: {e}");
        }
    }
}
