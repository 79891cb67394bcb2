//! The demo data matches the real figures of DOMAIN.md.

use std::collections::HashMap;

use humiao_server::startup::Application;
use humiao_tests::{spawn_app, spawn_empty_app, TestApp, TestDatabase};

#[tokio::test]
async fn demo_data_has_the_real_city_shape() {
    let app = spawn_app().await;
    let cases = [
        ("districts", 7),
        ("stations", 87),
        ("schools", 855),
        ("topics", 9),
        ("films", 10),
    ];
    for (table, want) in cases {
        assert_eq!(app.count(table).await, want, "{table}");
    }
    let stations = app.get_json("/api/v1/stations").await;
    let names: Vec<&str> = stations
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    for named in ["三井派出所", "龙虎塘派出所", "雕庄派出所"] {
        assert!(names.contains(&named), "{named} is among the stations");
    }
    // Each station has its care workstation (关爱工作站).
    let sanjing = stations
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "三井派出所")
        .unwrap();
    assert_eq!(sanjing["workstation"], "三井关爱工作站");
    assert!(stations
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["workstation"].as_str().is_some_and(|w| !w.is_empty())));
    let boai = app.get_json("/api/v1/schools?q=%E5%8D%9A%E7%88%B1").await;
    assert_eq!(boai[0]["name"], "博爱小学");
    assert!(boai[0]["enrolment"].as_i64().unwrap() > 0);
    let (demo_sessions,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM sessions WHERE is_demo = 1")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert!(
        demo_sessions >= 87 * 3,
        "every station has sessions in 2024"
    );
    assert_eq!(
        demo_sessions,
        app.count("sessions").await,
        "all are marked demo"
    );
}

#[tokio::test]
async fn no_demo_leaves_the_database_empty_and_the_dashboard_says_so() {
    let app = spawn_empty_app().await;
    assert_eq!(app.count("districts").await, 0);
    assert_eq!(app.get_json("/api/health").await["demo"], false);
    let reach = app
        .get_json("/api/v1/aggregates/sessions-by-district")
        .await;
    assert_eq!(reach, serde_json::json!([]));
    let svg = app
        .get("/api/v1/charts/sessions-by-district.svg")
        .await
        .text()
        .await
        .unwrap();
    assert!(svg.contains("所选范围内暂无数据"), "{svg}");
}

#[tokio::test]
async fn a_restart_does_not_load_the_demo_twice() {
    let database = TestDatabase::create().await;
    for start in 1..=2 {
        let app = Application::build(database.settings(false)).await.unwrap();
        let (schools,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM schools")
            .fetch_one(&app.db().pool)
            .await
            .unwrap();
        assert_eq!(schools, 855, "after start {start}");
    }
}

/// Sums each indicator of `GET /aggregates/outcomes` over the months of the answer; minors
/// mentored, a stock, is the last month's.
async fn outcome_totals(app: &TestApp, query: &str) -> HashMap<String, i64> {
    let series = app
        .get_json(&format!("/api/v1/aggregates/outcomes?{query}"))
        .await;
    let mut totals = HashMap::new();
    for point in series.as_array().unwrap() {
        let indicator = point["indicator"].as_str().unwrap().to_string();
        let value = point["value"].as_i64().unwrap();
        if indicator == "minors_mentored" {
            totals.insert(indicator, value);
        } else {
            *totals.entry(indicator).or_default() += value;
        }
    }
    totals
}

#[tokio::test]
async fn the_demo_holds_the_reports_2024_figures() {
    let app = spawn_app().await;

    let training = app
        .get_json("/api/v1/aggregates/training-coverage?year=2024")
        .await;
    for (field, want) in [("stations", 87), ("trained", 87), ("speakers", 94)] {
        assert_eq!(training[field], want, "training coverage: {field}");
    }

    let films = app
        .get_json("/api/v1/aggregates/screening-coverage?year=2024")
        .await;
    let films = films.as_array().unwrap();
    assert_eq!(films.len(), 10, "every film was assigned");
    for film in films {
        let expected = film["expected"].as_i64().unwrap();
        let confirmed = film["confirmed"].as_i64().unwrap();
        assert_eq!(expected, 855, "{}", film["title"]);
        assert!(
            confirmed > expected * 3 / 4 && confirmed <= expected,
            "{}: {confirmed} of {expected}",
            film["title"]
        );
    }
    // 1.3 million+ students and parents: each school's largest audience for any film.
    let reach = app
        .get_json("/api/v1/aggregates/screening-reach?year=2024")
        .await;
    assert_eq!(reach["schools_expected"], 855);
    assert_eq!(
        reach["schools_confirmed"], 855,
        "every school confirmed at least one film"
    );
    let reached = reach["students"].as_i64().unwrap() + reach["parents"].as_i64().unwrap();
    assert!(
        (1_300_000..1_400_000).contains(&reached),
        "{reached} students and parents"
    );

    let city = outcome_totals(&app, "year=2024").await;
    let sanjing = app.id_of("stations", "name", "三井派出所").await;
    let sanjing_totals = outcome_totals(&app, &format!("year=2024&station_id={sanjing}")).await;
    let longhutang = app.id_of("stations", "name", "龙虎塘派出所").await;
    let longhutang_totals =
        outcome_totals(&app, &format!("year=2024&station_id={longhutang}")).await;
    let cases = [
        ("the city", &city, "minors_mentored", 1038),
        ("the city", &city, "reoffences", 33),
        ("the city", &city, "volunteer_teams", 24),
        ("三井", &sanjing_totals, "night_wandering_cared", 162),
        ("龙虎塘", &longhutang_totals, "returned_to_school", 10),
    ];
    for (whose, totals, indicator, want) in cases {
        assert_eq!(totals.get(indicator), Some(&want), "{whose}: {indicator}");
    }
    assert!(city["runaway_calls"] >= 1000, "1000+ runaway calls");
    assert_eq!(
        city["follow_ups"], city["runaway_calls"],
        "every call followed up"
    );

    // Thefts by minors at 三井 fell by 30% once the night care began in September.
    let series = app
        .get_json(&format!(
            "/api/v1/aggregates/outcomes?year=2024&station_id={sanjing}"
        ))
        .await;
    let (mut before, mut after) = (0, 0);
    for point in series.as_array().unwrap() {
        if point["indicator"] == "juvenile_thefts" {
            let value = point["value"].as_i64().unwrap();
            if point["month"].as_str().unwrap() < "2024-09" {
                before += value;
            } else {
                after += value;
            }
        }
    }
    // Monthly averages over eight months before and four after: after / 4 = 0.7 × before / 8.
    assert_eq!(
        after * 8 * 10,
        before * 4 * 7,
        "{before} before, {after} after"
    );
}
