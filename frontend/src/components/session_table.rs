//! A table of sessions, as the latest-sessions list and the station's pages show them.

use humiao_shared::session::Session;
use leptos::prelude::*;

use crate::i18n::{lang, tr, T};

/// A table of sessions; with `editable`, each row links to its edit page and has a button
/// that asks `on_delete` to delete it (with its id and the version it was read at).
#[component]
pub fn SessionTable(
    sessions: Vec<Session>,
    id: &'static str,
    editable: bool,
    #[prop(optional)] on_delete: Option<Callback<(i64, i64)>>,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table id=id>
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
                                <td>{s.held_on.to_string()}</td>
                                <td>{s.station}</td>
                                <td class="venue">{s.venue}</td>
                                <td>{move || format.label(lang())}</td>
                                <td class="num">{s.audience.total()}</td>
                                {editable.then(|| view! {
                                    <td class="actions">
                                        <a href=format!("/sessions/{sid}")>{tr(T::Edit)}</a>
                                        " "
                                        <button type="button" class="link danger"
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
