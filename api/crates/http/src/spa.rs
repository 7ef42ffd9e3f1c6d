//! The built SPA's files. Hashed assets (`/assets/*`, named by Vite after their content) are
//! cached for a year (`immutable`) and served precompressed: the build writes a brotli `.br`
//! and a gzip `.gz` beside each one, and `Accept-Encoding` (with its q-values) picks which
//! file goes out, with `Vary: Accept-Encoding` and the original's `Content-Type`. A missing
//! asset (or any source map) is `404`. Everything else a browser asks for is a file at the root (`favicon.svg`)
//! or a client route, answered by `index.html`; both are `no-cache`, so a new build is seen
//! on the next visit.

use std::path::{Path, PathBuf};

use actix_files::NamedFile;
use actix_web::http::header::{self, ContentEncoding, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse};
use sistema_lavoro_domain::Error;

use super::problem::ApiError;
use super::state::AppState;

/// Hashed assets never change under the same name.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Unhashed files (the page itself): kept, but checked again on every use.
pub const NO_CACHE: &str = "no-cache";

/// The longest relative path an asset request may name.
const MAX_PATH: usize = 255;

/// `GET`/`HEAD /assets/{tail}`: a hashed asset, or `404`.
pub async fn asset(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let tail = req.match_info().query("tail");
    let rel = safe_relative(tail).ok_or(ApiError(Error::NotFound))?;
    // Source maps hand out the whole source, comments included: never served, even if a
    // build left some behind.
    if tail.ends_with(".map") {
        return Err(ApiError(Error::NotFound));
    }
    let path = state.config.static_dir.join("assets").join(rel);
    serve(&req, &path, IMMUTABLE).ok_or(ApiError(Error::NotFound))
}

/// `GET`/`HEAD` of any other path: a file at the root of the SPA, else `index.html` (the
/// client routes, deep links included).
pub async fn page(req: &HttpRequest, static_dir: &Path) -> Result<HttpResponse, ApiError> {
    let raw = req.path().trim_start_matches('/');
    if let Some(rel) = safe_relative(raw) {
        if let Some(res) = serve(req, &static_dir.join(rel), NO_CACHE) {
            return Ok(res);
        }
    }
    serve(req, &static_dir.join("index.html"), NO_CACHE).ok_or(ApiError(Error::NotFound))
}

/// A request path as a path below the static folder: plain segments of letters, digits,
/// `.`, `-` and `_`, none empty or starting with a dot, so `..`, hidden files, encoded
/// separators and absolute paths never reach the file system.
pub fn safe_relative(tail: &str) -> Option<PathBuf> {
    if tail.is_empty() || tail.len() > MAX_PATH {
        return None;
    }
    let mut path = PathBuf::new();
    for segment in tail.split('/') {
        let plain = !segment.is_empty()
            && !segment.starts_with('.')
            && segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
        if !plain {
            return None;
        }
        path.push(segment);
    }
    Some(path)
}

/// The encodings a request accepts, each with its weight (`q`, 0 to 1000).
struct Accepted(Vec<(String, u16)>);

impl Accepted {
    fn parse(req: &HttpRequest) -> Accepted {
        let mut items = Vec::new();
        for value in req.headers().get_all(header::ACCEPT_ENCODING) {
            let Ok(value) = value.to_str() else { continue };
            for item in value.split(',') {
                let mut parts = item.split(';');
                let coding = parts.next().unwrap_or("").trim().to_ascii_lowercase();
                if coding.is_empty() {
                    continue;
                }
                let mut q = 1000;
                for param in parts {
                    if let Some((k, v)) = param.split_once('=') {
                        if k.trim().eq_ignore_ascii_case("q") {
                            q = parse_q(v.trim()).unwrap_or(0);
                        }
                    }
                }
                let coding = if coding == "x-gzip" {
                    "gzip".into()
                } else {
                    coding
                };
                items.push((coding, q));
            }
        }
        Accepted(items)
    }

    /// The weight of `coding`: its own, else that of `*`, else 0. `identity` not named is
    /// acceptable but least preferred (any accepted compression beats it).
    fn weight(&self, coding: &str) -> u16 {
        let own = self.0.iter().find(|(c, _)| c == coding).map(|(_, q)| *q);
        let any = self.0.iter().find(|(c, _)| c == "*").map(|(_, q)| *q);
        match (own, any) {
            (Some(q), _) => q,
            (None, Some(q)) => q,
            (None, None) if coding == "identity" => 1,
            (None, None) => 0,
        }
    }
}

/// A q-value (`0`, `0.5`, `1.000`) in thousandths.
fn parse_q(v: &str) -> Option<u16> {
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    if frac.len() > 3 || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let whole: u16 = match int {
        "0" => 0,
        "1" => 1000,
        _ => return None,
    };
    let thousandths: u16 = format!("{frac:0<3}").parse().ok()?;
    let q = whole + thousandths;
    (q <= 1000).then_some(q)
}

/// The file to send for `path`: its `.br` or `.gz` sibling when the request prefers one that
/// exists (brotli first on equal weight), else the file itself. A range request always gets
/// the original, so byte offsets mean the same for every client.
fn negotiate(req: &HttpRequest, path: &Path) -> (PathBuf, Option<ContentEncoding>) {
    let original = (path.to_path_buf(), None);
    if req.headers().contains_key(header::RANGE) {
        return original;
    }
    let accepted = Accepted::parse(req);
    let mut best = (accepted.weight("identity"), original);
    for (suffix, coding, encoding) in [
        ("gz", "gzip", ContentEncoding::Gzip),
        ("br", "br", ContentEncoding::Brotli),
    ] {
        let q = accepted.weight(coding);
        let mut name = path.as_os_str().to_owned();
        name.push(".");
        name.push(suffix);
        let candidate = PathBuf::from(name);
        if q > 0 && q >= best.0 && candidate.is_file() {
            best = (q, (candidate, Some(encoding)));
        }
    }
    best.1
}

/// `path` as an answer with `cache_control`, or `None` when it is not a file.
fn serve(req: &HttpRequest, path: &Path, cache_control: &'static str) -> Option<HttpResponse> {
    if !path.is_file() {
        return None;
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let mime = actix_files::file_extension_to_mime(ext);
    let (file, encoding) = negotiate(req, path);
    let mut file = NamedFile::open(&file)
        .ok()?
        .set_content_type(mime)
        .disable_content_disposition();
    if let Some(encoding) = encoding {
        file = file.set_content_encoding(encoding);
    }
    let mut res = file.into_response(req);
    let headers = res.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    Some(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_below_the_folder() {
        assert!(safe_relative("index-abc.js").is_some());
        assert!(safe_relative("sub/app-1_2.css").is_some());
        for bad in [
            "",
            "..",
            "../x",
            "a/../b",
            ".env",
            "a//b",
            "/etc/passwd",
            "a\\b",
            "%2e%2e",
            "a%2Fb",
        ] {
            assert!(safe_relative(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn q_values() {
        assert_eq!(parse_q("1"), Some(1000));
        assert_eq!(parse_q("0"), Some(0));
        assert_eq!(parse_q("0.5"), Some(500));
        assert_eq!(parse_q("0.125"), Some(125));
        assert_eq!(parse_q("1.000"), Some(1000));
        assert_eq!(parse_q("1.5"), None);
        assert_eq!(parse_q("0.1234"), None);
        assert_eq!(parse_q("x"), None);
    }
}
