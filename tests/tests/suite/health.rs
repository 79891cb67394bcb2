//! `GET /api/health`, start-up, and what every unknown path answers.

use std::env::temp_dir;

use humiao_server::startup::Application;
use humiao_tests::{settings_for, spawn_app};

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
async fn each_page_of_the_app_loads_the_module_that_draws_it() {
    let app = spawn_app().await;
    // The page, and the module its `boot.js` is told to load (by its content-hashed name).
    let cases = [
        ("/", "humiao_frontend"),
        ("/sessions/3", "humiao_frontend"),
        ("/dashboard", "humiao_dashboard"),
        ("/admin", "humiao_admin"),
        ("/admin/stations", "humiao_admin"),
    ];
    for (path, module) in cases {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        let csp = res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(csp.contains("script-src 'self'"), "{csp}");
        let html = res.text().await.unwrap();
        let boot = format!("?app={module}.");
        assert!(html.contains(&boot), "{path} should load {module}: {html}");
        // The module itself, by the name the page gives it.
        let start = html
            .find(&format!("/{module}_bg."))
            .unwrap_or_else(|| panic!("{path} names its module's WASM: {html}"));
        let end = start + html[start..].find(".wasm").unwrap() + ".wasm".len();
        let wasm = app.get(&html[start..end]).await;
        assert_eq!(wasm.status(), 200, "{module}");
        assert_eq!(wasm.headers()["content-type"], "application/wasm");
    }
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
