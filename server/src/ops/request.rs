//! The outermost middleware: gives each request an id and counts it for `/metrics`.
//!
//! The id is the client's (or the reverse proxy's) `X-Request-Id` when it is short and made
//! of safe characters, otherwise a new one. It goes into the request's log span (so every
//! line logged for the request carries it), into error bodies (`error::localize`), and back
//! in the answer's `X-Request-Id` header, so a user's report of an error can be matched with
//! the server's log.

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::HttpMessage as _;

use super::metrics::{DURATION, REQUESTS};

pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest incoming id kept (a UUID is 36 characters).
const MAX_LEN: usize = 64;

/// The request's id, in its extensions.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The id of the request, if this middleware saw it.
pub fn id_of(req: &actix_web::HttpRequest) -> Option<String> {
    req.extensions().get::<RequestId>().map(|id| id.0.clone())
}

/// An incoming id worth keeping: 1 to 64 of `A-Z a-z 0-9 - _ .`; anything else (which
/// could forge log lines or carry what a user typed) is replaced.
fn incoming(headers: &HeaderMap) -> Option<String> {
    let id = headers.get(X_REQUEST_ID)?.to_str().ok()?;
    let safe = !id.is_empty()
        && id.len() <= MAX_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    safe.then(|| id.to_string())
}

/// A method as a label: the standard ones by name, any other as `OTHER`, so that made-up
/// methods cannot add series.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let id = incoming(req.headers()).unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    // The template the request matches; paths that match none (the web app's pages, unknown
    // addresses) share one label.
    let route = req.match_pattern().unwrap_or_else(|| "unmatched".into());
    let method = method_label(req.method());
    let started = Instant::now();
    // An error from a middleware inside (the same-origin check) comes out as `Err`, answered
    // by actix later: it is answered here instead, so that it carries the id too. (The
    // request cannot be kept to build an answer from: a clone held while the router runs
    // makes it panic.)
    let header = HeaderValue::from_str(&id).ok();
    let (status, answer) = match next.call(req).await {
        Ok(res) => {
            let mut res = res.map_into_boxed_body();
            if let Some(header) = header {
                res.headers_mut().insert(X_REQUEST_ID, header);
            }
            (res.status(), Ok(res))
        }
        Err(e) => {
            let mut response = e.error_response();
            if let Some(header) = header {
                response.headers_mut().insert(X_REQUEST_ID, header);
            }
            let status = response.status();
            let error = InternalError::from_response(e.to_string(), response);
            (status, Err(error.into()))
        }
    };
    metrics::histogram!(DURATION, "method" => method, "route" => route.clone())
        .record(started.elapsed().as_secs_f64());
    let status = status.as_u16().to_string();
    metrics::counter!(REQUESTS, "method" => method, "route" => route, "status" => status)
        .increment(1);
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_safe_incoming_ids_are_kept() {
        let cases = [
            ("01HZX3Y8K2", true),
            ("3f2c1d9e-7b4a-4c1e-9a55-2d7f0e6b8c11", true),
            ("nginx.req_42", true),
            ("", false),
            ("has space", false),
            ("line\nbreak", false),
            ("quote\"", false),
            ("名字", false),
            (&"a".repeat(65), false),
            (&"a".repeat(64), true),
        ];
        for (id, kept) in cases {
            let mut headers = HeaderMap::new();
            if let Ok(value) = HeaderValue::from_str(id) {
                headers.insert(X_REQUEST_ID, value);
            }
            assert_eq!(incoming(&headers).is_some(), kept, "{id:?}");
        }
    }
}
