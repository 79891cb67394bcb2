//! The administrator's app, served at `/admin`: records, accounts, links and imports.

fn main() {
    humiao_frontend::start(humiao_frontend::pages::admin::BUNDLE);
}
