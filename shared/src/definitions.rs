//! The written definition (口径) of every figure the leaders' page and the annual report
//! state, in both languages, declared once: the page shows it beside each figure, README
//! ("Definitions of the figures") repeats it, and the server computes each figure by it.
//! Work figures belong to the station that gave the session, coverage figures to the
//! school's own station. Where issue 15 changed a definition (to fix a figure that disagreed
//! with the rows), [`Figure::changed`] says what changed, so a leader comparing this year's
//! page with last year's printout knows why a number moved.

use crate::Text;

crate::coded_enum! {
    /// A figure shown to leaders.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Figure {
        Sessions = "sessions",
        Audience = "audience",
        Students = "students",
        Parents = "parents",
        Teachers = "teachers",
        Others = "others",
        UniqueStudents = "unique_students",
        SchoolsCovered = "schools_covered",
        FilmReach = "film_reach",
        StationsTrained = "stations_trained",
        SpeakersTrained = "speakers_trained",
        MinorsMentored = "minors_mentored",
        ReoffenceRate = "reoffence_rate",
    }
}

impl Figure {
    /// The figure's name, as the page and the report title it.
    pub fn label(self) -> Text {
        match self {
            Figure::Sessions => Text::new("宣讲场次", "Sessions"),
            Figure::Audience => Text::new("受众人次", "Audience (person-times)"),
            Figure::Students => Text::new("学生", "Students"),
            Figure::Parents => Text::new("家长", "Parents"),
            Figure::Teachers => Text::new("教师", "Teachers"),
            Figure::Others => Text::new("其他", "Others"),
            Figure::UniqueStudents => Text::new("覆盖学生（去重）", "Unique students reached"),
            Figure::SchoolsCovered => Text::new("覆盖学校", "Schools covered"),
            Figure::FilmReach => Text::new("宣教片观看人数（至少）", "Film reach (at least)"),
            Figure::StationsTrained => {
                Text::new("有培训宣讲员的派出所", "Stations with a trained speaker")
            }
            Figure::SpeakersTrained => Text::new("本期培训宣讲员", "Speakers trained"),
            Figure::MinorsMentored => Text::new("结对帮扶未成年人", "Minors mentored"),
            Figure::ReoffenceRate => Text::new("再犯率", "Re-offence rate"),
        }
    }

    /// How the figure is counted, in one to three sentences.
    pub fn definition(self) -> Text {
        match self {
            Figure::Sessions => Text::new(
                "所选行动、日期范围内举行的宣讲场次，计入举办宣讲的派出所及其辖区（工作量口径）。",
                "Sessions held within the chosen campaign and dates, counted at the station \
                 that gave them and its district (a work figure).",
            ),
            Figure::Audience => Text::new(
                "各场宣讲的学生、家长、教师和其他受众人数之和，按人次计：同一名学生听三场计 3 人次。计入举办宣讲的派出所。",
                "The audiences of the sessions added up, in person-times: one student at three \
                 talks is 3 person-times. Counted at the station that gave the session.",
            ),
            Figure::Students => Text::new(
                "各场宣讲的学生受众之和，按人次计（同一名学生听三场计 3 人次），计入举办宣讲的派出所。",
                "Students in the sessions' audiences added up, in person-times (one student at \
                 three talks is 3), counted at the station that gave the session.",
            ),
            Figure::Parents => Text::new(
                "各场宣讲的家长受众之和，按人次计，计入举办宣讲的派出所。",
                "Parents in the sessions' audiences added up, in person-times, counted at the \
                 station that gave the session.",
            ),
            Figure::Teachers => Text::new(
                "各场宣讲的教师受众之和，按人次计，计入举办宣讲的派出所。",
                "Teachers in the sessions' audiences added up, in person-times, counted at the \
                 station that gave the session.",
            ),
            Figure::Others => Text::new(
                "各场宣讲中学生、家长、教师以外的受众之和（如社区群众、企业员工），按人次计，计入举办宣讲的派出所。",
                "Everyone in the audiences who is not a student, parent or teacher (residents, \
                 employees…), in person-times, counted at the station that gave the session.",
            ),
            Figure::UniqueStudents => Text::new(
                "每所学校取“本期在该校的学生人次”与“在册学生数”中较小者再相加，计入学校所属的派出所和辖区。\
                 在册数取期末所在学年（9月1日至次年8月31日）的；该学年没有则取最近的更早学年，再没有则取最近的更晚学年。\
                 完全没有在册数的学校不封顶，并标注“无在册数”。",
                "Per school, the smaller of its students' person-times in the period and its \
                 roll, added up; counted at the school's own station and district. The roll is \
                 that of the school year (1 September – 31 August) the period ends in, else the \
                 nearest earlier year's, else the nearest later year's. A school with no roll at \
                 all is counted uncapped and flagged 无在册数 (no roll).",
            ),
            Figure::SchoolsCovered => Text::new(
                "范围内本期至少有一场宣讲的学校数，占范围内本期任一时间在办的学校数。\
                 学校计入其所属派出所和辖区，无论由哪个派出所前往宣讲。",
                "Schools in scope with at least one session in the period, of the schools in \
                 scope active at some time in the period. A school counts in its own station and \
                 district, whichever station gave the session.",
            ),
            Figure::FilmReach => Text::new(
                "观看宣教片的人数（至少）：每所学校、每类受众取本期任何一部影片的最大观看人数，学生不超过在册数，再相加。",
                "People who watched the films (at least): per school and audience group, the \
                 largest audience of any one film in the period, students capped by the roll, \
                 added up.",
            ),
            Figure::StationsTrained => Text::new(
                "截至期末，至少有一名民警完成宣讲员培训的派出所数（存量），占本期任一时间在办的派出所数。",
                "Stations with at least one officer who completed a speaker course on or before \
                 the period's end (a stock), of the stations active at some time in the period.",
            ),
            Figure::SpeakersTrained => Text::new(
                "本期内完成宣讲员培训的民警人数（流量），与有培训宣讲员的派出所（存量）并列显示。",
                "Officers who completed a speaker course within the period (a flow), shown \
                 beside the stations with a trained speaker (a stock).",
            ),
            Figure::MinorsMentored => Text::new(
                "存量：每个派出所取截至期末最近一次填报的数值（使用登记册时为期末在帮扶的个案数），再相加。",
                "A stock: for each station, its latest value at the period's end (with \
                 registers, its open cases), summed over the stations.",
            ),
            Figure::ReoffenceRate => Text::new(
                "本期再犯人数 ÷ 结对帮扶未成年人数（期末存量）。使用帮教台账的派出所，再犯人数为每月有再犯记录的个案数，帮扶人数为期末在帮个案数，均可由台账逐条复算。由服务器用真实数字计算，然后整体显示或整体隐藏；任一数字因人数过少需隐藏时，显示“—”。",
                "Re-offences in the period ÷ minors mentored (the stock at its end). Where a \
                 station keeps registers, re-offences are the cases with a re-offence event in \
                 each month and the minors its cases open at the period's end, both recomputable \
                 from the rows. Computed on the server from the true counts and then shown or \
                 hidden as a whole; \"—\" when either count must be hidden.",
            ),
        }
    }

    /// How the figure is counted, short enough to stand in brackets after the number (the
    /// annual report says it beside each count, so that people are not read as 人次).
    pub fn counted(self) -> Text {
        match self {
            Figure::Sessions => Text::new(
                "每场计一次，计入举办宣讲的派出所",
                "each session once, at the station that gave it",
            ),
            Figure::Audience
            | Figure::Students
            | Figure::Parents
            | Figure::Teachers
            | Figure::Others => Text::new(
                "人次：每场听众人数相加，同一人听几场计几次",
                "person-times: the audiences of the sessions added up, so one person at three \
                 talks counts three times",
            ),
            Figure::UniqueStudents => Text::new(
                "按人计：每校取学生人次与在册学生数中较小者，再相加",
                "people: per school, the smaller of its student person-times and its roll, \
                 added up",
            ),
            Figure::SchoolsCovered => Text::new(
                "至少有一场宣讲的学校，计入学校所属的派出所",
                "schools with at least one session, counted at their own station",
            ),
            Figure::FilmReach => Text::new(
                "按人计，不是人次：每所学校、每类受众取观看人数最多的一部影片，学生不超过在册数，再相加",
                "people, not person-times: per school and audience group, the largest audience \
                 of any one film, students capped by the roll, added up",
            ),
            Figure::StationsTrained => Text::new(
                "存量：截至期末至少有一名民警完成宣讲员培训的派出所",
                "a stock: stations with at least one officer trained by the period's end",
            ),
            Figure::SpeakersTrained => Text::new(
                "流量：本期内完成培训的民警人数",
                "a flow: officers who completed the course within the period",
            ),
            Figure::MinorsMentored => Text::new(
                "帮扶人数为存量：各派出所截至期末最近一次填报的人数（使用帮教台账的为期末在帮个案数）相加",
                "the minors are a stock: each station's latest figure at the period's end (with \
                 registers, its open cases), added up",
            ),
            Figure::ReoffenceRate => Text::new(
                "本期重新涉案人数 ÷ 结对帮扶人数",
                "re-offences in the period ÷ minors mentored",
            ),
        }
    }

    /// What issue 15 changed in the definition, where it changed; `None` where the
    /// definition stands as it was.
    pub fn changed(self) -> Option<Text> {
        match self {
            Figure::UniqueStudents => Some(Text::new(
                "本次修订：所在学年没有在册数时，改用最近的更早（再无则更晚）学年的在册数封顶，此前不封顶；\
                 学校改为计入其所属派出所和辖区，分母只含本期在办的学校。",
                "Changed in issue 15: when the period's school year has no roll, the nearest \
                 earlier (else later) year's roll caps the count, where before nothing did; \
                 schools count in their own station and district, and only schools active in \
                 the period.",
            )),
            Figure::SchoolsCovered => Some(Text::new(
                "本次修订：分子分母都按学校所属派出所计，只数范围内的学校；分母为本期在办的学校（有记录的学校只关闭不删除），覆盖学校不再超过学校总数。",
                "Changed in issue 15: both parts count schools by their own station, only \
                 those in scope; the denominator is the schools active in the period (a school \
                 with history is closed, not deleted), so covered can no longer exceed the \
                 total.",
            )),
            Figure::StationsTrained => Some(Text::new(
                "本次修订：改为截至期末的存量，此前只数培训班在本期内举办的派出所；分母为本期在办的派出所。",
                "Changed in issue 15: a stock up to the period's end, where before only courses \
                 held within the period counted; the denominator is the stations active in the \
                 period.",
            )),
            Figure::MinorsMentored => Some(Text::new(
                "本次修订：改为每个派出所各取最近值再相加，此前取全部派出所最近一个月的合计，漏掉在其他月份填报的派出所。",
                "Changed in issue 15: each station's latest value, summed, where before it was \
                 the total of the latest month, which left out stations that reported in \
                 other months.",
            )),
            Figure::ReoffenceRate => Some(Text::new(
                "本次修订：改由服务器用真实数字计算并整体显示或隐藏，此前页面把隐藏的月份当作 0（如雕庄显示 0.0%，实为 20%）。",
                "Changed in issue 15: computed on the server from true counts and shown or \
                 hidden as a whole, where before the page counted hidden months as 0 (雕庄 \
                 showed 0.0% where the truth was 20%).",
            )),
            Figure::Sessions
            | Figure::Audience
            | Figure::Students
            | Figure::Parents
            | Figure::Teachers
            | Figure::Others
            | Figure::FilmReach
            | Figure::SpeakersTrained => None,
        }
    }
}

/// A rate the server computed (0–1) as the page and the report show it: a percentage with
/// one decimal, or "—" where there is none (a count hidden from this viewer, or nothing to
/// divide by) — never a rate made up from the parts a viewer may see.
pub fn rate_shown(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_string(), |r| format!("{:.1}%", r * 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_reads_as_a_percentage_with_one_decimal_or_a_dash() {
        let cases = [
            (Some(0.2), "20.0%"),
            (Some(33.0 / 1038.0), "3.2%"),
            (Some(0.0), "0.0%"),
            (None, "—"),
        ];
        for (rate, shown) in cases {
            assert_eq!(rate_shown(rate), shown, "{rate:?}");
        }
    }

    /// Every text a leader may read: both languages written, and the English is not the
    /// Chinese copied.
    #[test]
    fn every_figure_is_defined_in_both_languages() {
        for figure in Figure::ALL {
            let texts = [
                Some(figure.label()),
                Some(figure.definition()),
                Some(figure.counted()),
                figure.changed(),
            ];
            for text in texts.into_iter().flatten() {
                assert!(!text.zh.trim().is_empty(), "{figure:?}: Chinese");
                assert!(!text.en.trim().is_empty(), "{figure:?}: English");
                assert_ne!(text.zh, text.en, "{figure:?}");
                assert!(
                    text.zh
                        .chars()
                        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{figure:?}: the Chinese is Chinese"
                );
            }
        }
    }

    /// The definitions say what DOMAIN.md decided, in the words a reader looks for.
    #[test]
    fn the_definitions_state_the_decided_rules() {
        let cases: [(Figure, &str, &str); 8] = [
            (Figure::Audience, "人次", "person-times"),
            (Figure::UniqueStudents, "无在册数", "nearest earlier"),
            (Figure::SchoolsCovered, "所属派出所", "own station"),
            (Figure::FilmReach, "至少", "at least"),
            (Figure::StationsTrained, "存量", "stock"),
            (Figure::SpeakersTrained, "流量", "flow"),
            (Figure::MinorsMentored, "最近", "latest value"),
            (Figure::ReoffenceRate, "真实数字", "true counts"),
        ];
        for (figure, zh, en) in cases {
            let d = figure.definition();
            assert!(d.zh.contains(zh), "{figure:?}: {}", d.zh);
            assert!(d.en.contains(en), "{figure:?}: {}", d.en);
        }
    }

    /// The figures whose definition issue 15 changed say so; the others do not.
    #[test]
    fn the_changed_definitions_are_the_ones_issue_15_changed() {
        let changed: Vec<Figure> = Figure::ALL
            .into_iter()
            .filter(|f| f.changed().is_some())
            .collect();
        assert_eq!(
            changed,
            [
                Figure::UniqueStudents,
                Figure::SchoolsCovered,
                Figure::StationsTrained,
                Figure::MinorsMentored,
                Figure::ReoffenceRate,
            ]
        );
    }
}
