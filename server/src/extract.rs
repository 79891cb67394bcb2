//! Request extractors that fail with `ApiError`, so even a malformed body gets the usual
//! `{code, message, fields}` answer.
//!
//! They are also where hostile text stops: a JSON string or a query parameter holding NUL or
//! another control character (tab and line breaks aside) is a 422 naming it, whatever the
//! handler behind does with it. PostgreSQL refuses NUL in text, so without this one place
//! every text field would be a 500 waiting to happen. Search terms (`q`) only lose them.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::BytesMut;
use actix_web::{FromRequest, HttpRequest};
use futures_util::StreamExt;
use humiao_shared::error::{FieldCode, FieldErrors};
use humiao_shared::rules;
use serde::de::DeserializeOwned;
use serde_json::Value;

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
            let parsed = match serde_path_to_error::deserialize(&mut de) {
                Ok(parsed) => parsed,
                // JSON has one kind of number: `296.0` is the integer 296 to JSON Schema
                // and to JavaScript, so it is read as 296 (never a fraction, nor beyond the
                // integers a double holds exactly).
                Err(e) if e.inner().to_string().contains("floating point") => {
                    whole_numbers_as_integers(&body).ok_or_else(|| invalid_json(&e))?
                }
                Err(e) => return Err(invalid_json(&e)),
            };
            // Read again as a tree to find the path of any string the types let through;
            // the body is at most `JSON_LIMIT` bytes, so this costs microseconds.
            let tree: Value = serde_json::from_slice(&body).map_err(|_| ApiError::InvalidJson {
                field: "body".into(),
            })?;
            match control_character_at(&tree, String::new()) {
                Some(field) => Err(control_character(field)),
                None => Ok(Json(parsed)),
            }
        })
    }
}

fn invalid_json(e: &serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let path = e.path().to_string();
    ApiError::InvalidJson {
        field: if path == "." { "body".into() } else { path },
    }
}

/// The body read again with every whole number written with a fraction (`296.0`) as an
/// integer; `None` when it still does not fit `T`.
fn whole_numbers_as_integers<T: DeserializeOwned>(body: &[u8]) -> Option<T> {
    fn whole(value: &mut Value) {
        match value {
            Value::Number(n) => {
                // 2^53: beyond it a double no longer holds every integer.
                const EXACT: f64 = 9_007_199_254_740_992.0;
                if let Some(x) = n.as_f64().filter(|x| n.is_f64() && x.fract() == 0.0) {
                    if x.abs() <= EXACT {
                        *n = serde_json::Number::from(x as i64);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(whole),
            Value::Object(fields) => fields.values_mut().for_each(whole),
            _ => {}
        }
    }
    let mut tree: Value = serde_json::from_slice(body).ok()?;
    whole(&mut tree);
    serde_json::from_value(tree).ok()
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
            // A form's fields are refused for control characters as query parameters are.
            let body = std::str::from_utf8(&body).map_err(|_| ApiError::InvalidQuery {
                field: "body".into(),
            })?;
            query_pairs(body)
                .and_then(|pairs| query_of(&pairs))
                .map(Form)
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

/// The path (as `serde_path_to_error` writes it: `audience.students`, `topic_ids[3]`) of the
/// first string or key in `value` that holds a refused control character.
fn control_character_at(value: &Value, path: String) -> Option<String> {
    let bad = |text: &str| rules::no_controls(text).is_err();
    match value {
        Value::String(text) => bad(text).then(|| or_body(path)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| control_character_at(item, format!("{path}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(key, item)| {
            let at = if path.is_empty() {
                key.escape_debug().to_string()
            } else {
                format!("{path}.{}", key.escape_debug())
            };
            if bad(key) {
                Some(at)
            } else {
                control_character_at(item, at)
            }
        }),
        Value::Null | Value::Bool(_) | Value::Number(_) => None,
    }
}

fn or_body(path: String) -> String {
    if path.is_empty() {
        "body".into()
    } else {
        path
    }
}

/// The 422 for text holding a control character at `field`.
fn control_character(field: String) -> ApiError {
    let mut errors = FieldErrors::default();
    errors.push(field, FieldCode::ControlCharacter);
    ApiError::Validation(errors)
}

/// The search-terms parameter: control characters in it are dropped, not refused.
const SEARCH: &str = "q";

/// The query string's pairs, decoded, with control characters dropped from search terms;
/// any other parameter holding one is a 422 naming it. Every reader of a query string goes
/// through here.
pub fn query_pairs(query: &str) -> Result<Vec<(String, String)>, ApiError> {
    form_urlencoded::parse(query.as_bytes())
        .map(|(key, value)| {
            if rules::no_controls(&key).is_err() {
                Err(control_character(key.escape_debug().to_string()))
            } else if key == SEARCH {
                Ok((key.into_owned(), rules::without_controls(&value)))
            } else if rules::no_controls(&value).is_err() {
                Err(control_character(key.into_owned()))
            } else {
                Ok((key.into_owned(), value.into_owned()))
            }
        })
        .collect()
}

/// Typed query parameters from pairs that [`query_pairs`] passed; a bad value names its
/// parameter.
pub fn query_of<T: DeserializeOwned>(pairs: &[(String, String)]) -> Result<T, ApiError> {
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    let pairs = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(pairs).map_err(|e| ApiError::InvalidQuery {
        field: e.path().to_string(),
    })
}

/// Query-string parameters; a bad value names its parameter.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        std::future::ready(
            query_pairs(req.query_string())
                .and_then(|pairs| query_of(&pairs))
                .map(Query),
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

/// The version an `If-Match` header names, if the request has one (an empty one names none).
#[derive(Debug, Clone, Copy)]
pub struct IfMatch(pub Option<i64>);

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let version = match req.headers().get(header::IF_MATCH) {
            // An empty field lists no entity tag: no condition, as if it were not sent
            // (RFC 9110 §5.6.1: recipients accept empty list elements).
            None => Ok(IfMatch(None)),
            Some(value) if value.as_bytes().trim_ascii().is_empty() => Ok(IfMatch(None)),
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn whole_numbers_written_with_a_fraction_are_integers_and_fractions_are_not() {
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct Counts {
            students: i64,
            ids: Vec<i64>,
        }
        let read = |body: &str| whole_numbers_as_integers::<Counts>(body.as_bytes());
        assert_eq!(
            read(r#"{"students": 296.0, "ids": [1.0, 2]}"#),
            Some(Counts {
                students: 296,
                ids: vec![1, 2]
            })
        );
        assert_eq!(read(r#"{"students": 296.5, "ids": []}"#), None);
        assert_eq!(read(r#"{"students": 1e300, "ids": []}"#), None);
    }

    #[test]
    fn a_control_character_is_found_at_the_path_a_parse_error_would_name() {
        let cases = [
            (json!({"notes": "a\u{0}b"}), Some("notes")),
            (json!({"audience": {"x": "\u{1b}[2J"}}), Some("audience.x")),
            (
                json!({"days_attended": ["2024-08-19", "\u{7f}"]}),
                Some("days_attended[1]"),
            ),
            (
                json!({"enrolments": [{"x": "\u{85}"}]}),
                Some("enrolments[0].x"),
            ),
            (json!("\u{0}"), Some("body")),
            (json!({"a\u{0}": 1}), Some("a\\0")),
            (
                json!({"notes": "一\r\n二\t三", "n": 1, "b": null, "l": [true]}),
                None,
            ),
        ];
        for (value, want) in cases {
            assert_eq!(
                control_character_at(&value, String::new()).as_deref(),
                want,
                "{value}"
            );
        }
    }

    #[test]
    fn search_terms_lose_control_characters_and_other_parameters_with_one_are_refused() {
        let pairs = query_pairs("q=%E9%9B%95%00%E5%BA%84&limit=5").expect("accepted");
        assert_eq!(
            pairs,
            [("q".into(), "雕庄".into()), ("limit".into(), "5".into())]
        );
        for query in ["actor=admin%00", "resource=%1B", "a%00=1", "x=%7F"] {
            match query_pairs(query) {
                Err(ApiError::Validation(errors)) => assert_eq!(
                    errors.codes().map(|(_, c)| c).collect::<Vec<_>>(),
                    [FieldCode::ControlCharacter],
                    "{query}"
                ),
                other => panic!("{query}: {other:?}"),
            }
        }
    }
}
