//! The demo data matches the real figures of DOMAIN.md.

use humiao_server::startup::Application;
use humiao_tests::{spawn_app, spawn_empty_app, TestDatabase};

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
    assert!(svg.contains("暂无宣讲记录"), "{svg}");
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
