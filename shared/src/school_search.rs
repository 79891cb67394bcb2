//! Finding a school as an officer types, on a phone, without `<datalist>` (weak in WeChat's
//! browser and on iOS): the rule that decides which schools match what was typed, and in which
//! order they are offered.
//!
//! An officer types what people call the school, not what the register says. One rule covers
//! the usual ways, best first:
//! - the whole name or the whole code (`雕庄小学`, `S0011`);
//! - the start of the name, then any part of it (`雕庄`);
//! - part of the code (`0011`);
//! - the name's characters in order, with gaps: short names are made by dropping characters,
//!   never by reordering them, so `雕庄初中` finds 常州市雕庄初级中学, `实小` 实验小学 and
//!   `一中` 第一中学 without a table of abbreviations to keep;
//! - the pinyin initials, also in order (`dzcz` for 雕庄初级中学). The initials come with the
//!   school from the server (`School::initials`): the pinyin table is too large to ship in the
//!   web app.
//!
//! Full-width letters and digits (a Chinese keyboard's) count as their ASCII twins, case and
//! spaces do not count. Among equal matches the tighter one (fewer characters skipped) and
//! then the shorter name comes first.

/// How a school matched; the derived order is the order schools are offered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Match {
    /// The whole name or the whole code.
    Exact,
    /// The name starts with what was typed.
    NameStart,
    /// What was typed is part of the name.
    NamePart,
    /// What was typed is part of the code.
    CodePart,
    /// The name's characters in order with gaps; `skipped` characters lie between them.
    InOrder { skipped: usize },
    /// The pinyin initials in order; `skipped` initials lie between them.
    Initials { skipped: usize },
}

/// What a school is searched by.
#[derive(Debug, Clone, Copy)]
pub struct Searchable<'a> {
    pub name: &'a str,
    pub code: &'a str,
    /// The name's pinyin initials, lower case (empty when unknown).
    pub initials: &'a str,
}

/// What was typed, as it is compared: full-width ASCII made half-width, lower case, without
/// spaces.
pub fn normalise(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// How `school` matches `query` (already [`normalise`]d), if it does.
pub fn rank(query: &str, school: Searchable<'_>) -> Option<Match> {
    if query.is_empty() {
        return None;
    }
    let name = normalise(school.name);
    let code = normalise(school.code);
    if name == query || code == query {
        return Some(Match::Exact);
    }
    if name.starts_with(query) {
        return Some(Match::NameStart);
    }
    if name.contains(query) {
        return Some(Match::NamePart);
    }
    if code.contains(query) {
        return Some(Match::CodePart);
    }
    if let Some(skipped) = in_order(query, &name) {
        return Some(Match::InOrder { skipped });
    }
    let initials = normalise(school.initials);
    in_order(query, &initials).map(|skipped| Match::Initials { skipped })
}

/// The schools that match `query`, best first, at most `limit` of them.
pub fn search<'a, T>(
    query: &str,
    schools: &'a [T],
    fields: impl Fn(&'a T) -> Searchable<'a>,
    limit: usize,
) -> Vec<&'a T> {
    let query = normalise(query);
    let mut found: Vec<(Match, usize, &'a T)> = schools
        .iter()
        .filter_map(|s| {
            let f = fields(s);
            rank(&query, f).map(|m| (m, f.name.chars().count(), s))
        })
        .collect();
    // Stable: schools that match equally keep the order they came in (the server's, by name).
    found.sort_by_key(|(m, len, _)| (*m, *len));
    found.into_iter().take(limit).map(|(_, _, s)| s).collect()
}

/// The one school whose whole name or code is `query`: typed out in full, it needs no pick
/// from the list.
pub fn exact<'a, T>(
    query: &str,
    schools: &'a [T],
    fields: impl Fn(&'a T) -> Searchable<'a>,
) -> Option<&'a T> {
    let query = normalise(query);
    schools
        .iter()
        .find(|s| rank(&query, fields(s)) == Some(Match::Exact))
}

/// How many characters of `text` lie between the characters of `query` found in order in
/// it, at the tightest place; `None` if they are not all there in that order.
fn in_order(query: &str, text: &str) -> Option<usize> {
    let query: Vec<char> = query.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let first = *query.first()?;
    let mut best: Option<usize> = None;
    for start in (0..text.len()).filter(|&i| text[i] == first) {
        let mut at = start;
        let mut matched = 1;
        for c in &query[1..] {
            match text[at + 1..].iter().position(|t| t == c) {
                Some(offset) => {
                    at += 1 + offset;
                    matched += 1;
                }
                None => break,
            }
        }
        if matched < query.len() {
            // A later start finds fewer still.
            break;
        }
        let skipped = at + 1 - start - query.len();
        best = Some(best.map_or(skipped, |b| b.min(skipped)));
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    struct S(&'static str, &'static str, &'static str);

    fn fields(s: &S) -> Searchable<'_> {
        Searchable {
            name: s.0,
            code: s.1,
            initials: s.2,
        }
    }

    const SCHOOLS: [S; 6] = [
        S("雕庄小学", "S0011", "dzxx"),
        S("雕庄初级中学", "S0016", "dzcjzx"),
        S("雕庄第二初级中学", "S0017", "dzdecjzx"),
        S("常州市雕庄初级中学", "CZ-DZ", "czsdzcjzx"),
        S("博爱小学", "S0202", "baxx"),
        S("红梅实验小学", "S0032", "hmsyxx"),
    ];

    fn names(query: &str) -> Vec<&'static str> {
        search(query, &SCHOOLS, fields, 10)
            .into_iter()
            .map(|s| s.0)
            .collect()
    }

    #[test]
    fn each_way_of_typing_a_school_ranks_as_expected() {
        let cases: [(&str, &str, Option<Match>); 14] = [
            ("雕庄小学", "雕庄小学", Some(Match::Exact)),
            ("s0011", "雕庄小学", Some(Match::Exact)),
            ("Ｓ００１１", "雕庄小学", Some(Match::Exact)),
            ("雕 庄", "雕庄小学", Some(Match::NameStart)),
            ("小学", "雕庄小学", Some(Match::NamePart)),
            ("0011", "雕庄小学", Some(Match::CodePart)),
            ("cz-d", "常州市雕庄初级中学", Some(Match::CodePart)),
            (
                "雕庄初中",
                "常州市雕庄初级中学",
                Some(Match::InOrder { skipped: 1 }),
            ),
            (
                "雕庄初中",
                "雕庄第二初级中学",
                Some(Match::InOrder { skipped: 3 }),
            ),
            ("实小", "红梅实验小学", Some(Match::InOrder { skipped: 1 })),
            ("dzcz", "雕庄初级中学", Some(Match::Initials { skipped: 1 })),
            ("DZXX", "雕庄小学", Some(Match::Initials { skipped: 0 })),
            // Reordered characters are another school, not a short name.
            ("庄雕", "雕庄小学", None),
            ("", "雕庄小学", None),
        ];
        for (query, name, expected) in cases {
            let school = SCHOOLS.iter().find(|s| s.0 == name).unwrap();
            assert_eq!(
                rank(&normalise(query), fields(school)),
                expected,
                "{query} → {name}"
            );
        }
    }

    #[test]
    fn a_short_name_offers_the_tightest_and_shortest_match_first() {
        assert_eq!(
            names("雕庄初中"),
            ["雕庄初级中学", "常州市雕庄初级中学", "雕庄第二初级中学"]
        );
        // The start of a name before a part of it, whatever the list's order.
        assert_eq!(names("雕庄")[0], "雕庄小学");
        assert_eq!(names("博爱"), ["博爱小学"]);
        assert!(names("北京").is_empty());
    }

    #[test]
    fn only_a_whole_name_or_code_is_taken_without_a_pick() {
        let found = |q| exact(q, &SCHOOLS, fields).map(|s| s.0);
        assert_eq!(found("雕庄小学"), Some("雕庄小学"));
        assert_eq!(found(" cz-dz "), Some("常州市雕庄初级中学"));
        assert_eq!(found("雕庄"), None);
        assert_eq!(found("雕庄初中"), None);
    }

    #[test]
    fn in_order_counts_the_characters_skipped_at_the_tightest_place() {
        assert_eq!(in_order("ab", "axxbab"), Some(0));
        assert_eq!(in_order("abc", "abxc"), Some(1));
        assert_eq!(in_order("ba", "ab"), None);
        assert_eq!(in_order("a", ""), None);
    }
}
