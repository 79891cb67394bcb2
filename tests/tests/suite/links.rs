//! Schools' links: administrators issue them (one per school and campaign, expiring,
//! revocable, stored hashed), print them as a sheet of QR codes, and a school that opens
//! its link may confirm its own screenings and nothing else.

use std::time::Instant;

use humiao_tests::{cookie_client, spawn_app, TestApp};
use serde_json::{json, Value};

/// Issues links as the administrator; the answer's links.
async fn issue(app: &TestApp, body: Value) -> Vec<Value> {
    let res = app.post_json("/api/v1/links", &body).await;
    let status = res.status();
    let answer: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "{answer}");
    answer.as_array().unwrap().clone()
}

/// Posts the sheet's form as the administrator's page does (same origin).
async fn print_sheet(app: &TestApp, form: &[(&str, &str)]) -> reqwest::Response {
    app.client
        .post(format!("{}/api/v1/links/sheet", app.url))
        .header("Origin", &app.url)
        .form(form)
        .send()
        .await
        .unwrap()
}

/// The secret in a link's address, after `#`.
fn secret_of(link: &Value) -> String {
    let url = link["url"].as_str().unwrap();
    url.split_once("/s#").unwrap().1.to_string()
}

/// Opens a link in a new browser; its answer.
async fn open(app: &TestApp, client: &reqwest::Client, secret: &str) -> reqwest::Response {
    client
        .post(format!("{}/api/v1/auth/link", app.url))
        .json(&json!({ "secret": secret }))
        .send()
        .await
        .unwrap()
}

async fn me(app: &TestApp, client: &reqwest::Client) -> reqwest::Response {
    client
        .get(format!("{}/api/v1/auth/me", app.url))
        .send()
        .await
        .unwrap()
}

async fn code_of(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    (status, body["code"].as_str().unwrap_or("").to_string())
}

async fn school(app: &TestApp, name: &str) -> i64 {
    app.id_of("schools", "name", name).await
}

#[tokio::test]
async fn a_link_opens_a_session_for_its_school_which_confirms_only_its_own_screenings() {
    let app = spawn_app().await;
    let campaign = app.current_campaign().await;
    let (diaozhuang, boai) = (
        school(&app, "雕庄小学").await,
        school(&app, "博爱小学").await,
    );
    let links = issue(
        &app,
        json!({"campaign_id": campaign, "school_ids": [boai, diaozhuang], "days_valid": 30}),
    )
    .await;
    assert_eq!(links.len(), 2);
    let mut clients = Vec::new();
    for link in &links {
        assert!(
            link["url"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{}/s#", app.url)),
            "{link}"
        );
        assert_eq!(link["campaign_id"], campaign);
        let client = cookie_client();
        let res = open(&app, &client, &secret_of(link)).await;
        assert_eq!(res.status(), 200, "the link opens");
        let who: Value = me(&app, &client).await.json().await.unwrap();
        assert_eq!(who["role"], "school");
        assert_eq!(who["school_id"], link["school_id"]);
        clients.push((link["school_id"].as_i64().unwrap(), client));
    }
    let school_client = &clients.iter().find(|(id, _)| *id == diaozhuang).unwrap().1;

    // An assignment for both schools, open yesterday (or on New Year's day).
    let today = humiao_server::clock::today();
    let year_start = chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), 1, 1).unwrap();
    let day = (today - chrono::Duration::days(1))
        .max(year_start)
        .to_string();
    let film = app.get_json("/api/v1/films").await[0]["id"].clone();
    let res = app
        .post_json(
            "/api/v1/assignments",
            &json!({"campaign_id": campaign, "title": "链接测试观看任务", "film_ids": [film],
                    "school_ids": [diaozhuang, boai], "opens_on": day, "closes_on": day}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let assignment = res.json::<Value>().await.unwrap()["id"].clone();

    let res = school_client
        .get(format!("{}/api/v1/assignments?limit=1000", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let listed: Vec<Value> = res.json().await.unwrap();
    let expected = app
        .get(&format!(
            "/api/v1/assignments?school_id={diaozhuang}&campaign_id={campaign}"
        ))
        .await
        .headers()["x-total-count"]
        .to_str()
        .unwrap()
        .parse::<usize>()
        .unwrap();
    assert_eq!(
        listed.len(),
        expected,
        "the school sees its assignments of the link's campaign"
    );
    assert!(listed.iter().any(|a| a["id"] == assignment));
    for a in &listed {
        let schools = a["school_ids"].as_array().unwrap();
        assert!(schools.contains(&json!(diaozhuang)), "only its own: {a}");
    }

    let confirm = |school: i64| {
        school_client
            .post(format!("{}/api/v1/confirmations", app.url))
            .json(
                &json!({"assignment_id": assignment, "school_id": school, "film_id": film,
                          "shown_on": day, "students": 10, "parents": 2, "classes": 1,
                          "method": "classroom"}),
            )
            .send()
    };
    assert_eq!(confirm(diaozhuang).await.unwrap().status(), 201);
    assert_eq!(
        confirm(boai).await.unwrap().status(),
        403,
        "not for another school"
    );

    // Another campaign's assignment (the demo has one a year) is outside the link.
    let (other,): (i64,) = sqlx::query_as(
        "SELECT a.id FROM screening_assignments a
         JOIN assignment_schools x ON x.assignment_id = a.id
         WHERE a.campaign_id <> $1 AND x.school_id = $2 ORDER BY a.id LIMIT 1",
    )
    .bind(campaign)
    .bind(diaozhuang)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let res = school_client
        .post(format!("{}/api/v1/confirmations", app.url))
        .json(
            &json!({"assignment_id": other, "school_id": diaozhuang, "film_id": film,
                      "shown_on": "2024-06-03", "students": 10, "parents": 2, "classes": 1,
                      "method": "classroom"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "only the link's campaign");
}

#[tokio::test]
async fn a_revoked_link_ends_its_sessions_at_once_and_opens_nothing_again() {
    let app = spawn_app().await;
    let campaign = app.current_campaign().await;
    let diaozhuang = school(&app, "雕庄小学").await;
    let first = issue(
        &app,
        json!({"campaign_id": campaign, "school_ids": [diaozhuang]}),
    )
    .await
    .remove(0);
    let client = cookie_client();
    assert_eq!(open(&app, &client, &secret_of(&first)).await.status(), 200);
    assert_eq!(me(&app, &client).await.status(), 200);

    let id = first["id"].as_i64().unwrap();
    let revoke = |id: i64| {
        app.client
            .delete(format!("{}/api/v1/links/{id}", app.url))
            .send()
    };
    assert_eq!(revoke(id).await.unwrap().status(), 204);
    let (status, _) = code_of(me(&app, &client).await).await;
    assert!(
        status == 401 || status == 410,
        "the open session stops: {status}"
    );
    assert_eq!(
        code_of(open(&app, &cookie_client(), &secret_of(&first)).await).await,
        (410, "link_revoked".into())
    );
    assert_eq!(
        revoke(id).await.unwrap().status(),
        204,
        "revoking again changes nothing"
    );
    assert_eq!(revoke(987_654).await.unwrap().status(), 404);
    let listed = app
        .get_json(&format!("/api/v1/links?school_id={diaozhuang}"))
        .await;
    assert_eq!(listed[0]["id"], id);
    assert_eq!(listed[0]["state"], "revoked");
    assert!(listed[0]["revoked_at"].is_string());
    assert_eq!(listed[0]["created_by"], "admin");

    // A new link for the school and campaign replaces the one before it.
    let second = issue(
        &app,
        json!({"campaign_id": campaign, "school_ids": [diaozhuang]}),
    )
    .await
    .remove(0);
    let third = issue(
        &app,
        json!({"campaign_id": campaign, "school_ids": [diaozhuang]}),
    )
    .await
    .remove(0);
    assert_eq!(
        code_of(open(&app, &cookie_client(), &secret_of(&second)).await).await,
        (410, "link_revoked".into())
    );
    assert_eq!(
        open(&app, &cookie_client(), &secret_of(&third))
            .await
            .status(),
        200
    );
    let states: Vec<(i64, String)> = app
        .get_json(&format!(
            "/api/v1/links?campaign_id={campaign}&school_id={diaozhuang}"
        ))
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["id"].as_i64().unwrap(),
                l["state"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let id_of = |l: &Value| l["id"].as_i64().unwrap();
    assert_eq!(
        states,
        [
            (id_of(&third), "active".to_string()),
            (id_of(&second), "revoked".to_string()),
            (id, "revoked".to_string()),
        ]
    );

    // Every issue and revocation is in the audit log, under the administrator's name.
    let (issued, revoked): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM audit_log WHERE resource = 'school_links'
                   AND action = 'issue' AND actor = 'admin'),
                (SELECT COUNT(*) FROM audit_log WHERE resource = 'school_links'
                   AND action = 'revoke' AND actor = 'admin')",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!((issued, revoked), (3, 2));
}

#[tokio::test]
async fn expired_and_unknown_links_open_nothing() {
    let app = spawn_app().await;
    let campaign = app.current_campaign().await;
    let diaozhuang = school(&app, "雕庄小学").await;
    let link = issue(
        &app,
        json!({"campaign_id": campaign, "school_ids": [diaozhuang], "days_valid": 1}),
    )
    .await
    .remove(0);
    let client = cookie_client();
    assert_eq!(open(&app, &client, &secret_of(&link)).await.status(), 200);
    sqlx::query("UPDATE school_links SET expires_at = $1 WHERE id = $2")
        .bind("2020-01-01T00:00:00.000Z")
        .bind(link["id"].as_i64().unwrap())
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        code_of(me(&app, &client).await).await,
        (410, "link_expired".into()),
        "the open session stops"
    );
    assert_eq!(
        code_of(open(&app, &cookie_client(), &secret_of(&link)).await).await,
        (410, "link_expired".into())
    );
    let listed = app.get_json("/api/v1/links").await;
    assert_eq!(listed[0]["state"], "expired");

    let unknown = "0".repeat(64);
    assert_eq!(
        code_of(open(&app, &cookie_client(), &unknown).await).await,
        (404, "not_found".into())
    );
}

#[tokio::test]
async fn only_administrators_handle_links_and_refusals_are_audited() {
    let app = spawn_app().await;
    let campaign = app.current_campaign().await;
    let link = issue(&app, json!({"campaign_id": campaign, "school_ids": [1]}))
        .await
        .remove(0);
    let school_session = cookie_client();
    assert_eq!(
        open(&app, &school_session, &secret_of(&link))
            .await
            .status(),
        200
    );
    let requests = |client: &reqwest::Client| {
        let url = &app.url;
        vec![
            client.get(format!("{url}/api/v1/links")),
            client
                .post(format!("{url}/api/v1/links"))
                .json(&json!({"campaign_id": campaign, "school_ids": [1]})),
            client.get(format!("{url}/api/v1/links/sheet?campaign_id={campaign}")),
            client
                .post(format!("{url}/api/v1/links/sheet"))
                .form(&[("campaign_id", campaign.to_string())]),
            client.delete(format!("{url}/api/v1/links/{}", link["id"])),
            client
                .post(format!("{url}/api/v1/links/preview"))
                .json(&json!({"campaign_id": campaign})),
        ]
    };
    let denied = || async {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM audit_log WHERE resource = 'school_links' AND action = 'denied'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        n
    };
    let mut clients = vec![("school link", school_session)];
    for name in [
        "leader",
        "leader.tianning",
        "officer.diaozhuang",
        "school.diaozhuang",
    ] {
        clients.push((name, app.client_as(name).await));
    }
    for (name, client) in &clients {
        let before = denied().await;
        for request in requests(client) {
            let res = request.send().await.unwrap();
            let what = format!("{} {}", name, res.url().path());
            assert_eq!(code_of(res).await, (403, "forbidden".into()), "{what}");
        }
        assert_eq!(denied().await, before + 6, "{name}: each refusal audited");
    }
    for request in requests(&cookie_client()) {
        let res = request.send().await.unwrap();
        assert_eq!(res.status(), 401, "anonymous {}", res.url().path());
    }
    // Nothing was issued or revoked by the refused requests.
    assert_eq!(app.count("school_links").await, 1);
    assert_eq!(
        open(&app, &cookie_client(), &secret_of(&link))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn a_request_for_links_names_a_live_campaign_known_schools_and_up_to_a_year() {
    let app = spawn_app().await;
    let campaign = app.current_campaign().await;
    let cases = [
        (json!({}), "campaign_id", "required"),
        (
            json!({"campaign_id": 987_654}),
            "campaign_id",
            "unknown_value",
        ),
        (
            json!({"campaign_id": campaign, "school_ids": [1, 987_654]}),
            "school_ids",
            "unknown_value",
        ),
        (
            json!({"campaign_id": campaign, "school_ids": [1, 1]}),
            "school_ids",
            "duplicate_value",
        ),
        (
            json!({"campaign_id": campaign, "school_ids": []}),
            "school_ids",
            "required",
        ),
        (
            json!({"campaign_id": campaign, "days_valid": 0}),
            "days_valid",
            "too_small",
        ),
        (
            json!({"campaign_id": campaign, "days_valid": 367}),
            "days_valid",
            "too_large",
        ),
    ];
    for (body, field, code) in cases {
        let res = app.post_json("/api/v1/links", &body).await;
        assert_eq!(res.status(), 422, "{body}");
        let answer: Value = res.json().await.unwrap();
        assert_eq!(answer["fields"][0]["field"], field, "{body}: {answer}");
        assert_eq!(answer["fields"][0]["code"], code, "{body}: {answer}");
    }
    let c = campaign.to_string();
    let sheets: [(&[(&str, &str)], u16); 6] = [
        (&[], 422),
        (&[("campaign_id", "x")], 400),
        (&[("campaign_id", &c), ("school_ids", "1,x")], 400),
        (&[("campaign_id", &c), ("days_valid", "400")], 422),
        (&[("campaign_id", &c), ("days_valid", "soon")], 400),
        (&[("campaign_id", &c), ("school_ids", "987654")], 422),
    ];
    for (form, status) in sheets {
        let res = print_sheet(&app, form).await;
        assert_eq!(res.status(), status, "sheet {form:?}");
    }
    assert_eq!(app.count("school_links").await, 0, "nothing was issued");

    // A year at most, from now.
    let link = issue(
        &app,
        json!({"campaign_id": campaign, "school_ids": [1], "days_valid": 366}),
    )
    .await
    .remove(0);
    let expires: chrono::DateTime<chrono::Utc> =
        link["expires_at"].as_str().unwrap().parse().unwrap();
    let days = (expires - chrono::Utc::now()).num_hours() as f64 / 24.0;
    assert!((365.9..=366.0).contains(&days), "{days}");
    let default = issue(&app, json!({"campaign_id": campaign, "school_ids": [1]}))
        .await
        .remove(0);
    let expires: chrono::DateTime<chrono::Utc> =
        default["expires_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        (expires - chrono::Utc::now()).num_days(),
        179,
        "180 days by default"
    );
}

#[tokio::test]
async fn the_sheet_prints_a_qr_code_per_school_escapes_names_and_replaces_earlier_links() {
    let app = spawn_app().await;
    let campaign = app.current_campaign().await;
    let (live,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM schools WHERE deleted_at IS NULL")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(live, 855, "the demo's schools");

    // Links issued before the sheet, for every school.
    let started = Instant::now();
    let before = issue(&app, json!({"campaign_id": campaign})).await;
    let issuing = started.elapsed();
    assert_eq!(before.len(), 855);
    // The database holds hashes, never a secret.
    for link in before.iter().step_by(50) {
        let secret = secret_of(link);
        let (plain, hashed): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM school_links WHERE token_hash = $1),
                    (SELECT COUNT(*) FROM school_links WHERE token_hash = $2)",
        )
        .bind(&secret)
        .bind(humiao_server::token::digest(&secret))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!((plain, hashed), (0, 1), "{secret}");
    }

    let evil = "<img src=x onerror=alert(1)>";
    sqlx::query("UPDATE schools SET name = $1 WHERE name = '雕庄小学'")
        .bind(evil)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let started = Instant::now();
    let res = print_sheet(&app, &[("campaign_id", &campaign.to_string())]).await;
    let answered = started.elapsed();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "text/html; charset=utf-8",
        "a page"
    );
    let page = res.text().await.unwrap();
    let printing = started.elapsed();
    eprintln!(
        "POST /links for 855 schools: {issuing:?}; POST /links/sheet: {answered:?} to answer, \
         {printing:?} with its {} bytes",
        page.len()
    );
    assert_eq!(page.matches("<svg").count(), 855, "a QR code per school");
    assert_eq!(page.matches("class=\"card\"").count(), 855);
    assert_eq!(page.matches("<section class=\"page\">").count(), 72);
    assert!(page.contains("@page { size: A4; margin: 12mm }"));
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(!page.contains(evil), "the name is escaped");
    assert!(!page.contains("<script"), "no script: the CSP forbids it");
    assert!(page.contains("天宁分局"), "districts are named");
    assert!(
        page.contains("年警心护苗集中宣防行动"),
        "the campaign is named"
    );
    assert!(
        page.contains("作废"),
        "the page says earlier links stop working"
    );

    // Printing issued new links: the earlier ones are revoked, the new ones are active.
    assert_eq!(
        code_of(open(&app, &cookie_client(), &secret_of(&before[0])).await).await,
        (410, "link_revoked".into())
    );
    let (active, revoked): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM school_links WHERE revoked_at IS NULL),
                (SELECT COUNT(*) FROM school_links WHERE revoked_at IS NOT NULL)",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!((active, revoked), (855, 855));

    // A sheet for a few schools replaces only theirs.
    let one = before[1]["school_id"].as_i64().unwrap();
    let page = print_sheet(
        &app,
        &[
            ("campaign_id", &campaign.to_string()),
            ("school_ids", &one.to_string()),
        ],
    )
    .await
    .text()
    .await
    .unwrap();
    assert_eq!(page.matches("<svg").count(), 1);
    assert_eq!(app.count("school_links").await, 855 * 2 + 1);
}

#[tokio::test]
async fn opening_the_sheet_page_revokes_nothing_and_lists_the_links_in_use() {
    let app = spawn_app().await;
    let campaign = app.current_campaign().await;
    let issued = issue(
        &app,
        json!({"campaign_id": campaign, "school_ids": [1, 2, 3]}),
    )
    .await;
    let evil = "<img src=x onerror=alert(1)>";
    sqlx::query("UPDATE schools SET name = $1 WHERE id = 2")
        .bind(evil)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let rows = || async {
        let rows: Vec<(i64, Option<String>)> =
            sqlx::query_as("SELECT id, revoked_at FROM school_links ORDER BY id")
                .fetch_all(&app.db.pool)
                .await
                .unwrap();
        rows
    };
    let before = rows().await;

    // A reload, a prefetch, a bookmark: all the same GET.
    for _ in 0..2 {
        let res = app
            .get(&format!("/api/v1/links/sheet?campaign_id={campaign}"))
            .await;
        assert_eq!(res.status(), 200);
        let page = res.text().await.unwrap();
        assert_eq!(
            page.matches("<svg").count(),
            0,
            "no QR code: no secret is kept"
        );
        assert!(page.contains("现有 3 个有效链接"), "how many are in use");
        assert!(
            page.contains("将作废 3 个现有链接并重新生成"),
            "what issuing does"
        );
        assert!(page.contains("<form method=\"post\" action=\"/api/v1/links/sheet\">"));
        assert!(page.contains("required"), "issuing needs the box ticked");
        assert!(!page.contains(evil), "names are escaped");
        for link in &issued {
            assert!(page.contains(&format!("<td>{}</td>", link["id"])), "{link}");
        }
        // The schools without a link are named, with a form that issues only theirs.
        let (schools,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM schools WHERE deleted_at IS NULL")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert!(
            page.contains(&format!("{} 所学校还没有生效的链接", schools - 3)),
            "schools without a link"
        );
        let ids = page
            .split_once("name=\"school_ids\" value=\"")
            .unwrap()
            .1
            .split_once('"')
            .unwrap()
            .0;
        let ids: Vec<i64> = ids.split(',').map(|id| id.parse().unwrap()).collect();
        assert_eq!(ids.len() as i64, schools - 3);
        assert!(!ids.iter().any(|id| [1, 2, 3].contains(id)), "{ids:?}");
    }
    assert_eq!(rows().await, before, "no link issued or revoked");
    assert_eq!(
        open(&app, &cookie_client(), &secret_of(&issued[0]))
            .await
            .status(),
        200,
        "the printed QR codes still work"
    );

    // What the GET answers for what does not exist.
    let cases = [
        (String::new(), 422),
        ("campaign_id=987654".to_string(), 404),
        ("campaign_id=x".to_string(), 400),
    ];
    for (query, status) in cases {
        let res = app.get(&format!("/api/v1/links/sheet?{query}")).await;
        assert_eq!(res.status(), status, "sheet?{query}");
    }
    assert_eq!(rows().await, before);
}

#[tokio::test]
async fn a_sheet_posted_from_another_site_is_refused_and_issues_nothing() {
    let app = spawn_app().await;
    let campaign = app.current_campaign().await.to_string();
    let res = app
        .client
        .post(format!("{}/api/v1/links/sheet", app.url))
        .header("Origin", "https://evil.example")
        .form(&[("campaign_id", campaign.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(code_of(res).await, (403, "cross_site_request".into()));
    assert_eq!(app.count("school_links").await, 0);
}

/// What the admin page counts before it asks to confirm a new sheet.
#[tokio::test]
async fn links_are_listed_by_state() {
    let app = spawn_app().await;
    let campaign = app.current_campaign().await;
    let issued = issue(
        &app,
        json!({"campaign_id": campaign, "school_ids": [1, 2, 3]}),
    )
    .await;
    sqlx::query("UPDATE school_links SET expires_at = '2000-01-01T00:00:00.000Z' WHERE id = $1")
        .bind(issued[2]["id"].as_i64().unwrap())
        .execute(&app.db.pool)
        .await
        .unwrap();
    let revoked = issued[0]["id"].as_i64().unwrap();
    let res = app
        .client
        .delete(format!("{}/api/v1/links/{revoked}", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    for (state, want) in [("active", 1), ("revoked", 1), ("expired", 1)] {
        let listed = app
            .get_json(&format!(
                "/api/v1/links?campaign_id={campaign}&state={state}"
            ))
            .await;
        assert_eq!(listed.as_array().unwrap().len(), want, "{state}: {listed}");
    }
}

/// The preview of an issue, as the admin page asks for it before issuing.
async fn preview(app: &TestApp, body: Value) -> (i64, i64) {
    let res = app.post_json("/api/v1/links/preview", &body).await;
    let status = res.status();
    let answer: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{answer}");
    (
        answer["schools"].as_i64().unwrap(),
        answer["revokes"].as_i64().unwrap(),
    )
}

#[tokio::test]
async fn issuing_is_previewed_with_the_links_it_would_revoke_and_the_preview_changes_nothing() {
    let app = spawn_app().await;
    let campaign = app.current_campaign().await;
    let (schools,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM schools WHERE deleted_at IS NULL")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        preview(&app, json!({"campaign_id": campaign})).await,
        (schools, 0),
        "nothing issued yet: nothing to revoke"
    );
    let issued = issue(
        &app,
        json!({"campaign_id": campaign, "school_ids": [1, 2, 3]}),
    )
    .await;
    // One of them expired: a link no school can use is not counted as revoked.
    sqlx::query("UPDATE school_links SET expires_at = '2000-01-01T00:00:00.000Z' WHERE id = $1")
        .bind(issued[2]["id"].as_i64().unwrap())
        .execute(&app.db.pool)
        .await
        .unwrap();
    let rows = || async {
        let rows: Vec<(i64, Option<String>)> =
            sqlx::query_as("SELECT id, revoked_at FROM school_links ORDER BY id")
                .fetch_all(&app.db.pool)
                .await
                .unwrap();
        rows
    };
    let before = rows().await;
    let audited = app.count("audit_log").await;
    assert_eq!(
        preview(&app, json!({"campaign_id": campaign})).await,
        (schools, 2)
    );
    assert_eq!(
        preview(&app, json!({"campaign_id": campaign, "school_ids": [1]})).await,
        (1, 1)
    );
    assert_eq!(
        preview(&app, json!({"campaign_id": campaign, "school_ids": [4, 5]})).await,
        (2, 0)
    );
    // Another campaign's links are not this campaign's to revoke.
    let (other,): (i64,) = sqlx::query_as("SELECT id FROM campaigns WHERE id <> $1 LIMIT 1")
        .bind(campaign)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        preview(&app, json!({"campaign_id": other, "school_ids": [1]})).await,
        (1, 0)
    );
    assert_eq!(rows().await, before, "a preview issues and revokes nothing");
    assert_eq!(app.count("audit_log").await, audited);
    assert_eq!(
        open(&app, &cookie_client(), &secret_of(&issued[0]))
            .await
            .status(),
        200,
        "the links in use still work"
    );

    // A preview checks its body as issuing does.
    let res = app
        .post_json("/api/v1/links/preview", &json!({"campaign_id": 987_654}))
        .await;
    assert_eq!(code_of(res).await, (422, "validation_failed".into()));

    // The confirmed call revokes what the preview said, and no more.
    issue(&app, json!({"campaign_id": campaign})).await;
    let (revoked_in_use,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM school_links WHERE revoked_at IS NOT NULL
           AND expires_at > '2001-01-01'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(revoked_in_use, 2);
    assert_eq!(
        preview(&app, json!({"campaign_id": campaign})).await,
        (schools, schools)
    );
}

#[tokio::test]
async fn links_are_paged_and_found_by_school_name_or_code_with_their_campaign() {
    let app = spawn_app().await;
    let campaign = app.current_campaign().await;
    let issued = issue(
        &app,
        json!({"campaign_id": campaign, "school_ids": [1, 2, 3, 4, 5]}),
    )
    .await;
    // A second link for school 1 revokes its first: six links, five schools.
    issue(&app, json!({"campaign_id": campaign, "school_ids": [1]})).await;
    let page = |query: String| {
        let app = &app;
        async move {
            let res = app.get(&format!("/api/v1/links?{query}")).await;
            assert_eq!(res.status(), 200, "{query}");
            let total: i64 = res.headers()["x-total-count"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            let rows: Vec<Value> = res.json().await.unwrap();
            (rows, total)
        }
    };
    let mut seen = Vec::new();
    for offset in [0, 4] {
        let (rows, total) = page(format!("limit=4&offset={offset}")).await;
        assert_eq!(total, 6);
        assert_eq!(rows.len(), if offset == 0 { 4 } else { 2 });
        seen.extend(rows.iter().map(|l| l["id"].as_i64().unwrap()));
    }
    let mut sorted = seen.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    sorted.dedup();
    assert_eq!(seen, sorted, "newest first, no link on two pages");
    assert_eq!(seen.len(), 6);

    let (rows, _) = page("limit=1".into()).await;
    let (campaign_name,): (String,) = sqlx::query_as("SELECT name FROM campaigns WHERE id = $1")
        .bind(campaign)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(rows[0]["campaign"], campaign_name.as_str());

    // By part of a name, and by code; `%` and `_` are taken as they are.
    let (name, code): (String, String) =
        sqlx::query_as("SELECT name, code FROM schools WHERE id = 3")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let part: String = name.chars().skip(1).take(2).collect();
    let (matching,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM school_links l JOIN schools s ON s.id = l.school_id
         WHERE s.name LIKE $1",
    )
    .bind(format!("%{part}%"))
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let enc = |s: &str| url_encode(s);
    let (rows, total) = page(format!("q={}&limit=100", enc(&part))).await;
    assert_eq!(total, matching);
    assert!(rows.iter().any(|l| l["id"] == issued[2]["id"]), "{part}");
    assert!(rows
        .iter()
        .all(|l| l["school"].as_str().unwrap().contains(&part)));
    let (rows, total) = page(format!("q={}", enc(&code))).await;
    assert_eq!(total, 1, "code {code}");
    assert_eq!(rows[0]["school_code"], code.as_str());
    assert_eq!(page(format!("q={}", enc("%"))).await.1, 0);
    let (rows, total) = page("school_id=1&state=active&q=".into()).await;
    assert_eq!((rows.len(), total), (1, 1), "filters and an empty search");

    for bad in ["offset=-1", "limit=0", "offset=x"] {
        let res = app.get(&format!("/api/v1/links?{bad}")).await;
        assert_eq!(res.status(), 400, "{bad}");
    }
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn a_school_corrects_its_own_confirmation_and_not_another_schools() {
    let app = spawn_app().await;
    let campaign = app.current_campaign().await;
    let (diaozhuang, boai) = (
        school(&app, "雕庄小学").await,
        school(&app, "博爱小学").await,
    );
    let link = issue(
        &app,
        json!({"campaign_id": campaign, "school_ids": [diaozhuang]}),
    )
    .await
    .remove(0);
    let client = cookie_client();
    assert_eq!(open(&app, &client, &secret_of(&link)).await.status(), 200);
    let today = humiao_server::clock::today();
    let year_start = chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), 1, 1).unwrap();
    let day = (today - chrono::Duration::days(1))
        .max(year_start)
        .to_string();
    let film = app.get_json("/api/v1/films").await[0]["id"].clone();
    let res = app
        .post_json(
            "/api/v1/assignments",
            &json!({"campaign_id": campaign, "title": "更正测试观看任务", "film_ids": [film],
                    "school_ids": [diaozhuang, boai], "opens_on": day, "closes_on": day}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let assignment = res.json::<Value>().await.unwrap()["id"].clone();
    let entry = |school: i64, students: i64| {
        json!({"assignment_id": assignment, "school_id": school, "film_id": film,
               "shown_on": day, "students": students, "parents": 2, "classes": 1,
               "method": "classroom"})
    };
    let res = client
        .post(format!("{}/api/v1/confirmations", app.url))
        .json(&entry(diaozhuang, 10))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let mine: Value = res.json().await.unwrap();
    let res = app
        .post_json("/api/v1/confirmations", &entry(boai, 30))
        .await;
    assert_eq!(res.status(), 201);
    let theirs: Value = res.json().await.unwrap();

    let put = |id: &Value, version: &Value, body: Value| {
        client
            .put(format!("{}/api/v1/confirmations/{id}", app.url))
            .header("If-Match", format!("\"{version}\""))
            .json(&body)
            .send()
    };
    let res = put(&mine["id"], &mine["version"], entry(diaozhuang, 12))
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let corrected: Value = res.json().await.unwrap();
    assert_eq!(corrected["students"], 12);
    assert_eq!(corrected["id"], mine["id"]);

    // The version read is needed: a second tab's older copy is refused.
    let res = put(&mine["id"], &mine["version"], entry(diaozhuang, 14))
        .await
        .unwrap();
    assert_eq!(res.status(), 409, "stale version");
    // Another school's confirmation is not there for this school; nor can its own be
    // moved to another school.
    let res = put(&theirs["id"], &theirs["version"], entry(boai, 1))
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let res = put(&mine["id"], &corrected["version"], entry(boai, 12))
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    // Over the roll: refused beside the students, as a new one is.
    let res = put(
        &mine["id"],
        &corrected["version"],
        entry(diaozhuang, 1_000_000),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert!(
        body["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["field"] == "students" && f["code"] == "exceeds_enrolment"),
        "{body}"
    );
    let stored: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT school_id, students FROM screening_confirmations WHERE assignment_id = $1
         ORDER BY school_id",
    )
    .bind(assignment.as_i64().unwrap())
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let mut want = vec![(diaozhuang, 12), (boai, 30)];
    want.sort_unstable();
    assert_eq!(stored, want, "only the school's own correction stored");
}
