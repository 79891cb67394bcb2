//! The shell around every page: header, navigation, demo banner and routes.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

use crate::api;
use crate::pages::{dashboard::Dashboard, log_session::LogSession};

#[component]
pub fn App() -> impl IntoView {
    let health = LocalResource::new(api::health);
    view! {
        <Router>
            <header class="top">
                <span class="brand">"护苗 · 警心护苗"</span>
                <nav aria-label="主导航">
                    <A href="/">"记录宣讲"</A>
                    <A href="/dashboard">"领导看板"</A>
                </nav>
            </header>
            {move || {
                health
                    .get()
                    .and_then(Result::ok)
                    .filter(|h| h.demo)
                    .map(|_| {
                        view! {
                            <div class="demo-banner" role="note">
                                "演示数据：机构名称与数字为按真实规模生成的示例，并非实际工作记录。"
                            </div>
                        }
                    })
            }}
            <main>
                <Routes fallback=|| view! { <p>"页面不存在。"</p> }>
                    <Route path=path!("/") view=LogSession />
                    <Route path=path!("/dashboard") view=Dashboard />
                </Routes>
            </main>
        </Router>
    }
}
