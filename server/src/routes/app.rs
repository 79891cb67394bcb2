//! The web app: the built site's files (from disk or from the binary, see [`crate::site`]),
//! with every other GET answered by the HTML page of the module that shows that path
//! (`shared::app::AppModule`), so that the app's own routes (e.g. `/dashboard`) load on
//! refresh.
//!
//! Files with content-hashed names are kept by browsers for a year without asking again;
//! the pages and `sw.js` keep their names and are revalidated on each load (`no-cache` with
//! an ETag). The build wrote each file's gzip and brotli variants; the one the browser
//! accepts is sent as is, and `Compress` leaves a response that has its `Content-Encoding`.

use std::borrow::Cow;

use actix_web::http::header::{self, AcceptEncoding, Encoding, Header as _};
use actix_web::http::Method;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use sha2::Digest as _;

use humiao_shared::app::AppModule;

use crate::error::ApiError;
use crate::site::{self, SiteFiles};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

pub fn configure(files: SiteFiles) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        if files.is_built() {
            cfg.default_service(web::to(move |req: HttpRequest| {
                let files = files.clone();
                async move { serve(&req, &files).await }
            }));
        } else {
            cfg.default_service(web::to(not_built));
        }
    }
}

async fn serve(req: &HttpRequest, files: &SiteFiles) -> HttpResponse {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return ApiError::NotFound.error_response();
    }
    if let Some(name) = site::file_name(req.path()) {
        if let Some(response) = file(req, files, name).await {
            return response;
        }
        // A script or module under a name this build does not have (a page from an older
        // release, say) must fail as such, not parse the HTML page as code.
        if name.ends_with(".js") || name.ends_with(".wasm") || name.ends_with(".css") {
            return ApiError::NotFound.error_response();
        }
    }
    let page = AppModule::of_path(req.path()).html_page();
    match file(req, files, page).await {
        Some(response) => response,
        None => ApiError::NotFound.error_response(),
    }
}

/// The file `name` in the variant the browser accepts, or `None` when the site has no such
/// file.
async fn file(req: &HttpRequest, files: &SiteFiles, name: &str) -> Option<HttpResponse> {
    let hashed = site::is_hashed(name);
    let accepted = AcceptEncoding::parse(req).ok();
    let mut chosen = None;
    for (encoding, ext) in [(Encoding::brotli(), "br"), (Encoding::gzip(), "gz")] {
        let acceptable = accepted
            .as_ref()
            .and_then(|a| a.negotiate([encoding.clone(), Encoding::identity()].iter()))
            .is_some_and(|e| e == encoding);
        if acceptable {
            if let Some(bytes) = files.read(&format!("{name}.{ext}")).await {
                chosen = Some((bytes, Some(encoding)));
                break;
            }
        }
    }
    let (bytes, encoding) = match chosen {
        Some(found) => found,
        None => (files.read(name).await?, None),
    };
    let ext = name.rsplit_once('.').map_or("", |(_, ext)| ext);
    let mime = actix_files::file_extension_to_mime(ext);
    let text = mime.type_() == actix_web::mime::TEXT || mime.subtype() == "javascript";
    let mut res = HttpResponse::Ok();
    res.content_type(if text {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    })
    .insert_header((header::VARY, "Accept-Encoding"));
    if let Some(encoding) = &encoding {
        res.insert_header((header::CONTENT_ENCODING, encoding.to_string()));
    }
    if hashed {
        res.insert_header((header::CACHE_CONTROL, IMMUTABLE));
    } else {
        // Revalidated on every load: the ETag makes that a 304 when nothing changed.
        let etag = etag(&bytes, encoding.as_ref());
        res.insert_header((header::CACHE_CONTROL, REVALIDATE));
        let unchanged = req
            .headers()
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
        res.insert_header((header::ETAG, etag));
        if unchanged {
            return Some(
                res.status(actix_web::http::StatusCode::NOT_MODIFIED)
                    .finish(),
            );
        }
    }
    Some(if req.method() == Method::HEAD {
        res.finish()
    } else {
        res.body(match bytes {
            Cow::Borrowed(b) => web::Bytes::from_static(b),
            Cow::Owned(v) => web::Bytes::from(v),
        })
    })
}

/// A strong ETag for one variant of a file: its content's hash, with the encoding.
fn etag(bytes: &[u8], encoding: Option<&Encoding>) -> String {
    let digest = sha2::Sha256::digest(bytes);
    let hash: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    match encoding {
        Some(e) => format!("\"{hash}-{e}\""),
        None => format!("\"{hash}\""),
    }
}

async fn not_built() -> HttpResponse {
    HttpResponse::ServiceUnavailable()
        .content_type("text/html; charset=utf-8")
        .body(
            "<!doctype html><meta charset=utf-8><title>护苗 Humiao</title>\
             <p>网页应用尚未构建。请在代码仓库中运行 <code>cargo run</code>。</p>\
             <p>The web app is not built. Run <code>cargo run</code> in the repository.</p>",
        )
}
