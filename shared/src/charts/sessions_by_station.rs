//! Sessions and 人次 per police station: the stations with the largest audience, as
//! horizontal bars (names read along the axis), each with its count of sessions.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

use super::{
    category_label, empty, headroom, left, legend, render, swatch, thousands, Area, ChartName,
    DrawResult, AUDIENCE_COLOUR, FONT,
};
use crate::aggregate::{largest, ReachRow};
use crate::Lang;

/// How many stations the chart shows: more would not leave a readable bar each.
pub const TOP_STATIONS: usize = 15;

/// The [`TOP_STATIONS`] largest of `rows` by 人次 (from `GET /aggregates/reach?
/// group_by=station`, or the dashboard's `by_station`), out of `of` stations in the slice
/// (the note says so when not every station fits).
pub fn sessions_by_station(rows: &[ReachRow], of: usize, lang: Lang) -> String {
    let title = ChartName::SessionsByStation.title(lang);
    let note = (of > TOP_STATIONS).then(|| match lang {
        Lang::Zh => format!("受众人次最多的 {TOP_STATIONS} 个派出所（共 {of} 个）"),
        Lang::En => format!("The {TOP_STATIONS} stations with the largest audience (of {of})"),
    });
    ranked(rows, TOP_STATIONS, title, note, lang)
}

/// Horizontal bars of 人次, largest on top, at most `top` of them, each labelled with its
/// sessions. Shared with the topic chart.
pub(super) fn ranked(
    rows: &[ReachRow],
    top: usize,
    title: &str,
    note: Option<String>,
    lang: Lang,
) -> String {
    let shown = largest(rows, top);
    if shown.is_empty() {
        return empty(title, lang);
    }
    let shown: Vec<&ReachRow> = shown.iter().collect();
    render(|root| draw(root, &shown, title, note.as_deref(), lang))
}

fn draw(
    root: &Area<'_>,
    rows: &[&ReachRow],
    title: &str,
    note: Option<&str>,
    lang: Lang,
) -> DrawResult {
    let last = rows.len() - 1;
    // Row 0 (the largest) is drawn at the top, i.e. at the highest category.
    let names: Vec<String> = rows.iter().rev().map(|r| r.label.clone()).collect();
    let max = rows.iter().map(|r| r.audience()).max().unwrap_or(0);
    // Room at the right end of the longest bar for its sessions figure.
    let top = headroom(max + max / 5);
    let audience_label = lang.pick("受众（人次）", "Audience (person-times)");

    let mut chart = ChartBuilder::on(root)
        .caption(title, (FONT, 20))
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(170)
        .build_cartesian_2d(0..top, super::parts::categories(last + 1).into_segmented())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(rows.len() + 1)
        .y_label_formatter(&|v| category_label(&names, v))
        .y_label_style((FONT, 12))
        .x_desc(audience_label)
        .x_label_formatter(&|v| thousands(*v))
        .axis_desc_style((FONT, 14))
        .draw()?;
    let bars = Histogram::horizontal(&chart)
        .style(AUDIENCE_COLOUR.mix(0.85).filled())
        .margin(3)
        .data(
            rows.iter()
                .enumerate()
                .map(|(rank, r)| (last - rank, r.audience())),
        );
    chart
        .draw_series(bars)?
        .label(audience_label)
        .legend(swatch(AUDIENCE_COLOUR));
    let sessions = |n: i64| match lang {
        Lang::Zh => format!(" {} 场", thousands(n)),
        Lang::En => format!(" {} sessions", thousands(n)),
    };
    chart
        .draw_series(rows.iter().enumerate().map(|(rank, r)| {
            Text::new(
                sessions(r.sessions),
                (r.audience(), SegmentValue::CenterOf(last - rank)),
                left(11),
            )
        }))?
        .label(lang.pick("条末数字：宣讲场次", "Figure after each bar: sessions"))
        .legend(|(x, y)| Text::new("12", (x, y), left(11)));
    if let Some(note) = note {
        root.draw(&Text::new(
            note.to_string(),
            (super::WIDTH as i32 - 16, super::HEIGHT as i32 - 12),
            TextStyle::from((FONT, 12).into_font())
                .pos(plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Right,
                    plotters::style::text_anchor::VPos::Center,
                ))
                .color(&BLACK.mix(0.6)),
        ))?;
    }
    legend(&mut chart, SeriesLabelPosition::LowerRight)
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
        );
        assert_has(
            &svg,
            &[
                "各派出所宣讲场次与受众人次",
                "红梅派出所",
                "茶山派出所",
                "受众（人次）",
                " 9 场",
                " 4 场",
                "条末数字：宣讲场次",
            ],
        );
    }

    #[test]
    fn only_the_top_stations_are_drawn_and_the_chart_says_so() {
        let rows: Vec<_> = (0..40)
            .map(|i| station(i, &format!("派出所{i:02}"), 1, 100 + i))
            .collect();
        let svg = sessions_by_station(&rows, 40, Lang::Zh);
        assert_has(&svg, &["派出所39", "派出所25", "（共 40 个）"]);
        assert!(!svg.contains("派出所24"), "the 16th largest is left out");
        let en = sessions_by_station(&rows, 40, Lang::En);
        assert_has(&en, &["The 15 stations with the largest audience (of 40)"]);
        // The dashboard sends only the stations drawn, and how many there are.
        let sent = crate::aggregate::largest(&rows, TOP_STATIONS);
        assert_eq!(sent.len(), TOP_STATIONS);
        let from_sent = sessions_by_station(&sent, 40, Lang::Zh);
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
        assert_escaped(&sessions_by_station(&rows, rows.len(), Lang::Zh));
    }

    #[test]
    fn stations_without_sessions_make_an_empty_chart() {
        let svg = sessions_by_station(&[station(1, "红梅派出所", 0, 0)], 1, Lang::Zh);
        assert!(svg.contains("所选范围内暂无数据"));
        assert!(!svg.contains("红梅派出所"));
    }
}
#[cfg(test)]
mod one_category {
    use crate::charts::testing::reach_row;
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
                super::sessions_by_station(&[reach_row(3, "雕庄派出所", 1, 80)], 1, Lang::Zh),
                "雕庄派出所",
            ),
            (
                crate::charts::topic_mix(&[reach_row(1, "防溺水", 1, 80)], Lang::Zh),
                "防溺水",
            ),
            (
                crate::charts::reach_over_time(&[month], Lang::Zh),
                "2026-11",
            ),
        ];
        for (svg, name) in cases {
            assert!(svg.contains(name), "{name} is not named");
        }
    }
}
