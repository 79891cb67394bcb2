//! The app for officers, schools and leaders: every page but the administrator's.

fn main() {
    humiao_frontend::start(humiao_frontend::pages::MAIN);
}
