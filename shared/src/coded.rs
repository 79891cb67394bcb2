//! Enums whose variants have stable codes (a session's format, a role, an indicator…): the
//! code is what is stored, sent over the wire and written in URLs, so it must never drift
//! from the serde name. [`coded_enum!`](crate::coded_enum) declares such an enum with each
//! variant's code written once; `code()`, `from_code()`, `ALL` and the serde names all
//! follow from that one list.

/// Declares a fieldless enum with a code per variant (`Variant = "code"`): adds
/// `#[serde(rename = "code")]` to each variant, and `ALL` (every variant, in order),
/// `code()` and `from_code()`. The enum derives `Serialize`/`Deserialize` itself, so that
/// the serde name can only be the code.
#[macro_export]
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            // `tt`, not `literal`: a `literal` fragment reaches the derives wrapped in an
            // invisible group, which utoipa's `ToSchema` does not read as the rename (its
            // schema would list the variants' Rust names); a `tt` reaches them as written.
            $( $(#[$variant_meta:meta])* $variant:ident = $code:tt ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(serde::Serialize, serde::Deserialize)]
        $vis enum $name {
            $( $(#[$variant_meta])* #[serde(rename = $code)] $variant ),+
        }

        impl $name {
            /// Every variant, in the order declared.
            pub const ALL: [$name; [$($code),+].len()] = [$($name::$variant),+];

            /// The stable code, as stored and sent over the wire.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            /// The variant with this code, if any.
            pub fn from_code(code: &str) -> Option<$name> {
                match code {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use std::fmt::Debug;

    use serde::de::DeserializeOwned;
    use serde::Serialize;

    use crate::account::Role;
    use crate::charts::ChartName;
    use crate::import::ImportKind;
    use crate::org::SchoolKind;
    use crate::outcome::Indicator;
    use crate::screening::ShowMethod;
    use crate::session::SessionFormat;

    /// Every variant: serde writes and reads it as its code, `from_code` finds it, and no
    /// two variants share a code.
    fn check<T: Serialize + DeserializeOwned + Copy + PartialEq + Debug>(
        all: &[T],
        code: fn(T) -> &'static str,
        from_code: fn(&str) -> Option<T>,
    ) {
        for &variant in all {
            let written = serde_json::to_value(variant).unwrap();
            assert_eq!(written, serde_json::json!(code(variant)), "{variant:?}");
            let read: T = serde_json::from_value(written).unwrap();
            assert_eq!(read, variant);
            assert_eq!(from_code(code(variant)), Some(variant), "{variant:?}");
            let sharing = all.iter().filter(|v| code(**v) == code(variant)).count();
            assert_eq!(sharing, 1, "{variant:?}: its code is its own");
        }
        assert_eq!(from_code("no_such_code"), None);
    }

    #[test]
    fn every_coded_enum_is_written_and_read_by_its_code() {
        let cases: [(&str, fn()); 7] = [
            ("SessionFormat", || {
                check(
                    &SessionFormat::ALL,
                    SessionFormat::code,
                    SessionFormat::from_code,
                )
            }),
            ("Role", || check(&Role::ALL, Role::code, Role::from_code)),
            ("SchoolKind", || {
                check(&SchoolKind::ALL, SchoolKind::code, SchoolKind::from_code)
            }),
            ("Indicator", || {
                check(&Indicator::ALL, Indicator::code, Indicator::from_code)
            }),
            ("ShowMethod", || {
                check(&ShowMethod::ALL, ShowMethod::code, ShowMethod::from_code)
            }),
            ("ChartName", || {
                check(&ChartName::ALL, ChartName::code, ChartName::from_code)
            }),
            ("ImportKind", || {
                check(&ImportKind::ALL, ImportKind::code, ImportKind::from_code)
            }),
        ];
        for (name, case) in cases {
            eprintln!("{name}");
            case();
        }
    }

    /// The API document lists the codes, not the variants' Rust names (the server builds
    /// shared with `openapi`, so the workspace's tests run this).
    #[cfg(feature = "openapi")]
    #[test]
    fn the_api_document_lists_every_code() {
        fn listed<T: utoipa::PartialSchema>() -> serde_json::Value {
            serde_json::to_value(T::schema()).unwrap()["enum"].clone()
        }
        fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> serde_json::Value {
            all.iter().map(|v| code(*v)).collect()
        }
        let cases = [
            (
                listed::<SessionFormat>(),
                codes(&SessionFormat::ALL, SessionFormat::code),
            ),
            (listed::<Role>(), codes(&Role::ALL, Role::code)),
            (
                listed::<SchoolKind>(),
                codes(&SchoolKind::ALL, SchoolKind::code),
            ),
            (
                listed::<Indicator>(),
                codes(&Indicator::ALL, Indicator::code),
            ),
            (
                listed::<ShowMethod>(),
                codes(&ShowMethod::ALL, ShowMethod::code),
            ),
            (
                listed::<ChartName>(),
                codes(&ChartName::ALL, ChartName::code),
            ),
            (
                listed::<ImportKind>(),
                codes(&ImportKind::ALL, ImportKind::code),
            ),
        ];
        for (listed, codes) in cases {
            assert_eq!(listed, codes);
        }
    }

    #[test]
    fn the_codes_are_the_ones_stored() {
        // Stored rows and URLs hold these; a rename would orphan them.
        assert_eq!(SessionFormat::OnlineParents.code(), "online_parents");
        assert_eq!(Role::Officer.code(), "officer");
        assert_eq!(SchoolKind::NineYear.code(), "nine_year");
        assert_eq!(
            Indicator::NightWanderingCared.code(),
            "night_wandering_cared"
        );
        assert_eq!(ShowMethod::Assembly.code(), "assembly");
        assert_eq!(ChartName::SessionsByDistrict.code(), "sessions-by-district");
        assert_eq!(ImportKind::Speakers.code(), "speakers");
    }
}
