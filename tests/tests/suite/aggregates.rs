//! The aggregates behind the dashboards, on a small city built through the API, so that
//! every expected figure can be worked out by hand.

use chrono::{Datelike, Duration};
use humiao_server::clock;
use humiao_tests::{spawn_empty_app, TestApp};
use serde_json::{json, Value};

/// Ids of the small city: two districts, three stations, three schools with rolls.
struct City {
    campaign: i64,
    topics: [i64; 2],
    districts: [i64; 2],
    stations: [i64; 3],
    schools: [i64; 3],
    rolls: [i64; 3],
    /// A past day of this year's campaign.
    day: String,
}

async fn post(app: &TestApp, resource: &str, body: Value) -> i64 {
    let res = app.post_json(&format!("/api/v1/{resource}"), &body).await;
    let status = res.status();
    let answer: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "{resource}: {answer}");
    answer["id"].as_i64().unwrap()
}

async fn small_city(app: &TestApp) -> City {
    let today = clock::today();
    let year = today.year();
    let campaign = post(
        app,
        "campaigns",
        json!({"name": format!("{year}年行动"), "year": year,
               "starts_on": format!("{year}-01-01"), "ends_on": format!("{year}-12-31")}),
    )
    .await;
    let mut topics = [0; 2];
    for (i, code) in ["drowning", "fraud"].iter().enumerate() {
        topics[i] = post(
            app,
            "topics",
            json!({"code": code, "name_zh": format!("主题{i}"), "name_en": code}),
        )
        .await;
    }
    let mut districts = [0; 2];
    for (i, name) in ["甲分局", "乙分局"].iter().enumerate() {
        districts[i] = post(
            app,
            "districts",
            json!({"code": format!("D{i}"), "name": name}),
        )
        .await;
    }
    let mut stations = [0; 3];
    for (i, district) in [districts[0], districts[0], districts[1]]
        .iter()
        .enumerate()
    {
        stations[i] = post(
            app,
            "stations",
            json!({"district_id": district, "code": format!("S{i}"), "name": format!("派出所{i}")}),
        )
        .await;
    }
    let rolls = [400, 250, 900];
    let mut schools = [0; 3];
    for i in 0..3 {
        let district = if i < 2 { districts[0] } else { districts[1] };
        schools[i] = post(
            app,
            "schools",
            json!({"code": format!("SC{i}"), "name": format!("学校{i}"), "kind": "primary",
                   "district_id": district, "station_id": stations[i],
                   "enrolments": [{"school_year": year - 1, "students": rolls[i]},
                                  {"school_year": year, "students": rolls[i]}]}),
        )
        .await;
    }
    let start = chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
    City {
        campaign,
        topics,
        districts,
        stations,
        schools,
        rolls,
        day: (today - Duration::days(1)).max(start).to_string(),
    }
}

async fn session(
    app: &TestApp,
    city: &City,
    station: usize,
    students: i64,
    format: &str,
    topic: usize,
) {
    post(
        app,
        "sessions",
        json!({"campaign_id": city.campaign, "station_id": city.stations[station],
               "school_id": city.schools[station], "held_on": city.day, "format": format,
               "topic_ids": [city.topics[topic]], "audience": {"students": students, "parents": 5},
               "confirm_distinct": true, "confirm_large_audience": true}),
    )
    .await;
}

fn sum(rows: &Value, field: &str) -> i64 {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r[field].as_i64().unwrap())
        .sum()
}

#[tokio::test]
async fn reach_by_every_grouping_adds_up_to_the_summary_and_unique_students_stay_within_rolls() {
    let app = spawn_empty_app().await;
    let city = small_city(&app).await;
    // School 0 (roll 400) hears three talks of 300: 900 人次, at most 400 students.
    for _ in 0..3 {
        session(&app, &city, 0, 300, "class_talk", 0).await;
    }
    session(&app, &city, 1, 100, "first_lesson", 1).await;
    session(&app, &city, 2, 50, "class_talk", 1).await;

    let summary = app.get_json("/api/v1/aggregates/audience").await;
    assert_eq!(summary["sessions"], 5);
    assert_eq!(summary["students"], 1050);
    assert_eq!(summary["parents"], 25);
    assert_eq!(summary["unique_students"], 400 + 100 + 50);
    assert_eq!(summary["schools_reached"], 3);

    for group in ["month", "district", "station", "format", "topic"] {
        let rows = app
            .get_json(&format!("/api/v1/aggregates/reach?group_by={group}"))
            .await;
        assert_eq!(sum(&rows, "sessions"), 5, "{group}");
        assert_eq!(sum(&rows, "students"), 1050, "{group}");
    }
    let by_district = app
        .get_json("/api/v1/aggregates/reach?group_by=district")
        .await;
    assert_eq!(by_district[0]["key"], city.districts[0].to_string());
    assert_eq!(by_district[0]["label"], "甲分局");
    assert_eq!(by_district[0]["students"], 1000);

    // The same filters narrow every aggregate.
    let district = city.districts[1];
    let one = app
        .get_json(&format!(
            "/api/v1/aggregates/audience?district_id={district}"
        ))
        .await;
    assert_eq!(
        (one["sessions"].as_i64(), one["students"].as_i64()),
        (Some(1), Some(50))
    );
    let topic = city.topics[1];
    let rows = app
        .get_json(&format!(
            "/api/v1/aggregates/reach?group_by=station&topic_id={topic}"
        ))
        .await;
    assert_eq!(sum(&rows, "sessions"), 2);
    let rows = app
        .get_json("/api/v1/aggregates/reach?group_by=format&format=first_lesson")
        .await;
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["label"], "开学第一课");
    let school = city.schools[0];
    let one = app
        .get_json(&format!("/api/v1/aggregates/audience?school_id={school}"))
        .await;
    assert_eq!(one["unique_students"], city.rolls[0]);

    assert_eq!(
        app.get("/api/v1/aggregates/audience?campaign_id=999")
            .await
            .status(),
        404
    );
    assert_eq!(
        app.get("/api/v1/aggregates/audience?year=1999")
            .await
            .status(),
        404
    );
    // A range that runs backwards is the filter's own rule (`AggregateFilter::validate`):
    // 422 with the problem at `from`, the field the dashboard shows it beside, on every
    // endpoint that takes the filter.
    for path in [
        "/api/v1/aggregates/reach?from=2024-05-01&to=2024-04-01",
        "/api/v1/dashboard?from=2024-05-01&to=2024-04-01",
        "/api/v1/charts/topic-mix.svg?from=2024-05-01&to=2024-04-01",
    ] {
        let backwards = app.get(path).await;
        assert_eq!(backwards.status(), 422, "{path}");
        let body: Value = backwards.json().await.unwrap();
        assert_eq!(
            body["fields"],
            json!([{"field": "from", "code": "starts_after_end",
                    "message": "开始日期不能晚于结束日期"}]),
            "{path}"
        );
    }
    // One day is a range.
    let one_day = app
        .get("/api/v1/aggregates/reach?from=2024-05-01&to=2024-05-01")
        .await;
    assert_eq!(one_day.status(), 200);
}

#[tokio::test]
async fn screening_coverage_counts_each_confirming_school_once_and_never_above_expected() {
    let app = spawn_empty_app().await;
    let city = small_city(&app).await;
    let films = [
        post(
            &app,
            "films",
            json!({"title": "影片甲", "minutes": 20, "topic_ids": [city.topics[0]]}),
        )
        .await,
        post(
            &app,
            "films",
            json!({"title": "影片乙", "minutes": 15, "topic_ids": [city.topics[1]]}),
        )
        .await,
    ];
    let assignment = post(
        &app,
        "assignments",
        json!({"campaign_id": city.campaign, "title": "观看任务", "film_ids": films,
               "school_ids": city.schools, "opens_on": city.day, "closes_on": city.day}),
    )
    .await;
    let confirm = |school: usize, film: usize, students: i64| {
        let body = json!({"assignment_id": assignment, "school_id": city.schools[school],
                          "film_id": films[film], "shown_on": city.day, "students": students,
                          "parents": 10, "classes": 2, "method": "classroom"});
        let app = &app;
        async move { app.post_json("/api/v1/confirmations", &body).await }
    };
    assert_eq!(confirm(0, 0, 100).await.status(), 201);
    assert_eq!(
        confirm(0, 0, 200).await.status(),
        200,
        "the second confirmation updates"
    );
    assert_eq!(confirm(2, 0, 300).await.status(), 201);
    assert_eq!(confirm(0, 1, 50).await.status(), 201);

    let coverage = app.get_json("/api/v1/aggregates/screening-coverage").await;
    let first = &coverage[0];
    assert_eq!(first["film_id"], films[0]);
    assert_eq!(
        (first["expected"].as_i64(), first["confirmed"].as_i64()),
        (Some(3), Some(2))
    );
    assert_eq!(
        first["students"], 500,
        "the update replaced the first count"
    );
    let districts = &first["by_district"];
    assert_eq!(districts[0]["district_id"], city.districts[0]);
    assert_eq!(
        (
            districts[0]["expected"].as_i64(),
            districts[0]["confirmed"].as_i64()
        ),
        (Some(2), Some(1))
    );
    assert_eq!(
        (
            districts[1]["expected"].as_i64(),
            districts[1]["confirmed"].as_i64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(
        (
            coverage[1]["expected"].as_i64(),
            coverage[1]["confirmed"].as_i64()
        ),
        (Some(3), Some(1))
    );
    for film in coverage.as_array().unwrap() {
        assert!(film["confirmed"].as_i64() <= film["expected"].as_i64());
    }

    // School 0 watched two films (200 and 50 pupils): the same pupils, so 200 people.
    let reach = app.get_json("/api/v1/aggregates/screening-reach").await;
    assert_eq!(reach["schools_expected"], 3);
    assert_eq!(reach["schools_confirmed"], 2);
    assert_eq!(reach["students"], 200 + 300);
    assert_eq!(reach["parents"], 10 + 10);
}

#[tokio::test]
async fn training_coverage_counts_stations_whose_speaker_completed_a_course() {
    let app = spawn_empty_app().await;
    let city = small_city(&app).await;
    let training = post(
        &app,
        "trainings",
        json!({"title": "宣讲员培训班", "place": "培训学校", "starts_on": city.day, "ends_on": city.day}),
    )
    .await;
    for (station, name, completed) in [(0, "甲", true), (0, "乙", true), (2, "丙", false)] {
        let days: Vec<&str> = if completed { vec![&city.day] } else { vec![] };
        post(
            &app,
            "trainees",
            json!({"training_id": training, "name": name, "station_id": city.stations[station],
                   "days_attended": days, "completed": completed}),
        )
        .await;
    }
    let coverage = app.get_json("/api/v1/aggregates/training-coverage").await;
    assert_eq!(coverage["stations"], 3);
    assert_eq!(coverage["trained"], 1);
    assert_eq!(coverage["speakers"], 2);
    assert_eq!(coverage["by_district"][0]["trained"], 1);
    assert_eq!(coverage["by_district"][1]["trained"], 0);
}

#[tokio::test]
async fn outcome_series_sums_the_stations_of_the_slice_per_month() {
    let app = spawn_empty_app().await;
    let city = small_city(&app).await;
    let month = &city.day[..7];
    for (station, indicator, value) in [
        (0, "minors_mentored", 10),
        (1, "minors_mentored", 5),
        (2, "minors_mentored", 7),
        (0, "reoffences", 1),
    ] {
        post(
            &app,
            "outcomes",
            json!({"station_id": city.stations[station], "month": month, "indicator": indicator, "value": value}),
        )
        .await;
    }
    let series = app.get_json("/api/v1/aggregates/outcomes").await;
    let value = |indicator: &str| {
        series
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["indicator"] == indicator && p["month"] == month)
            .map(|p| p["value"].as_i64().unwrap())
    };
    assert_eq!(value("minors_mentored"), Some(22));
    assert_eq!(value("reoffences"), Some(1));
    let district = city.districts[0];
    let series = app
        .get_json(&format!(
            "/api/v1/aggregates/outcomes?district_id={district}"
        ))
        .await;
    assert_eq!(series[0]["value"], 15);
}

#[tokio::test]
async fn the_openapi_document_describes_every_operation_and_the_docs_page_loads() {
    let app = spawn_empty_app().await;
    let doc = app.get_json("/api/openapi.json").await;
    let paths = doc["paths"].as_object().unwrap();
    let resources = [
        "districts",
        "stations",
        "schools",
        "topics",
        "campaigns",
        "films",
        "assignments",
        "confirmations",
        "trainings",
        "trainees",
        "outcomes",
        "sessions",
    ];
    for resource in resources {
        let collection = &paths[&format!("/api/v1/{resource}")];
        let item = &paths[&format!("/api/v1/{resource}/{{id}}")];
        for (path, method) in [
            (collection, "get"),
            (collection, "post"),
            (item, "get"),
            (item, "put"),
            (item, "delete"),
        ] {
            assert!(
                path[method].is_object(),
                "{method} {resource} is documented"
            );
        }
        let create = &collection["post"];
        assert!(create["responses"]["201"].is_object(), "{resource}");
        assert!(create["responses"]["422"].is_object(), "{resource}");
        let headers: Vec<&str> = create["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert!(headers.contains(&"Idempotency-Key"), "{resource}");
    }
    // Every reference resolves, and every operation can be told apart.
    let text = doc.to_string();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for reference in text.split("\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap();
        assert!(schemas.contains_key(name), "{name} is defined");
    }
    let mut ids: Vec<&str> = paths
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|op| op["operationId"].as_str())
        .collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "operation ids are unique");

    // Each documented path is answered (not the 404 of an unknown path) by the server.
    for path in paths.keys() {
        let concrete = path
            .replace("{id}", "1")
            .replace("{kind}", "sessions")
            .replace("{year}", "2024")
            .replace("{file}", "sessions-by-district.svg");
        let res = app.get(&concrete).await;
        let body = res.text().await.unwrap();
        assert!(
            !body.contains("\"code\":\"not_found\"")
                || concrete.ends_with("/1")
                || concrete.contains("/1/"),
            "{path} is routed"
        );
    }

    let page = app.get("/api/docs/").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("swagger"));
}
