//! The shell around every page: header, navigation, demo banner, sign-in and routes.
//! Nothing but the sign-in page shows until the server says who is signed in.

use humiao_shared::account::{Me, Role};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

use crate::api::{self, ApiFailure};
use crate::pages::{
    dashboard::Dashboard, log_session::LogSession, login::LoginPage, school::SchoolScreenings,
};

/// Who is signed in: not known yet, no one, or someone.
#[derive(Debug, Clone, PartialEq)]
enum Session {
    Checking,
    SignedOut,
    SignedIn(Me),
    /// The server could not be asked (offline): say so rather than show the sign-in form.
    Unreachable(String),
}

/// The secret of a school's link, when the page was opened as `/s#secret`.
fn link_secret() -> Option<String> {
    let location = window().location();
    if location.pathname().ok()? != "/s" {
        return None;
    }
    let hash = location.hash().ok()?;
    let secret = hash.trim_start_matches('#').trim().to_string();
    (!secret.is_empty()).then_some(secret)
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Admin => "管理员",
        Role::Leader => "领导",
        Role::Officer => "宣讲员",
        Role::School => "学校",
    }
}

/// The first page: a school's screenings for a school, the session form for everyone else.
#[component]
fn Home() -> impl IntoView {
    match use_context::<Me>() {
        Some(Me {
            role: Role::School,
            school_id: Some(school_id),
            ..
        }) => view! { <SchoolScreenings school_id=school_id /> }.into_any(),
        _ => view! { <LogSession /> }.into_any(),
    }
}

#[component]
pub fn App() -> impl IntoView {
    let health = LocalResource::new(api::health);
    let session = RwSignal::new(Session::Checking);
    let link_problem = RwSignal::new(None::<String>);
    // A session that ended while the page was open: back to the sign-in form, with the
    // server's reason ("登录已超时…") above it.
    api::on_signed_out(move || {
        if matches!(session.get_untracked(), Session::SignedIn(_)) {
            link_problem.set(Some("登录已超时或已在别处退出，请重新登录。".into()));
            session.set(Session::SignedOut);
        }
    });
    spawn_local(async move {
        // A school's QR code opens `/s#secret`: the secret never reaches the server's logs
        // (browsers do not send the part after `#`) and is taken out of the address at once.
        if let Some(secret) = link_secret() {
            let _ = window().history().and_then(|h| {
                h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/"))
            });
            match api::link_login(&secret).await {
                Ok(me) => {
                    session.set(Session::SignedIn(me));
                    return;
                }
                Err(e) => link_problem.set(Some(e.to_string())),
            }
        }
        session.set(match api::me().await {
            Ok(me) => Session::SignedIn(me),
            Err(ApiFailure::Answer { .. }) => Session::SignedOut,
            Err(e) => Session::Unreachable(e.to_string()),
        });
    });
    let sign_out = move |_| {
        spawn_local(async move {
            // Signed out either way: a failed request leaves a session that expires anyway.
            let _ = api::logout().await;
            session.set(Session::SignedOut);
        });
    };

    view! {
        <Router>
            <header class="top">
                <span class="brand">"护苗 · 警心护苗"</span>
                {move || match session.get() {
                    Session::SignedIn(me) => view! {
                        <nav aria-label="主导航">
                            {if me.role == Role::School {
                                view! { <A href="/">"观看确认"</A> }.into_any()
                            } else {
                                view! {
                                    <A href="/">"记录宣讲"</A>
                                    <A href="/dashboard">"领导看板"</A>
                                }
                                .into_any()
                            }}
                        </nav>
                        <span class="who">{format!("{}（{}）", me.username, role_name(me.role))}</span>
                        <button type="button" class="link" on:click=sign_out>"退出"</button>
                    }
                    .into_any(),
                    _ => ().into_any(),
                }}
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
                {move || match session.get() {
                    Session::Checking => view! { <p class="loading">"正在加载…"</p> }.into_any(),
                    Session::Unreachable(why) => {
                        view! { <p class="notice bad" role="alert">{why}</p> }.into_any()
                    }
                    Session::SignedOut => view! {
                        {move || link_problem.get().map(|p| view! {
                            <p class="notice bad" role="alert">{p}</p>
                        })}
                        <LoginPage on_signed_in=move |me| session.set(Session::SignedIn(me)) />
                    }
                    .into_any(),
                    Session::SignedIn(me) => {
                        // Pages read who is signed in (an officer's station, say).
                        provide_context(me);
                        view! {
                        <Routes fallback=|| view! { <p>"页面不存在。"</p> }>
                            <Route path=path!("/") view=Home />
                            <Route path=path!("/dashboard") view=Dashboard />
                        </Routes>
                        }
                        .into_any()
                    }
                }}
            </main>
        </Router>
    }
}
