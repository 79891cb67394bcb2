//! Accounts as the API shows them: who is signed in, with which role and scope, and the
//! rules a password must pass.

use serde::{Deserialize, Serialize};

use crate::error::{FieldCode, FieldErrors};

/// What a person may do; the scope says where.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The city bureau's administrators (市局关工委): everything.
    Admin,
    /// Leaders of the city or of one district: read everything within the scope.
    Leader,
    /// A station's publicity officer: logs the station's sessions, attendance and outcomes.
    Officer,
    /// A school: reads its assignments and confirms its screenings.
    School,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Leader, Role::Officer, Role::School];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Leader => "leader",
            Role::Officer => "officer",
            Role::School => "school",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// The signed-in person, as `GET /api/v1/auth/me` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    /// The account's name; for a school that came in through its link, `link:{school id}`.
    pub username: String,
    pub role: Role,
    /// Set for a district leader, an officer (their station's district) and a school.
    pub district_id: Option<i64>,
    /// Set for an officer and a school.
    pub station_id: Option<i64>,
    /// Set for a school.
    pub school_id: Option<i64>,
}

/// `POST /api/v1/auth/login`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Login {
    pub username: String,
    pub password: String,
}

/// Passwords are at least this long (a phrase is easier to remember than symbols).
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Hashing a very long input costs time for nothing.
pub const MAX_PASSWORD_CHARS: usize = 200;

/// The rule a new password must pass.
pub fn check_password(password: &str) -> Result<(), FieldCode> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        Err(FieldCode::TooShort)
    } else if n > MAX_PASSWORD_CHARS {
        Err(FieldCode::TooLong)
    } else {
        Ok(())
    }
}

impl Login {
    /// Both fields given; a wrong password is the server's to say.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        if self.username.trim().is_empty() {
            errors.push("username", FieldCode::Required);
        }
        if self.password.is_empty() {
            errors.push("password", FieldCode::Required);
        } else if self.password.chars().count() > MAX_PASSWORD_CHARS {
            errors.push("password", FieldCode::TooLong);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_need_ten_characters() {
        let cases = [
            ("", Err(FieldCode::TooShort)),
            ("123456789", Err(FieldCode::TooShort)),
            ("1234567890", Ok(())),
            ("护苗护苗护苗护苗护苗", Ok(())),
            (&"x".repeat(201), Err(FieldCode::TooLong)),
        ];
        for (password, expected) in cases {
            assert_eq!(check_password(password), expected, "{password:?}");
        }
    }

    #[test]
    fn roles_read_back_from_their_codes() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("root"), None);
    }
}
