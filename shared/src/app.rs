//! The web app is three WASM modules, and every page belongs to one: a phone in the field
//! downloads the module of the page it opens, not the leaders' charts or the
//! administrator's forms. The server picks the HTML page that loads a path's module, and the
//! browser leaves links to another module's pages to the browser (a full page load) instead
//! of its router; both ask [`AppModule::of_path`].

/// One of the web app's WASM modules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppModule {
    /// Officers' and schools' pages: the session form, the station's sessions, a school's
    /// screenings, and the sign-in page.
    Main,
    /// The leaders' dashboard with its charts (`/dashboard`).
    Dashboard,
    /// The administrator's records, accounts, links and imports (`/admin/…`).
    Admin,
}

impl AppModule {
    pub const ALL: [AppModule; 3] = [AppModule::Main, AppModule::Dashboard, AppModule::Admin];

    /// The module that shows the page at `path` (the path only, without query or fragment).
    pub fn of_path(path: &str) -> AppModule {
        let under = |prefix: &str| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        if under("/dashboard") {
            AppModule::Dashboard
        } else if under("/admin") {
            AppModule::Admin
        } else {
            AppModule::Main
        }
    }

    /// The frontend binary, and so the `NAME.js` and `NAME_bg.wasm` files, of this module.
    pub fn binary(self) -> &'static str {
        match self {
            AppModule::Main => "humiao_frontend",
            AppModule::Dashboard => "humiao_dashboard",
            AppModule::Admin => "humiao_admin",
        }
    }

    /// The HTML page that loads this module.
    pub fn html_page(self) -> &'static str {
        match self {
            AppModule::Main => "index.html",
            AppModule::Dashboard => "dashboard.html",
            AppModule::Admin => "admin.html",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AppModule::{self, *};

    #[test]
    fn each_path_belongs_to_the_module_that_draws_it() {
        let cases: &[(&str, AppModule)] = &[
            ("/", Main),
            ("/s", Main),
            ("/sessions", Main),
            ("/sessions/12", Main),
            ("/dashboard", Dashboard),
            ("/dashboard/", Dashboard),
            ("/admin", Admin),
            ("/admin/stations", Admin),
            // Only whole path segments count.
            ("/administration", Main),
            ("/dashboards", Main),
        ];
        for (path, module) in cases {
            assert_eq!(AppModule::of_path(path), *module, "{path}");
        }
    }
}
