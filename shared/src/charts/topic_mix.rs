//! Sessions and 人次 per topic, largest audience first. A session with two topics counts
//! under both, as in the aggregate.

use super::sessions_by_station::ranked;
use super::{ChartName, Fit};
use crate::aggregate::ReachRow;
use crate::Lang;

/// From `GET /aggregates/reach?group_by=topic`.
pub fn topic_mix(rows: &[ReachRow], lang: Lang, fit: Fit) -> String {
    let note = Some(
        lang.pick(
            "同一场宣讲有多个主题时，分别计入各主题",
            "A session on two topics counts under both",
        )
        .to_string(),
    );
    // Topics are few; all of them fit.
    ranked(rows, 30, ChartName::TopicMix.title(lang), note, lang, fit)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_escaped, assert_has, reach_row as topic, HOSTILE};
    use super::*;

    #[test]
    fn every_topic_is_drawn_with_its_sessions() {
        let svg = topic_mix(
            &[
                topic(1, "防范电信诈骗", 30, 5_000),
                topic(2, "防溺水", 12, 1_800),
            ],
            Lang::Zh,
            Fit::EXPORT,
        );
        assert_has(
            &svg,
            &[
                "各宣讲主题的场次与受众人次",
                "防范电信诈骗",
                "防溺水",
                "受众（人次）",
                "\n30 场\n",
                "分别计入各主题",
            ],
        );
        let en = topic_mix(&[topic(1, "防溺水", 2, 50)], Lang::En, Fit::EXPORT);
        assert_has(
            &en,
            &[
                "Sessions and audience (person-times) by topic",
                "\n2 sessions\n",
            ],
        );
    }

    #[test]
    fn topic_names_that_look_like_markup_are_drawn_as_text() {
        let rows: Vec<_> = HOSTILE.iter().map(|n| topic(1, n, 1, 10)).collect();
        assert_escaped(&topic_mix(&rows, Lang::En, Fit::EXPORT));
    }

    #[test]
    fn no_topics_make_an_empty_chart() {
        assert!(topic_mix(&[], Lang::En, Fit::EXPORT).contains("No data in this selection"));
    }
}
