//! What still depends on a record, counted by kind: the live records a delete would orphan,
//! or that an edit (a narrower campaign window, a closing day) would leave outside the
//! record's dates. A refusal names them, so the administrator knows what to change first;
//! the words are the kinds' own titles (see [`super::kind`]).

use std::collections::BTreeMap;

use crate::Lang;

/// Live records of each kind that depend on one record; kinds with none are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UsedBy {
    /// (collection, how many), in the order they were counted.
    counts: Vec<(&'static str, i64)>,
}

impl UsedBy {
    /// Notes `n` live records of `collection` (a declared kind, e.g. `sessions`).
    pub fn add(&mut self, collection: &'static str, n: i64) {
        if n <= 0 {
            return;
        }
        match self.counts.iter_mut().find(|(c, _)| *c == collection) {
            Some((_, count)) => *count += n,
            None => self.counts.push((collection, n)),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// How many records of `collection` depend on it.
    pub fn get(&self, collection: &str) -> i64 {
        self.counts
            .iter()
            .find(|(c, _)| *c == collection)
            .map_or(0, |(_, n)| *n)
    }

    /// By collection, as an API answer carries it (`{"sessions": 12}`).
    pub fn by_collection(&self) -> BTreeMap<&'static str, i64> {
        self.counts.iter().copied().collect()
    }

    /// The kinds and counts in words: `宣讲活动 12 条、观看任务 1 条` or
    /// `Sessions 12, Screening assignments 1`.
    pub fn describe(&self, lang: Lang) -> String {
        let parts: Vec<String> = self
            .counts
            .iter()
            .map(|(collection, n)| {
                let title = super::kind(collection).map_or(*collection, |k| k.title.get(lang));
                match lang {
                    Lang::Zh => format!("{title} {n} 条"),
                    Lang::En => format!("{title} {n}"),
                }
            })
            .collect();
        parts.join(lang.pick("、", ", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_named_by_their_kinds_title_and_empty_kinds_left_out() {
        let mut used = UsedBy::default();
        assert!(used.is_empty());
        used.add("sessions", 12);
        used.add("confirmations", 0);
        used.add("assignments", 1);
        used.add("sessions", 3);
        assert_eq!(used.get("sessions"), 15);
        assert_eq!(used.get("confirmations"), 0);
        assert_eq!(used.describe(Lang::Zh), "宣讲活动 15 条、观看任务 1 条");
        assert_eq!(
            used.describe(Lang::En),
            "Sessions 15, Screening assignments 1"
        );
        assert_eq!(
            used.by_collection(),
            BTreeMap::from([("assignments", 1), ("sessions", 15)])
        );
    }
}
