//! The app in headless Chromium: an officer logs a session through the form, and the
//! leaders' chart and table include it; a school opens its link and confirms a film; a
//! session ended elsewhere brings back the sign-in form; a dashboard view is one request. More journeys are in
//! `journeys.rs`.

use humiao_tests::browser::Browser;
use humiao_tests::{spawn_app, DEMO_PASSWORD};

/// Reads the sessions figure at the top of the dashboard (an officer's: the station's).
async fn sessions_figure(browser: &Browser, url: &str) -> i64 {
    browser
        .client
        .goto(&format!("{url}/dashboard"))
        .await
        .unwrap();
    browser.wait_for(".chart svg").await.unwrap();
    let text = browser.text_of("#figure-sessions .value").await.unwrap();
    text.trim().replace(',', "").parse().expect("a count")
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
    let before = sessions_figure(&browser, &app.url).await;
    // An officer's dashboard is the station's: its chart is by station.
    let chart = browser
        .wait_for("#chart-sessions-by-station svg")
        .await
        .unwrap();
    assert!(chart
        .html(false)
        .await
        .unwrap()
        .contains("各派出所宣讲场次与受众人次"));
    browser.screenshot("dashboard").await.unwrap();

    browser.client.goto(&app.url).await.unwrap();
    let station = app
        .id_of("stations", "name", "雕庄派出所")
        .await
        .to_string();
    // The officer's station is chosen already (once the list has loaded).
    browser
        .wait_for(&format!("#station_id option[value='{station}']:checked"))
        .await
        .expect("the officer's station is selected");
    // The school is found by typing part of its name and picking it from the list.
    browser.type_into("#school_id", "雕庄小学").await.unwrap();
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

    assert_eq!(sessions_figure(&browser, &app.url).await, before + 1);
    let chart = browser
        .wait_for("#chart-sessions-by-station svg")
        .await
        .unwrap();
    assert!(
        chart.html(false).await.unwrap().contains("雕庄派出所"),
        "the station's bar is drawn"
    );
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

#[tokio::test]
async fn a_school_confirms_a_film_with_its_rules_beside_the_fields() {
    let app = spawn_app().await;
    let school = app.id_of("schools", "name", "雕庄小学").await;
    let roll = app.get_json(&format!("/api/v1/schools/{school}")).await["enrolment"]
        .as_i64()
        .unwrap();
    // A new film, asked of this school today.
    let film = app
        .post_json(
            "/api/v1/films",
            &serde_json::json!({"title": "测试：防溺水", "minutes": 12, "topic_ids": [1]}),
        )
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let today = humiao_server::clock::today().to_string();
    let res = app
        .post_json(
            "/api/v1/assignments",
            &serde_json::json!({"campaign_id": app.current_campaign().await, "title": "浏览器测试观看",
                                "film_ids": [film], "school_ids": [school],
                                "opens_on": today, "closes_on": today}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let assignment = res.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let before = app.count("screening_confirmations").await;

    let browser = Browser::start().await.expect("Chromium starts");
    sign_in(&browser, &app.url, "school.diaozhuang").await;
    // The newest request comes first, above the years before.
    assert_eq!(
        browser.text_of("section.assignment h2").await.unwrap(),
        "浏览器测试观看"
    );
    let form = format!("c{assignment}-{film}");
    // More students than the roll: the shared rule answers beside the field, nothing is sent.
    browser
        .type_into(&format!("#{form}-students"), &(roll + 1).to_string())
        .await
        .unwrap();
    browser
        .click(&format!("li[data-film='{film}'] button[type=submit]"))
        .await
        .unwrap();
    let message = browser
        .text_of(&format!("#{form}-students-error"))
        .await
        .unwrap();
    assert_eq!(message, "学生人数超过该校在册人数");
    assert_eq!(app.count("screening_confirmations").await, before);
    browser.screenshot("school").await.unwrap();

    let field = browser
        .wait_for(&format!("#{form}-students"))
        .await
        .unwrap();
    field.clear().await.unwrap();
    field.send_keys("120").await.unwrap();
    browser
        .type_into(&format!("#{form}-parents"), "30")
        .await
        .unwrap();
    browser
        .type_into(&format!("#{form}-classes"), "3")
        .await
        .unwrap();
    browser
        .click(&format!("li[data-film='{film}'] button[type=submit]"))
        .await
        .unwrap();
    let done = browser
        .text_of(&format!("li[data-film='{film}'] p.ok"))
        .await
        .unwrap();
    assert!(done.contains("学生 120 人"), "{done}");
    assert_eq!(app.count("screening_confirmations").await, before + 1);
}

#[tokio::test]
async fn a_session_ended_elsewhere_brings_back_the_sign_in_form() {
    let app = spawn_app().await;
    let browser = Browser::start().await.expect("Chromium starts");
    sign_in(&browser, &app.url, "leader").await;
    browser.wait_for(".chart svg").await.unwrap();
    // Ended on the server (an administrator disabled it, or it expired).
    sqlx::query("UPDATE auth_sessions SET ended_at = '2026-01-01T00:00:00.000Z'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    // The next thing the leader does asks the server: opening a district.
    browser
        .click("#table-places[data-level=district] button.drill")
        .await
        .unwrap();
    let notice = browser.text_of("main [role=alert]").await.unwrap();
    assert_eq!(notice, "登录已超时或已在别处退出，请重新登录。");
    browser.wait_for("form.login #username").await.unwrap();
}

/// The `/api/v1/` requests the page has made since it was loaded, by path and query.
async fn api_requests(browser: &Browser) -> Vec<String> {
    let names = browser
        .client
        .execute(
            "return performance.getEntriesByType('resource').map(e => e.name)
                .filter(n => n.includes('/api/v1/'));",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(names).unwrap()
}

fn counted(requests: &[String], path: &str) -> usize {
    requests.iter().filter(|r| r.contains(path)).count()
}

#[tokio::test]
async fn a_dashboard_view_is_one_request_and_a_drill_down_one_more() {
    let app = spawn_app().await;
    let browser = Browser::start().await.expect("Chromium starts");
    browser.sign_in(&app.url, "leader").await.unwrap();
    browser
        .client
        .goto(&format!("{}/dashboard", app.url))
        .await
        .unwrap();
    browser
        .wait_for("#table-places[data-level=district] button.drill")
        .await
        .unwrap();
    browser
        .wait_until_true(
            "return performance.getEntriesByName('dashboard-drawn', 'mark').length > 0;",
        )
        .await
        .unwrap();
    let requests = api_requests(&browser).await;
    assert_eq!(
        counted(&requests, "/api/v1/dashboard"),
        1,
        "one view, one request: {requests:#?}"
    );
    assert_eq!(
        counted(&requests, "/api/v1/aggregates/"),
        0,
        "{requests:#?}"
    );

    browser
        .click("#table-places[data-level=district] button.drill")
        .await
        .unwrap();
    browser
        .wait_for("#table-places[data-level=station]")
        .await
        .unwrap();
    let requests = api_requests(&browser).await;
    assert_eq!(
        counted(&requests, "/api/v1/dashboard"),
        2,
        "a district opened is one more request: {requests:#?}"
    );
    assert_eq!(
        counted(&requests, "/api/v1/aggregates/"),
        0,
        "{requests:#?}"
    );
    let asked = requests
        .iter()
        .rfind(|r| r.contains("/api/v1/dashboard"))
        .unwrap();
    assert!(asked.contains("district_id="), "{asked}");

    // Each headline figure carries its definition (口径), from `shared::definitions`.
    browser
        .click("#figure-reoffence details.definition summary")
        .await
        .unwrap();
    let definition = browser
        .text_of("#figure-reoffence details.definition")
        .await
        .unwrap();
    let written = humiao_shared::definitions::Figure::ReoffenceRate.definition();
    assert!(definition.contains(written.zh), "{definition}");
    let rate = browser.text_of("#figure-reoffence .value").await.unwrap();
    assert!(
        rate == "—" || (rate.ends_with('%') && rate.contains('.')),
        "a percentage with one decimal, or a dash: {rate}"
    );
    // An open definition at a phone's width, for people to read (no tiny text).
    browser.client.set_window_size(360, 1000).await.unwrap();
    browser
        .screenshot_whole_page("dashboard-definition-360")
        .await
        .unwrap();
}
