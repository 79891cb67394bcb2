//! 学校链接: every school's link for a campaign, the QR sheet to print, and revoking one.
//!
//! The sheet is the answer of a `POST` that issues new links and revokes the schools'
//! current ones, so the page asks first, saying how many links that revokes, and then posts
//! a plain form to a new tab (the browser sends it with this page's origin and cookie).

use humiao_shared::link::{LinkState, SchoolLink};
use leptos::prelude::*;

use crate::api;
use crate::components::{error_notice, Problem};
use crate::i18n::{lang, revoke_links_question, tr, T};

/// 学校链接: issue every school's link for a campaign, print them as QR codes, revoke one.
#[component]
pub(super) fn LinksPage() -> impl IntoView {
    let campaigns = LocalResource::new(api::campaigns);
    // Back from the sheet's tab, the links it issued are listed: the sheet is issued by the
    // browser's own form post in another tab, which no action here sees finish.
    let back = Trigger::new();
    let on_focus = window_event_listener(leptos::ev::focus, move |_| back.notify());
    on_cleanup(move || on_focus.remove());
    let revoke = Action::new_local(|id: &i64| {
        let path = format!("/api/v1/links/{id}");
        async move { api::delete_path(&path).await }
    });
    let links = LocalResource::new(move || {
        back.track();
        revoke.version().track();
        api::list_with_total::<SchoolLink>("/api/v1/links?limit=100")
    });
    let problem = Signal::derive(move || {
        revoke.value().with(|v| {
            v.as_ref()
                .and_then(|r| r.as_ref().err().map(|e| e.to_string()))
        })
    });
    view! {
        <section class="card" id="admin-links">
            <h2>{tr(T::Links)}</h2>
            <p class="muted">{tr(T::QrSheetNote)}</p>
            <p class="inline">
                {move || campaigns.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|c| view! {
                    <IssueSheet campaign_id=c.id name=c.name back=back revoke=revoke />
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
                                            let active = l.state == LinkState::Active;
                                            view! {
                                                <tr>
                                                    <td>{l.school}</td>
                                                    <td>{format!("{:?}", l.state)}</td>
                                                    <td>{l.expires_at.date_naive().to_string()}</td>
                                                    <td>{active.then(|| view! {
                                                        <button type="button" class="link danger" on:click=move |_| { revoke.dispatch(id); }>{tr(T::Revoke)}</button>
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

/// The button that issues a campaign's sheet: a form posted to a new tab, once the
/// administrator agreed to revoke the campaign's links in use (counted beforehand, so the
/// question can say how many).
#[component]
fn IssueSheet(
    campaign_id: i64,
    name: String,
    back: Trigger,
    revoke: Action<i64, api::ApiResult<()>>,
) -> impl IntoView {
    let in_use = LocalResource::new(move || {
        back.track();
        revoke.version().track();
        let path = format!("/api/v1/links?campaign_id={campaign_id}&state=active&limit=5000");
        async move { api::get_json::<Vec<SchoolLink>>(&path).await }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        // Until the count is in, the question says nothing it does not know.
        let n = in_use.get().and_then(Result::ok).map(|l| l.len());
        let question = revoke_links_question(lang(), n);
        if !window().confirm_with_message(&question).unwrap_or(false) {
            ev.prevent_default();
        }
    };
    view! {
        <form class="inline" method="post" action="/api/v1/links/sheet" target="_blank" on:submit=on_submit>
            <input type="hidden" name="campaign_id" value=campaign_id.to_string() />
            <button type="submit" class="button">
                {move || format!("{} · {}", tr(T::QrSheet)(), name)}
            </button>
        </form>
    }
}
