//! A table of sessions, as the latest-sessions list and the station's pages show them. Below
//! 600 px each row reads as a card (`cards-on-phone`): every column is there with its label,
//! 人次 included, and 修改 and 删除 are full-size buttons, apart, instead of a table wider than
//! the phone with its buttons off-screen.

use humiao_shared::session::Session;
use leptos::prelude::*;

use crate::i18n::{lang, tr, T};

/// A table of sessions; with `editable`, each row links to its edit page and has a button
/// that asks `on_delete` to delete it (with its id and the version it was read at; the page
/// asks the officer first).
#[component]
pub fn SessionTable(
    sessions: Vec<Session>,
    id: &'static str,
    editable: bool,
    #[prop(optional)] on_delete: Option<Callback<(i64, i64)>>,
) -> impl IntoView {
    // The cards' labels, in the language in use.
    let label = move |key: T| move || key.get(lang());
    view! {
        <div class="table-wrap">
            <table id=id class="sessions cards-on-phone">
                <thead>
                    <tr>
                        <th>{tr(T::Date)}</th><th>{tr(T::Station)}</th><th>{tr(T::Venue)}</th>
                        <th>{tr(T::Format)}</th><th class="num">{tr(T::PersonTimes)}</th>
                        {editable.then(|| view! { <th></th> })}
                    </tr>
                </thead>
                <tbody>
                    {sessions.into_iter().map(|s| {
                        let (sid, version) = (s.id, s.version);
                        let format = s.format;
                        view! {
                            <tr data-session=sid.to_string()>
                                <td class="day" data-label=label(T::Date)>{s.held_on.to_string()}</td>
                                <td data-label=label(T::Station)>{s.station}</td>
                                <td class="venue" data-label=label(T::Venue)>{s.venue}</td>
                                <td data-label=label(T::Format)>{move || format.label(lang())}</td>
                                <td class="num" data-label=label(T::PersonTimes)>{s.audience.total()}</td>
                                {editable.then(|| view! {
                                    <td class="actions">
                                        <a class="button edit" href=format!("/sessions/{sid}")>{tr(T::Edit)}</a>
                                        <button type="button" class="secondary danger delete"
                                            on:click=move |_| if let Some(cb) = on_delete { cb.run((sid, version)) }>
                                            {tr(T::Delete)}
                                        </button>
                                    </td>
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
