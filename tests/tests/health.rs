//! `GET /api/health`, start-up, and what every unknown path answers.

use std::env::temp_dir;

use humiao_server::startup::Application;
use humiao_tests::{settings_for, site_dir, spawn_app};

#[tokio::test]
async fn health_reports_ok_the_engine_and_the_demo_flag() {
    let app = spawn_app().await;
    let body = app.get_json("/api/health").await;
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], app.database.engine.name());
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(body["demo"], true);
}

#[tokio::test]
async fn an_unknown_api_path_is_a_json_404() {
    let app = spawn_app().await;
    for path in [
        "/api/nope",
        "/api/v1/nope",
        "/api/v1/sessions/999999",
        "/api/v1/sessions/abc",
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 404, "{path}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["code"], "not_found", "{path}");
        assert!(!body["message"].as_str().unwrap().is_empty());
    }
}

#[tokio::test]
async fn the_app_is_served_at_its_own_routes_too() {
    let app = spawn_app().await;
    for path in ["/", "/dashboard"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        let csp = res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(csp.contains("script-src 'self'"), "{csp}");
        let html = res.text().await.unwrap();
        assert!(html.contains("/boot.js"), "{path} serves index.html");
    }
    let wasm = app.get("/humiao_frontend_bg.wasm").await;
    assert_eq!(wasm.status(), 200);
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert!(site_dir().join("index.html").is_file());
}

#[tokio::test]
async fn an_unreachable_database_stops_start_up_with_a_clear_error() {
    // Nothing listens on port 1.
    let settings = settings_for("postgres://postgres@127.0.0.1:1/humiao", temp_dir(), true);
    let err = Application::build(settings)
        .await
        .err()
        .expect("start-up fails");
    let text = format!("{err:#}");
    assert!(text.contains("cannot open the postgres database"), "{text}");
}

#[tokio::test]
async fn an_unknown_database_scheme_is_refused() {
    let settings = settings_for("mysql://localhost/humiao", temp_dir(), true);
    let err = Application::build(settings)
        .await
        .err()
        .expect("start-up fails");
    assert!(format!("{err:#}").contains("unsupported database URL"));
}
