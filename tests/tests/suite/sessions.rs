//! `POST /api/v1/sessions` and the reach it adds to the leaders' figures.

use humiao_tests::{assert_rollup_matches_sessions, spawn_app, TestApp};
use serde_json::{json, Value};

/// A valid entry: a talk on drowning at 雕庄小学, given today by 雕庄派出所.
async fn talk_at_diaozhuang(app: &TestApp) -> Value {
    json!({
        "campaign_id": app.current_campaign().await,
        "station_id": app.id_of("stations", "name", "雕庄派出所").await,
        "school_id": app.id_of("schools", "name", "雕庄小学").await,
        "held_on": humiao_server::clock::today().to_string(),
        "format": "class_talk",
        "topic_ids": [app.id_of("topics", "code", "drowning").await],
        "audience": {"students": 320, "parents": 40, "teachers": 12, "others": 0},
        "notes": "防溺水专题"
    })
}

fn district_row<'a>(reach: &'a Value, name: &str) -> &'a Value {
    reach
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["district"] == name)
        .unwrap_or_else(|| panic!("{name} in {reach}"))
}

#[tokio::test]
async fn a_logged_session_is_stored_and_counted_for_its_district() {
    let app = spawn_app().await;
    let campaign = app.current_campaign().await;
    let reach_path = format!("/api/v1/aggregates/sessions-by-district?campaign_id={campaign}");
    let before = app.get_json(&reach_path).await;
    let before = district_row(&before, "天宁分局").clone();

    let res = app
        .post_json("/api/v1/sessions", &talk_at_diaozhuang(&app).await)
        .await;
    assert_eq!(res.status(), 201);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["venue"], "雕庄小学");
    assert_eq!(created["station"], "雕庄派出所");
    assert_eq!(created["district"], "天宁分局");
    assert_eq!(created["demo"], false);
    assert_eq!(created["notes"], "防溺水专题");
    assert_eq!(app.get_json(&location).await, created);

    let after = app.get_json(&reach_path).await;
    let after = district_row(&after, "天宁分局");
    assert_eq!(
        after["sessions"].as_i64(),
        before["sessions"].as_i64().map(|n| n + 1)
    );
    assert_eq!(
        after["students"].as_i64(),
        before["students"].as_i64().map(|n| n + 320)
    );
    assert_eq!(
        after["parents"].as_i64(),
        before["parents"].as_i64().map(|n| n + 40)
    );
    assert_rollup_matches_sessions(&app.db).await;
}

#[tokio::test]
async fn a_session_at_another_venue_needs_no_school() {
    let app = spawn_app().await;
    let mut entry = talk_at_diaozhuang(&app).await;
    entry["school_id"] = Value::Null;
    entry["venue"] = json!("雕庄派出所");
    entry["format"] = json!("open_day");
    let res = app.post_json("/api/v1/sessions", &entry).await;
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["venue"], "雕庄派出所");
    assert_eq!(created["school_id"], Value::Null);
}

#[tokio::test]
async fn bad_entries_get_field_errors_and_store_nothing() {
    let app = spawn_app().await;
    let valid = talk_at_diaozhuang(&app).await;
    let before = app.count("sessions").await;
    let topics_before = app.count("session_topics").await;
    let tomorrow = (humiao_server::clock::today() + chrono::Duration::days(1)).to_string();

    // (what is wrong, the change, status, field, code)
    let cases: Vec<(&str, Value, u16, &str, &str)> = vec![
        (
            "no station",
            json!({"station_id": null}),
            422,
            "station_id",
            "required",
        ),
        (
            "unknown station",
            json!({"station_id": 999_999}),
            422,
            "station_id",
            "unknown_value",
        ),
        (
            "unknown school",
            json!({"school_id": 999_999}),
            422,
            "school_id",
            "unknown_value",
        ),
        (
            "unknown campaign",
            json!({"campaign_id": 999_999}),
            422,
            "campaign_id",
            "unknown_value",
        ),
        (
            "unknown topic",
            json!({"topic_ids": [999_999]}),
            422,
            "topic_ids",
            "unknown_value",
        ),
        (
            "no topic",
            json!({"topic_ids": []}),
            422,
            "topic_ids",
            "required",
        ),
        (
            "future date",
            json!({"held_on": tomorrow}),
            422,
            "held_on",
            "date_in_future",
        ),
        (
            "before the campaign",
            json!({"held_on": "2020-05-01"}),
            422,
            "held_on",
            "outside_campaign",
        ),
        (
            "not a date",
            json!({"held_on": "24/07/2024"}),
            422,
            "held_on",
            "invalid_date",
        ),
        (
            "negative count",
            json!({"audience": {"students": -5}}),
            422,
            "audience.students",
            "negative",
        ),
        (
            "nobody came",
            json!({"audience": {}}),
            422,
            "audience",
            "no_audience",
        ),
        (
            "6000 unconfirmed",
            json!({"audience": {"students": 6000}}),
            422,
            "confirm_large_audience",
            "large_audience_unconfirmed",
        ),
        (
            "school and venue",
            json!({"venue": "社区"}),
            422,
            "venue",
            "venue_conflict",
        ),
        (
            "fractional count",
            json!({"audience": {"students": 1.5}}),
            400,
            "audience.students",
            "invalid_type",
        ),
        (
            "count as text",
            json!({"audience": {"parents": "many"}}),
            400,
            "audience.parents",
            "invalid_type",
        ),
        (
            "unknown format",
            json!({"format": "rally"}),
            400,
            "format",
            "invalid_type",
        ),
    ];
    for (what, change, status, field, code) in cases {
        let mut entry = valid.clone();
        for (k, v) in change.as_object().unwrap() {
            entry[k] = v.clone();
        }
        let res = app.post_json("/api/v1/sessions", &entry).await;
        assert_eq!(res.status().as_u16(), status, "{what}");
        let body: Value = res.json().await.unwrap();
        let fields = body["fields"].as_array().unwrap();
        let hit = fields.iter().find(|f| f["field"] == field);
        let hit = hit.unwrap_or_else(|| panic!("{what}: no error for {field} in {body}"));
        assert_eq!(hit["code"], code, "{what}");
        assert!(!hit["message"].as_str().unwrap().is_empty(), "{what}");
    }
    assert_eq!(app.count("sessions").await, before, "nothing stored");
    assert_eq!(
        app.count("session_topics").await,
        topics_before,
        "nothing half-stored"
    );
}

#[tokio::test]
async fn messages_are_chinese_unless_english_is_asked_for() {
    let app = spawn_app().await;
    let empty = json!({});
    let zh: Value = app
        .post_json("/api/v1/sessions", &empty)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(zh["code"], "validation_failed");
    assert_eq!(zh["fields"][0]["message"], "必填项");

    let en: Value = app
        .client
        .post(format!("{}/api/v1/sessions", app.url))
        .header("Accept-Language", "en-GB,en;q=0.9")
        .json(&empty)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(en["code"], "validation_failed");
    assert_eq!(en["message"], "Some fields need correcting");
    assert_eq!(en["fields"][0]["message"], "This field is required");
}

#[tokio::test]
async fn bodies_that_are_not_json_or_too_large_are_refused() {
    let app = spawn_app().await;
    let url = format!("{}/api/v1/sessions", app.url);
    let cases: Vec<(&str, reqwest::RequestBuilder, u16, &str)> = vec![
        (
            "form data",
            app.client.post(&url).form(&[("station_id", "1")]),
            415,
            "unsupported_media_type",
        ),
        (
            "broken JSON",
            app.client
                .post(&url)
                .header("content-type", "application/json")
                .body("{\"station_id\": "),
            400,
            "invalid_json",
        ),
        (
            "a JSON string",
            app.client.post(&url).json(&json!("a talk")),
            400,
            "invalid_json",
        ),
        (
            "1 MB of notes",
            app.client
                .post(&url)
                .json(&json!({"notes": "字".repeat(350_000)})),
            413,
            "payload_too_large",
        ),
    ];
    let before = app.count("sessions").await;
    for (what, request, status, code) in cases {
        let res = request.send().await.unwrap();
        assert_eq!(res.status().as_u16(), status, "{what}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["code"], code, "{what}");
    }
    assert_eq!(app.count("sessions").await, before);
}

#[tokio::test]
async fn bad_query_parameters_are_named() {
    let app = spawn_app().await;
    let res = app.get("/api/v1/sessions?station_id=abc").await;
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "station_id");
}

#[tokio::test]
async fn lists_filter_by_station_newest_first() {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    app.post_json("/api/v1/sessions", &talk_at_diaozhuang(&app).await)
        .await;
    let list = app
        .get_json(&format!("/api/v1/sessions?station_id={station}&limit=500"))
        .await;
    let list = list.as_array().unwrap();
    assert!(list.len() > 1);
    assert!(list.iter().all(|s| s["station_id"] == station));
    let dates: Vec<&str> = list
        .iter()
        .map(|s| s["held_on"].as_str().unwrap())
        .collect();
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {dates:?}"
    );
    assert_eq!(list[0]["demo"], false, "today's entry leads");
}

/// What a list answers: its rows and the `X-Total-Count` header.
async fn page(app: &TestApp, query: &str) -> (Vec<Value>, i64) {
    let res = app.get(&format!("/api/v1/sessions?{query}")).await;
    assert_eq!(res.status(), 200, "{query}");
    let total = res.headers()["x-total-count"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    (res.json::<Vec<Value>>().await.unwrap(), total)
}

#[tokio::test]
async fn lists_filter_page_and_sort() {
    let app = spawn_app().await;
    let district = app.id_of("districts", "code", "TN").await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    let school = app.id_of("schools", "name", "博爱小学").await;
    let topic = app.id_of("topics", "code", "fraud").await;
    let stations_of_district: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM stations WHERE district_id = $1")
            .bind(district)
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    let in_district = move |s: &Value| {
        stations_of_district
            .iter()
            .any(|(id,)| s["station_id"] == *id)
    };

    // (query, what every row must satisfy, the SQL count it must match)
    type Check = Box<dyn Fn(&Value) -> bool>;
    let cases: Vec<(String, Check, String)> = vec![
        (format!("district_id={district}"), Box::new(in_district),
         format!("SELECT COUNT(*) FROM sessions s JOIN stations st ON st.id = s.station_id WHERE st.district_id = {district}")),
        (format!("station_id={station}"), Box::new(move |s| s["station_id"] == station),
         format!("SELECT COUNT(*) FROM sessions WHERE station_id = {station}")),
        (format!("school_id={school}"), Box::new(move |s| s["school_id"] == school),
         format!("SELECT COUNT(*) FROM sessions WHERE school_id = {school}")),
        (format!("topic_id={topic}"), Box::new(move |s| s["topic_ids"].as_array().unwrap().contains(&Value::from(topic))),
         format!("SELECT COUNT(*) FROM session_topics WHERE topic_id = {topic}")),
        ("from=2024-07-01&to=2024-07-31".into(),
         Box::new(|s| ("2024-07-01".."2024-08-01").contains(&s["held_on"].as_str().unwrap())),
         "SELECT COUNT(*) FROM sessions WHERE held_on BETWEEN '2024-07-01' AND '2024-07-31'".into()),
    ];
    for (query, check, sql) in cases {
        let (rows, total) = page(&app, &format!("{query}&limit=500")).await;
        let (want,): (i64,) = sqlx::query_as(&sql).fetch_one(&app.db.pool).await.unwrap();
        assert!(want > 0, "{query}: the demo data has some");
        assert_eq!(total, want, "{query}");
        assert_eq!(rows.len() as i64, want.min(500), "{query}");
        assert!(rows.iter().all(check), "{query}");
    }

    // Pages do not overlap and add up.
    let (first, total) = page(&app, "limit=7&page=1").await;
    let (second, _) = page(&app, "limit=7&page=2").await;
    assert_eq!(total, app.count("sessions").await);
    assert_eq!((first.len(), second.len()), (7, 7));
    assert!(first
        .iter()
        .all(|a| second.iter().all(|b| a["id"] != b["id"])));

    let audience = |s: &Value| -> i64 {
        ["students", "parents", "teachers", "others"]
            .iter()
            .map(|k| s["audience"][k].as_i64().unwrap())
            .sum()
    };
    let (largest, _) = page(&app, "sort=audience_desc&limit=50").await;
    assert!(largest
        .windows(2)
        .all(|w| audience(&w[0]) >= audience(&w[1])));
    let (oldest, _) = page(&app, "sort=held_on_asc&limit=50").await;
    assert!(oldest
        .windows(2)
        .all(|w| w[0]["held_on"].as_str() <= w[1]["held_on"].as_str()));
}

#[tokio::test]
async fn bad_list_parameters_are_named() {
    let app = spawn_app().await;
    for (query, field) in [
        ("from=yesterday", "from"),
        ("to=2024-02-30", "to"),
        ("sort=random", "sort"),
        ("page=first", "page"),
    ] {
        let res = app.get(&format!("/api/v1/sessions?{query}")).await;
        assert_eq!(res.status(), 400, "{query}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["fields"][0]["field"], field, "{query}");
    }
}

#[tokio::test]
async fn a_session_keeps_its_duration_and_speakers() {
    let app = spawn_app().await;
    let mut entry = talk_at_diaozhuang(&app).await;
    entry["duration_minutes"] = 45.into();
    entry["speakers"] = "张警官、李警官".into();
    let res = app.post_json("/api/v1/sessions", &entry).await;
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    let read = app
        .get_json(&format!("/api/v1/sessions/{}", created["id"]))
        .await;
    assert_eq!(read["duration_minutes"], 45);
    assert_eq!(read["speakers"], "张警官、李警官");

    entry["duration_minutes"] = 0.into();
    let res = app.post_json("/api/v1/sessions", &entry).await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "duration_minutes");
}

#[tokio::test]
async fn a_logged_session_carries_the_version_a_read_gives() {
    let app = spawn_app().await;
    let res = app
        .post_json("/api/v1/sessions", &talk_at_diaozhuang(&app).await)
        .await;
    assert_eq!(res.status(), 201);
    let etag = res.headers()["etag"].clone();
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let read = app.get(&location).await;
    assert_eq!(read.headers()["etag"], etag);
}

#[tokio::test]
async fn a_list_brings_a_limit_or_page_out_of_range_into_range() {
    let app = spawn_app().await;
    let (most, total) = page(&app, "limit=100000").await;
    assert_eq!(most.len() as i64, total.min(500));
    let (first, _) = page(&app, "limit=0&page=0").await;
    let (newest, _) = page(&app, "limit=1&page=1").await;
    assert_eq!((first.len(), &first), (1, &newest));
}
