//! The daily WeCom digest (issue 17, part 6): a district's administrator sets the group
//! robot's webhook (https only), and the digest — late returns, returns waiting for the
//! district, schools not yet confirmed — is posted to it as a markdown message, retried
//! with backoff when the webhook fails. The webhook here is a receiver the test starts on
//! 127.0.0.1, which the server is told to accept over http.

use std::sync::{Arc, Mutex};

use humiao_tests::{spawn_app_with, TestApp};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::returns::set_state;

/// A webhook on 127.0.0.1 that refuses its first `fails` posts with 500 and takes the
/// rest; every body it was sent, in order.
struct Receiver {
    url: String,
    bodies: Arc<Mutex<Vec<(u16, String)>>>,
}

async fn receiver(fails: usize) -> Receiver {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://127.0.0.1:{}/cgi-bin/webhook/send?key=test",
        listener.local_addr().unwrap().port()
    );
    let bodies: Arc<Mutex<Vec<(u16, String)>>> = Arc::default();
    let seen = bodies.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let body = read_request(&mut socket).await;
            let status = {
                let mut seen = seen.lock().unwrap();
                let status = if seen.len() < fails { 500 } else { 200 };
                seen.push((status, body));
                status
            };
            let answer = if status == 200 {
                r#"{"errcode":0,"errmsg":"ok"}"#
            } else {
                ""
            };
            let reply =
                format!(
                "HTTP/1.1 {status} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{answer}",
                if status == 200 { "OK" } else { "Internal Server Error" },
                answer.len()
            );
            let _ = socket.write_all(reply.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    Receiver { url, bodies }
}

/// The body of one HTTP/1.1 request with a `Content-Length`.
async fn read_request(socket: &mut tokio::net::TcpStream) -> String {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = socket.read(&mut chunk).await.unwrap_or(0);
        if n == 0 {
            break;
        }
        buffer.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buffer).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if buffer.len() >= end + 4 + length {
                return String::from_utf8_lossy(&buffer[end + 4..end + 4 + length]).to_string();
            }
        }
    }
    String::new()
}

async fn app() -> TestApp {
    spawn_app_with(|s| {
        s.ops.wecom_allow_local_http = true;
        s.ops.wecom_retry_ms = 10;
    })
    .await
}

async fn set_webhook(
    app: &TestApp,
    client: &reqwest::Client,
    district: i64,
    url: Value,
) -> (u16, Value) {
    let res = client
        .put(format!("{}/api/v1/districts/{district}/webhook", app.url))
        .json(&json!({ "url": url }))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn an_administrator_sets_a_districts_webhook_over_https_and_no_one_else_does() {
    let app = app().await;
    let tianning = app.id_of("districts", "name", "天宁分局").await;
    let https = json!("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6");
    let (status, answer) = set_webhook(&app, &app.client, tianning, https.clone()).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["url"], https);
    for bad in [
        "http://qyapi.weixin.qq.com/send",
        "ftp://example.com",
        "https://",
        "企业微信",
    ] {
        let (status, answer) = set_webhook(&app, &app.client, tianning, json!(bad)).await;
        assert_eq!(status, 422, "{bad}");
        assert_eq!(answer["fields"][0]["field"], "url");
        assert_eq!(answer["fields"][0]["code"], "invalid_url");
    }
    let leader = app.client_as("leader.tianning").await;
    let (status, _) = set_webhook(&app, &leader, tianning, https).await;
    assert_eq!(status, 403);
    let (status, answer) = set_webhook(&app, &app.client, tianning, Value::Null).await;
    assert_eq!((status, answer["url"].clone()), (200, Value::Null));
    let (stored,): (Option<String>,) =
        sqlx::query_as("SELECT wecom_webhook FROM districts WHERE id = $1")
            .bind(tianning)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(stored, None);
}

#[tokio::test]
async fn the_digest_reaches_a_webhook_that_fails_twice_once_with_what_is_behind() {
    let app = app().await;
    let hook = receiver(2).await;
    let tianning = app.id_of("districts", "name", "天宁分局").await;
    let (status, _) = set_webhook(&app, &app.client, tianning, json!(hook.url)).await;
    assert_eq!(status, 200);
    // One return waiting for the district, one month not in after its deadline.
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    set_state(&app, station, "2025-06", "submitted").await;

    let res = app
        .client
        .post(format!("{}/api/v1/digest/run", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let posted: Value = res.json().await.unwrap();
    assert_eq!(
        posted,
        json!([{"district_id": tianning, "district_name": "天宁分局", "delivered": true, "tries": 3}])
    );
    let bodies = hook.bodies.lock().unwrap().clone();
    let taken: Vec<&String> = bodies
        .iter()
        .filter(|(s, _)| *s == 200)
        .map(|(_, b)| b)
        .collect();
    assert_eq!(bodies.len(), 3, "two refused, then taken");
    assert_eq!(taken.len(), 1, "the message arrives once");
    let message: Value = serde_json::from_str(taken[0]).unwrap();
    assert_eq!(message["msgtype"], "markdown");
    let content = message["markdown"]["content"].as_str().unwrap();
    assert!(content.contains("天宁分局"), "{content}");
    assert!(content.contains("待分局审核的月报"), "{content}");
    assert!(content.contains("雕庄派出所 2025-06"), "{content}");
    // 雕庄 is left open in the demo: its past months are late.
    assert!(content.contains("逾期未报的月报"), "{content}");
    assert!(content.len() <= 4096);
}

#[tokio::test]
async fn a_webhook_that_keeps_failing_is_given_up_after_three_tries() {
    let app = app().await;
    let hook = receiver(usize::MAX).await;
    let tianning = app.id_of("districts", "name", "天宁分局").await;
    set_webhook(&app, &app.client, tianning, json!(hook.url)).await;
    let res = app
        .client
        .post(format!("{}/api/v1/digest/run", app.url))
        .send()
        .await
        .unwrap();
    let posted: Value = res.json().await.unwrap();
    assert_eq!(posted[0]["delivered"], false);
    assert_eq!(posted[0]["tries"], 3);
    assert_eq!(hook.bodies.lock().unwrap().len(), 3);
    // Meanwhile the server answers as ever.
    assert_eq!(app.get("/api/health").await.status(), 200);
}
