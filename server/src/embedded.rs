//! The web app compiled into the binary (the `embed-site` feature): the folder named by
//! `HUMIAO_EMBED_SITE` when the binary is built, which `cargo xtask dist` sets to the site it
//! has just built. Even a debug build carries the files (`debug-embed`), so the tests' archive
//! is as self-contained as a release.

use std::borrow::Cow;

/// Read here so that cargo rebuilds the binary when the variable names another site
/// (rust-embed reads it in a proc macro, which cargo does not track).
const _SITE: &str = env!("HUMIAO_EMBED_SITE");

#[derive(rust_embed::Embed)]
#[folder = "$HUMIAO_EMBED_SITE"]
struct Site;

pub fn file(name: &str) -> Option<Cow<'static, [u8]>> {
    Site::get(name).map(|f| f.data)
}
