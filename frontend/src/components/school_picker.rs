//! The session form's school search: a text box with the matching schools listed under it
//! as buttons to tap. No `<datalist>`: WeChat's in-app browser and iOS barely show one, and
//! it only finds names that contain what was typed. Which schools match, and in which order,
//! is `humiao_shared::school_search` (part of the name, a short name, pinyin initials, code).

use humiao_shared::org::School;
use humiao_shared::school_search::{self, Searchable};
use leptos::prelude::*;

use crate::i18n::{tr, T};

/// How many schools are offered at once: a phone's screen of 44 px buttons.
const SHOWN: usize = 8;

/// What a school is searched by.
pub fn searchable(school: &School) -> Searchable<'_> {
    Searchable {
        name: &school.name,
        code: &school.code,
        initials: &school.initials,
    }
}

/// The search box (`#school_id`) and its results (`#school-results`). Typing forgets the
/// school picked before; tapping a result picks it (`chosen`) and closes the list.
#[component]
pub fn SchoolPicker(
    /// The schools of the station chosen.
    #[prop(into)]
    schools: Signal<Vec<School>>,
    /// What the box holds: what was typed, or the name of the school picked.
    query: RwSignal<String>,
    chosen: RwSignal<Option<i64>>,
    /// Whether the form marked the field (its message is `#school_id-error`).
    #[prop(into)]
    invalid: Signal<bool>,
    #[prop(into)] placeholder: Signal<&'static str>,
    /// Called on every change, so the form takes the field's message away.
    on_change: Callback<()>,
) -> impl IntoView {
    let results = Memo::new(move |_| {
        let typed = query.get();
        if chosen.get().is_some() || typed.trim().is_empty() {
            return Vec::new();
        }
        schools.with(|list| {
            school_search::search(&typed, list, searchable, SHOWN)
                .into_iter()
                .map(|s| (s.id, s.name.clone(), s.code.clone()))
                .collect::<Vec<_>>()
        })
    });
    let open = move || !results.with(Vec::is_empty);
    let pick = move |id: i64, name: String| {
        query.set(name);
        chosen.set(Some(id));
        on_change.run(());
    };
    // Typed something that finds nothing: say so at once, not only when saving.
    let nothing = move || {
        chosen.get().is_none()
            && !query.with(|q| q.trim().is_empty())
            && schools.with(|s| !s.is_empty())
            && results.with(Vec::is_empty)
    };
    let described = move || {
        if invalid.get() {
            "school-hint school_id-error"
        } else {
            "school-hint"
        }
    };
    view! {
        <label for="school_id">{tr(T::School)}</label>
        <input id="school_id" type="search" autocomplete="off" enterkeyhint="search"
            role="combobox" aria-autocomplete="list" aria-controls="school-results"
            aria-expanded=move || open().to_string()
            aria-invalid=move || invalid.get().to_string() aria-describedby=described
            // How many schools the search covers, once they are in (the phone benchmark
            // times it: `bench/src/phone.rs`).
            data-schools=move || schools.with(|s| (!s.is_empty()).then(|| s.len().to_string()))
            placeholder=move || placeholder.get()
            prop:value=move || query.get()
            on:input=move |ev| {
                chosen.set(None);
                query.set(event_target_value(&ev));
                on_change.run(());
            }
            // The keyboard's search key picks the first school rather than sending the form
            // with a half-typed name.
            on:keydown=move |ev| {
                if ev.key() != "Enter" {
                    return;
                }
                if let Some((id, name, _)) = results.with_untracked(|r| r.first().cloned()) {
                    ev.prevent_default();
                    pick(id, name);
                }
            } />
        <p class="hint muted" id="school-hint">{tr(T::SchoolSearchHint)}</p>
        <ul id="school-results" class="school-results" hidden=move || !open()>
            <For each=move || results.get() key=|(id, _, _)| *id
                children=move |(id, name, code): (i64, String, String)| {
                    let picked = name.clone();
                    view! {
                        <li>
                            <button type="button" class="school-result" data-school=id.to_string()
                                on:click=move |_| pick(id, picked.clone())>
                                <span class="name">{name}</span>
                                <span class="code">{code}</span>
                            </button>
                        </li>
                    }
                } />
        </ul>
        <Show when=nothing>
            <p class="hint" id="school-none" role="status">{tr(T::SchoolNotFound)}</p>
        </Show>
    }
}
