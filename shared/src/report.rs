//! The annual work report (年度工作报告): the year's figures for one scope, and how they
//! read — sentences in the manner of the bureau's own 2024 report, a table of figures and
//! the charts that go with them — in Chinese or English.
//!
//! Everything here is text and numbers; the server fills [`YearFigures`] from the aggregates
//! and lays the page out (escaping every text it puts in it). A year in which nothing was
//! recorded says so in one sentence instead of printing zeros as if they were results.

use chrono::{Datelike, NaiveDate};

use crate::aggregate::{rate, AudienceSummary, ScreeningReach, TrainingCoverage};
use crate::charts::thousands;
use crate::definitions::Figure;
use crate::outcome::{display, Indicator};
use crate::{Lang, Text};

/// The whole database (one city's, or a province's), as the subject of a sentence.
const CITY: Text = Text::new("全市", "the city");

/// How the outcome flows (calls, visits, teams, minors cared for) are counted.
const FLOWS_COUNTED: Text = Text::new(
    "各派出所本期每月填报数相加",
    "the stations' monthly reports for the period added up",
);

/// The issuing unit (发文单位) of a report, from the names of the places above and at its
/// scope, highest first: `["常州市公安局", "天宁分局"]` → 常州市公安局天宁分局. A name that
/// already starts with the ones above it (a district entered as 常州市公安局天宁分局) is
/// taken as it is, so the bureau is never named twice.
pub fn issuing_unit(names: &[&str]) -> String {
    let mut unit = String::new();
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        if name.starts_with(unit.as_str()) {
            unit = name.to_string();
        } else {
            unit.push_str(name);
        }
    }
    unit
}

/// A date as an official document writes it (成文日期): 2026年12月3日, 3 December 2026.
pub fn date_line(date: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月{}日", date.year(), date.month(), date.day()),
        Lang::En => date.format("%-d %B %Y").to_string(),
    }
}

/// A period as a caption states it: 2025年1月1日至2025年12月31日.
fn period_line((from, to): (NaiveDate, NaiveDate), lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}至{}", date_line(from, lang), date_line(to, lang)),
        Lang::En => format!("{} to {}", date_line(from, lang), date_line(to, lang)),
    }
}

/// Whose figures a report holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportScope {
    /// Everything the database holds.
    All,
    /// One city bureau of a province, by name.
    City(String),
    /// A district branch, by name.
    District(String),
    /// A police station, by name.
    Station(String),
}

impl ReportScope {
    /// The scope as the subject of a sentence: 全市, 天宁分局, 雕庄派出所.
    pub fn name(&self, lang: Lang) -> &str {
        match self {
            ReportScope::All => CITY.get(lang),
            ReportScope::City(name) | ReportScope::District(name) | ReportScope::Station(name) => {
                name
            }
        }
    }

    /// The line under the title that says whose figures these are.
    pub fn note(&self, lang: Lang) -> String {
        match (self, lang) {
            (ReportScope::All, Lang::Zh) => "范围：全市".into(),
            (ReportScope::All, Lang::En) => "Scope: the whole city".into(),
            (ReportScope::City(name), Lang::Zh) => {
                format!("范围：{name}（本报告仅含本市局的数据）")
            }
            (ReportScope::City(name), Lang::En) => {
                format!("Scope: {name} only (this city's figures)")
            }
            (ReportScope::District(name), Lang::Zh) => {
                format!("范围：{name}（本报告仅含本分局的数据）")
            }
            (ReportScope::District(name), Lang::En) => {
                format!("Scope: {name} only (this district's figures)")
            }
            (ReportScope::Station(name), Lang::Zh) => {
                format!("范围：{name}（本报告仅含本所的数据）")
            }
            (ReportScope::Station(name), Lang::En) => {
                format!("Scope: {name} only (this station's figures)")
            }
        }
    }
}

/// The outcome indicators a report states, each the year's total over the scope's stations.
/// `None` is a figure the reader may not see (see [`crate::suppression`]). Also the answer of
/// `GET /api/v1/aggregates/outcome-totals`, so that the dashboard states what the report does.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutcomeTotals {
    /// The stock at the period's end: the latest figure reported (or, before this year's
    /// report, the year before's); `null` when hidden.
    pub minors_mentored: Option<i64>,
    /// The flows of the period, each `null` when hidden.
    pub reoffences: Option<i64>,
    pub runaway_calls: Option<i64>,
    pub follow_ups: Option<i64>,
    pub volunteer_teams: Option<i64>,
    pub night_wandering_cared: Option<i64>,
    pub returned_to_school: Option<i64>,
    /// Whether these figures were typed, counted from the registers, or each station-month
    /// one or the other (see [`crate::derived`]).
    #[serde(default)]
    pub source: crate::derived::Source,
}

impl OutcomeTotals {
    /// The year's figures from `(indicator, value)` points in month order (e.g. an outcome
    /// series): flows are added up; minors mentored is a stock that stations report now and
    /// then (each December), so it is the latest value, not a sum — points may start with
    /// the stock reported before the period, so that a year without its report yet still
    /// has its minors in mentoring. A total with a hidden part (`None`) is unknown too:
    /// counting the part as nought would print a figure that is not true.
    pub fn sum(points: impl IntoIterator<Item = (Indicator, Option<i64>)>) -> OutcomeTotals {
        let mut totals = [Some(0i64); 7];
        let mut stock: Option<Option<i64>> = None;
        for (indicator, value) in points {
            let slot = match indicator {
                Indicator::MinorsMentored => {
                    stock = Some(value);
                    continue;
                }
                Indicator::Reoffences => 1,
                Indicator::RunawayCalls => 2,
                Indicator::FollowUps => 3,
                Indicator::VolunteerTeams => 4,
                Indicator::NightWanderingCared => 5,
                Indicator::ReturnedToSchool => 6,
                _ => continue,
            };
            totals[slot] = totals[slot].zip(value).map(|(a, b)| a + b);
        }
        OutcomeTotals {
            minors_mentored: stock.unwrap_or(Some(0)),
            reoffences: totals[1],
            runaway_calls: totals[2],
            follow_ups: totals[3],
            volunteer_teams: totals[4],
            night_wandering_cared: totals[5],
            returned_to_school: totals[6],
            source: Default::default(),
        }
    }

    /// Hides one indicator's figure (the others this report states are left as they are).
    pub fn hide(&mut self, indicator: Indicator) {
        let slot = match indicator {
            Indicator::MinorsMentored => &mut self.minors_mentored,
            Indicator::Reoffences => &mut self.reoffences,
            Indicator::RunawayCalls => &mut self.runaway_calls,
            Indicator::FollowUps => &mut self.follow_ups,
            Indicator::VolunteerTeams => &mut self.volunteer_teams,
            Indicator::NightWanderingCared => &mut self.night_wandering_cared,
            Indicator::ReturnedToSchool => &mut self.returned_to_school,
            _ => return,
        };
        *slot = None;
    }

    /// The indicators a report states.
    pub const STATED: [Indicator; 7] = [
        Indicator::MinorsMentored,
        Indicator::Reoffences,
        Indicator::RunawayCalls,
        Indicator::FollowUps,
        Indicator::VolunteerTeams,
        Indicator::NightWanderingCared,
        Indicator::ReturnedToSchool,
    ];

    fn all(&self) -> [Option<i64>; 7] {
        [
            self.minors_mentored,
            self.reoffences,
            self.runaway_calls,
            self.follow_ups,
            self.volunteer_teams,
            self.night_wandering_cared,
            self.returned_to_school,
        ]
    }

    /// Share of mentored minors who offended again, when both counts are known.
    pub fn reoffence_rate(&self) -> Option<String> {
        percent(self.reoffences?, self.minors_mentored?)
    }
}

/// Re-offences ÷ minors mentored, 0–1, from true counts; `None` with no one in mentoring.
/// (Whether a viewer may see it is decided on both counts, as a whole.)
pub fn reoffence_share(reoffences: i64, minors_mentored: i64) -> Option<f64> {
    (minors_mentored > 0).then(|| reoffences as f64 / minors_mentored as f64)
}

/// Everything a year's report states, for one scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearFigures {
    pub year: i32,
    /// The campaign's name, e.g. 2024年“警心护苗”集中宣防行动.
    pub campaign: String,
    pub scope: ReportScope,
    /// The first and last days the figures cover (the campaign's, within the year).
    pub period: (NaiveDate, NaiveDate),
    /// Police stations in the scope, and those with a care workstation (关爱工作站).
    pub stations: i64,
    pub workstations: i64,
    pub training: TrainingCoverage,
    pub audience: AudienceSummary,
    pub screening: ScreeningReach,
    pub outcomes: OutcomeTotals,
    /// The year's monthly returns (one per station and month, up to the current month):
    /// expected, on time, late, missing, accepted.
    pub returns: crate::returns::CompletenessCounts,
}

/// `1038` → `1,038`.
pub fn count(n: i64) -> String {
    thousands(n)
}

/// A count that may be hidden: the number, or [`crate::outcome::HIDDEN`].
pub fn maybe(n: Option<i64>) -> String {
    match n {
        Some(n) => count(n),
        None => display(None),
    }
}

/// `part` of `whole` as a percentage with one decimal (`33, 1038` → `3.2%`); `None` when
/// there is no whole to take a share of.
pub fn percent(part: i64, whole: i64) -> Option<String> {
    (whole > 0).then(|| format!("{:.1}%", rate(part, whole) * 100.0))
}

/// The report's title.
pub fn title(year: i32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{year} 年“警心护苗”工作报告"),
        Lang::En => format!("Work report {year}: the 警心护苗 campaign"),
    }
}

/// What a report says for a year without a campaign.
pub fn no_campaign(year: i32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{year} 年没有“警心护苗”行动，因此没有可以报告的数字。"),
        Lang::En => {
            format!("There was no 警心护苗 campaign in {year}, so there are no figures to report.")
        }
    }
}

/// One row of the figures table: what, and how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    pub label: &'static str,
    pub value: String,
    /// A part of the row above (shown indented), e.g. students within the audience.
    pub part: bool,
}

/// A chart the report shows, drawn by `GET /api/v1/charts/{slug}.svg`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportChart {
    pub slug: &'static str,
    /// What the chart's own title does not say: what is counted and how, the period and
    /// where the figures come from.
    pub caption: String,
    /// Said in place of the picture (screen readers, a failed load).
    pub alt: &'static str,
}

impl YearFigures {
    /// Was nothing at all recorded for the year in this scope? (The stations and their
    /// workstations are the organisation, not the year's work.)
    pub fn is_empty(&self) -> bool {
        self.audience.sessions == 0
            && self.screening.schools_confirmed == 0
            && self.training.speakers == 0
            // Minors mentored is a stock carried from earlier reports (DOMAIN.md): the
            // year's own records are the flows.
            && self.outcomes.all()[1..].iter().all(|v| *v == Some(0))
    }

    /// The sentence in place of the report when [`is_empty`](Self::is_empty).
    pub fn empty_sentence(&self, lang: Lang) -> String {
        let (year, scope) = (self.year, self.scope.name(lang));
        match lang {
            Lang::Zh => format!(
                "{year} 年{scope}尚无宣讲、观看、培训或帮扶记录，因此本报告暂无可报告的数字。"
            ),
            Lang::En => format!(
                "Nothing was recorded for {scope} in {year} — no sessions, screenings, training \
                 or mentoring — so there are no figures to report yet."
            ),
        }
    }

    /// The year's work as sentences, one paragraph each; a part of the work with nothing
    /// recorded is left out rather than stated as zero.
    pub fn sentences(&self, lang: Lang) -> Vec<String> {
        let mut out = Vec::new();
        let scope = self.scope.name(lang);
        let (t, a, s, o) = (
            &self.training,
            &self.audience,
            &self.screening,
            &self.outcomes,
        );
        let zh = lang == Lang::Zh;

        out.push(match (&self.scope, zh) {
            (ReportScope::Station(_), true) if self.workstations > 0 => {
                format!("{scope}已建立关心下一代关爱工作站。")
            }
            (ReportScope::Station(_), true) => format!("{scope}尚未建立关爱工作站。"),
            (ReportScope::Station(_), false) if self.workstations > 0 => {
                format!("{scope} has a care workstation (关爱工作站) for young people.")
            }
            (ReportScope::Station(_), false) => {
                format!("{scope} has no care workstation (关爱工作站) yet.")
            }
            // "87 个派出所中，87 个" says one number twice: all of them is said once.
            (_, true) if self.workstations == self.stations => format!(
                "{scope} {} 个派出所均已建立关心下一代关爱工作站。",
                count(self.stations)
            ),
            (_, true) => format!(
                "{scope} {} 个派出所中，{} 个建立了关心下一代关爱工作站。",
                count(self.stations),
                count(self.workstations)
            ),
            (_, false) if self.workstations == self.stations => format!(
                "All {} police stations in {scope} have a care workstation (关爱工作站) for \
                 young people.",
                count(self.stations)
            ),
            (_, false) => format!(
                "{} of the {} police stations in {scope} have a care workstation (关爱工作站) \
                 for young people.",
                count(self.workstations),
                count(self.stations)
            ),
        });

        if t.speakers > 0 {
            // Speakers trained are the period's (a flow); stations with a trained speaker
            // are those by its end (a stock): two figures, each said how it is counted.
            let all = t.trained == t.stations;
            out.push(match (zh, all) {
                (true, true) => format!(
                    "全年培训宣讲员 {} 名（{}）；截至期末，全部 {} 个派出所均有经过培训的宣讲员。",
                    count(t.speakers),
                    Figure::SpeakersTrained.counted().zh,
                    count(t.stations)
                ),
                (true, false) => format!(
                    "全年培训宣讲员 {} 名（{}）；截至期末，{} 个派出所中有 {} 个有经过培训的宣讲员。",
                    count(t.speakers),
                    Figure::SpeakersTrained.counted().zh,
                    count(t.stations),
                    count(t.trained)
                ),
                (false, true) => format!(
                    "{} speakers were trained ({}); by the period's end all {} stations had a \
                     trained speaker.",
                    count(t.speakers),
                    Figure::SpeakersTrained.counted().en,
                    count(t.stations)
                ),
                (false, false) => format!(
                    "{} speakers were trained ({}); by the period's end {} of the {} stations \
                     had a trained speaker.",
                    count(t.speakers),
                    Figure::SpeakersTrained.counted().en,
                    count(t.trained),
                    count(t.stations)
                ),
            });
        }

        if a.sessions > 0 {
            out.push(if zh {
                format!(
                    "全年共开展宣讲活动 {} 场，受众 {} 人次，其中学生 {} 人次、家长 {} 人次、\
                     教师 {} 人次、其他 {} 人次（{}）；宣讲覆盖 {} 所学校的 {} 名学生（{}）。",
                    count(a.sessions),
                    count(a.audience()),
                    count(a.students),
                    count(a.parents),
                    count(a.teachers),
                    count(a.others),
                    Figure::Audience.counted().zh,
                    count(a.schools_reached),
                    count(a.unique_students),
                    Figure::UniqueStudents.counted().zh,
                )
            } else {
                format!(
                    "{} sessions were held, reaching {} person-times: {} students, {} parents, \
                     {} teachers and {} others ({}). They reached {} individual students at {} \
                     schools ({}).",
                    count(a.sessions),
                    count(a.audience()),
                    count(a.students),
                    count(a.parents),
                    count(a.teachers),
                    count(a.others),
                    Figure::Audience.counted().en,
                    count(a.unique_students),
                    count(a.schools_reached),
                    Figure::UniqueStudents.counted().en,
                )
            });
        }

        if s.schools_confirmed > 0 {
            let share = percent(s.schools_confirmed, s.schools_expected).unwrap_or_default();
            let shown = match (zh, s.schools_confirmed == s.schools_expected) {
                (true, true) => format!(
                    "宣教片已在应收看的全部 {} 所学校播放",
                    count(s.schools_confirmed)
                ),
                (true, false) => format!(
                    "宣教片已在 {} 所学校播放（应收看 {} 所，{share}）",
                    count(s.schools_confirmed),
                    count(s.schools_expected)
                ),
                (false, true) => format!(
                    "The campaign's films were shown at all {} schools asked",
                    count(s.schools_confirmed)
                ),
                (false, false) => format!(
                    "The campaign's films were shown at {} of the {} schools asked ({share})",
                    count(s.schools_confirmed),
                    count(s.schools_expected)
                ),
            };
            out.push(if zh {
                format!(
                    "{shown}，至少 {} 名学生和 {} 名家长收看（{}）。",
                    count(s.students),
                    count(s.parents),
                    Figure::FilmReach.counted().zh
                )
            } else {
                format!(
                    "{shown} and watched by at least {} students and {} parents ({}).",
                    count(s.students),
                    count(s.parents),
                    Figure::FilmReach.counted().en
                )
            });
        }

        if o.minors_mentored != Some(0) {
            let share = o.reoffence_rate();
            out.push(match (zh, share) {
                (true, Some(share)) => format!(
                    "结对帮扶重点未成年人 {} 名，其中有重新涉案记录的 {} 人，占比 {share}（{}；\
                     重新涉案为本期人数）。",
                    maybe(o.minors_mentored),
                    maybe(o.reoffences),
                    Figure::MinorsMentored.counted().zh
                ),
                (true, None) => format!(
                    "结对帮扶重点未成年人 {} 名，其中有重新涉案记录的 {} 人。（{}；重新涉案为本期人数）",
                    maybe(o.minors_mentored),
                    maybe(o.reoffences),
                    Figure::MinorsMentored.counted().zh
                ),
                (false, Some(share)) => format!(
                    "{} key minors were mentored; {} of them offended again ({share}). ({}; \
                     re-offences are the period's.)",
                    maybe(o.minors_mentored),
                    maybe(o.reoffences),
                    Figure::MinorsMentored.counted().en
                ),
                (false, None) => format!(
                    "{} key minors were mentored; {} of them offended again. ({}; re-offences \
                     are the period's.)",
                    maybe(o.minors_mentored),
                    maybe(o.reoffences),
                    Figure::MinorsMentored.counted().en
                ),
            });
        }

        if [o.runaway_calls, o.follow_ups, o.volunteer_teams]
            .iter()
            .any(|v| *v != Some(0))
        {
            out.push(if zh {
                format!(
                    "对涉及青少年出走失联的 {} 次警情开展回访 {} 次，为 {} 名需要社会关爱的青少年\
                     建立了志愿者帮扶团队（{}）。",
                    maybe(o.runaway_calls),
                    maybe(o.follow_ups),
                    maybe(o.volunteer_teams),
                    FLOWS_COUNTED.zh
                )
            } else {
                format!(
                    "{} emergency calls about runaway or missing youths were followed up with {} \
                     visits, and {} young people who needed care were given a team of volunteers \
                     ({}).",
                    maybe(o.runaway_calls),
                    maybe(o.follow_ups),
                    maybe(o.volunteer_teams),
                    FLOWS_COUNTED.en
                )
            });
        }

        let night = o.night_wandering_cared != Some(0);
        let school = o.returned_to_school != Some(0);
        if night || school {
            let mut text = String::new();
            if night {
                text.push_str(&if zh {
                    format!(
                        "对夜间游荡的 {} 名未成年人给予关爱。",
                        maybe(o.night_wandering_cared)
                    )
                } else {
                    format!(
                        "{} minors found wandering at night were cared for.",
                        maybe(o.night_wandering_cared)
                    )
                });
            }
            if school {
                if !text.is_empty() && !zh {
                    text.push(' ');
                }
                text.push_str(&if zh {
                    format!("帮助 {} 名青少年复学。", maybe(o.returned_to_school))
                } else {
                    format!(
                        "{} young people went back to school.",
                        maybe(o.returned_to_school)
                    )
                });
            }
            text.push_str(&if zh {
                format!("（人数为{}）", FLOWS_COUNTED.zh)
            } else {
                format!(" (People; {}.)", FLOWS_COUNTED.en)
            });
            out.push(text);
        }
        // Where the outcome figures came from, once registers count them (typed totals
        // were all there was before, and say nothing new).
        if o.source != crate::derived::Source::Typed && o.minors_mentored != Some(0) {
            out.push(o.source.note().get(lang).to_string());
        }
        if let Some(text) = self.returns_sentence(lang) {
            out.push(text);
        }
        out
    }

    /// How completely the year was reported: the monthly returns due, on time, late,
    /// missing and accepted by the city; nothing when no return was due.
    fn returns_sentence(&self, lang: Lang) -> Option<String> {
        let r = &self.returns;
        if r.expected == 0 {
            return None;
        }
        let scope = self.scope.name(lang);
        let share = percent(r.accepted, r.expected).unwrap_or_default();
        Some(match lang {
            Lang::Zh => format!(
                "{scope}本年度应报月报 {} 份（每所每月一份，计至本月），按时报送 {} 份，\
                 逾期报送 {} 份，未报 {} 份；经市局审核确认 {} 份，占 {share}。",
                count(r.expected),
                count(r.on_time),
                count(r.late),
                count(r.missing),
                count(r.accepted),
            ),
            Lang::En => format!(
                "Monthly returns for {scope}: {} were due this year (one per station and month, \
                 up to this month); {} came on time, {} late and {} not at all; the city \
                 accepted {} ({share}).",
                count(r.expected),
                count(r.on_time),
                count(r.late),
                count(r.missing),
                count(r.accepted),
            ),
        })
    }

    /// Every figure of the report, in the order of the sentences.
    pub fn table(&self, lang: Lang) -> Vec<TableRow> {
        let (t, a, s, o) = (
            &self.training,
            &self.audience,
            &self.screening,
            &self.outcomes,
        );
        let row = |label: Text, value: String| TableRow {
            label: label.get(lang),
            value,
            part: false,
        };
        let part = |label: Text, value: String| TableRow {
            part: true,
            ..row(label, value)
        };
        let of = |n: i64, whole: i64| match percent(n, whole) {
            Some(p) => format!("{} / {} ({p})", count(n), count(whole)),
            None => count(n),
        };
        let mut rows = vec![
            row(
                Text::new("派出所（个）", "Police stations"),
                count(self.stations),
            ),
            part(
                Text::new("建有关爱工作站（个）", "with a care workstation"),
                count(self.workstations),
            ),
            row(
                Text::new(
                    "有经过培训宣讲员的派出所（个，期末存量）",
                    "Stations with a trained speaker (at the period's end)",
                ),
                of(t.trained, t.stations),
            ),
            row(
                Text::new(
                    "本期培训宣讲员（人）",
                    "Speakers trained in the period (people)",
                ),
                count(t.speakers),
            ),
            row(Text::new("宣讲活动（场）", "Sessions"), count(a.sessions)),
            row(
                Text::new(
                    "受众（人次，每场相加）",
                    "Audience (person-times, added per session)",
                ),
                count(a.audience()),
            ),
            part(
                Text::new("学生（人次）", "students (person-times)"),
                count(a.students),
            ),
            part(
                Text::new("家长（人次）", "parents (person-times)"),
                count(a.parents),
            ),
            part(
                Text::new("教师（人次）", "teachers (person-times)"),
                count(a.teachers),
            ),
            part(
                Text::new("其他（人次）", "others (person-times)"),
                count(a.others),
            ),
            row(
                Text::new("宣讲覆盖学校（所）", "Schools reached by sessions"),
                count(a.schools_reached),
            ),
            row(
                Text::new(
                    "宣讲覆盖学生（人，每人计一次）",
                    "Students reached (people, each once)",
                ),
                count(a.unique_students),
            ),
            row(
                Text::new("播放宣教片的学校（所）", "Schools that showed the films"),
                of(s.schools_confirmed, s.schools_expected),
            ),
            part(
                Text::new(
                    "收看学生（人，至少）",
                    "students who watched (people, at least)",
                ),
                count(s.students),
            ),
            part(
                Text::new(
                    "收看家长（人，至少）",
                    "parents who watched (people, at least)",
                ),
                count(s.parents),
            ),
            row(
                Text::new(
                    "结对帮扶重点未成年人（人，期末存量）",
                    "Key minors mentored (people, at the period's end)",
                ),
                maybe(o.minors_mentored),
            ),
            part(
                Text::new("重新涉案（人）", "offended again (people)"),
                match o.reoffence_rate() {
                    Some(share) => format!("{} ({share})", maybe(o.reoffences)),
                    None => maybe(o.reoffences),
                },
            ),
            row(
                Text::new("出走失联警情（次）", "Runaway and missing-youth calls"),
                maybe(o.runaway_calls),
            ),
            part(
                Text::new("回访（次）", "follow-up visits"),
                maybe(o.follow_ups),
            ),
            part(
                Text::new(
                    "建立志愿者帮扶团队（人）",
                    "youths given a volunteer team (people)",
                ),
                maybe(o.volunteer_teams),
            ),
            row(
                Text::new(
                    "夜间游荡未成年人关爱（人）",
                    "Night-wandering minors cared for (people)",
                ),
                maybe(o.night_wandering_cared),
            ),
            row(
                Text::new("帮助复学（人）", "Back in school (people)"),
                maybe(o.returned_to_school),
            ),
        ];
        let r = &self.returns;
        if r.expected > 0 {
            rows.push(row(
                Text::new(
                    "月报（份：应报 / 按时 / 逾期 / 未报 / 市局已审核）",
                    "Monthly returns (due / on time / late / missing / accepted)",
                ),
                format!(
                    "{} / {} / {} / {} / {}",
                    count(r.expected),
                    count(r.on_time),
                    count(r.late),
                    count(r.missing),
                    count(r.accepted)
                ),
            ));
        }
        rows
    }

    /// The charts for the scope: per district only for the whole city, per station not for
    /// one station; mentoring and night wandering only when there is something to draw.
    /// Each caption says what its title does not: how the figures are counted, the period
    /// and the records they come from.
    pub fn charts(&self, lang: Lang) -> Vec<ReportChart> {
        let city = matches!(self.scope, ReportScope::All | ReportScope::City(_));
        let station = matches!(self.scope, ReportScope::Station(_));
        let o = &self.outcomes;
        let period = period_line(self.period, lang);
        let chart = |slug, what: Text, source: Text, alt: Text| ReportChart {
            slug,
            caption: match lang {
                Lang::Zh => format!("{}。统计期间：{period}。来源：{}。", what.zh, source.zh),
                Lang::En => format!("{}. Period: {period}. Source: {}.", what.en, source.en),
            },
            alt: alt.get(lang),
        };
        let sessions = Text::new("护苗系统宣讲记录", "the sessions recorded in Humiao");
        let outcomes = match o.source {
            crate::derived::Source::Typed => Text::new(
                "各派出所每月填报的帮扶数据",
                "the stations' monthly outcome reports",
            ),
            crate::derived::Source::Derived => Text::new(
                "各派出所帮教台账（案件、走访、事件、警情）",
                "the stations' mentoring registers (cases, contacts, events, calls)",
            ),
            crate::derived::Source::Mixed => Text::new(
                "各派出所帮教台账及每月填报的帮扶数据（同一派出所同一月份只取其一）",
                "the stations' mentoring registers and monthly outcome reports (a station's \
                 month is one or the other)",
            ),
        };
        let mut out = Vec::new();
        if self.audience.sessions > 0 {
            out.push(chart(
                "reach-over-time",
                Text::new(
                    "柱为每月学生、家长、教师和其他受众的人次（每场听众人数相加，同一人听几场计几次），线为累计人次",
                    "Bars: person-times per month by audience group (audiences added per \
                     session, so one person at three talks counts three times); line: the \
                     running total",
                ),
                sessions,
                Text::new(
                    "图：各月受众人次（学生、家长、教师、其他）及累计人次；数字见数据表。",
                    "Chart: person-times per month by audience group, with the running total; \
                 the figures are in the table.",
                ),
            ));
            if city {
                out.push(chart(
                    "sessions-by-district",
                    Text::new(
                        "场次与人次计入举办宣讲的派出所所在分局（工作量口径），不论学校属于哪个分局",
                        "Sessions and person-times count at the district of the station that \
                         gave them (a work figure), whichever district the school is in",
                    ),
                    sessions,
                    Text::new(
                        "图：各分局的宣讲场次（折线）与受众人次（柱）。",
                        "Chart: sessions (line) and person-times (bars) per district.",
                    ),
                ));
            }
            if !station {
                out.push(chart(
                    "sessions-by-station",
                    Text::new(
                        "只列工作量最多的派出所；场次与人次计入举办宣讲的派出所",
                        "Only the busiest stations; sessions and person-times count at the \
                         station that gave them",
                    ),
                    sessions,
                    Text::new(
                        "图：宣讲场次与受众人次最多的派出所。",
                        "Chart: the stations with the most sessions and person-times.",
                    ),
                ));
            }
            out.push(chart(
                "topic-mix",
                Text::new(
                    "每个宣防主题的场次与受众人次（人次为每场听众人数相加）",
                    "Sessions and person-times per topic (audiences added per session)",
                ),
                sessions,
                Text::new(
                    "图：各宣防主题的宣讲场次与受众人次。",
                    "Chart: sessions and person-times per topic.",
                ),
            ));
            if !station {
                out.push(chart(
                    "unique-reach",
                    Text::new(
                        "按人计的学生（每校取学生人次与在册学生数中较小者）与学生人次之差，即重复听讲的部分；按学校所属分局计",
                        "Students counted as people (per school, no more than its roll) against \
                         student person-times: the gap is repeat attendance; by the school's \
                         own district",
                    ),
                    Text::new(
                        "护苗系统宣讲记录与学校在册学生数",
                        "the sessions recorded in Humiao and the schools' rolls",
                    ),
                    Text::new(
                        "图：各分局按人计覆盖的学生数与学生人次的对比。",
                        "Chart: individual students reached against student person-times, per district.",
                    ),
                ));
            }
        }
        if self.screening.schools_expected > 0 {
            out.push(chart(
                "screening-coverage",
                Text::new(
                    "每格为已确认放映的学校数 / 应放映的学校数，按学校所属分局；颜色越深，完成比例越高",
                    "Each cell: schools that confirmed a screening / schools asked, by the \
                     school's own district; the darker, the larger the share",
                ),
                Text::new(
                    "各学校在护苗系统中的观看确认",
                    "the schools' screening confirmations in Humiao",
                ),
                Text::new(
                    "图：每部宣教片已确认收看的学校占应收看学校的比例，按分局。",
                    "Chart: per film, the schools that confirmed a screening of those asked, by district.",
                ),
            ));
        }
        if !station && self.training.stations > 0 {
            out.push(chart(
                "training-coverage",
                Text::new(
                    "截至期末至少有一名民警完成宣讲员培训的派出所占本期在办派出所的比例（存量）",
                    "Stations with at least one officer trained by the period's end, of the \
                     stations active in the period (a stock)",
                ),
                Text::new("护苗系统培训记录", "the training records in Humiao"),
                Text::new(
                    "图：各分局有经过培训的宣讲员的派出所占全部派出所的比例。",
                    "Chart: stations with a trained speaker of all stations, by district.",
                ),
            ));
        }
        if o.minors_mentored != Some(0) {
            out.push(chart(
                "reoffence-rate",
                Text::new(
                    "每月重新涉案人数 ÷ 结对帮扶人数（帮扶人数为各派出所最近一次填报的存量之和）",
                    "Re-offences each month ÷ minors mentored (each station's latest reported \
                     stock, added up)",
                ),
                outcomes,
                Text::new(
                    "图：各月结对帮扶未成年人的重新涉案率。",
                    "Chart: the re-offence rate of mentored minors per month.",
                ),
            ));
        }
        if o.night_wandering_cared != Some(0) {
            out.push(chart(
                "night-wandering",
                Text::new(
                    "每月给予关爱的夜间游荡未成年人数（人），各派出所填报数相加",
                    "Minors found wandering at night and cared for each month (people), the \
                     stations' reports added up",
                ),
                outcomes,
                Text::new(
                    "图：各月给予关爱的夜间游荡未成年人数。",
                    "Chart: night-wandering minors cared for per month.",
                ),
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The city's 2024 as the bureau's own report gives it.
    fn report_2024() -> YearFigures {
        YearFigures {
            year: 2024,
            campaign: "2024年“警心护苗”集中宣防行动".into(),
            scope: ReportScope::All,
            period: (
                NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
                NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
            ),
            stations: 87,
            workstations: 87,
            training: TrainingCoverage {
                stations: 87,
                trained: 87,
                speakers: 94,
                by_district: Vec::new(),
            },
            audience: AudienceSummary {
                sessions: 412,
                students: 52_310,
                parents: 8_120,
                teachers: 1_904,
                others: 655,
                unique_students: 40_002,
                schools_reached: 301,
            },
            screening: ScreeningReach {
                schools_expected: 855,
                schools_confirmed: 855,
                students: 1_012_345,
                parents: 290_001,
            },
            outcomes: OutcomeTotals {
                minors_mentored: Some(1038),
                reoffences: Some(33),
                runaway_calls: Some(1046),
                follow_ups: Some(1046),
                volunteer_teams: Some(24),
                night_wandering_cared: Some(162),
                returned_to_school: Some(10),
                source: Default::default(),
            },
            returns: Default::default(),
        }
    }

    #[test]
    fn the_years_returns_are_stated_when_any_were_due() {
        let mut year = report_2024();
        let none = year.sentences(Lang::Zh).len();
        assert!(!year
            .table(Lang::Zh)
            .iter()
            .any(|r| r.label.starts_with("月报")));
        year.returns = crate::returns::CompletenessCounts {
            expected: 1044,
            on_time: 1000,
            late: 30,
            missing: 14,
            returned: 0,
            approved: 1030,
            accepted: 1020,
        };
        let said = year.sentences(Lang::Zh);
        assert_eq!(said.len(), none + 1);
        assert_eq!(
            said.last().unwrap(),
            "全市本年度应报月报 1,044 份（每所每月一份，计至本月），按时报送 1,000 份，\
             逾期报送 30 份，未报 14 份；经市局审核确认 1,020 份，占 97.7%。"
        );
        let table = year.table(Lang::En);
        let row = table.last().unwrap();
        assert_eq!(
            row.label,
            "Monthly returns (due / on time / late / missing / accepted)"
        );
        assert_eq!(row.value, "1,044 / 1,000 / 30 / 14 / 1,020");
    }

    #[test]
    fn numbers_read_with_thousands_separators_and_shares_with_one_decimal() {
        assert_eq!(count(1038), "1,038");
        assert_eq!(count(1_300_000), "1,300,000");
        assert_eq!(count(94), "94");
        let shares = [
            (33, 1038, Some("3.2%")),
            (87, 87, Some("100.0%")),
            (0, 855, Some("0.0%")),
            (1, 3, Some("33.3%")),
            (5, 0, None),
        ];
        for (part, whole, want) in shares {
            assert_eq!(percent(part, whole).as_deref(), want, "{part} of {whole}");
        }
        assert_eq!(maybe(None), "*");
        assert_eq!(maybe(Some(0)), "0");
    }

    #[test]
    fn the_2024_report_states_the_figures_as_the_bureau_wrote_them() {
        let text = report_2024().sentences(Lang::Zh).join("\n");
        for phrase in [
            "全市 87 个派出所均已建立关心下一代关爱工作站",
            "全年培训宣讲员 94 名（流量：本期内完成培训的民警人数）；截至期末，全部 87 个派出所均有",
            "结对帮扶重点未成年人 1,038 名，其中有重新涉案记录的 33 人，占比 3.2%",
            "1,046 次警情开展回访 1,046 次，为 24 名",
            "对夜间游荡的 162 名未成年人给予关爱",
            "宣教片已在应收看的全部 855 所学校播放，至少 1,012,345 名学生和 290,001 名家长收看",
            "帮助 10 名青少年复学",
        ] {
            assert!(text.contains(phrase), "{phrase:?} missing from:\n{text}");
        }
        // 87 of 87 is said once, not "87 个派出所（共 87 个）".
        assert!(!text.contains("（共 87 个）"), "{text}");
        assert!(!text.contains("87 个派出所中，87 个"), "{text}");
        let english = report_2024().sentences(Lang::En).join("\n");
        assert!(
            english.contains("1,038 key minors were mentored; 33 of them offended again (3.2%)"),
            "{english}"
        );
    }

    #[test]
    fn a_total_with_a_hidden_part_is_hidden_and_gives_no_rate() {
        let points = [
            (Indicator::MinorsMentored, Some(12)),
            (Indicator::Reoffences, None),
            (Indicator::Reoffences, Some(2)),
            (Indicator::NightWanderingCared, Some(0)),
            (Indicator::Visits, Some(40)),
        ];
        let hidden = OutcomeTotals::sum(points);
        assert_eq!(hidden.minors_mentored, Some(12));
        assert_eq!(hidden.reoffences, None, "not 2: a part is hidden");
        assert_eq!(hidden.reoffence_rate(), None);
        assert_eq!(hidden.night_wandering_cared, Some(0));
        let mut open = OutcomeTotals::sum(points.map(|(i, v)| (i, v.or(Some(1)))));
        assert_eq!(open.reoffences, Some(3));
        assert_eq!(open.reoffence_rate().as_deref(), Some("25.0%"));
        open.hide(Indicator::MinorsMentored);
        assert_eq!(open.reoffence_rate(), None, "the rate is hidden as a whole");

        let mut figures = report_2024();
        figures.outcomes = hidden;
        let text = figures.sentences(Lang::Zh).join("\n");
        assert!(
            text.contains("结对帮扶重点未成年人 12 名，其中有重新涉案记录的 * 人。"),
            "{text}"
        );
        let table = figures.table(Lang::En);
        let reoffended = table.iter().find(|r| r.label == "offended again (people)");
        assert_eq!(reoffended.map(|r| r.value.as_str()), Some("*"));
    }

    #[test]
    fn minors_mentored_is_the_latest_stock_reported_and_the_other_figures_add_up() {
        let points = [
            // Reported the December before the year: the stock until this year's report.
            (Indicator::MinorsMentored, Some(1038)),
            (Indicator::Reoffences, Some(2)),
            (Indicator::Reoffences, Some(3)),
            (Indicator::FollowUps, Some(40)),
            (Indicator::FollowUps, Some(60)),
        ];
        let before_december = OutcomeTotals::sum(points);
        assert_eq!(before_december.minors_mentored, Some(1038));
        assert_eq!(before_december.reoffences, Some(5));
        assert_eq!(before_december.follow_ups, Some(100));
        assert_eq!(before_december.reoffence_rate().as_deref(), Some("0.5%"));
        let after = OutcomeTotals::sum(
            points
                .into_iter()
                .chain([(Indicator::MinorsMentored, Some(1012))]),
        );
        assert_eq!(after.minors_mentored, Some(1012), "not 1038 + 1012");
        assert_eq!(OutcomeTotals::sum([]).minors_mentored, Some(0));
    }

    #[test]
    fn a_year_with_nothing_recorded_is_empty_and_says_so() {
        let mut figures = report_2024();
        figures.training = TrainingCoverage {
            stations: 87,
            ..Default::default()
        };
        figures.audience = AudienceSummary::default();
        figures.screening = ScreeningReach {
            schools_expected: 855,
            ..Default::default()
        };
        figures.outcomes = OutcomeTotals::sum([]);
        assert!(figures.is_empty());
        assert!(figures.empty_sentence(Lang::Zh).contains("尚无"));
        // A hidden count is something recorded.
        figures.outcomes.reoffences = None;
        assert!(!figures.is_empty());
        assert!(!report_2024().is_empty());
    }

    #[test]
    fn parts_with_nothing_recorded_are_left_out_of_the_sentences() {
        let mut figures = report_2024();
        figures.outcomes.night_wandering_cared = Some(0);
        figures.outcomes.returned_to_school = Some(0);
        figures.screening.schools_confirmed = 0;
        let text = figures.sentences(Lang::Zh).join("\n");
        assert!(!text.contains("夜间游荡"), "{text}");
        assert!(!text.contains("宣教片"), "{text}");
        let charts: Vec<&str> = figures.charts(Lang::Zh).iter().map(|c| c.slug).collect();
        assert!(!charts.contains(&"night-wandering"), "{charts:?}");
    }

    #[test]
    fn charts_follow_the_scope() {
        let cases = [
            (ReportScope::All, true, true),
            (ReportScope::City("常州市公安局".into()), true, true),
            (ReportScope::District("天宁分局".into()), false, true),
            (ReportScope::Station("雕庄派出所".into()), false, false),
        ];
        for (scope, by_district, by_station) in cases {
            let mut figures = report_2024();
            figures.scope = scope.clone();
            let slugs: Vec<&str> = figures.charts(Lang::En).iter().map(|c| c.slug).collect();
            assert_eq!(
                slugs.contains(&"sessions-by-district"),
                by_district,
                "{scope:?}"
            );
            assert_eq!(
                slugs.contains(&"sessions-by-station"),
                by_station,
                "{scope:?}"
            );
            assert!(slugs.contains(&"reach-over-time"), "{scope:?}");
        }
    }

    #[test]
    fn the_scope_is_named_in_the_note_and_the_sentences() {
        let mut figures = report_2024();
        figures.scope = ReportScope::District("天宁分局".into());
        figures.stations = 12;
        figures.workstations = 12;
        assert_eq!(
            figures.scope.note(Lang::Zh),
            "范围：天宁分局（本报告仅含本分局的数据）"
        );
        assert!(figures.sentences(Lang::Zh)[0].starts_with("天宁分局 12 个派出所均已建立"));
        figures.workstations = 11;
        assert!(figures.sentences(Lang::Zh)[0].starts_with("天宁分局 12 个派出所中，11 个"));
        assert!(figures.scope.note(Lang::En).contains("天宁分局 only"));
    }

    /// Each count says whether it is people or 人次 and how it was counted, so that a
    /// leader cannot read 993,422 film viewers as person-times or the reverse.
    #[test]
    fn every_count_says_its_unit_and_how_it_was_counted() {
        let mut figures = report_2024();
        figures.training.trained = 80;
        figures.screening.schools_confirmed = 800;
        let text = figures.sentences(Lang::Zh).join("\n");
        for phrase in [
            "其他 655 人次（人次：每场听众人数相加，同一人听几场计几次）",
            "301 所学校的 40,002 名学生（按人计：每校取学生人次与在册学生数中较小者，再相加）",
            "宣教片已在 800 所学校播放（应收看 855 所，93.6%），至少 1,012,345 名学生和 290,001 名家长收看\
             （按人计，不是人次：每所学校、每类受众取观看人数最多的一部影片",
            "截至期末，87 个派出所中有 80 个有经过培训的宣讲员",
            "占比 3.2%（帮扶人数为存量：各派出所截至期末最近一次填报的人数（使用帮教台账的为期末在帮个案数）相加；重新涉案为本期人数）",
            "建立了志愿者帮扶团队（各派出所本期每月填报数相加）",
        ] {
            assert!(text.contains(phrase), "{phrase:?} missing from:\n{text}");
        }
        let english = figures.sentences(Lang::En).join("\n");
        for phrase in [
            "655 others (person-times: the audiences of the sessions added up",
            "watched by at least 1,012,345 students and 290,001 parents (people, not person-times",
            "by the period's end 80 of the 87 stations had a trained speaker",
        ] {
            assert!(
                english.contains(phrase),
                "{phrase:?} missing from:\n{english}"
            );
        }
        let table = figures.table(Lang::Zh);
        let label_of = |value: &str| {
            table
                .iter()
                .find(|r| r.value == value)
                .map(|r| r.label)
                .unwrap_or_default()
        };
        assert_eq!(label_of("1,012,345"), "收看学生（人，至少）");
        assert_eq!(label_of("52,310"), "学生（人次）");
        assert_eq!(label_of("40,002"), "宣讲覆盖学生（人，每人计一次）");
    }

    #[test]
    fn chart_captions_say_what_is_counted_the_period_and_the_source_not_the_title() {
        for lang in [Lang::Zh, Lang::En] {
            let charts = report_2024().charts(lang);
            assert!(charts.len() >= 8, "{charts:?}");
            for chart in &charts {
                let period = lang.pick(
                    "2024年1月1日至2024年12月31日",
                    "1 January 2024 to 31 December 2024",
                );
                assert!(chart.caption.contains(period), "{}", chart.caption);
                assert!(
                    chart.caption.contains(lang.pick("来源：", "Source: ")),
                    "{}",
                    chart.caption
                );
            }
        }
        let zh = report_2024().charts(Lang::Zh);
        assert!(
            zh[0].caption.contains("同一人听几场计几次"),
            "{}",
            zh[0].caption
        );
    }

    #[test]
    fn the_issuing_unit_names_the_bureau_once_and_dates_read_as_documents_write_them() {
        let cases: [(&[&str], &str); 5] = [
            (&["常州市公安局"], "常州市公安局"),
            (&["常州市公安局", "天宁分局"], "常州市公安局天宁分局"),
            (
                &["常州市公安局", "常州市公安局天宁分局"],
                "常州市公安局天宁分局",
            ),
            (
                &["常州市公安局", "天宁分局", "雕庄派出所"],
                "常州市公安局天宁分局雕庄派出所",
            ),
            (&["无锡市公安局", " ", "梁溪分局"], "无锡市公安局梁溪分局"),
        ];
        for (names, unit) in cases {
            assert_eq!(issuing_unit(names), unit, "{names:?}");
        }
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        assert_eq!(date_line(day, Lang::Zh), "2026年12月3日");
        assert_eq!(date_line(day, Lang::En), "3 December 2026");
    }
}
