//! Monthly returns over HTTP (issue 17): who may submit, approve, return, accept and
//! reopen a station's month from which state, with `If-Match`; every allowed move leaves a
//! history row and an audit row, every refusal says why with its code. The list shows one
//! return per expected station and month; the city accepts a district's month only when
//! every return there is approved.

use chrono::{Datelike, NaiveDate};
use humiao_server::clock;
use humiao_tests::{spawn_app, TestApp};
use reqwest::Client;
use serde_json::{json, Value};

const STATES: [&str; 5] = ["open", "submitted", "returned", "approved", "accepted"];
const ACTIONS: [&str; 5] = ["submit", "approve", "return", "accept", "reopen"];

/// The viewers, as the access matrix names them, with their demo account.
const ROLES: [(&str, &str); 6] = [
    ("admin", "admin"),
    ("city_leader", "leader"),
    ("district_leader", "leader.tianning"),
    ("officer", "officer.diaozhuang"),
    ("other_officer", "officer.sanjing"),
    ("school", "school.diaozhuang"),
];

/// The sign-off as a bureau runs it: (from, action, who) → to. Everything else is refused.
const ALLOWED: [(&str, &str, &str, &str); 10] = [
    ("open", "submit", "officer", "submitted"),
    ("returned", "submit", "officer", "submitted"),
    ("submitted", "approve", "district_leader", "approved"),
    ("submitted", "return", "district_leader", "returned"),
    ("approved", "return", "city_leader", "returned"),
    ("approved", "accept", "city_leader", "accepted"),
    ("submitted", "reopen", "admin", "open"),
    ("returned", "reopen", "admin", "open"),
    ("approved", "reopen", "admin", "open"),
    ("accepted", "reopen", "admin", "open"),
];

/// Who has a say in an action at all (whatever the state): anyone else who sees the
/// station is refused with 403.
fn has_say(action: &str, role: &str) -> bool {
    matches!(
        (action, role),
        ("submit", "officer")
            | ("approve", "district_leader")
            | ("return", "district_leader" | "city_leader")
            | ("accept", "city_leader")
            | ("reopen", "admin")
    )
}

/// The month before the current one, `YYYY-MM`: begun, and due or nearly.
fn last_month() -> String {
    let today = clock::today();
    let first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap();
    (first - chrono::Duration::days(1))
        .format("%Y-%m")
        .to_string()
}

fn this_month() -> String {
    clock::today().format("%Y-%m").to_string()
}

/// Puts a station's month in `state` behind the API's back (version 1, no history); `open`
/// removes its row.
pub async fn set_state(app: &TestApp, station: i64, month: &str, state: &str) {
    let pool = &app.db.pool;
    sqlx::query(
        "DELETE FROM return_events WHERE return_id IN
             (SELECT id FROM monthly_returns WHERE station_id = $1 AND month = $2)",
    )
    .bind(station)
    .bind(month)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query("DELETE FROM monthly_returns WHERE station_id = $1 AND month = $2")
        .bind(station)
        .bind(month)
        .execute(pool)
        .await
        .unwrap();
    if state == "open" {
        return;
    }
    let submitted = (state != "open").then(|| clock::today().to_string());
    let reason = (state == "returned").then_some("签到表缺页");
    sqlx::query(
        "INSERT INTO monthly_returns
             (station_id, month, state, version, first_submitted_on, submitted_on, reason,
              updated_at)
         VALUES ($1, $2, $3, 1, $4, $4, $5, $6)",
    )
    .bind(station)
    .bind(month)
    .bind(state)
    .bind(submitted)
    .bind(reason)
    .bind(humiao_server::db::now_text())
    .execute(pool)
    .await
    .unwrap();
}

async fn get(client: &Client, app: &TestApp, path: &str) -> (u16, Value, Option<String>) {
    let res = client
        .get(format!("{}{path}", app.url))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let etag = res
        .headers()
        .get("etag")
        .map(|v| v.to_str().unwrap().to_string());
    (status, res.json().await.unwrap_or(Value::Null), etag)
}

/// Sends a transition with `if_match` (none when `None`): status and body.
async fn act(
    client: &Client,
    app: &TestApp,
    station: i64,
    month: &str,
    action: &str,
    if_match: Option<&str>,
    body: &Value,
) -> (u16, Value) {
    let mut req = client.post(format!(
        "{}/api/v1/returns/{station}/{month}/{action}",
        app.url
    ));
    if let Some(tag) = if_match {
        req = req.header("If-Match", tag);
    }
    let res = req.json(body).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// The current version of a return as its `ETag`, read by the administrator.
async fn etag_of(app: &TestApp, station: i64, month: &str) -> String {
    let (status, _, etag) = get(
        &app.client,
        app,
        &format!("/api/v1/returns/{station}/{month}"),
    )
    .await;
    assert_eq!(status, 200);
    etag.expect("an ETag")
}

async fn history_len(app: &TestApp, station: i64, month: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM return_events e JOIN monthly_returns r ON r.id = e.return_id
         WHERE r.station_id = $1 AND r.month = $2",
    )
    .bind(station)
    .bind(month)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    n
}

async fn audit_rows(app: &TestApp, action: &str) -> i64 {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE resource = 'returns' AND action = $1")
            .bind(action)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    n
}

async fn clients(app: &TestApp) -> Vec<(&'static str, Client)> {
    let mut all = Vec::new();
    for (role, username) in ROLES {
        all.push((role, app.client_as(username).await));
    }
    all
}

#[tokio::test]
async fn every_role_takes_every_action_from_every_state_as_the_sign_off_allows() {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    let month = last_month();
    let clients = clients(&app).await;
    let body = json!({"reason": "与签到表不符，请核对"});
    let mut wrong = Vec::new();
    for from in STATES {
        for action in ACTIONS {
            for (role, client) in &clients {
                set_state(&app, station, &month, from).await;
                let tag = etag_of(&app, station, &month).await;
                let events = history_len(&app, station, &month).await;
                let audited = audit_rows(&app, action).await;
                let (status, answer) =
                    act(client, &app, station, &month, action, Some(&tag), &body).await;
                let allowed = ALLOWED
                    .iter()
                    .find(|(f, a, r, _)| (*f, *a, *r) == (from, action, *role));
                let code = answer["code"].as_str().unwrap_or_default().to_string();
                let got = (status, code.clone());
                let want = match (allowed, *role) {
                    (Some(_), _) => (200, String::new()),
                    // Another station's officer does not see this one at all.
                    (None, "other_officer") => (404, "not_found".into()),
                    (None, r) if !has_say(action, r) => (403, "forbidden".into()),
                    (None, _) => (409, "invalid_transition".into()),
                };
                if got != want {
                    wrong.push(format!(
                        "{role} {action} from {from}: {got:?}, want {want:?}"
                    ));
                    continue;
                }
                let (_, now, _) = get(
                    &app.client,
                    &app,
                    &format!("/api/v1/returns/{station}/{month}"),
                )
                .await;
                match allowed {
                    Some((_, _, _, to)) => {
                        assert_eq!(answer["state"], *to, "{role} {action} from {from}");
                        assert_eq!(now["state"], *to, "stored: {role} {action} from {from}");
                        assert_eq!(history_len(&app, station, &month).await, events + 1);
                        assert_eq!(audit_rows(&app, action).await, audited + 1);
                    }
                    None => {
                        assert_eq!(now["state"], from, "unchanged: {role} {action} from {from}");
                        assert_eq!(history_len(&app, station, &month).await, events);
                        if status == 409 {
                            // The refusal carries the return as it is.
                            assert_eq!(answer["current"]["state"], from);
                        }
                    }
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[tokio::test]
async fn a_month_goes_up_and_back_with_reasons_and_its_history_tells_the_story() {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    let month = last_month();
    set_state(&app, station, &month, "open").await;
    let officer = app.client_as("officer.diaozhuang").await;
    let district = app.client_as("leader.tianning").await;
    let city = app.client_as("leader").await;
    let none = json!({});
    let steps: [(&Client, &str, Value, &str); 9] = [
        (&officer, "submit", none.clone(), "submitted"),
        (
            &district,
            "return",
            json!({"reason": "三月讲座人数与签到表不符"}),
            "returned",
        ),
        (&officer, "submit", none.clone(), "submitted"),
        (&district, "approve", none.clone(), "approved"),
        (&city, "return", json!({"reason": "请补充照片"}), "returned"),
        (&officer, "submit", none.clone(), "submitted"),
        (&district, "approve", none.clone(), "approved"),
        (&city, "accept", none.clone(), "accepted"),
        (
            &app.client,
            "reopen",
            json!({"reason": "更正成效数据"}),
            "open",
        ),
    ];
    let today = clock::today().to_string();
    for (client, action, body, to) in &steps {
        let tag = etag_of(&app, station, &month).await;
        let (status, answer) = act(client, &app, station, &month, action, Some(&tag), body).await;
        assert_eq!(status, 200, "{action}: {answer}");
        assert_eq!(answer["state"], *to);
        // Timeliness goes by the first submission, which no later step moves.
        assert_eq!(answer["first_submitted_on"], today.as_str());
        match *action {
            "submit" => assert_eq!(answer["reason"], Value::Null, "a submission clears it"),
            "return" | "reopen" => assert_eq!(answer["reason"], body["reason"]),
            _ => {}
        }
    }
    let (status, history, _) = get(
        &app.client,
        &app,
        &format!("/api/v1/returns/{station}/{month}/history"),
    )
    .await;
    assert_eq!(status, 200);
    let history = history.as_array().unwrap();
    assert_eq!(history.len(), steps.len());
    let told: Vec<(String, String, String)> = history
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                e["to"].as_str().unwrap().to_string(),
                e["actor"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        told[..2],
        [
            (
                "submit".into(),
                "submitted".into(),
                "officer.diaozhuang".into()
            ),
            ("return".into(), "returned".into(), "leader.tianning".into()),
        ]
    );
    assert_eq!(history[1]["reason"], "三月讲座人数与签到表不符");
    assert_eq!(history[8]["from"], "accepted");
    assert_eq!(history[8]["actor"], "admin");
}

#[tokio::test]
async fn a_transition_needs_the_current_version_and_a_reason_where_it_says_why() {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    let month = last_month();
    set_state(&app, station, &month, "submitted").await;
    let district = app.client_as("leader.tianning").await;
    let reason = json!({"reason": "请核对"});

    let (status, answer) = act(&district, &app, station, &month, "return", None, &reason).await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (428, Some("if_match_required"))
    );

    let (status, answer) = act(
        &district,
        &app,
        station,
        &month,
        "return",
        Some("\"7\""),
        &reason,
    )
    .await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (409, Some("edit_conflict"))
    );
    assert_eq!(
        answer["current"]["version"], 1,
        "the answer carries the current version"
    );
    assert_eq!(answer["current"]["state"], "submitted");

    for body in [json!({}), json!({"reason": "   "})] {
        let (status, answer) = act(
            &district,
            &app,
            station,
            &month,
            "return",
            Some("\"1\""),
            &body,
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(answer["fields"][0]["field"], "reason");
    }
    let (status, answer) = act(
        &district,
        &app,
        station,
        &month,
        "return",
        Some("\"1\""),
        &json!({"reason": "因".repeat(201)}),
    )
    .await;
    assert_eq!(
        (status, answer["fields"][0]["field"].as_str()),
        (422, Some("reason"))
    );
    assert_eq!(history_len(&app, station, &month).await, 0, "nothing moved");

    // A month that has not begun is not a return yet.
    let next = {
        let t = clock::today();
        let first =
            NaiveDate::from_ymd_opt(t.year(), t.month(), 28).unwrap() + chrono::Duration::days(7);
        first.format("%Y-%m").to_string()
    };
    let officer = app.client_as("officer.diaozhuang").await;
    let (status, answer) = act(
        &officer,
        &app,
        station,
        &next,
        "submit",
        Some("\"0\""),
        &json!({}),
    )
    .await;
    assert_eq!(
        (status, answer["fields"][0]["field"].as_str()),
        (422, Some("month"))
    );
    // Nor is an action the sign-off does not have.
    let (status, _) = act(
        &officer,
        &app,
        station,
        &month,
        "delete",
        Some("\"1\""),
        &json!({}),
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_station_closed_before_a_month_owes_no_return_for_it() {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    let month = last_month();
    set_state(&app, station, &month, "open").await;
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").unwrap();
    sqlx::query("UPDATE stations SET closed_on = $1 WHERE id = $2")
        .bind((first - chrono::Duration::days(1)).to_string())
        .bind(station)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let officer = app.client_as("officer.diaozhuang").await;
    let (status, answer) = act(
        &officer,
        &app,
        station,
        &month,
        "submit",
        Some("\"0\""),
        &json!({}),
    )
    .await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (409, Some("station_closed"))
    );
    // Nor is it listed for that month, though it still is for the months before.
    let list = app
        .get_json(&format!(
            "/api/v1/returns?month={month}&station_id={station}"
        ))
        .await;
    assert_eq!(list, json!([]));
    let year = first.year();
    let earlier = app
        .get_json(&format!("/api/v1/returns?year={year}&station_id={station}"))
        .await;
    let months: Vec<&str> = earlier
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["month"].as_str().unwrap())
        .collect();
    assert!(!months.contains(&month.as_str()), "{months:?}");
    assert_eq!(months.len() as u32, first.month() - 1);
}

#[tokio::test]
async fn the_list_holds_one_return_per_expected_station_and_month_in_the_viewers_scope() {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    let month = this_month();
    let officer = app.client_as("officer.diaozhuang").await;
    // The officer's year: this year's months up to this one, none after.
    let (status, year, _) = get(&officer, &app, "/api/v1/returns").await;
    assert_eq!(status, 200);
    let year = year.as_array().unwrap();
    assert_eq!(year.len() as u32, clock::today().month());
    assert!(year.iter().all(|r| r["station_id"] == station));
    assert_eq!(year.last().unwrap()["month"], month.as_str());
    assert_eq!(
        year.last().unwrap()["state"],
        "open",
        "the current month is open"
    );

    // A district leader's month: every station of the district, and only those.
    let district = app.id_of("districts", "name", "天宁分局").await;
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM stations WHERE district_id = $1 AND deleted_at IS NULL",
    )
    .bind(district)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let leader = app.client_as("leader.tianning").await;
    let (_, rows, _) = get(&leader, &app, &format!("/api/v1/returns?month={month}")).await;
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len() as i64, n);
    assert!(rows.iter().all(|r| r["district_id"] == district));

    // The state filter, and months no one moved are open at version 0.
    set_state(&app, station, &last_month(), "submitted").await;
    let (_, submitted, _) = get(
        &leader,
        &app,
        &format!("/api/v1/returns?month={}&state=submitted", last_month()),
    )
    .await;
    let ids: Vec<i64> = submitted
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["station_id"].as_i64().unwrap())
        .collect();
    assert!(ids.contains(&station), "{ids:?}");
    assert!(rows
        .iter()
        .any(|r| r["state"] == "open" && r["version"] == 0));

    // Another district's station is 404 to the district leader, as its records are;
    // schools read no returns.
    let sanjing = app.id_of("stations", "name", "三井派出所").await;
    let (status, _, _) = get(
        &leader,
        &app,
        &format!("/api/v1/returns?station_id={sanjing}"),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _, _) = get(&leader, &app, &format!("/api/v1/returns/{sanjing}/{month}")).await;
    assert_eq!(status, 404);
    let school = app.client_as("school.diaozhuang").await;
    let (status, _, _) = get(&school, &app, "/api/v1/returns").await;
    assert_eq!(status, 403);
    let (status, _, _) = get(&app.client, &app, "/api/v1/returns?month=2025-13").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn a_summary_shows_the_months_figures_and_what_to_check_first() {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    let month = this_month();
    let first = format!("{month}-01");
    // A clean month: no sessions, then the figures as stored.
    sqlx::query("UPDATE sessions SET deleted_at = $1 WHERE station_id = $2 AND held_on >= $3")
        .bind(humiao_server::db::now_text())
        .bind(station)
        .bind(&first)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let summary = app
        .get_json(&format!("/api/v1/returns/{station}/{month}/summary"))
        .await;
    assert_eq!(summary["sessions"], 0);
    assert_eq!(summary["audience"], 0);
    let kinds: Vec<&str> = summary["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"no_sessions"), "{summary}");
}

#[tokio::test]
async fn the_city_accepts_a_districts_month_only_when_every_return_there_is_approved() {
    let app = spawn_app().await;
    let district = app.id_of("districts", "name", "天宁分局").await;
    let month = last_month();
    let stations: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, name FROM stations WHERE district_id = $1 AND deleted_at IS NULL ORDER BY id",
    )
    .bind(district)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    for (i, (id, _)) in stations.iter().enumerate() {
        let state = match i {
            0 => "submitted",
            1 => "accepted",
            _ => "approved",
        };
        set_state(&app, *id, &month, state).await;
    }
    let city = app.client_as("leader").await;
    let path = format!("/api/v1/returns/districts/{district}/{month}/accept");
    let accept = |client: Client| {
        let url = format!("{}{path}", app.url);
        async move {
            let res = client.post(url).send().await.unwrap();
            let status = res.status().as_u16();
            (status, res.json::<Value>().await.unwrap())
        }
    };
    let (status, answer) = accept(city.clone()).await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (409, Some("not_all_approved"))
    );
    let waiting: Vec<&str> = answer["current"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["station_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        waiting,
        [stations[0].1.as_str()],
        "names the station not approved"
    );
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM monthly_returns WHERE month = $1 AND state = 'accepted'",
    )
    .bind(&month)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(n, 1, "nothing was accepted");

    // Only the city accepts.
    let (status, _) = accept(app.client_as("leader.tianning").await).await;
    assert_eq!(status, 403);

    set_state(&app, stations[0].0, &month, "approved").await;
    let (status, answer) = accept(city).await;
    assert_eq!(status, 200, "{answer}");
    let answer = answer.as_array().unwrap();
    assert_eq!(answer.len(), stations.len());
    assert!(
        answer.iter().all(|r| r["state"] == "accepted"),
        "{answer:?}"
    );
    assert_eq!(
        audit_rows(&app, "accept").await,
        stations.len() as i64 - 1,
        "one audit row per return accepted now"
    );
}

#[tokio::test]
async fn the_demo_shows_every_state_of_the_sign_off_on_first_start() {
    let app = spawn_app().await;
    let city = app.client_as("leader").await;
    let year_of = |rows: &Value, state: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .filter(|r| r["state"] == state)
            .count()
    };
    let list = |year: i32| {
        let city = city.clone();
        let url = format!("{}/api/v1/returns?year={year}&limit=1000", app.url);
        async move {
            let mut all = Vec::new();
            for page in 1.. {
                let res = city.get(format!("{url}&page={page}")).send().await.unwrap();
                assert_eq!(res.status(), 200);
                let rows: Vec<Value> = res.json().await.unwrap();
                if rows.is_empty() {
                    break;
                }
                all.extend(rows);
            }
            Value::Array(all)
        }
    };
    // 2024: accepted throughout, but for the demo officers' own stations, left open.
    let y2024 = list(2024).await;
    let open_2024: Vec<&str> = y2024
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["state"] != "accepted")
        .map(|r| r["station_name"].as_str().unwrap())
        .collect();
    assert_eq!(open_2024.len(), 24, "{open_2024:?}");
    assert!(open_2024
        .iter()
        .all(|s| ["雕庄派出所", "三井派出所"].contains(s)));
    assert_eq!(year_of(&y2024, "accepted"), 85 * 12);

    let today = clock::today();
    let last_year = list(today.year() - 1).await;
    let rows = last_year.as_array().unwrap();
    assert!(year_of(&last_year, "approved") > rows.len() / 2);
    let returned: Vec<&Value> = rows.iter().filter(|r| r["state"] == "returned").collect();
    assert!(!returned.is_empty());
    assert!(
        returned.iter().all(|r| r["reason"].is_string()),
        "{returned:?}"
    );
    assert!(rows
        .iter()
        .any(|r| r["late"] == true && r["state"] == "approved"));

    let this_year = list(today.year()).await;
    let rows = this_year.as_array().unwrap();
    let month = this_month();
    assert!(rows
        .iter()
        .filter(|r| r["month"] == month.as_str())
        .all(|r| r["state"] == "open" && r["version"] == 0));
    for state in ["submitted", "approved", "returned"] {
        assert!(year_of(&this_year, state) > 0, "{state} this year");
    }
    // Some past months are not in: open, and late once their deadline passed.
    assert!(rows
        .iter()
        .any(|r| r["state"] == "open" && r["month"] != month.as_str() && r["late"] == true));

    // Each return's history leads to its state.
    let sample = rows.iter().find(|r| r["state"] == "approved").unwrap();
    let history = app
        .get_json(&format!(
            "/api/v1/returns/{}/{}/history",
            sample["station_id"],
            sample["month"].as_str().unwrap()
        ))
        .await;
    let history = history.as_array().unwrap();
    assert_eq!(history.last().unwrap()["to"], "approved");
    assert_eq!(history.len() as i64, sample["version"].as_i64().unwrap());
}
