//! A volunteer's phone journey (issue 18), in headless Chromium at 360 × 740: 我的帮教对象
//! with the overdue case first (its grade, days since the last contact, the day it was due);
//! without a signal, a home visit logged in three taps (the case, 走访, 保存) waits on the
//! phone; back online it is sent once, the case is no longer overdue, and the station's
//! officer reads the contact. Screenshots of each state are saved (`volunteer-*-360.png`).

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

    // The station's officer reads it on the case.
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
