//! The report's HTML: one A4 document, laid out for print (no navigation when printed,
//! no chart or table cut by a page break) and readable on screen.
//!
//! maud escapes every value it writes, in text and in attributes: a district named
//! `<img src=x onerror=alert(1)>` prints as those characters. The page runs no script (the
//! server's CSP allows none inline); printing is the browser's own command.

use humiao_shared::definitions::Figure;
use humiao_shared::report::{self, ReportScope, YearFigures};
use humiao_shared::Lang;
use maud::{html, Markup, DOCTYPE};

use super::ReportQuery;
use crate::clock;

const STYLE: &str = "
@page { size: A4; margin: 18mm 16mm 16mm }
* { box-sizing: border-box }
body { margin: 0; background: #eef0f3; color: #111; line-height: 1.6;
       font-family: 'Noto Serif CJK SC', 'Songti SC', 'SimSun', 'Noto Sans CJK SC', serif }
nav { max-width: 210mm; margin: 0 auto; padding: 3mm 16mm; font: 10pt sans-serif; color: #333 }
nav a { color: #1d4f91; margin-right: 1em }
.sheet { max-width: 210mm; margin: 0 auto 10mm; padding: 18mm 16mm 16mm; background: #fff;
         box-shadow: 0 1px 4px rgba(0,0,0,.15) }
h1 { font-size: 19pt; text-align: center; margin: 0 0 2mm; line-height: 1.3 }
.campaign, .scope { text-align: center; margin: 0; font-size: 11pt }
.scope { color: #333; margin-bottom: 8mm }
h2 { font-size: 13pt; margin: 7mm 0 3mm; break-after: avoid; page-break-after: avoid }
p { font-size: 11pt; margin: 0 0 3mm; text-indent: 2em }
p.campaign, p.scope, p.empty, p.message { text-indent: 0 }
table { width: 100%; border-collapse: collapse; font-size: 10.5pt;
        break-inside: avoid; page-break-inside: avoid }
th, td { border: 0.3mm solid #888; padding: 1.2mm 2.5mm; text-align: left }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap }
tbody th { width: 68% }
tr.part th { font-weight: normal; padding-left: 7mm }
figure { margin: 0 0 6mm; break-inside: avoid; page-break-inside: avoid }
figure img { display: block; width: 100%; height: auto; border: 0.3mm solid #ddd }
figcaption { font-size: 10pt; text-align: center; margin-top: 1mm }
footer { margin-top: 8mm; font-size: 9pt; color: #555 }
.definitions dl { font-size: 9.5pt; margin: 0 }
.definitions dt { font-weight: bold; margin-top: 1.5mm; break-after: avoid }
.definitions dd { margin: 0 0 0 2em }
@media print {
  body { background: none }
  nav { display: none }
  .sheet { max-width: none; margin: 0; padding: 0; box-shadow: none }
}
";

/// The report, or for a year without a campaign or without anything recorded, the
/// sentence that says so.
pub fn report(
    year: i32,
    (scope, figures): (ReportScope, Option<YearFigures>),
    query: &ReportQuery,
    lang: Lang,
) -> String {
    let title = report::title(year, lang);
    let body = html! {
        (nav(year, query, lang))
        main.sheet {
            h1 { (title) }
            @if let Some(figures) = &figures {
                p.campaign { (figures.campaign) }
            }
            p.scope { (scope.note(lang)) }
            @match &figures {
                None => p.empty { (report::no_campaign(year, lang)) },
                Some(f) if f.is_empty() => p.empty { (f.empty_sentence(lang)) },
                Some(f) => (content(f, year, query, lang)),
            }
            footer {
                (lang.pick("生成日期：", "Generated on "))
                (clock::today().format("%Y-%m-%d").to_string())
                (lang.pick("。数字取自护苗系统中的记录。", ", from the records in Humiao."))
            }
        }
    };
    document(&title, body, lang)
}

fn content(f: &YearFigures, year: i32, query: &ReportQuery, lang: Lang) -> Markup {
    let charts = f.charts(lang);
    html! {
        section {
            h2 { (lang.pick("一、全年工作", "1. The year's work")) }
            @for sentence in f.sentences(lang) {
                p { (sentence) }
            }
        }
        section {
            h2 { (lang.pick("二、主要数据", "2. Figures")) }
            table {
                thead {
                    tr {
                        th scope="col" { (lang.pick("项目", "What")) }
                        th scope="col" { (lang.pick("数量", "How many")) }
                    }
                }
                tbody {
                    @for row in f.table(lang) {
                        tr class=[row.part.then_some("part")] {
                            th scope="row" { (row.label) }
                            td.n { (row.value) }
                        }
                    }
                }
            }
        }
        @if !charts.is_empty() {
            section {
                h2 { (lang.pick("三、图表", "3. Charts")) }
                @for chart in charts {
                    figure {
                        img src=(chart_url(chart.slug, year, query, lang)) alt=(chart.alt)
                            width="860" height="440";
                        figcaption { (chart.title) }
                    }
                }
            }
        }
        // The same definitions the leaders' page shows beside each figure.
        section.definitions {
            h2 { (lang.pick("附：口径说明", "Appendix: how each figure is counted")) }
            dl {
                @for figure in Figure::ALL {
                    dt { (figure.label().get(lang)) }
                    dd { (figure.definition().get(lang)) }
                }
            }
        }
    }
}

/// Where a chart of the report's year, place and language is drawn.
pub fn chart_url(slug: &str, year: i32, query: &ReportQuery, lang: Lang) -> String {
    let mut url = format!(
        "/api/v1/charts/{slug}.svg?year={year}&lang={}",
        lang.pick("zh", "en")
    );
    url.push_str(&place_params(query));
    url
}

/// The place the report was asked for, as `&key=id` pairs for the links it makes.
fn place_params(query: &ReportQuery) -> String {
    [
        ("city_id", query.city_id),
        ("district_id", query.district_id),
        ("station_id", query.station_id),
    ]
    .into_iter()
    .filter_map(|(key, id)| id.map(|id| format!("&{key}={id}")))
    .collect()
}

/// What the screen shows above the report and print leaves out.
fn nav(year: i32, query: &ReportQuery, lang: Lang) -> Markup {
    let other = match lang {
        Lang::Zh => Lang::En,
        Lang::En => Lang::Zh,
    };
    let mut switch = format!("/report/{year}?lang={}", other.pick("zh", "en"));
    switch.push_str(&place_params(query));
    html! {
        nav {
            a href="/" { (lang.pick("返回护苗", "Back to Humiao")) }
            a href=(switch) lang=(other.pick("zh-CN", "en")) { (other.pick("中文", "English")) }
            span {
                (lang.pick(
                    "打印：请使用浏览器的“打印”（Ctrl+P 或 ⌘P），纸张选 A4；本行不会打印出来。",
                    "To print, use the browser's Print command (Ctrl+P or ⌘P) on A4; this line is not printed.",
                ))
            }
        }
    }
}

/// A page with one message: why there is no report, and where to go.
pub fn message(text: &str, sign_in: bool, lang: Lang) -> String {
    let title = lang.pick("工作报告", "Work report");
    let body = html! {
        main.sheet {
            h1 { (title) }
            p.message { (text) }
            p.message {
                @if sign_in {
                    a href="/" { (lang.pick("前往登录", "Sign in")) }
                } @else {
                    a href="/" { (lang.pick("返回护苗", "Back to Humiao")) }
                }
            }
        }
    };
    document(title, body, lang)
}

fn document(title: &str, body: Markup, lang: Lang) -> String {
    html! {
        (DOCTYPE)
        html lang=(lang.pick("zh-CN", "en")) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (maud::PreEscaped(STYLE)) }
            }
            body { (body) }
        }
    }
    .into_string()
}
