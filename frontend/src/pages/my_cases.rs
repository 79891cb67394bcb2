//! 我的帮教对象: a volunteer's first page, for now a plain list of the open cases they are
//! paired with, the overdue ones first — code, risk grade and last contact. Logging a
//! contact from here (three taps, offline through the outbox) is the next slice.

use humiao_shared::mentoring::case::Case;
use leptos::prelude::*;

use crate::api;
use crate::components::error_notice;
use crate::i18n::{lang, tr, T};

#[component]
pub fn MyCases() -> impl IntoView {
    let cases = LocalResource::new(api::open_cases);
    view! {
        <h1>{tr(T::NavMyCases)}</h1>
        <Transition fallback=|| view! { <p class="loading">{tr(T::Loading)}</p> }>
            <ErrorBoundary fallback=error_notice>
                {move || Suspend::new(async move {
                    cases.await.map(|mut list| {
                        // Overdue first, then by code.
                        list.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(a.code.cmp(&b.code)));
                        view! { <CaseList cases=list /> }
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn CaseList(cases: Vec<Case>) -> impl IntoView {
    if cases.is_empty() {
        return view! { <p>{tr(T::NoCases)}</p> }.into_any();
    }
    view! {
        <ul class="cards">
            {cases
                .into_iter()
                .map(|c| {
                    let grade = c.grade;
                    let last = c.last_contact_on.unwrap_or_else(|| "—".into());
                    view! {
                        <li class="card">
                            <strong>{c.code}</strong>
                            " · "
                            {move || grade.label(lang())}
                            {c.overdue.then(|| view! {
                                " · " <span class="bad">{tr(T::CaseOverdue)}</span>
                            })}
                            <br />
                            {tr(T::CaseLastContact)}
                            "："
                            {last}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
