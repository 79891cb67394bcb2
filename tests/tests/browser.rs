//! The app in headless Chromium: an officer logs a session through the form, and the
//! leaders' chart and table include it.

use humiao_tests::browser::Browser;
use humiao_tests::{spawn_app, DEMO_PASSWORD};

/// Reads 天宁分局's session count from the table under the dashboard's chart.
async fn tianning_sessions(browser: &Browser, url: &str) -> i64 {
    browser
        .client
        .goto(&format!("{url}/dashboard"))
        .await
        .unwrap();
    browser
        .wait_for("#chart-sessions-by-district svg")
        .await
        .unwrap();
    let text = browser
        .text_of("#table-sessions-by-district tr[data-district='1'] td.sessions")
        .await
        .unwrap();
    text.trim().parse().expect("a count")
}

/// Signs in through the form; a wrong password first shows the server's message.
async fn sign_in(browser: &Browser, url: &str, username: &str) {
    browser.client.goto(url).await.unwrap();
    browser.type_into("#username", username).await.unwrap();
    browser
        .type_into("#password", "not the password")
        .await
        .unwrap();
    browser
        .click("form.login button[type=submit]")
        .await
        .unwrap();
    let refused = browser.text_of("form.login [role=alert]").await.unwrap();
    assert_eq!(refused, "用户名或密码不正确");
    browser.screenshot("login").await.unwrap();
    // The form empties the password after a refusal.
    browser.type_into("#password", DEMO_PASSWORD).await.unwrap();
    browser
        .click("form.login button[type=submit]")
        .await
        .unwrap();
    let who = browser.text_of("header .who").await.unwrap();
    assert!(who.starts_with(username), "{who}");
}

#[tokio::test]
async fn an_officer_logs_a_session_and_the_chart_counts_it() {
    let app = spawn_app().await;
    let browser = Browser::start().await.expect("Chromium starts");
    sign_in(&browser, &app.url, "officer.diaozhuang").await;
    let before = tianning_sessions(&browser, &app.url).await;
    let chart = browser
        .wait_for("#chart-sessions-by-district svg")
        .await
        .unwrap();
    assert!(chart.html(false).await.unwrap().contains("天宁分局"));
    browser.screenshot("dashboard").await.unwrap();

    browser.client.goto(&app.url).await.unwrap();
    let station = app
        .id_of("stations", "name", "雕庄派出所")
        .await
        .to_string();
    let school = app.id_of("schools", "name", "雕庄小学").await.to_string();
    // The officer's station is chosen already (once the list has loaded).
    browser
        .wait_for(&format!("#station_id option[value='{station}']:checked"))
        .await
        .expect("the officer's station is selected");
    browser
        .click(&format!("#school_id option[value='{school}']"))
        .await
        .unwrap();
    let sessions_before = app.count("sessions").await;

    // The shared rules run in the browser first: no topic chosen, nothing is sent.
    browser
        .type_into("#audience-students", "120")
        .await
        .unwrap();
    browser.click("button[type=submit]").await.unwrap();
    let message = browser.text_of("#topic_ids-error").await.unwrap();
    assert_eq!(message, "必填项");
    assert_eq!(app.count("sessions").await, sessions_before);

    browser.click(".chip").await.unwrap();
    browser.type_into("#audience-parents", "15").await.unwrap();
    browser.screenshot("log-session").await.unwrap();
    browser.click("button[type=submit]").await.unwrap();
    let saved = browser.text_of(".notice.ok").await.unwrap();
    assert!(
        saved.contains("雕庄小学") && saved.contains("135 人次"),
        "{saved}"
    );
    assert_eq!(app.count("sessions").await, sessions_before + 1);

    assert_eq!(tianning_sessions(&browser, &app.url).await, before + 1);
    browser.screenshot("dashboard-after").await.unwrap();
}

#[tokio::test]
async fn a_school_opens_its_link_and_is_signed_in_without_a_password() {
    let app = spawn_app().await;
    let school = app.id_of("schools", "name", "雕庄小学").await;
    let res = app
        .post_json(
            "/api/v1/links",
            &serde_json::json!({"campaign_id": app.current_campaign().await, "school_ids": [school]}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let links: serde_json::Value = res.json().await.unwrap();
    let url = links[0]["url"].as_str().unwrap();

    let browser = Browser::start().await.expect("Chromium starts");
    browser.client.goto(url).await.unwrap();
    let who = browser.text_of("header .who").await.unwrap();
    assert_eq!(who, format!("link:{school}（学校）"));
    let address = browser.client.current_url().await.unwrap();
    assert!(
        address.fragment().is_none(),
        "the secret leaves the address bar: {address}"
    );
}
