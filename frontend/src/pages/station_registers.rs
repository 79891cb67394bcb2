//! 警情与关爱 (`/calls`): a station's runaway and missing-youth calls (出走失联警情), the
//! overdue ones (not followed up within the setting's days) first, each with its follow-up
//! visits and a button to add today's; a form to log a call; and the nights of care for
//! wandering minors (夜间游荡关爱) with a form to log one. Only counts and times: no child
//! is described here (a call or a night may point at cases by id, kept on the case's side).

use chrono::{Duration, Utc};
use humiao_shared::account::Me;
use humiao_shared::error::FieldErrors;
use humiao_shared::mentoring::night_care::{NewNightCare, NightCare};
use humiao_shared::mentoring::runaway::{NewRunawayCall, RunawayCall};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiFailure};
use crate::components::registers::{field_error, refused_fields};
use crate::components::{error_notice, today};
use crate::i18n::{self, lang, tr, T};

/// China's time now, as the rules judge "not in the future".
fn china_now() -> chrono::NaiveDateTime {
    Utc::now().naive_utc() + Duration::hours(8)
}

#[component]
pub fn StationRegisters() -> impl IntoView {
    let station = use_context::<Me>().and_then(|m| m.station_id);
    let calls =
        LocalResource::new(|| api::get_json::<Vec<RunawayCall>>("/api/v1/runaway_calls?limit=200"));
    let nights =
        LocalResource::new(|| api::get_json::<Vec<NightCare>>("/api/v1/night_care?limit=100"));
    let reload_calls = Callback::new(move |()| calls.refetch());
    let reload_nights = Callback::new(move |()| nights.refetch());
    view! {
        <h1>{tr(T::NavCalls)}</h1>
        <section class="card" id="runaway-calls">
            <h2>{tr(T::RunawayCalls)}</h2>
            <Transition fallback=|| view! { <p class="loading">{tr(T::Loading)}</p> }>
                <ErrorBoundary fallback=error_notice>
                    {move || Suspend::new(async move {
                        calls.await.map(|mut list| {
                            // Overdue first, then the latest call first.
                            list.sort_by(|a, b| {
                                b.overdue.cmp(&a.overdue).then(b.called_at.cmp(&a.called_at))
                            });
                            view! {
                                <ul class="calls">
                                    {list.into_iter().map(|c| view! {
                                        <CallRow call=c reload=reload_calls />
                                    }).collect_view()}
                                </ul>
                            }
                        })
                    })}
                </ErrorBoundary>
            </Transition>
            {station.map(|s| view! { <CallForm station=s reload=reload_calls /> })}
        </section>
        <section class="card" id="night-care">
            <h2>{tr(T::NightCare)}</h2>
            <Transition fallback=|| view! { <p class="loading">{tr(T::Loading)}</p> }>
                <ErrorBoundary fallback=error_notice>
                    {move || Suspend::new(async move {
                        nights.await.map(|list| view! {
                            <ul class="nights">
                                {list.into_iter().map(|n| view! {
                                    <li class="night">
                                        {n.cared_on} " · "
                                        {move || i18n::minors_cared(lang(), n.minors)}
                                    </li>
                                }).collect_view()}
                            </ul>
                        })
                    })}
                </ErrorBoundary>
            </Transition>
            {station.map(|s| view! { <NightForm station=s reload=reload_nights /> })}
        </section>
    }
}

/// A call: its times, its follow-ups, overdue or not, and 今日回访 (the call sent whole with
/// today's visit added, at the version it was read).
#[component]
fn CallRow(call: RunawayCall, reload: Callback<()>) -> impl IntoView {
    let failure = RwSignal::new(None::<String>);
    let today_text = today().to_string();
    let visited_today = call.follow_ups.contains(&today_text);
    let stored = StoredValue::new(call.clone());
    let follow_up = move |_| {
        let c = stored.get_value();
        let mut follow_ups = c.follow_ups.clone();
        follow_ups.push(today().to_string());
        let entry = NewRunawayCall {
            station_id: Some(c.station_id),
            called_at: c.called_at.clone(),
            found_at: c.found_at.clone(),
            case_id: c.case_id,
            follow_ups,
        };
        spawn_local(async move {
            let body = serde_json::to_value(&entry).unwrap_or_default();
            let path = format!("/api/v1/runaway_calls/{}", c.id);
            match api::update_json(&path, c.version, &body).await {
                Ok(_) => reload.run(()),
                Err(refused) => failure.set(Some(refused.to_string())),
            }
        });
    };
    let visits = if call.follow_ups.is_empty() {
        "—".to_string()
    } else {
        call.follow_ups.join("、")
    };
    view! {
        <li class="call" class:overdue=call.overdue data-id=call.id.to_string()>
            <span class="head">
                <strong>{call.called_at.replace('T', " ")}</strong>
                {call.overdue.then(|| view! { <span class="badge bad">{tr(T::CaseOverdue)}</span> })}
            </span>
            <span class="facts">
                {tr(T::FoundAt)} "：" {call.found_at.clone().map_or("—".into(), |f| f.replace('T', " "))}
                " · " {tr(T::FollowUps)} "：" {visits}
            </span>
            {(!visited_today).then(|| view! {
                <button type="button" class="secondary follow-up" on:click=follow_up>
                    {tr(T::FollowUpToday)}
                </button>
            })}
            {move || failure.get().map(|f| view! { <p class="notice bad" role="alert">{f}</p> })}
        </li>
    }
}

#[component]
fn CallForm(station: i64, reload: Callback<()>) -> impl IntoView {
    let called_at = RwSignal::new(String::new());
    let found_at = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::default());
    let failure = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let entry = NewRunawayCall {
            station_id: Some(station),
            called_at: called_at.get_untracked(),
            found_at: Some(found_at.get_untracked()).filter(|f| !f.is_empty()),
            case_id: None,
            follow_ups: Vec::new(),
        };
        if let Err(found) = entry.validate(china_now()) {
            errors.set(found);
            return;
        }
        errors.set(FieldErrors::default());
        spawn_local(async move {
            let body = serde_json::to_value(&entry).unwrap_or_default();
            match api::create_json("/api/v1/runaway_calls", &body).await {
                Ok(_) => {
                    failure.set(None);
                    reload.run(())
                }
                Err(refused) => show_refusal(refused, errors, failure),
            }
        });
    };
    let err = move |field: &'static str| field_error(errors, "call-", field);
    view! {
        <form class="inline-form" id="call-form" on:submit=save novalidate>
            <div class="row two">
                <div class="field">
                    <label for="call-called_at">{tr(T::CalledAt)}</label>
                    <input id="call-called_at" type="datetime-local" prop:value=move || called_at.get()
                        on:input=move |ev| called_at.set(event_target_value(&ev)) />
                    {err("called_at")}
                </div>
                <div class="field">
                    <label for="call-found_at">{tr(T::FoundAtOptional)}</label>
                    <input id="call-found_at" type="datetime-local" prop:value=move || found_at.get()
                        on:input=move |ev| found_at.set(event_target_value(&ev)) />
                    {err("found_at")}
                </div>
            </div>
            {move || failure.get().map(|f| view! { <p class="notice bad" role="alert">{f}</p> })}
            <button type="submit" class="primary" id="call-save">{tr(T::LogCall)}</button>
        </form>
    }
}

#[component]
fn NightForm(station: i64, reload: Callback<()>) -> impl IntoView {
    let cared_on = RwSignal::new(today().to_string());
    let minors = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::default());
    let failure = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let entry = NewNightCare {
            station_id: Some(station),
            cared_on: cared_on.get_untracked(),
            minors: minors.get_untracked().trim().parse().ok(),
            case_ids: Vec::new(),
        };
        if let Err(found) = entry.validate(today()) {
            errors.set(found);
            return;
        }
        errors.set(FieldErrors::default());
        spawn_local(async move {
            let body = serde_json::to_value(&entry).unwrap_or_default();
            match api::create_json("/api/v1/night_care", &body).await {
                Ok(_) => {
                    failure.set(None);
                    minors.set(String::new());
                    reload.run(())
                }
                Err(refused) => show_refusal(refused, errors, failure),
            }
        });
    };
    let err = move |field: &'static str| field_error(errors, "night-", field);
    view! {
        <form class="inline-form" id="night-form" on:submit=save novalidate>
            <div class="row two">
                <div class="field">
                    <label for="night-cared_on">{tr(T::NightOf)}</label>
                    <input id="night-cared_on" type="date" prop:value=move || cared_on.get()
                        on:input=move |ev| cared_on.set(event_target_value(&ev)) />
                    {err("cared_on")}
                </div>
                <div class="field">
                    <label for="night-minors">{tr(T::MinorsCared)}</label>
                    <input id="night-minors" type="number" inputmode="numeric"
                        prop:value=move || minors.get()
                        on:input=move |ev| minors.set(event_target_value(&ev)) />
                    {err("minors")}
                </div>
            </div>
            {move || failure.get().map(|f| view! { <p class="notice bad" role="alert">{f}</p> })}
            <button type="submit" class="primary" id="night-save">{tr(T::LogNight)}</button>
        </form>
    }
}

/// A refusal: its field codes beside the fields, its message above the button.
fn show_refusal(
    refused: ApiFailure,
    errors: RwSignal<FieldErrors>,
    failure: RwSignal<Option<String>>,
) {
    errors.set(refused_fields(&refused));
    failure.set(Some(refused.to_string()));
}
