//! The re-offence rate of mentored minors per month: re-offences over minors mentored, as
//! a line. A month whose counts are hidden (1–4 at one station, for non-administrators)
//! is a gap marked "<5": a rate there would give the hidden count away.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

use super::{
    centred, empty, left, legend, month_label, monthly, outcome_months, render, small_count_label,
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

/// From `GET /aggregates/outcomes` (its `minors_mentored` and `reoffences` points).
pub fn reoffence_rate(points: &[OutcomePoint], lang: Lang) -> String {
    let title = ChartName::ReoffenceRate.title(lang);
    let months = outcome_months(points, &[Indicator::MinorsMentored, Indicator::Reoffences]);
    let mentored = monthly(points, Indicator::MinorsMentored, &months);
    let reoffences = monthly(points, Indicator::Reoffences, &months);
    let rates: Vec<Point> = mentored
        .iter()
        .zip(&reoffences)
        .map(|(m, r)| match (m, r) {
            (Some(None), _) | (_, Some(None)) => Point::Hidden,
            (Some(Some(m)), Some(Some(r))) if *m > 0 => Point::Rate(*r as f64 / *m as f64 * 100.0),
            // No one mentored, or a month without both figures: nothing to divide.
            _ => Point::None,
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
    let top = (max * 1.2).clamp(5.0, 100.0);
    let label = lang.pick(
        "再犯率（再犯 ÷ 结对帮扶未成年人）",
        "Re-offences ÷ minors mentored",
    );
    let mut chart = ChartBuilder::on(root)
        .caption(title, (FONT, 20))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d((0..last).into_segmented(), 0f64..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(months.len() + 1)
        .x_label_formatter(&|v| month_label(months, v))
        .x_label_style((FONT, 11))
        .y_desc(lang.pick("再犯率（%）", "Re-offence rate (%)"))
        .y_label_formatter(&|v| format!("{v:.1}"))
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
            run.into_iter()
                .map(|p| Circle::new(p, 4, SESSIONS_COLOUR.filled())),
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
    fn the_rate_is_reoffences_over_minors_mentored() {
        let svg = reoffence_rate(
            &[
                point("2024-03", Indicator::MinorsMentored, Some(40)),
                point("2024-03", Indicator::Reoffences, Some(2)),
                point("2024-04", Indicator::MinorsMentored, Some(50)),
                point("2024-04", Indicator::Reoffences, Some(0)),
                point("2024-04", Indicator::Visits, Some(300)),
            ],
            Lang::Zh,
        );
        assert_has(
            &svg,
            &[
                "结对帮扶未成年人再犯率",
                "再犯率（%）",
                "2024-03",
                "2024-04",
                "再犯 ÷ 结对帮扶未成年人",
            ],
        );
        assert!(!svg.contains("<5"), "nothing is hidden here");
    }

    #[test]
    fn hidden_counts_show_as_under_five_and_never_as_a_rate() {
        let svg = reoffence_rate(
            &[
                point("2024-03", Indicator::MinorsMentored, Some(12)),
                point("2024-03", Indicator::Reoffences, None),
                point("2024-04", Indicator::MinorsMentored, Some(12)),
                point("2024-04", Indicator::Reoffences, Some(0)),
            ],
            Lang::En,
        );
        assert_has(&svg, &["&lt;5", "1–4 at one station, not shown"]);
        // Only April's point is drawn: one circle.
        assert_eq!(svg.matches("<circle").count(), 1, "{svg}");
    }

    #[test]
    fn no_mentoring_figures_make_an_empty_chart() {
        let svg = reoffence_rate(&[point("2024-03", Indicator::Visits, Some(3))], Lang::Zh);
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
