//! 导入: schools, stations, speakers, sessions, confirmations, volunteers or cases from an
//! Excel or CSV file (an officer is offered the kinds they may import: `kinds`).
//!
//! The page offers each kind's template, then checks the chosen file with a dry run (every
//! problem listed by row and column, nothing stored) before the real import, which stores
//! every row or none. The upload goes through `XMLHttpRequest` rather than `fetch`, because
//! only it reports upload progress, which a 10 MB file on a slow line needs.

use humiao_shared::import::{ImportKind, ImportReport};
use humiao_shared::{ErrorBody, Lang};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::{lang, tr, T};

/// What the server answered to an upload.
enum Answer {
    Report(ImportReport),
    Refused(String),
}

#[component]
pub fn ImportPage(
    /// The kinds offered, the first chosen; every kind when not given.
    #[prop(optional)]
    kinds: Option<&'static [ImportKind]>,
) -> impl IntoView {
    let kinds: &'static [ImportKind] = kinds.unwrap_or(&ImportKind::ALL);
    let kind = RwSignal::new(kinds[0]);
    let file = RwSignal::new_local(None::<web_sys::File>);
    let progress = RwSignal::new(None::<f64>);
    let answer = RwSignal::new_local(None::<Answer>);
    let checked = RwSignal::new(false);

    // Checks or imports the chosen file; a browser `File` is not `Send`, hence a local
    // action.
    let send_file = Action::new_local(
        move |(kind, chosen, dry_run): &(ImportKind, web_sys::File, bool)| {
            let (kind, chosen, dry_run) = (*kind, chosen.clone(), *dry_run);
            async move {
                let result = upload(kind, &chosen, dry_run, progress).await;
                progress.set(None);
                checked
                    .set(dry_run && matches!(&result, Answer::Report(r) if r.problem_count == 0));
                answer.set(Some(result));
            }
        },
    );
    let run = move |dry_run: bool| {
        let Some(chosen) = file.get_untracked() else {
            answer.set(Some(Answer::Refused(T::ChooseFile.get(lang_now()).into())));
            return;
        };
        progress.set(Some(0.0));
        answer.set(None);
        send_file.dispatch_local((kind.get_untracked(), chosen, dry_run));
    };

    view! {
        <section class="card" id="admin-import">
            <h2>{tr(T::Import)}</h2>
            <div class="row two">
                <div class="field">
                    <label for="import-kind">{tr(T::ImportKind)}</label>
                    <select id="import-kind" on:change=move |ev| {
                        if let Some(k) = kinds.iter().copied().find(|k| k.code() == event_target_value(&ev)) {
                            kind.set(k);
                            checked.set(false);
                        }
                    }>
                        {move || kinds.iter().copied().map(|k| view! {
                            <option value=k.code() selected=move || kind.get() == k>{k.label(lang())}</option>
                        }).collect_view()}
                    </select>
                    <p class="inline">
                        <span class="muted">{tr(T::Template)}</span>
                        <a class="button" href=move || format!("/api/v1/imports/{}/template?format=xlsx", kind.get().code()) download="">"Excel"</a>
                        <a class="button" href=move || format!("/api/v1/imports/{}/template?format=csv", kind.get().code()) download="">"CSV"</a>
                    </p>
                </div>
                <div class="field">
                    <label for="import-file">{tr(T::File)}</label>
                    <input id="import-file" type="file" accept=".xlsx,.csv"
                        on:change=move |ev| {
                            let input: web_sys::HtmlInputElement = event_target(&ev);
                            file.set(input.files().and_then(|f| f.get(0)));
                            checked.set(false);
                            answer.set(None);
                        } />
                </div>
            </div>
            <div class="inline">
                <button type="button" class="secondary" id="import-check" on:click=move |_| run(true)
                    disabled=move || progress.get().is_some()>{tr(T::DryRun)}</button>
                <button type="button" class="primary" id="import-run" on:click=move |_| run(false)
                    disabled=move || progress.get().is_some() || !checked.get()>{tr(T::ImportNow)}</button>
            </div>
            {move || progress.get().map(|p| view! {
                <p role="status">
                    <progress max="1" value=p.to_string()></progress>
                    " " {format!("{:.0}%", p * 100.0)}
                </p>
            })}
            <div aria-live="polite" id="import-answer">
                {move || answer.with(|a| a.as_ref().map(|a| match a {
                    Answer::Refused(message) => view! { <p class="notice bad" role="alert">{message.clone()}</p> }.into_any(),
                    Answer::Report(r) => view! { <ReportView report=r.clone() /> }.into_any(),
                }))}
            </div>
        </section>
    }
}

#[component]
fn ReportView(report: ImportReport) -> impl IntoView {
    let summary = {
        let report = report.clone();
        move || crate::i18n::import_summary(lang(), &report)
    };
    let ok = report.problem_count == 0;
    let problems = report.problems.clone();
    // Titles, the example row and a total: shown so the user sees the sheet was understood.
    let skipped = report.skipped.clone();
    view! {
        <p class=if ok { "notice ok" } else { "notice bad" } id="import-summary">{summary}</p>
        {(!skipped.is_empty()).then(|| view! {
            <details id="import-skipped">
                <summary>{tr(T::ImportSkipped)}{
                    let n = skipped.len();
                    move || lang().pick(&format!("（{n}）"), &format!(" ({n})")).to_string()
                }</summary>
                <ul>
                    {skipped.into_iter().map(|s| view! {
                        <li>{move || match lang() {
                            Lang::Zh => format!("第 {} 行：{}", s.row, s.message),
                            Lang::En => format!("Row {}: {}", s.row, s.message),
                        }}</li>
                    }).collect_view()}
                </ul>
            </details>
        })}
        {(!problems.is_empty()).then(|| view! {
            <div class="table-wrap">
                <table id="import-problems">
                    <thead><tr><th>{tr(T::Row)}</th><th>{tr(T::Column)}</th><th>{tr(T::Problem)}</th></tr></thead>
                    <tbody>
                        {problems.into_iter().map(|p| view! {
                            <tr>
                                <td>{p.row.map(|r| r.to_string()).unwrap_or_default()}</td>
                                <td>{p.column.unwrap_or_default()}</td>
                                <td>{p.message}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
    }
}

fn lang_now() -> Lang {
    use_context::<crate::i18n::Language>().map_or(Lang::Zh, |l| l.0.get_untracked())
}

/// Sends the file as the request body, reporting the share sent to `progress`.
async fn upload(
    kind: ImportKind,
    file: &web_sys::File,
    dry_run: bool,
    progress: RwSignal<Option<f64>>,
) -> Answer {
    let url = format!(
        "/api/v1/imports/{}{}",
        kind.code(),
        if dry_run { "?dry_run=true" } else { "" }
    );
    match send(&url, file, progress).await {
        Ok((status, text)) => {
            if let Ok(report) = serde_json::from_str::<ImportReport>(&text) {
                Answer::Report(report)
            } else if let Ok(body) = serde_json::from_str::<ErrorBody>(&text) {
                Answer::Refused(body.message)
            } else {
                Answer::Refused(format!("{} ({status})", T::ServerError.get(lang_now())))
            }
        }
        Err(_) => Answer::Refused(T::NetworkDown.get(lang_now()).into()),
    }
}

async fn send(
    url: &str,
    file: &web_sys::File,
    progress: RwSignal<Option<f64>>,
) -> Result<(u16, String), JsValue> {
    let xhr = web_sys::XmlHttpRequest::new()?;
    xhr.open_with_async("POST", url, true)?;
    xhr.set_request_header(
        "Accept-Language",
        if lang_now() == Lang::En {
            "en"
        } else {
            "zh-CN"
        },
    )?;
    if !file.type_().is_empty() {
        xhr.set_request_header("Content-Type", &file.type_())?;
    }
    let on_progress =
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                progress.set(Some(e.loaded() / e.total()));
            }
        });
    xhr.upload()?
        .set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        xhr.set_onload(Some(&resolve));
        xhr.set_onerror(Some(&reject));
    });
    xhr.send_with_opt_blob(Some(file))?;
    wasm_bindgen_futures::JsFuture::from(done).await?;
    drop(on_progress);
    Ok((xhr.status()?, xhr.response_text()?.unwrap_or_default()))
}
