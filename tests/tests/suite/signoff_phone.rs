//! The sign-off at phone size (issue 17), in headless Chromium at 360 × 740: an officer
//! submits March from 月报; the district leader, from 待办, sends it back with a reason (the
//! form refuses to send without one); the officer reads the reason in 待办 under the
//! header's count, fixes a session of March (locked while submitted, open again once sent
//! back) and submits again; the leader approves; the city accepts, and its dashboard's 已审核
//! figures take March in. Screenshots of each step are saved (`signoff-*-360.png`). Then the
//! reminders a leader prints, one notice per station and page, a school's films to confirm
//! in its 待办, and a move at a version someone changed meanwhile, said and reloaded.

use chrono::Datelike;
use humiao_server::clock;
use humiao_tests::browser::Browser;
use humiao_tests::fixtures::{demo_refs, session_entry};
use humiao_tests::{spawn_app, TestApp};
use serde_json::Value;

/// Signs in at `path` (the page stays there) as `username`, in a browser the size of a phone.
async fn phone_at(app: &TestApp, username: &str, path: &str) -> Browser {
    let browser = Browser::start().await.expect("Chromium starts");
    browser.client.set_window_size(360, 740).await.unwrap();
    browser
        .sign_in(&format!("{}{path}", app.url), username)
        .await
        .unwrap();
    browser
}

/// The state the return's card shows, once it shows `state`.
async fn card_reaches(browser: &Browser, card: &str, state: &str) {
    browser
        .wait_for(&format!("{card}[data-state='{state}']"))
        .await
        .unwrap_or_else(|e| panic!("{card} reaches {state}: {e}"));
}

/// Whether the page is wider than the phone (something would scroll sideways).
async fn overflows(browser: &Browser) -> bool {
    browser
        .client
        .execute(
            "return document.documentElement.scrollWidth > window.innerWidth;",
            vec![],
        )
        .await
        .unwrap()
        == Value::Bool(true)
}

/// Opens the dashboard as it first shows, switches it to 已审核 and waits until it shows
/// what the API answers for that view (`data=accepted`): the badge and the sessions figure.
/// Returns that answer.
async fn accepted_dashboard(app: &TestApp, browser: &Browser) -> Value {
    let want = app.get_json("/api/v1/dashboard?data=accepted").await;
    browser
        .client
        .goto(&format!("{}/dashboard", app.url))
        .await
        .unwrap();
    let thousands = humiao_shared::charts::thousands;
    let badge = format!(
        "{} / {} 个所月报已审核",
        thousands(want["reviewed"]["accepted"].as_i64().unwrap()),
        thousands(want["reviewed"]["expected"].as_i64().unwrap())
    );
    browser
        .wait_for_text("#reviewed-badge", |t| t == badge)
        .await
        .unwrap();
    browser.click("#filter-toggle").await.unwrap();
    browser
        .click("#filter-data input[value=accepted]")
        .await
        .unwrap();
    let sessions = thousands(want["summary"]["sessions"].as_i64().unwrap());
    browser
        .wait_for_text("#figure-sessions .value", |t| t == sessions)
        .await
        .unwrap();
    want
}

async fn state_of(app: &TestApp, station: i64, month: &str) -> String {
    app.get_json(&format!("/api/v1/returns/{station}/{month}"))
        .await["state"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn march_is_submitted_returned_with_a_reason_fixed_resubmitted_approved_and_accepted() {
    let app = spawn_app().await;
    let year = clock::today().year();
    let month = format!("{year}-03");
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    // March starts open whatever the demo made of it, with one session of 雕庄 to fix.
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
    let refs = demo_refs(&app.client, &app.url).await;
    let mut entry = session_entry(&refs, "三月讲座（待核对）");
    entry["held_on"] = format!("{month}-12").into();
    let res = app.post_json("/api/v1/sessions", &entry).await;
    assert_eq!(res.status(), 201);
    let session: Value = res.json().await.unwrap();
    let session_id = session["id"].as_i64().unwrap();
    let card = format!("#return-{station}-{month}");

    // The officer opens March in 月报: its figures and warnings are open, and 上报 sends it.
    let officer = phone_at(
        &app,
        "officer.diaozhuang",
        &format!("/returns?month={month}"),
    )
    .await;
    officer
        .wait_for(&format!("{card} .return-details"))
        .await
        .unwrap();
    officer
        .screenshot("signoff-officer-march-360")
        .await
        .unwrap();
    assert!(!overflows(&officer).await, "月报 fits a 360 px phone");
    officer
        .click(&format!("{card} button[data-action='submit']"))
        .await
        .unwrap();
    card_reaches(&officer, &card, "submitted").await;
    officer
        .wait_for_text(".notice.ok", |t| t.contains("上报"))
        .await
        .unwrap();
    assert_eq!(state_of(&app, station, &month).await, "submitted");
    // Submitted, March is locked: the officer's edit is refused, naming the state.
    let officer_api = app.client_as("officer.diaozhuang").await;
    let mut fixed = entry.clone();
    fixed["audience"]["students"] = 45.into();
    fixed["notes"] = "三月讲座（已按签到表更正）".into();
    let put = officer_api
        .put(format!("{}/api/v1/sessions/{session_id}", app.url))
        .header("If-Match", "\"1\"")
        .json(&fixed)
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 409);
    assert_eq!(put.json::<Value>().await.unwrap()["code"], "period_locked");

    // The district leader finds it in 待办 and sends it back; without a reason the form
    // says one is needed and sends nothing.
    let leader = phone_at(&app, "leader.tianning", "/todo").await;
    leader
        .wait_for_text("#todo", |t| t.contains("雕庄派出所") && t.contains(&month))
        .await
        .unwrap();
    leader.screenshot("signoff-leader-todo-360").await.unwrap();
    assert!(!overflows(&leader).await, "待办 fits a 360 px phone");
    leader
        .click(&format!(
            ".todo-item[data-kind='review'] a[href='/returns?month={month}&state=submitted']"
        ))
        .await
        .unwrap();
    // The first tap opens the reason's field and says it is needed; the second, with the
    // field empty, is refused beside it.
    leader
        .click(&format!("{card} button[data-action='return']"))
        .await
        .unwrap();
    let hint = leader
        .text_of(&format!("{card} .return-actions .hint"))
        .await
        .unwrap();
    assert!(hint.contains("必填"), "{hint}");
    leader
        .click(&format!("{card} button[data-action='return']"))
        .await
        .unwrap();
    leader
        .wait_for_text(&format!("{card} .return-actions .notice.bad"), |t| {
            t.contains("必填")
        })
        .await
        .unwrap();
    assert_eq!(state_of(&app, station, &month).await, "submitted");
    let reason = "三月讲座人数与签到表不符，请核对后重报";
    leader
        .type_into(&format!("{card} textarea"), reason)
        .await
        .unwrap();
    leader
        .screenshot("signoff-leader-return-360")
        .await
        .unwrap();
    leader
        .click(&format!("{card} button[data-action='return']"))
        .await
        .unwrap();
    // The list shows what waits for review: March has left it.
    leader.wait_until_gone(&card).await.unwrap();
    assert_eq!(state_of(&app, station, &month).await, "returned");

    // The officer sees the reason in 待办, with the count in the header.
    officer
        .client
        .goto(&format!("{}/todo", app.url))
        .await
        .unwrap();
    let item = officer
        .wait_for_text(".todo-item[data-kind='submit'] .return-reason", |t| {
            t.contains(reason)
        })
        .await
        .unwrap();
    assert!(item.starts_with("退回原因"), "{item}");
    let count: i64 = officer
        .text_of("#todo-count")
        .await
        .unwrap()
        .parse()
        .unwrap();
    let listed = app.client_as("officer.diaozhuang").await;
    let todo: Value = listed
        .get(format!("{}/api/v1/todo", app.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(count, todo["count"].as_i64().unwrap());
    officer
        .screenshot("signoff-officer-todo-360")
        .await
        .unwrap();

    // Sent back, March is open again: the session is fixed in its form.
    officer
        .client
        .goto(&format!("{}/sessions/{session_id}", app.url))
        .await
        .unwrap();
    let students = officer.wait_for("#audience-students").await.unwrap();
    students.clear().await.unwrap();
    students.send_keys("45").await.unwrap();
    officer
        .click("form.session button[type=submit]")
        .await
        .unwrap();
    officer.wait_for("#station-sessions").await.unwrap();
    let stored = app
        .get_json(&format!("/api/v1/sessions/{session_id}"))
        .await;
    assert_eq!(stored["audience"]["students"], 45);

    // Submitted again from the returned item, approved by the district, accepted by the city.
    officer
        .client
        .goto(&format!("{}/todo", app.url))
        .await
        .unwrap();
    officer
        .click(&format!(
            ".todo-item[data-kind='submit'] a[href='/returns?month={month}']"
        ))
        .await
        .unwrap();
    officer
        .click(&format!("{card} button[data-action='submit']"))
        .await
        .unwrap();
    card_reaches(&officer, &card, "submitted").await;

    leader
        .client
        .goto(&format!(
            "{}/returns?month={month}&state=submitted",
            app.url
        ))
        .await
        .unwrap();
    leader
        .click(&format!("{card} button[data-action='approve']"))
        .await
        .unwrap();
    leader.wait_until_gone(&card).await.unwrap();
    assert_eq!(state_of(&app, station, &month).await, "approved");

    // The city's dashboard, limited to 已审核, before and after the city accepts: March of
    // 雕庄 joins the accepted figures (its sessions) and the badge counts one more return.
    let march = format!(
        "/api/v1/dashboard?campaign_id={}&station_id={station}&from={month}-01&to={month}-31",
        refs.campaign_id
    );
    let slice = |data: &str| {
        let path = format!("{march}&data={data}");
        let app = &app;
        async move { app.get_json(&path).await }
    };
    let march_sessions = slice("all").await["summary"]["sessions"].as_i64().unwrap();
    assert!(march_sessions >= 1);
    let before = slice("accepted").await;
    assert_eq!(
        before["summary"]["sessions"], 0,
        "March is not accepted yet"
    );
    assert_eq!(before["reviewed"]["accepted"], 0);
    assert_eq!(before["reviewed"]["expected"], 1);
    let city = phone_at(&app, "leader", "/dashboard").await;
    let whole_before = accepted_dashboard(&app, &city).await;
    city.client
        .goto(&format!("{}/returns?month={month}&state=approved", app.url))
        .await
        .unwrap();
    city.click(&format!("{card} button[data-action='accept']"))
        .await
        .unwrap();
    city.wait_until_gone(&card).await.unwrap();
    assert_eq!(state_of(&app, station, &month).await, "accepted");
    let after = slice("accepted").await;
    assert_eq!(after["summary"]["sessions"], march_sessions);
    assert_eq!(after["reviewed"]["accepted"], 1);
    let whole_after = accepted_dashboard(&app, &city).await;
    let figure = |v: &Value, path: &str| v.pointer(path).and_then(Value::as_i64).unwrap();
    assert_eq!(
        figure(&whole_after, "/reviewed/accepted"),
        figure(&whole_before, "/reviewed/accepted") + 1
    );
    assert_eq!(
        figure(&whole_after, "/reviewed/expected"),
        figure(&whole_before, "/reviewed/expected")
    );
    assert_eq!(
        figure(&whole_after, "/summary/sessions"),
        figure(&whole_before, "/summary/sessions") + march_sessions
    );
    city.screenshot("signoff-city-dashboard-accepted-360")
        .await
        .unwrap();

    // The return's history reads every step, with the reason.
    let history = app
        .get_json(&format!("/api/v1/returns/{station}/{month}/history"))
        .await;
    let steps: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["submit", "return", "submit", "approve", "accept"]);
    assert_eq!(history[1]["reason"], reason);
    city.client
        .goto(&format!("{}/returns?month={month}", app.url))
        .await
        .unwrap();
    city.click(&format!("{card} .return-toggle")).await.unwrap();
    city.wait_for_text(&format!("{card} ol.history"), |t| t.contains(reason))
        .await
        .unwrap();
    city.screenshot("signoff-city-history-360").await.unwrap();
}

#[tokio::test]
async fn the_reminders_print_a_notice_per_station_and_a_school_sees_its_films_to_confirm() {
    let app = spawn_app().await;
    let today = clock::today();
    let month = humiao_shared::returns::month_of(humiao_shared::todo::last_ended_month(today));
    for sql in [
        "DELETE FROM return_events WHERE return_id IN
           (SELECT id FROM monthly_returns WHERE month = $1)",
        "DELETE FROM monthly_returns WHERE month = $1",
    ] {
        sqlx::query(sql)
            .bind(&month)
            .execute(&app.db.pool)
            .await
            .unwrap();
    }
    let rows: Value = app
        .client_as("leader.tianning")
        .await
        .get(format!("{}/api/v1/todo/reminders?format=json", app.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let rows = rows.as_array().unwrap().len();
    assert!(rows > 1, "every station of 天宁 is late for {month}");

    // One notice per station, on screen and in print, where each takes a page of its own.
    let leader = phone_at(&app, "leader.tianning", "/todo/reminders").await;
    leader
        .wait_until_true(&format!(
            "return document.querySelectorAll('section.reminder-sheet').length === {rows};"
        ))
        .await
        .unwrap();
    let first = leader.text_of("section.reminder-sheet").await.unwrap();
    assert!(
        first.starts_with("月报催报通知") && first.contains("天宁分局") && first.contains(&month),
        "{first}"
    );
    assert!(
        !overflows(&leader).await,
        "the reminders fit a 360 px phone"
    );
    leader.screenshot("signoff-reminders-360").await.unwrap();
    leader
        .cdp(
            "Emulation.setEmulatedMedia",
            serde_json::json!({"media": "print"}),
        )
        .await
        .unwrap();
    leader
        .wait_until_true(
            "return getComputedStyle(document.querySelector('header.top')).display === 'none'
                && getComputedStyle(document.querySelector('section.reminder-sheet'))
                       .breakAfter === 'page';",
        )
        .await
        .unwrap();

    // A school's 待办: a film of an open window, with the days left.
    let school = app.id_of("schools", "name", "雕庄小学").await;
    let year_end = chrono::NaiveDate::from_ymd_opt(today.year(), 12, 31).unwrap();
    let closes = (today + chrono::Duration::days(10)).min(year_end);
    let film = &app.get_json("/api/v1/films").await[0];
    let res = app
        .post_json(
            "/api/v1/assignments",
            &serde_json::json!({"campaign_id": app.current_campaign().await,
                "title": "寒假安全观看", "film_ids": [film["id"]], "school_ids": [school],
                "opens_on": today.to_string(), "closes_on": closes.to_string()}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let by_school = phone_at(&app, "school.diaozhuang", "/todo").await;
    let title = film["title"].as_str().unwrap();
    let item = by_school
        .wait_for_text("#todo", |t| t.contains(title) && t.contains("寒假安全观看"))
        .await
        .unwrap();
    assert!(item.contains(&closes.to_string()), "{item}");
    by_school.wait_for("#todo-count").await.unwrap();
    assert!(
        !overflows(&by_school).await,
        "a school's 待办 fits a 360 px phone"
    );
    by_school
        .screenshot("signoff-school-todo-360")
        .await
        .unwrap();
}

#[tokio::test]
async fn a_leader_acting_on_a_return_changed_meanwhile_is_told_and_shown_it_again() {
    let app = spawn_app().await;
    let month = format!("{}-03", clock::today().year());
    let station = app.id_of("stations", "name", "雕庄派出所").await;
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
    let move_as = |who: &'static str, action: &'static str, version: i64| {
        let (app, month) = (&app, month.clone());
        async move {
            app.client_as(who)
                .await
                .post(format!(
                    "{}/api/v1/returns/{station}/{month}/{action}",
                    app.url
                ))
                .header("If-Match", format!("\"{version}\""))
                .json(&serde_json::json!({"reason": "按分局要求重新核对"}))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(move_as("officer.diaozhuang", "submit", 0).await, 200);
    let card = format!("#return-{station}-{month}");
    let leader = phone_at(
        &app,
        "leader.tianning",
        &format!("/returns?month={month}&state=submitted"),
    )
    .await;
    card_reaches(&leader, &card, "submitted").await;

    // An administrator reopens it while the leader's page still shows it submitted.
    assert_eq!(move_as("admin", "reopen", 1).await, 200);
    leader
        .click(&format!("{card} button[data-action='approve']"))
        .await
        .unwrap();
    let said = leader.text_of(".notice.bad[role=alert]").await.unwrap();
    assert!(
        said.contains("已被他人修改") && said.contains("重新加载"),
        "{said}"
    );
    // Reloaded: no longer waiting for review, so it leaves the list; nothing was approved.
    leader.wait_until_gone(&card).await.unwrap();
    assert_eq!(state_of(&app, station, &month).await, "open");
    leader.screenshot("signoff-stale-360").await.unwrap();
}
