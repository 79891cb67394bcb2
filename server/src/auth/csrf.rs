//! Cross-site request forgery: a request that changes something must come from a page of
//! this server. Browsers send `Origin` with such requests (and `Referer` otherwise); its
//! host must be the one the request was sent to. This is on top of the cookie's
//! `SameSite=Strict`, for browsers that do not honour it.
//!
//! A request with neither header is not from a browser page (a script, `curl`): it is let
//! through, since a forged request needs a victim's browser, which names the page it comes
//! from — and one that named nothing would not carry the `SameSite=Strict` cookie either.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;

use crate::error::ApiError;

/// Refuses a state-changing request whose `Origin` (or, without one, `Referer`) is not
/// this server.
pub async fn same_origin(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        let host = crate::proxy::origin(req.request()).host;
        let named = req
            .headers()
            .get(header::ORIGIN)
            .or_else(|| req.headers().get(header::REFERER));
        let from_here = match named {
            None => true,
            Some(value) => value
                .to_str()
                .ok()
                .and_then(authority)
                .is_some_and(|source| source == host),
        };
        if !from_here {
            tracing::info!(method = %req.method(), "cross-site request refused");
            return Err(ApiError::CrossSite.into());
        }
    }
    next.call(req).await
}

/// `host[:port]` of an origin or URL such as `https://example.org:8443/path`.
fn authority(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(rest[..end].to_string()).filter(|a| !a.is_empty())
}

#[cfg(test)]
mod tests {
    use super::authority;

    #[test]
    fn the_authority_is_read_from_origins_and_urls() {
        let cases = [
            ("http://127.0.0.1:8080", Some("127.0.0.1:8080")),
            (
                "https://humiao.example/report/2024?x=1",
                Some("humiao.example"),
            ),
            ("null", None),
            ("file:///etc/passwd", None),
            ("http://", None),
        ];
        for (url, expected) in cases {
            assert_eq!(authority(url).as_deref(), expected, "{url}");
        }
    }
}
