//! Checks that every record shares: trimmed text with a length limit and no control
//! characters, codes, counts, ranges, bounded lists without repeats and date periods.
//!
//! Each check returns the cleaned value or the [`FieldCode`] to report, and knows nothing of
//! field names; [`FieldErrors::check`](crate::error::FieldErrors::check) files a failure beside
//! its field so a record can go on and report every problem at once.

use chrono::NaiveDate;

use crate::error::FieldCode;
use crate::session::MAX_COUNT;

/// Names and titles: long enough for any school or film in the city, short enough for a list.
pub const MAX_NAME_CHARS: usize = 100;
/// Codes are identifiers administrators type, e.g. `TN-01`, `dxjz`.
pub const MAX_CODE_CHARS: usize = 32;

/// Topics one session, film or campaign may name: twice the nine the city promotes.
pub const MAX_TOPICS: usize = 20;

/// Control characters other than tab, line feed and carriage return. Nobody types NUL or
/// an escape into a form, PostgreSQL refuses NUL in text, and a terminal or a spreadsheet
/// may act on the others; so text holding one is refused (or, in a search, dropped).
pub fn is_refused_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Text without refused control characters: `ControlCharacter` otherwise.
pub fn no_controls(text: &str) -> Result<&str, FieldCode> {
    if text.chars().any(is_refused_control) {
        Err(FieldCode::ControlCharacter)
    } else {
        Ok(text)
    }
}

/// Search terms with the refused control characters dropped: they match nothing stored,
/// so dropping them changes no answer.
pub fn without_controls(text: &str) -> String {
    text.chars().filter(|c| !is_refused_control(*c)).collect()
}

/// A list of at most `max` items: `TooMany` otherwise. Checked before the items, so a
/// hostile list costs no more than a long one.
pub fn at_most<T>(items: &[T], max: usize) -> Result<&[T], FieldCode> {
    if items.len() > max {
        Err(FieldCode::TooMany)
    } else {
        Ok(items)
    }
}

/// Trimmed text that must be there: empty is `Required`, more than `max_chars` is `TooLong`.
pub fn required_text(text: &str, max_chars: usize) -> Result<String, FieldCode> {
    match optional_text(Some(text), max_chars)? {
        Some(text) => Ok(text),
        None => Err(FieldCode::Required),
    }
}

/// Trimmed text that may be left out: empty becomes `None`, more than `max_chars` is `TooLong`,
/// a control character other than tab or a line break is `ControlCharacter`.
pub fn optional_text(text: Option<&str>, max_chars: usize) -> Result<Option<String>, FieldCode> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) if t.chars().count() > max_chars => Err(FieldCode::TooLong),
        Some(t) => no_controls(t).map(|t| Some(t.to_string())),
        None => Ok(None),
    }
}

/// A code of 1 to [`MAX_CODE_CHARS`] ASCII letters, digits, `-` and `_`, trimmed.
pub fn code(text: &str) -> Result<String, FieldCode> {
    let code = required_text(text, MAX_CODE_CHARS)?;
    if code
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        Ok(code)
    } else {
        Err(FieldCode::InvalidCode)
    }
}

/// Text as typed with a Chinese input method, in the width Rust parses: full-width
/// letters, digits and signs (`１１８５`, `，`, `－`, `／`, `．`) and the ideographic space
/// become their ASCII forms. Other text is left as it is.
pub fn half_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .collect()
}

/// A number as people write it, in the form Rust parses: trimmed, in half width, and
/// without thousands separators (`1,185`, `1，185`, `１，１８５`) when they group the
/// digits by three. Separators anywhere else (`1,18`, `1,2`: perhaps a list) are kept, so
/// the number is refused as typed.
pub fn plain_number(text: &str) -> String {
    let text = half_width(text.trim());
    let (sign, rest) = match text.strip_prefix(['-', '+']) {
        Some(rest) => (&text[..1], rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = match rest.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (rest, None),
    };
    if !whole.contains(',') {
        return text;
    }
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let mut groups = whole.split(',');
    let first_ok = groups.next().is_some_and(|g| digits(g) && g.len() <= 3);
    if !(first_ok && groups.all(|g| digits(g) && g.len() == 3)) {
        return text;
    }
    let mut out = format!("{sign}{}", whole.replace(',', ""));
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// A choice that must be made: an id, a kind, a number left blank.
pub fn required<T>(value: Option<T>) -> Result<T, FieldCode> {
    value.ok_or(FieldCode::Required)
}

/// A count of people or things: from 0 to [`MAX_COUNT`].
pub fn count(n: i64) -> Result<i64, FieldCode> {
    count_up_to(n, MAX_COUNT)
}

/// A count with its own ceiling: `Negative` below 0, `TooLarge` above `max`.
pub fn count_up_to(n: i64, max: i64) -> Result<i64, FieldCode> {
    if n < 0 {
        Err(FieldCode::Negative)
    } else if n > max {
        Err(FieldCode::TooLarge)
    } else {
        Ok(n)
    }
}

/// A number within `min..=max`: `TooSmall` below, `TooLarge` above.
pub fn within<T: PartialOrd>(n: T, min: T, max: T) -> Result<T, FieldCode> {
    if n < min {
        Err(FieldCode::TooSmall)
    } else if n > max {
        Err(FieldCode::TooLarge)
    } else {
        Ok(n)
    }
}

/// Where items repeat an earlier one, so the repeat can be marked rather than the original.
pub fn repeats<T: Ord>(items: &[T]) -> Vec<usize> {
    let mut seen = std::collections::BTreeSet::new();
    (0..items.len())
        .filter(|&i| !seen.insert(&items[i]))
        .collect()
}

/// A list of ids that may be empty: `TooMany` above `max`, `duplicate` when one appears twice.
pub fn distinct(ids: &[i64], max: usize, duplicate: FieldCode) -> Result<Vec<i64>, FieldCode> {
    if repeats(at_most(ids, max)?).is_empty() {
        Ok(ids.to_vec())
    } else {
        Err(duplicate)
    }
}

/// A list of ids of which at least one and at most `max` must be chosen; `duplicate` when
/// one appears twice.
pub fn chosen(ids: &[i64], max: usize, duplicate: FieldCode) -> Result<Vec<i64>, FieldCode> {
    if ids.is_empty() {
        Err(FieldCode::Required)
    } else {
        distinct(ids, max, duplicate)
    }
}

/// A period's last day, checked against its first: `EndsBeforeStart` when it comes earlier,
/// `PeriodTooLong` when the period covers more than `max_days` days (both ends counted).
pub fn period_end(
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    max_days: i64,
) -> Result<NaiveDate, FieldCode> {
    let days = (ends_on - starts_on).num_days() + 1;
    if days < 1 {
        Err(FieldCode::EndsBeforeStart)
    } else if days > max_days {
        Err(FieldCode::PeriodTooLong)
    } else {
        Ok(ends_on)
    }
}

/// A day that must fall within `window` (both ends included) when the window is known;
/// `outside` names the window in the code reported.
pub fn inside(
    day: NaiveDate,
    window: Option<(NaiveDate, NaiveDate)>,
    outside: FieldCode,
) -> Result<NaiveDate, FieldCode> {
    match window {
        Some((first, last)) if day < first || day > last => Err(outside),
        _ => Ok(day),
    }
}

/// Runs a table of edits on a valid example, one rule per table, as every record's tests do.
#[cfg(test)]
pub(crate) mod table {
    use crate::error::{FieldCode, FieldErrors};

    /// `(what the row shows, edit to a valid example, field, expected code)`; `None` means the
    /// edited entry must pass, typically a boundary.
    pub type Case<T> = (&'static str, fn(&mut T), &'static str, Option<FieldCode>);

    pub fn assert_table<T, V>(
        valid: impl Fn() -> T,
        validate: impl Fn(&T) -> Result<V, FieldErrors>,
        cases: &[Case<T>],
    ) {
        for (name, edit, field, code) in cases {
            let mut entry = valid();
            edit(&mut entry);
            match (validate(&entry), code) {
                (Ok(_), None) => {}
                (Ok(_), Some(code)) => panic!("{name}: passed, expected {field}: {code:?}"),
                (Err(errors), None) => panic!("{name}: expected to pass, got {errors:?}"),
                (Err(errors), Some(code)) => {
                    assert_eq!(errors.get(field), Some(*code), "{name}: {errors:?}");
                    assert_eq!(
                        errors.codes().count(),
                        1,
                        "{name}: only one problem expected, got {errors:?}"
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn text_is_trimmed_and_limited_in_characters_not_bytes() {
        let cases = [
            ("  天宁分局 ", Ok("天宁分局".to_string())),
            ("", Err(FieldCode::Required)),
            (" \t\n", Err(FieldCode::Required)),
            (&*"局".repeat(10), Ok("局".repeat(10))),
            (&*"局".repeat(11), Err(FieldCode::TooLong)),
        ];
        for (text, want) in cases {
            assert_eq!(required_text(text, 10), want, "{text:?}");
        }
        assert_eq!(optional_text(Some("  "), 10), Ok(None));
        assert_eq!(optional_text(None, 10), Ok(None));
        assert_eq!(optional_text(Some(" 站 "), 10), Ok(Some("站".into())));
    }

    #[test]
    fn text_with_a_control_character_is_refused_but_tabs_and_line_breaks_are_text() {
        let cases = [
            ("天宁\u{0}分局", Err(FieldCode::ControlCharacter)),
            ("\u{0}", Err(FieldCode::ControlCharacter)),
            ("a\u{1b}[31mb", Err(FieldCode::ControlCharacter)),
            ("a\u{7f}b", Err(FieldCode::ControlCharacter)),
            ("a\u{85}b", Err(FieldCode::ControlCharacter)),
            ("一行\r\n二行\t三", Ok("一行\r\n二行\t三".to_string())),
        ];
        for (text, want) in cases {
            assert_eq!(required_text(text, 100), want, "{text:?}");
        }
        assert_eq!(code("TN\u{0}"), Err(FieldCode::ControlCharacter));
        assert_eq!(without_controls("\u{0}龙虎\u{1}塘\t"), "龙虎塘\t");
    }

    #[test]
    fn codes_are_ascii_letters_digits_dashes_and_underscores() {
        let cases = [
            ("TN-01", Ok("TN-01".to_string())),
            (" snake_case_9 ", Ok("snake_case_9".to_string())),
            ("", Err(FieldCode::Required)),
            (&*"a".repeat(32), Ok("a".repeat(32))),
            (&*"a".repeat(33), Err(FieldCode::TooLong)),
            ("TN 01", Err(FieldCode::InvalidCode)),
            ("天宁", Err(FieldCode::InvalidCode)),
            ("a.b", Err(FieldCode::InvalidCode)),
            ("ａ", Err(FieldCode::InvalidCode)),
        ];
        for (text, want) in cases {
            assert_eq!(code(text), want, "{text:?}");
        }
    }

    #[test]
    fn numbers_are_read_as_people_write_them() {
        let cases = [
            ("1185", "1185"),
            (" 1,185 ", "1185"),
            ("1，185", "1185"),
            ("１１８５", "1185"),
            ("１，１８５", "1185"),
            ("1,234,567", "1234567"),
            ("-1,185", "-1185"),
            ("1,185.5", "1185.5"),
            ("２００", "200"),
            // Not grouped by three: kept, so the number is refused as typed.
            ("1,18", "1,18"),
            ("1,2", "1,2"),
            ("1234,567", "1234,567"),
            (",185", ",185"),
            ("1,,185", "1,,185"),
            ("abc", "abc"),
        ];
        for (text, want) in cases {
            assert_eq!(plain_number(text), want, "{text:?}");
        }
        assert_eq!(half_width("２０２５－２０２６\u{3000}"), "2025-2026 ");
        assert_eq!(half_width("雕庄（二）所"), "雕庄(二)所");
    }

    #[test]
    fn numbers_are_checked_against_their_range() {
        assert_eq!(count(0), Ok(0));
        assert_eq!(count(MAX_COUNT), Ok(MAX_COUNT));
        assert_eq!(count(MAX_COUNT + 1), Err(FieldCode::TooLarge));
        assert_eq!(count(-1), Err(FieldCode::Negative));
        assert_eq!(count_up_to(10, 10), Ok(10));
        assert_eq!(count_up_to(11, 10), Err(FieldCode::TooLarge));
        assert_eq!(within(1, 1, 600), Ok(1));
        assert_eq!(within(600, 1, 600), Ok(600));
        assert_eq!(within(0, 1, 600), Err(FieldCode::TooSmall));
        assert_eq!(within(601, 1, 600), Err(FieldCode::TooLarge));
    }

    #[test]
    fn repeats_mark_the_later_copies_only() {
        let cases: [(&[i64], &[usize]); 4] = [
            (&[], &[]),
            (&[1, 2, 3], &[]),
            (&[1, 2, 1], &[2]),
            (&[4, 4, 4, 5], &[1, 2]),
        ];
        for (items, want) in cases {
            assert_eq!(repeats(items), want, "{items:?}");
        }
        assert_eq!(distinct(&[], 2, FieldCode::DuplicateValue), Ok(vec![]));
        assert_eq!(
            chosen(&[], 2, FieldCode::DuplicateValue),
            Err(FieldCode::Required)
        );
        assert_eq!(
            chosen(&[3, 3], 2, FieldCode::DuplicateTopic),
            Err(FieldCode::DuplicateTopic)
        );
    }

    #[test]
    fn lists_longer_than_their_maximum_are_refused_before_their_items_are_looked_at() {
        let many: Vec<i64> = vec![7; 40_000];
        assert_eq!(
            distinct(&many, 20, FieldCode::DuplicateTopic),
            Err(FieldCode::TooMany)
        );
        assert_eq!(
            chosen(&many, 20, FieldCode::DuplicateTopic),
            Err(FieldCode::TooMany)
        );
        assert_eq!(
            chosen(&[1, 2], 2, FieldCode::DuplicateTopic),
            Ok(vec![1, 2])
        );
        assert_eq!(
            chosen(&[1, 2, 3], 2, FieldCode::DuplicateTopic),
            Err(FieldCode::TooMany)
        );
        assert_eq!(at_most(&[(); 3], 3).map(<[()]>::len), Ok(3));
    }

    #[test]
    fn periods_count_both_ends() {
        let cases = [
            ("2024-08-19", "2024-08-20", 2, Ok(())),
            ("2024-08-19", "2024-08-19", 1, Ok(())),
            ("2024-08-19", "2024-08-21", 2, Err(FieldCode::PeriodTooLong)),
            (
                "2024-08-19",
                "2024-08-18",
                31,
                Err(FieldCode::EndsBeforeStart),
            ),
            ("2024-01-01", "2024-12-31", 366, Ok(())),
        ];
        for (start, end, max, want) in cases {
            assert_eq!(
                period_end(day(start), day(end), max).map(|_| ()),
                want,
                "{start}..{end}"
            );
        }
    }

    #[test]
    fn a_window_includes_both_ends_and_an_unknown_one_admits_any_day() {
        let window = Some((day("2024-03-01"), day("2024-11-30")));
        let code = FieldCode::OutsideCampaign;
        assert!(inside(day("2024-03-01"), window, code).is_ok());
        assert!(inside(day("2024-11-30"), window, code).is_ok());
        assert_eq!(inside(day("2024-02-29"), window, code), Err(code));
        assert_eq!(inside(day("2024-12-01"), window, code), Err(code));
        assert!(inside(day("1999-01-01"), None, code).is_ok());
    }
}
