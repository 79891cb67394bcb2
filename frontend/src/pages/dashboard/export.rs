//! One 导出 menu per chart: a single button that opens the four files, the chart as a
//! picture (SVG, PNG from `/api/v1/charts/{name}`) and the data behind it (Excel, CSV from
//! the aggregate endpoints API users read too), all for the slice on the screen. Four
//! buttons under every chart crowded a phone's screen; a `<details>` opens without script
//! and reads as a button to screen readers.

use humiao_shared::aggregate::AggregateFilter;
use humiao_shared::charts::ChartName;
use humiao_shared::Lang;
use leptos::prelude::*;
use serde::Serialize;

use super::query;
use crate::i18n::{lang, tr, T};

/// `GET /api/v1/charts/{name}.svg`'s parameters: the slice and the language.
#[derive(Serialize)]
struct Drawn<'a> {
    #[serde(flatten)]
    filter: &'a AggregateFilter,
    lang: Lang,
}

/// The export menu of `chart`; `data` is the aggregate's path and query
/// (`reach?group_by=month&…`), or `None` for a chart whose table has no file of its own
/// (the returns' completeness: its stations to chase are the 待办 reminder workbook).
#[component]
pub(super) fn ExportMenu(
    chart: ChartName,
    filter: AggregateFilter,
    data: Option<String>,
) -> impl IntoView {
    let slug = chart.slug();
    let picture = move |ext: &'static str| {
        let filter = filter.clone();
        move || {
            let drawn = Drawn {
                filter: &filter,
                lang: lang(),
            };
            format!("/api/v1/charts/{slug}.{ext}?{}", query(&drawn))
        }
    };
    let tables = data.map(|data| {
        let table = |format: &str| format!("/api/v1/aggregates/{data}&format={format}");
        view! {
            <a href=table("xlsx") download="">"Excel"</a>
            <a href=table("csv") download="">"CSV"</a>
        }
    });
    view! {
        <details class="export-menu" id=format!("export-{slug}")>
            <summary>{tr(T::Export)}</summary>
            <div class="menu">
                <a href=picture("svg") download="">"SVG"</a>
                <a href=picture("png") download="">"PNG"</a>
                {tables}
            </div>
        </details>
    }
}
