//! Minors found wandering at night and cared for, per month, as bars; a hidden count
//! (see `crate::suppression`) is written "*" in place of its bar.

use super::{
    empty, monthly, monthly_bars, outcome_months, ChartName, Fit, MonthlyBars, AUDIENCE_COLOUR,
};
use crate::aggregate::OutcomePoint;
use crate::outcome::Indicator;
use crate::Lang;

/// From `GET /aggregates/outcomes` (its `night_wandering_cared` points).
pub fn night_wandering(points: &[OutcomePoint], lang: Lang, fit: Fit) -> String {
    let title = ChartName::NightWandering.title(lang);
    let months = outcome_months(points, &[Indicator::NightWanderingCared]);
    if months.is_empty() {
        return empty(title, lang, fit);
    }
    let values = monthly(points, Indicator::NightWanderingCared, &months);
    let legend = [(
        Indicator::NightWanderingCared.label(lang).to_string(),
        AUDIENCE_COLOUR,
    )];
    monthly_bars(
        &MonthlyBars {
            title,
            months: &months,
            values: &values,
            unit: lang.pick("未成年人（人）", "Minors"),
            colour_of: &|_| AUDIENCE_COLOUR,
            legend_entries: &legend,
        },
        lang,
        fit,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::testing::assert_has;

    fn point(month: &str, value: Option<i64>) -> OutcomePoint {
        OutcomePoint {
            month: month.into(),
            indicator: Indicator::NightWanderingCared,
            value,
        }
    }

    #[test]
    fn each_month_has_its_count_with_units_and_legend() {
        let svg = night_wandering(
            &[point("2024-03", Some(37)), point("2024-05", Some(12))],
            Lang::Zh,
            Fit::EXPORT,
        );
        assert_has(
            &svg,
            &[
                "夜间游荡未成年人关爱人数",
                "未成年人（人）",
                "夜间游荡关爱",
                "2024-04",
            ],
        );
        assert!(!svg.contains("&lt;5"));
    }

    #[test]
    fn a_hidden_count_is_marked_and_gets_no_bar() {
        let shown = night_wandering(
            &[point("2024-03", Some(37)), point("2024-04", Some(12))],
            Lang::En,
            Fit::EXPORT,
        );
        let hidden = night_wandering(
            &[point("2024-03", Some(37)), point("2024-04", None)],
            Lang::En,
            Fit::EXPORT,
        );
        assert_has(
            &hidden,
            &["hidden (1–4 at a station, or would give one away)"],
        );
        assert_eq!(
            hidden.matches("<rect").count() + 1,
            shown.matches("<rect").count(),
            "one bar fewer"
        );
    }

    #[test]
    fn no_figures_make_an_empty_chart() {
        assert!(night_wandering(&[], Lang::Zh, Fit::EXPORT).contains("所选范围内暂无数据"));
    }
}
