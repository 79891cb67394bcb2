//! Where the web app's files come from: a folder on disk (`--assets-dir`, what development
//! and the tests use), or the files compiled into the release binary (the `embed-site`
//! feature of the `humiao` binary), so that a deployment is one file.
//!
//! The embedded files live in the binary, not in this library: the tests link the library
//! without carrying megabytes of WASM. The binary hands them over with [`embed`] before it
//! starts.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Looks a file of the built site up by its name (`index.html`, `boot.<hash>.js`).
pub type EmbeddedFiles = fn(&str) -> Option<Cow<'static, [u8]>>;

static EMBEDDED: OnceLock<EmbeddedFiles> = OnceLock::new();

/// Called once by the binary that carries the site; later calls change nothing.
pub fn embed(files: EmbeddedFiles) {
    let _ = EMBEDDED.set(files);
}

/// Where the web app's files are read from.
#[derive(Clone)]
pub enum SiteFiles {
    Disk(PathBuf),
    Embedded(EmbeddedFiles),
}

/// Where `cargo run` writes the site, read when nothing else is given.
const DEFAULT_DIR: &str = "./target/site";

impl SiteFiles {
    /// The folder named with `--assets-dir` if any, else the files in the binary, else the
    /// build tree's site.
    pub fn choose(assets_dir: Option<&Path>) -> SiteFiles {
        match (assets_dir, EMBEDDED.get()) {
            (Some(dir), _) => SiteFiles::Disk(dir.to_path_buf()),
            (None, Some(files)) => SiteFiles::Embedded(*files),
            (None, None) => SiteFiles::Disk(PathBuf::from(DEFAULT_DIR)),
        }
    }

    /// Whether there is an app to serve at all.
    pub fn is_built(&self) -> bool {
        match self {
            SiteFiles::Disk(dir) => dir.join("index.html").is_file(),
            SiteFiles::Embedded(files) => files("index.html").is_some(),
        }
    }

    /// Where the files come from, for the log.
    pub fn describe(&self) -> String {
        match self {
            SiteFiles::Disk(dir) => dir.display().to_string(),
            SiteFiles::Embedded(_) => "the files built into this binary".into(),
        }
    }

    /// The file `name`, a plain file name or path inside the site (see [`file_name`]).
    pub async fn read(&self, name: &str) -> Option<Cow<'static, [u8]>> {
        match self {
            SiteFiles::Disk(dir) => tokio::fs::read(dir.join(name)).await.ok().map(Cow::Owned),
            SiteFiles::Embedded(files) => files(name),
        }
    }
}

/// The site's file a request path names, or `None` when it cannot name one: `/` is
/// `index.html`; `..`, hidden names, backslashes and escapes never reach the disk.
pub fn file_name(path: &str) -> Option<&str> {
    let name = path.strip_prefix('/')?;
    if name.is_empty() {
        return Some("index.html");
    }
    let plain = name.split('/').all(|part| {
        !part.is_empty()
            && !part.starts_with('.')
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    });
    plain.then_some(name)
}

/// Whether the name carries its content's hash (`NAME.<16 hex digits>.EXT`, as the xtask
/// writes them): such a file never changes, and browsers may keep it for good.
pub fn is_hashed(name: &str) -> bool {
    let mut parts = name.rsplit('.');
    let (_ext, hash) = (parts.next(), parts.next());
    parts.next().is_some()
        && hash.is_some_and(|h| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_inside_the_site_are_read() {
        let cases = [
            ("/", Some("index.html")),
            ("/sw.js", Some("sw.js")),
            (
                "/snippets/leptos-1/inline0.js",
                Some("snippets/leptos-1/inline0.js"),
            ),
            ("/../etc/passwd", None),
            ("/a/../../b", None),
            ("/.env", None),
            ("//etc/passwd", None),
            ("/a%2e%2e/b", None),
            ("/a\\b", None),
            ("relative", None),
        ];
        for (path, name) in cases {
            assert_eq!(file_name(path), name, "{path}");
        }
    }

    #[test]
    fn hashed_names_are_told_from_fixed_ones() {
        let cases = [
            ("humiao_frontend_bg.0123456789abcdef.wasm", true),
            ("style.0123456789abcdef.css", true),
            ("style.css", false),
            ("sw.js", false),
            ("index.html", false),
            ("boot.0123456789abcdeg.js", false),
            ("boot.0123456789abcde.js", false),
            ("0123456789abcdef.js", false),
        ];
        for (name, hashed) in cases {
            assert_eq!(is_hashed(name), hashed, "{name}");
        }
    }
}
