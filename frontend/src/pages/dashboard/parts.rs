//! The dashboard's building blocks: a headline figure with its definition (口径), a chart
//! card (drawn for the width it gets) and the tables (cards on a phone); each chart's
//! export menu is in `export`.

use humiao_shared::aggregate::{GroupBy, OutcomePoint, ReachRow};
use humiao_shared::charts::{thousands, ChartName, Fit};
use humiao_shared::definitions::Figure as Def;
use humiao_shared::outcome::Indicator;
use humiao_shared::Lang;
use leptos::prelude::*;

use super::Filters;
use crate::i18n::{lang, text, tr, T};

/// A headline figure, its name, an optional note under it, and its definition folded
/// away under 口径 (with what issue 15 changed in it, if anything).
#[component]
pub(super) fn Figure(
    def: Def,
    value: String,
    id: &'static str,
    #[prop(optional_no_strip)] note: Option<Signal<String>>,
) -> impl IntoView {
    let changed = def.changed();
    view! {
        <div class="figure" id=id>
            <div class="value">{value}</div>
            <div class="name">{text(def.label())}</div>
            {note.map(|n| view! { <div class="note">{n}</div> })}
            <details class="definition">
                <summary>{tr(T::Definition)}</summary>
                <p>{text(def.definition())}</p>
                {changed.map(|c| view! { <p class="changed">{text(c)}</p> })}
            </details>
        </div>
    }
}

/// One chart drawn by the page (`svg` in the language asked, for the width given). Its SVG is produced by plotters,
/// which escapes every text it writes, so inserting it as markup cannot run a script hidden
/// in a name.
///
/// The chart is drawn at its box's width (measured once mounted, and again when the window
/// is resized or the phone turned) rather than drawn wide and scaled down: scaled, a
/// phone's chart text was 3–6 px (issue 16).
#[component]
pub(super) fn ChartCard(
    name: ChartName,
    svg: Box<dyn Fn(Lang, Fit) -> String + Send + Sync>,
) -> impl IntoView {
    let slug = name.slug();
    let chart_box = NodeRef::<leptos::html::Div>::new();
    // 0 until measured: nothing is drawn for a box that is not laid out.
    let width = RwSignal::new(0u32);
    let measure = move || {
        if let Some(el) = chart_box.get_untracked() {
            let w = el.client_width().max(0) as u32;
            if w != width.get_untracked() {
                width.set(w);
            }
        }
    };
    // After the box is in the page and laid out: the next frame.
    Effect::new(move || {
        if chart_box.get().is_some() {
            request_animation_frame(measure);
        }
    });
    let on_resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || on_resize.remove());
    let drawn = move || match width.get() {
        0 => String::new(),
        w => svg(lang(), Fit::for_screen(w)),
    };
    view! {
        <figure class="chart-card">
            <div class="chart" id=format!("chart-{slug}") role="img" aria-label=move || name.title(lang())
                node_ref=chart_box inner_html=drawn></div>
        </figure>
    }
}

/// A table's caption for screen readers (its chart or heading is what sighted readers
/// see above it), in the language shown.
pub(super) type Caption = Box<dyn Fn() -> &'static str + Send + Sync>;

/// The caption of the table under the chart `name`: the chart's title.
pub(super) fn caption_of(name: ChartName) -> Caption {
    Box::new(move || name.title(lang()))
}

/// A plain table of texts (names come from the data and are inserted as text).
#[component]
pub(super) fn SimpleTable(
    id: &'static str,
    caption: Caption,
    head: Vec<T>,
    rows: Vec<Vec<String>>,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted empty">{tr(T::NoData)}</p> }.into_any();
    }
    let labels: Vec<T> = head.clone();
    view! {
        <div class="table-wrap">
            <table id=id class="cards-on-phone">
                <caption class="visually-hidden">{caption}</caption>
                <thead><tr>
                    {head.into_iter().enumerate().map(|(i, h)| view! { <th scope="col" class:num={i > 0}>{tr(h)}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|row| view! {
                        <tr>{row.into_iter().enumerate().map(|(i, cell)| {
                            // The first cell names the card; the others say what they are.
                            let label = labels.get(i).copied().filter(|_| i > 0).map(tr);
                            view! { <td class:num={i > 0} data-label=move || label.map(|l| l())>{cell}</td> }
                        }).collect_view()}</tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The outcome series, months down and indicators across (a year is twelve rows, not one
/// row per value); hidden counts read "*", a month without a value is blank.
#[component]
pub(super) fn OutcomeTable(points: Vec<OutcomePoint>) -> impl IntoView {
    if points.is_empty() {
        return view! { <p class="muted empty">{tr(T::NoData)}</p> }.into_any();
    }
    let indicators: Vec<Indicator> = Indicator::ALL
        .into_iter()
        .filter(|i| points.iter().any(|p| p.indicator == *i))
        .collect();
    let mut months: Vec<String> = points.iter().map(|p| p.month.clone()).collect();
    months.sort();
    months.dedup();
    let rows: Vec<(String, Vec<String>)> = months
        .into_iter()
        .map(|month| {
            let cells = indicators
                .iter()
                .map(|i| {
                    points
                        .iter()
                        .find(|p| p.month == month && p.indicator == *i)
                        .map(|p| humiao_shared::outcome::display(p.value))
                        .unwrap_or_default()
                })
                .collect();
            (month, cells)
        })
        .collect();
    view! {
        <div class="table-wrap">
            <table id="table-outcomes" class="cards-on-phone">
                <caption class="visually-hidden">{tr(T::OutcomesByMonth)}</caption>
                <thead><tr>
                    <th scope="col">{tr(T::Month)}</th>
                    {indicators.iter().map(|i| { let i = *i; view! { <th scope="col" class="num">{move || i.label(lang())}</th> } }).collect_view()}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|(month, cells)| view! {
                        <tr>
                            <td>{month}</td>
                            {cells.into_iter().zip(indicators.clone()).map(|(c, i)| view! {
                                <td class="num" data-label=move || i.label(lang())>{c}</td>
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// A grouping's name as the API spells it (`district`, `station`, …), for the tables'
/// `data-level`.
fn group_code(group: GroupBy) -> String {
    serde_json::to_value(group)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Narrows the filters to the place `key` of `level`: the next view is one level down.
pub(super) fn drill(f: Filters, level: GroupBy, key: i64, label: String) {
    match level {
        GroupBy::City => {
            f.city_id.set(Some(key));
            f.below_city();
        }
        GroupBy::District => {
            f.district_id.set(Some(key));
            f.below_district();
        }
        GroupBy::Station => {
            f.station_id.set(Some(key));
            f.school.set(None);
        }
        _ => f.school.set(Some((key, label))),
    }
}

/// Rows of a reach aggregate; names of cities, districts, stations and schools are buttons
/// that drill down to them.
#[component]
pub(super) fn ReachTable(
    rows: Vec<ReachRow>,
    id: &'static str,
    caption: Caption,
    level: GroupBy,
    f: Filters,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted empty">{tr(T::NoData)}</p> }.into_any();
    }
    let places = matches!(
        level,
        GroupBy::City | GroupBy::District | GroupBy::Station | GroupBy::School
    );
    view! {
        <div class="table-wrap">
            <table id=id class="cards-on-phone" data-level=group_code(level)>
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(T::Name)}</th><th scope="col" class="num">{tr(T::Sessions)}</th>
                        <th scope="col" class="num">{tr(T::Students)}</th><th scope="col" class="num">{tr(T::Parents)}</th>
                        <th scope="col" class="num">{tr(T::Teachers)}</th><th scope="col" class="num">{tr(T::Others)}</th>
                        <th scope="col" class="num">{tr(T::Total)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let total = r.audience();
                        let key: Option<i64> = r.key.parse().ok();
                        let label = r.label.clone();
                        let name = match key.filter(|_| places) {
                            Some(key) => view! {
                                <button type="button" class="link drill"
                                    on:click=move |_| drill(f, level, key, label.clone())>{r.label.clone()}</button>
                            }.into_any(),
                            None => view! { <span>{r.label.clone()}</span> }.into_any(),
                        };
                        view! {
                            <tr data-key=r.key.clone()>
                                <td class="name">{name}</td>
                                <td class="num sessions" data-label=tr(T::Sessions)>{thousands(r.sessions)}</td>
                                <td class="num" data-label=tr(T::Students)>{thousands(r.students)}</td>
                                <td class="num" data-label=tr(T::Parents)>{thousands(r.parents)}</td>
                                <td class="num" data-label=tr(T::Teachers)>{thousands(r.teachers)}</td>
                                <td class="num" data-label=tr(T::Others)>{thousands(r.others)}</td>
                                <td class="num" data-label=tr(T::Total)>{thousands(total)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
