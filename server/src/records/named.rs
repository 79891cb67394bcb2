//! The ids a filter names (`?station_id=23`, `?campaign_id=3`…). Each must name a live record
//! the viewer may see, or the list, aggregate, chart or report is 404, as the record itself
//! would be: an answer of `200 []` would say "nothing was recorded there", which is not
//! what is true. An id that names nothing is 404 too, so a 404 says nothing of what exists
//! outside the scope.
//!
//! A place (city, district, station, school) is within a viewer's scope as
//! [`super::place::Place::narrow_to`] and the records' read scopes draw it: a city's
//! leader or administrator its districts and all in them, a district leader's district,
//! an officer's station and the schools of its district (it gives talks at a neighbour's
//! school too), a school itself; and anyone their own city, which narrows nothing further.
//! Any other record is visible as its own read scope says.

use sqlx::AnyConnection;

use super::assignments::Assignments;
use super::campaigns::Campaigns;
use super::films::Films;
use super::topics::Topics;
use super::trainings::Trainings;
use super::{fetch_visible, Resource};
use crate::error::ApiError;
use crate::viewer::{Scope, Viewer};

/// An id a filter names, with what it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    City(i64),
    District(i64),
    Station(i64),
    School(i64),
    Campaign(i64),
    Topic(i64),
    Film(i64),
    Assignment(i64),
    Training(i64),
}

/// A filter's field: what its id names, and the id if one was given.
pub type Field = (fn(i64) -> Named, Option<i64>);

/// The ids of a filter's fields that were given.
pub fn given<const N: usize>(fields: [Field; N]) -> Vec<Named> {
    fields
        .into_iter()
        .filter_map(|(kind, id)| id.map(kind))
        .collect()
}

/// 404 unless every id names a live record the viewer may see.
pub async fn check(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    named: &[Named],
) -> Result<(), ApiError> {
    for &n in named {
        if !visible(conn, viewer, n).await? {
            return Err(ApiError::NotFound);
        }
    }
    Ok(())
}

async fn visible(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    named: Named,
) -> Result<bool, ApiError> {
    match named {
        Named::City(_) | Named::District(_) | Named::Station(_) | Named::School(_) => {
            Ok(within_scope(conn, viewer, named).await?)
        }
        Named::Campaign(id) => readable::<Campaigns>(conn, viewer, id).await,
        Named::Topic(id) => readable::<Topics>(conn, viewer, id).await,
        Named::Film(id) => readable::<Films>(conn, viewer, id).await,
        Named::Assignment(id) => readable::<Assignments>(conn, viewer, id).await,
        Named::Training(id) => readable::<Trainings>(conn, viewer, id).await,
    }
}

/// Is the named place (a city, district, station or school) live and within the viewer's
/// scope? Any other kind is not a place, and so within none. The write checks of records
/// that belong to a place (a city administrator's stations, schools, sessions) ask this.
pub async fn within_scope(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    named: Named,
) -> Result<bool, sqlx::Error> {
    let place = match named {
        Named::City(id) => {
            let row: Option<(i64,)> =
                sqlx::query_as("SELECT id FROM cities WHERE id = $1 AND deleted_at IS NULL")
                    .bind(id)
                    .fetch_optional(&mut *conn)
                    .await?;
            row.map(|(city,)| Place::City(city))
        }
        Named::District(id) => {
            let row: Option<(i64,)> = sqlx::query_as(
                "SELECT city_id FROM districts WHERE id = $1 AND deleted_at IS NULL",
            )
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
            row.map(|(city,)| Place::District(city, id))
        }
        Named::Station(id) => {
            let row: Option<(i64, i64)> = sqlx::query_as(
                "SELECT d.city_id, t.district_id FROM stations t
                 JOIN districts d ON d.id = t.district_id
                 WHERE t.id = $1 AND t.deleted_at IS NULL",
            )
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
            row.map(|(city, district)| Place::Station(city, district, id))
        }
        Named::School(id) => {
            let row: Option<(i64, i64, i64)> = sqlx::query_as(
                "SELECT d.city_id, t.district_id, t.station_id FROM schools t
                 JOIN districts d ON d.id = t.district_id
                 WHERE t.id = $1 AND t.deleted_at IS NULL",
            )
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
            row.map(|(city, district, station)| Place::School(city, district, station, id))
        }
        _ => None,
    };
    // Anyone narrower than a city may still name their own city: the answer is narrowed to
    // their district or station all the same (see `Place::narrow_to`).
    let own_city = |p: &Place| matches!(p, Place::City(c) if viewer.city == Some(*c));
    Ok(place.is_some_and(|p| p.within(&viewer.scope) || own_city(&p)))
}

/// A record the viewer's read scope shows; a kind the viewer reads none of shows none.
async fn readable<R: Resource>(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: i64,
) -> Result<bool, ApiError> {
    match fetch_visible::<R>(conn, viewer, id).await {
        Ok(found) => Ok(found.is_some()),
        Err(ApiError::Forbidden) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Where a named place is: its city, district, station and school, as far as it goes.
#[derive(Debug, Clone, Copy)]
enum Place {
    City(i64),
    District(i64, i64),
    Station(i64, i64, i64),
    School(i64, i64, i64, i64),
}

impl Place {
    fn within(self, scope: &Scope) -> bool {
        match (*scope, self) {
            (Scope::All, _) => true,
            (Scope::City(mine), p) => p.city() == mine,
            // Below the city, only the viewer's own city is named by its id.
            (_, Place::City(_)) => false,
            (Scope::District(mine), p) => p.district() == Some(mine),
            (Scope::Station { district, station }, Place::Station(_, _, s)) => {
                s == station && self.district() == Some(district)
            }
            // An officer reads the schools of the district, as the schools list shows them.
            (Scope::Station { district, .. }, _) => self.district() == Some(district),
            (
                Scope::School {
                    district,
                    station,
                    school,
                },
                p,
            ) => match p {
                Place::City(_) => false,
                Place::District(_, d) => d == district,
                Place::Station(_, d, s) => d == district && s == station,
                Place::School(_, d, s, id) => d == district && s == station && id == school,
            },
        }
    }

    fn city(self) -> i64 {
        match self {
            Place::City(c)
            | Place::District(c, _)
            | Place::Station(c, _, _)
            | Place::School(c, _, _, _) => c,
        }
    }

    fn district(self) -> Option<i64> {
        match self {
            Place::City(_) => None,
            Place::District(_, d) | Place::Station(_, d, _) | Place::School(_, d, _, _) => Some(d),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_is_within_the_scopes_that_contain_it() {
        let tianning = Scope::District(1);
        let diaozhuang = Scope::Station {
            district: 1,
            station: 10,
        };
        let school = Scope::School {
            district: 1,
            station: 10,
            school: 100,
        };
        // City 7 holds districts 1 and 2; city 8 holds district 3.
        let changzhou = Scope::City(7);
        let cases = [
            (Scope::All, Place::School(8, 3, 30, 300), true),
            (Scope::All, Place::City(8), true),
            (changzhou, Place::City(7), true),
            (changzhou, Place::City(8), false),
            (changzhou, Place::District(7, 2), true),
            (changzhou, Place::District(8, 3), false),
            (changzhou, Place::Station(8, 3, 30), false),
            (changzhou, Place::School(7, 2, 20, 200), true),
            (changzhou, Place::School(8, 3, 30, 300), false),
            (tianning, Place::City(7), false),
            (tianning, Place::District(7, 1), true),
            (tianning, Place::District(7, 2), false),
            (tianning, Place::Station(7, 1, 11), true),
            (tianning, Place::Station(7, 2, 20), false),
            (tianning, Place::School(7, 2, 20, 200), false),
            (diaozhuang, Place::District(7, 1), true),
            (diaozhuang, Place::Station(7, 1, 10), true),
            (diaozhuang, Place::Station(7, 1, 11), false),
            (diaozhuang, Place::School(7, 1, 11, 110), true),
            (diaozhuang, Place::School(7, 2, 20, 200), false),
            (school, Place::Station(7, 1, 10), true),
            (school, Place::School(7, 1, 10, 100), true),
            (school, Place::School(7, 1, 10, 101), false),
        ];
        for (scope, place, within) in cases {
            assert_eq!(place.within(&scope), within, "{place:?} in {scope:?}");
        }
    }
}
