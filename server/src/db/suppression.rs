//! What a non-administrator sees of the outcome figures: the suppression tables of
//! `humiao_shared::suppression`, one per indicator and year, built from every live figure
//! of the city, typed or derived from the registers (`super::derived`), so that the same figures are hidden in every answer
//! (lists, aggregates at any level, the report, charts, files and 409 bodies) whatever
//! slice was asked for.

use std::collections::{BTreeSet, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};

use humiao_shared::aggregate::AggregateFilter;
use humiao_shared::outcome::Indicator;
use humiao_shared::suppression::{Cell, Period, Place, Table};
use sqlx::AnyConnection;

/// One year's tables, one per indicator.
type Year = Arc<HashMap<Indicator, Table>>;

/// The suppression tables of some years.
#[derive(Debug, Default)]
pub struct Suppression {
    years: HashMap<i32, Year>,
}

/// The tables last built for each year, with a fingerprint of the rows they were built
/// from. Building a year takes about a tenth of a second, reading and hashing its rows a
/// few milliseconds, and a file export asks for the same years batch after batch. Keyed by
/// content, so any change (from this process or another) builds afresh.
static BUILT: Mutex<Vec<(i32, u64, Year)>> = Mutex::new(Vec::new());

impl Suppression {
    /// The tables of every indicator for each of `years`.
    pub async fn of_years(
        conn: &mut AnyConnection,
        years: impl IntoIterator<Item = i32>,
    ) -> Result<Suppression, sqlx::Error> {
        let mut built = HashMap::new();
        for year in years.into_iter().collect::<BTreeSet<_>>() {
            let sql = format!(
                "SELECT st.district_id, t.station_id, t.month, t.indicator, t.value
                 FROM {} t JOIN stations st ON st.id = t.station_id
                 WHERE t.deleted_at IS NULL AND t.month >= $1 AND t.month <= $2
                 ORDER BY t.station_id, t.month, t.indicator",
                super::derived::figures(crate::clock::today())
            );
            let rows: Vec<(i64, i64, String, String, i64)> = sqlx::query_as(&sql)
                .bind(format!("{year:04}-01"))
                .bind(format!("{year:04}-12"))
                .fetch_all(&mut *conn)
                .await?;
            let mut hasher = DefaultHasher::new();
            rows.hash(&mut hasher);
            let fingerprint = hasher.finish();
            let cached = BUILT.lock().ok().and_then(|b| {
                b.iter()
                    .find(|(y, f, _)| (*y, *f) == (year, fingerprint))
                    .map(|(_, _, tables)| Arc::clone(tables))
            });
            let tables = match cached {
                Some(tables) => tables,
                None => {
                    let tables = Arc::new(build(year, rows));
                    if let Ok(mut b) = BUILT.lock() {
                        b.retain(|(y, _, _)| *y != year);
                        b.push((year, fingerprint, Arc::clone(&tables)));
                    }
                    tables
                }
            };
            built.insert(year, tables);
        }
        Ok(Suppression { years: built })
    }

    /// The tables of the years these `YYYY-MM` months fall in.
    pub async fn of_months<'a>(
        conn: &mut AnyConnection,
        months: impl IntoIterator<Item = &'a str>,
    ) -> Result<Suppression, sqlx::Error> {
        let years: Vec<i32> = months
            .into_iter()
            .filter_map(|m| year_month(m).map(|(y, _)| y))
            .collect();
        Suppression::of_years(conn, years).await
    }

    /// `value`, the true figure of `place` in `month` (`YYYY-MM`), as a non-administrator
    /// sees it: `None` when hidden.
    pub fn month(
        &self,
        indicator: Indicator,
        place: Place,
        month: &str,
        value: i64,
    ) -> Option<i64> {
        (!self.hides_month(indicator, place, month)).then_some(value)
    }

    /// Is the figure of `place` in `month` (`YYYY-MM`) hidden? So is one of a month that
    /// does not read as one.
    pub fn hides_month(&self, indicator: Indicator, place: Place, month: &str) -> bool {
        year_month(month)
            .is_none_or(|(year, m)| self.is_hidden(indicator, year, (place, Period::Month(m))))
    }

    /// Is the figure of `place` over the months `from..=to` (`YYYY-MM`) hidden? A whole
    /// year is a figure of its own; any other run of months is shown only when every
    /// month of it is (its sum then tells nothing the months do not).
    pub fn covers_hidden(&self, indicator: Indicator, place: Place, from: &str, to: &str) -> bool {
        let (Some((y0, m0)), Some((y1, m1))) = (year_month(from), year_month(to)) else {
            return true;
        };
        if y0 == y1 && m0 == 1 && m1 == 12 {
            return self.is_hidden(indicator, y0, (place, Period::Year));
        }
        (y0..=y1).any(|year| {
            let first = if year == y0 { m0 } else { 1 };
            let last = if year == y1 { m1 } else { 12 };
            (first..=last).any(|m| self.is_hidden(indicator, year, (place, Period::Month(m))))
        })
    }

    /// Is the figure of the places together (`places_of`) in `month` hidden? A sum of
    /// figures that are all shown tells nothing they do not, so it is hidden only when one
    /// of them is.
    pub fn hides_month_in(&self, indicator: Indicator, places: &[Place], month: &str) -> bool {
        places
            .iter()
            .any(|p| self.hides_month(indicator, *p, month))
    }

    /// [`Suppression::covers_hidden`] for the places together.
    pub fn covers_hidden_in(
        &self,
        indicator: Indicator,
        places: &[Place],
        from: &str,
        to: &str,
    ) -> bool {
        places
            .iter()
            .any(|p| self.covers_hidden(indicator, *p, from, to))
    }

    fn is_hidden(&self, indicator: Indicator, year: i32, figure: (Place, Period)) -> bool {
        self.years
            .get(&year)
            .and_then(|tables| tables.get(&indicator))
            .is_some_and(|t| t.is_hidden(figure))
    }
}

/// One year's tables from its rows (district, station, month, indicator, value).
fn build(year: i32, rows: Vec<(i64, i64, String, String, i64)>) -> HashMap<Indicator, Table> {
    let mut cells: HashMap<Indicator, Vec<Cell>> = HashMap::new();
    for (district, station, month, indicator, value) in rows {
        let (Some(indicator), Some((y, month))) =
            (Indicator::from_code(&indicator), year_month(&month))
        else {
            continue;
        };
        if y == year {
            cells.entry(indicator).or_default().push(Cell {
                district,
                station,
                month,
                value,
            });
        }
    }
    cells
        .into_iter()
        .map(|(indicator, cells)| (indicator, Table::suppressed(&cells)))
        .collect()
}

/// The place an aggregate's figures are summed over: one station, one district or the city.
pub fn place_of(filter: &AggregateFilter) -> Place {
    match (filter.station_id, filter.district_id) {
        (Some(station), _) => Place::Station(station),
        (None, Some(district)) => Place::District(district),
        (None, None) => Place::City,
    }
}

/// The places whose suppressed figures add up to the filter's: its station, its district,
/// the whole database, or for one city of a province each of the city's districts (the
/// tables have no city level; a city's figure is shown when all its districts' are).
pub async fn places_of(
    conn: &mut AnyConnection,
    filter: &AggregateFilter,
) -> Result<Vec<Place>, sqlx::Error> {
    match (filter.city_id, place_of(filter)) {
        (Some(city), Place::City) => {
            let ids: Vec<(i64,)> =
                sqlx::query_as("SELECT id FROM districts WHERE city_id = $1 ORDER BY id")
                    .bind(city)
                    .fetch_all(&mut *conn)
                    .await?;
            Ok(ids.into_iter().map(|(id,)| Place::District(id)).collect())
        }
        (_, place) => Ok(vec![place]),
    }
}

/// `YYYY-MM` as a year and a month (1–12).
fn year_month(text: &str) -> Option<(i32, u32)> {
    let (year, month) = text.split_once('-')?;
    let month: u32 = month.parse().ok()?;
    Some((year.parse().ok()?, month)).filter(|_| (1..=12).contains(&month))
}
