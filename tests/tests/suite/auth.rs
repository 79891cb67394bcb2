//! Signing in and out, and what goes wrong: bad logins and links each get their own
//! status, code and message and change nothing; sessions expire; failed logins are limited
//! per account and per address; a forged cross-site request is refused; the audit trail
//! names who did what; and the log holds no password, token, cookie or child's detail.
//!
//! Requests carry the session cookie by hand (`Cookie: humiao_session=…`) so that a test
//! holds each token it checks. Where the limit on failed logins would get in the way, or
//! is the point, a client sends from an address of its own (127.0.0.x).

use std::net::{IpAddr, Ipv4Addr};
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use humiao_server::clock;
use humiao_server::db::accounts::disable_user;
use humiao_server::token::digest;
use humiao_tests::fixtures::{demo_refs, session_entry, Refs};
use humiao_tests::process::ServerProcess;
use humiao_tests::{spawn_app, TestApp, TestDatabase, DEMO_PASSWORD};
use reqwest::{header, Method};
use serde_json::{json, Value};

const COOKIE: &str = humiao_server::auth::COOKIE;

/// A client without a cookie store, sending from 127.0.0.`host`.
fn from(host: u8) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, host)))
        .build()
        .expect("a client")
}

/// The `Set-Cookie` of the session cookie, if the response has one.
fn session_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{COOKIE}=")))
        .map(str::to_string)
}

/// The token a `Set-Cookie` holds.
fn token_in(set_cookie: &str) -> String {
    set_cookie[COOKIE.len() + 1..]
        .split(';')
        .next()
        .unwrap_or_default()
        .to_string()
}

async fn post_login(url: &str, client: &reqwest::Client, body: &Value) -> reqwest::Response {
    client
        .post(format!("{url}/api/v1/auth/login"))
        .json(body)
        .send()
        .await
        .expect("login sent")
}

fn credentials(username: &str, password: &str) -> Value {
    json!({"username": username, "password": password})
}

/// Signs in through `client` with the demo password; the session's token.
async fn token_from(url: &str, client: &reqwest::Client, username: &str) -> String {
    let res = post_login(url, client, &credentials(username, DEMO_PASSWORD)).await;
    assert_eq!(res.status(), 200, "{username} signs in");
    token_in(&session_cookie(&res).expect("a session cookie"))
}

async fn token(app: &TestApp, username: &str) -> String {
    token_from(&app.url, &from(1), username).await
}

/// Sends a request with the session's cookie (none for `None`).
async fn send(
    url: &str,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> reqwest::Response {
    let mut req = reqwest::Client::new().request(method, format!("{url}{path}"));
    if let Some(token) = token {
        req = req.header(header::COOKIE, format!("{COOKIE}={token}"));
    }
    if let Some(body) = body {
        req = req.json(body);
    }
    req.send().await.expect("request sent")
}

/// Status and JSON body (`null` when there is none).
/// Status and body of an answer; an error body's `request_id` (its own for each request, so
/// that two refusals can be compared) is checked against the header and left out.
async fn answer(res: reqwest::Response) -> (u16, Value) {
    let status = res.status().as_u16();
    let header = res.headers().get("x-request-id").cloned();
    let mut body = res.json().await.unwrap_or(Value::Null);
    if let Some(id) = body.as_object_mut().and_then(|b| b.remove("request_id")) {
        assert_eq!(
            Some(id.as_str().unwrap_or_default()),
            header.as_ref().and_then(|h| h.to_str().ok())
        );
    }
    (status, body)
}

/// Asserts an error answer: its status, its machine code and a message for people.
fn assert_refused(what: &str, (status, body): &(u16, Value), expected: u16, code: &str) {
    assert_eq!(*status, expected, "{what}: {body}");
    assert_eq!(body["code"], code, "{what}");
    assert!(
        !body["message"].as_str().unwrap_or_default().is_empty(),
        "{what}: a message"
    );
}

/// The ids valid entries refer to: this year's campaign, 雕庄派出所 and 雕庄小学.
async fn diaozhuang(app: &TestApp) -> Refs {
    Refs {
        campaign_id: app.current_campaign().await,
        station_id: app.id_of("stations", "name", "雕庄派出所").await,
        school_id: app.id_of("schools", "name", "雕庄小学").await,
        topic_id: app.get_json("/api/v1/topics").await[0]["id"]
            .as_i64()
            .expect("a topic"),
    }
}

/// A session's times, set behind the API's back.
async fn age_session(app: &TestApp, token: &str, created: DateTime<Utc>, seen: DateTime<Utc>) {
    let text = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    sqlx::query(
        "UPDATE auth_sessions SET created_at = $1, last_seen_at = $2 WHERE token_hash = $3",
    )
    .bind(text(created))
    .bind(text(seen))
    .bind(digest(token))
    .execute(&app.db.pool)
    .await
    .expect("session aged");
}

/// A link of the school for this year's campaign, stored as the links module stores them:
/// the secret. `expires` is relative to now; `revoked` marks it revoked.
async fn link(app: &TestApp, school: i64, secret: &str, expires: Duration, revoked: bool) {
    let text = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let now = Utc::now();
    sqlx::query(
        "INSERT INTO school_links (token_hash, school_id, campaign_id, expires_at, created_at,
                                   created_by, revoked_at)
         VALUES ($1, $2, $3, $4, $5, 'admin', $6)",
    )
    .bind(digest(secret))
    .bind(school)
    .bind(app.current_campaign().await)
    .bind(text(now + expires))
    .bind(text(now))
    .bind(revoked.then(|| text(now)))
    .execute(&app.db.pool)
    .await
    .expect("link stored");
}

/// The audit trail of one actor (usernames need no encoding), newest first.
async fn trail_of(app: &TestApp, actor: &str) -> Vec<Value> {
    app.get_json(&format!("/api/v1/audit?actor={actor}&limit=500"))
        .await
        .as_array()
        .expect("a list")
        .clone()
}

fn actions(trail: &[Value]) -> Vec<&str> {
    trail
        .iter()
        .map(|e| e["action"].as_str().unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn each_bad_login_gets_its_own_status_code_and_message_and_starts_no_session() {
    let app = spawn_app().await;
    let before_disabling = token(&app, "officer.sanjing").await;
    assert!(disable_user(&app.db.pool, "officer.sanjing").await.unwrap());
    let cases = [
        (
            "a wrong password",
            credentials("officer.diaozhuang", "not-the-password"),
            401,
            "invalid_credentials",
            &[][..],
        ),
        (
            "an unknown user",
            credentials("nobody.here", DEMO_PASSWORD),
            401,
            "invalid_credentials",
            &[],
        ),
        (
            "a disabled user with the right password",
            credentials("officer.sanjing", DEMO_PASSWORD),
            403,
            "account_disabled",
            &[],
        ),
        (
            "no username",
            json!({"password": DEMO_PASSWORD}),
            422,
            "validation_failed",
            &["username"],
        ),
        (
            "a blank username",
            credentials("   ", DEMO_PASSWORD),
            422,
            "validation_failed",
            &["username"],
        ),
        (
            "no password",
            json!({"username": "officer.diaozhuang"}),
            422,
            "validation_failed",
            &["password"],
        ),
        (
            "nothing at all",
            json!({}),
            422,
            "validation_failed",
            &["username", "password"],
        ),
    ];
    let mut bodies = Vec::new();
    for (what, body, status, code, fields) in cases {
        let sessions = app.count("auth_sessions").await;
        let res = post_login(&app.url, &from(1), &body).await;
        assert_eq!(session_cookie(&res), None, "{what}: no cookie");
        let answer = answer(res).await;
        assert_refused(what, &answer, status, code);
        let named: Vec<&str> = answer.1["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .map(|f| f["field"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(named, fields, "{what}");
        assert_eq!(app.count("auth_sessions").await, sessions, "{what}");
        bodies.push(answer.1);
    }
    assert_eq!(
        bodies[0], bodies[1],
        "a wrong password and an unknown user read the same"
    );
    // The disabled account's earlier session ended with it.
    let me = send(
        &app.url,
        Method::GET,
        "/api/v1/auth/me",
        Some(&before_disabling),
        None,
    )
    .await;
    assert_eq!(me.status(), 401);
}

#[tokio::test]
async fn each_bad_link_gets_its_own_status_code_and_message_and_opens_nothing() {
    let app = spawn_app().await;
    let school = app.id_of("schools", "name", "雕庄小学").await;
    link(
        &app,
        school,
        "expired-link-secret",
        -Duration::hours(1),
        false,
    )
    .await;
    link(
        &app,
        school,
        "revoked-link-secret",
        Duration::days(30),
        true,
    )
    .await;
    let cases = [
        ("an unknown link", "no-such-link-secret", 404, "not_found"),
        ("an empty secret", "", 404, "not_found"),
        (
            "an expired link",
            "expired-link-secret",
            410,
            "link_expired",
        ),
        ("a revoked link", "revoked-link-secret", 410, "link_revoked"),
    ];
    for (what, secret, status, code) in cases {
        let sessions = app.count("auth_sessions").await;
        let res = send(
            &app.url,
            Method::POST,
            "/api/v1/auth/link",
            None,
            Some(&json!({ "secret": secret })),
        )
        .await;
        assert_eq!(session_cookie(&res), None, "{what}: no cookie");
        assert_refused(what, &answer(res).await, status, code);
        assert_eq!(app.count("auth_sessions").await, sessions, "{what}");
    }
}

#[tokio::test]
async fn a_school_in_through_its_link_acts_for_itself_only_and_loses_it_when_revoked() {
    let app = spawn_app().await;
    let ours = diaozhuang(&app).await;
    let other = app.id_of("schools", "name", "博爱小学").await;
    let film = app.get_json("/api/v1/films").await[0]["id"]
        .as_i64()
        .unwrap();
    let day = clock::today().to_string();
    // Both schools are expected, so that only whose link it is decides.
    let res = app
        .post_json(
            "/api/v1/assignments",
            &json!({"campaign_id": ours.campaign_id, "title": "两校观看任务", "film_ids": [film],
                    "school_ids": [ours.school_id, other], "opens_on": day, "closes_on": day}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let assignment = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let confirmation = |school: i64| {
        json!({"assignment_id": assignment, "school_id": school, "film_id": film,
               "shown_on": day, "students": 30, "parents": 0, "classes": 1, "method": "classroom"})
    };

    link(
        &app,
        ours.school_id,
        "diaozhuang-link-secret",
        Duration::days(30),
        false,
    )
    .await;
    let res = send(
        &app.url,
        Method::POST,
        "/api/v1/auth/link",
        None,
        Some(&json!({"secret": "diaozhuang-link-secret"})),
    )
    .await;
    let token = token_in(&session_cookie(&res).expect("a cookie"));
    let (status, me) = answer(res).await;
    assert_eq!(status, 200);
    assert_eq!(me["role"], "school");
    assert_eq!(me["school_id"], ours.school_id);

    let stored = app.count("screening_confirmations").await;
    let (status, body) = answer(
        send(
            &app.url,
            Method::POST,
            "/api/v1/confirmations",
            Some(&token),
            Some(&confirmation(other)),
        )
        .await,
    )
    .await;
    assert_refused(
        "a confirmation for another school",
        &(status, body),
        403,
        "forbidden",
    );
    assert_eq!(app.count("screening_confirmations").await, stored);
    let path = format!("/api/v1/schools/{other}");
    let (status, _) = answer(send(&app.url, Method::GET, &path, Some(&token), None).await).await;
    assert_eq!(status, 404, "another school is not there for it");
    let (status, _) = answer(
        send(
            &app.url,
            Method::POST,
            "/api/v1/confirmations",
            Some(&token),
            Some(&confirmation(ours.school_id)),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "its own confirmation is stored");

    sqlx::query("UPDATE school_links SET revoked_at = created_at WHERE token_hash = $1")
        .bind(digest("diaozhuang-link-secret"))
        .execute(&app.db.pool)
        .await
        .unwrap();
    let revoked = answer(send(&app.url, Method::GET, "/api/v1/auth/me", Some(&token), None).await);
    assert_refused(
        "a revoked link's session",
        &revoked.await,
        410,
        "link_revoked",
    );
}

#[tokio::test]
async fn a_session_ends_after_30_idle_minutes_or_12_hours_with_401_session_expired() {
    let app = spawn_app().await;
    let refs = diaozhuang(&app).await;
    let now = Utc::now();
    let m = Duration::minutes;
    // Started, last seen (before now), and whether it still works.
    let cases = [
        ("idle for 29 minutes", m(40), m(29), true),
        ("idle for 31 minutes", m(40), m(31), false),
        ("busy for 11 hours", m(11 * 60), m(1), true),
        ("busy for 13 hours", m(13 * 60), m(1), false),
    ];
    for (what, started, seen, works) in cases {
        let token = token(&app, "officer.diaozhuang").await;
        age_session(&app, &token, now - started, now - seen).await;
        let me =
            answer(send(&app.url, Method::GET, "/api/v1/auth/me", Some(&token), None).await).await;
        if works {
            assert_eq!(me.0, 200, "{what}: {}", me.1);
            continue;
        }
        assert_refused(what, &me, 401, "session_expired");
        let stored = app.count("sessions").await;
        let entry = session_entry(&refs, what);
        let res = send(
            &app.url,
            Method::POST,
            "/api/v1/sessions",
            Some(&token),
            Some(&entry),
        )
        .await;
        assert_eq!(res.status(), 401, "{what}: no writing either");
        assert_eq!(app.count("sessions").await, stored, "{what}");
    }
}

#[tokio::test]
async fn logging_out_ends_the_session_on_the_server_and_removes_the_cookie() {
    let app = spawn_app().await;
    let refs = diaozhuang(&app).await;
    let token = token(&app, "officer.diaozhuang").await;
    let res = send(
        &app.url,
        Method::POST,
        "/api/v1/auth/logout",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(res.status(), 204);
    let removal = session_cookie(&res).expect("the cookie is removed");
    assert_eq!(token_in(&removal), "", "{removal}");
    assert!(removal.contains("Max-Age=0"), "{removal}");

    // The old cookie, kept by a client that ignored the removal, opens nothing.
    let me = answer(send(&app.url, Method::GET, "/api/v1/auth/me", Some(&token), None).await);
    assert_refused("the old cookie", &me.await, 401, "unauthenticated");
    let stored = app.count("sessions").await;
    let entry = session_entry(&refs, "after logout");
    let res = send(
        &app.url,
        Method::POST,
        "/api/v1/sessions",
        Some(&token),
        Some(&entry),
    )
    .await;
    assert_eq!(res.status(), 401);
    assert_eq!(app.count("sessions").await, stored);
}

#[tokio::test]
async fn every_login_gets_a_new_token_in_an_http_only_same_site_strict_cookie() {
    let app = spawn_app().await;
    let client = from(1);
    let mut cookies = Vec::new();
    for _ in 0..2 {
        let res = post_login(
            &app.url,
            &client,
            &credentials("officer.diaozhuang", DEMO_PASSWORD),
        )
        .await;
        assert_eq!(res.status(), 200);
        cookies.push(session_cookie(&res).expect("a session cookie"));
    }
    for cookie in &cookies {
        let attributes: Vec<String> = cookie
            .split(';')
            .skip(1)
            .map(|a| a.trim().to_ascii_lowercase())
            .collect();
        for wanted in ["httponly", "samesite=strict", "path=/"] {
            assert!(
                attributes.iter().any(|a| a == wanted),
                "{wanted} in {cookie}"
            );
        }
        assert_eq!(token_in(cookie).len(), 64, "32 random bytes, hex");
    }
    assert_ne!(token_in(&cookies[0]), token_in(&cookies[1]));

    // Signing in with a cookie already set ends that session: a planted one is no use.
    let planted = token_in(&cookies[0]);
    let res = client
        .post(format!("{}/api/v1/auth/login", app.url))
        .header(header::COOKIE, format!("{COOKIE}={planted}"))
        .json(&credentials("officer.diaozhuang", DEMO_PASSWORD))
        .send()
        .await
        .unwrap();
    let fresh = token_in(&session_cookie(&res).expect("a session cookie"));
    assert_ne!(fresh, planted);
    let me = |token: String| {
        let url = app.url.clone();
        async move {
            send(&url, Method::GET, "/api/v1/auth/me", Some(&token), None)
                .await
                .status()
        }
    };
    assert_eq!(me(planted).await, 401, "the planted session ended");
    assert_eq!(me(fresh).await, 200);
}

/// Asserts a 429 with a `Retry-After` within the 15-minute window.
async fn assert_locked_out(what: &str, res: reqwest::Response) {
    let retry_after = res
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    assert!(
        retry_after.is_some_and(|s| (1..=15 * 60).contains(&s)),
        "{what}: Retry-After {retry_after:?}"
    );
    assert_refused(what, &answer(res).await, 429, "too_many_attempts");
}

#[tokio::test]
async fn the_sixth_failed_login_for_one_account_within_15_minutes_is_429_with_retry_after() {
    let app = spawn_app().await;
    let wrong = credentials("officer.diaozhuang", "not-the-password");
    // Each attempt from another address: only the account's count is reached.
    for host in 41..46 {
        let res = post_login(&app.url, &from(host), &wrong).await;
        assert_eq!(res.status(), 401, "failure from 127.0.0.{host}");
    }
    let sixth = post_login(&app.url, &from(46), &wrong).await;
    assert_locked_out("the sixth failure", sixth).await;
    let right = credentials("officer.diaozhuang", DEMO_PASSWORD);
    let res = post_login(&app.url, &from(47), &right).await;
    assert_eq!(session_cookie(&res), None);
    assert_locked_out("the right password during the lockout", res).await;
    // Other accounts sign in as usual.
    let res = post_login(&app.url, &from(48), &credentials("leader", DEMO_PASSWORD)).await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn the_sixth_failed_login_from_one_address_within_15_minutes_is_429_whatever_the_name() {
    let app = spawn_app().await;
    let address = from(51);
    for n in 0..5 {
        let res = post_login(
            &app.url,
            &address,
            &credentials(&format!("guess.{n}"), "not-the-password"),
        )
        .await;
        assert_eq!(res.status(), 401, "guess {n}");
    }
    let res = post_login(&app.url, &address, &credentials("leader", DEMO_PASSWORD)).await;
    assert_locked_out("a known user from that address", res).await;
    // The account itself is not locked: from elsewhere it signs in.
    let res = post_login(&app.url, &from(52), &credentials("leader", DEMO_PASSWORD)).await;
    assert_eq!(res.status(), 200);
}

/// Timed over the whole request, so the margin is wide; medians, since a test running
/// beside this one now and then slows a single request down by half.
#[tokio::test]
async fn refusing_an_unknown_user_takes_as_long_as_refusing_a_wrong_password() {
    const ROUNDS: u8 = 15;
    const KNOWN: [&str; 4] = [
        "officer.diaozhuang",
        "officer.sanjing",
        "leader",
        "school.boai",
    ];
    let app = spawn_app().await;
    // The first check of each kind may set things up (the unknown users' stand-in hash).
    for username in ["warm.up", "leader.tianning"] {
        let res = post_login(&app.url, &from(60), &credentials(username, "not-it")).await;
        assert_eq!(res.status(), 401);
    }
    // Alternating, so that whatever else the machine does weighs on both alike. Each round
    // from its own address and the known names in turn: no count reaches the limit.
    let mut times: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    let mut bodies = Vec::new();
    for round in 0..ROUNDS {
        let client = from(100 + round);
        // The connection is made before the clock starts, and the first of the two
        // alternates: neither kind pays for setting anything up.
        let health = client.get(format!("{}/api/health", app.url)).send().await;
        assert_eq!(health.expect("health").status(), 200);
        let known = KNOWN[round as usize % KNOWN.len()].to_string();
        let mut pair = [(0, format!("ghost.{round}")), (1, known)];
        if round % 2 == 1 {
            pair.reverse();
        }
        for (kind, username) in pair {
            let started = Instant::now();
            let res = post_login(&app.url, &client, &credentials(&username, "not-it")).await;
            let (status, body) = answer(res).await;
            times[kind].push(started.elapsed().as_secs_f64());
            assert_eq!(status, 401, "{username}");
            bodies.push(body);
        }
    }
    assert!(
        bodies.windows(2).all(|w| w[0] == w[1]),
        "every refusal reads the same"
    );
    let median = |t: &mut Vec<f64>| {
        t.sort_by(f64::total_cmp);
        t[t.len() / 2]
    };
    let [unknown, known] = &mut times;
    let (unknown, known) = (median(unknown), median(known));
    assert!(
        unknown >= known / 1.5 && unknown <= known * 1.5,
        "unknown users {:.1} ms, wrong passwords {:.1} ms (medians of {ROUNDS})",
        unknown * 1e3,
        known * 1e3
    );
}

/// A case of the same-origin check: what is sent, the headers naming the page, the status.
type OriginCase<'a> = (&'a str, &'a [(header::HeaderName, &'a str)], u16);

#[tokio::test]
async fn a_forged_cross_site_post_is_refused_and_stores_nothing() {
    let app = spawn_app().await;
    let refs = diaozhuang(&app).await;
    let token = token(&app, "officer.diaozhuang").await;
    let own = app.url.clone();
    let cases: [OriginCase; 6] = [
        (
            "Origin of another site",
            &[(header::ORIGIN, "http://evil.example")],
            403,
        ),
        (
            "Referer of another site",
            &[(header::REFERER, "http://evil.example/form.html")],
            403,
        ),
        ("an opaque Origin", &[(header::ORIGIN, "null")], 403),
        (
            "another site's Origin and this one's Referer",
            &[
                (header::ORIGIN, "http://evil.example"),
                (header::REFERER, &own),
            ],
            403,
        ),
        ("this server's Origin", &[(header::ORIGIN, &own)], 201),
        ("no Origin or Referer (not a browser)", &[], 201),
    ];
    for (n, (what, headers, status)) in cases.into_iter().enumerate() {
        let stored = app.count("sessions").await;
        let mut req = reqwest::Client::new()
            .post(format!("{}/api/v1/sessions", app.url))
            .header(header::COOKIE, format!("{COOKIE}={token}"))
            .json(&session_entry(&refs, &format!("cross-site {n}")));
        for (name, value) in headers {
            req = req.header(name, *value);
        }
        let res = answer(req.send().await.unwrap()).await;
        if status == 403 {
            assert_refused(what, &res, 403, "cross_site_request");
            assert_eq!(app.count("sessions").await, stored, "{what}");
        } else {
            assert_eq!(res.0, status, "{what}: {}", res.1);
            assert_eq!(app.count("sessions").await, stored + 1, "{what}");
        }
    }
    // A forged logout does not end the session either.
    let res = reqwest::Client::new()
        .post(format!("{}/api/v1/auth/logout", app.url))
        .header(header::COOKIE, format!("{COOKIE}={token}"))
        .header(header::ORIGIN, "http://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let me = send(&app.url, Method::GET, "/api/v1/auth/me", Some(&token), None).await;
    assert_eq!(me.status(), 200);
}

#[tokio::test]
async fn the_audit_trail_names_who_signed_in_failed_changed_was_refused_and_signed_out() {
    let app = spawn_app().await;
    let refs = diaozhuang(&app).await;
    let officer = token(&app, "officer.diaozhuang").await;
    let res = post_login(
        &app.url,
        &from(71),
        &credentials("officer.diaozhuang", "not-the-password"),
    )
    .await;
    assert_eq!(res.status(), 401);
    let entry = session_entry(&refs, "audited");
    let (status, created) = answer(
        send(
            &app.url,
            Method::POST,
            "/api/v1/sessions",
            Some(&officer),
            Some(&entry),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201);
    let school = token(&app, "school.diaozhuang").await;
    let res = send(
        &app.url,
        Method::POST,
        "/api/v1/sessions",
        Some(&school),
        Some(&entry),
    )
    .await;
    assert_eq!(res.status(), 403);
    let res = send(
        &app.url,
        Method::POST,
        "/api/v1/auth/logout",
        Some(&officer),
        None,
    )
    .await;
    assert_eq!(res.status(), 204);

    let trail = trail_of(&app, "officer.diaozhuang").await;
    assert_eq!(
        actions(&trail),
        ["logout", "create", "login_failed", "login"],
        "{trail:#?}"
    );
    let change = &trail[1];
    assert_eq!(change["resource"], "sessions");
    assert_eq!(change["resource_id"], created["id"]);
    assert_eq!(change["after"]["notes"], "audited");
    assert!(trail.iter().all(|e| e["actor"] == "officer.diaozhuang"));

    let trail = trail_of(&app, "school.diaozhuang").await;
    assert_eq!(actions(&trail), ["denied", "login"], "{trail:#?}");
    assert_eq!(trail[0]["resource"], "sessions");

    // The failure of an unknown name is recorded under the name typed.
    let res = post_login(
        &app.url,
        &from(72),
        &credentials("nobody.here", "not-the-password"),
    )
    .await;
    assert_eq!(res.status(), 401);
    assert_eq!(
        actions(&trail_of(&app, "nobody.here").await),
        ["login_failed"]
    );
}

#[tokio::test]
async fn every_refusal_is_in_the_audit_trail_with_the_viewer_who_was_refused() {
    let app = spawn_app().await;
    let refs = diaozhuang(&app).await;
    let outcome = json!({"station_id": refs.station_id, "month": "2001-01",
                         "indicator": "visits", "value": 1});
    let links = json!({"campaign_id": refs.campaign_id, "school_ids": [refs.school_id]});
    let district = json!({"code": "DENIED-D", "name": "拒绝分局"});
    let session = session_entry(&refs, "refused");
    let cases: [(&str, Method, &str, Option<&Value>); 10] = [
        (
            "school.diaozhuang",
            Method::POST,
            "/api/v1/sessions",
            Some(&session),
        ),
        (
            "leader.tianning",
            Method::POST,
            "/api/v1/sessions",
            Some(&session),
        ),
        (
            "officer.sanjing",
            Method::POST,
            "/api/v1/outcomes",
            Some(&outcome),
        ),
        ("leader", Method::POST, "/api/v1/districts", Some(&district)),
        (
            "leader.tianning",
            Method::POST,
            "/api/v1/links",
            Some(&links),
        ),
        ("officer.sanjing", Method::GET, "/api/v1/audit", None),
        ("school.diaozhuang", Method::GET, "/api/v1/trainees", None),
        (
            "officer.diaozhuang",
            Method::GET,
            "/api/v1/assignments",
            None,
        ),
        ("school.boai", Method::GET, "/api/v1/aggregates/reach", None),
        (
            "school.boai",
            Method::GET,
            "/api/v1/charts/sessions-by-district.svg",
            None,
        ),
    ];
    let mut unaudited = Vec::new();
    for (username, method, path, body) in cases {
        let token = token(&app, username).await;
        let denials = |trail: Vec<Value>| trail.iter().filter(|e| e["action"] == "denied").count();
        let before = denials(trail_of(&app, username).await);
        let what = format!("{method} {path} as {username}");
        let res = send(&app.url, method, path, Some(&token), body).await;
        assert_refused(&what, &answer(res).await, 403, "forbidden");
        if denials(trail_of(&app, username).await) != before + 1 {
            unaudited.push(what);
        }
    }
    assert!(
        unaudited.is_empty(),
        "refused without a trace in the audit trail:\n{}",
        unaudited.join("\n")
    );
}

/// The server as a process of its own with `RUST_LOG=debug`: everything that happens at
/// sign-in, a failed login and a child's details in a session's notes (stored, refused as
/// a duplicate, refused as invalid, in a stale edit) leaves no trace of them in its output.
#[tokio::test]
async fn no_log_line_holds_a_password_a_token_a_cookie_or_a_childs_details() {
    const MARKER: &str = "儿童张三-SECRET-NOTE";
    const WRONG: &str = "wrong-密码-4711-password";
    let database = TestDatabase::create().await;
    let server = ServerProcess::start_logged(&database.url, &database.data_dir(), "debug")
        .expect("the server starts");
    let url = server.url.clone();

    let token = token_from(&url, &from(1), "officer.diaozhuang").await;
    let res = post_login(&url, &from(2), &credentials("officer.diaozhuang", WRONG)).await;
    assert_eq!(res.status(), 401);
    let signed_in = reqwest::Client::builder()
        .default_headers(
            [(
                header::COOKIE,
                format!("{COOKIE}={token}").parse().expect("a header value"),
            )]
            .into_iter()
            .collect(),
        )
        .build()
        .unwrap();
    let refs = demo_refs(&signed_in, &url).await;
    let mut entry = session_entry(&refs, &format!("家访：{MARKER}，9岁"));
    let post = |body: Value| {
        signed_in
            .post(format!("{url}/api/v1/sessions"))
            .json(&body)
            .send()
    };
    let res = post(entry.clone()).await.unwrap();
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    entry["confirm_distinct"] = json!(false);
    assert_eq!(post(entry.clone()).await.unwrap().status(), 409);
    let mut invalid = entry.clone();
    invalid["held_on"] = json!(format!("{MARKER}-day"));
    assert_eq!(post(invalid).await.unwrap().status(), 422);
    let res = signed_in
        .put(format!("{url}/api/v1/sessions/{}", created["id"]))
        .header(header::IF_MATCH, "\"99\"")
        .json(&entry)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    let res = signed_in
        .post(format!("{url}/api/v1/sessions"))
        .header(header::ORIGIN, "http://evil.example")
        .json(&entry)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = signed_in
        .post(format!("{url}/api/v1/auth/logout"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);

    let log = server.stop_and_read_log();
    // The log is on and saw the requests: the checks below are not vacuous.
    for seen in [
        "failed login",
        "signed in",
        "session logged",
        "duplicate_session",
        "cross-site request refused",
    ] {
        assert!(
            log.iter().any(|l| l.contains(seen)),
            "the debug log mentions {seen:?} ({} lines)",
            log.len()
        );
    }
    let secrets = [
        ("the demo password", DEMO_PASSWORD),
        ("a wrong password", WRONG),
        ("the session token", token.as_str()),
        ("the child's name", "张三"),
        ("the notes", MARKER),
        ("the notes", "SECRET-NOTE"),
        ("a password hash", "$argon2"),
    ];
    let mut leaks = Vec::new();
    for line in &log {
        for (what, secret) in secrets {
            if line.contains(secret) {
                leaks.push(format!("{what}: {line}"));
            }
        }
        // A `Cookie` or `Set-Cookie` header, or the cookie by its name. (The word alone is
        // in the schema's comments, which the SQL log shows at start-up.)
        let lower = line.to_lowercase();
        if ["cookie:", "cookie=", "cookie\":", COOKIE]
            .iter()
            .any(|c| lower.contains(c))
        {
            leaks.push(format!("a cookie: {line}"));
        }
    }
    assert!(
        leaks.is_empty(),
        "{} of {} log lines leak:\n{}",
        leaks.len(),
        log.len(),
        leaks.join("\n")
    );
}
