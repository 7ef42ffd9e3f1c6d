//! The SPA's files over real HTTP: hashed assets precompressed (brotli, gzip) by
//! `Accept-Encoding` with q-values, cached for a year; `index.html` and client routes
//! `no-cache`; a missing asset `404`; no way out of the static folder.
//!
//! A raw HTTP/1.1 client is used so that nothing decodes or normalises behind the test's back.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};

use common::{TempDir, TestApp};

const ASSET: &str = "/assets/index-Ab12_cd.js";
const SECRET: &str = "TOP-SECRET-FILE-CONTENT";
const INDEX: &str = "<!doctype html><title>Sistema Lavoro</title><div id=\"root\"></div>";

/// The script, long and repetitive enough that both encodings shrink it.
fn script() -> Vec<u8> {
    (0..400)
        .map(|i| format!("export const value{i} = 'Sistema Lavoro {i}';\n"))
        .collect::<String>()
        .into_bytes()
}

fn brotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        w.write_all(data).unwrap();
    }
    out
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    w.write_all(data).unwrap();
    w.finish().unwrap()
}

fn unbrotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(data, 4096)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn ungzip(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(data)
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// A static folder as `npm run build` leaves it, with a secret file beside it (outside).
struct Site {
    _dir: TempDir,
    static_dir: PathBuf,
}

fn site() -> Site {
    let root = std::env::temp_dir().join(format!("sl-static-{}", uuid::Uuid::new_v4().simple()));
    let static_dir = root.join("static");
    let assets = static_dir.join("assets");
    std::fs::create_dir_all(&assets).unwrap();
    std::fs::write(root.join("secret.txt"), SECRET).unwrap();
    std::fs::write(static_dir.join("index.html"), INDEX).unwrap();
    std::fs::write(
        static_dir.join("favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    let js = script();
    let name = assets.join("index-Ab12_cd.js");
    std::fs::write(&name, &js).unwrap();
    std::fs::write(with_suffix(&name, "br"), brotli(&js)).unwrap();
    std::fs::write(with_suffix(&name, "gz"), gzip(&js)).unwrap();
    // An asset the build does not compress (already compressed).
    std::fs::write(assets.join("font-Zz9.woff2"), b"wOF2 not really a font").unwrap();
    Site {
        _dir: TempDir(root),
        static_dir,
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn serve(site: &Site) -> TestApp {
    let dir = site.static_dir.clone();
    TestApp::spawn_with(move |c| c.static_dir = dir)
}

/// One answer, its headers (names lower-cased) and its body as bytes.
struct Raw {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Raw {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Sends `method target` as written (no normalisation of `..` or of percent escapes).
fn request(app: &TestApp, method: &str, target: &str, headers: &[(&str, &str)]) -> Raw {
    let addr = app.base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).unwrap();
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete head");
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let body = raw[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    assert!(
        !headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked")),
        "files are sent with a length"
    );
    Raw {
        status,
        headers,
        body,
    }
}

/// Whether the answer says it depends on `Accept-Encoding` (CORS adds its own names).
fn varies(r: &Raw) -> bool {
    r.header("vary").is_some_and(|v| {
        v.split(',')
            .any(|n| n.trim().eq_ignore_ascii_case("accept-encoding"))
    })
}

fn get(app: &TestApp, target: &str, headers: &[(&str, &str)]) -> Raw {
    request(app, "GET", target, headers)
}

#[test]
fn assets_are_sent_precompressed_by_accept_encoding() {
    let site = site();
    let app = serve(&site);
    let js = script();

    let plain = get(&app, ASSET, &[]);
    assert_eq!(plain.status, 200);
    assert_eq!(plain.body, js);
    assert_eq!(plain.header("content-encoding"), None);
    let js_type = plain.header("content-type").unwrap().to_string();
    assert!(js_type.contains("javascript"), "{js_type}");

    // What browsers send: brotli wins.
    let br = get(
        &app,
        ASSET,
        &[("Accept-Encoding", "gzip, deflate, br, zstd")],
    );
    assert_eq!(br.status, 200);
    assert_eq!(br.header("content-encoding"), Some("br"));
    assert_eq!(br.header("content-type"), Some(js_type.as_str()));
    assert!(br.body.len() < js.len() / 4, "{} bytes", br.body.len());
    assert_eq!(
        br.header("content-length"),
        Some(br.body.len().to_string().as_str())
    );
    assert_eq!(unbrotli(&br.body), js);

    let gz = get(&app, ASSET, &[("Accept-Encoding", "gzip")]);
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    assert_eq!(gz.header("content-type"), Some(js_type.as_str()));
    assert_eq!(ungzip(&gz.body), js);

    // Q-values decide, not the order.
    let prefer_gzip = get(&app, ASSET, &[("Accept-Encoding", "br;q=0.5, gzip;q=0.9")]);
    assert_eq!(prefer_gzip.header("content-encoding"), Some("gzip"));
    assert_eq!(ungzip(&prefer_gzip.body), js);
    let refused = get(&app, ASSET, &[("Accept-Encoding", "br;q=0, gzip;q=0")]);
    assert_eq!(refused.header("content-encoding"), None);
    assert_eq!(refused.body, js);
    let identity_first = get(&app, ASSET, &[("Accept-Encoding", "identity, br;q=0.3")]);
    assert_eq!(identity_first.header("content-encoding"), None);
    assert_eq!(identity_first.body, js);
    let any = get(&app, ASSET, &[("Accept-Encoding", "*")]);
    assert_eq!(any.header("content-encoding"), Some("br"));
    let any_but_br = get(&app, ASSET, &[("Accept-Encoding", "br;q=0, *;q=0.2")]);
    assert_eq!(any_but_br.header("content-encoding"), Some("gzip"));
    let unknown = get(&app, ASSET, &[("Accept-Encoding", "deflate, compress")]);
    assert_eq!(unknown.header("content-encoding"), None);
    assert_eq!(unknown.body, js);

    // Every answer says it depends on Accept-Encoding and may be kept for a year.
    for r in [&plain, &br, &gz, &refused, &any] {
        assert!(varies(r), "{:?}", r.header("vary"));
        assert_eq!(
            r.header("cache-control"),
            Some("public, max-age=31536000, immutable")
        );
    }
}

#[test]
fn validators_and_ranges_stay_consistent() {
    let site = site();
    let app = serve(&site);
    let js = script();

    let br = get(&app, ASSET, &[("Accept-Encoding", "br")]);
    let gz = get(&app, ASSET, &[("Accept-Encoding", "gzip")]);
    let plain = get(&app, ASSET, &[]);
    let tags: Vec<&str> = [&br, &gz, &plain]
        .iter()
        .map(|r| r.header("etag").unwrap())
        .collect();
    assert!(
        tags[0] != tags[1] && tags[1] != tags[2] && tags[0] != tags[2],
        "{tags:?}"
    );

    // A revalidation of the brotli copy is 304, still with its caching headers.
    let again = get(
        &app,
        ASSET,
        &[("Accept-Encoding", "br"), ("If-None-Match", tags[0])],
    );
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert!(varies(&again), "{:?}", again.header("vary"));
    assert_eq!(
        again.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    // The plain copy's tag does not validate the brotli one.
    let other = get(
        &app,
        ASSET,
        &[("Accept-Encoding", "br"), ("If-None-Match", tags[2])],
    );
    assert_eq!(other.status, 200);
    assert_eq!(unbrotli(&other.body), js);

    // A range is of the original bytes, whatever the client accepts.
    let part = get(
        &app,
        ASSET,
        &[("Accept-Encoding", "gzip, br"), ("Range", "bytes=7-26")],
    );
    assert_eq!(part.status, 206);
    assert_eq!(part.body, js[7..27].to_vec());
    assert_ne!(part.header("content-encoding"), Some("br"));
    assert_ne!(part.header("content-encoding"), Some("gzip"));
    assert_eq!(
        part.header("content-range"),
        Some(format!("bytes 7-26/{}", js.len()).as_str())
    );

    // HEAD: the headers of the chosen copy, no body.
    let head = request(&app, "HEAD", ASSET, &[("Accept-Encoding", "br")]);
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-encoding"), Some("br"));
    assert_eq!(
        head.header("content-length"),
        Some(br.body.len().to_string().as_str())
    );
    assert!(head.body.is_empty());
}

#[test]
fn uncompressed_assets_and_missing_ones() {
    let site = site();
    let app = serve(&site);

    let font = get(
        &app,
        "/assets/font-Zz9.woff2",
        &[("Accept-Encoding", "br, gzip")],
    );
    assert_eq!(font.status, 200);
    assert_eq!(font.header("content-encoding"), None);
    assert_eq!(font.header("content-type"), Some("font/woff2"));
    assert_eq!(font.body, b"wOF2 not really a font");
    assert_eq!(
        font.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );

    // A missing asset is a 404 problem, never the page (which would be cached as the script).
    for target in [
        "/assets/index-Old99.js",
        "/assets/nested/missing.css",
        "/assets/",
    ] {
        let missing = get(&app, target, &[("Accept-Encoding", "br")]);
        assert_eq!(missing.status, 404, "{target}");
        assert_eq!(
            missing.header("content-type"),
            Some("application/problem+json"),
            "{target}"
        );
        assert_ne!(
            missing.header("cache-control"),
            Some("public, max-age=31536000, immutable")
        );
    }
}

#[test]
fn the_page_and_client_routes_are_revalidated() {
    let site = site();
    let app = serve(&site);

    for target in [
        "/",
        "/index.html",
        "/login",
        "/cases/0190-abc",
        "/admin/users/new",
    ] {
        let page = get(&app, target, &[("Accept-Encoding", "br, gzip")]);
        assert_eq!(page.status, 200, "{target}");
        assert_eq!(page.body, INDEX.as_bytes(), "{target}");
        assert_eq!(page.header("cache-control"), Some("no-cache"), "{target}");
        assert!(
            page.header("content-type")
                .unwrap()
                .starts_with("text/html"),
            "{target}"
        );
    }
    let icon = get(&app, "/favicon.svg", &[]);
    assert_eq!(icon.status, 200);
    assert_eq!(icon.header("content-type"), Some("image/svg+xml"));
    assert_eq!(icon.header("cache-control"), Some("no-cache"));

    // The API keeps its own answers and caching.
    let api = get(&app, "/api/v1/nothing-here", &[]);
    assert_eq!(api.status, 404);
    assert_eq!(api.header("cache-control"), Some("no-store"));
    // Other methods on pages are not pages.
    let post = request(&app, "POST", "/login", &[("Content-Length", "0")]);
    assert_eq!(post.status, 404);
}

#[test]
fn no_path_leaves_the_static_folder() {
    let site = site();
    let app = serve(&site);
    assert!(site.static_dir.join("../secret.txt").is_file());

    for target in [
        "/assets/../../secret.txt",
        "/assets/%2e%2e/%2e%2e/secret.txt",
        "/assets/..%2f..%2fsecret.txt",
        "/assets/%2E%2E%2F%2E%2E%2Fsecret.txt",
        "/assets/..%5c..%5csecret.txt",
        "/assets/.%2e/.%2e/secret.txt",
        "/assets//etc/passwd",
    ] {
        let r = get(&app, target, &[]);
        assert_eq!(r.status, 404, "{target}");
        assert!(
            !String::from_utf8_lossy(&r.body).contains(SECRET),
            "{target}"
        );
    }
    for target in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/static/../../secret.txt",
    ] {
        let r = get(&app, target, &[]);
        assert!(
            !String::from_utf8_lossy(&r.body).contains(SECRET),
            "{target}"
        );
        assert!(r.status == 200 || r.status == 404, "{target}: {}", r.status);
    }
}
