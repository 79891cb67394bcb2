//! Typed calls to the server's API, over the structs in `shared`.

use std::fmt;

use gloo_net::http::{Request, Response};
use humiao_shared::account::{Login, Me};
use humiao_shared::film::Film;
use humiao_shared::org::{Campaign, School, Station, Topic};
use humiao_shared::returns::{
    MonthlyReturn, ReturnAction, ReturnEvent, ReturnSummary, TransitionInput,
};
use humiao_shared::screening::{Assignment, Confirmation, NewConfirmation};
use humiao_shared::session::{NewSession, Session};
use humiao_shared::Lang;
use humiao_shared::{ErrorBody, Health};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::i18n::T;

/// Why a call failed: no answer at all, or an error answer with its body.
#[derive(Debug, Clone)]
pub enum ApiFailure {
    Network(String),
    Answer {
        status: u16,
        body: Option<ErrorBody>,
    },
}

impl fmt::Display for ApiFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lang = language();
        match self {
            // The browser's own words ("TypeError: Failed to fetch") help no officer; they
            // went to the console when the failure was met.
            ApiFailure::Network(_) => write!(f, "{}", T::NetworkDown.get(lang)),
            ApiFailure::Answer { body: Some(b), .. } => write!(f, "{}", b.message),
            ApiFailure::Answer { status, body: None } => {
                write!(f, "{}（{status}）", T::ServerError.get(lang))
            }
        }
    }
}

impl std::error::Error for ApiFailure {}

pub type ApiResult<T> = Result<T, ApiFailure>;

/// A request that got no answer; the browser's reason goes to the console for whoever
/// debugs it, the user sees [`T::NetworkDown`].
fn network_failure(error: gloo_net::Error) -> ApiFailure {
    let detail = error.to_string();
    web_sys::console::warn_1(&format!("no answer from the server: {detail}").into());
    ApiFailure::Network(detail)
}

thread_local! {
    /// What to do when the server says no one is signed in (the session expired, or was
    /// ended elsewhere): the app shows the sign-in page again.
    static ON_SIGNED_OUT: std::cell::RefCell<Option<Box<dyn Fn()>>> =
        std::cell::RefCell::new(None);
}

/// Sets what happens when a call answers 401.
pub fn on_signed_out(action: impl Fn() + 'static) {
    ON_SIGNED_OUT.with(|cell| *cell.borrow_mut() = Some(Box::new(action)));
}

async fn read<T: DeserializeOwned>(response: Result<Response, gloo_net::Error>) -> ApiResult<T> {
    let response = response.map_err(network_failure)?;
    if response.status() == 401 {
        forget_offline_copies();
        ON_SIGNED_OUT.with(|cell| {
            if let Some(action) = cell.borrow().as_ref() {
                action();
            }
        });
    }
    if response.ok() {
        response.json::<T>().await.map_err(network_failure)
    } else {
        Err(ApiFailure::Answer {
            status: response.status(),
            body: response.json::<ErrorBody>().await.ok(),
        })
    }
}

thread_local! {
    /// The language the user chose; the server answers its messages in it.
    static LANGUAGE: std::cell::Cell<Lang> = const { std::cell::Cell::new(Lang::Zh) };
}

pub fn set_language(lang: Lang) {
    LANGUAGE.with(|l| l.set(lang));
}

fn language() -> Lang {
    LANGUAGE.with(|l| l.get())
}

/// Asks for the server's messages in the user's language, whatever the browser's own is.
fn chinese(request: gloo_net::http::RequestBuilder) -> gloo_net::http::RequestBuilder {
    request.header(
        "Accept-Language",
        match language() {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        },
    )
}

/// Sends `body` as JSON with `method`, and reads the answer.
async fn send<B: Serialize, R: DeserializeOwned>(
    request: gloo_net::http::RequestBuilder,
    body: &B,
) -> ApiResult<R> {
    let request = chinese(request).json(body).map_err(network_failure)?;
    read(request.send().await).await
}

/// A request with no answer body (204).
async fn send_empty(request: gloo_net::http::RequestBuilder) -> ApiResult<()> {
    let response = chinese(request).send().await.map_err(network_failure)?;
    if response.status() == 401 {
        forget_offline_copies();
        ON_SIGNED_OUT.with(|cell| {
            if let Some(action) = cell.borrow().as_ref() {
                action();
            }
        });
    }
    if response.ok() {
        Ok(())
    } else {
        Err(ApiFailure::Answer {
            status: response.status(),
            body: response.json::<ErrorBody>().await.ok(),
        })
    }
}

/// A fresh key for `Idempotency-Key`: a retry with the same key is stored once.
pub fn new_idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    let filled = window()
        .crypto()
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes))
        .is_ok();
    if !filled {
        // Uniqueness, not secrecy, is what matters here (keys are scoped per account).
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (js_sys::Math::random() * 256.0) as u8 ^ (i as u8);
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn window() -> web_sys::Window {
    leptos::prelude::window()
}

async fn get<T: DeserializeOwned>(url: &str) -> ApiResult<T> {
    read(chinese(Request::get(url)).send().await).await
}

pub async fn health() -> ApiResult<Health> {
    get("/api/health").await
}

pub async fn campaigns() -> ApiResult<Vec<Campaign>> {
    get("/api/v1/campaigns").await
}

pub async fn stations() -> ApiResult<Vec<Station>> {
    get("/api/v1/stations").await
}

pub async fn stations_of_district(district_id: i64) -> ApiResult<Vec<Station>> {
    get(&format!("/api/v1/stations?district_id={district_id}")).await
}

pub async fn schools_of(station_id: i64) -> ApiResult<Vec<School>> {
    get(&format!("/api/v1/schools?station_id={station_id}")).await
}

pub async fn topics() -> ApiResult<Vec<Topic>> {
    get("/api/v1/topics").await
}

pub async fn school(id: i64) -> ApiResult<School> {
    get(&format!("/api/v1/schools/{id}")).await
}

/// The screening assignments the viewer may see (a school: those that expect it).
pub async fn assignments() -> ApiResult<Vec<Assignment>> {
    get("/api/v1/assignments?limit=1000").await
}

/// The open cases the viewer may read (a volunteer: those they are paired with).
pub async fn open_cases() -> ApiResult<Vec<humiao_shared::mentoring::case::Case>> {
    get("/api/v1/cases?open=true&limit=1000").await
}

/// The viewer's rows on cases' teams (a volunteer: their own), to log contacts as.
pub async fn my_team_rows() -> ApiResult<Vec<humiao_shared::mentoring::team::TeamMember>> {
    get("/api/v1/case_team?limit=1000").await
}

/// Logs a contact with a case with its idempotency key, as sessions are: sent again after a
/// lost answer (from the outbox), it is stored once.
pub async fn create_contact(
    entry: &humiao_shared::mentoring::contact::NewContact,
    key: &str,
) -> ApiResult<humiao_shared::mentoring::contact::Contact> {
    send(
        Request::post("/api/v1/contacts").header("Idempotency-Key", key),
        entry,
    )
    .await
}

pub async fn films() -> ApiResult<Vec<Film>> {
    get("/api/v1/films").await
}

/// The confirmations the viewer may see (a school: its own), newest first.
pub async fn confirmations() -> ApiResult<Vec<Confirmation>> {
    get("/api/v1/confirmations?limit=1000").await
}

pub async fn create_confirmation(entry: &NewConfirmation) -> ApiResult<Confirmation> {
    send(Request::post("/api/v1/confirmations"), entry).await
}

/// Replaces a school's confirmation at the version it was read (the school corrects it).
pub async fn update_confirmation(
    id: i64,
    version: i64,
    entry: &NewConfirmation,
) -> ApiResult<Confirmation> {
    send(
        Request::put(&format!("/api/v1/confirmations/{id}"))
            .header("If-Match", &format!("\"{version}\"")),
        entry,
    )
    .await
}

/// What issuing these links would do (how many it revokes), changing nothing.
pub async fn preview_links(
    request: &humiao_shared::link::NewLinks,
) -> ApiResult<humiao_shared::link::LinksPreview> {
    send(Request::post("/api/v1/links/preview"), request).await
}

/// Issues links (revoking the schools' earlier ones for the campaign); the answer is the
/// only time their addresses are shown.
pub async fn issue_links(
    request: &humiao_shared::link::NewLinks,
) -> ApiResult<Vec<humiao_shared::link::IssuedLink>> {
    send(Request::post("/api/v1/links"), request).await
}

/// Who is signed in; 401 when no one is.
pub async fn me() -> ApiResult<Me> {
    get("/api/v1/auth/me").await
}

/// Who is signed in, as the app starts: the answer `boot.js` asked for while this module
/// downloaded (`window.__humiaoMe`), taken once so that a later sign-in is never answered
/// by it; asked now when there is none (or it failed).
pub async fn me_at_start() -> ApiResult<Me> {
    use wasm_bindgen::JsCast as _;
    let window = web_sys::window().expect("a window");
    let key = wasm_bindgen::JsValue::from_str("__humiaoMe");
    let early = js_sys::Reflect::get(&window, &key).ok();
    let _ = js_sys::Reflect::delete_property(&window, &key);
    if let Some(promise) = early.and_then(|p| p.dyn_into::<js_sys::Promise>().ok()) {
        if let Ok(answer) = wasm_bindgen_futures::JsFuture::from(promise).await {
            if let Ok(raw) = answer.dyn_into::<web_sys::Response>() {
                return read(Ok(Response::from(raw))).await;
            }
        }
    }
    me().await
}

pub async fn login(login: &Login) -> ApiResult<Me> {
    send(Request::post("/api/v1/auth/login"), login).await
}

/// A school opens its link: the secret from the address's `#` part.
pub async fn link_login(secret: &str) -> ApiResult<Me> {
    send(
        Request::post("/api/v1/auth/link"),
        &serde_json::json!({ "secret": secret }),
    )
    .await
}

pub async fn logout() -> ApiResult<()> {
    forget_offline_copies();
    send_empty(Request::post("/api/v1/auth/logout")).await
}

/// Deletes the copies of API answers the service worker keeps for opening the app offline
/// (`frontend/assets/sw.js`): once signed out, the next person on this phone must not be shown
/// as the last one, even without a network.
fn forget_offline_copies() {
    if let Ok(caches) = leptos::prelude::window().caches() {
        // Nothing to wait for: the deletion runs on its own.
        let _ = caches.delete("humiao-data-v1");
    }
}

/// Logs a session with its idempotency key: sent again after a lost answer, it is stored
/// once.
pub async fn create_session(entry: &NewSession, key: &str) -> ApiResult<Session> {
    send(
        Request::post("/api/v1/sessions").header("Idempotency-Key", key),
        entry,
    )
    .await
}

/// Edits a session at the version it was read.
pub async fn update_session(id: i64, version: i64, entry: &NewSession) -> ApiResult<Session> {
    send(
        Request::put(&format!("/api/v1/sessions/{id}"))
            .header("If-Match", &format!("\"{version}\"")),
        entry,
    )
    .await
}

pub async fn delete_session(id: i64, version: i64) -> ApiResult<()> {
    send_empty(
        Request::delete(&format!("/api/v1/sessions/{id}"))
            .header("If-Match", &format!("\"{version}\"")),
    )
    .await
}

/// A list and the `X-Total-Count` the server sent with it.
pub async fn list_with_total<T: DeserializeOwned>(path: &str) -> ApiResult<(Vec<T>, i64)> {
    let response = chinese(Request::get(path)).send().await;
    let total = response
        .as_ref()
        .ok()
        .and_then(|r| r.headers().get("X-Total-Count"))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let rows = read(response).await?;
    Ok((rows, total))
}

pub async fn sessions_page_owned(query: String) -> ApiResult<(Vec<Session>, i64)> {
    sessions_page(&query).await
}

/// One page of the viewer's sessions, newest first, and how many there are in all.
pub async fn sessions_page(query: &str) -> ApiResult<(Vec<Session>, i64)> {
    list_with_total(&format!("/api/v1/sessions?{query}")).await
}

/// The cities of a province; empty for a database of one city, and where the server does
/// not list cities (404).
pub async fn cities() -> ApiResult<Vec<humiao_shared::org::City>> {
    match get("/api/v1/cities").await {
        Err(ApiFailure::Answer { status: 404, .. }) => Ok(Vec::new()),
        answer => answer,
    }
}

/// Everything the leaders' page draws for one slice (`query`: an `AggregateFilter` as a
/// query string), in one answer.
pub async fn dashboard(query: &str) -> ApiResult<humiao_shared::dashboard::Dashboard> {
    get(&format!("/api/v1/dashboard?{query}")).await
}

/// `GET /api/v1/completeness?{query}`: a year's monthly returns and screening windows.
pub async fn completeness(
    query: &str,
) -> ApiResult<humiao_shared::returns::completeness::Completeness> {
    get(&format!("/api/v1/completeness?{query}")).await
}

pub async fn districts() -> ApiResult<Vec<humiao_shared::org::District>> {
    get("/api/v1/districts").await
}

/// Any JSON the API answers, at `path` (with its query).
pub async fn get_json<T: DeserializeOwned>(path: &str) -> ApiResult<T> {
    get(path).await
}

/// Adds a record to an API collection, with an idempotency key so a double click stores one.
pub async fn create_json(path: &str, body: &serde_json::Value) -> ApiResult<serde_json::Value> {
    send(
        Request::post(path).header("Idempotency-Key", &new_idempotency_key()),
        body,
    )
    .await
}

/// Replaces a record at the version it was read (`PUT` with `If-Match`): a record changed
/// meanwhile is refused, not overwritten.
pub async fn update_json(
    path: &str,
    version: i64,
    body: &serde_json::Value,
) -> ApiResult<serde_json::Value> {
    send(
        Request::put(path).header("If-Match", &format!("\"{version}\"")),
        body,
    )
    .await
}

/// Deletes a record at the version it was read.
pub async fn delete_versioned(path: &str, version: i64) -> ApiResult<()> {
    send_empty(Request::delete(path).header("If-Match", &format!("\"{version}\""))).await
}

pub async fn delete_path(path: &str) -> ApiResult<()> {
    send_empty(Request::delete(path)).await
}

/// A `POST` without a body whose answer is not needed (disable an account, say).
pub async fn post_empty(path: &str) -> ApiResult<()> {
    send_empty(Request::post(path)).await
}

/// The signed-in person's 待办 and its count.
pub async fn todo() -> ApiResult<humiao_shared::todo::Todo> {
    get("/api/v1/todo").await
}

/// The returns of a year or a month (`query`: `year=…` or `month=…`, with `state=…`), and how
/// many there are in all.
pub async fn returns(query: &str) -> ApiResult<(Vec<MonthlyReturn>, i64)> {
    list_with_total(&format!("/api/v1/returns?{query}")).await
}

pub async fn return_summary(station: i64, month: &str) -> ApiResult<ReturnSummary> {
    get(&format!("/api/v1/returns/{station}/{month}/summary")).await
}

pub async fn return_history(station: i64, month: &str) -> ApiResult<Vec<ReturnEvent>> {
    get(&format!("/api/v1/returns/{station}/{month}/history")).await
}

/// Moves a return (submit, approve, return, accept, reopen) at the version the page shows:
/// a return moved meanwhile is refused (409 `edit_conflict`), never moved twice.
pub async fn act_on_return(
    station: i64,
    month: &str,
    action: ReturnAction,
    version: i64,
    reason: Option<String>,
) -> ApiResult<MonthlyReturn> {
    send(
        Request::post(&format!(
            "/api/v1/returns/{station}/{month}/{}",
            action.code()
        ))
        .header("If-Match", &format!("\"{version}\"")),
        &TransitionInput { reason },
    )
    .await
}

/// The city accepts a district's month at once (every return there approved).
pub async fn accept_district(district: i64, month: &str) -> ApiResult<Vec<MonthlyReturn>> {
    send(
        Request::post(&format!(
            "/api/v1/returns/districts/{district}/{month}/accept"
        )),
        &serde_json::json!({}),
    )
    .await
}

/// The stations of the viewer's scope that have not submitted `month` (`YYYY-MM`; the last
/// ended month when empty), for the printable reminders.
pub async fn reminders(month: &str) -> ApiResult<Vec<humiao_shared::todo::Reminder>> {
    let query = if month.is_empty() {
        String::new()
    } else {
        format!("&month={month}")
    };
    get(&format!("/api/v1/todo/reminders?format=json{query}")).await
}
