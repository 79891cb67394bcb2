//! The app in headless Chromium: an officer logs a session through the form, and the
//! leaders' chart and table include it; a school opens its link and confirms a film; a
//! session ended elsewhere brings back the sign-in form; a dashboard view is one request; on
//! a 360 px phone, an administrator issues, copies and revokes schools' links only after
//! being told what that revokes, and a school sees its films left to confirm first and
//! corrects a confirmation; every chart of the leaders' page is drawn for its width with
//! readable text, on a phone and on a desktop. More journeys are in `journeys.rs`.

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
    // A school's name comes a moment after the header itself.
    browser
        .wait_for_text("header .who", |who| {
            humiao_tests::browser::shows(who, username)
        })
        .await
        .unwrap();
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
    // The school's name, not the account a link signs in (`link:{school}`).
    let who = browser
        .wait_for_text("header .who", |t| t != "学校")
        .await
        .unwrap();
    assert_eq!(who, "雕庄小学（学校）");
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
    let roll_text = humiao_shared::charts::thousands(roll);
    assert_eq!(message, format!("超过本校在册学生数 {roll_text}"));
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
        .text_of(&format!("li[data-film='{film}'] dl.confirmation"))
        .await
        .unwrap();
    assert!(done.contains("120"), "{done}");
    browser
        .text_of(&format!("li[data-film='{film}'] .thanks"))
        .await
        .unwrap();
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

/// Fails unless nothing in the page is wider than the window: a phone never scrolls sideways.
async fn assert_no_sideways_scroll(browser: &Browser, width: i64, page: &str) {
    let wide = browser
        .client
        .execute("return document.documentElement.scrollWidth;", vec![])
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    assert!(wide <= width, "{page}: {wide} px wide at {width} px");
}

#[tokio::test]
async fn links_page_asks_before_issuing_copying_or_revoking_on_a_phone() {
    let app = spawn_app().await;
    let campaign = app.current_campaign().await;
    let school = app.id_of("schools", "name", "雕庄小学").await;
    let res = app
        .post_json(
            "/api/v1/links",
            &serde_json::json!({"campaign_id": campaign, "school_ids": [1, 2, school]}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let (schools,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM schools WHERE deleted_at IS NULL")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let links = || async {
        let rows: Vec<(i64, Option<String>)> =
            sqlx::query_as("SELECT id, revoked_at FROM school_links ORDER BY id")
                .fetch_all(&app.db.pool)
                .await
                .unwrap();
        rows
    };
    let before = links().await;

    let browser = Browser::start().await.expect("Chromium starts");
    browser.allow_clipboard().await.unwrap();
    browser.client.set_window_size(360, 740).await.unwrap();
    browser.sign_in(&app.url, "admin").await.unwrap();
    browser
        .client
        .goto(&format!("{}/admin/links", app.url))
        .await
        .unwrap();
    let table = browser.text_of("table.links").await.unwrap();
    assert!(table.contains("生效"), "Chinese states: {table}");
    assert!(!table.contains("Active"), "{table}");

    // The sheet: asked first, with the count, and nothing changes until confirmed.
    // The newest campaign is the one chosen.
    let chosen = browser
        .wait_for("#sheet-campaign")
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(chosen, Some(campaign.to_string()));
    let sheet = ".issue-sheet";
    browser
        .click(&format!("{sheet} button.ask-issue"))
        .await
        .unwrap();
    let question = browser
        .text_of(&format!("{sheet} .question"))
        .await
        .unwrap();
    assert!(
        question.starts_with(&format!(
            "将为 {schools} 所学校重新生成链接，旧链接 3 个将作废"
        )),
        "{question}"
    );
    browser
        .client
        .execute(
            "document.querySelector('.issue-sheet').scrollIntoView({block: 'start'});",
            vec![],
        )
        .await
        .unwrap();
    browser.screenshot("links-issue-360").await.unwrap();
    assert_no_sideways_scroll(&browser, 360, "links").await;
    browser
        .click(&format!("{sheet} .confirm-step button.secondary"))
        .await
        .unwrap();
    browser
        .wait_until_gone(&format!("{sheet} .confirm-step"))
        .await
        .unwrap();
    assert_eq!(links().await, before, "asking issued and revoked nothing");

    // One school, found by name; its link copied for WeChat once the new link is agreed.
    browser
        .type_into("#links-search", "雕庄小学")
        .await
        .unwrap();
    browser
        .wait_until_true("return document.querySelectorAll('table.links tbody tr').length === 1;")
        .await
        .unwrap();
    browser.click("table.links button.copy-link").await.unwrap();
    let question = browser
        .text_of("table.links .confirm-step .question")
        .await
        .unwrap();
    assert!(
        question.starts_with("将为 1 所学校重新生成链接，旧链接 1 个将作废"),
        "{question}"
    );
    browser
        .click("table.links .confirm-step button.primary")
        .await
        .unwrap();
    let copied = browser.text_of("table.links .copied").await.unwrap();
    assert!(copied.contains("已复制"), "{copied}");
    let url = browser
        .wait_for("table.links .copied input.url")
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(url.starts_with(&format!("{}/s#", app.url)), "{url}");
    let clipboard = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             navigator.clipboard.readText().then(done, e => done(String(e)));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(clipboard.as_str(), Some(url.as_str()), "what was copied");
    // The list shows the school's new link in use, the old one revoked.
    browser
        .wait_for_text("table.links tbody", |t| {
            t.contains("已作废") && t.contains("生效")
        })
        .await
        .unwrap();
    // A revoked link offers no 复制链接; the one in use does.
    let copy_buttons = browser
        .client
        .execute(
            "return ['revoked', 'active'].map(state =>
                 document.querySelectorAll(`table.links tr:has(.state.${state}) button.copy-link`).length);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(copy_buttons, serde_json::json!([0, 1]));
    browser.screenshot("links-copied-360").await.unwrap();
    assert_no_sideways_scroll(&browser, 360, "links").await;

    // Revoking asks in the row; only the confirmation revokes.
    browser
        .click("table.links button.revoke-link")
        .await
        .unwrap();
    let asked = browser.text_of("table.links .confirm-step").await.unwrap();
    assert!(asked.contains("确定作废"), "{asked}");
    let (in_use,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM school_links WHERE school_id = $1 AND revoked_at IS NULL",
    )
    .bind(school)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(in_use, 1, "asking revoked nothing");
    browser
        .click("table.links .confirm-step button.danger")
        .await
        .unwrap();
    browser
        .wait_until_gone("table.links button.revoke-link")
        .await
        .unwrap();
    let (in_use,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM school_links WHERE school_id = $1 AND revoked_at IS NULL",
    )
    .bind(school)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(in_use, 0);

    browser.client.set_window_size(1440, 900).await.unwrap();
    browser.wait_for("table.links").await.unwrap();
    browser.screenshot("links-1440").await.unwrap();
}

#[tokio::test]
async fn links_open_a_school_page_with_the_films_left_first_and_confirmations_to_correct() {
    let app = spawn_app().await;
    let campaign = app.current_campaign().await;
    let today = humiao_server::clock::today();
    let year = humiao_shared::org::school_year_of(today);
    // A school of its own, so that only this test's films are asked of it; its roll 1,185.
    let res = app
        .post_json(
            "/api/v1/schools",
            &serde_json::json!({"code": "LINK-SC1", "name": "链接测试实验小学", "kind": "primary",
                "district_id": app.id_of("districts", "name", "天宁分局").await,
                "station_id": app.id_of("stations", "name", "雕庄派出所").await,
                "enrolments": [{"school_year": year, "students": 1185}]}),
        )
        .await;
    let school: serde_json::Value = res.json().await.unwrap();
    let school = school["id"].as_i64().expect("school created");
    let mut films = Vec::new();
    for title in ["测试：防溺水", "测试：交通安全", "测试：识诈防骗"] {
        let res = app
            .post_json(
                "/api/v1/films",
                &serde_json::json!({"title": title, "minutes": 12, "topic_ids": [1]}),
            )
            .await;
        films.push(
            res.json::<serde_json::Value>().await.unwrap()["id"]
                .as_i64()
                .unwrap(),
        );
    }
    let day = today.to_string();
    let res = app
        .post_json(
            "/api/v1/assignments",
            &serde_json::json!({"campaign_id": campaign, "title": "链接测试观看", "film_ids": films,
                                "school_ids": [school], "opens_on": day, "closes_on": day}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let assignment = res.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    // Two of the three confirmed already (the first two listed by the assignment).
    for film in &films[..2] {
        let res = app
            .post_json(
                "/api/v1/confirmations",
                &serde_json::json!({"assignment_id": assignment, "school_id": school,
                    "film_id": film, "shown_on": day, "students": 300, "parents": 20,
                    "classes": 8, "method": "classroom"}),
            )
            .await;
        assert_eq!(res.status(), 201);
    }
    let left = films[2];
    let res = app
        .post_json(
            "/api/v1/links",
            &serde_json::json!({"campaign_id": campaign, "school_ids": [school]}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let link: serde_json::Value = res.json().await.unwrap();

    let browser = Browser::start().await.expect("Chromium starts");
    browser.client.set_window_size(360, 740).await.unwrap();
    browser
        .client
        .goto(link[0]["url"].as_str().unwrap())
        .await
        .unwrap();
    let who = browser
        .wait_for_text("header .who", |t| t != "学校")
        .await
        .unwrap();
    assert_eq!(who, "链接测试实验小学（学校）");
    assert_eq!(
        browser.text_of("#remaining").await.unwrap(),
        "还剩 1 部待确认"
    );
    // The film left comes first, above the confirmed ones.
    let first = browser
        .wait_for("section.assignment li.film")
        .await
        .unwrap()
        .attr("data-film")
        .await
        .unwrap();
    assert_eq!(first, Some(left.to_string()));
    // Each confirmation once, as a card.
    browser
        .wait_until_true("return document.querySelectorAll('dl.confirmation').length === 2;")
        .await
        .unwrap();
    assert_eq!(
        browser
            .client
            .execute("return document.querySelectorAll('table').length;", vec![])
            .await
            .unwrap(),
        0,
        "no table to cut off on a phone"
    );

    let form = format!("c{assignment}-{left}");
    browser
        .type_into(&format!("#{form}-students"), "1186")
        .await
        .unwrap();
    browser
        .click(&format!("li[data-film='{left}'] button[type=submit]"))
        .await
        .unwrap();
    assert_eq!(
        browser
            .text_of(&format!("#{form}-students-error"))
            .await
            .unwrap(),
        "超过本校在册学生数 1,185"
    );
    browser.screenshot("school-page-360").await.unwrap();
    assert_no_sideways_scroll(&browser, 360, "school").await;
    let field = browser
        .wait_for(&format!("#{form}-students"))
        .await
        .unwrap();
    field.clear().await.unwrap();
    field.send_keys("1100").await.unwrap();
    browser
        .type_into(&format!("#{form}-parents"), "40")
        .await
        .unwrap();
    browser
        .type_into(&format!("#{form}-classes"), "30")
        .await
        .unwrap();
    browser
        .click(&format!("li[data-film='{left}'] button[type=submit]"))
        .await
        .unwrap();
    browser
        .wait_for_text("#remaining", |t| t == "全部已确认，谢谢！")
        .await
        .unwrap();
    browser
        .text_of(&format!("li[data-film='{left}'] .thanks"))
        .await
        .unwrap();

    // A correction: 修改 brings the form back filled in, and saving replaces the figures.
    browser
        .click(&format!("li[data-film='{left}'] button.edit-confirmation"))
        .await
        .unwrap();
    let field = browser
        .wait_for(&format!("#{form}-students"))
        .await
        .unwrap();
    assert_eq!(field.prop("value").await.unwrap().as_deref(), Some("1100"));
    field.clear().await.unwrap();
    field.send_keys("1000").await.unwrap();
    browser
        .click(&format!("li[data-film='{left}'] button[type=submit]"))
        .await
        .unwrap();
    browser
        .wait_for_text(&format!("li[data-film='{left}'] dl.confirmation"), |t| {
            t.contains("1000")
        })
        .await
        .unwrap();
    let stored: Vec<(i64,)> = sqlx::query_as(
        "SELECT students FROM screening_confirmations WHERE school_id = $1 AND film_id = $2",
    )
    .bind(school)
    .bind(left)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(stored, [(1000,)], "corrected, not added");
    browser
        .screenshot_whole_page("school-page-done-360")
        .await
        .unwrap();
    assert_no_sideways_scroll(&browser, 360, "school").await;
    browser.client.set_window_size(1440, 900).await.unwrap();
    browser.wait_for("#remaining").await.unwrap();
    browser.screenshot("school-page-1440").await.unwrap();
}

/// Every chart box on the page, once each has its SVG: its id, the width of the box and of
/// the drawing, and the on-screen size of its smallest text (font size × the SVG's scale,
/// its width on screen over its viewBox's).
const CHART_TEXT: &str = "
    return [...document.querySelectorAll('.chart')].map(box => {
        const svg = box.querySelector('svg');
        const drawn = svg.viewBox.baseVal.width;
        const scale = svg.getBoundingClientRect().width / drawn;
        const sizes = [...svg.querySelectorAll('text')]
            .filter(t => t.textContent.trim() !== '')
            .map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
        return { id: box.id, box: box.clientWidth, drawn, texts: sizes.length,
                 smallest: Math.min(...sizes) };
    });";

/// Whether every chart on the page is drawn for the box it is in: as wide as the box (the
/// film grid may be wider: it scrolls in its box).
const CHARTS_FIT: &str = "
    const boxes = [...document.querySelectorAll('.chart')];
    return boxes.length >= 9 && boxes.every(box => {
        const svg = box.querySelector('svg');
        if (!svg || box.clientWidth === 0) return false;
        const drawn = svg.viewBox.baseVal.width;
        return box.id === 'chart-screening-coverage' ? drawn >= box.clientWidth
                                                     : drawn === box.clientWidth;
    });";

/// Issue 16: on a 360 px phone and on a 1440 px desktop every chart of the leaders' page is
/// drawn for its box and no chart text is under 12 px on screen; turning the phone (a
/// resize) redraws the charts for the new width; the tables under the charts read as cards
/// on the phone and as tables on the desktop.
#[tokio::test]
async fn every_dashboard_chart_is_drawn_for_its_width_with_text_of_at_least_12_px() {
    let app = spawn_app().await;
    let browser = Browser::start().await.expect("Chromium starts");
    browser.sign_in(&app.url, "leader").await.unwrap();
    browser.client.set_window_size(360, 800).await.unwrap();
    browser
        .client
        .goto(&format!("{}/dashboard", app.url))
        .await
        .unwrap();
    // 360 px, then the same page widened without reloading it: the resize redraws.
    for (width, layout) in [(360, "grid"), (1440, "table-row")] {
        browser.client.set_window_size(width, 800).await.unwrap();
        browser.wait_until_true(CHARTS_FIT).await.unwrap();
        let charts = browser.client.execute(CHART_TEXT, vec![]).await.unwrap();
        let charts = charts.as_array().unwrap();
        assert!(
            charts.len() >= 9,
            "the city's charts at {width} px: {charts:?}"
        );
        for chart in charts {
            let smallest = chart["smallest"].as_f64().unwrap();
            assert!(
                chart["texts"].as_u64().unwrap() > 5,
                "{chart} has its texts at {width} px"
            );
            assert!(
                smallest >= 12.0,
                "{chart}: {smallest} px text at {width} px"
            );
            if width == 360 {
                let boxed = chart["box"].as_f64().unwrap();
                assert!(boxed < 360.0, "{chart} fits the phone");
            }
        }
        // The figures under the charts: a card per row on the phone, a table's row wider.
        let shown = browser
            .client
            .execute(
                "return getComputedStyle(document.querySelector('#table-places tbody tr')).display;",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(shown, layout, "#table-places rows at {width} px");
        let label = browser
            .client
            .execute(
                "return document.querySelector('#table-places td.sessions').dataset.label;",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(label, "宣讲场次", "a card's figure says what it is");
        // Each table says what it holds to a screen reader, and whose column each head is.
        let unlabelled = browser
            .client
            .execute(
                "return [...document.querySelectorAll('main table')]
                   .filter(t => !t.caption || !t.caption.textContent.trim()
                     || [...t.tHead.rows[0].cells].some(c => c.scope !== 'col'))
                   .map(t => t.id);",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            unlabelled,
            serde_json::json!([]),
            "tables without caption or scope"
        );
        // The phone never scrolls sideways: the film grid scrolls in its own box.
        let overflow = browser
            .client
            .execute(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(overflow, 0, "the page scrolls sideways at {width} px");
        browser
            .screenshot_whole_page(&format!("dashboard-charts-{width}"))
            .await
            .unwrap();
    }
}
