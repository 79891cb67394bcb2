//! Accounts as the API shows them: who is signed in, with which role and scope, and the
//! rules a password must pass.

use serde::{Deserialize, Serialize};

use crate::error::{FieldCode, FieldErrors};
use crate::rules;

crate::coded_enum! {
    /// What a person may do; the scope says where.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum Role {
        /// The city bureau's administrators (市局关工委): everything.
        Admin = "admin",
        /// Leaders of the city or of one district: read everything within the scope.
        Leader = "leader",
        /// A station's publicity officer: logs the station's sessions, attendance and outcomes.
        Officer = "officer",
        /// A school: reads its assignments and confirms its screenings.
        School = "school",
        /// A mentoring volunteer (志愿者) of one station, tied to a volunteer record: reads
        /// the cases they are paired with and logs contacts on them, nothing else.
        Volunteer = "volunteer",
    }
}

/// The signed-in person, as `GET /api/v1/auth/me` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    /// The account's name; for a school that came in through its link, `link:{school id}`
    /// (see [`link_actor`]).
    pub username: String,
    pub role: Role,
    /// Set for an account scoped to one city of a province (and for anyone narrower, their
    /// district's city).
    #[serde(default)]
    pub city_id: Option<i64>,
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
        // Signing in refuses them, so such a password could never be used.
        rules::no_controls(password).map(|_| ())
    }
}

impl Login {
    /// Both fields given; a wrong password is the server's to say.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        if self.username.trim().is_empty() {
            errors.push("username", FieldCode::Required);
        } else {
            errors.check("username", rules::no_controls(&self.username));
        }
        if self.password.is_empty() {
            errors.push("password", FieldCode::Required);
        } else if self.password.chars().count() > MAX_PASSWORD_CHARS {
            errors.push("password", FieldCode::TooLong);
        } else {
            errors.check("password", rules::no_controls(&self.password));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Usernames are at most this long.
pub const MAX_USERNAME_CHARS: usize = 64;

/// The name the server gives a school that came in through its link, in the audit log and
/// wherever an actor is named. It holds a `:`, which no username may: an account can never
/// be taken for a school's link, nor a link for an account.
pub fn link_actor(school_id: i64) -> String {
    format!("link:{school_id}")
}

/// The rule a new username must pass (it is given trimmed): 1–64 of `a-z`, `0-9`, `.`, `_`
/// and `-`. One spelling per person (no capitals), nothing a log or a shell misreads, and
/// none of the `:` that every name the server makes for itself holds ([`link_actor`]).
pub fn check_username(username: &str) -> Result<(), FieldCode> {
    if username.is_empty() {
        Err(FieldCode::Required)
    } else if username.chars().count() > MAX_USERNAME_CHARS {
        Err(FieldCode::TooLong)
    } else if !username
        .chars()
        .all(|c| matches!(c, 'a'..='z' | '0'..='9' | '.' | '_' | '-'))
    {
        Err(FieldCode::InvalidUsername)
    } else {
        Ok(())
    }
}

/// An account as administrators see it in `GET /api/v1/users`: never its password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub role: Role,
    /// The one city a leader or an administrator is limited to; with its name.
    #[serde(default)]
    pub city_id: Option<i64>,
    #[serde(default)]
    pub city: Option<String>,
    /// The district of a district leader, an officer's station or a school; with its name.
    pub district_id: Option<i64>,
    pub district: Option<String>,
    /// The station of an officer or a school's area.
    pub station_id: Option<i64>,
    pub station: Option<String>,
    pub school_id: Option<i64>,
    pub school: Option<String>,
    /// A disabled account cannot sign in, and its sessions have ended.
    pub disabled: bool,
    /// When the account was made (RFC 3339, UTC).
    pub created_at: String,
    /// When it last signed in; `null` if it never has.
    pub last_sign_in: Option<String>,
}

/// `POST /api/v1/users`: a new account with its first password.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewAccount {
    /// 1–64 of `a-z`, `0-9`, `.`, `_`, `-`; unique.
    pub username: String,
    pub role: Option<Role>,
    /// The one city of a province a leader or an administrator is limited to; none for the
    /// whole database. A district leader takes their district's city and no other.
    pub city_id: Option<i64>,
    /// A district leader's district; none for a city leader. Other roles take none.
    pub district_id: Option<i64>,
    /// An officer's station (required for an officer; other roles take none).
    pub station_id: Option<i64>,
    /// A school account's school (required for a school; other roles take none).
    pub school_id: Option<i64>,
    /// The first password: at least 10 characters.
    pub password: String,
}

/// Never prints the password.
impl std::fmt::Debug for NewAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAccount")
            .field("username", &self.username)
            .field("role", &self.role)
            .field("city_id", &self.city_id)
            .field("district_id", &self.district_id)
            .field("station_id", &self.station_id)
            .field("school_id", &self.school_id)
            .finish_non_exhaustive()
    }
}

/// Where a new account's rights apply, as its role needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AccountPlace {
    /// The whole database.
    All,
    /// One city of a province.
    City(i64),
    District(i64),
    Station(i64),
    School(i64),
}

/// A new account that passed every rule that needs no database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidAccount {
    pub username: String,
    pub role: Role,
    pub place: AccountPlace,
}

impl NewAccount {
    /// Every problem at once: the username, the role, the place the role needs (and no
    /// other), the password. Whether the place exists is for the server to check.
    pub fn validate(&self) -> Result<ValidAccount, FieldErrors> {
        let mut errors = FieldErrors::default();
        let username = self.username.trim();
        if let Err(code) = check_username(username) {
            errors.push("username", code);
        }
        let place = match self.role {
            None => {
                errors.push("role", FieldCode::Required);
                None
            }
            Some(role) => {
                // Which of the ids the role takes, and whether it must. A city is for
                // leaders and administrators only; anyone narrower has their district's.
                let (wants, required): (&[&str], bool) = match role {
                    Role::Admin => (&["city_id"], false),
                    Role::Leader if self.district_id.is_some() => (&["district_id"], false),
                    Role::Leader => (&["city_id"], false),
                    // A volunteer's account is then tied to their record at the station.
                    Role::Officer | Role::Volunteer => (&["station_id"], true),
                    Role::School => (&["school_id"], true),
                };
                let ids = [
                    ("city_id", self.city_id),
                    ("district_id", self.district_id),
                    ("station_id", self.station_id),
                    ("school_id", self.school_id),
                ];
                for (field, id) in ids {
                    match (wants.contains(&field), id) {
                        (false, Some(_)) => errors.push(field, FieldCode::NotForRole),
                        (true, None) if required => errors.push(field, FieldCode::Required),
                        _ => {}
                    }
                }
                let city = || self.city_id.map_or(AccountPlace::All, AccountPlace::City);
                Some(match role {
                    Role::Admin => city(),
                    Role::Leader => self.district_id.map_or_else(city, AccountPlace::District),
                    Role::Officer | Role::Volunteer => {
                        AccountPlace::Station(self.station_id.unwrap_or_default())
                    }
                    Role::School => AccountPlace::School(self.school_id.unwrap_or_default()),
                })
            }
        };
        if let Err(code) = check_password(&self.password) {
            errors.push("password", code);
        }
        match (self.role, place) {
            (Some(role), Some(place)) if errors.is_empty() => Ok(ValidAccount {
                username: username.to_string(),
                role,
                place,
            }),
            _ => Err(errors),
        }
    }
}

/// `POST /api/v1/users/{id}/password`: the password an administrator sets.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewPassword {
    /// At least 10 characters.
    pub password: String,
}

/// Never prints the password.
impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword { .. }")
    }
}

impl NewPassword {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        if let Err(code) = check_password(&self.password) {
            errors.push("password", code);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

// Accounts as the admin page names them (see `crate::record`).

use crate::i18n::Text;
use crate::record::{words, Choice, Described, Field, FieldKind, RecordKind};

/// The roles as the admin form offers them.
fn role_choices() -> Vec<Choice> {
    Role::ALL
        .into_iter()
        .map(|role| Choice {
            code: role.code(),
            label: match role {
                Role::Admin => Text::new("管理员", "administrator"),
                Role::Leader => Text::new("领导", "leader"),
                Role::Officer => Text::new("宣讲员", "officer"),
                Role::School => Text::new("学校", "school"),
                Role::Volunteer => Text::new("志愿者", "volunteer"),
            },
        })
        .collect()
}

pub const USERNAME: Field =
    Field::new("username", Text::new("用户名", "Username"), FieldKind::Text).required();
pub const ROLE: Field = Field::new(
    "role",
    Text::new("角色", "Role"),
    FieldKind::Choice(role_choices),
)
.required();
pub const PASSWORD: Field = Field::new(
    "password",
    Text::new("密码", "Password"),
    FieldKind::Password,
)
.required()
.write_only();

impl Described for NewAccount {
    const KIND: &'static RecordKind = &RecordKind {
        collection: "users",
        title: Text::new("账号", "Accounts"),
        fields: &[
            USERNAME,
            ROLE,
            Field::new("city_id", words::CITY, FieldKind::Ref("cities")),
            Field::new("district_id", words::DISTRICT, FieldKind::Ref("districts")),
            Field::new("station_id", words::STATION, FieldKind::Ref("stations")),
            Field::new("school_id", words::SCHOOL, FieldKind::Ref("schools")),
            PASSWORD,
        ],
        // The place's names, looked up, and the account's state.
        computed: &[
            "id",
            "city",
            "district",
            "station",
            "school",
            "disabled",
            "created_at",
            "last_sign_in",
        ],
        natural_key: &["username"],
        export: None,
        import: None,
    };

    fn example() -> Self {
        NewAccount {
            username: "officer.diaozhuang".into(),
            role: Some(Role::Officer),
            city_id: None,
            district_id: None,
            station_id: Some(1),
            school_id: None,
            password: "changzhou-2024-dz".into(),
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
    fn usernames_are_lowercase_letters_digits_dots_dashes_and_underscores() {
        let cases = [
            ("officer.diaozhuang", Ok(())),
            ("leader.tianning", Ok(())),
            ("school.boai", Ok(())),
            ("wang_wei-2", Ok(())),
            ("x", Ok(())),
            ("", Err(FieldCode::Required)),
            (&"x".repeat(64), Ok(())),
            (&"x".repeat(65), Err(FieldCode::TooLong)),
            ("link:11", Err(FieldCode::InvalidUsername)),
            ("Admin", Err(FieldCode::InvalidUsername)),
            ("wang wei", Err(FieldCode::InvalidUsername)),
            ("wang\twei", Err(FieldCode::InvalidUsername)),
            ("王伟", Err(FieldCode::InvalidUsername)),
            ("ｌｉｎｋ", Err(FieldCode::InvalidUsername)),
            ("user/7", Err(FieldCode::InvalidUsername)),
            ("a\u{1f}b", Err(FieldCode::InvalidUsername)),
        ];
        for (username, expected) in cases {
            assert_eq!(check_username(username), expected, "{username:?}");
        }
    }

    #[test]
    fn no_name_the_server_gives_a_link_can_be_a_username() {
        for school in [0, 11, i64::MAX] {
            let actor = link_actor(school);
            assert_eq!(
                check_username(&actor),
                Err(FieldCode::InvalidUsername),
                "{actor}"
            );
        }
    }

    #[test]
    fn roles_read_back_from_their_codes() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("root"), None);
    }

    fn officer() -> NewAccount {
        NewAccount {
            username: " wang.officer ".into(),
            role: Some(Role::Officer),
            station_id: Some(7),
            password: "a long enough phrase".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_account_is_accepted_with_its_username_trimmed() {
        let valid = officer().validate().unwrap();
        assert_eq!(valid.username, "wang.officer");
        assert_eq!(valid.place, AccountPlace::Station(7));
        let city_leader = NewAccount {
            role: Some(Role::Leader),
            station_id: None,
            ..officer()
        };
        assert_eq!(city_leader.validate().unwrap().place, AccountPlace::All);
        let one_city = NewAccount {
            city_id: Some(2),
            ..city_leader.clone()
        };
        assert_eq!(one_city.validate().unwrap().place, AccountPlace::City(2));
        let city_admin = NewAccount {
            role: Some(Role::Admin),
            ..one_city
        };
        assert_eq!(city_admin.validate().unwrap().place, AccountPlace::City(2));
    }

    #[test]
    fn each_role_takes_its_own_place_and_no_other() {
        type Case = (&'static str, fn(&mut NewAccount), &'static str, FieldCode);
        let cases: [Case; 10] = [
            (
                "officer with a city",
                |a| a.city_id = Some(1),
                "city_id",
                FieldCode::NotForRole,
            ),
            (
                "district leader with a city too",
                |a| {
                    a.role = Some(Role::Leader);
                    a.station_id = None;
                    a.district_id = Some(1);
                    a.city_id = Some(1);
                },
                "city_id",
                FieldCode::NotForRole,
            ),
            ("no role", |a| a.role = None, "role", FieldCode::Required),
            (
                "officer without a station",
                |a| a.station_id = None,
                "station_id",
                FieldCode::Required,
            ),
            (
                "officer with a school",
                |a| a.school_id = Some(3),
                "school_id",
                FieldCode::NotForRole,
            ),
            (
                "admin with a station",
                |a| a.role = Some(Role::Admin),
                "station_id",
                FieldCode::NotForRole,
            ),
            (
                "leader with a station",
                |a| a.role = Some(Role::Leader),
                "station_id",
                FieldCode::NotForRole,
            ),
            (
                "school without a school",
                |a| {
                    a.role = Some(Role::School);
                    a.station_id = None;
                },
                "school_id",
                FieldCode::Required,
            ),
            (
                "blank username",
                |a| a.username = "  ".into(),
                "username",
                FieldCode::Required,
            ),
            (
                "username with a space",
                |a| a.username = "wang wei".into(),
                "username",
                FieldCode::InvalidUsername,
            ),
        ];
        for (name, change, field, code) in cases {
            let mut account = officer();
            change(&mut account);
            let errors = account.validate().expect_err(name);
            assert_eq!(errors.get(field), Some(code), "{name}: {errors:?}");
        }
    }

    #[test]
    fn every_problem_with_an_account_is_reported_at_once_and_the_password_never_printed() {
        let account = NewAccount {
            username: "x".repeat(65),
            role: Some(Role::Officer),
            password: "short".into(),
            ..Default::default()
        };
        let errors = account.validate().unwrap_err();
        assert_eq!(errors.get("username"), Some(FieldCode::TooLong));
        assert_eq!(errors.get("station_id"), Some(FieldCode::Required));
        assert_eq!(errors.get("password"), Some(FieldCode::TooShort));
        assert!(!format!("{account:?}").contains("short"));
        let reset = NewPassword {
            password: "secret-phrase-123".into(),
        };
        assert!(reset.validate().is_ok());
        assert!(!format!("{reset:?}").contains("secret"));
    }
}
