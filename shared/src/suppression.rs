//! Complementary suppression (次级隐藏): which outcome figures a non-administrator may see.
//!
//! A station's count of 1–4 in a month could single out a child, so it is hidden. Hiding it
//! alone is not enough: the district's total for that month minus the district's other
//! stations, or the station's yearly total minus its other months, would give it back. So
//! one indicator's year is treated as one table — every station, district and the city,
//! by month and for the whole year, each figure the sum of its parts — and enough other
//! figures are hidden with it that none of the hidden ones can be worked out from the
//! shown ones by adding and subtracting:
//!
//! 1. Every station-level figure (a month or the year) of 1–4 is hidden.
//! 2. Wherever a total and its parts hold exactly one hidden figure, the smallest shown part
//!    is hidden too (the "next smallest"), or the total itself when no part is left. Repeat
//!    until no total and its parts hold exactly one.
//! 3. That is the textbook condition, but not always enough: a hidden figure can still be
//!    the only unknown left once several sums are combined. Each hidden figure is checked
//!    against every such combination (linear algebra on the hidden figures, see
//!    [`determined`]); one that can be worked out gets another figure hidden beside it, and
//!    steps 2 and 3 run again.
//!
//! The table is the whole city's, so every viewer sees the same figures hidden, whatever
//! slice they ask for. Stored zeros count as figures (they are listed); months and
//! stations with nothing stored are known zeros and take no part.

use std::collections::{BTreeMap, BTreeSet};

use crate::outcome::shown;

/// Where a figure is summed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Place {
    City,
    District(i64),
    Station(i64),
}

/// The months a figure covers: one month of the year (1–12), or the whole year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    Month(u32),
    Year,
}

/// One figure of the table.
pub type Figure = (Place, Period);

/// A stored value: one station's count of one indicator in one month of the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    pub district: i64,
    pub station: i64,
    /// 1–12.
    pub month: u32,
    pub value: i64,
}

/// One indicator's year at every level, and which of its figures are hidden.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    values: BTreeMap<Figure, i64>,
    hidden: BTreeSet<Figure>,
}

impl Table {
    /// The table of these cells (one per station and month), with the suppression applied.
    pub fn suppressed(cells: &[Cell]) -> Table {
        let values = totals(cells);
        let hidden = suppress(&values, &relations(cells, &values));
        Table { values, hidden }
    }

    /// The figure as a non-administrator sees it: `None` when hidden; `Some(0)` for a
    /// figure with nothing stored under it.
    pub fn shown(&self, figure: Figure) -> Option<i64> {
        if self.hidden.contains(&figure) {
            None
        } else {
            Some(self.values.get(&figure).copied().unwrap_or(0))
        }
    }

    pub fn is_hidden(&self, figure: Figure) -> bool {
        self.hidden.contains(&figure)
    }

    /// The true value, hidden or not.
    pub fn value(&self, figure: Figure) -> i64 {
        self.values.get(&figure).copied().unwrap_or(0)
    }

    /// Every figure with something stored under it.
    pub fn figures(&self) -> impl Iterator<Item = Figure> + '_ {
        self.values.keys().copied()
    }

    /// Every hidden figure.
    pub fn hidden(&self) -> impl Iterator<Item = Figure> + '_ {
        self.hidden.iter().copied()
    }

    /// Each total with its parts (the total first): every equation a reader can use.
    pub fn sums(&self, cells: &[Cell]) -> Vec<Vec<Figure>> {
        relations(cells, &self.values)
    }
}

/// Is this a station-level count small enough to single a child out?
fn small(figure: &Figure, value: i64) -> bool {
    matches!(figure.0, Place::Station(_)) && shown(value).is_none()
}

/// Every figure with a stored cell under it, summed.
fn totals(cells: &[Cell]) -> BTreeMap<Figure, i64> {
    let mut values = BTreeMap::new();
    for c in cells {
        for place in [
            Place::City,
            Place::District(c.district),
            Place::Station(c.station),
        ] {
            for period in [Period::Month(c.month), Period::Year] {
                *values.entry((place, period)).or_insert(0) += c.value;
            }
        }
    }
    values
}

/// Each total with its parts, the total first: a place's figure is the sum of its
/// stations' (or districts') figures for the same period, and a year the sum of its months.
fn relations(cells: &[Cell], values: &BTreeMap<Figure, i64>) -> Vec<Vec<Figure>> {
    let district_of: BTreeMap<i64, i64> = cells.iter().map(|c| (c.station, c.district)).collect();
    let mut parts: BTreeMap<Figure, BTreeSet<Figure>> = BTreeMap::new();
    let mut years: BTreeMap<Figure, BTreeSet<Figure>> = BTreeMap::new();
    for &(place, period) in values.keys() {
        let up = match place {
            Place::City => None,
            Place::District(_) => Some(Place::City),
            Place::Station(s) => district_of.get(&s).map(|&d| Place::District(d)),
        };
        if let Some(up) = up {
            parts
                .entry((up, period))
                .or_default()
                .insert((place, period));
        }
        if let Period::Month(_) = period {
            years
                .entry((place, Period::Year))
                .or_default()
                .insert((place, period));
        }
    }
    parts
        .into_iter()
        .chain(years)
        .map(|(total, parts)| std::iter::once(total).chain(parts).collect())
        .collect()
}

/// The hidden figures: the small ones, and enough others that none can be worked out.
fn suppress(values: &BTreeMap<Figure, i64>, relations: &[Vec<Figure>]) -> BTreeSet<Figure> {
    let mut hidden: BTreeSet<Figure> = values
        .iter()
        .filter(|(f, v)| small(f, **v))
        .map(|(f, _)| *f)
        .collect();
    // Each round hides at least one more figure, so this ends; the bound is a safeguard.
    for _ in 0..=values.len() {
        lone_ones(values, relations, &mut hidden);
        let found = determined(relations, &hidden);
        if found.is_empty() {
            break;
        }
        let before = hidden.len();
        for figure in found {
            let beside = relations
                .iter()
                .filter(|r| r.contains(&figure))
                .find_map(|r| complement(r, values, &hidden));
            if let Some(beside) = beside {
                hidden.insert(beside);
            }
        }
        if hidden.len() == before {
            break;
        }
    }
    hidden
}

/// Step 2: while a total and its parts hold exactly one hidden figure, hide one more.
fn lone_ones(
    values: &BTreeMap<Figure, i64>,
    relations: &[Vec<Figure>],
    hidden: &mut BTreeSet<Figure>,
) {
    loop {
        let mut changed = false;
        for r in relations {
            if r.iter().filter(|f| hidden.contains(f)).count() == 1 {
                if let Some(f) = complement(r, values, hidden) {
                    hidden.insert(f);
                    changed = true;
                }
            }
        }
        if !changed {
            return;
        }
    }
}

/// What to hide beside a hidden member of `relation`: its smallest shown part (ties by
/// place and month, so the choice never varies), else the total.
fn complement(
    relation: &[Figure],
    values: &BTreeMap<Figure, i64>,
    hidden: &BTreeSet<Figure>,
) -> Option<Figure> {
    let (total, parts) = relation.split_first()?;
    parts
        .iter()
        .filter(|f| !hidden.contains(f))
        .min_by_key(|f| (values.get(f).copied().unwrap_or(0), **f))
        .or((!hidden.contains(total)).then_some(total))
        .copied()
}

/// The hidden figures that sums of shown figures give away: those whose unit vector lies in
/// the row space of the relations restricted to the hidden figures (the shown ones are
/// known, so they move to the other side). Worked out per connected group of hidden
/// figures, in reduced row echelon form modulo a large prime: a figure is determined
/// exactly when some reduced row has no other entry.
pub fn determined(relations: &[Vec<Figure>], hidden: &BTreeSet<Figure>) -> Vec<Figure> {
    let index: BTreeMap<Figure, usize> = hidden.iter().enumerate().map(|(i, f)| (*f, i)).collect();
    let figures: Vec<Figure> = hidden.iter().copied().collect();
    // One row per relation with a hidden member: +1 for the total, -1 for each part.
    let rows: Vec<Vec<(usize, u64)>> = relations
        .iter()
        .map(|r| {
            r.iter()
                .enumerate()
                .filter_map(|(k, f)| {
                    index
                        .get(f)
                        .map(|&i| (i, if k == 0 { 1 } else { PRIME - 1 }))
                })
                .collect::<Vec<_>>()
        })
        .filter(|row| !row.is_empty())
        .collect();
    // Connected groups of hidden figures, so that each elimination stays small.
    let mut group: Vec<usize> = (0..figures.len()).collect();
    fn root(group: &mut [usize], mut i: usize) -> usize {
        while group[i] != i {
            group[i] = group[group[i]];
            i = group[i];
        }
        i
    }
    for row in &rows {
        if let Some(&(first, _)) = row.first() {
            for &(i, _) in &row[1..] {
                let (a, b) = (root(&mut group, first), root(&mut group, i));
                group[a] = b;
            }
        }
    }
    let mut by_group: BTreeMap<usize, Vec<&Vec<(usize, u64)>>> = BTreeMap::new();
    for row in &rows {
        let g = root(&mut group, row[0].0);
        by_group.entry(g).or_default().push(row);
    }
    let mut found = Vec::new();
    for rows in by_group.values() {
        let columns: Vec<usize> = rows
            .iter()
            .flat_map(|r| r.iter().map(|(i, _)| *i))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let at: BTreeMap<usize, usize> = columns.iter().enumerate().map(|(k, i)| (*i, k)).collect();
        let mut matrix: Vec<Vec<u64>> = rows
            .iter()
            .map(|r| {
                let mut dense = vec![0; columns.len()];
                for &(i, v) in r.iter() {
                    dense[at[&i]] = v;
                }
                dense
            })
            .collect();
        reduce(&mut matrix);
        for row in &matrix {
            let mut nonzero = row.iter().enumerate().filter(|(_, v)| **v != 0);
            if let (Some((k, _)), None) = (nonzero.next(), nonzero.next()) {
                found.push(figures[columns[k]]);
            }
        }
    }
    found
}

/// 2⁶¹ − 1, a prime: the coefficients are ±1, so ranks modulo it are those over the rationals
/// but for a chance too small to matter.
const PRIME: u64 = (1 << 61) - 1;

fn mul(a: u64, b: u64) -> u64 {
    ((u128::from(a) * u128::from(b)) % u128::from(PRIME)) as u64
}

fn inverse(a: u64) -> u64 {
    let (mut base, mut exp, mut out) = (a, PRIME - 2, 1);
    while exp > 0 {
        if exp & 1 == 1 {
            out = mul(out, base);
        }
        base = mul(base, base);
        exp >>= 1;
    }
    out
}

/// Gauss–Jordan elimination in place: reduced row echelon form modulo [`PRIME`].
fn reduce(matrix: &mut [Vec<u64>]) {
    let width = matrix.first().map_or(0, Vec::len);
    let mut top = 0;
    for col in 0..width {
        let Some(pivot) = (top..matrix.len()).find(|&r| matrix[r][col] != 0) else {
            continue;
        };
        matrix.swap(top, pivot);
        let scale = inverse(matrix[top][col]);
        for v in matrix[top].iter_mut() {
            *v = mul(*v, scale);
        }
        let pivot_row = matrix[top].clone();
        for (r, row) in matrix.iter_mut().enumerate() {
            let factor = row[col];
            if r != top && factor != 0 {
                for (v, p) in row.iter_mut().zip(&pivot_row) {
                    *v = (*v + PRIME - mul(factor, *p)) % PRIME;
                }
            }
        }
        top += 1;
        if top == matrix.len() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::SMALL_COUNT;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn cell(district: i64, station: i64, month: u32, value: i64) -> Cell {
        Cell {
            district,
            station,
            month,
            value,
        }
    }

    fn station(s: i64, m: u32) -> Figure {
        (Place::Station(s), Period::Month(m))
    }

    /// District 1 with stations 10–12 over three months, all counts of 5 or more but one.
    fn district_with(value: i64) -> Vec<Cell> {
        let mut cells = Vec::new();
        for (s, base) in [(10, 20), (11, 9), (12, 30)] {
            for m in 1..=3 {
                cells.push(cell(1, s, m, base + i64::from(m)));
            }
        }
        cells[0].value = value;
        cells
    }

    #[test]
    fn a_small_count_takes_the_next_smallest_of_its_month_and_of_its_year_with_it() {
        let table = Table::suppressed(&district_with(3));
        assert!(table.is_hidden(station(10, 1)), "the small count");
        // Station 11 has the month's next smallest (10), and 22 is station 10's next month.
        assert!(table.is_hidden(station(11, 1)), "its district's month");
        assert!(table.is_hidden(station(10, 2)), "its station's year");
        // Totals stay exact: the hidden figures pair up within every sum.
        for total in [
            (Place::District(1), Period::Month(1)),
            (Place::Station(10), Period::Year),
            (Place::City, Period::Year),
        ] {
            assert_eq!(table.shown(total), Some(table.value(total)), "{total:?}");
        }
        assert!(determined(&table.sums(&district_with(3)), &table.hidden).is_empty());
    }

    #[test]
    fn zero_and_counts_from_five_hide_nothing() {
        for value in [0, 5, 162] {
            let table = Table::suppressed(&district_with(value));
            assert_eq!(table.hidden().count(), 0, "{value}");
            assert_eq!(table.shown(station(10, 1)), Some(value));
        }
    }

    #[test]
    fn a_small_count_alone_in_its_district_and_year_hides_the_totals_it_would_show_through() {
        // One re-offence at station 10 in March; station 20 of another district has visits.
        let cells = [cell(1, 10, 3, 1), cell(2, 20, 3, 40), cell(2, 20, 6, 50)];
        let table = Table::suppressed(&cells);
        for figure in [
            station(10, 3),
            (Place::Station(10), Period::Year),
            (Place::District(1), Period::Month(3)),
            (Place::District(1), Period::Year),
        ] {
            assert!(table.is_hidden(figure), "{figure:?}");
        }
        assert!(determined(&table.sums(&cells), &table.hidden).is_empty());
        assert_eq!(
            table.shown(station(99, 1)),
            Some(0),
            "nothing stored is a known zero"
        );
    }

    #[test]
    fn a_small_count_that_only_a_combination_of_sums_gives_away_is_hidden_beside_too() {
        // Two squares of small counts (stations 1–2 in months 1–2, stations 3–4 in months
        // 3–4) joined by one more at station 2 in month 3: every sum holds two hidden
        // figures or more, yet station 1's and 2's years less months 1 and 2 of the
        // district leave exactly station 2's month 3.
        let small = [
            (1, 1),
            (1, 2),
            (2, 1),
            (2, 2),
            (2, 3),
            (3, 3),
            (3, 4),
            (4, 3),
            (4, 4),
        ];
        let cells: Vec<Cell> = (1..=4)
            .flat_map(|s| (1..=6).map(move |m| (s, m)))
            .map(|(s, m)| {
                let value = if small.contains(&(s, m)) {
                    2
                } else {
                    10 * s + i64::from(m)
                };
                cell(1, s, m, value)
            })
            .collect();
        let table = Table::suppressed(&cells);
        let sums = table.sums(&cells);
        for figure in table.hidden() {
            assert!(!recoverable(&table, &sums, figure), "{figure:?}");
        }
        assert!(
            table.hidden().count() > small.len(),
            "more than the small counts are hidden"
        );
    }

    /// Rank of a matrix of small integers, by elimination in floating point: a second,
    /// independent way to tell whether a hidden figure can be worked out.
    fn rank(mut m: Vec<Vec<f64>>) -> usize {
        let width = m.first().map_or(0, Vec::len);
        let mut rank = 0;
        for col in 0..width {
            let Some(p) =
                (rank..m.len()).max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))
            else {
                break;
            };
            if m[p][col].abs() < 1e-9 {
                continue;
            }
            m.swap(rank, p);
            let pivot = m[rank].clone();
            for row in m.iter_mut().skip(rank + 1) {
                let f = row[col] / pivot[col];
                for (v, q) in row.iter_mut().zip(&pivot) {
                    *v -= f * q;
                }
            }
            rank += 1;
        }
        rank
    }

    /// Can `figure` be worked out from the shown figures of `table` by sums and differences?
    /// Only if its unit vector adds nothing to the rank of the sums over the hidden figures.
    fn recoverable(table: &Table, sums: &[Vec<Figure>], figure: Figure) -> bool {
        let hidden: Vec<Figure> = table.hidden().collect();
        let mut rows: Vec<Vec<f64>> = sums
            .iter()
            .map(|r| {
                hidden
                    .iter()
                    .map(|h| match r.iter().position(|f| f == h) {
                        Some(0) => 1.0,
                        Some(_) => -1.0,
                        None => 0.0,
                    })
                    .collect()
            })
            .collect();
        let before = rank(rows.clone());
        rows.push(
            hidden
                .iter()
                .map(|h| f64::from(u8::from(*h == figure)))
                .collect(),
        );
        rank(rows) == before
    }

    /// A random city: 1–3 districts of 1–4 stations, twelve months, each value absent, zero,
    /// small or large, with small ones most common (as re-offences are).
    fn random_cells(rng: &mut ChaCha8Rng) -> Vec<Cell> {
        let mut cells = Vec::new();
        let mut next = 1;
        for district in 1..=rng.random_range(1..=3) {
            for _ in 0..rng.random_range(1..=4) {
                next += 1;
                for month in 1..=12 {
                    let value = match rng.random_range(0..10) {
                        0..=3 => continue,
                        4 => 0,
                        5..=7 => rng.random_range(1..SMALL_COUNT),
                        _ => rng.random_range(SMALL_COUNT..60),
                    };
                    cells.push(cell(district, next, month, value));
                }
            }
        }
        cells
    }

    #[test]
    fn in_random_tables_no_hidden_figure_can_be_worked_out_from_the_shown_ones() {
        let mut rng = ChaCha8Rng::seed_from_u64(13);
        for round in 0..80 {
            let cells = random_cells(&mut rng);
            let table = Table::suppressed(&cells);
            let sums = table.sums(&cells);
            for c in &cells {
                let f = station(c.station, c.month);
                assert_eq!(table.value(f), c.value, "the true values are kept");
                if (1..SMALL_COUNT).contains(&c.value) {
                    assert!(table.is_hidden(f), "round {round}: {c:?} is small");
                }
            }
            // Total minus shown parts: no sum holds exactly one hidden figure.
            for sum in &sums {
                let hidden = sum.iter().filter(|f| table.is_hidden(**f)).count();
                assert_ne!(hidden, 1, "round {round}: {sum:?}");
            }
            // Nor any combination of sums.
            for figure in table.hidden() {
                assert!(
                    !recoverable(&table, &sums, figure),
                    "round {round}: {figure:?} of {cells:?}"
                );
            }
        }
    }
}
