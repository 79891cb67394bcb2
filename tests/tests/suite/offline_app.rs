//! An officer's phone without a signal, for real: the server is gone, not just the browser's
//! network. The app opens from the copies its service worker kept, a session logged there
//! waits in the outbox, and it reaches the server once, when the server is back.
//!
//! The server runs as a process of its own so that it can be stopped and started again at
//! the same address (a service worker belongs to one origin). ChromeDriver's offline mode
//! would not do: it cuts the page's requests, not the service worker's.

use humiao_server::db::Db;
use humiao_tests::browser::Browser;
use humiao_tests::process::ServerProcess;
use humiao_tests::TestDatabase;

/// True once the service worker kept the module (by the hashed name the page preloads) and
/// the answers the form was filled from (`execute` waits for the promise).
const COPIES_KEPT: &str = "return Promise.all([
        caches.match(document.querySelector('link[rel=preload][as=fetch]').href),
        caches.match('/api/v1/auth/me'),
        caches.match('/api/v1/topics'),
        caches.match('/api/v1/campaigns'),
        caches.match('/api/v1/stations'),
    ]).then((kept) => kept.every((k) => k !== undefined));";

/// The officer signs in with a signal. Once the service worker controls the page, a reload
/// goes through it and leaves copies of the app and of the lists the form is filled from, as
/// an officer's morning visit would; this waits until they are kept.
async fn visit_with_a_signal(browser: &Browser, url: &str) {
    browser.sign_in(url, "officer.diaozhuang").await.unwrap();
    browser
        .wait_until_true("return navigator.serviceWorker.controller !== null;")
        .await
        .unwrap();
    browser.client.refresh().await.unwrap();
    browser.wait_for(".chip").await.unwrap();
    // The station's schools are in: a part of a name finds one (then the box is emptied, so
    // that no draft is left).
    browser.type_into("#school_id", "雕庄").await.unwrap();
    browser
        .wait_for("#school-results .school-result")
        .await
        .unwrap();
    browser
        .client
        .execute(
            "const box = document.querySelector('#school_id'); box.value = '';
             box.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![],
        )
        .await
        .unwrap();
    browser.wait_until_true(COPIES_KEPT).await.unwrap();
}

async fn sessions(db: &Db) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    n
}

#[tokio::test]
async fn an_officer_opens_the_app_while_the_server_is_down_and_the_session_logged_there_arrives_once(
) {
    let database = TestDatabase::create().await;
    let mut server = ServerProcess::start(&database.url, &database.data_dir()).unwrap();
    let url = server.url.clone();
    let browser = Browser::start().await.expect("Chromium starts");
    visit_with_a_signal(&browser, &url).await;

    server.kill9();
    let db = Db::connect(&database.url).await.unwrap();
    let before = sessions(&db).await;
    browser.client.refresh().await.unwrap();
    // The form, signed in as before, with its lists.
    assert_eq!(browser.text_of("main h1").await.unwrap(), "记录一场宣讲");
    assert!(browser
        .text_of("header .who")
        .await
        .unwrap()
        .starts_with("officer.diaozhuang"));
    // The recent sessions are not kept: the list says so in words, not the browser's.
    assert_eq!(
        browser.text_of("main p.notice.bad").await.unwrap(),
        "无法连接服务器，请检查网络后重试。"
    );
    browser.type_into("#school_id", "雕庄小学").await.unwrap();
    browser.click(".chip").await.unwrap();
    browser.type_into("#audience-students", "66").await.unwrap();
    browser.click("button[type=submit]").await.unwrap();
    let waiting = browser
        .wait_for_text("#outbox-count", |t| t.starts_with("1 "))
        .await
        .unwrap();
    assert_eq!(waiting, "1 条记录等待发送");
    browser
        .screenshot_whole_page("officer-app-opened-offline")
        .await
        .unwrap();
    assert_eq!(sessions(&db).await, before, "no server, no row");

    let bind = url.trim_start_matches("http://").to_string();
    let _server = ServerProcess::start_at(&database.url, &database.data_dir(), &bind).unwrap();
    // Sent at the next retry (every 10 s), or at once from the button if it is still there.
    browser
        .client
        .execute(
            "const send = document.querySelector('#outbox button'); if (send) send.click();",
            vec![],
        )
        .await
        .unwrap();
    browser.wait_until_gone("#outbox").await.unwrap();
    assert_eq!(sessions(&db).await, before + 1, "exactly one new row");
    browser.client.refresh().await.unwrap();
    browser.wait_for("#recent-sessions").await.unwrap();
    assert_eq!(sessions(&db).await, before + 1);
}

#[tokio::test]
async fn after_signing_out_the_app_opened_while_the_server_is_down_shows_no_one_signed_in() {
    let database = TestDatabase::create().await;
    let mut server = ServerProcess::start(&database.url, &database.data_dir()).unwrap();
    let browser = Browser::start().await.expect("Chromium starts");
    visit_with_a_signal(&browser, &server.url).await;
    // A shared phone: the officer signs out and hands it on.
    browser.click("#sign-out").await.unwrap();
    browser.wait_for("form.login").await.unwrap();

    server.kill9();
    browser.client.refresh().await.unwrap();
    // The app itself opens, but says the server cannot be reached rather than showing the
    // last person's page.
    let notice = browser.text_of("main [role=alert]").await.unwrap();
    assert!(!notice.is_empty());
    assert!(browser
        .client
        .find_all(fantoccini::Locator::Css("header .who"))
        .await
        .unwrap()
        .is_empty());
}
