//! 领导看板: figures, the sessions-by-district chart and its table, for one campaign.
//!
//! The chart is drawn here by the same `shared` function the server uses for
//! `/api/v1/charts/sessions-by-district.svg`. Its SVG is produced by plotters, which escapes
//! every text it writes, so inserting it as markup cannot run a script hidden in a name.

use humiao_shared::charts::{self, thousands};
use humiao_shared::org::Campaign;
use humiao_shared::reach::DistrictReach;
use humiao_shared::Lang;
use leptos::prelude::*;

use crate::components::error_notice;

use crate::api;

#[component]
pub fn Dashboard() -> impl IntoView {
    let campaigns = LocalResource::new(api::campaigns);
    let campaign_id = RwSignal::new(None::<i64>);
    Effect::new(move || {
        if let Some(Ok(list)) = campaigns.get() {
            if campaign_id.get_untracked().is_none() {
                let today = chrono::Local::now().date_naive();
                campaign_id.set(Campaign::current(&list, today).map(|c| c.id));
            }
        }
    });
    let reach = LocalResource::new(move || api::district_reach(campaign_id.get()));

    view! {
        <h1>"领导看板"</h1>
        <div class="filters">
            <div class="field">
                <label for="dashboard-campaign">"行动"</label>
                <select id="dashboard-campaign"
                    on:change=move |ev| campaign_id.set(event_target_value(&ev).parse().ok())>
                    {move || campaigns.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|c| {
                        let id = c.id;
                        view! { <option value=id.to_string() selected=move || campaign_id.get() == Some(id)>{c.name}</option> }
                    }).collect_view()}
                </select>
            </div>
        </div>
        <Transition fallback=|| view! { <p class="muted">"加载中…"</p> }>
            <ErrorBoundary fallback=error_notice>
                {move || Suspend::new(async move {
                    reach.await.map(|rows| view! { <Reach rows=rows /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn Reach(rows: Vec<DistrictReach>) -> impl IntoView {
    let sessions: i64 = rows.iter().map(|r| r.sessions).sum();
    let audience: i64 = rows.iter().map(DistrictReach::audience).sum();
    let students: i64 = rows.iter().map(|r| r.students).sum();
    let parents: i64 = rows.iter().map(|r| r.parents).sum();
    let svg = charts::sessions_by_district(&rows, Lang::Zh);
    view! {
        <div class="figures">
            <Figure name="宣讲场次" value=sessions id="figure-sessions" />
            <Figure name="受众人次" value=audience id="figure-audience" />
            <Figure name="学生人次" value=students id="figure-students" />
            <Figure name="家长人次" value=parents id="figure-parents" />
        </div>
        <section class="card">
            <div class="chart" id="chart-sessions-by-district" inner_html=svg></div>
            <div class="table-wrap">
                <table id="table-sessions-by-district">
                    <caption class="muted">"各辖区宣讲场次与受众人次"</caption>
                    <thead>
                        <tr>
                            <th>"辖区"</th><th class="num">"场次"</th><th class="num">"学生"</th>
                            <th class="num">"家长"</th><th class="num">"教师"</th><th class="num">"其他"</th>
                            <th class="num">"合计人次"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|r| {
                            let total = r.audience();
                            view! {
                                <tr data-district=r.district_id.to_string()>
                                    <td>{r.district}</td>
                                    <td class="num sessions">{r.sessions}</td>
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
        </section>
    }
}

#[component]
fn Figure(name: &'static str, value: i64, id: &'static str) -> impl IntoView {
    view! {
        <div class="figure" id=id>
            <div class="value">{thousands(value)}</div>
            <div class="name">{name}</div>
        </div>
    }
}
