//! Pieces several charts share: months on an axis, monthly outcome bars with "*" for
//! hidden counts, and overlaid whole-and-part bars per category.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

use super::{
    centred, headroom, left, legend, small_count_label, small_count_note, swatch, thousands, Area,
    DrawResult, AUDIENCE_COLOUR, FONT, MUTED, NOTE, WIDTH,
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

pub(super) fn monthly_bars(root: &Area<'_>, bars: &MonthlyBars<'_>, lang: Lang) -> DrawResult {
    let MonthlyBars {
        title,
        months,
        values,
        unit,
        colour_of,
        legend_entries,
    } = *bars;
    let last = months.len().saturating_sub(1);
    let max = values
        .iter()
        .flatten()
        .flatten()
        .copied()
        .max()
        .unwrap_or(0);
    // A third above the tallest bar keeps the legend clear of the bars.
    let top = headroom(max.max(SMALL_COUNT) * 4 / 3);
    let mut chart = ChartBuilder::on(root)
        .caption(title, (FONT, 20))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d(categories(last + 1).into_segmented(), 0..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(months.len() + 1)
        .x_label_formatter(&|v| month_label(months, v))
        .x_label_style((FONT, 11))
        .y_desc(unit)
        .y_label_formatter(&|v| thousands(*v))
        .axis_desc_style((FONT, 14))
        .draw()?;
    let bars = Histogram::vertical(&chart)
        .style_func(|v, _| {
            let i = match v {
                SegmentValue::Exact(i) | SegmentValue::CenterOf(i) => *i,
                SegmentValue::Last => last,
            };
            colour_of(i).filled()
        })
        .margin(6)
        .data(
            values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.flatten().map(|n| (i, n))),
        );
    chart.draw_series(bars)?;
    let hidden: Vec<usize> = (0..values.len())
        .filter(|i| values[*i] == Some(None))
        .collect();
    chart.draw_series(hidden.iter().map(|i| {
        Text::new(
            small_count_label(),
            (SegmentValue::CenterOf(*i), top / 20),
            centred(12).color(&NOTE),
        )
    }))?;
    for (label, colour) in legend_entries {
        // An empty series carries the legend entry.
        chart
            .draw_series(std::iter::empty::<Rectangle<(SegmentValue<usize>, i64)>>())?
            .label(label.as_str())
            .legend(swatch(*colour));
    }
    if !hidden.is_empty() {
        chart
            .draw_series(std::iter::empty::<Rectangle<(SegmentValue<usize>, i64)>>())?
            .label(small_count_note(lang))
            .legend(|(x, y)| Text::new(small_count_label(), (x, y), left(11)));
    }
    legend(&mut chart, SeriesLabelPosition::UpperRight)
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

/// One category's pair of bars: a wide pale one (the whole) with a narrow dark one (the
/// part) over it, and a figure above. Shared by the training and unique-reach charts.
pub(super) struct Overlaid<'a> {
    pub(super) title: &'a str,
    pub(super) names: Vec<String>,
    pub(super) whole: (&'a str, Vec<i64>),
    pub(super) part: (&'a str, Vec<i64>),
    pub(super) unit: &'a str,
    /// Drawn above each pair.
    pub(super) figures: Vec<String>,
    /// A line under the title: the whole selection's figure.
    pub(super) subtitle: String,
}

pub(super) fn draw_overlaid(root: &Area<'_>, o: &Overlaid<'_>) -> DrawResult {
    let last = o.names.len().saturating_sub(1);
    let max = o
        .whole
        .1
        .iter()
        .chain(&o.part.1)
        .copied()
        .max()
        .unwrap_or(0);
    let top = headroom(max + max / 10);
    // Title and subtitle above the plot, so that neither runs into the legend.
    let (head, body) = root.split_vertically(64);
    head.draw(&Text::new(o.title, (WIDTH as i32 / 2, 24), centred(20)))?;
    head.draw(&Text::new(
        o.subtitle.clone(),
        (WIDTH as i32 / 2, 50),
        centred(13).color(&NOTE),
    ))?;
    let mut chart = ChartBuilder::on(&body)
        .margin(16)
        .margin_top(4)
        .x_label_area_size(44)
        .y_label_area_size(80)
        .build_cartesian_2d(categories(last + 1).into_segmented(), 0..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(o.names.len() + 1)
        .x_label_formatter(&|v| category_label(&o.names, v))
        .x_label_style((FONT, 13))
        .y_desc(o.unit)
        .y_label_formatter(&|v| thousands(*v))
        .axis_desc_style((FONT, 14))
        .draw()?;
    let bars = Histogram::vertical(&chart)
        .style(MUTED.mix(0.6).filled())
        .margin(10)
        .data(o.whole.1.iter().enumerate().map(|(i, v)| (i, *v)));
    chart
        .draw_series(bars)?
        .label(o.whole.0)
        .legend(swatch(MUTED));
    let bars = Histogram::vertical(&chart)
        .style(AUDIENCE_COLOUR.filled())
        .margin(24)
        .data(o.part.1.iter().enumerate().map(|(i, v)| (i, *v)));
    chart
        .draw_series(bars)?
        .label(o.part.0)
        .legend(swatch(AUDIENCE_COLOUR));
    chart.draw_series(o.figures.iter().enumerate().map(|(i, f)| {
        let height = o.whole.1[i].max(o.part.1[i]);
        Text::new(
            f.clone(),
            (SegmentValue::CenterOf(i), height + top / 30),
            centred(11),
        )
    }))?;
    legend(&mut chart, SeriesLabelPosition::UpperRight)
}

/// `12.3%`, one decimal.
pub(super) fn percent(part: i64, whole: i64) -> String {
    format!("{:.1}%", crate::aggregate::rate(part, whole) * 100.0)
}
