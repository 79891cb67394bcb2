//! Typed calls to the server's API, over the structs in `shared`.

use std::fmt;

use gloo_net::http::{Request, Response};
use humiao_shared::account::{Login, Me};
use humiao_shared::film::Film;
use humiao_shared::org::{Campaign, School, Station, Topic};
use humiao_shared::reach::DistrictReach;
use humiao_shared::screening::{Assignment, Confirmation, NewConfirmation};
use humiao_shared::session::{NewSession, Session};
use humiao_shared::{ErrorBody, Health};
use serde::de::DeserializeOwned;

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
        match self {
            ApiFailure::Network(detail) => {
                write!(f, "无法连接服务器，请检查网络后重试。（{detail}）")
            }
            ApiFailure::Answer { body: Some(b), .. } => write!(f, "{}", b.message),
            ApiFailure::Answer { status, body: None } => write!(f, "服务器返回错误（{status}）。"),
        }
    }
}

impl std::error::Error for ApiFailure {}

pub type ApiResult<T> = Result<T, ApiFailure>;

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
    let response = response.map_err(|e| ApiFailure::Network(e.to_string()))?;
    if response.status() == 401 {
        ON_SIGNED_OUT.with(|cell| {
            if let Some(action) = cell.borrow().as_ref() {
                action();
            }
        });
    }
    if response.ok() {
        response
            .json::<T>()
            .await
            .map_err(|e| ApiFailure::Network(e.to_string()))
    } else {
        Err(ApiFailure::Answer {
            status: response.status(),
            body: response.json::<ErrorBody>().await.ok(),
        })
    }
}

/// The app is in Chinese, whatever the browser's language: the server's messages must be
/// too. (The language switch will set this from the user's choice.)
fn chinese(request: gloo_net::http::RequestBuilder) -> gloo_net::http::RequestBuilder {
    request.header("Accept-Language", "zh-CN")
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

pub async fn schools_of(station_id: i64) -> ApiResult<Vec<School>> {
    get(&format!("/api/v1/schools?station_id={station_id}")).await
}

pub async fn topics() -> ApiResult<Vec<Topic>> {
    get("/api/v1/topics").await
}

pub async fn recent_sessions(limit: u32) -> ApiResult<Vec<Session>> {
    get(&format!("/api/v1/sessions?limit={limit}")).await
}

pub async fn district_reach(campaign_id: Option<i64>) -> ApiResult<Vec<DistrictReach>> {
    match campaign_id {
        Some(id) => {
            get(&format!(
                "/api/v1/aggregates/sessions-by-district?campaign_id={id}"
            ))
            .await
        }
        None => get("/api/v1/aggregates/sessions-by-district").await,
    }
}

pub async fn school(id: i64) -> ApiResult<School> {
    get(&format!("/api/v1/schools/{id}")).await
}

/// The screening assignments the viewer may see (a school: those that expect it).
pub async fn assignments() -> ApiResult<Vec<Assignment>> {
    get("/api/v1/assignments?limit=1000").await
}

pub async fn films() -> ApiResult<Vec<Film>> {
    get("/api/v1/films").await
}

/// The confirmations the viewer may see (a school: its own), newest first.
pub async fn confirmations() -> ApiResult<Vec<Confirmation>> {
    get("/api/v1/confirmations?limit=1000").await
}

pub async fn create_confirmation(entry: &NewConfirmation) -> ApiResult<Confirmation> {
    let request = chinese(Request::post("/api/v1/confirmations"))
        .json(entry)
        .map_err(|e| ApiFailure::Network(e.to_string()))?;
    read(request.send().await).await
}

/// Who is signed in; 401 when no one is.
pub async fn me() -> ApiResult<Me> {
    get("/api/v1/auth/me").await
}

pub async fn login(login: &Login) -> ApiResult<Me> {
    let request = chinese(Request::post("/api/v1/auth/login"))
        .json(login)
        .map_err(|e| ApiFailure::Network(e.to_string()))?;
    read(request.send().await).await
}

/// A school opens its link: the secret from the address's `#` part.
pub async fn link_login(secret: &str) -> ApiResult<Me> {
    let request = chinese(Request::post("/api/v1/auth/link"))
        .json(&serde_json::json!({ "secret": secret }))
        .map_err(|e| ApiFailure::Network(e.to_string()))?;
    read(request.send().await).await
}

pub async fn logout() -> ApiResult<()> {
    let response = chinese(Request::post("/api/v1/auth/logout"))
        .send()
        .await
        .map_err(|e| ApiFailure::Network(e.to_string()))?;
    if response.ok() {
        Ok(())
    } else {
        Err(ApiFailure::Answer {
            status: response.status(),
            body: response.json::<ErrorBody>().await.ok(),
        })
    }
}

pub async fn create_session(entry: &NewSession) -> ApiResult<Session> {
    let request = chinese(Request::post("/api/v1/sessions"))
        .json(entry)
        .map_err(|e| ApiFailure::Network(e.to_string()))?;
    read(request.send().await).await
}

pub async fn districts() -> ApiResult<Vec<humiao_shared::org::District>> {
    get("/api/v1/districts").await
}
