//! The shell around every page: header, navigation, demo banner and sign-in, around the
//! routes of the module that is running (see [`Bundle`]). Nothing but the sign-in page shows
//! until the server says who is signed in.

use humiao_shared::account::{Me, Role};
use humiao_shared::app::AppModule;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Router, A};

use crate::api::{self, ApiFailure};
use crate::components::TodoChanged;
use crate::i18n::{tr, Language, T};
use crate::outbox::Outbox;
use crate::pages::login::LoginPage;

/// The WASM module that is running: which one it is, and the routes of its pages.
#[derive(Clone, Copy)]
pub struct Bundle {
    pub module: AppModule,
    /// The module's `<Routes>`, drawn inside the shell's router once someone is signed in.
    pub routes: fn() -> AnyView,
}

impl Bundle {
    /// Whether `href` is a page of another module: the router must leave such a link to the
    /// browser, which loads that module's page from the server.
    pub fn is_elsewhere(self, href: &str) -> bool {
        AppModule::of_path(href) != self.module
    }
}

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

pub fn role_name(role: Role) -> T {
    match role {
        Role::Admin => T::RoleAdmin,
        Role::Leader => T::RoleLeader,
        Role::Officer => T::RoleOfficer,
        Role::School => T::RoleSchool,
        Role::Volunteer => T::RoleVolunteer,
    }
}

/// Who is signed in, in the header. A school is named by its name: through its link its
/// account name is only `link:{school id}`, which tells a school nothing.
#[component]
fn Who(me: Me) -> impl IntoView {
    let role = me.role;
    let school = me
        .school_id
        .filter(|_| role == Role::School)
        .map(|id| LocalResource::new(move || api::school(id)));
    let username = me.username;
    view! {
        <span class="who">{move || {
            let role = tr(role_name(role))();
            match school {
                Some(school) => match school.get().and_then(Result::ok) {
                    Some(s) => format!("{}（{role}）", s.name),
                    None => role.to_string(),
                },
                None => format!("{username}（{role}）"),
            }
        }}</span>
    }
}

/// The header's links for the signed-in role.
fn navigation(role: Role, bundle: Bundle) -> impl IntoView {
    let link = move |href: &'static str, text: T| {
        if bundle.is_elsewhere(href) {
            view! { <a href=href rel="external">{tr(text)}</a> }.into_any()
        } else {
            view! { <A href=href>{tr(text)}</A> }.into_any()
        }
    };
    match role {
        Role::School => view! {
            {link("/", T::NavScreenings)}
            <TodoLink bundle=bundle />
        }
        .into_any(),
        Role::Volunteer => link("/", T::NavMyCases).into_any(),
        Role::Leader => view! {
            {link("/dashboard", T::NavDashboard)}
            {link("/returns", T::NavReturns)}
            <TodoLink bundle=bundle />
        }
        .into_any(),
        Role::Officer => view! {
            {link("/", T::NavLog)}
            {link("/sessions", T::NavSessions)}
            {link("/returns", T::NavReturns)}
            <TodoLink bundle=bundle />
            {link("/cases", T::NavCases)}
            {link("/calls", T::NavCalls)}
            {link("/dashboard", T::NavDashboard)}
        }
        .into_any(),
        Role::Admin => view! {
            {link("/", T::NavLog)}
            {link("/sessions", T::NavSessions)}
            {link("/cases", T::NavCases)}
            {link("/calls", T::NavCalls)}
            {link("/dashboard", T::NavDashboard)}
            {link("/returns", T::NavReturns)}
            {link("/admin", T::NavAdmin)}
        }
        .into_any(),
    }
}

/// 待办 with its count (`GET /api/v1/todo`), asked again whenever a page says something it
/// counts changed ([`TodoChanged`]). No count while it is unknown (offline, say) or zero.
#[component]
fn TodoLink(bundle: Bundle) -> impl IntoView {
    let changed = use_context::<TodoChanged>();
    let count = LocalResource::new(move || {
        if let Some(TodoChanged(trigger)) = changed {
            trigger.track();
        }
        api::todo()
    });
    let badge = move || {
        count
            .get()
            .and_then(Result::ok)
            .filter(|t| t.count > 0)
            .map(|t| {
                view! {
                    " "
                    <span class="count" id="todo-count" aria-label=tr(T::TodoCountLabel)>{t.count}</span>
                }
            })
    };
    if bundle.is_elsewhere("/todo") {
        view! { <a href="/todo" rel="external" id="nav-todo">{tr(T::NavTodo)}{badge}</a> }
            .into_any()
    } else {
        view! { <A href="/todo" attr:id="nav-todo">{tr(T::NavTodo)}{badge}</A> }.into_any()
    }
}

#[component]
pub fn App(bundle: Bundle) -> impl IntoView {
    let language = Language::from_storage();
    provide_context(language);
    provide_context(TodoChanged(Trigger::new()));
    let health = LocalResource::new(api::health);
    let session = RwSignal::new(Session::Checking);
    let link_problem = RwSignal::new(None::<String>);
    // A session that ended while the page was open: back to the sign-in form, with the
    // server's reason ("登录已超时…") above it.
    api::on_signed_out(move || {
        if matches!(session.get_untracked(), Session::SignedIn(_)) {
            link_problem.set(Some(T::SessionEnded.get(language.0.get_untracked()).into()));
            session.set(Session::SignedOut);
        }
    });
    // Who is signed in, asked once as the app starts. Not an `Action` (nothing dispatches
    // it) nor a resource (sign-in and sign-out change `session` too, and a resource would
    // ask again whenever what it reads changes): a task that runs once.
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
        session.set(match api::me_at_start().await {
            Ok(me) => Session::SignedIn(me),
            Err(ApiFailure::Answer { .. }) => Session::SignedOut,
            Err(e) => Session::Unreachable(e.to_string()),
        });
    });
    let sign_out = Action::new_local(move |_: &()| async move {
        // Signed out either way: a failed request leaves a session that expires anyway.
        let _ = api::logout().await;
        session.set(Session::SignedOut);
    });

    let switch_language = move |_| {
        language.set(match language.0.get_untracked() {
            humiao_shared::Lang::Zh => humiao_shared::Lang::En,
            humiao_shared::Lang::En => humiao_shared::Lang::Zh,
        })
    };

    view! {
        <Router>
            <header class="top">
                <span class="brand">{tr(T::Brand)}</span>
                {move || match session.get() {
                    Session::SignedIn(me) => view! {
                        <nav aria-label=tr(T::MainNav)>{navigation(me.role, bundle)}</nav>
                        <Who me=me.clone() />
                        <button type="button" class="link" id="sign-out" on:click=move |_| { sign_out.dispatch(()); }>{tr(T::SignOut)}</button>
                    }
                    .into_any(),
                    _ => view! { <span class="spacer"></span> }.into_any(),
                }}
                <button type="button" class="link" id="switch-language" aria-label=tr(T::SwitchLanguageLabel)
                    on:click=switch_language>{tr(T::SwitchLanguage)}</button>
            </header>
            {move || {
                health
                    .get()
                    .and_then(Result::ok)
                    .filter(|h| h.demo)
                    .map(|_| {
                        view! {
                            <div class="demo-banner" role="note">{tr(T::DemoBanner)}</div>
                        }
                    })
            }}
            <main>
                {move || match session.get() {
                    Session::Checking => view! { <p class="loading">{tr(T::Loading)}</p> }.into_any(),
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
                        // Entries logged offline (an officer's sessions, a volunteer's
                        // contacts) wait in this account's outbox.
                        if matches!(me.role, Role::Officer | Role::Admin | Role::Volunteer) {
                            provide_context(Outbox::open(&me.username));
                        }
                        // Pages read who is signed in (an officer's station, say).
                        provide_context(me);
                        (bundle.routes)()
                    }
                }}
            </main>
        </Router>
    }
}
