//! 月报完成情况: the year's monthly returns per district (or station), as a chart and a
//! table whose names drill down like the others, and the screening windows' schools
//! confirmed with the days left. Its own request, `GET /api/v1/completeness`, asked beside
//! the dashboard's for the same place and the campaign's year: returns are per station and
//! month, whatever days, topic or data the figures above are cut by.

use humiao_shared::charts::{self, thousands, ChartName};
use humiao_shared::returns::completeness::{Completeness, CompletenessQuery};
use leptos::prelude::*;

use super::export::ExportMenu;
use super::parts::{caption_of, drill, ChartCard, SimpleTable};
use super::{query, Filters};
use crate::api;
use crate::components::error_notice;
use crate::i18n::{of, tr, T};

/// The returns and screening windows of `year` (the chosen campaign's) where the filters
/// are; nothing until the year is known.
#[component]
pub(super) fn Returns(f: Filters, year: Signal<Option<i32>>) -> impl IntoView {
    let data = LocalResource::new(move || {
        let asked = CompletenessQuery {
            year: year.get(),
            city_id: f.city_id.get(),
            district_id: f.district_id.get(),
            station_id: f.station_id.get(),
        };
        async move {
            if asked.year.is_some() {
                api::completeness(&query(&asked)).await.map(Some)
            } else {
                Ok(None)
            }
        }
    });
    view! {
        <Transition fallback=|| view! { <p class="muted">{tr(T::Loading)}</p> }>
            <ErrorBoundary fallback=error_notice>
                {move || Suspend::new(async move {
                    data.await.map(|loaded| loaded.map(|c| view! { <ReturnsCard c=c f=f /> }))
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn ReturnsCard(c: Completeness, f: Filters) -> impl IntoView {
    let level = c.level;
    let returns = c.returns.clone();
    let svg = Box::new(move |l, w| charts::returns_completeness(&returns, l, w));
    let rows = c.returns.places;
    let windows: Vec<Vec<String>> = c
        .screenings
        .iter()
        .map(|s| {
            vec![
                s.title.clone(),
                of(s.confirmed, s.schools),
                thousands(s.not_yet),
                if s.closed {
                    tr(T::WindowClosed)().to_string()
                } else {
                    s.days_left.to_string()
                },
            ]
        })
        .collect();
    let head = [
        T::ReturnsDue,
        T::OnTime,
        T::Late,
        T::Missing,
        T::ReturnsAccepted,
    ];
    view! {
        <section class="card" id="returns">
            <h2>{tr(T::ReturnsTitle)}</h2>
            <p class="muted">{tr(T::ReturnsHint)}</p>
            <ChartCard name=ChartName::ReturnsCompleteness svg=svg />
            <ExportMenu chart=ChartName::ReturnsCompleteness filter=f.filter() data=None />
            {if rows.is_empty() {
                view! { <p class="muted empty">{tr(T::NoData)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table id="table-returns" class="cards-on-phone">
                            <caption class="visually-hidden">{caption_of(ChartName::ReturnsCompleteness)}</caption>
                            <thead><tr>
                                <th scope="col">{tr(T::Name)}</th>
                                {head.into_iter().map(|h| view! { <th scope="col" class="num">{tr(h)}</th> }).collect_view()}
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|p| {
                                    let (id, name) = (p.id, p.name.clone());
                                    let n = p.counts;
                                    let cells = [n.expected, n.on_time, n.late, n.missing, n.accepted];
                                    view! {
                                        <tr data-key=id.to_string()>
                                            <td class="name">
                                                <button type="button" class="link drill"
                                                    on:click=move |_| drill(f, level, id, name.clone())>{p.name.clone()}</button>
                                            </td>
                                            {cells.into_iter().zip(head).map(|(v, h)| view! {
                                                <td class="num" data-label=tr(h)>{thousands(v)}</td>
                                            }).collect_view()}
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <h3 class="table-title">{tr(T::ScreeningWindows)}</h3>
            <SimpleTable id="table-windows" caption=Box::new(tr(T::ScreeningWindows))
                head=vec![T::Assignment, T::SchoolsConfirmed, T::NotYetConfirmed, T::DaysLeft]
                rows=windows />
        </section>
    }
}
