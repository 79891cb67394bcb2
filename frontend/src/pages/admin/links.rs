//! 学校链接: every school's link for a campaign, the QR sheet to print, and revoking one.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::components::{error_notice, Problem};
use crate::i18n::{tr, T};

/// 学校链接: issue every school's link for a campaign, print them as QR codes, revoke one.
#[component]
pub(super) fn LinksPage() -> impl IntoView {
    let campaigns = LocalResource::new(api::campaigns);
    let refresh = RwSignal::new(0u32);
    let links = LocalResource::new(move || {
        refresh.track();
        api::list_with_total::<humiao_shared::link::SchoolLink>("/api/v1/links?limit=100")
    });
    let problem = RwSignal::new(None::<String>);
    let revoke = move |id: i64| {
        spawn_local(async move {
            match api::delete_path(&format!("/api/v1/links/{id}")).await {
                Ok(()) => refresh.update(|n| *n += 1),
                Err(e) => problem.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <section class="card" id="admin-links">
            <h2>{tr(T::Links)}</h2>
            <p class="inline">
                {move || campaigns.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|c| view! {
                    <a class="button" href=format!("/api/v1/links/sheet?campaign_id={}", c.id) target="_blank">
                        {move || format!("{} · {}", tr(T::QrSheet)(), c.name)}
                    </a>
                }).collect_view()}
            </p>
            <Problem problem=problem />
            <Transition fallback=|| view! { <p class="muted">{tr(T::Loading)}</p> }>
                <ErrorBoundary fallback=error_notice>
                    {move || Suspend::new(async move {
                        links.await.map(|(list, _)| if list.is_empty() {
                            view! { <p class="muted empty">{tr(T::NoData)}</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap"><table>
                                    <thead><tr><th>{tr(T::School)}</th><th>{tr(T::Status)}</th><th>{tr(T::To)}</th><th></th></tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|l| {
                                            let id = l.id;
                                            let active = l.state == humiao_shared::link::LinkState::Active;
                                            view! {
                                                <tr>
                                                    <td>{l.school}</td>
                                                    <td>{format!("{:?}", l.state)}</td>
                                                    <td>{l.expires_at.date_naive().to_string()}</td>
                                                    <td>{active.then(|| view! {
                                                        <button type="button" class="link danger" on:click=move |_| revoke(id)>{tr(T::Revoke)}</button>
                                                    })}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table></div>
                            }.into_any()
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}
