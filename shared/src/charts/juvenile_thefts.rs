//! Theft cases by minors per month, before and after a chosen day (`since`, say the day a
//! campaign started): bars before it in grey, from its month on in colour, and each
//! period's monthly average in the legend. Hidden counts are written "*" and left out of
//! the averages.

use chrono::NaiveDate;

use super::{
    empty, monthly, monthly_bars, outcome_months, ChartName, Fit, MonthlyBars, AUDIENCE_COLOUR,
    MUTED,
};
use crate::aggregate::OutcomePoint;
use crate::outcome::Indicator;
use crate::Lang;

/// From `GET /aggregates/outcomes` (its `juvenile_thefts` points); `since` splits the
/// months into before and after (its own month counts as after).
pub fn juvenile_thefts(
    points: &[OutcomePoint],
    since: Option<NaiveDate>,
    lang: Lang,
    fit: Fit,
) -> String {
    let title = ChartName::JuvenileThefts.title(lang);
    let months = outcome_months(points, &[Indicator::JuvenileThefts]);
    if months.is_empty() {
        return empty(title, lang, fit);
    }
    let values = monthly(points, Indicator::JuvenileThefts, &months);
    let split = since.map(|d| d.format("%Y-%m").to_string());
    let after = |i: usize| {
        split
            .as_ref()
            .is_none_or(|s| months[i].as_str() >= s.as_str())
    };
    // The mean of the months with a shown figure.
    let mean = |want_after: bool| {
        let shown: Vec<i64> = (0..months.len())
            .filter(|i| after(*i) == want_after)
            .filter_map(|i| values[i].flatten())
            .collect();
        (!shown.is_empty()).then(|| shown.iter().sum::<i64>() as f64 / shown.len() as f64)
    };
    let per_month = |m: Option<f64>| match (m, lang) {
        (Some(m), Lang::Zh) => format!("月均 {m:.1} 起"),
        (Some(m), Lang::En) => format!("{m:.1} a month"),
        (None, _) => "–".to_string(),
    };
    let legend = match &split {
        Some(s) => vec![
            (
                match lang {
                    Lang::Zh => format!("{s} 之前：{}", per_month(mean(false))),
                    Lang::En => format!("Before {s}: {}", per_month(mean(false))),
                },
                MUTED,
            ),
            (
                match lang {
                    Lang::Zh => format!("{s} 起：{}", per_month(mean(true))),
                    Lang::En => format!("From {s}: {}", per_month(mean(true))),
                },
                AUDIENCE_COLOUR,
            ),
        ],
        None => vec![(
            format!(
                "{}：{}",
                Indicator::JuvenileThefts.label(lang),
                per_month(mean(true))
            )
            .replace('：', lang.pick("：", ": ")),
            AUDIENCE_COLOUR,
        )],
    };
    monthly_bars(
        &MonthlyBars {
            title,
            months: &months,
            values: &values,
            unit: lang.pick("案件（起）", "Cases"),
            colour_of: &|i| if after(i) { AUDIENCE_COLOUR } else { MUTED },
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
            indicator: Indicator::JuvenileThefts,
            value,
        }
    }

    fn day(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    #[test]
    fn months_before_and_after_the_day_are_told_apart_with_their_averages() {
        let points = [
            point("2024-01", Some(10)),
            point("2024-02", Some(20)),
            point("2024-03", Some(6)),
            point("2024-04", Some(8)),
        ];
        let svg = juvenile_thefts(&points, day("2024-03-15"), Lang::Zh, Fit::EXPORT);
        assert_has(
            &svg,
            &[
                "未成年人盗窃案件（按月，前后对比）",
                "案件（起）",
                "2024-03 之前：月均 15.0 起",
                "2024-03 起：月均 7.0 起",
            ],
        );
        let en = juvenile_thefts(&points, day("2024-03-15"), Lang::En, Fit::EXPORT);
        assert_has(
            &en,
            &[
                "Before 2024-03: 15.0 a month",
                "From 2024-03: 7.0 a month",
                "Cases",
            ],
        );
        let whole = juvenile_thefts(&points, None, Lang::En, Fit::EXPORT);
        assert_has(&whole, &["Theft cases by minors: 11.0 a month"]);
    }

    #[test]
    fn hidden_counts_are_marked_and_left_out_of_the_averages() {
        let svg = juvenile_thefts(
            &[
                point("2024-01", Some(10)),
                point("2024-02", None),
                point("2024-03", Some(6)),
            ],
            day("2024-02-01"),
            Lang::Zh,
            Fit::EXPORT,
        );
        assert_has(
            &svg,
            &[
                "2024-02 起：月均 6.0 起",
                "单个派出所 1–4 例或可据以推算的数字，不予显示",
            ],
        );
    }

    #[test]
    fn no_figures_make_an_empty_chart() {
        assert!(
            juvenile_thefts(&[], day("2024-03-01"), Lang::En, Fit::EXPORT)
                .contains("No data in this selection")
        );
    }
}
