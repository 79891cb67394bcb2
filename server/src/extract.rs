//! Request extractors that fail with `ApiError`, so even a malformed body gets the usual
//! `{code, message, fields}` answer.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::BytesMut;
use actix_web::{FromRequest, HttpRequest};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// No form of the product sends more; anything larger is refused before it is read.
pub const JSON_LIMIT: usize = 256 * 1024;

/// A JSON body; a parse failure names the field where it happened.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = body_of(req, payload, "application/json");
        Box::pin(async move {
            let body = body.await?;
            let mut de = serde_json::Deserializer::from_slice(&body);
            serde_path_to_error::deserialize(&mut de)
                .map(Json)
                .map_err(|e| {
                    let path = e.path().to_string();
                    ApiError::InvalidJson {
                        field: if path == "." { "body".into() } else { path },
                    }
                })
        })
    }
}

/// A form that a page of this server posts (`application/x-www-form-urlencoded`); a bad
/// value names its field.
#[derive(Debug)]
pub struct Form<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Form<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = body_of(req, payload, FORM);
        Box::pin(async move {
            let body = body.await?;
            let pairs = serde_urlencoded::Deserializer::new(form_urlencoded::parse(&body));
            serde_path_to_error::deserialize(pairs)
                .map(Form)
                .map_err(|e| ApiError::InvalidQuery {
                    field: e.path().to_string(),
                })
        })
    }
}

/// The media type of an HTML form's body.
pub const FORM: &str = "application/x-www-form-urlencoded";

/// Does the request declare a body of this media type?
pub fn is_of(req: &HttpRequest, media_type: &str) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with(media_type))
}

/// The whole body, when it has the media type and at most [`JSON_LIMIT`] bytes.
fn body_of(
    req: &HttpRequest,
    payload: &mut Payload,
    media_type: &str,
) -> impl Future<Output = Result<BytesMut, ApiError>> + 'static {
    let right_type = is_of(req, media_type);
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let mut payload = payload.take();
    async move {
        if declared.is_some_and(|n| n > JSON_LIMIT) {
            return Err(ApiError::PayloadTooLarge { limit: JSON_LIMIT });
        }
        if !right_type {
            return Err(ApiError::UnsupportedMediaType);
        }
        let mut body = BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|_| ApiError::InvalidJson {
                field: "body".into(),
            })?;
            if body.len() + chunk.len() > JSON_LIMIT {
                return Err(ApiError::PayloadTooLarge { limit: JSON_LIMIT });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

/// Query-string parameters; a bad value names its parameter.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let pairs = serde_urlencoded::Deserializer::new(form_urlencoded::parse(
            req.query_string().as_bytes(),
        ));
        std::future::ready(
            serde_path_to_error::deserialize(pairs)
                .map(Query)
                .map_err(|e| ApiError::InvalidQuery {
                    field: e.path().to_string(),
                }),
        )
    }
}

/// The optional `Idempotency-Key` header of a create request.
#[derive(Debug, Clone)]
pub struct IdempotencyKey(pub Option<String>);

/// Long enough for a UUID or a client's own scheme; short enough to index.
pub const MAX_KEY_LEN: usize = 128;

impl FromRequest for IdempotencyKey {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let key = match req.headers().get("Idempotency-Key") {
            None => Ok(IdempotencyKey(None)),
            Some(value) => match value.to_str() {
                Ok(text)
                    if !text.is_empty()
                        && text.len() <= MAX_KEY_LEN
                        && text.bytes().all(|b| b.is_ascii_graphic()) =>
                {
                    Ok(IdempotencyKey(Some(text.to_string())))
                }
                _ => Err(ApiError::InvalidHeader {
                    field: "Idempotency-Key".into(),
                }),
            },
        };
        std::future::ready(key)
    }
}

/// The `ETag` of a record's version.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// The version an `If-Match` header names, if the request has one.
#[derive(Debug, Clone, Copy)]
pub struct IfMatch(pub Option<i64>);

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let version = match req.headers().get(header::IF_MATCH) {
            None => Ok(IfMatch(None)),
            Some(value) => value
                .to_str()
                .ok()
                .map(|v| v.trim().trim_start_matches("W/").trim_matches('"'))
                .and_then(|v| v.parse::<i64>().ok())
                .map(|v| IfMatch(Some(v)))
                .ok_or(ApiError::InvalidHeader {
                    field: "If-Match".into(),
                }),
        };
        std::future::ready(version)
    }
}
