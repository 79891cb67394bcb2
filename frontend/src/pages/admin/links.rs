//! 学校链接: every school's link, paged and searchable by school name or code, the QR sheet
//! to print, copying one school's link, and revoking one.
//!
//! Nothing here issues or revokes on one click. Issuing (the sheet, or a fresh link to copy)
//! first asks the server what it would do (`POST /api/v1/links/preview`) and says, in the
//! page, how many links in use it revokes; revoking one asks in its row. Only then is the
//! write sent. A link's secret is shown once, when issued (the server keeps its hash), so
//! "复制链接" issues the school a new link and copies that.

use humiao_shared::link::{IssuedLink, LinkState, LinksPreview, NewLinks, SchoolLink};
use humiao_shared::org::Campaign;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::records::{Pager, PAGE};
use crate::api;
use crate::components::{error_notice, Problem};
use crate::i18n::{lang, tr, T};

/// A link just issued for copying, shown in the row of the new link.
#[derive(Clone)]
struct Copied {
    link_id: i64,
    url: String,
    /// Whether the clipboard took it (a browser may refuse): if not, the address is shown
    /// to copy by hand.
    ok: bool,
}

/// 学校链接: issue a campaign's links as a QR sheet, list, find, copy and revoke links.
#[component]
pub(super) fn LinksPage() -> impl IntoView {
    let campaigns = LocalResource::new(api::campaigns);
    // Back from the sheet's tab, the links it issued are listed: the sheet is issued by the
    // browser's own form post in another tab, which no action here sees finish.
    let refresh = RwSignal::new(0u32);
    let on_focus = window_event_listener(leptos::ev::focus, move |_| refresh.update(|n| *n += 1));
    on_cleanup(move || on_focus.remove());
    let page = RwSignal::new(1i64);
    let search = RwSignal::new(String::new());
    let copied = RwSignal::new(None::<Copied>);
    let problem = RwSignal::new(None::<String>);
    let links = LocalResource::new(move || {
        refresh.track();
        let q = search.get();
        let mut path = format!(
            "/api/v1/links?limit={PAGE}&offset={}",
            (page.get() - 1) * PAGE
        );
        if !q.trim().is_empty() {
            path.push_str(&format!("&q={}", js_sys::encode_uri_component(q.trim())));
        }
        async move { api::list_with_total::<SchoolLink>(&path).await }
    });
    let ctx = Rows {
        refresh,
        copied,
        problem,
    };
    view! {
        <section class="card" id="admin-links">
            <h2>{tr(T::Links)}</h2>
            <p class="muted">{tr(T::QrSheetNote)}</p>
            {move || campaigns.get().and_then(Result::ok).filter(|c| !c.is_empty()).map(|list| view! {
                <IssueSheet campaigns=list refresh=refresh />
            })}
            <div class="field search">
                <label for="links-search">{tr(T::SearchSchool)}</label>
                <input id="links-search" type="search" prop:value=move || search.get()
                    on:input=move |ev| { page.set(1); search.set(event_target_value(&ev)) } />
            </div>
            <Problem problem=problem />
            <Transition fallback=|| view! { <p class="muted">{tr(T::Loading)}</p> }>
                <ErrorBoundary fallback=error_notice>
                    {move || Suspend::new(async move {
                        links.await.map(|(list, total)| view! {
                            <LinkTable links=list ctx=ctx />
                            <Pager page=page total=total />
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// What every row shares with the page.
#[derive(Clone, Copy)]
struct Rows {
    refresh: RwSignal<u32>,
    copied: RwSignal<Option<Copied>>,
    problem: RwSignal<Option<String>>,
}

#[component]
fn LinkTable(links: Vec<SchoolLink>, ctx: Rows) -> impl IntoView {
    if links.is_empty() {
        return view! { <p class="muted empty">{tr(T::NoData)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="links cards-on-phone">
                <caption>{tr(T::Links)}</caption>
                <thead><tr>
                    <th scope="col">{tr(T::School)}</th>
                    <th scope="col">{tr(T::Campaign)}</th>
                    <th scope="col">{tr(T::Status)}</th>
                    <th scope="col">{tr(T::ExpiresOn)}</th>
                    <th scope="col"><span class="visually-hidden">{tr(T::Actions)}</span></th>
                </tr></thead>
                <tbody>
                    {links.into_iter().map(|l| view! { <LinkRow link=l ctx=ctx /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// What a row is asking before it writes.
#[derive(Clone, Copy, PartialEq)]
enum Asking {
    Nothing,
    Revoke,
    /// A new link to copy, and what issuing it revokes.
    Copy(LinksPreview),
}

#[component]
fn LinkRow(link: SchoolLink, ctx: Rows) -> impl IntoView {
    let Rows {
        refresh,
        copied,
        problem,
    } = ctx;
    let asking = RwSignal::new(Asking::Nothing);
    let busy = RwSignal::new(false);
    let (id, school_id, campaign_id) = (link.id, link.school_id, link.campaign_id);
    let request = move || NewLinks {
        campaign_id: Some(campaign_id),
        school_ids: Some(vec![school_id]),
        days_valid: None,
    };
    let ask_copy = move |_| {
        busy.set(true);
        spawn_local(async move {
            match api::preview_links(&request()).await {
                Ok(p) => asking.set(Asking::Copy(p)),
                Err(e) => problem.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    let copy = move |_| {
        busy.set(true);
        spawn_local(async move {
            match api::issue_links(&request()).await {
                Ok(issued) => {
                    if let Some(IssuedLink { id, url, .. }) = issued.into_iter().next() {
                        let ok = write_clipboard(&url).await;
                        copied.set(Some(Copied {
                            link_id: id,
                            url,
                            ok,
                        }));
                    }
                    problem.set(None);
                    refresh.update(|n| *n += 1);
                }
                Err(e) => problem.set(Some(e.to_string())),
            }
            asking.set(Asking::Nothing);
            busy.set(false);
        });
    };
    let revoke = move |_| {
        busy.set(true);
        spawn_local(async move {
            match api::delete_path(&format!("/api/v1/links/{id}")).await {
                Ok(()) => {
                    problem.set(None);
                    // The address copied from this link no longer works: no longer shown.
                    if copied.with_untracked(|c| c.as_ref().is_some_and(|c| c.link_id == id)) {
                        copied.set(None);
                    }
                    refresh.update(|n| *n += 1);
                }
                Err(e) => problem.set(Some(e.to_string())),
            }
            asking.set(Asking::Nothing);
            busy.set(false);
        });
    };
    let state = link.state;
    let active = state == LinkState::Active;
    let copied_here = move || copied.get().filter(|c| c.link_id == id);
    view! {
        <tr data-link=id.to_string()>
            <td data-label=tr(T::School)>
                <strong>{link.school}</strong>
                <span class="muted code">{link.school_code}</span>
            </td>
            <td data-label=tr(T::Campaign)>{link.campaign}</td>
            <td data-label=tr(T::Status) class=move || format!("state {}", state.code())>
                {move || state.label(lang())}
            </td>
            <td data-label=tr(T::ExpiresOn)>{link.expires_at.date_naive().to_string()}</td>
            <td class="actions">
                // A revoked link was withdrawn on purpose (or replaced): its row offers no
                // new one; the school's current link, if any, has its own row.
                {(state != LinkState::Revoked).then(|| view! {
                    <button type="button" class="secondary copy-link" disabled=move || busy.get()
                        on:click=ask_copy>{tr(T::CopyLink)}</button>
                })}
                {active.then(|| view! {
                    <button type="button" class="secondary danger revoke-link" disabled=move || busy.get()
                        on:click=move |_| asking.set(Asking::Revoke)>{tr(T::Revoke)}</button>
                })}
                {move || match asking.get() {
                    Asking::Nothing => None,
                    Asking::Revoke => Some(view! {
                        <div class="confirm-step" role="alertdialog" aria-live="assertive">
                            <p>{tr(T::RevokeOneQuestion)}</p>
                            <button type="button" class="danger" disabled=move || busy.get()
                                on:click=revoke>{tr(T::ConfirmRevoke)}</button>
                            <button type="button" class="secondary"
                                on:click=move |_| asking.set(Asking::Nothing)>{tr(T::Cancel)}</button>
                        </div>
                    }.into_any()),
                    Asking::Copy(preview) => Some(view! {
                        <div class="confirm-step" role="alertdialog" aria-live="assertive">
                            <p class="muted">{tr(T::CopyNote)}</p>
                            <p class="question">{move || preview.question(lang())}</p>
                            <button type="button" class="primary" disabled=move || busy.get()
                                on:click=copy>{tr(T::IssueAndCopy)}</button>
                            <button type="button" class="secondary"
                                on:click=move |_| asking.set(Asking::Nothing)>{tr(T::Cancel)}</button>
                        </div>
                    }.into_any()),
                }}
                {move || copied_here().map(|c| view! {
                    <div class="copied" aria-live="polite">
                        {if c.ok {
                            view! { <span class="ok">{tr(T::Copied)}</span> }.into_any()
                        } else {
                            view! { <span class="bad">{tr(T::CopyFailed)}</span> }.into_any()
                        }}
                        <input type="text" readonly=true class="url" value=c.url
                            aria-label=tr(T::CopyLink) />
                    </div>
                })}
            </td>
        </tr>
    }
}

/// Puts `text` on the clipboard; false when the browser would not (no permission, or no
/// clipboard in an insecure page). Through `js_sys` so that no unstable `web-sys` API is
/// needed.
async fn write_clipboard(text: &str) -> bool {
    use wasm_bindgen::JsCast;
    let Ok(navigator) = js_sys::Reflect::get(&window(), &"navigator".into()) else {
        return false;
    };
    let Ok(clipboard) = js_sys::Reflect::get(&navigator, &"clipboard".into()) else {
        return false;
    };
    if clipboard.is_undefined() {
        return false;
    }
    let Ok(write) = js_sys::Reflect::get(&clipboard, &"writeText".into()) else {
        return false;
    };
    let Some(write) = write.dyn_ref::<js_sys::Function>() else {
        return false;
    };
    let Ok(promise) = write.call1(&clipboard, &text.into()) else {
        return false;
    };
    let Ok(promise) = promise.dyn_into::<js_sys::Promise>() else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// The QR sheet of one campaign (the newest unless another is chosen). It asks the server
/// first how many links in use issuing revokes, says so in the page, and only on a second,
/// explicit click posts the form (to a new tab, with this page's origin and cookie).
#[component]
fn IssueSheet(campaigns: Vec<Campaign>, refresh: RwSignal<u32>) -> impl IntoView {
    let newest = campaigns
        .iter()
        .max_by_key(|c| (c.year, c.id))
        .map_or(0, |c| c.id);
    let campaign_id = RwSignal::new(newest);
    let asking = RwSignal::new(None::<LinksPreview>);
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let ask = move |_| {
        busy.set(true);
        spawn_local(async move {
            let request = NewLinks {
                campaign_id: Some(campaign_id.get_untracked()),
                ..NewLinks::default()
            };
            match api::preview_links(&request).await {
                Ok(p) => {
                    problem.set(None);
                    asking.set(Some(p));
                }
                Err(e) => problem.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="issue-sheet">
            <div class="field">
                <label for="sheet-campaign">{tr(T::Campaign)}</label>
                <select id="sheet-campaign"
                    on:change=move |ev| {
                        if let Ok(id) = event_target_value(&ev).parse() {
                            asking.set(None);
                            campaign_id.set(id);
                        }
                    }>
                    {campaigns.into_iter().map(|c| view! {
                        <option value=c.id.to_string() selected=move || campaign_id.get() == c.id>{c.name}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="button" class="primary ask-issue" disabled=move || busy.get()
                on:click=ask>{tr(T::QrSheet)}</button>
            <Problem problem=problem />
            {move || asking.get().map(|preview| view! {
                <form class="confirm-step" role="alertdialog" aria-live="assertive" method="post"
                    action="/api/v1/links/sheet" target="_blank"
                    on:submit=move |_| {
                        // The form goes to the new tab; here the question is answered, and
                        // the list is read again. Later, not now: a form taken out of the
                        // page while it is being submitted is not sent.
                        set_timeout(
                            move || {
                                asking.set(None);
                                refresh.update(|n| *n += 1);
                            },
                            std::time::Duration::from_millis(500),
                        );
                    }>
                    <p class="question">{move || preview.question(lang())}</p>
                    <input type="hidden" name="campaign_id" value=move || campaign_id.get().to_string() />
                    <button type="submit" class="danger">{tr(T::ConfirmIssue)}</button>
                    <button type="button" class="secondary"
                        on:click=move |_| asking.set(None)>{tr(T::Cancel)}</button>
                </form>
            })}
        </div>
    }
}
