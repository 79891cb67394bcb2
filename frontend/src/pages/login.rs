//! The sign-in page: username and password, the server's message beside the form when it
//! refuses (wrong password, disabled account, too many attempts).

use humiao_shared::account::{Login, Me};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::components::Problem;
use crate::i18n::{lang, tr, T};

#[component]
pub fn LoginPage(#[prop(into)] on_signed_in: Callback<Me>) -> impl IntoView {
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let login = Login {
            username: username.get_untracked(),
            password: password.get_untracked(),
        };
        if login.validate().is_err() {
            problem.set(Some(T::EnterCredentials.get(lang()).into()));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::login(&login).await {
                Ok(me) => {
                    password.set(String::new());
                    problem.set(None);
                    on_signed_in.run(me);
                }
                Err(e) => {
                    // Typed again from scratch, as on every sign-in form.
                    password.set(String::new());
                    problem.set(Some(e.to_string()));
                }
            }
            busy.set(false);
        });
    };

    view! {
        <form class="login card" on:submit=on_submit novalidate=true>
            <h1>{tr(T::SignIn)}</h1>
            <label for="username">{tr(T::Username)}</label>
            <input id="username" name="username" autocomplete="username" required=true
                prop:value=move || username.get()
                on:input=move |ev| username.set(event_target_value(&ev)) />
            <label for="password">{tr(T::Password)}</label>
            <input id="password" name="password" type="password" autocomplete="current-password"
                required=true
                prop:value=move || password.get()
                on:input=move |ev| password.set(event_target_value(&ev)) />
            <Problem problem=problem />
            <button type="submit" disabled=move || busy.get()>
                {move || if busy.get() { tr(T::SigningIn)() } else { tr(T::SignIn)() }}
            </button>
        </form>
    }
}
