//! Who is asking and where their rights apply: the [`Viewer`] every handler that reads or
//! changes records takes, and its [`Scope`]. A leaf: it imports nothing of the server's, so
//! `auth` (which makes a viewer from a session), `db` (which audits one) and `records`
//! (which scope their reads by one) can all use it without importing each other.

use humiao_shared::account::{Me, Role};

/// Where a viewer's rights apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The whole database (every city of a province).
    All,
    /// One city of a province: the districts whose `city_id` it is.
    City(i64),
    District(i64),
    Station {
        district: i64,
        station: i64,
    },
    School {
        district: i64,
        station: i64,
        school: i64,
    },
}

/// The person behind a request, with role and scope.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// The account; `None` for a school that came in through its link.
    pub user_id: Option<i64>,
    pub username: String,
    pub role: Role,
    pub scope: Scope,
    /// The city the scope lies in: a city-scoped account's, and for anyone narrower their
    /// district's city; `None` for the whole database.
    pub city: Option<i64>,
    /// The one campaign a school that came in through its link may act in.
    pub campaign: Option<i64>,
}

impl Viewer {
    /// An administrator of the whole database or of one city.
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// An administrator of the whole database: the only one who may change what every city
    /// shares (cities, topics, films, campaigns, trainings) and read the whole audit trail.
    pub fn manages_all(&self) -> bool {
        self.is_admin() && self.scope == Scope::All
    }

    /// The name the audit log records for this viewer's changes.
    pub fn actor(&self) -> &str {
        &self.username
    }

    /// Whose idempotency keys this viewer's requests use: an account by its id, a school
    /// that came in through its link by the school. Never a name, so no account can be
    /// given another account's or a school's stored answers, whatever it is called.
    pub fn key_owner(&self) -> String {
        match self.user_id {
            Some(id) => format!("user:{id}"),
            // Only a school's link signs in without an account.
            None => humiao_shared::account::link_actor(self.school().unwrap_or_default()),
        }
    }

    pub fn me(&self) -> Me {
        let (district_id, station_id, school_id) = match self.scope {
            Scope::All | Scope::City(_) => (None, None, None),
            Scope::District(d) => (Some(d), None, None),
            Scope::Station { district, station } => (Some(district), Some(station), None),
            Scope::School {
                district,
                station,
                school,
            } => (Some(district), Some(station), Some(school)),
        };
        Me {
            username: self.username.clone(),
            role: self.role,
            city_id: self.city,
            district_id,
            station_id,
            school_id,
        }
    }

    pub fn district(&self) -> Option<i64> {
        match self.scope {
            Scope::All | Scope::City(_) => None,
            Scope::District(d) => Some(d),
            Scope::Station { district, .. } | Scope::School { district, .. } => Some(district),
        }
    }

    pub fn station(&self) -> Option<i64> {
        match self.scope {
            Scope::Station { station, .. } | Scope::School { station, .. } => Some(station),
            _ => None,
        }
    }

    pub fn school(&self) -> Option<i64> {
        match self.scope {
            Scope::School { school, .. } => Some(school),
            _ => None,
        }
    }
}

impl Scope {
    /// The scope an account's role and ids describe; a role without its ids has the whole
    /// database. Only leaders and administrators are ever scoped to a city.
    pub fn of(
        role: Role,
        city: Option<i64>,
        district: Option<i64>,
        station: Option<i64>,
        school: Option<i64>,
    ) -> Scope {
        match (role, district, station, school) {
            (Role::School, Some(district), Some(station), Some(school)) => Scope::School {
                district,
                station,
                school,
            },
            (Role::Officer | Role::Volunteer, Some(district), Some(station), _) => {
                Scope::Station { district, station }
            }
            (Role::Leader, Some(district), _, _) => Scope::District(district),
            (Role::Leader | Role::Admin, None, _, _) => city.map_or(Scope::All, Scope::City),
            _ => Scope::All,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_leaders_and_administrators_are_scoped_to_a_city_and_a_district_comes_first() {
        let cases = [
            (Role::Admin, Some(3), None, None, None, Scope::City(3)),
            (Role::Admin, None, None, None, None, Scope::All),
            (Role::Leader, Some(3), None, None, None, Scope::City(3)),
            (Role::Leader, None, Some(1), None, None, Scope::District(1)),
            (
                Role::Leader,
                Some(3),
                Some(1),
                None,
                None,
                Scope::District(1),
            ),
            (
                Role::Officer,
                Some(3),
                Some(1),
                Some(10),
                None,
                Scope::Station {
                    district: 1,
                    station: 10,
                },
            ),
        ];
        for (role, city, district, station, school, scope) in cases {
            assert_eq!(
                Scope::of(role, city, district, station, school),
                scope,
                "{role:?} {city:?} {district:?}"
            );
        }
    }

    #[test]
    fn keys_belong_to_an_account_by_its_id_and_to_a_link_by_its_school_never_to_a_name() {
        let school = Scope::School {
            district: 1,
            station: 2,
            school: 11,
        };
        let viewer = |user_id, username: &str| Viewer {
            user_id,
            username: username.into(),
            role: Role::School,
            scope: school,
            city: Some(1),
            campaign: None,
        };
        let link = viewer(None, "link:11");
        // An account stored before usernames were checked, named like the link.
        let namesake = viewer(Some(7), "link:11");
        let renamed = viewer(Some(7), "school.diaozhuang");
        assert_eq!(link.key_owner(), "link:11");
        assert_eq!(namesake.key_owner(), "user:7");
        assert_eq!(renamed.key_owner(), namesake.key_owner());
        assert_ne!(viewer(Some(11), "link").key_owner(), link.key_owner());
    }
}
