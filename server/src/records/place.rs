//! The place (city, district, station, school) a list or an aggregate is asked about, narrowed to
//! what the viewer may see. Sessions' lists and every aggregate narrow alike; it lives among
//! the records because the check that a named place exists and is visible is theirs
//! ([`super::named`]), so that neither the aggregates nor the records import each other for it.

use super::named::{self, Named};
use crate::error::ApiError;
use crate::viewer::{Scope, Viewer};

/// The place a list or an aggregate is asked about, narrowed to what the viewer may see.
#[derive(Debug, Clone, Copy, Default)]
pub struct Place {
    pub city_id: Option<i64>,
    pub district_id: Option<i64>,
    pub station_id: Option<i64>,
    pub school_id: Option<i64>,
}

impl Place {
    /// Fills in the viewer's city, district, station or school. Asking about a place outside the
    /// viewer's scope, or one that does not exist, is 404, as for any id the viewer may not
    /// see (not an empty answer, which would say nothing was done there).
    pub async fn narrow_to(
        &mut self,
        conn: &mut sqlx::AnyConnection,
        viewer: &Viewer,
    ) -> Result<(), ApiError> {
        let asked = named::given([
            (Named::City, self.city_id),
            (Named::District, self.district_id),
            (Named::Station, self.station_id),
            (Named::School, self.school_id),
        ]);
        named::check(conn, viewer, &asked).await?;
        let (district, station, school) = match viewer.scope {
            Scope::All | Scope::City(_) => (None, None, None),
            Scope::District(d) => (Some(d), None, None),
            Scope::Station { district, station } => (Some(district), Some(station), None),
            Scope::School {
                district,
                station,
                school,
            } => (Some(district), Some(station), Some(school)),
        };
        // A city-scoped viewer's city; anyone narrower is held to their district, which
        // lies in their city, so their city is not filled in (a city filter is no narrower).
        let city = match viewer.scope {
            Scope::City(city) => Some(city),
            _ => None,
        };
        for (field, mine) in [
            (&mut self.city_id, city),
            (&mut self.district_id, district),
            (&mut self.station_id, station),
            (&mut self.school_id, school),
        ] {
            match (mine, *field) {
                (None, _) => {}
                (Some(mine), None) => *field = Some(mine),
                (Some(mine), Some(asked)) if asked == mine => {}
                _ => return Err(ApiError::NotFound),
            }
        }
        Ok(())
    }
}
