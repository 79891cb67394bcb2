//! The ids a filter names (`?station_id=23`, `?campaign_id=3`…). Each must name a live record
//! the viewer may see, or the list, aggregate, chart or report is 404, as the record itself
//! would be: an answer of `200 []` would say "nothing was recorded there", which is not
//! what is true. An id that names nothing is 404 too, so a 404 says nothing of what exists
//! outside the scope.
//!
//! A place (district, station, school) is within a viewer's scope as
//! [`super::place::Place::narrow_to`] and the records' read scopes draw it: a district
//! leader's district, an officer's station and the schools of its district (it gives talks
//! at a neighbour's school too), a school itself.
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
    let place = match named {
        Named::District(id) => {
            let row: Option<(i64,)> =
                sqlx::query_as("SELECT id FROM districts WHERE id = $1 AND deleted_at IS NULL")
                    .bind(id)
                    .fetch_optional(&mut *conn)
                    .await?;
            row.map(|(district,)| Place::District(district))
        }
        Named::Station(id) => {
            let row: Option<(i64,)> = sqlx::query_as(
                "SELECT district_id FROM stations WHERE id = $1 AND deleted_at IS NULL",
            )
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
            row.map(|(district,)| Place::Station(district, id))
        }
        Named::School(id) => {
            let row: Option<(i64, i64)> = sqlx::query_as(
                "SELECT district_id, station_id FROM schools WHERE id = $1 AND deleted_at IS NULL",
            )
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
            row.map(|(district, station)| Place::School(district, station, id))
        }
        Named::Campaign(id) => return readable::<Campaigns>(conn, viewer, id).await,
        Named::Topic(id) => return readable::<Topics>(conn, viewer, id).await,
        Named::Film(id) => return readable::<Films>(conn, viewer, id).await,
        Named::Assignment(id) => return readable::<Assignments>(conn, viewer, id).await,
        Named::Training(id) => return readable::<Trainings>(conn, viewer, id).await,
    };
    Ok(place.is_some_and(|p| p.within(&viewer.scope)))
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

/// Where a named place is: its district, station and school, as far as it goes.
#[derive(Debug, Clone, Copy)]
enum Place {
    District(i64),
    Station(i64, i64),
    School(i64, i64, i64),
}

impl Place {
    fn within(self, scope: &Scope) -> bool {
        match (*scope, self) {
            (Scope::City, _) => true,
            (Scope::District(mine), p) => p.district() == mine,
            (Scope::Station { district, station }, Place::Station(_, s)) => {
                s == station && self.district() == district
            }
            // An officer reads the schools of the district, as the schools list shows them.
            (Scope::Station { district, .. }, _) => self.district() == district,
            (
                Scope::School {
                    district,
                    station,
                    school,
                },
                p,
            ) => match p {
                Place::District(d) => d == district,
                Place::Station(d, s) => d == district && s == station,
                Place::School(d, s, id) => d == district && s == station && id == school,
            },
        }
    }

    fn district(self) -> i64 {
        match self {
            Place::District(d) | Place::Station(d, _) | Place::School(d, _, _) => d,
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
        let cases = [
            (Scope::City, Place::School(2, 20, 200), true),
            (tianning, Place::District(1), true),
            (tianning, Place::District(2), false),
            (tianning, Place::Station(1, 11), true),
            (tianning, Place::Station(2, 20), false),
            (tianning, Place::School(2, 20, 200), false),
            (diaozhuang, Place::District(1), true),
            (diaozhuang, Place::Station(1, 10), true),
            (diaozhuang, Place::Station(1, 11), false),
            (diaozhuang, Place::School(1, 11, 110), true),
            (diaozhuang, Place::School(2, 20, 200), false),
            (school, Place::Station(1, 10), true),
            (school, Place::School(1, 10, 100), true),
            (school, Place::School(1, 10, 101), false),
        ];
        for (scope, place, within) in cases {
            assert_eq!(place.within(&scope), within, "{place:?} in {scope:?}");
        }
    }
}
