//! The form under a record table: it adds a record, or edits the one chosen in the table
//! (sent whole with `PUT` and the version it was read at, so an edit made meanwhile by
//! someone else is refused rather than overwritten). A station is chosen among the
//! district's chosen beside it; a new name that a record of the list already has is pointed
//! out beside the field, as a warning, not a refusal (two schools may share a name in
//! different districts). The page asks the list for it as the name is typed, so the
//! administrator reads it before saving, and the API's answers keep their shape.

use humiao_shared::error::FieldErrors;
use humiao_shared::record::form::{form_json, form_text, id_list};
use humiao_shared::record::FieldKind;
use humiao_shared::Lang;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use wasm_bindgen::JsCast as _;

use super::records::{lies_within, record_id, within_of};
use super::sections::{say, Section};
use crate::api::{self, ApiFailure};
use crate::components::{today, SaveOutcome};
use crate::i18n::{lang, same_name, tr, T};

/// The form to add a record of `section`, or to edit the record in `editing`.
#[component]
pub(super) fn RecordForm(
    section: Section,
    editing: RwSignal<Option<Value>>,
    on_saved: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let values: Vec<RwSignal<String>> = section
        .fields()
        .iter()
        .map(|_| RwSignal::new(String::new()))
        .collect();
    let keyed: Vec<(&'static str, RwSignal<String>)> = section
        .fields()
        .iter()
        .zip(&values)
        .map(|(f, v)| (f.key, *v))
        .collect();
    let values = StoredValue::new(values);
    let same = same_named(section, &keyed, editing);
    let errors = RwSignal::new(FieldErrors::default());
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let form_id = format!("add-{}", section.slug);

    // A row's "edit" fills the form with the record and brings it into view; saving or
    // cancelling empties it again.
    let form_for_effect = form_id.clone();
    Effect::new(move |_| {
        let record = editing.get();
        values.with_value(|v| {
            for (f, text) in section.fields().into_iter().zip(v) {
                let stored =
                    |r: &Value| form_text(f, r.get(f.key).unwrap_or(&Value::Null), school_year());
                text.set(record.as_ref().map(stored).unwrap_or_default());
            }
        });
        errors.set(FieldErrors::default());
        if record.is_some() {
            outcome.set(None);
            bring_into_view(
                &form_for_effect,
                &format!("{}-{}", section.slug, section.fields()[0].key),
            );
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let target = editing.get_untracked();
        let form = values.with_value(|v| {
            let texts = v.iter().map(|text| text.get_untracked());
            form_json(section.fields().into_iter().zip(texts), school_year())
        });
        let body = match &target {
            Some(record) => edited(record, form),
            None => form,
        };
        let problems = (section.check)(&body);
        errors.set(problems.clone());
        outcome.set(None);
        if !problems.is_empty() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let answer = match &target {
                Some(record) => {
                    let path = format!(
                        "{}/{}",
                        section.path(),
                        record_id(record).unwrap_or_default()
                    );
                    let version = record
                        .get("version")
                        .and_then(Value::as_i64)
                        .unwrap_or_default();
                    api::update_json(&path, version, &body).await
                }
                None => api::create_json(&section.path(), &body).await,
            };
            match answer {
                Ok(_) => {
                    if target.is_some() {
                        editing.set(None);
                    } else {
                        values.with_value(|v| v.iter().for_each(|s| s.set(String::new())));
                    }
                    outcome.set(Some(Ok(T::Saved.get(lang_untracked()).into())));
                    on_saved();
                }
                Err(ApiFailure::Answer { body: Some(b), .. }) => {
                    let mut from_server = FieldErrors::default();
                    for f in &b.fields {
                        from_server.push(f.field.clone(), f.code);
                    }
                    errors.set(from_server);
                    outcome.set(Some(Err(b.message)));
                }
                Err(e) => outcome.set(Some(Err(e.to_string()))),
            }
            busy.set(false);
        });
    };

    let heading = move || {
        let doing = if editing.with(Option::is_some) {
            T::Edit
        } else {
            T::Add
        };
        format!("{} · {}", tr(doing)(), section.title()())
    };
    view! {
        <form class="card admin-form" on:submit=on_submit novalidate=true id=form_id>
            <h2>{heading}</h2>
            <div class="row two">
                {section.fields().into_iter().enumerate().map(|(i, f)| {
                    let value = values.with_value(|v| v[i]);
                    let id = format!("{}-{}", section.slug, f.key);
                    let key = f.key;
                    // A list's items are checked as `days_attended[1]` or `enrolments[0].students`.
                    let error = move || errors.with(|e| {
                        e.codes()
                            .find(|(f, _)| *f == key || f.strip_prefix(key).is_some_and(|rest| rest.starts_with('[')))
                            .map(|(_, code)| code)
                    });
                    let within = within_of(key, &keyed);
                    let warning = (key == "name" && section.warn_same_name).then(|| {
                        let warning_id = format!("{id}-same");
                        view! {
                            <p class="warning" id=warning_id aria-live="polite">
                                {move || same.get().filter(|codes| !codes.is_empty()).map(|codes| same_name(lang(), &codes))}
                            </p>
                        }
                    });
                    view! {
                        <div class="field">
                            <label for=id.clone()>{say(f.label)}</label>
                            <Input kind=f.kind id=id.clone() value=value within=within
                                invalid=Signal::derive(move || error().is_some())
                                on_edit=move || errors.update(|e| e.remove(key)) />
                            {move || error().map(|code| view! { <p class="error">{code.message(lang())}</p> })}
                            {warning}
                        </div>
                    }
                }).collect_view()}
            </div>
            <div class="inline">
                <button type="submit" class="primary" disabled=move || busy.get()>{tr(T::Save)}</button>
                {move || editing.with(Option::is_some).then(|| view! {
                    <button type="button" class="secondary" id=format!("cancel-{}", section.slug)
                        on:click=move |_| editing.set(None)>{tr(T::Cancel)}</button>
                })}
            </div>
            <SaveOutcome outcome=outcome />
        </form>
    }
}

/// The codes of other records of the list with the name being typed (none while the name
/// is shorter than two characters). A failed look-up warns of nothing: the warning is
/// advice, and saving reports any real failure.
fn same_named(
    section: Section,
    keyed: &[(&'static str, RwSignal<String>)],
    editing: RwSignal<Option<Value>>,
) -> LocalResource<Vec<String>> {
    let name = keyed.iter().find(|(k, _)| *k == "name").map(|(_, v)| *v);
    LocalResource::new(move || {
        let typed = name.map(|n| n.get().trim().to_string()).unwrap_or_default();
        let own = editing.with(|e| e.as_ref().and_then(record_id));
        async move {
            if !section.warn_same_name || typed.chars().count() < 2 {
                return Vec::new();
            }
            let path = format!(
                "{}?limit=20&q={}",
                section.path(),
                js_sys::encode_uri_component(&typed)
            );
            let found = api::get_json::<Vec<Value>>(&path).await.unwrap_or_default();
            found
                .iter()
                .filter(|r| r.get("name").and_then(Value::as_str) == Some(typed.as_str()))
                .filter(|r| record_id(r) != own)
                .map(|r| {
                    let code = r.get("code").and_then(Value::as_str).unwrap_or_default();
                    code.to_string()
                })
                .collect()
        }
    })
}

/// Scrolls the form into view and puts the cursor in its first input, so that a keyboard
/// user who chose "edit" in the table goes on typing there.
fn bring_into_view(form_id: &str, first_input: &str) {
    let document = document();
    if let Some(form) = document.get_element_by_id(form_id) {
        form.scroll_into_view();
    }
    if let Some(input) = document
        .get_element_by_id(first_input)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = input.focus();
    }
}

/// The school year whose roll a school's form shows and sends.
fn school_year() -> i32 {
    humiao_shared::org::school_year_of(today())
}

/// The body of an edit: the stored record with the form's fields over it, so that what the
/// form does not show (a campaign's targets, say) is sent back unchanged. A school's roll
/// replaces only this school year's figure, keeping the years before.
fn edited(record: &Value, form: Value) -> Value {
    let mut body = record.as_object().cloned().unwrap_or_default();
    let Value::Object(form) = form else {
        return Value::Object(body);
    };
    for (key, value) in form {
        let merged = match (key.as_str(), body.get(&key), &value) {
            ("enrolments", Some(Value::Array(stored)), Value::Array(new)) => {
                let year_of = |r: &Value| r["school_year"].as_i64();
                let mut rolls: Vec<Value> = stored
                    .iter()
                    .filter(|r| !new.iter().any(|n| year_of(n) == year_of(r)))
                    .cloned()
                    .collect();
                rolls.extend(new.iter().cloned());
                Value::Array(rolls)
            }
            _ => value,
        };
        body.insert(key, merged);
    }
    Value::Object(body)
}

fn lang_untracked() -> Lang {
    use_context::<crate::i18n::Language>().map_or(Lang::Zh, |l| l.0.get_untracked())
}

/// One input of an admin form.
#[component]
fn Input(
    kind: FieldKind,
    id: String,
    value: RwSignal<String>,
    /// For a station: the district chosen beside it, whose stations alone are offered.
    within: Option<RwSignal<String>>,
    invalid: Signal<bool>,
    on_edit: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let on_input = move |ev| {
        on_edit();
        value.set(event_target_value(&ev));
    };
    let aria_invalid = move || invalid.get().to_string();
    match kind {
        FieldKind::Dates => view! { <input id=id type="text" placeholder="2024-08-19, 2024-08-20" aria-invalid=aria_invalid prop:value=move || value.get() on:input=on_input /> }.into_any(),
        FieldKind::Bool => view! {
            <input id=id type="checkbox" prop:checked=move || value.get() == "true"
                on:change=move |ev| { on_edit(); value.set(event_target_checked(&ev).to_string()) } />
        }.into_any(),
        FieldKind::Password => view! { <input id=id type="password" autocomplete="new-password" aria-invalid=aria_invalid prop:value=move || value.get() on:input=on_input /> }.into_any(),
        FieldKind::Text => view! { <input id=id type="text" aria-invalid=aria_invalid prop:value=move || value.get() on:input=on_input /> }.into_any(),
        FieldKind::Int | FieldKind::Roll => view! { <input id=id type="text" inputmode="numeric" aria-invalid=aria_invalid prop:value=move || value.get() on:input=on_input /> }.into_any(),
        FieldKind::Date => view! { <input id=id type="date" aria-invalid=aria_invalid prop:value=move || value.get() on:input=on_input /> }.into_any(),
        FieldKind::Month => view! { <input id=id type="month" placeholder="2024-12" aria-invalid=aria_invalid prop:value=move || value.get() on:input=on_input /> }.into_any(),
        FieldKind::Choice(choices) => view! {
            <select id=id aria-invalid=aria_invalid on:change=on_input>
                <option value="">"—"</option>
                {move || choices().into_iter().map(|c| view! { <option value=c.code selected=move || value.get() == c.code>{say(c.label)}</option> }).collect_view()}
            </select>
        }.into_any(),
        FieldKind::Ids("topics") => {
            let topics = LocalResource::new(api::topics);
            view! {
                <div class="chips" id=id>
                    {move || topics.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|t| {
                        let tid = t.id;
                        let on = move || id_list(&value.get()).contains(&tid);
                        view! {
                            <button type="button" class="chip" aria-pressed=move || on().to_string()
                                on:click=move |_| {
                                    on_edit();
                                    let mut ids = id_list(&value.get_untracked());
                                    if let Some(pos) = ids.iter().position(|x| *x == tid) { ids.remove(pos); } else { ids.push(tid); }
                                    value.set(ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
                                }>
                                {move || if lang() == Lang::En { t.name_en.clone() } else { t.name_zh.clone() }}
                            </button>
                        }
                    }).collect_view()}
                </div>
            }.into_any()
        }
        // Other lists of ids are typed as `3,5,8`.
        FieldKind::Ids(_) => view! { <input id=id type="text" aria-invalid=aria_invalid prop:value=move || value.get() on:input=on_input /> }.into_any(),
        FieldKind::Ref(collection) => {
            // Every record of the collection: 87 stations are more than a page.
            let path = format!("/api/v1/{collection}?limit=1000");
            let options = LocalResource::new(move || {
                let path = path.clone();
                async move { api::get_json::<Vec<Value>>(&path).await }
            });
            // Another district chosen: a station of the district before is taken back.
            if within.is_some() {
                Effect::new(move || {
                    let Some(Ok(all)) = options.get() else { return };
                    let chosen = value.get();
                    let stays = all.iter().any(|o| {
                        o.get("id").map(Value::to_string) == Some(chosen.clone())
                            && lies_within(o, within)
                    });
                    if !chosen.is_empty() && !stays {
                        value.set(String::new());
                    }
                });
            }
            view! {
                <select id=id aria-invalid=aria_invalid on:change=on_input>
                    <option value="">"—"</option>
                    {move || options.get().and_then(Result::ok).unwrap_or_default().into_iter().filter(|o| lies_within(o, within)).map(|o| {
                        let key = o.get("id").map(|v| v.to_string()).unwrap_or_default();
                        let name = ["name", "title"].iter().find_map(|k| o.get(*k).and_then(Value::as_str)).unwrap_or_default().to_string();
                        let chosen = key.clone();
                        // Controlled: when the options arrive or redraw, the one chosen stays.
                        view! { <option value=key selected=move || value.get() == chosen>{name}</option> }
                    }).collect_view()}
                </select>
            }.into_any()
        }
        // A group of counts is not on the form (see `record::form::on_form`).
        FieldKind::Counts(_) => ().into_any(),
    }
}
