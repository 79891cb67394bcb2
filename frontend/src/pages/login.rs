//! The sign-in page: username and password, the server's message beside the form when it
//! refuses (wrong password, disabled account, too many attempts).

use humiao_shared::account::{Login, Me};
use leptos::prelude::*;

use crate::api;
use crate::components::Problem;
use crate::i18n::{lang, tr, T};

#[component]
pub fn LoginPage(#[prop(into)] on_signed_in: Callback<Me>) -> impl IntoView {
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let sign_in = Action::new_local(move |login: &Login| {
        let login = login.clone();
        async move {
            let result = api::login(&login).await;
            // Typed again from scratch after a refusal, as on every sign-in form.
            password.set(String::new());
            match result {
                Ok(me) => {
                    problem.set(None);
                    on_signed_in.run(me);
                }
                Err(e) => problem.set(Some(e.to_string())),
            }
        }
    });
    let busy = sign_in.pending();

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
        sign_in.dispatch(login);
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
