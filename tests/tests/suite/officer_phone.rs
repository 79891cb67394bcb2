//! The publicity officer's phone journeys (issue 16), in headless Chromium at 360 × 740: the
//! school found by a short name, pinyin initials and code without `<datalist>`; a form typed
//! before a sign-in timed out and put back after signing in again; an entry logged offline,
//! refused as a duplicate, reopened and confirmed as another session; the station's sessions
//! as cards with 修改 and 删除 in reach; an entry sent from the outbox into a month whose
//! return was submitted meanwhile, kept with the lock's reason (issue 17). Screenshots of each
//! state are saved (`*-360.png`).

use chrono::{Duration, Utc};
use humiao_tests::browser::Browser;
use humiao_tests::{spawn_app, TestApp};
use serde_json::{json, Value};

const OFFICER: &str = "officer.diaozhuang";

/// A browser the size of the phone, signed in as the 雕庄 officer, on the form.
async fn phone(app: &TestApp) -> Browser {
    let browser = Browser::start().await.expect("Chromium starts");
    browser.client.set_window_size(360, 740).await.unwrap();
    browser.sign_in(&app.url, OFFICER).await.unwrap();
    browser
}

/// Runs `script` in the page and returns its answer.
async fn js(browser: &Browser, script: &str) -> Value {
    browser.client.execute(script, vec![]).await.unwrap()
}

/// Empties the school box as a user would (an `input` event), then types `text` into it.
async fn search_school(browser: &Browser, text: &str) {
    js(
        browser,
        "const box = document.querySelector('#school_id'); box.value = '';
         box.dispatchEvent(new Event('input', { bubbles: true })); return true;",
    )
    .await;
    browser.type_into("#school_id", text).await.unwrap();
}

/// The names of the schools offered under the box, in order.
async fn offered(browser: &Browser) -> Vec<String> {
    let names = js(
        browser,
        "return [...document.querySelectorAll('#school-results .school-result .name')]
            .map((n) => n.textContent);",
    )
    .await;
    serde_json::from_value(names).unwrap()
}

/// How many sessions the API lists for the officer's station (`X-Total-Count`).
async fn station_sessions(app: &TestApp, station: i64) -> i64 {
    let res = app
        .get(&format!("/api/v1/sessions?limit=1&station_id={station}"))
        .await;
    assert_eq!(res.status(), 200);
    res.headers()["X-Total-Count"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn an_officer_keeps_a_draft_through_an_expired_sign_in_and_confirms_a_refused_duplicate() {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    let (code,): (String,) = sqlx::query_as("SELECT code FROM schools WHERE name = '雕庄小学'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let browser = phone(&app).await;
    browser
        .wait_for(&format!("#station_id option[value='{station}']:checked"))
        .await
        .unwrap();
    browser.wait_for(".chip").await.unwrap();

    // The school, found three ways by tapping a result; the page has no <datalist>.
    search_school(&browser, "雕庄初中").await;
    browser
        .wait_for_text("#school-results", |t| t.contains("雕庄初级中学"))
        .await
        .unwrap();
    assert_eq!(
        offered(&browser).await.first().map(String::as_str),
        Some("雕庄初级中学"),
        "the short name's school first"
    );
    browser
        .screenshot("officer-school-short-name-360")
        .await
        .unwrap();
    search_school(&browser, "dzcz").await;
    browser
        .wait_for_text("#school-results", |t| t.contains("雕庄初级中学"))
        .await
        .unwrap();
    // The keyboard's search key takes the first school and sends nothing.
    browser.type_into("#school_id", "\u{E007}").await.unwrap();
    browser
        .wait_until_true("return document.querySelector('#school_id').value === '雕庄初级中学';")
        .await
        .unwrap();
    assert!(browser
        .client
        .find_all(fantoccini::Locator::Css("form.session p.error"))
        .await
        .unwrap()
        .is_empty());
    search_school(&browser, &code.to_lowercase()).await;
    browser
        .wait_for_text("#school-results", |t| t.contains("雕庄小学"))
        .await
        .unwrap();
    assert_eq!(offered(&browser).await, ["雕庄小学"], "the code finds one");
    assert_eq!(
        js(
            &browser,
            "return document.querySelectorAll('datalist').length;"
        )
        .await,
        json!(0)
    );
    let result = browser
        .wait_for("#school-results .school-result")
        .await
        .unwrap();
    let height = js(
        &browser,
        "return document.querySelector('#school-results .school-result').getBoundingClientRect().height;",
    )
    .await;
    assert!(height.as_f64().unwrap() >= 44.0, "a 44 px result: {height}");
    result.click().await.unwrap();
    browser
        .wait_until_gone("#school-results:not([hidden])")
        .await
        .unwrap();
    assert_eq!(
        browser
            .wait_for("#school_id")
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap(),
        Some("雕庄小学".to_string())
    );

    // A failed save goes to the first field in error: the topics, above the fold's end.
    browser.type_into("#audience-students", "80").await.unwrap();
    browser.click("#save").await.unwrap();
    browser.wait_for("#topic_ids-error").await.unwrap();
    browser
        .wait_until_true(
            "return document.activeElement && document.activeElement.id === 'topic_ids';",
        )
        .await
        .unwrap();
    let top = js(
        &browser,
        "return document.querySelector('#topic_ids-error').getBoundingClientRect().bottom;",
    )
    .await;
    assert!(
        top.as_f64().unwrap() < 740.0 - 100.0,
        "the message is on screen above the save bar: {top}"
    );
    let summary = browser.text_of(".save-bar [role=alert]").await.unwrap();
    assert!(summary.contains("需要修改"), "{summary}");
    browser.screenshot("officer-save-failed-360").await.unwrap();
    browser.click(".chip").await.unwrap();

    // The sign-in times out (idle for 31 minutes) before 保存 is tapped.
    let idle =
        (Utc::now() - Duration::minutes(31)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let officer = app.id_of("users", "username", OFFICER).await;
    sqlx::query("UPDATE auth_sessions SET last_seen_at = $1 WHERE user_id = $2")
        .bind(idle)
        .bind(officer)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let before = station_sessions(&app, station).await;
    browser.click("#save").await.unwrap();
    let ended = browser.text_of("main p.notice.bad").await.unwrap();
    assert!(ended.contains("登录已超时"), "{ended}");
    browser.type_into("#username", OFFICER).await.unwrap();
    browser
        .type_into("#password", humiao_tests::DEMO_PASSWORD)
        .await
        .unwrap();
    browser
        .click("form.login button[type=submit]")
        .await
        .unwrap();

    // Signed in again: the form holds what was typed, and says so.
    browser.wait_for("#draft-restored").await.unwrap();
    browser
        .wait_until_true(
            "return document.querySelector('#school_id').value === '雕庄小学'
            && document.querySelector('#audience-students').value === '80'
            && document.querySelector('.chip').getAttribute('aria-pressed') === 'true';",
        )
        .await
        .unwrap();
    browser
        .screenshot("officer-draft-restored-360")
        .await
        .unwrap();
    browser.click("#save").await.unwrap();
    let saved = browser
        .wait_for_text(".save-bar .notice.ok", |t| t.starts_with("已保存"))
        .await
        .unwrap();
    assert!(
        saved.contains("雕庄小学") && saved.contains("80 人次"),
        "{saved}"
    );
    assert_eq!(station_sessions(&app, station).await, before + 1);
    browser.wait_until_gone("#draft-restored").await.unwrap();
    assert_eq!(
        js(
            &browser,
            "return localStorage.getItem('humiao.draft.officer.diaozhuang');"
        )
        .await,
        Value::Null,
        "the draft went with the save"
    );

    // Offline, the same talk again (the form keeps school and topics): kept in the outbox.
    browser.set_offline(true).await.unwrap();
    browser.type_into("#audience-students", "80").await.unwrap();
    browser.click("#save").await.unwrap();
    browser
        .wait_for_text("#outbox-count", |t| t.starts_with("1 "))
        .await
        .unwrap();
    let queued = browser.text_of(".save-bar .notice.ok").await.unwrap();
    assert!(queued.contains("网络不通"), "{queued}");

    // Back online, the server refuses it as a duplicate: the entry says what it was, and the
    // stale "network down" message is gone.
    browser.set_offline(false).await.unwrap();
    let refused = browser
        .wait_for_text("#outbox-refused li.refused", |t| t.contains("80 人次"))
        .await
        .unwrap();
    assert!(refused.contains("雕庄小学"), "{refused}");
    browser.wait_until_gone("#outbox").await.unwrap();
    browser
        .wait_until_gone(".save-bar .notice.ok")
        .await
        .unwrap();
    // Said by 保存, where the officer tapped, and the notice is brought into sight.
    let said = browser.text_of(".save-bar [role=alert]").await.unwrap();
    assert!(said.contains("未被服务器接受"), "{said}");
    browser
        .wait_until_true(
            // Scrolled to the top of the window, the box may sit a fraction of a pixel above
            // it (the header's height in rem is not a whole number of pixels).
            "const r = document.querySelector('#outbox-refused').getBoundingClientRect();
             return r.top > -1 && r.top < 300;",
        )
        .await
        .unwrap();
    let buttons = browser.text_of("#outbox-refused .buttons").await.unwrap();
    assert!(!buttons.contains("OK"), "Chinese buttons: {buttons}");
    browser
        .screenshot("officer-outbox-refused-360")
        .await
        .unwrap();
    assert_eq!(station_sessions(&app, station).await, before + 1);

    // Reopened in the form: the reason by 保存 and the box that confirms another session.
    browser.click("#outbox-refused .reopen").await.unwrap();
    browser.wait_until_gone("#outbox-refused").await.unwrap();
    browser
        .wait_until_true(
            "return document.activeElement && document.activeElement.id === 'confirm_distinct';",
        )
        .await
        .unwrap();
    let reason = browser.text_of(".save-bar [role=alert]").await.unwrap();
    assert!(!reason.is_empty());
    let label = browser.text_of("label.confirm-distinct").await.unwrap();
    assert!(label.starts_with("确认这是另一场宣讲"), "{label}");
    browser
        .screenshot("officer-duplicate-reopened-360")
        .await
        .unwrap();
    browser.click("#confirm_distinct").await.unwrap();
    browser.click("#save").await.unwrap();
    browser
        .wait_for_text(".save-bar .notice.ok", |t| t.starts_with("已保存"))
        .await
        .unwrap();
    assert_eq!(
        station_sessions(&app, station).await,
        before + 2,
        "exactly one more session, the confirmed one"
    );
}

#[tokio::test]
async fn the_stations_sessions_read_as_cards_with_edit_and_delete_in_reach_on_a_phone() {
    let app = spawn_app().await;
    let browser = phone(&app).await;

    // 复制上一场 answers beside the button, not at the end of the form.
    browser.click("#repeat-last").await.unwrap();
    browser
        .wait_for_text("#repeat-note", |t| t.starts_with("已复制上一场"))
        .await
        .unwrap();
    let gap = js(
        &browser,
        "return document.querySelector('#repeat-note').getBoundingClientRect().top
            - document.querySelector('#repeat-last').getBoundingClientRect().bottom;",
    )
    .await;
    assert!(gap.as_f64().unwrap() < 20.0, "beside the button: {gap}");

    // The latest sessions under the form show 人次 within the screen.
    browser.wait_for("#recent-sessions tbody tr").await.unwrap();
    let right = js(
        &browser,
        "return document.querySelector('#recent-sessions tbody tr td.num').getBoundingClientRect().right;",
    )
    .await;
    assert!(right.as_f64().unwrap() <= 360.0, "人次 on screen: {right}");

    browser
        .client
        .goto(&format!("{}/sessions", app.url))
        .await
        .unwrap();
    let row = browser
        .wait_for("#station-sessions tbody tr")
        .await
        .unwrap();
    let id = row.attr("data-session").await.unwrap().unwrap();
    // 修改 and 删除: on screen, 44 px tall, apart.
    let boxes = js(
        &browser,
        "const row = document.querySelector('#station-sessions tbody tr');
         return ['a.edit', 'button.delete'].map((css) => {
           const r = row.querySelector(css).getBoundingClientRect();
           return [r.left, r.right, r.height];
         });",
    )
    .await;
    let boxes: Vec<[f64; 3]> = serde_json::from_value(boxes).unwrap();
    let ([edit_left, edit_right, edit_height], [delete_left, delete_right, delete_height]) =
        (boxes[0], boxes[1]);
    assert!(
        edit_left >= 0.0 && delete_right <= 360.0,
        "on screen: {boxes:?}"
    );
    assert!(
        edit_height >= 44.0 && delete_height >= 44.0,
        "44 px: {boxes:?}"
    );
    assert!(delete_left - edit_right >= 16.0, "apart: {boxes:?}");
    let wide = js(&browser, "return document.documentElement.scrollWidth;").await;
    assert!(wide.as_i64().unwrap() <= 360, "no sideways scroll: {wide}");
    browser
        .screenshot_whole_page("officer-sessions-cards-360")
        .await
        .unwrap();

    // 删除 asks first: said no, the session stays.
    browser
        .click(&format!("tr[data-session='{id}'] button.delete"))
        .await
        .unwrap();
    let question = browser.client.get_alert_text().await.unwrap();
    assert_eq!(question, "确定删除这条记录？");
    browser.client.dismiss_alert().await.unwrap();
    let kept = app.get(&format!("/api/v1/sessions/{id}")).await;
    assert_eq!(kept.status(), 200, "still there");
    browser
        .click(&format!("tr[data-session='{id}'] button.delete"))
        .await
        .unwrap();
    browser.client.accept_alert().await.unwrap();
    browser
        .wait_until_gone(&format!("tr[data-session='{id}']"))
        .await
        .unwrap();
    let gone = app.get(&format!("/api/v1/sessions/{id}")).await;
    assert_eq!(gone.status(), 404);
}

#[tokio::test]
async fn an_entry_logged_offline_in_a_month_submitted_meanwhile_is_kept_with_the_lock_s_reason() {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    let month = humiao_shared::returns::month_of(humiao_server::clock::today());
    for sql in [
        "DELETE FROM return_events WHERE return_id IN
           (SELECT id FROM monthly_returns WHERE station_id = $1 AND month = $2)",
        "DELETE FROM monthly_returns WHERE station_id = $1 AND month = $2",
    ] {
        sqlx::query(sql)
            .bind(station)
            .bind(&month)
            .execute(&app.db.pool)
            .await
            .unwrap();
    }
    let (code,): (String,) = sqlx::query_as("SELECT code FROM schools WHERE name = '雕庄小学'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let browser = phone(&app).await;
    browser
        .wait_for(&format!("#station_id option[value='{station}']:checked"))
        .await
        .unwrap();
    browser.wait_for(".chip").await.unwrap();
    search_school(&browser, &code.to_lowercase()).await;
    browser
        .wait_for_text("#school-results", |t| t.contains("雕庄小学"))
        .await
        .unwrap();
    browser
        .click("#school-results .school-result")
        .await
        .unwrap();
    browser.type_into("#audience-students", "60").await.unwrap();
    browser.click(".chip").await.unwrap();

    // Offline, today's talk waits in the outbox; meanwhile the station submits this month.
    browser.set_offline(true).await.unwrap();
    browser.click("#save").await.unwrap();
    browser
        .wait_for_text("#outbox-count", |t| t.starts_with("1 "))
        .await
        .unwrap();
    let before = station_sessions(&app, station).await;
    let res = app
        .client_as(OFFICER)
        .await
        .post(format!(
            "{}/api/v1/returns/{station}/{month}/submit",
            app.url
        ))
        .header("If-Match", "\"0\"")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    // Back online, the month is locked: the entry is kept, saying why, and nothing is stored.
    browser.set_offline(false).await.unwrap();
    let why = browser
        .wait_for_text("#outbox-refused li.refused .why", |t| t.contains("锁定"))
        .await
        .unwrap();
    assert!(why.contains(&month) && why.contains("待审核"), "{why}");
    browser.wait_until_gone("#outbox").await.unwrap();
    assert_eq!(station_sessions(&app, station).await, before);
    let kept = js(
        &browser,
        "return localStorage.getItem('humiao.outbox.officer.diaozhuang');",
    )
    .await;
    let kept: Value = serde_json::from_str(kept.as_str().unwrap()).unwrap();
    assert_eq!(kept["refused"][0]["code"], "period_locked");
    assert_eq!(kept["waiting"], json!([]));
    browser
        .screenshot("officer-outbox-locked-360")
        .await
        .unwrap();
}
