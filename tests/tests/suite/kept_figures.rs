//! The per-district coverage and film figures a server keeps between requests
//! (`db::district_figures`) are never stale: after every kind of write that can change them,
//! the page of the city (read from the kept figures) states what the same figures computed
//! afresh state — the audience and screening-coverage aggregates, and each district's own
//! page, which never reads kept figures.

use humiao_tests::{spawn_app, TestApp};
use serde_json::{json, Value};

const COVERAGE: [&str; 5] = [
    "schools",
    "schools_covered",
    "unique_students",
    "students",
    "schools_without_roll",
];

fn id(v: &Value) -> i64 {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or_else(|| panic!("an id: {v}"))
}

async fn post(app: &TestApp, resource: &str, body: Value) -> Value {
    let res = app.post_json(&format!("/api/v1/{resource}"), &body).await;
    let status = res.status();
    let answer: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "create {resource}: {answer}");
    answer
}

async fn send(app: &TestApp, method: reqwest::Method, path: &str, body: Option<&Value>) {
    let current = app.get(path).await;
    let etag = current.headers()["etag"].to_str().unwrap().to_string();
    let mut req = app
        .client
        .request(method.clone(), format!("{}{path}", app.url))
        .header("If-Match", etag);
    if let Some(body) = body {
        req = req.json(body);
    }
    let res = req.send().await.unwrap();
    assert!(
        res.status().is_success(),
        "{method} {path}: {} {}",
        res.status(),
        res.text().await.unwrap()
    );
}

/// `record` with `changes`, as sent back in a PUT (without what the server works out).
fn edited(record: &Value, changes: Value) -> Value {
    let mut body = record.clone();
    let fields = body.as_object_mut().unwrap();
    for key in ["id", "version"] {
        fields.remove(key);
    }
    for (key, value) in changes.as_object().unwrap() {
        fields.insert(key.clone(), value.clone());
    }
    body
}

/// The city's page, after checking it against the figures computed afresh; `step` names
/// the write before it.
async fn agreeing_page(app: &TestApp, campaign: i64, step: &str) -> Value {
    let q = format!("campaign_id={campaign}");
    let page = app.get_json(&format!("/api/v1/dashboard?{q}")).await;
    let films = app
        .get_json(&format!("/api/v1/aggregates/screening-coverage?{q}"))
        .await;
    assert_eq!(page["films"], films, "after {step}: the films");
    let audience = app
        .get_json(&format!("/api/v1/aggregates/audience?{q}"))
        .await;
    assert_eq!(
        page["coverage"]["unique_students"], audience["unique_students"],
        "after {step}: unique students"
    );
    assert_eq!(
        page["coverage"]["schools_covered"], audience["schools_reached"],
        "after {step}: schools covered"
    );
    assert_eq!(page["level"], "district", "the demo is one city");
    for place in page["coverage_by_place"].as_array().unwrap() {
        let district = app
            .get_json(&format!(
                "/api/v1/dashboard?{q}&district_id={}",
                id(&place["key"])
            ))
            .await;
        for figure in COVERAGE {
            assert_eq!(
                place[figure], district["coverage"][figure],
                "after {step}: {figure} of {}",
                place["label"]
            );
        }
    }
    page
}

fn figure(page: &Value, name: &str) -> i64 {
    page["coverage"][name].as_i64().unwrap()
}

fn confirmed(page: &Value) -> i64 {
    page["films"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["confirmed"].as_i64().unwrap())
        .sum()
}

#[tokio::test]
async fn every_write_that_changes_coverage_or_films_reaches_the_kept_figures() {
    let app = spawn_app().await;
    // The writes below fall in months the demo's monthly returns lock.
    crate::returns::without_returns(&app).await;
    let (campaign, day): (i64, String) = sqlx::query_as(
        "SELECT c.id, c.starts_on FROM campaigns c
         WHERE EXISTS (SELECT 1 FROM screening_assignments a WHERE a.campaign_id = c.id)
         ORDER BY c.year DESC LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let page = agreeing_page(&app, campaign, "nothing").await;
    let station = app.get_json("/api/v1/stations").await[0].clone();
    let (station_id, district) = (id(&station["id"]), id(&station["district_id"]));
    let (topic,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM topics")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();

    // A new school: one more in the denominator.
    let school = post(
        &app,
        "schools",
        json!({"code": "KEPT-1", "name": "新开学校", "kind": "primary",
               "district_id": district, "station_id": station_id,
               "enrolments": []}),
    )
    .await;
    let school_id = id(&school["id"]);
    let after = agreeing_page(&app, campaign, "a new school").await;
    assert_eq!(figure(&after, "schools"), figure(&page, "schools") + 1);

    // A talk there: covered, uncapped (no roll).
    let session = post(
        &app,
        "sessions",
        json!({"campaign_id": campaign, "station_id": station_id, "school_id": school_id,
               "held_on": day, "format": "class_talk", "topic_ids": [topic],
               "audience": {"students": 50},
               "confirm_distinct": true, "confirm_large_audience": true}),
    )
    .await;
    let page = after;
    let after = agreeing_page(&app, campaign, "a talk at the new school").await;
    assert_eq!(
        figure(&after, "schools_covered"),
        figure(&page, "schools_covered") + 1
    );
    assert_eq!(
        figure(&after, "schools_without_roll"),
        figure(&page, "schools_without_roll") + 1
    );

    // A roll of 10: the school's unique students are capped at it.
    let path = format!("/api/v1/schools/{school_id}");
    let record = app.get_json(&path).await;
    let year: i64 = day[..4].parse().unwrap();
    let roll = edited(
        &record,
        json!({"enrolments": [{"school_year": year - 1, "students": 10},
                              {"school_year": year, "students": 10}]}),
    );
    send(&app, reqwest::Method::PUT, &path, Some(&roll)).await;
    let page = after;
    let after = agreeing_page(&app, campaign, "a roll").await;
    assert_eq!(
        figure(&after, "unique_students"),
        figure(&page, "unique_students") - 40
    );

    // The school asked to screen the films of a new assignment, then confirming one.
    let films: Vec<i64> = app
        .get_json("/api/v1/films")
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|f| id(&f["id"]))
        .take(1)
        .collect();
    let assignment = post(
        &app,
        "assignments",
        json!({"campaign_id": campaign, "title": "补看任务", "film_ids": films,
               "school_ids": [school_id], "opens_on": day, "closes_on": day}),
    )
    .await;
    let page = after;
    let after = agreeing_page(&app, campaign, "an assignment").await;
    assert_ne!(page["films"], after["films"], "the school is expected");
    let confirmation = post(
        &app,
        "confirmations",
        json!({"assignment_id": id(&assignment["id"]), "school_id": school_id,
               "film_id": films[0], "shown_on": day, "students": 5, "parents": 3,
               "classes": 1, "method": "classroom"}),
    )
    .await;
    let page = after;
    let after = agreeing_page(&app, campaign, "a confirmation").await;
    assert_eq!(confirmed(&after), confirmed(&page) + 1);
    send(
        &app,
        reqwest::Method::DELETE,
        &format!("/api/v1/confirmations/{}", id(&confirmation["id"])),
        None,
    )
    .await;
    let after = agreeing_page(&app, campaign, "a confirmation taken back").await;
    assert_eq!(confirmed(&after), confirmed(&page));

    // The talk taken back: the school is no longer covered.
    send(
        &app,
        reqwest::Method::DELETE,
        &format!("/api/v1/sessions/{}", id(&session["id"])),
        None,
    )
    .await;
    let page = after;
    let after = agreeing_page(&app, campaign, "a talk taken back").await;
    assert_eq!(
        figure(&after, "schools_covered"),
        figure(&page, "schools_covered") - 1
    );

    // The station moves to another district, and its schools with it.
    let other = app
        .get_json("/api/v1/districts")
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|d| id(&d["id"]))
        .find(|d| *d != district)
        .unwrap();
    let path = format!("/api/v1/stations/{station_id}");
    let record = app.get_json(&path).await;
    let moved = edited(&record, json!({"district_id": other}));
    send(&app, reqwest::Method::PUT, &path, Some(&moved)).await;
    let page = after;
    let after = agreeing_page(&app, campaign, "a station's move").await;
    let schools_of = |page: &Value, d: i64| {
        page["coverage_by_place"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| id(&p["key"]) == d)
            .map(|p| p["schools"].as_i64().unwrap())
            .unwrap()
    };
    assert!(schools_of(&after, district) < schools_of(&page, district));

    // The campaign's window, one day longer: every district is computed again.
    let path = format!("/api/v1/campaigns/{campaign}");
    let record = app.get_json(&path).await;
    let ends: chrono::NaiveDate = record["ends_on"].as_str().unwrap().parse().unwrap();
    let longer = edited(
        &record,
        json!({"ends_on": (ends + chrono::Duration::days(1)).to_string()}),
    );
    send(&app, reqwest::Method::PUT, &path, Some(&longer)).await;
    agreeing_page(&app, campaign, "a longer window").await;
}
