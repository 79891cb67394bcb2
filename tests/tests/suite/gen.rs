//! `humiao gen`: synthetic data of the real city's shape, the same for the same seed.

use std::process::Command;

use humiao_server::db::Db;
use humiao_server::startup::Application;
use humiao_tests::{assert_rollup_matches_sessions, server_binary, signed_in, TestDatabase};
use serde_json::json;

fn gen(database: &TestDatabase, seed: u64) -> std::process::Output {
    Command::new(server_binary())
        .args([
            "gen",
            "--scale",
            "city",
            "--years",
            "1",
            "--seed",
            &seed.to_string(),
        ])
        .args(["--database-url", &database.url])
        .output()
        .unwrap()
}

/// Counts and sums that change if any generated value changes.
async fn fingerprint(db: &Db) -> Vec<i64> {
    let mut out = Vec::new();
    for sql in [
        "SELECT COUNT(*) FROM districts",
        "SELECT COUNT(*) FROM stations",
        "SELECT COUNT(*) FROM schools",
        "SELECT COUNT(*) FROM sessions",
        "SELECT COUNT(*) FROM session_topics",
        "SELECT COUNT(*) FROM screening_confirmations",
        "SELECT CAST(SUM(students + 7 * parents + 13 * teachers + 17 * others) AS BIGINT) FROM sessions",
        "SELECT CAST(SUM(id * station_id + LENGTH(held_on)) AS BIGINT) FROM sessions",
        "SELECT CAST(SUM(students * school_id) AS BIGINT) FROM screening_confirmations",
        "SELECT CAST(SUM(session_id * topic_id) AS BIGINT) FROM session_topics",
    ] {
        let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&db.pool).await.unwrap();
        out.push(n);
    }
    out
}

#[tokio::test]
async fn city_scale_has_the_city_shape_and_a_seed_fixes_every_value() {
    let (first, second, other) = (
        TestDatabase::create().await,
        TestDatabase::create().await,
        TestDatabase::create().await,
    );
    for (database, seed) in [(&first, 7), (&second, 7), (&other, 8)] {
        let out = gen(database, seed);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let a = fingerprint(&Db::connect(&first.url).await.unwrap()).await;
    let b = fingerprint(&Db::connect(&second.url).await.unwrap()).await;
    let c = fingerprint(&Db::connect(&other.url).await.unwrap()).await;
    assert_eq!(a, b, "same seed, same data");
    assert_ne!(a[6..], c[6..], "another seed, other data");
    assert_eq!(a[..3], [7, 87, 855]);
    assert!(
        (17_000..=23_000).contains(&a[3]),
        "about 20,000 sessions a year: {}",
        a[3]
    );
    assert_eq!(a[5], 855 * 10, "every school confirms all ten films");
}

#[tokio::test]
async fn generated_data_serves_and_takes_new_sessions() {
    let database = TestDatabase::create().await;
    assert!(gen(&database, 1).status.success());
    let app = Application::build(database.settings(false)).await.unwrap();
    let db = app.db().clone();
    assert_rollup_matches_sessions(&db).await;
    let url = app.url();
    tokio::spawn(app.run_until_stopped());

    // Generated ids must not collide with the ids of new rows.
    let (station, school): (i64, i64) =
        sqlx::query_as("SELECT station_id, id FROM schools ORDER BY id LIMIT 1")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    let (campaign,): (i64,) = sqlx::query_as("SELECT id FROM campaigns WHERE year = 2025")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let entry = json!({
        "campaign_id": campaign, "station_id": station, "school_id": school,
        "held_on": "2025-06-01", "format": "class_talk", "topic_ids": [1],
        "audience": {"students": 40}
    });
    // Generated data has no accounts: the operator adds the first one.
    let hash = humiao_server::auth::password::hash(humiao_tests::DEMO_PASSWORD).unwrap();
    humiao_server::db::accounts::add_user(
        &db.pool,
        "admin",
        &hash,
        humiao_shared::account::Role::Admin,
        humiao_server::db::accounts::ScopeRef::All,
    )
    .await
    .unwrap();
    let res = signed_in(&url, "admin")
        .await
        .post(format!("{url}/api/v1/sessions"))
        .json(&entry)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    assert_rollup_matches_sessions(&db).await;
}

#[tokio::test]
async fn gen_refuses_a_database_that_holds_data() {
    let database = TestDatabase::create().await;
    Application::build(database.settings(false)).await.unwrap();
    let out = gen(&database, 1);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));
}
