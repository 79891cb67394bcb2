//! A volunteer's phone journey (issue 18), in headless Chromium at 360 × 740: 我的帮教对象
//! with the overdue case first (its grade, days since the last contact, the day it was due);
//! without a signal, a home visit logged in three taps (the case, 走访, 保存) waits on the
//! phone; back online it is sent once, the case is no longer overdue, and the station's
//! officer reads the contact on the case's page. A contact the server refuses once the
//! signal returns (the pairing ended meanwhile) stays on the phone with the reason. Screenshots of each state are saved
//! (`volunteer-*-360.png`).
//!
//! And the officer's side at the same size: a case opened (a phone in the note refused
//! beside the field; the code the server issued shown), a volunteer paired, a return to
//! school recorded, and the station's list with the overdue case first
//! (`officer-case-*-360.png`); then the station's runaway calls with the overdue one first,
//! a follow-up logged today, and a night of care (`officer-calls-360.png`).

use chrono::Duration;
use humiao_server::clock;
use humiao_tests::browser::Browser;
use humiao_tests::{spawn_app, TestApp};
use serde_json::{json, Value};

const VOLUNTEER: &str = "volunteer.diaozhuang";

fn days_ago(n: i64) -> String {
    (clock::today() - Duration::days(n)).to_string()
}

/// A case of `station` opened `opened` with `grade`, as the administrator; its id and code.
async fn new_case(app: &TestApp, station: i64, opened: &str, grade: &str) -> (i64, String) {
    let year: i64 = opened[..4].parse().expect("a year");
    let res = app
        .post_json(
            "/api/v1/cases",
            &json!({"station_id": station, "birth_year": year - 14, "sex": "male",
                    "category": "misbehaviour", "grade": grade, "opened_on": opened,
                    "note": "家长外出务工"}),
        )
        .await;
    assert_eq!(res.status(), 201, "the case is opened");
    let case: Value = res.json().await.expect("JSON");
    (
        case["id"].as_i64().expect("an id"),
        case["code"].as_str().expect("a code").to_string(),
    )
}

/// Pairs the demo volunteer with `case` from `from`.
async fn pair(app: &TestApp, case: i64, from: &str) {
    let (volunteer,): (i64,) = sqlx::query_as(
        "SELECT v.id FROM volunteers v JOIN users u ON u.id = v.user_id
         WHERE u.username = 'volunteer.diaozhuang'",
    )
    .fetch_one(&app.db.pool)
    .await
    .expect("the demo volunteer");
    let res = app
        .post_json(
            "/api/v1/case_team",
            &json!({"case_id": case, "volunteer_id": volunteer, "from_on": from}),
        )
        .await;
    assert_eq!(res.status(), 201, "the volunteer is paired");
}

async fn contacts_of(app: &TestApp, case: i64) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM contacts WHERE case_id = $1")
        .bind(case)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    n
}

/// The codes of the cards, top to bottom, and whether each is marked overdue.
async fn cards(browser: &Browser) -> Vec<(String, bool)> {
    let seen = browser
        .client
        .execute(
            "return [...document.querySelectorAll('li.case-card')]
                .map((c) => [c.dataset.code, c.classList.contains('overdue')]);",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(seen).unwrap()
}

#[tokio::test]
async fn a_volunteer_logs_a_home_visit_offline_in_three_taps_and_it_arrives_once() {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    // Opened first, so its code sorts first: only being overdue puts the other above it.
    let (_, green_code) = new_case(&app, station, &days_ago(3), "green").await;
    let (red, red_code) = new_case(&app, station, &days_ago(40), "red").await;
    pair(&app, red, &days_ago(40)).await;
    let green = app.id_of("cases", "code", &green_code).await;
    pair(&app, green, &days_ago(3)).await;

    let browser = Browser::start().await.expect("Chromium starts");
    browser.client.set_window_size(360, 740).await.unwrap();
    browser.sign_in(&app.url, VOLUNTEER).await.unwrap();
    assert_eq!(browser.text_of("main h1").await.unwrap(), "我的帮教对象");
    browser.wait_for("li.case-card").await.unwrap();
    assert_eq!(
        cards(&browser).await,
        [(red_code.clone(), true), (green_code.clone(), false)],
        "the overdue case first"
    );
    let first = browser.text_of("li.case-card").await.unwrap();
    for shown in ["红", "已逾期", "尚未联系，开案 40 天", "应于"] {
        assert!(first.contains(shown), "{shown:?} in {first:?}");
    }
    // Only what logging needs: nothing the officers' fields hold.
    let page = browser.text_of("main").await.unwrap();
    assert!(!page.contains("家长外出务工"), "no note: {page}");
    browser.screenshot("volunteer-my-cases-360").await.unwrap();

    // No signal. Tap one: the case; tap two: 走访, with today and the red grade's 7 days
    // proposed; tap three: 保存.
    browser.set_offline(true).await.unwrap();
    browser
        .click(&format!("li.case-card[data-code='{red_code}'] .open-case"))
        .await
        .unwrap();
    browser
        .click("li.case-card .kind[data-kind='home_visit']")
        .await
        .unwrap();
    let today = clock::today();
    let value = |css: &'static str| {
        let browser = &browser;
        async move {
            browser
                .wait_for(css)
                .await
                .unwrap()
                .prop("value")
                .await
                .unwrap()
                .unwrap_or_default()
        }
    };
    assert_eq!(value("#contacted_on").await, today.to_string());
    assert_eq!(
        value("#next_due_on").await,
        (today + Duration::days(7)).to_string()
    );
    browser
        .screenshot("volunteer-contact-form-360")
        .await
        .unwrap();
    browser.click(".save-contact").await.unwrap();
    let waiting = browser
        .wait_for_text("#contacts-waiting", |t| t.contains(&red_code))
        .await
        .unwrap();
    assert!(
        waiting.contains("1 条帮教记录待发送") && waiting.contains("走访"),
        "{waiting}"
    );
    let said = browser.text_of("#contact-said").await.unwrap();
    assert!(said.contains("已保存在手机上"), "{said}");
    assert_eq!(
        contacts_of(&app, red).await,
        0,
        "nothing reached the server"
    );
    browser
        .screenshot("volunteer-contact-queued-360")
        .await
        .unwrap();

    // The signal returns: the outbox sends it, the page says so, and the case is no longer
    // overdue.
    browser.set_offline(false).await.unwrap();
    browser.wait_until_gone("#contacts-waiting").await.unwrap();
    browser
        .wait_for_text("#contact-said", |t| t.contains("已发送"))
        .await
        .unwrap();
    browser
        .wait_until_true(&format!(
            "const c = document.querySelector(\"li.case-card[data-code='{red_code}']\");
             return c !== null && !c.classList.contains('overdue')
                 && c.textContent.includes('距上次联系 0 天');"
        ))
        .await
        .unwrap();
    assert!(cards(&browser).await.iter().all(|(_, overdue)| !overdue));
    browser
        .screenshot("volunteer-contact-sent-360")
        .await
        .unwrap();
    assert_eq!(contacts_of(&app, red).await, 1, "stored once");

    // Offline again, a phone call on the other case; meanwhile the station ends that pairing.
    // Back online the server refuses it: kept on the phone with the reason until read.
    browser.set_offline(true).await.unwrap();
    let card = format!("li.case-card[data-code='{green_code}']");
    browser.click(&format!("{card} .open-case")).await.unwrap();
    browser
        .click(&format!("{card} .kind[data-kind='phone']"))
        .await
        .unwrap();
    browser
        .click(&format!("{card} .save-contact"))
        .await
        .unwrap();
    browser
        .wait_for_text("#contacts-waiting", |t| t.contains(&green_code))
        .await
        .unwrap();
    let (row,): (i64,) = sqlx::query_as("SELECT id FROM case_team WHERE case_id = $1")
        .bind(green)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let res = app
        .client
        .delete(format!("{}/api/v1/case_team/{row}", app.url))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "unpaired: {}", res.status());
    browser.set_offline(false).await.unwrap();
    let refused = browser
        .wait_for_text("#contacts-refused", |t| t.contains(&green_code))
        .await
        .unwrap();
    assert!(refused.contains("电话"), "{refused}");
    browser.wait_until_gone("#contacts-waiting").await.unwrap();
    browser.wait_until_gone("#contact-said").await.unwrap();
    browser
        .screenshot("volunteer-contact-refused-360")
        .await
        .unwrap();
    browser.click("#contacts-refused button").await.unwrap();
    browser.wait_until_gone("#contacts-refused").await.unwrap();
    assert_eq!(contacts_of(&app, green).await, 0);

    // The station's officer reads it on the case's page.
    let desk = Browser::start().await.expect("Chromium starts");
    desk.client.set_window_size(360, 740).await.unwrap();
    desk.sign_in(&app.url, "officer.diaozhuang").await.unwrap();
    desk.client
        .goto(&format!("{}/cases/{red}", app.url))
        .await
        .unwrap();
    let contacts = desk
        .wait_for_text("#case-contacts li.contact", |t| t.contains("走访"))
        .await
        .unwrap();
    assert!(contacts.contains(&today.to_string()), "{contacts}");

    let officer = app.client_as("officer.diaozhuang").await;
    let contacts: Value = officer
        .get(format!("{}/api/v1/contacts?case_id={red}", app.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let contacts = contacts.as_array().expect("a list");
    assert_eq!(contacts.len(), 1);
    assert_eq!(contacts[0]["kind"], "home_visit");
    assert_eq!(contacts[0]["contacted_on"], today.to_string());
    assert_eq!(
        contacts[0]["next_due_on"],
        (today + Duration::days(7)).to_string()
    );
}

/// Picks `value` in the `<select>` found by `css`.
async fn pick(browser: &Browser, css: &str, value: &str) {
    browser
        .wait_for(css)
        .await
        .unwrap()
        .select_by_value(value)
        .await
        .unwrap();
}

#[tokio::test]
async fn an_officer_opens_a_case_pairs_a_volunteer_records_a_return_to_school_and_sees_the_overdue_first(
) {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    let (_, late_code) = new_case(&app, station, &days_ago(20), "red").await;
    let cases_before = app.count("cases").await;

    let browser = Browser::start().await.expect("Chromium starts");
    browser.client.set_window_size(360, 740).await.unwrap();
    browser
        .sign_in(&app.url, "officer.diaozhuang")
        .await
        .unwrap();
    browser.click("header nav a[href='/cases']").await.unwrap();
    browser
        .wait_for("#station-cases li.case-card")
        .await
        .unwrap();

    // A new case: the browser refuses a phone in the note, beside the field.
    browser.click("details.new-case summary").await.unwrap();
    browser.type_into("#case-birth_year", "2012").await.unwrap();
    pick(&browser, "#case-sex", "female").await;
    pick(&browser, "#case-category", "dropout").await;
    pick(&browser, "#case-grade", "orange").await;
    browser
        .type_into("#case-note", "家长电话 138 1234 5678")
        .await
        .unwrap();
    browser.click("#open-case").await.unwrap();
    let said = browser.text_of("#case-note-error").await.unwrap();
    assert!(said.contains("电话"), "{said}");
    browser
        .screenshot("officer-case-note-refused-360")
        .await
        .unwrap();
    assert_eq!(app.count("cases").await, cases_before);
    browser
        .client
        .execute(
            "const box = document.querySelector('#case-note'); box.value = '家长外出务工';
             box.dispatchEvent(new Event('input', { bubbles: true })); return true;",
            vec![],
        )
        .await
        .unwrap();
    browser.click("#open-case").await.unwrap();
    let opened = browser.text_of("#case-opened").await.unwrap();
    assert_eq!(app.count("cases").await, cases_before + 1);
    let (id, code): (i64, String) =
        sqlx::query_as("SELECT id, code FROM cases ORDER BY id DESC LIMIT 1")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert!(opened.contains(&code), "the issued code is shown: {opened}");

    // Its page: pair the station's volunteer, record a return to school.
    browser.click("#case-opened a").await.unwrap();
    assert_eq!(browser.text_of("#case-code").await.unwrap(), code);
    let (volunteer,): (i64,) = sqlx::query_as(
        "SELECT v.id FROM volunteers v JOIN users u ON u.id = v.user_id
         WHERE u.username = 'volunteer.diaozhuang'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    pick(&browser, "#pair-volunteer", &volunteer.to_string()).await;
    browser.click("#pair-save").await.unwrap();
    browser
        .wait_for_text("#case-team li.member", |t| t.contains("志愿者"))
        .await
        .unwrap();
    pick(&browser, "#event-kind", "returned_to_school").await;
    browser.click("#event-save").await.unwrap();
    browser
        .wait_for_text("#case-events li.event", |t| t.contains("复学"))
        .await
        .unwrap();
    browser
        .screenshot_whole_page("officer-case-page-360")
        .await
        .unwrap();
    let (paired, events): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM case_team WHERE case_id = $1 AND volunteer_id = $2),
                (SELECT COUNT(*) FROM case_events WHERE case_id = $1 AND kind = 'returned_to_school')",
    )
    .bind(id)
    .bind(volunteer)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!((paired, events), (1, 1));

    // The station's list: the overdue case first, the new one not overdue.
    browser.click("a[href='/cases']").await.unwrap();
    browser
        .wait_for("#station-cases li.case-card")
        .await
        .unwrap();
    let listed = cards(&browser).await;
    assert_eq!(
        listed.first(),
        Some(&(late_code.clone(), true)),
        "{listed:?}"
    );
    assert!(listed.contains(&(code.clone(), false)), "{listed:?}");
    browser.screenshot("officer-case-list-360").await.unwrap();

    // The station's spreadsheets come in from 导入, offered the kinds an officer imports.
    browser.click("#import-registers").await.unwrap();
    browser.wait_for("#import-kind option").await.unwrap();
    let kinds = browser
        .client
        .execute(
            "return [...document.querySelectorAll('#import-kind option')].map((o) => o.value);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(kinds, json!(["cases", "volunteers", "sessions"]));
    browser.client.back().await.unwrap();

    // Runaway calls: one ten days old and never followed up (overdue), one from yesterday.
    browser.wait_for("#station-cases").await.unwrap();
    browser.click("header nav a[href='/calls']").await.unwrap();
    browser.wait_for("#call-form").await.unwrap();
    for days in [10, 1] {
        let at = format!("{}T21:30", days_ago(days));
        set_value(&browser, "#call-called_at", &at).await;
        browser.click("#call-save").await.unwrap();
        browser
            .wait_for_text("#runaway-calls ul.calls", |t| {
                t.contains(&at.replace('T', " "))
            })
            .await
            .unwrap();
    }
    let calls = browser
        .client
        .execute(
            "return [...document.querySelectorAll('li.call')]
                .map((c) => c.classList.contains('overdue'));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(calls, json!([true, false]), "the overdue call first");
    browser
        .click("li.call:not(.overdue) .follow-up")
        .await
        .unwrap();
    browser
        .wait_for_text("li.call:not(.overdue)", |t| {
            t.contains(&clock::today().to_string())
        })
        .await
        .unwrap();
    set_value(&browser, "#night-minors", "12").await;
    browser.click("#night-save").await.unwrap();
    browser
        .wait_for_text("#night-care ul.nights", |t| t.contains("关爱 12 人"))
        .await
        .unwrap();
    browser
        .screenshot_whole_page("officer-calls-360")
        .await
        .unwrap();
    // The station's own: the demo's registers hold other stations' follow-ups.
    let (follow_ups,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM runaway_follow_ups f
         JOIN runaway_calls r ON r.id = f.call_id WHERE r.station_id = $1",
    )
    .bind(station)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(follow_ups, 1);
}

/// Sets an input's value as typing would (an `input` event), for inputs such as
/// `datetime-local` that WebDriver types into field by field.
async fn set_value(browser: &Browser, css: &str, value: &str) {
    browser.wait_for(css).await.unwrap();
    browser
        .client
        .execute(
            "const box = document.querySelector(arguments[0]); box.value = arguments[1];
             box.dispatchEvent(new Event('input', { bubbles: true })); return true;",
            vec![json!(css), json!(value)],
        )
        .await
        .unwrap();
}
