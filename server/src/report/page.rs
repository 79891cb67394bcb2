//! The report's HTML: one official A4 document (issuing unit, title, sign-off with its
//! 成文日期, page numbers), laid out for print — no navigation when printed, no chart or
//! table row cut by a page break, a city's year on at most four pages (five in English),
//! charts drawn for their printed width — and readable on screen, a phone's included.
//!
//! maud escapes every value it writes, in text and in attributes: a district named
//! `<img src=x onerror=alert(1)>` prints as those characters. The only script is the 打印
//! button's ([`PRINT_SCRIPT`], served as a file: the server's CSP allows no inline script).

use humiao_shared::charts::ChartName;
use humiao_shared::definitions::Figure;
use humiao_shared::report::{self, date_line, ReportChart, ReportScope, YearFigures};
use humiao_shared::Lang;
use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::{Issuer, ReportQuery};
use crate::clock;

/// What the 打印 button does (`/report/print.js`).
pub const PRINT_SCRIPT: &str =
    "document.getElementById('print').addEventListener('click', function () { window.print(); });\n";

const STYLE: &str = "
@page { size: A4; margin: 12mm 15mm 15mm }
* { box-sizing: border-box }
body { margin: 0; background: #eef0f3; color: #111; line-height: 1.55;
       font-family: 'Noto Serif CJK SC', 'Songti SC', 'SimSun', 'Noto Sans CJK SC', serif }
nav { max-width: 210mm; margin: 0 auto; padding: 3mm 16mm; font: 10pt sans-serif; color: #333;
      display: flex; flex-wrap: wrap; align-items: center; gap: 2mm 5mm }
nav a { color: #1d4f91 }
nav button { font: inherit; font-size: 11pt; padding: 2mm 6mm; min-height: 44px;
             border: 0; border-radius: 2mm; background: #1d4f91; color: #fff; cursor: pointer }
.sheet { max-width: 210mm; margin: 0 auto 10mm; padding: 16mm; background: #fff;
         box-shadow: 0 1px 4px rgba(0,0,0,.15) }
.issuer { text-align: center; color: #c00; font-size: 20pt; font-weight: bold; letter-spacing: .1em;
          margin: 0 0 3mm; padding-bottom: 2mm; border-bottom: 0.6mm solid #c00 }
h1 { font-size: 17pt; text-align: center; margin: 4mm 0 1mm; line-height: 1.3 }
.campaign, .scope { text-align: center; margin: 0; font-size: 10.5pt }
.scope { color: #333; margin-bottom: 4mm }
h2 { font-size: 12.5pt; margin: 4mm 0 2mm; break-after: avoid; page-break-after: avoid }
p { font-size: 10.5pt; margin: 0 0 2mm; text-indent: 2em }
p.campaign, p.scope, p.empty, p.message, .signoff p, p.note, figcaption { text-indent: 0 }
table { width: 100%; border-collapse: collapse; font-size: 9.5pt }
thead { display: table-header-group }
tr { break-inside: avoid; page-break-inside: avoid }
th, td { border: 0.3mm solid #888; padding: 0.5mm 2.5mm; text-align: left; line-height: 1.35 }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap }
tbody th { width: 68%; font-weight: normal }
tr.part th { padding-left: 7mm; color: #333 }
figure { margin: 0 0 3mm; break-inside: avoid; page-break-inside: avoid }
/* Charts flow down two columns of 88 mm, the film grid across both (see COLUMN): one
   column on a phone. */
.charts { columns: 2; column-gap: 4mm }
figure img { display: block; width: 100%; height: auto; border: 0.3mm solid #ddd }
figcaption { font-size: 9pt; margin-top: 1mm; line-height: 1.45 }
figcaption b { font-weight: bold; margin-right: .5em }
.signoff { margin: 5mm 0 0 auto; width: max-content; max-width: 100%; text-align: center;
           break-inside: avoid; page-break-inside: avoid }
.signoff p { margin: 0; font-size: 11pt }
p.note { margin: 2mm 0 0; font-size: 9pt; color: #555 }
.definitions { break-before: auto }
.definitions dl { font-size: 8pt; margin: 0; line-height: 1.4 }
.definitions dt { display: inline; font-weight: bold }
.definitions dt::after { content: '：' }
:lang(en) .definitions dt::after { content: ': ' }
.definitions dd { display: inline; margin: 0 }
.definitions dd::after { content: ''; display: block; margin-bottom: 0.8mm }
@media (max-width: 600px) {
  .charts { columns: 1 }
  nav { padding: 3mm 4mm }
  .sheet { padding: 6mm 4mm; margin-bottom: 0 }
  .issuer { font-size: 16pt; letter-spacing: 0 }
  tbody th { width: auto }
}
@media print {
  body { background: none }
  nav { display: none }
  .sheet { max-width: none; margin: 0; padding: 0; box-shadow: none }
}
";

/// The page number in each printed page's bottom margin (CSS paged media, which Chromium
/// prints since version 131), in the reader's language.
fn page_numbers(lang: Lang) -> String {
    let content = lang.pick(
        "'第 ' counter(page) ' 页 共 ' counter(pages) ' 页'",
        "'Page ' counter(page) ' of ' counter(pages)",
    );
    format!(
        "@page {{ @bottom-center {{ content: {content}; font: 9pt 'Noto Serif CJK SC', serif; color: #333 }} }}"
    )
}

/// The report, or for a year without a campaign or without anything recorded, the
/// sentence that says so.
pub fn report(
    year: i32,
    (issuer, figures): (Issuer, Option<YearFigures>),
    query: &ReportQuery,
    lang: Lang,
) -> String {
    let title = report::title(year, lang);
    let scope: &ReportScope = &issuer.scope;
    let unit = issuer.unit.as_deref().unwrap_or(scope.name(lang));
    let body = html! {
        (nav(year, query, lang))
        main.sheet {
            header {
                @if let Some(unit) = &issuer.unit {
                    p.issuer { (unit) }
                }
                h1 { (title) }
                @if let Some(figures) = &figures {
                    p.campaign { (figures.campaign) }
                }
                p.scope { (scope.note(lang)) }
            }
            @match &figures {
                None => p.empty { (report::no_campaign(year, lang)) },
                Some(f) if f.is_empty() => p.empty { (f.empty_sentence(lang)) },
                Some(f) => (content(f, year, query, lang)),
            }
            // 落款: the issuing unit and the date the report was drawn up (成文日期, China's).
            div.signoff {
                p.unit { (unit) }
                p.date { (date_line(clock::today(), lang)) }
            }
            p.note {
                (lang.pick(
                    "注：本报告的数字取自护苗系统中的记录，与领导看板同一口径。",
                    "Note: the figures come from the records in Humiao and are counted as on the leaders' page.",
                ))
            }
            @if figures.as_ref().is_some_and(|f| !f.is_empty()) {
                (definitions(lang))
            }
        }
    };
    document(&title, body, lang, true)
}

fn content(f: &YearFigures, year: i32, query: &ReportQuery, lang: Lang) -> Markup {
    let mut charts = f.charts(lang);
    // Charts across the whole column come after the two columns of the others.
    charts.sort_by_key(|c| chart_width(c.slug) == COLUMN);
    let halves = charts
        .iter()
        .filter(|c| chart_width(c.slug) != COLUMN)
        .count();
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
                        th scope="col" { (lang.pick("项目（单位，口径）", "What (unit, how counted)")) }
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
                // Half-column charts flow down two columns, then the whole-column ones.
                div.charts {
                    @for (i, chart) in charts.iter().enumerate().take(halves) {
                        (figure(i, chart, year, query, lang))
                    }
                }
                @for (i, chart) in charts.iter().enumerate().skip(halves) {
                    (figure(i, chart, year, query, lang))
                }
            }
        }
    }
}

/// Chart `i` (from 0) with its caption.
fn figure(i: usize, chart: &ReportChart, year: i32, query: &ReportQuery, lang: Lang) -> Markup {
    html! {
        figure {
            img src=(chart_url(chart.slug, year, query, lang)) alt=(chart.alt)
                width=(chart_width(chart.slug));
            figcaption {
                b { (lang.pick("图", "Figure ")) (i + 1) }
                (chart.caption)
            }
        }
    }
}

/// The attachment after the sign-off: the same definitions the leaders' page shows beside
/// each figure.
fn definitions(lang: Lang) -> Markup {
    html! {
        section.definitions {
            h2 { (lang.pick("附件：口径说明", "Appendix: how each figure is counted")) }
            dl {
                @for figure in Figure::ALL {
                    dt { (figure.label().get(lang)) }
                    dd { (figure.definition().get(lang)) }
                }
            }
        }
    }
}

/// The widths charts are drawn for: the A4 text column (180 mm, 680 CSS px) and half of it
/// less the 4 mm gap between columns (88 mm, 332 px), each drawn 8% wider than it prints, so
/// that a chart's 12 px text prints at 11 px, 8.3 pt (issue 16; it was 4–5 pt), and a city's
/// year still fits on four pages in Chinese.
const COLUMN: u32 = 740;
const HALF_COLUMN: u32 = 360;

/// The width a chart is drawn for: half the column, two to a row, except the film grid,
/// whose seven districts need the whole column to keep their cells readable.
fn chart_width(slug: &str) -> u32 {
    if slug == ChartName::ScreeningCoverage.slug() {
        COLUMN
    } else {
        HALF_COLUMN
    }
}

/// Where a chart of the report's year, place and language is drawn, for its width in the
/// printed column.
pub fn chart_url(slug: &str, year: i32, query: &ReportQuery, lang: Lang) -> String {
    let mut url = format!(
        "/api/v1/charts/{slug}.svg?year={year}&lang={}&width={}",
        lang.pick("zh", "en"),
        chart_width(slug)
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
            button id="print" type="button" { (lang.pick("打印", "Print")) }
            a href="/" { (lang.pick("返回护苗", "Back to Humiao")) }
            a href=(switch) lang=(other.pick("zh-CN", "en")) { (other.pick("中文", "English")) }
            span {
                (lang.pick(
                    "打印或存为 PDF 时纸张请选 A4；本行不会打印出来。",
                    "Print or save as PDF on A4 paper; this line is not printed.",
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
    document(title, body, lang, false)
}

/// The whole page; `print` adds the page numbers and the 打印 button's script.
fn document(title: &str, body: Markup, lang: Lang, print: bool) -> String {
    html! {
        (DOCTYPE)
        html lang=(lang.pick("zh-CN", "en")) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style {
                    (PreEscaped(STYLE))
                    @if print { (PreEscaped(page_numbers(lang))) }
                }
                @if print {
                    script src="/report/print.js" defer {}
                }
            }
            body { (body) }
        }
    }
    .into_string()
}
