//! Duplicates, edits guarded by versions, soft deletes and the audit trail of sessions.

use humiao_tests::fixtures::{demo_refs, session_entry};
use humiao_tests::{assert_rollup_matches_sessions, spawn_app, TestApp};
use serde_json::{json, Value};

/// Logs a session that is not a duplicate and returns it.
async fn logged(app: &TestApp, marker: &str) -> Value {
    let entry = session_entry(&demo_refs(&app.client, &app.url).await, marker);
    let res = app.post_json("/api/v1/sessions", &entry).await;
    assert_eq!(res.status(), 201);
    res.json().await.unwrap()
}

fn entry_from(session: &Value) -> Value {
    json!({
        "campaign_id": session["campaign_id"], "station_id": session["station_id"],
        "school_id": session["school_id"], "held_on": session["held_on"],
        "format": session["format"], "topic_ids": session["topic_ids"],
        "audience": session["audience"], "notes": session["notes"],
    })
}

async fn put(app: &TestApp, id: i64, if_match: Option<&str>, body: &Value) -> reqwest::Response {
    let mut req = app
        .client
        .put(format!("{}/api/v1/sessions/{id}", app.url))
        .json(body);
    if let Some(tag) = if_match {
        req = req.header("If-Match", tag);
    }
    req.send().await.unwrap()
}

async fn delete(app: &TestApp, id: i64, if_match: Option<&str>) -> reqwest::Response {
    let mut req = app
        .client
        .delete(format!("{}/api/v1/sessions/{id}", app.url));
    if let Some(tag) = if_match {
        req = req.header("If-Match", tag);
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn the_same_session_twice_is_409_with_the_first_unless_confirmed_distinct() {
    let app = spawn_app().await;
    let first = logged(&app, "twice").await;
    let again = entry_from(&first);
    let before = app.count("sessions").await;

    let res = app.post_json("/api/v1/sessions", &again).await;
    assert_eq!(res.status(), 409);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "duplicate_session");
    assert_eq!(body["current"]["id"], first["id"]);
    assert_eq!(app.count("sessions").await, before);

    let mut distinct = again.clone();
    distinct["confirm_distinct"] = json!(true);
    assert_eq!(
        app.post_json("/api/v1/sessions", &distinct).await.status(),
        201
    );
    // Another topic is another session.
    let mut other = again;
    other["topic_ids"] = json!([2]);
    assert_eq!(
        app.post_json("/api/v1/sessions", &other).await.status(),
        201
    );
}

#[tokio::test]
async fn an_edit_needs_the_current_version_and_a_stale_one_gets_the_current_record() {
    let app = spawn_app().await;
    let session = logged(&app, "to edit").await;
    let id = session["id"].as_i64().unwrap();
    let read = app.get(&format!("/api/v1/sessions/{id}")).await;
    let tag = read.headers()["etag"].to_str().unwrap().to_string();
    assert_eq!(tag, "\"1\"");

    let mut edited = entry_from(&session);
    edited["audience"] = json!({"students": 75, "teachers": 3});
    edited["notes"] = json!("corrected count");

    let missing = put(&app, id, None, &edited).await;
    assert_eq!(missing.status(), 428);
    assert_eq!(
        missing.json::<Value>().await.unwrap()["code"],
        "if_match_required"
    );

    let ok = put(&app, id, Some(&tag), &edited).await;
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.headers()["etag"], "\"2\"");
    let after: Value = ok.json().await.unwrap();
    assert_eq!(after["version"], 2);
    assert_eq!(after["audience"]["students"], 75);
    assert_eq!(app.get_json(&format!("/api/v1/sessions/{id}")).await, after);
    assert_rollup_matches_sessions(&app.db).await;

    // A second editor still holding version 1 must not overwrite.
    let mut other = entry_from(&session);
    other["notes"] = json!("stale edit");
    let stale = put(&app, id, Some(&tag), &other).await;
    assert_eq!(stale.status(), 409);
    assert_eq!(stale.headers()["etag"], "\"2\"");
    let body: Value = stale.json().await.unwrap();
    assert_eq!(body["code"], "edit_conflict");
    assert_eq!(body["current"], after);
    assert_eq!(app.get_json(&format!("/api/v1/sessions/{id}")).await, after);
}

#[tokio::test]
async fn a_bad_edit_changes_nothing() {
    let app = spawn_app().await;
    let session = logged(&app, "kept").await;
    let id = session["id"].as_i64().unwrap();
    let mut broken = entry_from(&session);
    broken["audience"] = json!({"students": -1});
    let res = put(&app, id, Some("\"1\""), &broken).await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        app.get_json(&format!("/api/v1/sessions/{id}")).await,
        session
    );
    assert_eq!(
        put(&app, 999_999, Some("\"1\""), &entry_from(&session))
            .await
            .status(),
        404
    );
    assert_eq!(
        put(&app, id, Some("v-one"), &entry_from(&session))
            .await
            .status(),
        400
    );
}

#[tokio::test]
async fn a_delete_is_soft_leaves_the_figures_and_is_audited() {
    let app = spawn_app().await;
    let session = logged(&app, "to delete").await;
    let id = session["id"].as_i64().unwrap();
    let rows = app.count("sessions").await;

    assert_eq!(delete(&app, id, Some("\"7\"")).await.status(), 409);
    assert_eq!(delete(&app, id, Some("\"1\"")).await.status(), 204);
    assert_eq!(
        app.get(&format!("/api/v1/sessions/{id}")).await.status(),
        404
    );
    assert_eq!(delete(&app, id, None).await.status(), 404);
    assert_eq!(app.count("sessions").await, rows, "the row is kept");
    let listed = app.get_json("/api/v1/sessions?limit=500").await;
    assert!(listed.as_array().unwrap().iter().all(|s| s["id"] != id));

    // The rollups no longer count it.
    let (deleted,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM sessions WHERE deleted_at IS NOT NULL")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(deleted, 1);
    assert_rollup_matches_sessions(&app.db).await;

    let trail = app
        .get_json(&format!("/api/v1/audit?resource=sessions&resource_id={id}"))
        .await;
    let actions: Vec<&str> = trail
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["delete", "create"]);
    assert_eq!(trail[0]["before"]["id"], id);
    assert_eq!(trail[0]["after"], Value::Null);
    assert_eq!(trail[1]["before"], Value::Null);
    assert_eq!(trail[1]["after"], session);
}

#[tokio::test]
async fn every_edit_is_in_the_audit_trail_with_before_and_after() {
    let app = spawn_app().await;
    let session = logged(&app, "audited").await;
    let id = session["id"].as_i64().unwrap();
    let mut edited = entry_from(&session);
    edited["notes"] = json!("second thoughts");
    let after: Value = put(&app, id, Some("\"1\""), &edited)
        .await
        .json()
        .await
        .unwrap();

    let trail = app
        .get_json(&format!("/api/v1/audit?resource=sessions&resource_id={id}"))
        .await;
    assert_eq!(trail[0]["action"], "update");
    assert_eq!(trail[0]["before"], session);
    assert_eq!(trail[0]["after"], after);
    assert!(trail[0]["at"].as_str().unwrap().ends_with('Z'));
}
