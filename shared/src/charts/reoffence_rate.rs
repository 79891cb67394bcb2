//! The re-offence rate of mentored minors per month: the month's re-offences over the
//! minors in mentoring, as a line.
//!
//! Minors mentored is a stock, reported once in a while (the stations report it each
//! December), not a monthly flow; a month's denominator is the latest stock reported at or
//! before it, else the first one after it. The months drawn are those from the first to the
//! last re-offence figure; a month between them without a figure had none to report (0).
//!
//! A month whose counts are hidden from a non-administrator (see `crate::suppression`) is a
//! gap marked "*": a rate there would give the hidden count away.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

use super::{
    centred, empty, left, legend, month_label, month_range, render, small_count_label,
    small_count_note, Area, ChartName, DrawResult, FONT, NOTE, SESSIONS_COLOUR,
};
use crate::aggregate::OutcomePoint;
use crate::outcome::Indicator;
use crate::Lang;

/// One month's point: a rate in percent, hidden, or nothing to show.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Point {
    Rate(f64),
    Hidden,
    None,
}

/// From `GET /aggregates/outcomes` (its `minors_mentored` and `reoffences` points). The
/// points may include a `minors_mentored` stock reported before the first month, so that
/// the months before this year's report have a denominator (the server adds the latest
/// one of the year before the slice).
pub fn reoffence_rate(points: &[OutcomePoint], lang: Lang) -> String {
    let title = ChartName::ReoffenceRate.title(lang);
    let months = month_range(
        points
            .iter()
            .filter(|p| p.indicator == Indicator::Reoffences)
            .map(|p| p.month.as_str()),
    );
    let mut stocks: Vec<&OutcomePoint> = points
        .iter()
        .filter(|p| p.indicator == Indicator::MinorsMentored)
        .collect();
    stocks.sort_by(|a, b| a.month.cmp(&b.month));
    let stock_for = |month: &str| {
        stocks
            .iter()
            .rev()
            .find(|s| s.month.as_str() <= month)
            .or_else(|| stocks.first())
            .map(|s| s.value)
    };
    let rates: Vec<Point> = months
        .iter()
        .map(|m| {
            let reoffences = points
                .iter()
                .find(|p| p.indicator == Indicator::Reoffences && &p.month == m)
                .map_or(Some(0), |p| p.value);
            match (stock_for(m), reoffences) {
                (Some(None), _) | (_, None) => Point::Hidden,
                (Some(Some(stock)), Some(r)) if stock > 0 => {
                    Point::Rate(r as f64 / stock as f64 * 100.0)
                }
                // No stock reported, or no one in mentoring: nothing to divide by.
                _ => Point::None,
            }
        })
        .collect();
    if rates.iter().all(|p| *p == Point::None) {
        return empty(title, lang);
    }
    render(|root| draw(root, &months, &rates, title, lang))
}

fn draw(
    root: &Area<'_>,
    months: &[String],
    rates: &[Point],
    title: &str,
    lang: Lang,
) -> DrawResult {
    let last = months.len().saturating_sub(1);
    let max = rates
        .iter()
        .filter_map(|p| match p {
            Point::Rate(r) => Some(*r),
            _ => None,
        })
        .fold(0.0, f64::max);
    let top = (max * 1.25).clamp(0.5, 100.0);
    let label = lang.pick(
        "再犯率（再犯 ÷ 结对帮扶未成年人）",
        "Re-offences ÷ minors mentored",
    );
    let mut chart = ChartBuilder::on(root)
        .caption(title, (FONT, 20))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d(
            super::parts::categories(last + 1).into_segmented(),
            0f64..top,
        )?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(months.len() + 1)
        .x_label_formatter(&|v| month_label(months, v))
        .x_label_style((FONT, 11))
        .y_desc(lang.pick("再犯率（%）", "Re-offence rate (%)"))
        .y_label_formatter(&|v| format!("{v:.2}"))
        .axis_desc_style((FONT, 14))
        .draw()?;
    // The line breaks wherever a month has no rate to show.
    let mut runs: Vec<Vec<(SegmentValue<usize>, f64)>> = vec![Vec::new()];
    for (i, p) in rates.iter().enumerate() {
        match p {
            Point::Rate(r) => runs
                .last_mut()
                .into_iter()
                .for_each(|run| run.push((SegmentValue::CenterOf(i), *r))),
            _ => runs.push(Vec::new()),
        }
    }
    let style = SESSIONS_COLOUR.stroke_width(3);
    chart
        .draw_series(std::iter::empty::<PathElement<(SegmentValue<usize>, f64)>>())?
        .label(label)
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 14, y)], style));
    for run in runs.into_iter().filter(|r| !r.is_empty()) {
        chart.draw_series(LineSeries::new(run.clone(), style))?;
        chart.draw_series(
            run.iter()
                .map(|p| Circle::new(p.clone(), 4, SESSIONS_COLOUR.filled())),
        )?;
        // Each month's rate above its point: the figure, not only its height.
        chart.draw_series(
            run.into_iter()
                .map(|(x, r)| Text::new(format!("{r:.2}%"), (x, r + top / 25.0), centred(10))),
        )?;
    }
    let hidden: Vec<usize> = (0..rates.len())
        .filter(|i| rates[*i] == Point::Hidden)
        .collect();
    chart.draw_series(hidden.iter().map(|i| {
        Text::new(
            small_count_label(),
            (SegmentValue::CenterOf(*i), top / 20.0),
            centred(12).color(&NOTE),
        )
    }))?;
    if !hidden.is_empty() {
        chart
            .draw_series(std::iter::empty::<Circle<(SegmentValue<usize>, f64), i32>>())?
            .label(small_count_note(lang))
            .legend(|(x, y)| Text::new(small_count_label(), (x, y), left(11)));
    }
    legend(&mut chart, SeriesLabelPosition::UpperRight)
}

#[cfg(test)]
mod tests {
    use super::super::testing::assert_has;
    use super::*;

    pub(crate) fn point(month: &str, indicator: Indicator, value: Option<i64>) -> OutcomePoint {
        OutcomePoint {
            month: month.into(),
            indicator,
            value,
        }
    }

    #[test]
    fn each_months_rate_is_its_reoffences_over_the_latest_stock_of_minors_mentored() {
        let svg = reoffence_rate(
            &[
                // The stock reported the December before is the denominator all year.
                point("2023-12", Indicator::MinorsMentored, Some(400)),
                point("2024-01", Indicator::Reoffences, Some(2)),
                // February had none to report.
                point("2024-03", Indicator::Reoffences, Some(1)),
                point("2024-03", Indicator::Visits, Some(300)),
            ],
            Lang::Zh,
        );
        assert_has(
            &svg,
            &[
                "结对帮扶未成年人再犯率",
                "再犯率（%）",
                "再犯 ÷ 结对帮扶未成年人",
                "2024-01",
                "0.50%",
                "2024-02",
                "0.00%",
                "0.25%",
            ],
        );
        assert!(!svg.contains("2023-12"), "the stock's month is not drawn");
        assert!(!svg.contains("&lt;5"), "nothing is hidden here");
        // Before any later report, the first stock reported serves.
        let later = reoffence_rate(
            &[
                point("2024-02", Indicator::Reoffences, Some(3)),
                point("2024-12", Indicator::MinorsMentored, Some(300)),
            ],
            Lang::En,
        );
        assert_has(&later, &["1.00%", "Re-offence rate (%)"]);
    }

    #[test]
    fn hidden_counts_are_marked_and_never_shown_as_a_rate() {
        let svg = reoffence_rate(
            &[
                point("2023-12", Indicator::MinorsMentored, Some(12)),
                point("2024-03", Indicator::Reoffences, None),
                point("2024-04", Indicator::Reoffences, Some(0)),
            ],
            Lang::En,
        );
        assert_has(&svg, &["hidden (1–4 at a station, or would give one away)"]);
        // Only April's point is drawn: one circle.
        assert_eq!(svg.matches("<circle").count(), 1, "{svg}");
        // A hidden stock hides every rate that divides by it.
        let stock_hidden = reoffence_rate(
            &[
                point("2023-12", Indicator::MinorsMentored, None),
                point("2024-01", Indicator::Reoffences, Some(7)),
            ],
            Lang::En,
        );
        assert_has(&stock_hidden, &["hidden (1–4 at a station"]);
        assert!(!stock_hidden.contains("<circle"), "{stock_hidden}");
    }

    #[test]
    fn no_mentoring_figures_make_an_empty_chart() {
        let svg = reoffence_rate(&[point("2024-03", Indicator::Visits, Some(3))], Lang::Zh);
        assert!(svg.contains("所选范围内暂无数据"));
        // Re-offences without any stock to divide by.
        let svg = reoffence_rate(
            &[point("2024-03", Indicator::Reoffences, Some(3))],
            Lang::Zh,
        );
        assert!(svg.contains("所选范围内暂无数据"));
        let zero = reoffence_rate(
            &[
                point("2024-03", Indicator::MinorsMentored, Some(0)),
                point("2024-03", Indicator::Reoffences, Some(0)),
            ],
            Lang::En,
        );
        assert!(zero.contains("No data in this selection"));
    }
}
