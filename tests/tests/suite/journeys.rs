//! The web app's journeys in headless Chromium, beyond the first ones in `browser.rs`: an
//! officer without network, a school whose name looks like markup, a district leader's
//! dashboard on a phone, the administrators' schools list, the language switch, the admin pages, and a screenshot of each main page at
//! phone and desktop widths (the folder is printed).

use humiao_tests::browser::Browser;
use humiao_tests::{spawn_app, TestApp};
use serde_json::{json, Value};

const MARKUP_NAME: &str = "<img src=x onerror=alert(1)>";

/// Counts `<img>` elements: the app itself has none, so one means a name became markup.
async fn images(browser: &Browser) -> i64 {
    browser
        .client
        .execute("return document.querySelectorAll('img').length;", vec![])
        .await
        .unwrap()
        .as_i64()
        .unwrap()
}

async fn station_of(app: &TestApp, name: &str) -> i64 {
    app.id_of("stations", "name", name).await
}

#[tokio::test]
async fn an_officer_offline_logs_two_sessions_and_both_arrive_once_when_the_network_returns() {
    let app = spawn_app().await;
    let browser = Browser::start().await.expect("Chromium starts");
    browser
        .sign_in(&app.url, "officer.diaozhuang")
        .await
        .unwrap();
    let station = station_of(&app, "雕庄派出所").await;
    browser
        .wait_for(&format!("#station_id option[value='{station}']:checked"))
        .await
        .unwrap();
    browser.wait_for(".chip").await.unwrap();
    let before = app.count("sessions").await;

    browser.set_offline(true).await.unwrap();
    // Two different talks (different topics), else the second would be a duplicate.
    let chips = browser
        .client
        .find_all(fantoccini::Locator::Css(".chip"))
        .await
        .unwrap();
    browser.type_into("#school_id", "雕庄小学").await.unwrap();
    chips[0].click().await.unwrap();
    browser.type_into("#audience-students", "80").await.unwrap();
    browser.click("button[type=submit]").await.unwrap();
    browser
        .wait_for_text("#outbox-count", |t| t.starts_with("1 "))
        .await
        .unwrap();
    let queued = browser.text_of(".notice.ok").await.unwrap();
    assert!(queued.contains("网络不通"), "{queued}");

    chips[0].click().await.unwrap();
    chips[1].click().await.unwrap();
    browser.type_into("#audience-students", "95").await.unwrap();
    browser.click("button[type=submit]").await.unwrap();
    let waiting = browser
        .wait_for_text("#outbox-count", |t| t.starts_with("2 "))
        .await
        .unwrap();
    assert_eq!(waiting, "2 条记录等待发送");
    browser.screenshot("officer-offline-360").await.unwrap();
    assert_eq!(
        app.count("sessions").await,
        before,
        "nothing reached the server"
    );

    browser.set_offline(false).await.unwrap();
    // Sent on the browser's `online` event, or at the latest on the next retry (10 s).
    browser.wait_until_gone("#outbox").await.unwrap();
    assert_eq!(
        app.count("sessions").await,
        before + 2,
        "exactly two new rows"
    );
    assert!(
        browser
            .client
            .find_all(fantoccini::Locator::Css("#outbox-refused"))
            .await
            .unwrap()
            .is_empty(),
        "nothing was refused"
    );
    // Sending again (a second tab, a reload) adds nothing: the outbox is empty and the keys
    // were used.
    browser.client.refresh().await.unwrap();
    browser.wait_for("#recent-sessions").await.unwrap();
    assert_eq!(app.count("sessions").await, before + 2);
}

#[tokio::test]
async fn a_school_named_like_markup_shows_as_text_on_every_page() {
    let app = spawn_app().await;
    let station = station_of(&app, "雕庄派出所").await;
    let district: i64 =
        sqlx::query_scalar::<_, i64>("SELECT district_id FROM stations WHERE id = $1")
            .bind(station)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let school = app
        .post_json(
            "/api/v1/schools",
            &json!({"code": "XSS-1", "name": MARKUP_NAME, "kind": "primary",
                    "district_id": district, "station_id": station,
                    "enrolments": [{"school_year": 2024, "students": 300},
                                   {"school_year": 2025, "students": 300},
                                   {"school_year": 2026, "students": 300}]}),
        )
        .await;
    assert_eq!(school.status(), 201, "{:?}", school.text().await);
    let school: Value = school.json().await.unwrap();
    let school_id = school["id"].as_i64().unwrap();
    let today = humiao_server::clock::today().to_string();
    let session = app
        .post_json(
            "/api/v1/sessions",
            &json!({"campaign_id": app.current_campaign().await, "station_id": station,
                    "school_id": school_id, "held_on": today, "format": "class_talk",
                    "topic_ids": [1], "audience": {"students": 50, "parents": 0, "teachers": 2, "others": 0}}),
        )
        .await;
    assert_eq!(session.status(), 201, "{:?}", session.text().await);

    let browser = Browser::start().await.expect("Chromium starts");
    browser.sign_in(&app.url, "admin").await.unwrap();

    // The entry page's latest sessions.
    let recent = browser
        .wait_for_text("#recent-sessions", |t| t.contains(MARKUP_NAME))
        .await
        .unwrap();
    assert!(recent.contains(MARKUP_NAME));
    assert_eq!(images(&browser).await, 0, "the entry page");

    // The sessions list.
    browser
        .client
        .goto(&format!("{}/sessions", app.url))
        .await
        .unwrap();
    browser
        .wait_for_text("#station-sessions", |t| t.contains(MARKUP_NAME))
        .await
        .unwrap();
    assert_eq!(images(&browser).await, 0, "the sessions list");

    // The dashboard, drilled down to the station, where schools are listed, and to the
    // school itself; every chart on the way is checked too.
    browser
        .client
        .goto(&format!("{}/dashboard", app.url))
        .await
        .unwrap();
    browser
        .click(&format!(
            "#table-places[data-level=district] tr[data-key='{district}'] button.drill"
        ))
        .await
        .unwrap();
    browser
        .click(&format!(
            "#table-places[data-level=station] tr[data-key='{station}'] button.drill"
        ))
        .await
        .unwrap();
    let schools = browser
        .wait_for_text("#table-places[data-level=school]", |t| {
            t.contains(MARKUP_NAME)
        })
        .await
        .unwrap();
    assert!(schools.contains(MARKUP_NAME));
    browser
        .click(&format!(
            "#table-places[data-level=school] tr[data-key='{school_id}'] button.drill"
        ))
        .await
        .unwrap();
    browser
        .wait_for_text("#crumbs", |t| t.contains(MARKUP_NAME))
        .await
        .unwrap();
    // At a school, the school is all the schools there are, and it was covered (issue 15,
    // item 2: the page read 1 of the station's schools).
    browser
        .wait_for_text("#figure-schools .value", |t| t == "1 / 1")
        .await
        .unwrap();
    browser.wait_for(".chart svg").await.unwrap();
    assert_eq!(images(&browser).await, 0, "the dashboard and its charts");

    // The admin's list of schools.
    browser
        .client
        .goto(&format!("{}/admin/schools", app.url))
        .await
        .unwrap();
    browser.type_into("#admin-search", "onerror").await.unwrap();
    browser
        .wait_for_text("table.records", |t| t.contains(MARKUP_NAME))
        .await
        .unwrap();
    assert_eq!(images(&browser).await, 0, "the admin page");

    // The school's own page, opened from its link.
    let links = app
        .post_json(
            "/api/v1/links",
            &json!({"campaign_id": app.current_campaign().await, "school_ids": [school_id]}),
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    browser.click("#sign-out").await.unwrap();
    browser.wait_for("form.login").await.unwrap();
    browser
        .client
        .goto(links[0]["url"].as_str().unwrap())
        .await
        .unwrap();
    browser
        .wait_for_text("main", |t| t.contains(MARKUP_NAME))
        .await
        .unwrap();
    assert_eq!(images(&browser).await, 0, "the school's page");
}

/// Runs `script` in the page and returns what it returns.
async fn run(browser: &Browser, script: &str) -> Value {
    browser.client.execute(script, vec![]).await.unwrap()
}

/// Sets a date input as a person picking a day does: its value, then `change`.
async fn set_date(browser: &Browser, css: &str, day: &str) {
    browser
        .client
        .execute(
            "const e = document.querySelector(arguments[0]); e.value = arguments[1];
             e.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![json!(css), json!(day)],
        )
        .await
        .unwrap();
}

/// Fails when the page is wider than the window (a phone never scrolls sideways; tables
/// scroll inside their own box), naming the elements that stick out.
async fn assert_fits(browser: &Browser, page: &str) {
    let found = run(
        browser,
        "const w = document.documentElement.clientWidth;
         const wider = document.documentElement.scrollWidth - w;
         const out = [...document.querySelectorAll('body *')]
             .filter(e => e.getBoundingClientRect().right > w + 1)
             // What a table's own box scrolls to is inside it; what is positioned is not.
             .filter(e => !e.closest('.table-wrap') || getComputedStyle(e).position === 'absolute')
             .map(e => `${e.tagName}#${e.id}.${e.className}`).slice(0, 8);
         return [wider, out];",
    )
    .await;
    assert_eq!(found[0], json!(0), "{page} scrolls sideways: {}", found[1]);
}

/// The values of a select's options, leaving out "all" (no value).
async fn option_values(browser: &Browser, select: &str) -> Vec<i64> {
    let script = format!(
        "return [...document.querySelectorAll(\"{select} option\")].map(o => o.value).filter(v => v);"
    );
    run(browser, &script)
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().parse().unwrap())
        .collect()
}

#[tokio::test]
async fn a_district_leader_on_a_phone_stays_in_the_district_and_sees_the_figures_first() {
    let app = spawn_app().await;
    let leader = app.client_as("leader.tianning").await;
    let summary: Value = leader
        .get(format!("{}/api/v1/aggregates/audience", app.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let tianning: Vec<i64> = sqlx::query_scalar(
        "SELECT s.id FROM stations s JOIN districts d ON d.id = s.district_id WHERE d.name = '天宁分局'",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();

    let browser = Browser::start().await.expect("Chromium starts");
    browser.client.set_window_size(360, 780).await.unwrap();
    browser.sign_in(&app.url, "leader.tianning").await.unwrap();
    browser.wait_for("#table-places tr").await.unwrap();
    let sessions = browser.text_of("#figure-sessions .value").await.unwrap();
    assert_eq!(
        sessions.replace(',', ""),
        summary["sessions"].as_i64().unwrap().to_string(),
        "the figures are the district's"
    );
    let rows = browser
        .client
        .find_all(fantoccini::Locator::Css("#table-places tbody tr"))
        .await
        .unwrap();
    assert!(!rows.is_empty());
    for row in rows {
        let key: i64 = row
            .attr("data-key")
            .await
            .unwrap()
            .unwrap()
            .parse()
            .unwrap();
        assert!(tianning.contains(&key), "station {key} is not in 天宁分局");
    }
    // Unique reach is per station of the district, and names no other district's.
    let names = |compare: &str| {
        let sql = format!(
            "SELECT s.name FROM stations s JOIN districts d ON d.id = s.district_id
             WHERE d.name {compare} '天宁分局'"
        );
        let pool = app.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, String>(&sql)
                .fetch_all(&pool)
                .await
                .unwrap()
        }
    };
    let (own, others) = (names("=").await, names("<>").await);
    let chart = browser
        .wait_for("#chart-unique-reach svg")
        .await
        .unwrap()
        .html(false)
        .await
        .unwrap();
    assert!(own.iter().any(|n| chart.contains(n.as_str())), "{chart}");
    assert!(
        !others.iter().any(|n| chart.contains(n.as_str())),
        "{chart}"
    );

    // On a phone the filters are folded under one button, and the figures are on the
    // first screen.
    let shown = "return getComputedStyle(document.getElementById('filters')).display !== 'none';";
    assert_eq!(run(&browser, shown).await, json!(false), "folded");
    let first_screen =
        "const r = document.getElementById('figure-sessions').getBoundingClientRect();
                        return r.top >= 0 && r.bottom <= window.innerHeight;";
    assert_eq!(run(&browser, first_screen).await, json!(true));
    // The campaign holds outcome figures: minors mentored is the stock at its end, even
    // though stations report it in December, before this year's months.
    let mentored = browser.text_of("#figure-mentored .value").await.unwrap();
    assert_ne!(mentored, "—");
    // The trail starts at the district: no 全市 to step up to.
    assert_eq!(browser.text_of("#crumbs").await.unwrap(), "天宁分局");
    assert_fits(&browser, "the dashboard").await;
    browser
        .screenshot("dashboard-district-leader-360")
        .await
        .unwrap();
    // One export menu per chart, and no export link outside one.
    let menus = "return [document.querySelectorAll('.chart-card').length,
                         document.querySelectorAll('details.export-menu').length,
                         [...document.querySelectorAll('main a[download]')]
                             .every(a => a.closest('details.export-menu'))];";
    let counted = run(&browser, menus).await;
    assert!(counted[0].as_i64().unwrap() > 0);
    assert_eq!(counted[0], counted[1], "a menu per chart");
    assert_eq!(counted[2], json!(true), "no export link outside a menu");
    browser.click("#export-topic-mix summary").await.unwrap();
    let links = run(
        &browser,
        "return [...document.querySelectorAll('#export-topic-mix .menu a')]
                .map(a => [a.textContent, a.getAttribute('href')]);",
    )
    .await;
    let links = links.as_array().unwrap();
    let texts: Vec<&str> = links.iter().map(|l| l[0].as_str().unwrap()).collect();
    assert_eq!(texts, ["SVG", "PNG", "Excel", "CSV"]);
    let district = app.id_of("districts", "name", "天宁分局").await;
    for link in links {
        let href = link[1].as_str().unwrap();
        assert!(href.contains(&format!("district_id={district}")), "{href}");
    }
    run(
        &browser,
        "document.getElementById('export-topic-mix').scrollIntoView({ block: 'center' });",
    )
    .await;
    browser
        .screenshot("dashboard-export-menu-360")
        .await
        .unwrap();

    // Opened, the filters offer no other district, and only the district's stations.
    browser.click("#filter-toggle").await.unwrap();
    browser.wait_until_true(shown).await.unwrap();
    let summary_before = browser.text_of("#filter-summary").await.unwrap();
    assert_eq!(
        run(
            &browser,
            "return document.querySelectorAll('#filter-district, #filter-city').length;"
        )
        .await,
        json!(0)
    );
    let offered = option_values(&browser, "#filter-station").await;
    assert!(!offered.is_empty());
    assert!(offered.iter().all(|s| tianning.contains(s)), "{offered:?}");
    let station = offered[0];
    let station_name: String = sqlx::query_scalar("SELECT name FROM stations WHERE id = $1")
        .bind(station)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let pick = format!("#filter-station option[value='{station}']");
    browser.click(&pick).await.unwrap();
    let at_station = format!("天宁分局 › {station_name}");
    browser
        .wait_for_text("#crumbs", |t| t == at_station)
        .await
        .unwrap();
    let summary_now = browser.text_of("#filter-summary").await.unwrap();
    assert!(summary_now.ends_with(&station_name), "{summary_now}");
    // The trail's first step and 清除筛选 both go back to the district, not above it.
    browser.click("#crumbs button").await.unwrap();
    browser
        .wait_for_text("#crumbs", |t| t == "天宁分局")
        .await
        .unwrap();
    browser.click(&pick).await.unwrap();
    browser
        .wait_for_text("#crumbs", |t| t == at_station)
        .await
        .unwrap();
    browser.click("#filter-clear").await.unwrap();
    browser
        .wait_for_text("#crumbs", |t| t == "天宁分局")
        .await
        .unwrap();
    browser
        .wait_until_true(
            "return document.querySelector('#table-places')?.dataset.level === 'station';",
        )
        .await
        .unwrap();
    assert_eq!(
        browser.text_of("#filter-summary").await.unwrap(),
        summary_before
    );

    // A range that runs backwards is said at the field, and nothing is asked.
    set_date(&browser, "#filter-from", "2024-06-30").await;
    set_date(&browser, "#filter-to", "2024-06-01").await;
    browser
        .wait_for_text("#filter-from-error", |t| t == "开始日期不能晚于结束日期")
        .await
        .unwrap();
    let invalid = browser
        .wait_for("#filter-from")
        .await
        .unwrap()
        .attr("aria-invalid")
        .await
        .unwrap();
    assert_eq!(invalid.as_deref(), Some("true"));
    assert!(browser
        .text_of("main")
        .await
        .unwrap()
        .contains("开始日期不能晚于结束日期"));
    browser
        .screenshot("dashboard-range-backwards-360")
        .await
        .unwrap();
    // A range with no data says so: no 0.0% and no stock from before it.
    set_date(&browser, "#filter-from", "2000-01-01").await;
    set_date(&browser, "#filter-to", "2000-01-31").await;
    browser.wait_until_gone("#filter-from-error").await.unwrap();
    browser
        .wait_for_text("#figure-sessions .value", |t| t == "0")
        .await
        .unwrap();
    for figure in ["#figure-mentored", "#figure-reoffence"] {
        let value = browser.text_of(&format!("{figure} .value")).await.unwrap();
        assert_eq!(value, "—", "{figure}");
        let note = browser.text_of(&format!("{figure} .note")).await.unwrap();
        assert_eq!(note, "无数据", "{figure}");
    }
    browser.wait_for("#dashboard-empty").await.unwrap();
    browser
        .screenshot_whole_page("dashboard-empty-range-360")
        .await
        .unwrap();

    // On a desktop the filters are open and the button is gone.
    browser.client.set_window_size(1440, 1000).await.unwrap();
    browser.click("#filter-clear").await.unwrap();
    browser.wait_until_true(shown).await.unwrap();
    let toggle = "return getComputedStyle(document.getElementById('filter-toggle')).display;";
    assert_eq!(run(&browser, toggle).await, json!("none"));
    browser
        .wait_for_text("#figure-sessions .value", |t| t == sessions)
        .await
        .unwrap();
    browser
        .screenshot_whole_page("dashboard-district-leader-1440")
        .await
        .unwrap();
}

#[tokio::test]
async fn an_administrator_on_a_phone_narrows_the_schools_by_district_and_station_and_finds_one_by_code(
) {
    let app = spawn_app().await;
    let tianning = app.id_of("districts", "name", "天宁分局").await;
    let school = app.id_of("schools", "name", "雕庄小学").await;
    let stored = app.get_json(&format!("/api/v1/schools/{school}")).await;
    let code = stored["code"].as_str().unwrap().to_string();
    let station = stored["station_id"].as_i64().unwrap();
    let station_name: String = sqlx::query_scalar("SELECT name FROM stations WHERE id = $1")
        .bind(station)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let district_stations: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM stations WHERE district_id = $1")
            .bind(tianning)
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    let in_district: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM schools WHERE district_id = $1 AND deleted_at IS NULL",
    )
    .bind(tianning)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();

    let browser = Browser::start().await.expect("Chromium starts");
    browser.client.set_window_size(360, 800).await.unwrap();
    browser.sign_in(&app.url, "admin").await.unwrap();
    browser
        .client
        .goto(&format!("{}/admin/schools", app.url))
        .await
        .unwrap();
    browser
        .wait_for_text("table.records caption", |t| t.starts_with("学校 · 共"))
        .await
        .unwrap();
    let scoped = "return [...document.querySelectorAll('table.records th')]
                      .every(th => th.getAttribute('scope') === 'col');";
    assert_eq!(run(&browser, scoped).await, json!(true));
    browser
        .wait_for_text("nav.pager span", |t| t.starts_with("第 1/43 页"))
        .await
        .unwrap();

    // By district: every row is the district's, by name, and the count is the district's.
    browser
        .click(&format!(
            "#filter-schools-district_id option[value='{tianning}']"
        ))
        .await
        .unwrap();
    browser
        .wait_for_text("nav.pager span", |t| {
            t.ends_with(&format!("共 {in_district} 条"))
        })
        .await
        .unwrap();
    let cells_read = |key: &str, text: &str| {
        format!(
            "const cells = [...document.querySelectorAll('table.records td[data-key={key}]')];
             return cells.length > 0 && cells.every(td => td.textContent === '{text}');"
        )
    };
    browser
        .wait_until_true(&cells_read("district_id", "天宁分局"))
        .await
        .unwrap();
    // The station filter offers the district's stations only; by station, then by code.
    let offered = option_values(&browser, "#filter-schools-station_id").await;
    assert!(!offered.is_empty());
    assert!(
        offered.iter().all(|s| district_stations.contains(s)),
        "{offered:?}"
    );
    browser
        .click(&format!(
            "#filter-schools-station_id option[value='{station}']"
        ))
        .await
        .unwrap();
    browser
        .wait_until_true(&cells_read("station_id", &station_name))
        .await
        .unwrap();
    browser.type_into("#admin-search", &code).await.unwrap();
    browser
        .wait_until_true(&format!(
            "const rows = document.querySelectorAll('table.records tbody tr');
             return rows.length === 1 && rows[0].dataset.id === '{school}';"
        ))
        .await
        .unwrap();
    assert_fits(&browser, "the schools list").await;
    browser
        .screenshot_whole_page("admin-schools-filtered-360")
        .await
        .unwrap();

    // The form: a district chosen, only its stations are offered; a name already in the
    // list is pointed out, with the other school's code.
    browser
        .click(&format!("#schools-district_id option[value='{tianning}']"))
        .await
        .unwrap();
    browser
        .wait_until_true(
            "return document.querySelectorAll('#schools-station_id option').length > 1;",
        )
        .await
        .unwrap();
    let in_form = option_values(&browser, "#schools-station_id").await;
    assert!(
        in_form.iter().all(|s| district_stations.contains(s)),
        "{in_form:?}"
    );
    browser
        .type_into("#schools-name", "雕庄小学")
        .await
        .unwrap();
    browser
        .wait_for_text("#schools-name-same", |t| t.contains(&code))
        .await
        .unwrap();
    assert_fits(&browser, "the school form").await;
    browser
        .screenshot_whole_page("admin-schools-form-360")
        .await
        .unwrap();

    // Chips and checkboxes are at least 24 px.
    for (page, css) in [
        ("/admin/films", ".chip"),
        ("/admin/trainees", "input[type=checkbox]"),
    ] {
        browser
            .client
            .goto(&format!("{}{page}", app.url))
            .await
            .unwrap();
        browser.wait_for(css).await.unwrap();
        let smallest = run(
            &browser,
            &format!(
                "return Math.min(...[...document.querySelectorAll('{css}')].map(e => {{
                     const r = e.getBoundingClientRect(); return Math.min(r.width, r.height); }}));"
            ),
        )
        .await;
        assert!(
            smallest.as_f64().unwrap() >= 24.0,
            "{page} {css}: {smallest}"
        );
    }
    browser.client.set_window_size(1440, 1000).await.unwrap();
    browser
        .client
        .goto(&format!("{}/admin/schools", app.url))
        .await
        .unwrap();
    browser.wait_for("table.records caption").await.unwrap();
    browser
        .screenshot_whole_page("admin-schools-1440")
        .await
        .unwrap();
}

#[tokio::test]
async fn the_language_switch_turns_the_app_and_the_servers_messages_into_english() {
    let app = spawn_app().await;
    let browser = Browser::start().await.expect("Chromium starts");
    browser.sign_in(&app.url, "officer.sanjing").await.unwrap();
    assert_eq!(browser.text_of("main h1").await.unwrap(), "记录一场宣讲");
    browser.click("#switch-language").await.unwrap();
    browser
        .wait_for_text("main h1", |t| t == "Log a session")
        .await
        .unwrap();
    let lang = browser
        .client
        .execute("return document.documentElement.lang;", vec![])
        .await
        .unwrap();
    assert_eq!(lang, json!("en"));
    // The shared rules' messages follow.
    browser.wait_for(".chip").await.unwrap();
    browser.click("button[type=submit]").await.unwrap();
    assert_eq!(
        browser.text_of("#topic_ids-error").await.unwrap(),
        "This field is required"
    );
    // The choice stays after a reload, and the server answers in English too.
    browser.client.refresh().await.unwrap();
    browser
        .wait_for_text("main h1", |t| t == "Log a session")
        .await
        .unwrap();
    browser.screenshot("log-session-english").await.unwrap();
    // The dashboard, another module, keeps the choice; the shared labels follow it too.
    browser
        .client
        .goto(&format!("{}/dashboard", app.url))
        .await
        .unwrap();
    let outcomes = browser.text_of("#table-outcomes").await.unwrap();
    let head = browser.text_of("#table-outcomes thead").await.unwrap();
    assert!(
        outcomes.starts_with("Outcome indicators by month")
            && head.starts_with("Month")
            && outcomes.is_ascii(),
        "{outcomes}"
    );
    browser.click("#sign-out").await.unwrap();
    browser
        .type_into("#username", "officer.sanjing")
        .await
        .unwrap();
    browser
        .type_into("#password", "wrong password!")
        .await
        .unwrap();
    browser
        .click("form.login button[type=submit]")
        .await
        .unwrap();
    let refused = browser.text_of("form.login [role=alert]").await.unwrap();
    assert!(refused.is_ascii() && !refused.is_empty(), "{refused}");
    browser.click("#switch-language").await.unwrap();
    browser
        .wait_for_text("form.login h1", |t| t == "登录")
        .await
        .unwrap();
}

#[tokio::test]
async fn an_administrator_adds_a_film_with_the_rules_beside_the_fields() {
    let app = spawn_app().await;
    let browser = Browser::start().await.expect("Chromium starts");
    browser.sign_in(&app.url, "admin").await.unwrap();
    browser
        .client
        .goto(&format!("{}/admin/films", app.url))
        .await
        .unwrap();
    browser.wait_for("table.records").await.unwrap();
    let before = app.count("films").await;
    // No title: the shared rule answers in the browser and nothing is sent.
    browser.type_into("#films-minutes", "15").await.unwrap();
    browser.click("#films-topic_ids .chip").await.unwrap();
    browser
        .click("#add-films button[type=submit]")
        .await
        .unwrap();
    assert_eq!(
        browser.text_of("#add-films .error").await.unwrap(),
        "必填项"
    );
    assert_eq!(app.count("films").await, before);
    browser
        .type_into("#films-title", "《守护成长》")
        .await
        .unwrap();
    browser
        .click("#add-films button[type=submit]")
        .await
        .unwrap();
    browser
        .wait_for_text("#add-films [role=status]", |t| !t.is_empty())
        .await
        .unwrap();
    assert_eq!(app.count("films").await, before + 1);
    browser.screenshot("admin-films").await.unwrap();
}

#[tokio::test]
async fn an_administrator_edits_a_schools_roll_and_deletes_a_film_no_one_shows() {
    let app = spawn_app().await;
    let school = app.id_of("schools", "name", "雕庄小学").await;
    let stored = app.get_json(&format!("/api/v1/schools/{school}")).await;
    let this_year = humiao_shared::org::school_year_of(humiao_server::clock::today());
    let browser = Browser::start().await.expect("Chromium starts");
    browser.sign_in(&app.url, "admin").await.unwrap();
    browser
        .client
        .goto(&format!("{}/admin/schools", app.url))
        .await
        .unwrap();
    // 855 schools, 20 to a page: the next page is one click away.
    browser
        .wait_for_text("nav.pager span", |t| t.starts_with("第 1/43 页"))
        .await
        .unwrap();
    browser
        .click("nav.pager button:last-of-type")
        .await
        .unwrap();
    browser
        .wait_for_text("nav.pager span", |t| t.starts_with("第 2/43 页"))
        .await
        .unwrap();
    browser
        .type_into("#admin-search", "雕庄小学")
        .await
        .unwrap();
    let edit = browser
        .wait_for(&format!("tr[data-id='{school}'] button[data-action=edit]"))
        .await
        .unwrap();
    // A screen reader says which school the button edits.
    assert_eq!(
        edit.attr("aria-label").await.unwrap().as_deref(),
        Some("修改 雕庄小学")
    );
    edit.click().await.unwrap();
    // The form holds the record, and the cursor is in its first field.
    browser
        .wait_for_text("#add-schools h2", |t| t.starts_with("修改"))
        .await
        .unwrap();
    let name = browser.wait_for("#schools-name").await.unwrap();
    assert_eq!(
        name.prop("value").await.unwrap().as_deref(),
        Some("雕庄小学")
    );
    let focused = browser
        .client
        .execute("return document.activeElement.id", vec![])
        .await
        .unwrap();
    assert_eq!(focused, "schools-code");
    let roll = browser.wait_for("#schools-enrolments").await.unwrap();
    roll.clear().await.unwrap();
    roll.send_keys("1234").await.unwrap();
    browser
        .click("#add-schools button[type=submit]")
        .await
        .unwrap();
    browser
        .wait_for_text("#add-schools [role=status]", |t| !t.is_empty())
        .await
        .unwrap();
    // Back to adding, and the record changed this school year's roll only.
    assert!(browser
        .text_of("#add-schools h2")
        .await
        .unwrap()
        .starts_with("新增"));
    let edited = app.get_json(&format!("/api/v1/schools/{school}")).await;
    let roll_of = |record: &Value, year: i32| {
        record["enrolments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["school_year"] == year)
            .map(|r| r["students"].clone())
    };
    assert_eq!(roll_of(&edited, this_year), Some(json!(1234)));
    for earlier in (this_year - 3)..this_year {
        assert_eq!(
            roll_of(&edited, earlier),
            roll_of(&stored, earlier),
            "{earlier}"
        );
    }
    assert_eq!(edited["name"], "雕庄小学");
    assert_eq!(edited["version"], stored["version"].as_i64().unwrap() + 1);

    let topic = app.get_json("/api/v1/topics").await[0]["id"].clone();
    let film = app
        .post_json(
            "/api/v1/films",
            &json!({ "title": "《待删除的片子》", "minutes": 12, "topic_ids": [topic] }),
        )
        .await;
    assert_eq!(film.status(), 201);
    let film: Value = film.json().await.unwrap();
    browser
        .client
        .goto(&format!("{}/admin/films", app.url))
        .await
        .unwrap();
    let row = format!("tr[data-id='{}']", film["id"]);
    browser
        .click(&format!("{row} button[data-action=delete]"))
        .await
        .unwrap();
    browser.client.accept_alert().await.unwrap();
    browser.wait_until_gone(&row).await.unwrap();
    let gone = app.get(&format!("/api/v1/films/{}", film["id"])).await;
    assert_eq!(gone.status(), 404);
}

/// Each main page at a phone's width and at a desktop's, saved for people to look at.
#[tokio::test]
async fn every_main_page_is_photographed_at_360_and_1440_pixels() {
    let app = spawn_app().await;
    let browser = Browser::start().await.expect("Chromium starts");
    let pages: [(&str, &str, &str, &str); 9] = [
        ("officer.diaozhuang", "/", ".chip", "log-session"),
        (
            "officer.diaozhuang",
            "/sessions",
            "#station-sessions",
            "station-sessions",
        ),
        (
            "officer.diaozhuang",
            "/returns",
            "#returns",
            "returns-officer",
        ),
        ("officer.diaozhuang", "/todo", "#todo", "todo-officer"),
        ("leader", "/dashboard", ".chart svg", "dashboard"),
        (
            "leader",
            "/returns",
            "#returns, main p.empty",
            "returns-city",
        ),
        (
            "leader",
            "/todo/reminders",
            "section.reminder-sheet, main p.empty",
            "reminders",
        ),
        ("school.diaozhuang", "/", "main h2", "school"),
        ("admin", "/admin/schools", "table.records", "admin-schools"),
    ];
    let mut signed_in_as = "";
    for (user, path, ready, name) in pages {
        if user != signed_in_as {
            if !signed_in_as.is_empty() {
                browser.click("#sign-out").await.unwrap();
                browser.wait_for("form.login").await.unwrap();
            }
            browser.sign_in(&app.url, user).await.unwrap();
            signed_in_as = user;
        }
        for width in [360, 1440] {
            browser.client.set_window_size(width, 1000).await.unwrap();
            browser
                .client
                .goto(&format!("{}{path}", app.url))
                .await
                .unwrap();
            browser.wait_for(ready).await.unwrap();
            // Nothing wider than the screen: a phone never scrolls sideways (tables scroll
            // inside their own box).
            let overflow = browser
                .client
                .execute(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(overflow, json!(0), "{name} at {width}px scrolls sideways");
            browser
                .screenshot_whole_page(&format!("{name}-{width}"))
                .await
                .unwrap();
        }
    }
}

#[tokio::test]
async fn an_administrator_disables_an_account_from_the_accounts_page() {
    let app = spawn_app().await;
    let id = app.id_of("users", "username", "officer.sanjing").await;
    let browser = Browser::start().await.expect("Chromium starts");
    browser.sign_in(&app.url, "admin").await.unwrap();
    browser
        .client
        .goto(&format!("{}/admin/accounts", app.url))
        .await
        .unwrap();
    browser
        .click(&format!("tr[data-id='{id}'] button[data-action=disable]"))
        .await
        .unwrap();
    browser
        .wait_for(&format!("tr[data-id='{id}'] button[data-action=enable]"))
        .await
        .unwrap();
    let refused = humiao_tests::cookie_client()
        .post(format!("{}/api/v1/auth/login", app.url))
        .json(&json!({"username": "officer.sanjing", "password": humiao_tests::DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403, "a disabled account cannot sign in");
    browser.screenshot("admin-accounts").await.unwrap();
}

#[tokio::test]
async fn an_administrator_checks_a_file_then_imports_it_from_the_import_page() {
    let app = spawn_app().await;
    let template = app
        .get("/api/v1/imports/schools/template?format=csv")
        .await
        .text()
        .await
        .unwrap();
    let header = template
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap()
        .to_string();
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    let good = dir.path().join("good.csv");
    std::fs::write(
        &bad,
        format!("{header}\nUI-1,界面导入小学,小学,天宁分局,雕庄派出所,2025,300\nUI-2,,小学,天宁分局,雕庄派出所,2025,300\n"),
    )
    .unwrap();
    // Kept as a bureau keeps it: a title above the template as downloaded (its example
    // row included), the school, and a 合计 row.
    let template = template.trim_start_matches('\u{feff}');
    std::fs::write(
        &good,
        format!("天宁分局学校名单（2025学年）\n{template}UI-1,界面导入小学,小学,天宁分局,雕庄派出所,2025-2026,300\n合计,,,,,,300\n"),
    )
    .unwrap();
    let before = app.count("schools").await;

    let browser = Browser::start().await.expect("Chromium starts");
    browser.sign_in(&app.url, "admin").await.unwrap();
    browser
        .client
        .goto(&format!("{}/admin/import", app.url))
        .await
        .unwrap();
    browser
        .type_into("#import-file", bad.to_str().unwrap())
        .await
        .unwrap();
    browser.click("#import-check").await.unwrap();
    let problems = browser.text_of("#import-problems tbody").await.unwrap();
    assert!(
        problems.starts_with('3'),
        "the row as Excel numbers it: {problems}"
    );
    assert_eq!(
        app.count("schools").await,
        before,
        "a dry run stores nothing"
    );
    browser.screenshot("admin-import-problems").await.unwrap();

    let input = browser.wait_for("#import-file").await.unwrap();
    input.clear().await.unwrap();
    input.send_keys(good.to_str().unwrap()).await.unwrap();
    browser.click("#import-check").await.unwrap();
    browser
        .wait_for_text("#import-summary", |t| t.contains("检查完毕"))
        .await
        .unwrap();
    // The rows left out are told: the title, the example row, the total.
    browser.click("#import-skipped summary").await.unwrap();
    let skipped = browser.text_of("#import-skipped").await.unwrap();
    for row in ["第 1 行", "第 3 行", "第 5 行"] {
        assert!(skipped.contains(row), "{row}: {skipped}");
    }
    for width in [360, 1440] {
        browser.client.set_window_size(width, 900).await.unwrap();
        browser
            .screenshot_whole_page(&format!("admin-import-skipped-{width}"))
            .await
            .unwrap();
    }
    browser.click("#import-run").await.unwrap();
    browser
        .wait_for_text("#import-summary", |t| t.starts_with("已导入"))
        .await
        .unwrap();
    assert_eq!(app.count("schools").await, before + 1);
}

#[tokio::test]
async fn an_administrator_records_a_trainees_attendance() {
    let app = spawn_app().await;
    // The 2024 course, 2024-08-19..20.
    let course = app.id_of("trainings", "starts_on", "2024-08-19").await;
    let station = station_of(&app, "雕庄派出所").await;
    let before = app.count("trainees").await;
    let browser = Browser::start().await.expect("Chromium starts");
    browser.sign_in(&app.url, "admin").await.unwrap();
    browser
        .client
        .goto(&format!("{}/admin/trainees", app.url))
        .await
        .unwrap();
    browser
        .click(&format!("#trainees-training_id option[value='{course}']"))
        .await
        .unwrap();
    browser.type_into("#trainees-name", "王警官").await.unwrap();
    browser
        .click(&format!("#trainees-station_id option[value='{station}']"))
        .await
        .unwrap();
    // A day in the future: the shared rule answers beside the field, nothing is sent.
    browser
        .type_into("#trainees-days_attended", "2099-01-01")
        .await
        .unwrap();
    browser.click("#trainees-completed").await.unwrap();
    browser
        .click("#add-trainees button[type=submit]")
        .await
        .unwrap();
    assert_eq!(
        browser.text_of("#add-trainees .error").await.unwrap(),
        "日期不能晚于今天"
    );
    assert_eq!(app.count("trainees").await, before);
    let days = browser.wait_for("#trainees-days_attended").await.unwrap();
    days.clear().await.unwrap();
    days.send_keys("2024-08-19, 2024-08-20").await.unwrap();
    browser
        .click("#add-trainees button[type=submit]")
        .await
        .unwrap();
    let said = browser
        .wait_for_text("#add-trainees [aria-live]", |t| !t.is_empty())
        .await
        .unwrap();
    assert_eq!(said, "已保存。");
    assert_eq!(app.count("trainees").await, before + 1);
}

#[tokio::test]
async fn an_officer_edits_a_session_from_the_stations_list() {
    let app = spawn_app().await;
    let browser = Browser::start().await.expect("Chromium starts");
    browser
        .sign_in(&app.url, "officer.diaozhuang")
        .await
        .unwrap();
    browser
        .client
        .goto(&format!("{}/sessions", app.url))
        .await
        .unwrap();
    let row = browser
        .wait_for("#station-sessions tbody tr")
        .await
        .unwrap();
    let id: i64 = row
        .attr("data-session")
        .await
        .unwrap()
        .unwrap()
        .parse()
        .unwrap();
    let before = app.get_json(&format!("/api/v1/sessions/{id}")).await;
    browser
        .click(&format!("tr[data-session='{id}'] a"))
        .await
        .unwrap();
    let notes = browser.wait_for("#notes").await.unwrap();
    // The form holds the session as stored.
    browser
        .wait_for_text("main h1", |t| t == "修改宣讲记录")
        .await
        .unwrap();
    notes.clear().await.unwrap();
    notes.send_keys("补充：现场有家长提问").await.unwrap();
    browser.click("button[type=submit]").await.unwrap();
    browser.wait_for("#station-sessions").await.unwrap();
    let after = app.get_json(&format!("/api/v1/sessions/{id}")).await;
    assert_eq!(after["notes"], "补充：现场有家长提问");
    assert_eq!(
        after["audience"], before["audience"],
        "the rest is unchanged"
    );
    assert_eq!(after["version"], before["version"].as_i64().unwrap() + 1);
}

/// A second city makes the database a province: the page offers a city filter, the
/// breadcrumb starts at 全省 and names the city chosen, the districts offered are that
/// city's, and the one request of the view asks for the city.
#[tokio::test]
async fn a_province_page_offers_its_cities_and_names_the_chosen_one() {
    let app = spawn_app().await;
    let (city, city_name): (i64, String) =
        sqlx::query_as("SELECT id, name FROM cities ORDER BY id LIMIT 1")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    sqlx::query("INSERT INTO cities (code, name) VALUES ('WX', '无锡市公安局')")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let other = app.id_of("cities", "code", "WX").await;
    sqlx::query(
        "INSERT INTO districts (city_id, code, name, sort_order) VALUES ($1, 'WX-LX', '梁溪分局', 99)",
    )
    .bind(other)
    .execute(&app.db.pool)
    .await
    .unwrap();

    let browser = Browser::start().await.expect("Chromium starts");
    browser.sign_in(&app.url, "leader").await.unwrap();
    browser
        .client
        .goto(&format!("{}/dashboard", app.url))
        .await
        .unwrap();
    browser
        .wait_for_text("#crumbs", |t| t.starts_with("全省"))
        .await
        .unwrap();
    browser
        .wait_for("#filter-district option[value]:not([value=''])")
        .await
        .unwrap();
    let districts = browser.text_of("#filter-district").await.unwrap();
    assert!(districts.contains("梁溪分局"), "{districts}");
    browser.wait_for(".chart svg").await.unwrap();

    browser
        .click(&format!("#filter-city option[value='{city}']"))
        .await
        .unwrap();
    browser
        .wait_for_text("#crumbs", |t| t.contains(&city_name))
        .await
        .unwrap();
    let districts = browser.text_of("#filter-district").await.unwrap();
    assert!(
        !districts.contains("梁溪分局") && districts.contains("天宁分局"),
        "only the chosen city's districts: {districts}"
    );
    browser
        .wait_until_true(&format!(
            "return performance.getEntriesByType('resource')
                .some(e => e.name.includes('/api/v1/dashboard?') && e.name.includes('city_id={city}'));"
        ))
        .await
        .unwrap();
}
