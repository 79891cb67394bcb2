//! Pieces several charts share: months on an axis, monthly outcome bars with "*" for
//! hidden counts, and whole-and-part bars per category.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

use super::bars::{self, Bars};
use super::frame::{every, text_width};
use super::{
    centred, font, headroom, render, small_count_label, small_count_note, thousands, Area,
    DrawResult, Fit, Head, Key, Mark, AUDIENCE_COLOUR, MUTED, NOTE,
};
use crate::outcome::{Indicator, SMALL_COUNT};
use crate::Lang;

/// Every month from the first to the last of `months` (`YYYY-MM`, in order), so that a
/// month without figures shows as a gap rather than disappearing.
pub(super) fn month_range<'a>(months: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let parse = |m: &str| -> Option<(i32, u32)> {
        let (y, mo) = m.split_once('-')?;
        let (y, mo) = (y.parse().ok()?, mo.parse().ok()?);
        (1..=12).contains(&mo).then_some((y, mo))
    };
    let mut parsed: Vec<(i32, u32)> = months.into_iter().filter_map(parse).collect();
    parsed.sort_unstable();
    let (Some(&first), Some(&last)) = (parsed.first(), parsed.last()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let (mut y, mut m) = first;
    // Bounded: a campaign spans months, not centuries; the cap keeps a bad key harmless.
    while (y, m) <= last && out.len() < 240 {
        out.push(format!("{y:04}-{m:02}"));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// One indicator's value per month of `months`: `None` for a month without a figure,
/// `Some(None)` for a hidden small count, `Some(Some(n))` for a count.
pub(super) fn monthly(
    points: &[crate::aggregate::OutcomePoint],
    indicator: Indicator,
    months: &[String],
) -> Vec<Option<Option<i64>>> {
    months
        .iter()
        .map(|m| {
            points
                .iter()
                .find(|p| p.indicator == indicator && &p.month == m)
                .map(|p| p.value)
        })
        .collect()
}

/// The months any of `indicators` has a point in, first to last.
pub(super) fn outcome_months(
    points: &[crate::aggregate::OutcomePoint],
    indicators: &[Indicator],
) -> Vec<String> {
    month_range(
        points
            .iter()
            .filter(|p| indicators.contains(&p.indicator))
            .map(|p| p.month.as_str()),
    )
}

/// Monthly bars of one outcome indicator, with "*" where a count is hidden. Shared by the
/// night-wandering and juvenile-theft charts.
pub(super) struct MonthlyBars<'a> {
    pub(super) title: &'a str,
    pub(super) months: &'a [String],
    /// Per month: no figure, a hidden one, or a count (see [`monthly`]).
    pub(super) values: &'a [Option<Option<i64>>],
    pub(super) unit: &'a str,
    /// Each month's bar colour.
    pub(super) colour_of: &'a dyn Fn(usize) -> RGBColor,
    pub(super) legend_entries: &'a [(String, RGBColor)],
}

/// The head of a monthly-bars chart: its title and legend (with the note on hidden
/// counts when there are any).
fn monthly_head(bars: &MonthlyBars<'_>, lang: Lang, fit: Fit) -> Head {
    let mut keys: Vec<Key> = bars
        .legend_entries
        .iter()
        .map(|(label, colour)| Key::new(label.as_str(), Mark::Swatch(*colour)))
        .collect();
    if bars.values.contains(&Some(None)) {
        keys.push(Key::new(small_count_note(lang), Mark::None));
    }
    Head::new(fit, bars.title, &[], keys)
}

/// The SVG of monthly bars drawn for `fit`.
pub(super) fn monthly_bars(bars: &MonthlyBars<'_>, lang: Lang, fit: Fit) -> String {
    let head = monthly_head(bars, lang, fit);
    render(fit.width(), &head, fit.plot_height(), |plot| {
        draw_monthly_bars(plot, bars, fit)
    })
}

fn draw_monthly_bars(root: &Area<'_>, bars: &MonthlyBars<'_>, fit: Fit) -> DrawResult {
    let MonthlyBars {
        months,
        values,
        unit,
        colour_of,
        ..
    } = *bars;
    let last = months.len().saturating_sub(1);
    let max = values
        .iter()
        .flatten()
        .flatten()
        .copied()
        .max()
        .unwrap_or(0);
    let top = headroom(max.max(SMALL_COUNT));
    let y_area = fit.y_axis_width(&thousands(top));
    let plot_w = fit.width() as i32 - 2 * fit.margin() - y_area as i32;
    let step = month_step(fit, months.len(), plot_w);
    let mut chart = ChartBuilder::on(root)
        .margin(fit.margin())
        .x_label_area_size(fit.month_axis_height())
        .y_label_area_size(y_area)
        .build_cartesian_2d(categories(last + 1).into_segmented(), 0..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(months.len() + 1)
        .x_label_formatter(&|v| every_month_label(months, v, step))
        .x_label_style(font(fit.small()))
        .y_labels(y_ticks(fit))
        .y_desc(unit)
        .y_label_formatter(&|v| thousands(*v))
        .y_label_style(font(fit.small()))
        .axis_desc_style(font(fit.body()))
        .draw()?;
    let bars = Histogram::vertical(&chart)
        .style_func(|v, _| {
            let i = match v {
                SegmentValue::Exact(i) | SegmentValue::CenterOf(i) => *i,
                SegmentValue::Last => last,
            };
            colour_of(i).filled()
        })
        .margin(bar_inset(plot_w, months.len()))
        .data(
            values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.flatten().map(|n| (i, n))),
        );
    chart.draw_series(bars)?;
    chart.draw_series(
        (0..values.len())
            .filter(|i| values[*i] == Some(None))
            .map(|i| {
                Text::new(
                    small_count_label(),
                    (SegmentValue::CenterOf(i), top / 20),
                    centred(fit.small()).color(&NOTE),
                )
            }),
    )?;
    Ok(())
}

/// How many months apart the x labels are in a plot `plot_w` px wide, so that none
/// overlap: 1 for every month, 2 for every other, and so on.
pub(super) fn month_step(fit: Fit, n: usize, plot_w: i32) -> usize {
    every(n, plot_w, text_width("2024-12", fit.small()))
}

/// The label of every `step`th month, from the first.
pub(super) fn every_month_label(months: &[String], v: &SegmentValue<usize>, step: usize) -> String {
    match v {
        SegmentValue::CenterOf(i) if i % step.max(1) == 0 => month_label(months, v),
        _ => String::new(),
    }
}

/// How many value labels a plot's y axis gets: one per four lines of text.
pub(super) fn y_ticks(fit: Fit) -> usize {
    (fit.plot_height() / (fit.small() * 4)) as usize
}

/// The gap on each side of a month's bar: a sixth of its slot, at least a pixel.
pub(super) fn bar_inset(plot_w: i32, n: usize) -> u32 {
    (plot_w.max(1) as u32 / n.max(1) as u32 / 6).max(1)
}

/// A month's axis label: `YYYY-MM` under the middle of its bar.
pub(super) fn month_label(months: &[String], v: &SegmentValue<usize>) -> String {
    match v {
        SegmentValue::CenterOf(i) => months.get(*i).cloned().unwrap_or_default(),
        _ => String::new(),
    }
}

/// The axis range of `n` categories. A range of one (`0..0`) has no key points, so plotters
/// would label nothing: one category gets an empty second one beside it instead.
pub(super) fn categories(n: usize) -> std::ops::Range<usize> {
    0..n.saturating_sub(1).max(1)
}

/// The label under a category's bar, from a list of names.
pub(super) fn category_label(names: &[String], v: &SegmentValue<usize>) -> String {
    month_label(names, v)
}

/// One category's pair of bars: a pale one (the whole) with a narrow dark one (the part)
/// over it, and a figure after them. Shared by the training and unique-reach charts.
pub(super) struct Overlaid<'a> {
    pub(super) title: &'a str,
    pub(super) names: Vec<String>,
    pub(super) whole: (&'a str, Vec<i64>),
    pub(super) part: (&'a str, Vec<i64>),
    pub(super) unit: &'a str,
    /// Written after each pair.
    pub(super) figures: Vec<String>,
    /// A line under the title: the whole selection's figure.
    pub(super) subtitle: String,
}

/// The SVG of whole-and-part bars drawn for `fit`.
pub(super) fn draw_overlaid(o: Overlaid<'_>, fit: Fit) -> String {
    let keys = vec![
        Key::new(o.whole.0, Mark::Swatch(MUTED)),
        Key::new(o.part.0, Mark::Swatch(AUDIENCE_COLOUR)),
    ];
    let head = Head::new(fit, o.title, &[o.subtitle], keys);
    let rows = o.names.len();
    let bars = Bars {
        names: o.names,
        whole: Some(o.whole.1),
        values: o.part.1,
        colour: AUDIENCE_COLOUR,
        figures: o.figures,
        unit: o.unit,
    };
    render(fit.width(), &head, bars::height(fit, rows), |plot| {
        bars::draw(plot, fit, &bars)
    })
}

/// `12.3%`, one decimal.
pub(super) fn percent(part: i64, whole: i64) -> String {
    format!("{:.1}%", crate::aggregate::rate(part, whole) * 100.0)
}
