//! The dashboard's building blocks: a headline figure with its definition (口径), a chart
//! card and the tables (each chart's export menu is in `export`).

use humiao_shared::aggregate::{GroupBy, OutcomePoint, ReachRow};
use humiao_shared::charts::{thousands, ChartName};
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

/// One chart drawn by the page (`svg` in the language asked). Its SVG is produced by
/// plotters, which escapes every text it writes, so inserting it as markup cannot run a
/// script hidden in a name.
#[component]
pub(super) fn ChartCard(
    name: ChartName,
    svg: Box<dyn Fn(Lang) -> String + Send + Sync>,
) -> impl IntoView {
    let slug = name.slug();
    view! {
        <figure class="chart-card">
            <div class="chart" id=format!("chart-{slug}") role="img" aria-label=move || name.title(lang())
                inner_html=move || svg(lang())></div>
        </figure>
    }
}

/// A plain table of texts (names come from the data and are inserted as text).
#[component]
pub(super) fn SimpleTable(id: &'static str, head: Vec<T>, rows: Vec<Vec<String>>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted empty">{tr(T::NoData)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table id=id>
                <thead><tr>
                    {head.into_iter().enumerate().map(|(i, h)| view! { <th class:num={i > 0}>{tr(h)}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|row| view! {
                        <tr>{row.into_iter().enumerate().map(|(i, cell)| view! { <td class:num={i > 0}>{cell}</td> }).collect_view()}</tr>
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
            <table id="table-outcomes">
                <thead><tr>
                    <th>{tr(T::Month)}</th>
                    {indicators.into_iter().map(|i| view! { <th class="num">{move || i.label(lang())}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|(month, cells)| view! {
                        <tr>
                            <td>{month}</td>
                            {cells.into_iter().map(|c| view! { <td class="num">{c}</td> }).collect_view()}
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
fn drill(f: Filters, level: GroupBy, key: i64, label: String) {
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
            <table id=id data-level=group_code(level)>
                <thead>
                    <tr>
                        <th>{tr(T::Name)}</th><th class="num">{tr(T::Sessions)}</th>
                        <th class="num">{tr(T::Students)}</th><th class="num">{tr(T::Parents)}</th>
                        <th class="num">{tr(T::Teachers)}</th><th class="num">{tr(T::Others)}</th>
                        <th class="num">{tr(T::Total)}</th>
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
                                <td class="num sessions">{thousands(r.sessions)}</td>
                                <td class="num">{thousands(r.students)}</td>
                                <td class="num">{thousands(r.parents)}</td>
                                <td class="num">{thousands(r.teachers)}</td>
                                <td class="num">{thousands(r.others)}</td>
                                <td class="num">{thousands(total)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
