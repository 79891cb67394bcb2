//! The re-offence rate of mentored minors per month: the month's re-offences over the
//! minors in mentoring, as a line.
//!
//! The server computes the rates (`RatePoint`, as `GET /api/v1/dashboard` states them):
//! each from true counts, minors mentored being the stock at the month's end (DOMAIN.md),
//! and then shown or hidden as a whole. A month without a rate (hidden from a
//! non-administrator, see `crate::suppression`, or no one in mentoring) is a gap marked
//! "*": a rate there could give a hidden count away.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

use super::{
    centred, empty, left, legend, month_label, render, small_count_label, small_count_note, Area,
    ChartName, DrawResult, FONT, NOTE, SESSIONS_COLOUR,
};
use crate::dashboard::RatePoint;
use crate::Lang;

/// One month's point: a rate in percent, or a gap.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Point {
    Rate(f64),
    Hidden,
}

/// From the dashboard's `reoffence_by_month` (rates 0–1, month by month).
pub fn reoffence_rate(points: &[RatePoint], lang: Lang) -> String {
    let title = ChartName::ReoffenceRate.title(lang);
    // Nothing to draw (no months, or none with a rate to show).
    if points.iter().all(|p| p.rate.is_none()) {
        return empty(title, lang);
    }
    let months: Vec<String> = points.iter().map(|p| p.month.clone()).collect();
    let rates: Vec<Point> = points
        .iter()
        .map(|p| p.rate.map_or(Point::Hidden, |r| Point::Rate(r * 100.0)))
        .collect();
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

    fn point(month: &str, rate: Option<f64>) -> RatePoint {
        RatePoint {
            month: month.into(),
            rate,
        }
    }

    #[test]
    fn each_months_rate_is_drawn_in_percent() {
        let svg = reoffence_rate(
            &[
                point("2024-01", Some(0.005)),
                point("2024-02", Some(0.0)),
                point("2024-03", Some(0.0025)),
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
        assert!(!svg.contains("&lt;5"), "nothing is hidden here");
    }

    #[test]
    fn hidden_rates_are_marked_and_never_drawn() {
        let svg = reoffence_rate(
            &[point("2024-03", None), point("2024-04", Some(0.0))],
            Lang::En,
        );
        assert_has(&svg, &["hidden (1–4 at a station, or would give one away)"]);
        // Only April's point is drawn: one circle.
        assert_eq!(svg.matches("<circle").count(), 1, "{svg}");
    }

    #[test]
    fn no_rates_make_an_empty_chart() {
        assert!(reoffence_rate(&[], Lang::Zh).contains("所选范围内暂无数据"));
        let svg = reoffence_rate(&[point("2024-03", None)], Lang::En);
        assert!(svg.contains("No data in this selection"));
    }
}
