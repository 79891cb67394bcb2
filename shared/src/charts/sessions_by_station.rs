//! Sessions and 人次 per police station: the stations with the largest audience, as
//! horizontal bars (names read along the axis), each with its count of sessions.

use super::bars::{self, Bars};
use super::{empty, render, thousands, ChartName, Fit, Head, Key, Mark, AUDIENCE_COLOUR};
use crate::aggregate::{largest, ReachRow};
use crate::Lang;

/// How many stations the chart shows: more would not leave a readable bar each.
pub const TOP_STATIONS: usize = 15;

/// The [`TOP_STATIONS`] largest of `rows` by 人次 (from `GET /aggregates/reach?
/// group_by=station`, or the dashboard's `by_station`), out of `of` stations in the slice
/// (the note says so when not every station fits).
pub fn sessions_by_station(rows: &[ReachRow], of: usize, lang: Lang, fit: Fit) -> String {
    let title = ChartName::SessionsByStation.title(lang);
    let note = (of > TOP_STATIONS).then(|| match lang {
        Lang::Zh => format!("受众人次最多的 {TOP_STATIONS} 个派出所（共 {of} 个）"),
        Lang::En => format!("The {TOP_STATIONS} stations with the largest audience (of {of})"),
    });
    ranked(rows, TOP_STATIONS, title, note, lang, fit)
}

/// Horizontal bars of 人次, largest on top, at most `top` of them, each labelled with its
/// sessions. Shared with the topic chart.
pub(super) fn ranked(
    rows: &[ReachRow],
    top: usize,
    title: &str,
    note: Option<String>,
    lang: Lang,
    fit: Fit,
) -> String {
    let shown = largest(rows, top);
    if shown.is_empty() {
        return empty(title, lang, fit);
    }
    let rows: Vec<(String, i64, i64)> = shown
        .iter()
        .map(|r| (r.label.clone(), r.sessions, r.audience()))
        .collect();
    audience_bars(&rows, title, note, lang, fit)
}

/// One bar of 人次 per `(name, sessions, audience)`, in the order given, with its sessions
/// after it. Shared with the district chart.
pub(super) fn audience_bars(
    rows: &[(String, i64, i64)],
    title: &str,
    note: Option<String>,
    lang: Lang,
    fit: Fit,
) -> String {
    let audience_label = lang.pick("受众（人次）", "Audience (person-times)");
    let sessions = |n: i64| match lang {
        Lang::Zh => format!("{} 场", thousands(n)),
        Lang::En => format!("{} sessions", thousands(n)),
    };
    let keys = vec![
        Key::new(audience_label, Mark::Swatch(AUDIENCE_COLOUR)),
        Key::new(
            lang.pick("条末数字：宣讲场次", "Figure after each bar: sessions"),
            // A sample of the figure, as it reads after a bar ("12 场"): a bare "12" read as a
            // stray number beside the legend.
            Mark::Text(sessions(12)),
        ),
    ];
    let head = Head::new(fit, title, note.as_slice(), keys);
    let bars = Bars {
        names: rows.iter().map(|r| r.0.clone()).collect(),
        whole: None,
        values: rows.iter().map(|r| r.2).collect(),
        colour: AUDIENCE_COLOUR,
        figures: rows.iter().map(|r| sessions(r.1)).collect(),
        unit: audience_label,
    };
    render(fit.width(), &head, bars::height(fit, rows.len()), |plot| {
        bars::draw(plot, fit, &bars)
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_escaped, assert_has, reach_row as station, HOSTILE};
    use super::*;

    #[test]
    fn stations_are_ranked_by_audience_with_their_sessions() {
        let svg = sessions_by_station(
            &[
                station(1, "红梅派出所", 4, 900),
                station(2, "茶山派出所", 9, 2_400),
            ],
            2,
            Lang::Zh,
            Fit::EXPORT,
        );
        assert_has(
            &svg,
            &[
                "各派出所宣讲场次与受众人次",
                "红梅派出所",
                "茶山派出所",
                "受众（人次）",
                "\n9 场\n",
                "\n4 场\n",
                "条末数字：宣讲场次",
            ],
        );
    }

    #[test]
    fn only_the_top_stations_are_drawn_and_the_chart_says_so() {
        let rows: Vec<_> = (0..40)
            .map(|i| station(i, &format!("派出所{i:02}"), 1, 100 + i))
            .collect();
        let svg = sessions_by_station(&rows, 40, Lang::Zh, Fit::EXPORT);
        assert_has(&svg, &["派出所39", "派出所25", "（共 40 个）"]);
        assert!(!svg.contains("派出所24"), "the 16th largest is left out");
        let en = sessions_by_station(&rows, 40, Lang::En, Fit::EXPORT);
        assert_has(&en, &["The 15 stations with the largest audience (of 40)"]);
        // The dashboard sends only the stations drawn, and how many there are.
        let sent = crate::aggregate::largest(&rows, TOP_STATIONS);
        assert_eq!(sent.len(), TOP_STATIONS);
        let from_sent = sessions_by_station(&sent, 40, Lang::Zh, Fit::EXPORT);
        assert_has(&from_sent, &["派出所39", "派出所25", "（共 40 个）"]);
        assert!(!from_sent.contains("派出所24"));
    }

    #[test]
    fn station_names_that_look_like_markup_are_drawn_as_text() {
        let rows: Vec<_> = HOSTILE
            .iter()
            .enumerate()
            .map(|(i, n)| station(i as i64, n, 1, 10))
            .collect();
        assert_escaped(&sessions_by_station(
            &rows,
            rows.len(),
            Lang::Zh,
            Fit::EXPORT,
        ));
    }

    #[test]
    fn stations_without_sessions_make_an_empty_chart() {
        let svg = sessions_by_station(&[station(1, "红梅派出所", 0, 0)], 1, Lang::Zh, Fit::EXPORT);
        assert!(svg.contains("所选范围内暂无数据"));
        assert!(!svg.contains("红梅派出所"));
    }
}
#[cfg(test)]
mod one_category {
    use crate::charts::testing::reach_row;
    use crate::charts::Fit;
    use crate::Lang;

    /// plotters labels nothing on an axis of one category; a station's own dashboard, a
    /// campaign's first month or a single topic must still be named.
    #[test]
    fn a_chart_of_one_station_month_or_topic_names_it() {
        let month = crate::aggregate::ReachRow {
            key: "2026-11".into(),
            label: "2026-11".into(),
            ..reach_row(0, "", 1, 80)
        };
        let cases = [
            (
                super::sessions_by_station(
                    &[reach_row(3, "雕庄派出所", 1, 80)],
                    1,
                    Lang::Zh,
                    Fit::EXPORT,
                ),
                "雕庄派出所",
            ),
            (
                crate::charts::topic_mix(&[reach_row(1, "防溺水", 1, 80)], Lang::Zh, Fit::EXPORT),
                "防溺水",
            ),
            (
                crate::charts::reach_over_time(&[month], Lang::Zh, Fit::EXPORT),
                "2026-11",
            ),
        ];
        for (svg, name) in cases {
            assert!(svg.contains(name), "{name} is not named");
        }
    }
}
