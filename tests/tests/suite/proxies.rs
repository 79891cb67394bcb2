//! Behind a reverse proxy (`--trusted-proxies`): the failed-login limits count the client
//! the proxy forwards for, the session cookie is `Secure` when the proxy says the browser
//! used HTTPS, and the cross-site check takes the host the browser asked for. From a peer
//! that is not a trusted proxy, the forwarding headers change nothing.
//!
//! The fake proxy is a client sending from 127.0.0.2; other clients send from 127.0.0.x.

use std::net::{IpAddr, Ipv4Addr};

use humiao_server::proxy::TrustedProxies;
use humiao_tests::{spawn_app, spawn_app_with, TestApp, DEMO_PASSWORD};
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use serde_json::{json, Value};

const PROXY: u8 = 2;

/// A server that believes the proxy at 127.0.0.2 only.
async fn behind_proxy() -> TestApp {
    spawn_app_with(|settings| {
        settings.proxies = TrustedProxies::parse("127.0.0.2").expect("a proxy list");
    })
    .await
}

/// A client sending from 127.0.0.`host` with `headers` on every request.
fn from(host: u8, headers: &[(&'static str, &str)]) -> reqwest::Client {
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        map.append(
            HeaderName::from_static(name),
            HeaderValue::from_str(value).expect("a header value"),
        );
    }
    reqwest::Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, host)))
        .default_headers(map)
        .build()
        .expect("a client")
}

/// A login through `client`: its status and its session cookie, if any.
async fn login(
    app: &TestApp,
    client: &reqwest::Client,
    username: &str,
    password: &str,
) -> (u16, Option<String>) {
    let res = client
        .post(format!("{}/api/v1/auth/login", app.url))
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .expect("login sent");
    let cookie = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(humiao_server::auth::COOKIE))
        .map(str::to_string);
    let status = res.status().as_u16();
    if status == 429 {
        let body: Value = res.json().await.expect("a JSON error");
        assert_eq!(body["code"], "too_many_attempts");
    }
    (status, cookie)
}

/// Five wrong passwords through `client`, each for another name (so that no account's own
/// limit is reached): the limit of the address they count for is then reached.
async fn fail_five_times(app: &TestApp, client: &reqwest::Client, who: &str) {
    for n in 0..5 {
        let (status, _) = login(app, client, &format!("{who}.guess.{n}"), "not-the-password").await;
        assert_eq!(status, 401, "{who}: failure {n}");
    }
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_a_limit_of_its_own() {
    let app = behind_proxy().await;
    let attacker = from(PROXY, &[("x-forwarded-for", "203.0.113.7")]);
    fail_five_times(&app, &attacker, "attacker").await;
    assert_eq!(login(&app, &attacker, "leader", DEMO_PASSWORD).await.0, 429);
    // An address the attacker puts before the proxy's own entry is not believed.
    let disguised = from(PROXY, &[("x-forwarded-for", "198.51.100.9, 203.0.113.7")]);
    assert_eq!(
        login(&app, &disguised, "leader", DEMO_PASSWORD).await.0,
        429
    );

    // Another client behind the same proxy still signs in, named either way.
    let colleague = from(PROXY, &[("x-forwarded-for", "198.51.100.9")]);
    assert_eq!(
        login(&app, &colleague, "leader", DEMO_PASSWORD).await.0,
        200
    );
    let rfc_7239 = from(PROXY, &[("forwarded", "for=192.0.2.33;proto=http")]);
    assert_eq!(login(&app, &rfc_7239, "leader", DEMO_PASSWORD).await.0, 200);

    // The failures were counted for the client, not for the proxy.
    let (by_client,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM login_failures WHERE address = '203.0.113.7'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(by_client, 5);
}

#[tokio::test]
async fn a_peer_that_is_not_a_trusted_proxy_cannot_dodge_the_limit_by_changing_the_header() {
    // With no proxy configured, and with a proxy configured that is not this peer.
    for app in [spawn_app().await, behind_proxy().await] {
        for n in 0..5 {
            let forged = format!("10.0.0.{n}");
            let client = from(3, &[("x-forwarded-for", &forged)]);
            let (status, _) = login(&app, &client, &format!("guess.{n}"), "wrong").await;
            assert_eq!(status, 401, "failure {n}");
        }
        let fresh = from(
            3,
            &[
                ("x-forwarded-for", "10.0.0.99"),
                ("forwarded", "for=10.0.0.98"),
            ],
        );
        assert_eq!(
            login(&app, &fresh, "leader", DEMO_PASSWORD).await.0,
            429,
            "the peer's own address is limited"
        );
    }
}

#[tokio::test]
async fn the_cookie_is_secure_when_a_trusted_proxy_says_the_browser_used_https() {
    let app = behind_proxy().await;
    let https = [("x-forwarded-proto", "https")];
    let (status, cookie) = login(&app, &from(PROXY, &https), "leader", DEMO_PASSWORD).await;
    assert_eq!(status, 200);
    let cookie = cookie.expect("a session cookie");
    assert!(cookie.to_ascii_lowercase().contains("; secure"), "{cookie}");

    // Said by anyone else, the header is not believed: the connection is plain HTTP.
    for app in [&app, &spawn_app().await] {
        let (status, cookie) = login(app, &from(4, &https), "leader", DEMO_PASSWORD).await;
        assert_eq!(status, 200);
        let cookie = cookie.expect("a session cookie");
        assert!(!cookie.to_ascii_lowercase().contains("secure"), "{cookie}");
    }
}

#[tokio::test]
async fn the_cross_site_check_takes_the_host_a_trusted_proxy_forwarded() {
    let app = behind_proxy().await;
    let through_proxy = [
        ("x-forwarded-host", "humiao.example"),
        ("origin", "https://humiao.example"),
    ];
    let (status, _) = login(&app, &from(PROXY, &through_proxy), "leader", DEMO_PASSWORD).await;
    assert_eq!(
        status, 200,
        "the page the browser was on is this server, behind the proxy"
    );
    let (status, _) = login(&app, &from(5, &through_proxy), "leader", DEMO_PASSWORD).await;
    assert_eq!(status, 403, "a peer that is no proxy cannot name the host");
}
