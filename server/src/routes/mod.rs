//! HTTP routes: one module per resource, each with its own `configure`.

pub mod aggregates;
mod app;
pub mod audit;
pub mod auth;
pub mod charts;
mod health;
pub mod imports;
pub mod links;
pub mod org;
pub mod users;

use actix_web::web;

use crate::error::ApiError;
use crate::records::assignments::Assignments;
use crate::records::campaigns::Campaigns;
use crate::records::confirmations::Confirmations;
use crate::records::districts::Districts;
use crate::records::films::Films;
use crate::records::handlers;
use crate::records::outcomes::Outcomes;
use crate::records::schools::Schools;
use crate::records::sessions::Sessions;
use crate::records::stations::Stations;
use crate::records::topics::Topics;
use crate::records::trainees::Trainees;
use crate::records::trainings::Trainings;

pub use app::configure as configure_app;

/// Everything under `/api`.
pub fn configure_api(cfg: &mut web::ServiceConfig) {
    // An id that is not a number names nothing: 404 like any other unknown id.
    cfg.app_data(web::PathConfig::default().error_handler(|_, _| ApiError::NotFound.into()));
    // The document and its interactive page sit beside the `/api` scope, whose fallback
    // would otherwise answer 404 for them.
    cfg.configure(crate::openapi::configure);
    cfg.service(
        web::scope("/api")
            .configure(health::configure)
            .service(
                web::scope("/v1")
                    .wrap(actix_web::middleware::from_fn(
                        crate::auth::csrf::same_origin,
                    ))
                    .configure(auth::configure)
                    .configure(links::configure)
                    .configure(org::configure)
                    .configure(handlers::configure::<Districts>)
                    .configure(handlers::configure::<Stations>)
                    .configure(handlers::configure::<Schools>)
                    .configure(handlers::configure::<Topics>)
                    .configure(handlers::configure::<Campaigns>)
                    .configure(handlers::configure::<Films>)
                    .configure(handlers::configure::<Assignments>)
                    .configure(handlers::configure::<Confirmations>)
                    .configure(handlers::configure::<Trainings>)
                    .configure(handlers::configure::<Trainees>)
                    .configure(handlers::configure::<Outcomes>)
                    .configure(handlers::configure::<Sessions>)
                    .configure(aggregates::configure)
                    .configure(charts::configure)
                    .configure(audit::configure)
                    .configure(users::configure)
                    .configure(imports::configure)
                    .default_service(web::to(not_found)),
            )
            .default_service(web::to(not_found)),
    );
}

/// The place a list or an aggregate is asked about, narrowed to what the viewer may see.
#[derive(Debug, Clone, Copy, Default)]
pub struct Place {
    pub district_id: Option<i64>,
    pub station_id: Option<i64>,
    pub school_id: Option<i64>,
}

impl Place {
    /// Fills in the viewer's district, station or school. Asking about a place outside the
    /// viewer's scope, or one that does not exist, is 404, as for any id the viewer may not
    /// see (not an empty answer, which would say nothing was done there).
    pub async fn narrow_to(
        &mut self,
        conn: &mut sqlx::AnyConnection,
        viewer: &crate::auth::Viewer,
    ) -> Result<(), ApiError> {
        use crate::auth::Scope;
        use crate::records::named::{self, Named};
        let asked = named::given([
            (Named::District, self.district_id),
            (Named::Station, self.station_id),
            (Named::School, self.school_id),
        ]);
        named::check(conn, viewer, &asked).await?;
        let (district, station, school) = match viewer.scope {
            Scope::City => (None, None, None),
            Scope::District(d) => (Some(d), None, None),
            Scope::Station { district, station } => (Some(district), Some(station), None),
            Scope::School {
                district,
                station,
                school,
            } => (Some(district), Some(station), Some(school)),
        };
        for (field, mine) in [
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

/// A path whose routes are added to it; any other method is 405 with `Allow: {allow}`.
pub fn resource(path: &str, allow: &'static str) -> actix_web::Resource {
    web::resource(path).default_service(web::to(move || async move {
        Err::<actix_web::HttpResponse, _>(ApiError::MethodNotAllowed { allow })
    }))
}

async fn not_found() -> Result<actix_web::HttpResponse, ApiError> {
    Err(ApiError::NotFound)
}
