//! `Idempotency-Key` on creates: a retry is answered as the first time and stores nothing.

use humiao_tests::fixtures::{demo_refs, session_entry};
use humiao_tests::{assert_rollup_matches_sessions, spawn_app, TestApp};
use serde_json::Value;

async fn post_with_key(app: &TestApp, key: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(format!("{}/api/v1/sessions", app.url))
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_retry_with_the_same_key_gets_the_first_answer_and_stores_nothing() {
    let app = spawn_app().await;
    let entry = session_entry(&demo_refs(&app.client, &app.url).await, "retried");
    let before = app.count("sessions").await;

    let first = post_with_key(&app, "offline-entry-1", &entry).await;
    assert_eq!(first.status(), 201);
    assert!(!first.headers().contains_key("idempotent-replayed"));
    let location = first.headers()["location"].clone();
    let first: Value = first.json().await.unwrap();

    let retry = post_with_key(&app, "offline-entry-1", &entry).await;
    assert_eq!(retry.status(), 201);
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    assert_eq!(retry.headers()["location"], location);
    assert_eq!(retry.json::<Value>().await.unwrap(), first);
    assert_eq!(app.count("sessions").await, before + 1);
    assert_rollup_matches_sessions(&app.db).await;
}

#[tokio::test]
async fn the_same_key_with_another_body_is_refused() {
    let app = spawn_app().await;
    let refs = demo_refs(&app.client, &app.url).await;
    assert_eq!(
        post_with_key(&app, "k-1", &session_entry(&refs, "first"))
            .await
            .status(),
        201
    );
    let before = app.count("sessions").await;

    let other = post_with_key(&app, "k-1", &session_entry(&refs, "something else")).await;
    assert_eq!(other.status(), 422);
    let body: Value = other.json().await.unwrap();
    assert_eq!(body["code"], "idempotency_key_reused");
    assert_eq!(app.count("sessions").await, before);
}

#[tokio::test]
async fn concurrent_retries_make_one_row() {
    let app = spawn_app().await;
    let entry = session_entry(&demo_refs(&app.client, &app.url).await, "raced");
    let before = app.count("sessions").await;
    let mut tries = Vec::new();
    for _ in 0..24 {
        let (client, url, entry) = (app.client.clone(), app.url.clone(), entry.clone());
        tries.push(tokio::spawn(async move {
            let res = client
                .post(format!("{url}/api/v1/sessions"))
                .header("Idempotency-Key", "same-key-everywhere")
                .json(&entry)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 201);
            res.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
        }));
    }
    let mut ids = Vec::new();
    for t in tries {
        ids.push(t.await.unwrap());
    }
    assert!(
        ids.windows(2).all(|w| w[0] == w[1]),
        "one id for all: {ids:?}"
    );
    assert_eq!(app.count("sessions").await, before + 1);
    assert_rollup_matches_sessions(&app.db).await;
}

#[tokio::test]
async fn a_malformed_key_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let entry = session_entry(&demo_refs(&app.client, &app.url).await, "bad key");
    let before = app.count("sessions").await;
    for key in ["", "has space", &"k".repeat(129)] {
        let res = post_with_key(&app, key, &entry).await;
        assert_eq!(res.status(), 400, "{key:?}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["code"], "invalid_header");
        assert_eq!(body["fields"][0]["field"], "Idempotency-Key");
    }
    assert_eq!(app.count("sessions").await, before);
}

#[tokio::test]
async fn one_accounts_key_is_not_another_accounts() {
    let app = spawn_app().await;
    let entry = session_entry(
        &demo_refs(&app.client, &app.url).await,
        "same key, two people",
    );
    let officer = app.client_as("officer.diaozhuang").await;
    let before = app.count("sessions").await;
    let mut ids = Vec::new();
    for client in [&app.client, &officer] {
        let res = client
            .post(format!("{}/api/v1/sessions", app.url))
            .header("Idempotency-Key", "k-shared")
            .json(&entry)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        assert!(!res.headers().contains_key("idempotent-replayed"));
        ids.push(res.json::<Value>().await.unwrap()["id"].clone());
    }
    assert_ne!(ids[0], ids[1]);
    assert_eq!(app.count("sessions").await, before + 2);
}
