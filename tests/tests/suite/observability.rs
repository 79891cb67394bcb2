//! What an operator watches: `/metrics` (behind a token, or on an address of its own),
//! request ids in answers, error bodies and log lines, and JSON logs.

use std::collections::BTreeMap;

use humiao_server::startup::Application;
use humiao_tests::fixtures::{demo_refs, session_entry};
use humiao_tests::process::ServerProcess;
use humiao_tests::{signed_in, spawn_app, TestDatabase, DEMO_PASSWORD};
use reqwest::header::{ACCEPT_LANGUAGE, AUTHORIZATION, ORIGIN};
use serde_json::{json, Value};

const TOKEN: &str = "scrape-me-7f3a";

/// One series of a Prometheus text page: its name and labels.
#[derive(Debug)]
struct Series {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

/// Every sample line of a page in Prometheus's text format.
fn parse(page: &str) -> Vec<Series> {
    page.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let (series, value) = line.rsplit_once(' ').expect("`series value`");
            let (name, labels) = match series.split_once('{') {
                Some((name, rest)) => (name, rest.trim_end_matches('}')),
                None => (series, ""),
            };
            let labels = labels
                .split("\",")
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (k, v) = pair.split_once('=').expect("label=value");
                    (k.to_string(), v.trim_matches('"').to_string())
                })
                .collect();
            Series {
                name: name.to_string(),
                labels,
                value: value.parse().expect("a number"),
            }
        })
        .collect()
}

/// The value of the series `name` with (at least) these labels; 0 when there is none yet.
fn value(page: &[Series], name: &str, labels: &[(&str, &str)]) -> f64 {
    page.iter()
        .filter(|s| s.name == name)
        .filter(|s| {
            labels
                .iter()
                .all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
        })
        .map(|s| s.value)
        .sum()
}

async fn scrape(url: &str, token: Option<&str>) -> reqwest::Response {
    let mut req = reqwest::Client::new().get(format!("{url}/metrics"));
    if let Some(token) = token {
        req = req.header(AUTHORIZATION, format!("Bearer {token}"));
    }
    req.send().await.expect("an answer")
}

async fn page(url: &str) -> Vec<Series> {
    let res = scrape(url, Some(TOKEN)).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    parse(&res.text().await.unwrap())
}

/// The server as a process of its own, so that its counters count only this test's requests.
#[tokio::test]
async fn metrics_behind_a_token_count_requests_by_route_template_and_status() {
    let database = TestDatabase::create().await;
    let server = ServerProcess::start_with(
        &database.url,
        &database.data_dir(),
        "127.0.0.1:0",
        &["--metrics-token", TOKEN],
    )
    .expect("the server starts");
    let url = server.url.clone();

    assert_eq!(scrape(&url, None).await.status(), 401);
    assert_eq!(scrape(&url, Some("not-the-token")).await.status(), 401);

    let client = signed_in(&url, "admin").await;
    let refs = demo_refs(&client, &url).await;
    let listed: Value = client
        .get(format!("{url}/api/v1/sessions?limit=1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = listed[0]["id"].as_i64().expect("a demo session");
    let before = page(&url).await;
    let route = [("route", "/api/v1/sessions/{id}"), ("method", "GET")];
    let ok = [route[0], route[1], ("status", "200")];
    let missing = [route[0], route[1], ("status", "404")];

    for _ in 0..3 {
        let res = client
            .get(format!("{url}/api/v1/sessions/{id}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
    let res = client
        .get(format!("{url}/api/v1/sessions/999999"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let res = reqwest::Client::new()
        .post(format!("{url}/api/v1/auth/login"))
        .json(&json!({"username": "admin", "password": "not-the-password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let res = client
        .post(format!("{url}/api/v1/sessions"))
        .json(&session_entry(&refs, "counted by the writer"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);

    let after = page(&url).await;
    let requests = "humiao_http_requests_total";
    assert_eq!(
        value(&after, requests, &ok) - value(&before, requests, &ok),
        3.0
    );
    assert_eq!(
        value(&after, requests, &missing) - value(&before, requests, &missing),
        1.0
    );
    // By template, never by path: no series names a record's id.
    assert!(
        !after
            .iter()
            .any(|s| s.labels.values().any(|v| v.contains(&id.to_string()))),
        "a label holds an id"
    );
    let login = [("route", "/api/v1/auth/login"), ("status", "401")];
    assert_eq!(value(&after, requests, &login), 1.0);
    assert_eq!(
        value(&after, "humiao_failed_logins_total", &[])
            - value(&before, "humiao_failed_logins_total", &[]),
        1.0
    );
    // Latency: every one of the four requests fell in the histogram's last bucket.
    let duration = "humiao_http_request_duration_seconds";
    let inf = [route[0], route[1], ("le", "+Inf")];
    assert_eq!(
        value(&after, &format!("{duration}_bucket"), &inf)
            - value(&before, &format!("{duration}_bucket"), &inf),
        4.0
    );
    assert!(value(&after, &format!("{duration}_sum"), &route) > 0.0);
    // The writer committed the one new session (alone: nothing else was queued).
    let batches = "humiao_session_writer_batch_size";
    assert_eq!(
        value(&after, &format!("{batches}_count"), &[])
            - value(&before, &format!("{batches}_count"), &[]),
        1.0
    );
    assert_eq!(
        value(&after, &format!("{batches}_sum"), &[])
            - value(&before, &format!("{batches}_sum"), &[]),
        1.0
    );
    // Levels read at the scrape: nothing queued, no import running, a pool in use.
    for (name, expected) in [
        ("humiao_session_writer_queue_depth", Some(0.0)),
        ("humiao_imports_in_flight", Some(0.0)),
        ("humiao_db_pool_connections", None),
        ("humiao_db_pool_idle_connections", None),
        ("humiao_db_pool_max_connections", None),
    ] {
        let found = after.iter().find(|s| s.name == name);
        let found = found.unwrap_or_else(|| panic!("{name} is on the page"));
        if let Some(expected) = expected {
            assert_eq!(found.value, expected, "{name}");
        }
    }
    let size = value(&after, "humiao_db_pool_connections", &[]);
    let idle = value(&after, "humiao_db_pool_idle_connections", &[]);
    let max = value(&after, "humiao_db_pool_max_connections", &[]);
    assert!(
        size >= 1.0 && idle <= size && size <= max,
        "pool: {size} open, {idle} idle, at most {max}"
    );
}

#[tokio::test]
async fn without_a_metrics_flag_there_is_no_metrics_page() {
    let app = spawn_app().await;
    for token in [None, Some(TOKEN)] {
        assert_eq!(scrape(&app.url, token).await.status(), 404, "{token:?}");
    }
}

#[tokio::test]
async fn metrics_bind_serves_metrics_on_its_own_address_only() {
    let database = TestDatabase::create().await;
    let mut settings = database.settings(false);
    settings.ops.metrics_bind = Some("127.0.0.1:0".into());
    let app = Application::build(settings)
        .await
        .expect("the server starts");
    let url = app.url();
    let metrics = app.metrics_url().expect("a metrics address");
    tokio::spawn(app.run_until_stopped());

    let res = reqwest::get(format!("{url}/api/health")).await.unwrap();
    assert_eq!(res.status(), 200);
    let res = reqwest::get(&metrics).await.unwrap();
    assert_eq!(res.status(), 200);
    let page = parse(&res.text().await.unwrap());
    assert!(
        value(
            &page,
            "humiao_http_requests_total",
            &[("route", "/api/health")]
        ) >= 1.0,
        "the health check is counted"
    );
    // Not on the main address, token or not.
    for token in [None, Some(TOKEN)] {
        assert_eq!(scrape(&url, token).await.status(), 404, "{token:?}");
    }
    // Nothing else on the metrics address.
    let other = metrics.replace("/metrics", "/api/health");
    assert_eq!(reqwest::get(other).await.unwrap().status(), 404);
}

/// The id of an answer: its header, and the error body's field when it is an error.
async fn ids(res: reqwest::Response) -> (u16, String, Option<String>) {
    let status = res.status().as_u16();
    let header = res
        .headers()
        .get("x-request-id")
        .expect("every answer has an X-Request-Id")
        .to_str()
        .unwrap()
        .to_string();
    let body: Option<Value> = res.json().await.ok();
    let in_body = body.and_then(|b| b["request_id"].as_str().map(str::to_string));
    (status, header, in_body)
}

#[tokio::test]
async fn every_answer_has_a_request_id_and_error_bodies_repeat_it() {
    let app = spawn_app().await;
    let url = &app.url;
    let refs = demo_refs(&app.client, url).await;
    let mut invalid = session_entry(&refs, "no date");
    invalid["held_on"] = json!("not a date");
    let cases: Vec<(&str, reqwest::RequestBuilder, u16)> = vec![
        (
            "a success",
            app.client.get(format!("{url}/api/health")),
            200,
        ),
        (
            "an unknown id",
            app.client.get(format!("{url}/api/v1/sessions/999999")),
            404,
        ),
        (
            "an unknown id, in English",
            app.client
                .get(format!("{url}/api/v1/sessions/999999"))
                .header(ACCEPT_LANGUAGE, "en"),
            404,
        ),
        (
            "an invalid session",
            app.client
                .post(format!("{url}/api/v1/sessions"))
                .json(&invalid),
            422,
        ),
        (
            "a cross-site request (refused by a middleware)",
            app.client
                .post(format!("{url}/api/v1/sessions"))
                .header(ORIGIN, "http://evil.example")
                .json(&invalid),
            403,
        ),
        (
            "not signed in",
            reqwest::Client::new().get(format!("{url}/api/v1/sessions")),
            401,
        ),
        (
            "an import of a file that is no spreadsheet (an import's own error body)",
            app.client
                .post(format!("{url}/api/v1/imports/sessions"))
                .header("content-type", "text/csv")
                .body("\u{0}\u{1}not a table"),
            0,
        ),
    ];
    let mut seen = Vec::new();
    for (what, req, expected) in cases {
        let (status, header, in_body) = ids(req.send().await.unwrap()).await;
        if expected != 0 {
            assert_eq!(status, expected, "{what}");
        }
        assert_eq!(header.len(), 32, "{what}: a new id, {header}");
        if status >= 400 {
            assert_eq!(
                in_body.as_deref(),
                Some(header.as_str()),
                "{what}: {status}"
            );
        } else {
            assert_eq!(in_body, None, "{what}");
        }
        seen.push(header);
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 7, "each request has its own id");

    // A proxy's id is kept when it is short and plain; otherwise replaced.
    for (sent, kept) in [
        ("edge-4f2a.17", true),
        ("a b", false),
        ("<script>", false),
        (&*"x".repeat(65), false),
    ] {
        let res = app
            .client
            .get(format!("{url}/api/v1/sessions/999999"))
            .header("x-request-id", sent)
            .send()
            .await
            .unwrap();
        let (_, header, in_body) = ids(res).await;
        assert_eq!(header == sent, kept, "{sent:?} → {header}");
        assert_eq!(in_body.as_deref(), Some(header.as_str()));
    }
}

/// `--log-format json` through the real binary: one JSON object a line, and every line
/// logged for a request names the request's id; still no password or query value.
#[tokio::test]
async fn json_logs_carry_the_request_id_on_every_line_of_a_request() {
    const WRONG: &str = "wrong-password-9931";
    const QUERY: &str = "query-value-5518";
    let database = TestDatabase::create().await;
    let server = ServerProcess::start_logged_with(
        &database.url,
        &database.data_dir(),
        "info",
        &["--log-format", "json"],
    )
    .expect("the server starts");
    let url = server.url.clone();
    let client = reqwest::Client::new();
    let login = |password: &str, id: &str| {
        client
            .post(format!("{url}/api/v1/auth/login"))
            .header("x-request-id", id)
            .json(&json!({"username": "admin", "password": password}))
            .send()
    };
    assert_eq!(login(WRONG, "failed-1").await.unwrap().status(), 401);
    assert_eq!(
        login(DEMO_PASSWORD, "signed-1").await.unwrap().status(),
        200
    );
    let res = client
        .get(format!("{url}/api/v1/schools?q={QUERY}"))
        .header("x-request-id", "query-1")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);

    let log = server.stop_and_read_log();
    let mut objects = Vec::new();
    for line in log.iter().filter(|l| !l.starts_with("Humiao")) {
        let object: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
        assert!(
            object["level"].is_string() && object["timestamp"].is_string(),
            "{line}"
        );
        objects.push(object);
    }
    for (message, id) in [("failed login", "failed-1"), ("signed in", "signed-1")] {
        let line = objects
            .iter()
            .find(|o| o["message"] == message)
            .unwrap_or_else(|| panic!("a line says {message:?}:\n{}", log.join("\n")));
        assert_eq!(line["span"]["request_id"], id, "{line}");
        assert_eq!(line["span"]["route"], "/api/v1/auth/login", "{line}");
    }
    // Every line logged inside a request names its id.
    for object in objects.iter().filter(|o| o["span"]["name"] == "request") {
        let id = object["span"]["request_id"].as_str().unwrap_or("");
        assert!(!id.is_empty(), "{object}");
    }
    let all = log.join("\n");
    for secret in [WRONG, DEMO_PASSWORD, QUERY] {
        assert!(!all.contains(secret), "the log holds {secret:?}");
    }
}

#[tokio::test]
async fn the_log_format_is_taken_after_any_command() {
    let database = TestDatabase::create().await;
    for (args, env) in [
        (vec!["user", "list", "--log-format", "json"], None),
        (vec!["user", "--log-format", "text", "list"], None),
        (vec!["user", "list"], Some("json")),
    ] {
        let mut command = std::process::Command::new(humiao_tests::server_binary());
        command.args(&args).args(["--database-url", &database.url]);
        if let Some(format) = env {
            command.env("HUMIAO_LOG_FORMAT", format);
        }
        let out = command.output().unwrap();
        assert!(
            out.status.success(),
            "{args:?} {env:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = std::process::Command::new(humiao_tests::server_binary())
        .args(["user", "list", "--log-format", "yaml"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("yaml") && stderr.contains("json"),
        "{stderr}"
    );
}
