//! The sign-off's locks (issue 17, part 2): while a station's return for a month is
//! submitted, approved or accepted, no one creates, edits or deletes a session or an
//! outcome value of that station and month — not the officer, not an administrator — on
//! any write path: 409 `period_locked` naming the state and the month, or for a file a row
//! error with nothing of it stored. Once an administrator reopens the return, the same
//! writes go through.

use chrono::{Datelike, NaiveDate};
use humiao_server::clock;
use humiao_shared::import::ImportKind;
use humiao_shared::Lang;
use humiao_tests::fixtures::{demo_refs, Refs};
use humiao_tests::{assert_rollup_matches_sessions, spawn_app, TestApp};
use reqwest::Client;
use serde_json::{json, Value};

use crate::returns::set_state;

/// A day in the month before this one (the 10th): begun and past.
fn day_last_month() -> NaiveDate {
    let today = clock::today();
    let first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap();
    let last = first - chrono::Duration::days(1);
    NaiveDate::from_ymd_opt(last.year(), last.month(), 10).unwrap()
}

fn month_of(day: NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

/// The campaign of a day's year.
async fn campaign_of(app: &TestApp, day: NaiveDate) -> i64 {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM campaigns WHERE year = $1")
        .bind(i64::from(day.year()))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    id
}

async fn session_on(app: &TestApp, refs: &Refs, day: NaiveDate, students: i64) -> Value {
    json!({
        "campaign_id": campaign_of(app, day).await,
        "station_id": refs.station_id,
        "school_id": refs.school_id,
        "held_on": day.to_string(),
        "format": "class_talk",
        "topic_ids": [refs.topic_id],
        "audience": {"students": students, "teachers": 1},
        "notes": "月报锁定测试",
        "confirm_distinct": true,
    })
}

async fn send(
    client: &Client,
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    body: Option<&Value>,
) -> (u16, Value) {
    let url = format!("{}{path}", app.url);
    let mut req = client.request(method.clone(), &url);
    if method == reqwest::Method::PUT {
        // The current version, as a client that just read the record sends it.
        let current = client.get(&url).send().await.unwrap();
        let tag = current.headers()["etag"].to_str().unwrap().to_string();
        req = req.header("If-Match", tag);
    }
    if let Some(body) = body {
        req = req.json(body);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn created(client: &Client, app: &TestApp, path: &str, body: &Value) -> i64 {
    let (status, answer) = send(client, app, reqwest::Method::POST, path, Some(body)).await;
    assert_eq!(status, 201, "{path}: {answer}");
    answer["id"].as_i64().unwrap()
}

#[tokio::test]
async fn every_write_of_a_locked_month_is_refused_until_an_administrator_reopens_it() {
    let app = spawn_app().await;
    let refs = demo_refs(&app.client, &app.url).await;
    let station = refs.station_id;
    let day = day_last_month();
    let month = month_of(day);
    set_state(&app, station, &month, "open").await;
    let officer = app.client_as("officer.diaozhuang").await;

    // While the month is open the officer records it.
    let session_in = created(
        &officer,
        &app,
        "/api/v1/sessions",
        &session_on(&app, &refs, day, 30).await,
    )
    .await;
    let today = clock::today();
    let session_moving = created(
        &officer,
        &app,
        "/api/v1/sessions",
        &session_on(&app, &refs, today, 25).await,
    )
    .await;
    let outcome = created(
        &officer,
        &app,
        "/api/v1/outcomes",
        &json!({"station_id": station, "month": month, "indicator": "visits", "value": 12}),
    )
    .await;

    // The officer submits the month.
    let res = officer
        .post(format!(
            "{}/api/v1/returns/{station}/{month}/submit",
            app.url
        ))
        .header("If-Match", "\"0\"")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    let new_session = session_on(&app, &refs, day, 40).await;
    let edited = session_on(&app, &refs, day, 31).await;
    let moved = session_on(&app, &refs, day, 25).await;
    let new_outcome =
        json!({"station_id": station, "month": month, "indicator": "activities", "value": 3});
    let edited_outcome =
        json!({"station_id": station, "month": month, "indicator": "visits", "value": 13});
    use reqwest::Method;
    // Every write of the month: (what, method, path, body).
    let all: Vec<(&str, Method, String, Option<Value>)> = vec![
        (
            "create a session",
            Method::POST,
            "/api/v1/sessions".into(),
            Some(new_session.clone()),
        ),
        (
            "edit a session",
            Method::PUT,
            format!("/api/v1/sessions/{session_in}"),
            Some(edited),
        ),
        (
            "move a session into the month",
            Method::PUT,
            format!("/api/v1/sessions/{session_moving}"),
            Some(moved),
        ),
        (
            "create an outcome value",
            Method::POST,
            "/api/v1/outcomes".into(),
            Some(new_outcome),
        ),
        (
            "edit an outcome value",
            Method::PUT,
            format!("/api/v1/outcomes/{outcome}"),
            Some(edited_outcome),
        ),
        (
            "delete a session",
            Method::DELETE,
            format!("/api/v1/sessions/{session_in}"),
            None,
        ),
        (
            "delete an outcome value",
            Method::DELETE,
            format!("/api/v1/outcomes/{outcome}"),
            None,
        ),
    ];
    let sessions = app.count("sessions").await;
    let outcomes = app.count("outcome_values").await;
    let stored_session = app
        .get_json(&format!("/api/v1/sessions/{session_moving}"))
        .await;
    // Locks hold for everyone: the station's officer and the administrator alike.
    for (who, client) in [("officer", &officer), ("admin", &app.client)] {
        for (what, method, path, body) in &all {
            let (status, answer) = send(client, &app, method.clone(), path, body.as_ref()).await;
            assert_eq!(
                (status, answer["code"].as_str()),
                (409, Some("period_locked")),
                "{who}: {what}: {answer}"
            );
            assert_eq!(answer["current"]["state"], "submitted", "{what}");
            assert_eq!(answer["current"]["month"], month.as_str(), "{what}");
            let message = answer["message"].as_str().unwrap();
            assert!(
                message.contains("雕庄派出所") && message.contains(&month),
                "{message}"
            );
            assert!(message.contains("待审核"), "names the state: {message}");
        }
    }
    assert_eq!(app.count("sessions").await, sessions);
    assert_eq!(app.count("outcome_values").await, outcomes);
    assert_eq!(
        app.get_json(&format!("/api/v1/sessions/{session_moving}"))
            .await,
        stored_session,
        "the session stays in its open month"
    );
    // In English too.
    let res = officer
        .post(format!("{}/api/v1/sessions", app.url))
        .header("Accept-Language", "en")
        .json(&new_session)
        .send()
        .await
        .unwrap();
    let answer: Value = res.json().await.unwrap();
    assert!(
        answer["message"].as_str().unwrap().contains("submitted"),
        "{answer}"
    );

    // Approved and accepted months are locked too.
    for state in ["approved", "accepted"] {
        set_state(&app, station, &month, state).await;
        let (status, answer) = send(
            &officer,
            &app,
            reqwest::Method::POST,
            "/api/v1/sessions",
            Some(&new_session),
        )
        .await;
        assert_eq!(
            (status, answer["current"]["state"].as_str()),
            (409, Some(state))
        );
    }

    // The administrator reopens it, and every write goes through.
    let tag = {
        let res = app.get(&format!("/api/v1/returns/{station}/{month}")).await;
        res.headers()["etag"].to_str().unwrap().to_string()
    };
    let res = app
        .client
        .post(format!(
            "{}/api/v1/returns/{station}/{month}/reopen",
            app.url
        ))
        .header("If-Match", tag)
        .json(&json!({"reason": "更正讲座人数"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let expected = [201, 200, 200, 201, 200, 204, 204];
    for ((what, method, path, body), want) in all.iter().zip(expected) {
        let (status, answer) = send(&officer, &app, method.clone(), path, body.as_ref()).await;
        assert_eq!(status, want, "{what}: {answer}");
    }
    assert_rollup_matches_sessions(&app.db).await;
}

fn csv(rows: &[Vec<String>]) -> Vec<u8> {
    rows.iter()
        .map(|r| r.join(","))
        .collect::<Vec<_>>()
        .join("\r\n")
        .into_bytes()
}

fn session_row(day: NaiveDate, venue: &str) -> Vec<String> {
    let mut row = vec![String::new(); ImportKind::Sessions.columns().len()];
    let set = |row: &mut Vec<String>, key: &str, value: &str| {
        let at = ImportKind::Sessions
            .columns()
            .iter()
            .position(|c| c.key == key)
            .unwrap_or_else(|| panic!("a {key} column"));
        row[at] = value.to_string();
    };
    set(&mut row, "station", "雕庄派出所");
    set(&mut row, "venue", venue);
    set(&mut row, "held_on", &day.to_string());
    set(&mut row, "format", "other");
    set(&mut row, "topics", "防溺水");
    set(&mut row, "students", "20");
    row
}

#[tokio::test]
async fn an_import_with_a_row_in_a_locked_month_is_refused_whole_with_that_row_named() {
    let app = spawn_app().await;
    let refs = demo_refs(&app.client, &app.url).await;
    let day = day_last_month();
    let month = month_of(day);
    set_state(&app, refs.station_id, &month, "submitted").await;
    let headers: Vec<String> = ImportKind::Sessions
        .columns()
        .iter()
        .map(|c| c.header(Lang::En).to_string())
        .collect();
    let file = csv(&[
        headers,
        session_row(clock::today(), "社区活动中心（本月）"),
        session_row(day, "社区活动中心（上月）"),
    ]);
    let officer = app.client_as("officer.diaozhuang").await;
    let upload = |client: Client, file: Vec<u8>| {
        let url = format!("{}/api/v1/imports/sessions", app.url);
        async move {
            let res = client
                .post(url)
                .header("Content-Type", "text/csv")
                .body(file)
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            (status, res.json::<Value>().await.unwrap())
        }
    };
    let before = app.count("sessions").await;
    let (status, report) = upload(officer.clone(), file.clone()).await;
    assert_eq!(status, 422, "{report}");
    let problems: Vec<(u64, &str)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["row"].as_u64().unwrap(), p["code"].as_str().unwrap()))
        .collect();
    assert_eq!(problems, [(3, "period_locked")], "{report}");
    assert_eq!(
        app.count("sessions").await,
        before,
        "nothing of the file is stored"
    );

    // Reopened, the same file goes in whole.
    set_state(&app, refs.station_id, &month, "open").await;
    let (status, report) = upload(officer, file).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["added"], 2);
    assert_eq!(app.count("sessions").await, before + 2);
}
