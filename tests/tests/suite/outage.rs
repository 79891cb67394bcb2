//! A database that goes away while the server runs: 503 answers, then recovery.

use humiao_tests::database::Engine;
use humiao_tests::{spawn_app_on, TestDatabase};
use sqlx::{Connection, Executor, PgConnection};

async fn set_connections(database: &TestDatabase, allowed: bool) {
    let name = database.url.rsplit('/').next().unwrap();
    let server = humiao_tests::database::postgres_server();
    let mut admin = PgConnection::connect(&format!("{server}/postgres"))
        .await
        .unwrap();
    admin
        .execute(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS {allowed}").as_str())
        .await
        .unwrap();
    if !allowed {
        admin
            .execute(
                format!(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
                )
                .as_str(),
            )
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn the_server_answers_503_while_the_database_is_gone_and_recovers() {
    // A PostgreSQL database can be taken away from one server without stopping the others.
    let app = spawn_app_on(TestDatabase::create_on(Engine::Postgres).await).await;
    assert_eq!(app.get("/api/health").await.status(), 200);

    set_connections(&app.database, false).await;
    for path in ["/api/health", "/api/v1/districts", "/api/v1/sessions"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 503, "{path}");
        assert!(res.headers().contains_key("retry-after"), "{path}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["code"], "database_unavailable", "{path}");
    }

    set_connections(&app.database, true).await;
    assert_eq!(app.get("/api/health").await.status(), 200);
    assert_eq!(app.get("/api/v1/districts").await.status(), 200);
}
