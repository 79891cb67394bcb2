//! The mentoring registers (issue 18): who reads a case (never a leader; a volunteer only
//! the cases they are paired with), every read of a case audited and listed, free text
//! that names nobody, case codes in sequence, overdue cases and runaway calls, and
//! retention. On both engines, like the rest of the suite.

use chrono::{Duration, NaiveDate};
use humiao_server::clock;
use humiao_tests::{spawn_app, TestApp};
use reqwest::Client;
use serde_json::{json, Value};

fn days_ago(n: i64) -> String {
    (clock::today() - Duration::days(n)).to_string()
}

/// A case of `station`, opened `opened` (a day), with `grade`, as the administrator; its id
/// and the answer.
async fn new_case(app: &TestApp, station: i64, opened: &str, grade: &str) -> (i64, Value) {
    let year: i64 = opened[..4].parse().expect("a year");
    let res = app
        .post_json(
            "/api/v1/cases",
            &json!({"station_id": station, "birth_year": year - 14, "sex": "female",
                    "category": "night_wandering", "grade": grade, "opened_on": opened,
                    "note": "夜间游荡，家长外出务工"}),
        )
        .await;
    assert_eq!(res.status(), 201, "the case is opened");
    let case: Value = res.json().await.expect("JSON");
    (case["id"].as_i64().expect("an id"), case)
}

/// The demo volunteer's record (雕庄派出所, account `volunteer.diaozhuang`).
async fn demo_volunteer(app: &TestApp) -> i64 {
    let (id,): (i64,) = sqlx::query_as(
        "SELECT v.id FROM volunteers v JOIN users u ON u.id = v.user_id
         WHERE u.username = 'volunteer.diaozhuang'",
    )
    .fetch_one(&app.db.pool)
    .await
    .expect("the demo volunteer");
    id
}

/// Pairs a volunteer with a case from `from` (to `to`); the team row's id.
async fn pair(app: &TestApp, case: i64, volunteer: i64, from: &str, to: Option<&str>) -> i64 {
    let res = app
        .post_json(
            "/api/v1/case_team",
            &json!({"case_id": case, "volunteer_id": volunteer, "from_on": from, "to_on": to}),
        )
        .await;
    assert_eq!(res.status(), 201, "the volunteer is paired");
    let row: Value = res.json().await.expect("JSON");
    row["id"].as_i64().expect("an id")
}

async fn status_of(client: &Client, app: &TestApp, path: &str) -> u16 {
    client
        .get(format!("{}{path}", app.url))
        .send()
        .await
        .expect("sent")
        .status()
        .as_u16()
}

async fn json_of(client: &Client, app: &TestApp, path: &str) -> Value {
    let res = client
        .get(format!("{}{path}", app.url))
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), 200, "GET {path}");
    res.json().await.expect("JSON")
}

async fn post(client: &Client, app: &TestApp, path: &str, body: &Value) -> reqwest::Response {
    client
        .post(format!("{}{path}", app.url))
        .json(body)
        .send()
        .await
        .expect("sent")
}

fn codes(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|c| c["code"].as_str().expect("a code").to_string())
        .collect()
}

#[tokio::test]
async fn a_leader_never_gets_a_case_row_nor_its_contacts_team_or_events() {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    let (case, _) = new_case(&app, station, &days_ago(30), "orange").await;
    let paths = [
        "/api/v1/cases".to_string(),
        format!("/api/v1/cases/{case}"),
        format!("/api/v1/cases?station_id={station}"),
        "/api/v1/cases?format=csv".to_string(),
        format!("/api/v1/contacts?case_id={case}"),
        format!("/api/v1/case_team?case_id={case}"),
        format!("/api/v1/case_events?case_id={case}"),
        format!("/api/v1/cases/{case}/viewers"),
    ];
    for leader in ["leader", "leader.tianning"] {
        let client = app.client_as(leader).await;
        for path in &paths {
            assert_eq!(
                status_of(&client, &app, path).await,
                403,
                "{leader}: GET {path}"
            );
        }
    }
    let (seen,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM case_views WHERE actor LIKE 'leader%'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(seen, 0, "no leader was shown the case");
}

#[tokio::test]
async fn a_volunteer_sees_only_the_cases_they_are_paired_with_today_and_logs_contacts_on_them() {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    let volunteer = demo_volunteer(&app).await;
    let (mine, _) = new_case(&app, station, &days_ago(60), "red").await;
    let (other, _) = new_case(&app, station, &days_ago(60), "red").await;
    let (ended, _) = new_case(&app, station, &days_ago(60), "red").await;
    let my_row = pair(&app, mine, volunteer, &days_ago(60), None).await;
    let old_row = pair(&app, ended, volunteer, &days_ago(60), Some(&days_ago(1))).await;

    let client = app.client_as("volunteer.diaozhuang").await;
    let list = json_of(&client, &app, "/api/v1/cases").await;
    let ids: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [mine], "their current case only");
    let shown = &list[0];
    for officers_only in ["birth_year", "sex", "school_id", "note", "closing_reason"] {
        assert!(shown[officers_only].is_null(), "{officers_only}: {shown}");
    }
    assert_eq!(shown["grade"], "red");
    assert_eq!(
        status_of(&client, &app, &format!("/api/v1/cases/{other}")).await,
        404
    );
    assert_eq!(
        status_of(&client, &app, &format!("/api/v1/cases/{ended}")).await,
        404
    );
    assert_eq!(status_of(&client, &app, "/api/v1/case_events").await, 403);
    assert_eq!(status_of(&client, &app, "/api/v1/sessions").await, 403);
    assert_eq!(status_of(&client, &app, "/api/v1/outcomes").await, 403);
    assert_eq!(
        status_of(&client, &app, "/api/v1/aggregates/reach").await,
        403
    );

    let contact = |case: i64, row: i64| {
        json!({"case_id": case, "team_member_id": row, "contacted_on": days_ago(1),
               "kind": "home_visit", "next_due_on": days_ago(-6)})
    };
    let res = post(&client, &app, "/api/v1/contacts", &contact(mine, my_row)).await;
    assert_eq!(res.status(), 201, "a contact on their case");
    let res = post(&client, &app, "/api/v1/contacts", &contact(ended, old_row)).await;
    assert_eq!(res.status(), 403, "not on a case they left");
    let res = post(
        &client,
        &app,
        "/api/v1/cases",
        &json!({"station_id": station, "birth_year": 2010, "sex": "male",
                "category": "dropout", "grade": "green", "opened_on": days_ago(1)}),
    )
    .await;
    assert_eq!(res.status(), 403, "volunteers open no case");
    let case = json_of(&client, &app, &format!("/api/v1/cases/{mine}")).await;
    assert_eq!(case["last_contact_on"], days_ago(1));
    assert_eq!(case["overdue"], false);
}

#[tokio::test]
async fn every_read_of_a_case_leaves_a_row_and_administrators_list_who_viewed_it() {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    let (case, _) = new_case(&app, station, &days_ago(10), "yellow").await;
    let (second, _) = new_case(&app, station, &days_ago(10), "yellow").await;
    pair(&app, case, demo_volunteer(&app).await, &days_ago(10), None).await;
    let officer = app.client_as("officer.diaozhuang").await;
    let volunteer = app.client_as("volunteer.diaozhuang").await;

    json_of(&officer, &app, "/api/v1/cases").await;
    json_of(&officer, &app, &format!("/api/v1/cases/{case}")).await;
    json_of(&volunteer, &app, &format!("/api/v1/cases/{case}")).await;
    json_of(&officer, &app, &format!("/api/v1/contacts?case_id={case}")).await;
    assert_eq!(
        status_of(&officer, &app, "/api/v1/cases?format=csv").await,
        403,
        "officers do not export case rows"
    );
    let res = app.get("/api/v1/cases?format=csv").await;
    assert_eq!(res.status(), 200, "administrators do");
    let file = res.text().await.unwrap();
    assert!(
        !file.contains("家长外出务工"),
        "no free text leaves: {file}"
    );

    let viewers = app.get_json(&format!("/api/v1/cases/{case}/viewers")).await;
    let seen: Vec<(String, String)> = viewers
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["actor"].as_str().unwrap().into(),
                v["how"].as_str().unwrap().into(),
            )
        })
        .collect();
    // Newest first: the export, the volunteer's read, the officer's read and list. The
    // contacts list showed no contact (the case has none), so no case; the case's creation
    // and pairing were writes, not reads.
    let expected: Vec<(String, String)> = [
        ("admin", "cases"),
        ("volunteer.diaozhuang", "cases"),
        ("officer.diaozhuang", "cases"),
        ("officer.diaozhuang", "cases"),
    ]
    .iter()
    .map(|(a, h)| (a.to_string(), h.to_string()))
    .collect();
    assert_eq!(seen, expected);
    let second_viewers = app
        .get_json(&format!("/api/v1/cases/{second}/viewers"))
        .await;
    assert_eq!(
        second_viewers.as_array().unwrap().len(),
        2,
        "the list and the export"
    );
    assert_eq!(
        status_of(&officer, &app, &format!("/api/v1/cases/{case}/viewers")).await,
        403
    );
    let after = app.get_json(&format!("/api/v1/cases/{case}/viewers")).await;
    assert_eq!(
        after, viewers,
        "looking at the viewers is not a read of the case"
    );
}

#[tokio::test]
async fn free_text_with_an_id_number_a_phone_or_a_name_is_refused_at_the_field() {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    let case = json!({"station_id": station, "birth_year": 2010, "sex": "male",
                      "category": "dropout", "grade": "green", "opened_on": days_ago(3)});
    let with = |key: &str, value: &str, closed: bool| {
        let mut body = case.clone();
        body[key] = json!(value);
        if closed {
            body["closed_on"] = json!(days_ago(1));
        }
        body
    };
    let cases = [
        (
            with("note", "身份证 32040220100101123X", false),
            "note",
            "holds_id_number",
        ),
        (
            with("note", "母亲电话 138 1234 5678", false),
            "note",
            "holds_phone_number",
        ),
        (
            with("note", "座机 0519-86661234", false),
            "note",
            "holds_phone_number",
        ),
        (
            with("closing_reason", "姓名：张伟，已成年", true),
            "closing_reason",
            "holds_name",
        ),
        (with("note", "与赵磊同学谈心", false), "note", "holds_name"),
    ];
    let before = app.count("cases").await;
    for (body, field, code) in cases {
        let res = app.post_json("/api/v1/cases", &body).await;
        assert_eq!(res.status(), 422, "{body}");
        let answer: Value = res.json().await.unwrap();
        let found = answer["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["field"] == field && f["code"] == code);
        assert!(found, "expected {field}={code} in {answer}");
    }
    assert_eq!(app.count("cases").await, before, "nothing stored");
    let res = app
        .post_json("/api/v1/cases", &with("note", "王某某已复学", false))
        .await;
    assert_eq!(res.status(), 201, "the anonymous 某 form passes");
}

#[tokio::test]
async fn case_codes_are_issued_in_sequence_per_station_and_year_and_never_reused() {
    let app = spawn_app().await;
    let diaozhuang = app.id_of("stations", "name", "雕庄派出所").await;
    let sanjing = app.id_of("stations", "name", "三井派出所").await;
    let (code,): (String,) = sqlx::query_as("SELECT code FROM stations WHERE id = $1")
        .bind(diaozhuang)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let mut issued = Vec::new();
    for _ in 0..3 {
        let (_, case) = new_case(&app, diaozhuang, "2024-03-01", "green").await;
        issued.push(case);
    }
    let third = issued[2]["id"].as_i64().unwrap();
    let res = app
        .client
        .delete(format!("{}/api/v1/cases/{third}", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let (_, fourth) = new_case(&app, diaozhuang, "2024-11-30", "green").await;
    let (_, earlier_year) = new_case(&app, diaozhuang, "2023-12-31", "green").await;
    // 三井 keeps the demo's registers: its next number follows the demo's last.
    let (demo_last,): (i64,) = sqlx::query_as(
        "SELECT COALESCE(MAX(last_seq), 0) FROM case_codes WHERE station_id = $1 AND year = 2024",
    )
    .bind(sanjing)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let (_, elsewhere) = new_case(&app, sanjing, "2024-03-01", "green").await;
    let (other_code,): (String,) = sqlx::query_as("SELECT code FROM stations WHERE id = $1")
        .bind(sanjing)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let got: Vec<&str> = issued
        .iter()
        .chain([&fourth, &earlier_year, &elsewhere])
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    let want = [
        format!("{code}-2024-001"),
        format!("{code}-2024-002"),
        format!("{code}-2024-003"),
        format!("{code}-2024-004"),
        format!("{code}-2023-001"),
        format!("{other_code}-2024-{:03}", demo_last + 1),
    ];
    assert_eq!(got, want);
    let list = app.get_json("/api/v1/cases?sort=code").await;
    assert!(!codes(&list).contains(&want[2]), "the deleted case is gone");
}

#[tokio::test]
async fn a_case_is_overdue_when_its_grades_interval_passes_without_a_contact() {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    let officer_id = app.id_of("users", "username", "officer.diaozhuang").await;
    // (grade, last contact so many days ago, overdue): red 7, orange 14, yellow 30, green 60.
    let cases = [
        ("red", Some(7), false),
        ("red", Some(8), true),
        ("orange", Some(8), false),
        ("orange", Some(15), true),
        ("yellow", Some(30), false),
        ("green", Some(61), true),
        ("green", None, true),
    ];
    for (grade, last, overdue) in cases {
        let (case, _) = new_case(&app, station, &days_ago(90), grade).await;
        let res = app
            .post_json(
                "/api/v1/case_team",
                &json!({"case_id": case, "officer_id": officer_id, "from_on": days_ago(90)}),
            )
            .await;
        assert_eq!(res.status(), 201);
        let row: Value = res.json().await.unwrap();
        if let Some(n) = last {
            let res = app
                .post_json(
                    "/api/v1/contacts",
                    &json!({"case_id": case, "team_member_id": row["id"],
                            "contacted_on": days_ago(n), "kind": "phone"}),
                )
                .await;
            assert_eq!(res.status(), 201);
        }
        let shown = app.get_json(&format!("/api/v1/cases/{case}")).await;
        assert_eq!(
            shown["overdue"], overdue,
            "{grade}, last contact {last:?} days ago"
        );
    }
}

#[tokio::test]
async fn a_runaway_call_is_overdue_seven_days_after_it_without_a_follow_up() {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    let officer = app.client_as("officer.diaozhuang").await;
    // (called so many days ago, follow-ups so many days ago, overdue)
    let calls: [(i64, &[i64], bool); 4] = [
        (8, &[], true),
        (7, &[], false),
        (20, &[18], false),
        (20, &[5], true),
    ];
    for (i, (called, visits, overdue)) in calls.into_iter().enumerate() {
        let visits: Vec<String> = visits.iter().map(|d| days_ago(*d)).collect();
        let res = post(
            &officer,
            &app,
            "/api/v1/runaway_calls",
            &json!({"station_id": station, "called_at": format!("{}T2{i}:15", days_ago(called)),
                    "found_at": format!("{}T23:50", days_ago(called)), "follow_ups": visits}),
        )
        .await;
        assert_eq!(res.status(), 201);
        let call: Value = res.json().await.unwrap();
        assert_eq!(
            call["overdue"], overdue,
            "called {called} days ago, visits {visits:?}"
        );
    }
    let leader = app.client_as("leader.tianning").await;
    let list = json_of(
        &leader,
        &app,
        &format!("/api/v1/runaway_calls?station_id={station}"),
    )
    .await;
    assert_eq!(
        list.as_array().unwrap().len(),
        4,
        "a station record, read like outcomes"
    );
}

#[tokio::test]
async fn cases_closed_longer_than_the_retention_setting_are_reduced_to_their_statistics() {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    let school = app.id_of("schools", "name", "雕庄小学").await;
    let mut ids = Vec::new();
    for closed in ["2021-06-01", "2022-06-01"] {
        let res = app
            .post_json(
                "/api/v1/cases",
                &json!({"station_id": station, "school_id": school, "birth_year": 2006,
                        "sex": "male", "category": "offence", "grade": "orange",
                        "opened_on": "2020-03-01", "closed_on": closed,
                        "closing_reason": "已满 18 周岁", "note": "按时报到"}),
            )
            .await;
        assert_eq!(res.status(), 201);
        let case: Value = res.json().await.unwrap();
        ids.push(case["id"].as_i64().unwrap());
    }
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let reduce = |today: &'static str| {
        let db = app.db.clone();
        async move {
            humiao_server::records::registers::retention::reduce(&db, day(today))
                .await
                .unwrap()
        }
    };
    assert_eq!(
        reduce("2024-06-01").await,
        0,
        "three years to the day: kept"
    );
    assert_eq!(reduce("2024-06-02").await, 1, "a day later: reduced");
    assert_eq!(reduce("2024-06-03").await, 0, "once");
    let old = app.get_json(&format!("/api/v1/cases/{}", ids[0])).await;
    for cleared in ["school_id", "note", "closing_reason"] {
        assert!(old[cleared].is_null(), "{cleared}: {old}");
    }
    for kept in [
        "birth_year",
        "sex",
        "category",
        "grade",
        "opened_on",
        "closed_on",
        "code",
    ] {
        assert!(
            !old[kept].is_null(),
            "{kept} is what the statistics need: {old}"
        );
    }
    let newer = app.get_json(&format!("/api/v1/cases/{}", ids[1])).await;
    assert_eq!(newer["note"], "按时报到");
    assert_eq!(newer["school_id"], school);
}

#[tokio::test]
async fn a_night_of_care_counts_minors_and_shows_its_cases_to_the_station_only() {
    let app = spawn_app().await;
    let sanjing = app.id_of("stations", "name", "三井派出所").await;
    let diaozhuang = app.id_of("stations", "name", "雕庄派出所").await;
    let (own, _) = new_case(&app, sanjing, &days_ago(20), "yellow").await;
    let (elsewhere, _) = new_case(&app, diaozhuang, &days_ago(20), "yellow").await;
    let officer = app.client_as("officer.sanjing").await;
    let night = |cases: Vec<i64>| json!({"station_id": sanjing, "cared_on": days_ago(2), "minors": 6, "case_ids": cases});
    let res = post(
        &officer,
        &app,
        "/api/v1/night_care",
        &night(vec![own, elsewhere]),
    )
    .await;
    assert_eq!(res.status(), 422);
    let answer: Value = res.json().await.unwrap();
    assert_eq!(answer["fields"][0]["field"], "case_ids[1]", "{answer}");
    assert_eq!(answer["fields"][0]["code"], "other_station", "{answer}");
    let res = post(&officer, &app, "/api/v1/night_care", &night(vec![own])).await;
    assert_eq!(res.status(), 201);
    let stored: Value = res.json().await.unwrap();
    assert_eq!(stored["case_ids"], json!([own]));
    let leader = app.client_as("leader").await;
    let list = json_of(
        &leader,
        &app,
        &format!("/api/v1/night_care?station_id={sanjing}"),
    )
    .await;
    assert_eq!(list[0]["minors"], 6, "the count is the station's figure");
    assert_eq!(
        list[0]["case_ids"],
        json!([]),
        "which cases is not a leader's to see"
    );
}

#[tokio::test]
async fn a_case_with_history_and_a_station_with_cases_are_not_deleted() {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    let (case, _) = new_case(&app, station, &days_ago(10), "green").await;
    let row = pair(&app, case, demo_volunteer(&app).await, &days_ago(10), None).await;
    let res = app
        .post_json(
            "/api/v1/contacts",
            &json!({"case_id": case, "team_member_id": row, "contacted_on": days_ago(2),
                    "kind": "activity"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    for (path, used) in [
        (format!("/api/v1/cases/{case}"), "contacts"),
        (format!("/api/v1/case_team/{row}"), "contacts"),
        (format!("/api/v1/stations/{station}"), "cases"),
    ] {
        let res = app
            .client
            .delete(format!("{}{path}", app.url))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 409, "DELETE {path}");
        let answer: Value = res.json().await.unwrap();
        assert_eq!(answer["code"], "in_use", "{answer}");
        assert!(
            answer["used_by"][used].as_i64() > Some(0),
            "{used}: {answer}"
        );
    }
}

#[tokio::test]
async fn volunteers_names_and_phones_are_masked_outside_the_station() {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    let path = format!("/api/v1/volunteers?station_id={station}");
    let officer = app.client_as("officer.diaozhuang").await;
    let full = json_of(&officer, &app, &path).await;
    assert_eq!(
        (full[0]["name"].as_str(), full[0]["phone"].as_str()),
        (Some("王建国"), Some("13800000001"))
    );
    let leader = app.client_as("leader.tianning").await;
    let masked = json_of(&leader, &app, &path).await;
    assert_eq!(
        (masked[0]["name"].as_str(), masked[0]["phone"].as_str()),
        (Some("王**"), Some("138****0001"))
    );
    let volunteer = app.client_as("volunteer.diaozhuang").await;
    assert_eq!(
        status_of(&volunteer, &app, &path).await,
        403,
        "no volunteer list for volunteers"
    );
}

/// What the volunteer's outbox relies on: a contact sent again with the key it was first
/// sent with (its answer lost on a phone's bad signal) is answered as the first time and
/// stored once; a new key is a new contact.
#[tokio::test]
async fn a_contact_sent_twice_with_one_idempotency_key_is_stored_once() {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    let (case, _) = new_case(&app, station, &days_ago(20), "red").await;
    let member = pair(&app, case, demo_volunteer(&app).await, &days_ago(20), None).await;
    let volunteer = app.client_as("volunteer.diaozhuang").await;
    let contact = json!({"case_id": case, "contacted_on": days_ago(0), "kind": "phone",
                         "team_member_id": member, "next_due_on": days_ago(-7)});
    let send = |key: &'static str| {
        let (volunteer, contact, url) = (&volunteer, &contact, &app.url);
        async move {
            let res = volunteer
                .post(format!("{url}/api/v1/contacts"))
                .header("Idempotency-Key", key)
                .json(contact)
                .send()
                .await
                .expect("sent");
            let status = res.status().as_u16();
            (status, res.json::<Value>().await.expect("JSON"))
        }
    };
    let (first, stored) = send("outbox-key-1").await;
    let (again, replayed) = send("outbox-key-1").await;
    assert_eq!((first, again), (201, 201));
    assert_eq!(stored["id"], replayed["id"], "the first answer, replayed");
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM contacts WHERE case_id = $1")
        .bind(case)
        .fetch_one(&app.db.pool)
        .await
        .expect("counted");
    assert_eq!(n, 1);
    let overdue = json_of(&volunteer, &app, &format!("/api/v1/cases/{case}")).await;
    assert_eq!(
        overdue["overdue"], false,
        "the contact brought the case up to date"
    );
}
