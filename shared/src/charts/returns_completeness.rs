//! Monthly returns' completeness: per district (or station), the returns due (pale) and
//! those submitted, on time or late (dark), "submitted/due" beside each; the whole place's
//! on time, late, missing and accepted under the title.

use super::{draw_overlaid, empty, percent, thousands, ChartName, Fit, Overlaid};
use crate::returns::completeness::ReturnsCompleteness;
use crate::Lang;

/// From `GET /api/v1/completeness`'s `returns`: the year's months together, per place.
pub fn returns_completeness(c: &ReturnsCompleteness, lang: Lang, fit: Fit) -> String {
    let title = ChartName::ReturnsCompleteness.title(lang);
    let t = &c.total;
    if t.expected == 0 {
        return empty(title, lang, fit);
    }
    let submitted = t.on_time + t.late;
    let subtitle = match lang {
        Lang::Zh => format!(
            "合计：应报 {} 份，已报 {}（{}），其中逾期 {} 份；未报 {} 份；市局已审核 {} 份",
            thousands(t.expected),
            thousands(submitted),
            percent(submitted, t.expected),
            thousands(t.late),
            thousands(t.missing),
            thousands(t.accepted)
        ),
        Lang::En => format!(
            "In all: {} of {} returns submitted ({}), {} of them late; {} missing; {} accepted",
            thousands(submitted),
            thousands(t.expected),
            percent(submitted, t.expected),
            thousands(t.late),
            thousands(t.missing),
            thousands(t.accepted)
        ),
    };
    let o = Overlaid {
        title,
        names: c.places.iter().map(|p| p.name.clone()).collect(),
        whole: (
            lang.pick("应报月报", "Returns due"),
            c.places.iter().map(|p| p.counts.expected).collect(),
        ),
        part: (
            lang.pick("已报送（含逾期）", "Submitted (late included)"),
            c.places
                .iter()
                .map(|p| p.counts.on_time + p.counts.late)
                .collect(),
        ),
        unit: lang.pick("月报（份）", "Monthly returns"),
        figures: c
            .places
            .iter()
            .map(|p| format!("{}/{}", p.counts.on_time + p.counts.late, p.counts.expected))
            .collect(),
        subtitle,
    };
    draw_overlaid(o, fit)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_escaped, assert_has, HOSTILE};
    use super::*;
    use crate::returns::completeness::PlaceCompleteness;
    use crate::returns::CompletenessCounts;

    fn returns(by: &[(&str, i64, i64, i64)]) -> ReturnsCompleteness {
        let counts = |expected, on_time, late| CompletenessCounts {
            expected,
            on_time,
            late,
            missing: expected - on_time - late,
            ..Default::default()
        };
        let places: Vec<PlaceCompleteness> = by
            .iter()
            .enumerate()
            .map(|(i, (name, e, o, l))| PlaceCompleteness {
                id: i as i64,
                name: (*name).into(),
                counts: counts(*e, *o, *l),
            })
            .collect();
        let (e, o, l) = by
            .iter()
            .fold((0, 0, 0), |s, b| (s.0 + b.1, s.1 + b.2, s.2 + b.3));
        ReturnsCompleteness {
            months: Vec::new(),
            total: counts(e, o, l),
            places,
        }
    }

    #[test]
    fn each_place_shows_returns_submitted_of_those_due() {
        let svg = returns_completeness(
            &returns(&[("天宁分局", 120, 100, 10), ("钟楼分局", 96, 80, 0)]),
            Lang::Zh,
            Fit::EXPORT,
        );
        assert_has(
            &svg,
            &["天宁分局", "110/120", "80/96", "应报 216 份", "逾期 10 份"],
        );
    }

    #[test]
    fn no_returns_due_make_an_empty_chart_and_names_are_drawn_as_text() {
        let none = returns_completeness(&ReturnsCompleteness::default(), Lang::En, Fit::EXPORT);
        assert!(none.contains(super::super::no_data(Lang::En)), "{none}");
        let by: Vec<_> = HOSTILE.iter().map(|n| (*n, 3, 1, 1)).collect();
        assert_escaped(&returns_completeness(&returns(&by), Lang::En, Fit::EXPORT));
    }
}
