//! 帮教对象 (`/cases`): a station's open cases for its officers, the overdue ones first,
//! each a card that opens the case's page; and the form that opens a case — birth year,
//! sex, category, grade, the day, an optional school and a short note. Never a name: the
//! server issues the code (`TN03-2024-017`) and the page shows it, for the station's paper
//! register that maps codes to children. A note that holds an ID number, a phone or a name
//! is refused beside the field, by the browser's rule first and the server's the same.

use humiao_shared::account::{Me, Role};
use humiao_shared::error::FieldErrors;
use humiao_shared::mentoring::case::{Case, NewCase};
use humiao_shared::mentoring::{Category, Grade, Sex};
use humiao_shared::org::{School, Station};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::components::registers::{field_error, grade_badge, refused_fields};
use crate::components::{error_notice, today};
use crate::i18n::{self, lang, tr, T};

#[component]
pub fn StationCases() -> impl IntoView {
    let me = use_context::<Me>();
    let station = me.as_ref().and_then(|m| m.station_id);
    let may_open = me
        .as_ref()
        .is_some_and(|m| matches!(m.role, Role::Officer | Role::Admin));
    let list = LocalResource::new(api::open_cases);
    let opened = RwSignal::new(None::<(i64, String)>);
    let on_opened = Callback::new(move |case: (i64, String)| {
        opened.set(Some(case));
        list.refetch();
    });
    view! {
        <h1>{tr(T::NavCases)}</h1>
        {move || opened.get().map(|(id, code)| view! {
            <p class="notice ok" role="status" id="case-opened">
                {move || i18n::case_opened(lang(), &code)} " "
                <a href=format!("/cases/{id}")>{tr(T::OpenCasePage)}</a>
            </p>
        })}
        {may_open.then(|| view! {
            <details class="card new-case">
                <summary>{tr(T::NewCase)}</summary>
                <NewCaseForm station=station on_opened=on_opened />
            </details>
        })}
        {may_open.then(|| view! {
            <p><a href="/import" id="import-registers">{tr(T::ImportRegisters)}</a></p>
        })}
        <h2>{tr(T::OpenCases)}</h2>
        <Transition fallback=|| view! { <p class="loading">{tr(T::Loading)}</p> }>
            <ErrorBoundary fallback=error_notice>
                {move || Suspend::new(async move {
                    list.await.map(|mut cases| {
                        cases.sort_by(|a, b| {
                            b.overdue.cmp(&a.overdue).then(a.code.cmp(&b.code))
                        });
                        view! { <CaseCards cases=cases /> }
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn CaseCards(cases: Vec<Case>) -> impl IntoView {
    if cases.is_empty() {
        return view! { <p>{tr(T::NoOpenCases)}</p> }.into_any();
    }
    view! {
        <ul class="case-cards" id="station-cases">
            {cases.into_iter().map(|c| {
                let category = c.category;
                let last = c.last_contact_on.clone().unwrap_or_else(|| "—".into());
                let code = c.code.clone();
                view! {
                    <li class="case-card" class:overdue=c.overdue data-code=code>
                        <a class="open-case" href=format!("/cases/{}", c.id)>
                            <span class="head">
                                <strong class="code">{c.code}</strong>
                                {grade_badge(c.grade)}
                                {c.overdue.then(|| view! {
                                    <span class="badge bad">{tr(T::CaseOverdue)}</span>
                                })}
                            </span>
                            <span class="facts">
                                <span>{move || category.label(lang())}</span>
                                <span>{tr(T::CaseLastContact)} "：" {last}</span>
                            </span>
                        </a>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The form that opens a case. An officer's station is their own; an administrator picks
/// one.
#[component]
fn NewCaseForm(station: Option<i64>, on_opened: Callback<(i64, String)>) -> impl IntoView {
    let station_id = RwSignal::new(station);
    let stations = LocalResource::new(move || async move {
        if station.is_some() {
            Ok(Vec::new())
        } else {
            api::stations().await
        }
    });
    let schools = LocalResource::new(move || {
        let at = station_id.get();
        async move {
            match at {
                Some(at) => api::schools_of(at).await.unwrap_or_default(),
                None => Vec::new(),
            }
        }
    });
    let birth_year = RwSignal::new(String::new());
    let sex = RwSignal::new(None::<Sex>);
    let category = RwSignal::new(None::<Category>);
    let grade = RwSignal::new(None::<Grade>);
    let opened_on = RwSignal::new(today().to_string());
    let school_id = RwSignal::new(None::<i64>);
    let note = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::default());
    let failure = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let entry = NewCase {
            station_id: station_id.get_untracked(),
            birth_year: birth_year.get_untracked().trim().parse().ok(),
            sex: sex.get_untracked(),
            school_id: school_id.get_untracked(),
            category: category.get_untracked(),
            grade: grade.get_untracked(),
            opened_on: opened_on.get_untracked(),
            closed_on: None,
            closing_reason: None,
            note: Some(note.get_untracked()).filter(|n| !n.trim().is_empty()),
        };
        if let Err(found) = entry.validate(today()) {
            errors.set(found);
            return;
        }
        errors.set(FieldErrors::default());
        failure.set(None);
        saving.set(true);
        spawn_local(async move {
            let body = serde_json::to_value(&entry).unwrap_or_default();
            match api::create_json("/api/v1/cases", &body).await {
                Ok(case) => {
                    let id = case["id"].as_i64().unwrap_or_default();
                    let code = case["code"].as_str().unwrap_or_default().to_string();
                    birth_year.set(String::new());
                    note.set(String::new());
                    on_opened.run((id, code));
                }
                Err(refused) => {
                    errors.set(refused_fields(&refused));
                    failure.set(Some(refused.to_string()));
                }
            }
            saving.try_set(false);
        });
    };

    let err = move |field: &'static str| field_error(errors, "case-", field);
    let choice = |code: &'static str, label: String| view! { <option value=code>{label}</option> };
    view! {
        <form class="session new-case-form" on:submit=save novalidate>
            {station.is_none().then(|| view! {
                <div class="field">
                    <label for="case-station">{tr(T::Station)}</label>
                    <select id="case-station" on:change=move |ev| {
                        station_id.set(event_target_value(&ev).parse().ok());
                    }>
                        <option value="">"—"</option>
                        <Suspense>
                            {move || Suspend::new(async move {
                                stations.await.unwrap_or_default().into_iter().map(|s: Station| view! {
                                    <option value=s.id.to_string()>{s.name}</option>
                                }).collect_view()
                            })}
                        </Suspense>
                    </select>
                    {err("station_id")}
                </div>
            })}
            <div class="row two">
                <div class="field">
                    <label for="case-birth_year">{tr(T::BirthYear)}</label>
                    <input id="case-birth_year" type="number" inputmode="numeric"
                        prop:value=move || birth_year.get()
                        on:input=move |ev| birth_year.set(event_target_value(&ev)) />
                    {err("birth_year")}
                </div>
                <div class="field">
                    <label for="case-sex">{tr(T::Sex)}</label>
                    <select id="case-sex" on:change=move |ev| {
                        sex.set(Sex::from_code(&event_target_value(&ev)));
                    }>
                        <option value="">"—"</option>
                        {Sex::ALL.into_iter().map(|s| choice(s.code(), s.label(lang()).into())).collect_view()}
                    </select>
                    {err("sex")}
                </div>
            </div>
            <div class="row two">
                <div class="field">
                    <label for="case-category">{tr(T::CaseCategory)}</label>
                    <select id="case-category" on:change=move |ev| {
                        category.set(Category::from_code(&event_target_value(&ev)));
                    }>
                        <option value="">"—"</option>
                        {Category::ALL.into_iter().map(|c| choice(c.code(), c.label(lang()).into())).collect_view()}
                    </select>
                    {err("category")}
                </div>
                <div class="field">
                    <label for="case-grade">{tr(T::RiskGrade)}</label>
                    <select id="case-grade" on:change=move |ev| {
                        grade.set(Grade::from_code(&event_target_value(&ev)));
                    }>
                        <option value="">"—"</option>
                        {Grade::ALL.into_iter().map(|g| choice(g.code(), g.label(lang()).into())).collect_view()}
                    </select>
                    {err("grade")}
                </div>
            </div>
            <div class="row two">
                <div class="field">
                    <label for="case-opened_on">{tr(T::OpenedOn)}</label>
                    <input id="case-opened_on" type="date" prop:value=move || opened_on.get()
                        on:input=move |ev| opened_on.set(event_target_value(&ev)) />
                    {err("opened_on")}
                </div>
                <div class="field">
                    <label for="case-school_id">{tr(T::SchoolOptional)}</label>
                    <select id="case-school_id" on:change=move |ev| {
                        school_id.set(event_target_value(&ev).parse().ok());
                    }>
                        <option value="">"—"</option>
                        <Suspense>
                            {move || Suspend::new(async move {
                                schools.await.into_iter().map(|s: School| view! {
                                    <option value=s.id.to_string()>{s.name}</option>
                                }).collect_view()
                            })}
                        </Suspense>
                    </select>
                    {err("school_id")}
                </div>
            </div>
            <div class="field">
                <label for="case-note">{tr(T::ContactNote)}</label>
                <input id="case-note" type="text" maxlength="100"
                    placeholder=tr(T::ContactNoteHint)
                    aria-invalid=move || errors.with(|e| e.get("note").is_some()).to_string()
                    prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev)) />
                {err("note")}
            </div>
            {move || failure.get().map(|f| view! { <p class="notice bad" role="alert">{f}</p> })}
            <button type="submit" class="primary" id="open-case" disabled=move || saving.get()>
                {tr(T::OpenCaseButton)}
            </button>
        </form>
    }
}
