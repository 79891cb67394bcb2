//! The web app: the built WASM modules from the assets folder, with every other GET answered
//! by the HTML page of the module that shows that path (`shared::app::AppModule`), so that
//! the app's own routes (e.g. `/dashboard`) load on refresh.

use std::path::{Path, PathBuf};

use actix_files::{Files, NamedFile};
use actix_web::dev::{fn_service, ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::{web, HttpResponse, ResponseError};

use humiao_shared::app::AppModule;

use crate::error::ApiError;

pub fn configure(assets: PathBuf) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        if assets.join("index.html").is_file() {
            let pages = assets.clone();
            cfg.service(
                Files::new("/", &assets)
                    .index_file("index.html")
                    .default_handler(fn_service(move |req: ServiceRequest| {
                        let page = pages.join(AppModule::of_path(req.path()).html_page());
                        async move { fallback(req, &page).await }
                    })),
            );
        } else {
            cfg.default_service(web::to(not_built));
        }
    }
}

async fn fallback(req: ServiceRequest, index: &Path) -> Result<ServiceResponse, actix_web::Error> {
    let (req, _) = req.into_parts();
    if req.method() == Method::GET || req.method() == Method::HEAD {
        let file = NamedFile::open_async(index).await?;
        Ok(ServiceResponse::new(req.clone(), file.into_response(&req)))
    } else {
        Ok(ServiceResponse::new(
            req,
            ApiError::NotFound.error_response(),
        ))
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
