//! Above the session form: how many entries wait in the outbox (with 立即发送), and those
//! the server refused, each with what it was (date, place, 人次), why, and buttons to reopen
//! it in the form or throw it away (after asking). See `outbox.rs`.

use leptos::prelude::*;

use crate::i18n::{self, lang, tr, T};
use crate::outbox::Outbox;

/// How many entries wait in the outbox, and those the server refused, each with what it was
/// (date, place, 人次), why, and buttons to reopen it in the form or throw it away.
#[component]
pub fn OutboxStatus(
    /// Reopens the refused entry at that index in the form.
    reopen: Callback<usize>,
) -> impl IntoView {
    let Some(outbox) = use_context::<Outbox>() else {
        return ().into_any();
    };
    // Thrown away only once the officer said so: nothing else holds the entry.
    let discard = move |index: usize| {
        let sure = window()
            .confirm_with_message(T::ConfirmDiscardRefused.get(lang()))
            .unwrap_or(false);
        if sure {
            outbox.take_refused(index);
        }
    };
    view! {
        <Show when=move || { outbox.waiting.get() > 0 }>
            <div class="notice warn" role="status" id="outbox">
                <span id="outbox-count">{move || i18n::waiting(lang(), outbox.waiting.get())}</span>
                " "
                <button type="button" class="secondary" on:click=move |_| outbox.flush()>{tr(T::SendNow)}</button>
            </div>
        </Show>
        <Show when=move || outbox.refused.with(|r| !r.is_empty())>
            <div class="notice bad" role="alert" id="outbox-refused">
                <p class="head">{tr(T::RefusedHead)}</p>
                <ul>
                    {move || outbox.refused.get().into_iter().enumerate().map(|(i, r)| {
                        let (day, place) = (r.entry.held_on.clone(), r.place.clone());
                        let total = r.entry.audience.total();
                        view! {
                        <li class="refused" data-index=i.to_string()>
                            <p class="what">
                                {move || i18n::refused_entry(lang(), &day, &place, total)}
                            </p>
                            <p class="why">{r.reason}</p>
                            <div class="buttons">
                                <button type="button" class="primary reopen"
                                    on:click=move |_| reopen.run(i)>
                                    {tr(T::ReopenRefused)}
                                </button>
                                <button type="button" class="secondary danger discard"
                                    on:click=move |_| discard(i)>
                                    {tr(T::DiscardRefused)}
                                </button>
                            </div>
                        </li>
                    }}).collect_view()}
                </ul>
            </div>
        </Show>
    }
    .into_any()
}
