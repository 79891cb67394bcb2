//! The latest sessions, under the entry form.

use humiao_shared::session::Session;
use leptos::prelude::*;

use crate::components::error_notice;

use crate::api;

#[component]
pub fn RecentSessions(
    /// Changes whenever a session was saved, so the list refetches.
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let sessions = LocalResource::new(move || {
        refresh.track();
        api::recent_sessions(10)
    });
    view! {
        <h2>"最近记录"</h2>
        <Transition fallback=|| view! { <p class="muted">"加载中…"</p> }>
            <ErrorBoundary fallback=error_notice>
                {move || Suspend::new(async move {
                    sessions.await.map(|list| {
                        if list.is_empty() {
                            view! { <p class="muted">"还没有宣讲记录。"</p> }.into_any()
                        } else {
                            view! { <SessionTable sessions=list /> }.into_any()
                        }
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn SessionTable(sessions: Vec<Session>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table id="recent-sessions">
                <thead>
                    <tr><th>"日期"</th><th>"派出所"</th><th>"场所"</th><th>"形式"</th><th class="num">"人次"</th></tr>
                </thead>
                <tbody>
                    {sessions.into_iter().map(|s| view! {
                        <tr>
                            <td>{s.held_on.to_string()}</td>
                            <td>{s.station}</td>
                            <td>{s.venue}</td>
                            <td>{s.format.label(humiao_shared::Lang::Zh)}</td>
                            <td class="num">{s.audience.total()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
