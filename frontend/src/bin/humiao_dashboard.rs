//! The leaders' dashboard, served at `/dashboard`: figures, charts, drill-down and exports.

fn main() {
    humiao_frontend::start(humiao_frontend::pages::dashboard::BUNDLE);
}
