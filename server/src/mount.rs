//! Mounting the API's paths, and a record of what was mounted. Every path of the API is
//! added through [`resource`], which also answers 405 with the `Allow` header for any other
//! method; while [`recording`] runs, each call is also written down with the prefix of the
//! scopes around it ([`under`]). actix-web cannot list its routes, so this record is how a
//! test compares what is mounted with the API document, from the same `configure`
//! functions the server runs. A leaf: `routes` and `records` (whose generic handlers mount
//! every record kind) both use it without importing each other.

use std::cell::RefCell;
use std::collections::BTreeSet;

use actix_web::web;

use crate::error::ApiError;

/// A mounted operation: its method (upper case) and full path.
pub type Operation = (String, String);

thread_local! {
    /// The path of the scopes being configured on this thread.
    static PREFIX: RefCell<String> = const { RefCell::new(String::new()) };
    /// What was mounted, while [`recording`]; `None` otherwise (the server itself).
    static MOUNTED: RefCell<Option<BTreeSet<Operation>>> = const { RefCell::new(None) };
}

/// A path whose routes are added to it; any other method is 405 with `Allow: {allow}`.
/// `allow` is the list of the methods routed, and what is recorded.
pub fn resource(path: &str, allow: &'static str) -> actix_web::Resource {
    record(path, allow);
    web::resource(path).default_service(web::to(move || async move {
        Err::<actix_web::HttpResponse, _>(ApiError::MethodNotAllowed { allow })
    }))
}

/// Writes down the methods `allow` lists for `path` (below the current scopes), when
/// recording. For paths mounted without [`resource`] (the report's page answers its own 405).
pub fn record(path: &str, allow: &str) {
    MOUNTED.with_borrow_mut(|mounted| {
        if let Some(mounted) = mounted {
            let full = PREFIX.with_borrow(|prefix| format!("{prefix}{path}"));
            for method in allow.split(',').map(str::trim).filter(|m| !m.is_empty()) {
                mounted.insert((method.to_ascii_uppercase(), full.clone()));
            }
        }
    });
}

/// Runs `configure` (which builds a scope at `prefix`) with `prefix` added to the paths it
/// records.
pub fn under<T>(prefix: &str, configure: impl FnOnce() -> T) -> T {
    let outer = PREFIX.with_borrow_mut(|p| {
        let outer = p.clone();
        p.push_str(prefix);
        outer
    });
    let scope = configure();
    PREFIX.set(outer);
    scope
}

/// Every operation `mount` mounts, as [`resource`] and [`record`] were told.
pub fn recording(mount: impl FnOnce()) -> BTreeSet<Operation> {
    MOUNTED.set(Some(BTreeSet::new()));
    mount();
    MOUNTED.take().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_are_recorded_with_their_scopes_prefix_and_each_allowed_method() {
        let mounted = recording(|| {
            let _ = resource("/health", "GET");
            under("/api", || {
                under("/v1", || {
                    let _ = resource("/users/{id}", "GET, PUT");
                });
                let _ = resource("/ping", "POST");
            });
        });
        let expected: BTreeSet<Operation> = [
            ("GET", "/health"),
            ("GET", "/api/v1/users/{id}"),
            ("PUT", "/api/v1/users/{id}"),
            ("POST", "/api/ping"),
        ]
        .into_iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
        assert_eq!(mounted, expected);
        // Outside `recording`, nothing is kept.
        let _ = resource("/later", "GET");
        assert!(recording(|| {}).is_empty());
    }
}
