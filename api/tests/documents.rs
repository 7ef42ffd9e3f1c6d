//! Documents attached to referrals and cases: every accepted kind stored and returned byte for
//! byte, other kinds refused by their content whatever their name, 20 MiB at most (not read
//! past it), downloads logged, visibility and deletion as the record's.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{Cursor, Read, Write};

use common::world::{s, World};
use common::{Resp, TestApp};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use sistema_lavoro::domain::ids::DocumentId;
use sistema_lavoro::store;

const MIB: usize = 1024 * 1024;

// ------------------------------------------------------------------ tiny real files

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n".to_vec()
}

fn png() -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
    v.extend_from_slice(b"\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89");
    v.extend_from_slice(b"\0\0\0\0IEND\xaeB`\x82");
    v
}

fn jpeg() -> Vec<u8> {
    let mut v = b"\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0".to_vec();
    v.extend_from_slice(b"\xff\xd9");
    v
}

fn tiff() -> Vec<u8> {
    b"II*\0\x08\0\0\0\0\0\0\0\0\0".to_vec()
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (i, (name, data)) in entries.iter().enumerate() {
        // ODF wants `mimetype` first and stored; the rest deflated, as office suites write.
        let method = if i == 0 && *name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        w.start_file(
            *name,
            SimpleFileOptions::default().compression_method(method),
        )
        .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn content_types(main: &str, part: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/{part}" ContentType="{main}"/></Types>"#
    )
}

fn docx() -> Vec<u8> {
    let ct = content_types(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "word/document.xml",
    );
    zip_of(&[
        ("[Content_Types].xml", ct.as_bytes()),
        ("word/document.xml", b"<w:document/>"),
    ])
}

fn xlsx() -> Vec<u8> {
    let ct = content_types(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "xl/workbook.xml",
    );
    zip_of(&[
        ("[Content_Types].xml", ct.as_bytes()),
        ("xl/workbook.xml", b"<workbook/>"),
    ])
}

fn odf(kind: &str) -> Vec<u8> {
    let mime = format!("application/vnd.oasis.opendocument.{kind}");
    zip_of(&[
        ("mimetype", mime.as_bytes()),
        ("content.xml", b"<office:document-content/>"),
        ("META-INF/manifest.xml", b"<manifest:manifest/>"),
    ])
}

fn docm() -> Vec<u8> {
    let ct = content_types(
        "application/vnd.ms-word.document.macroEnabled.main+xml",
        "word/document.xml",
    );
    zip_of(&[
        ("[Content_Types].xml", ct.as_bytes()),
        ("word/document.xml", b"<w:document/>"),
        ("word/vbaProject.bin", b"\xd0\xcf\x11\xe0macro"),
    ])
}

// ------------------------------------------------------------------ requests

const BOUNDARY: &str = "----sl-test-boundary-7MA4YWxkTrZu0gW";

fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut b = Vec::new();
    for (k, v) in fields {
        write!(
            b,
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        )
        .unwrap();
    }
    if let Some((name, data)) = file {
        write!(
            b,
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n"
        )
        .unwrap();
        b.extend_from_slice(data);
        b.extend_from_slice(b"\r\n");
    }
    write!(b, "--{BOUNDARY}--\r\n").unwrap();
    b
}

fn send(app: &TestApp, token: &str, body: &[u8], extra: &[(&str, &str)]) -> Resp {
    let auth = format!("Bearer {token}");
    let ct = format!("multipart/form-data; boundary={BOUNDARY}");
    let mut headers = vec![
        ("Authorization", auth.as_str()),
        ("Content-Type", ct.as_str()),
    ];
    headers.extend_from_slice(extra);
    app.raw("POST", "/api/v1/documents", &headers, body)
}

fn upload(app: &TestApp, token: &str, on: (&str, &str), name: &str, data: &[u8]) -> Resp {
    send(app, token, &multipart(&[on], Some((name, data))), &[])
}

/// A download: status, headers and the bytes (not text).
fn download(app: &TestApp, token: &str, id: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let r = ureq::get(&app.url(&format!("/api/v1/documents/{id}")))
        .set("Authorization", &format!("Bearer {token}"))
        .call();
    let r = match r {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    };
    let status = r.status();
    let headers = r
        .headers_names()
        .into_iter()
        .filter_map(|n| {
            r.header(&n)
                .map(|v| (n.to_ascii_lowercase(), v.to_string()))
        })
        .collect();
    let mut bytes = Vec::new();
    r.into_reader().read_to_end(&mut bytes).unwrap();
    (status, headers, bytes)
}

fn header<'a>(h: &'a [(String, String)], name: &str) -> &'a str {
    h.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {name} in {h:?}"))
}

fn listed(app: &TestApp, token: &str, path: &str) -> Vec<Value> {
    app.get(path, token).expect(200)["items"]
        .as_array()
        .unwrap()
        .clone()
}

fn conn(app: &TestApp) -> store::PooledConn {
    store::connect(&app.db.url, 1).unwrap().get().unwrap()
}

fn names(v: &Value) -> Vec<String> {
    v["allowed_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(s)
        .collect()
}

// ------------------------------------------------------------------ stories

#[test]
fn every_accepted_kind_is_stored_with_its_hash_and_comes_back_byte_for_byte() {
    let w = World::new();
    let app = &w.app;
    let (referral, _) = w.draft("Allegati");
    let kinds: Vec<(&str, Vec<u8>, &str)> = vec![
        ("cv.pdf", pdf(), "application/pdf"),
        ("foto.png", png(), "image/png"),
        ("scansione.jpg", jpeg(), "image/jpeg"),
        ("fax.tiff", tiff(), "image/tiff"),
        (
            "curriculum.docx",
            docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "ore.xlsx",
            xlsx(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "lettera.odt",
            odf("text"),
            "application/vnd.oasis.opendocument.text",
        ),
        (
            "conti.ods",
            odf("spreadsheet"),
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
    ];
    let mut ids = Vec::new();
    for (name, data, media) in &kinds {
        let r = upload(app, &w.social, ("referral_id", &referral), name, data);
        let location = r.header("location").map(String::from);
        let d = r.expect(201);
        assert_eq!(d["media_type"], *media, "{name}");
        assert_eq!(d["file_name"], *name);
        assert_eq!(d["size_bytes"], data.len());
        assert_eq!(d["referral_id"], referral.as_str());
        assert!(d.get("case_id").is_none());
        assert_eq!(d["sha256"], hex::encode(Sha256::digest(data)), "{name}");
        assert_eq!(names(&d), ["delete"]);
        let id = s(&d["id"]);
        assert_eq!(
            location.as_deref(),
            Some(format!("/api/v1/documents/{id}").as_str())
        );
        let (status, h, bytes) = download(app, &w.social, &id);
        assert_eq!(status, 200);
        assert_eq!(&bytes, data, "{name}: the same bytes back");
        assert_eq!(header(&h, "content-type"), *media);
        assert_eq!(
            header(&h, "content-disposition"),
            format!("attachment; filename=\"{name}\"; filename*=UTF-8''{name}")
        );
        assert_eq!(header(&h, "x-content-type-options"), "nosniff");
        assert_eq!(header(&h, "cache-control"), "no-store");
        ids.push(id);
    }
    // Pages of metadata, in upload order, never the bytes.
    let path = format!("/api/v1/referrals/{referral}/documents");
    let first = app.get(&format!("{path}?limit=5"), &w.social).expect(200);
    assert_eq!(first["items"].as_array().unwrap().len(), 5);
    assert!(first["items"][0].get("content").is_none());
    let next = s(&first["next"]);
    let second = app
        .get(&format!("{path}?limit=5&after={next}"), &w.social)
        .expect(200);
    assert!(second["next"].is_null());
    let all: Vec<String> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(second["items"].as_array().unwrap())
        .map(|d| s(&d["id"]))
        .collect();
    assert_eq!(all, ids);
}

#[test]
fn files_are_refused_by_their_content_whatever_their_name() {
    let w = World::new();
    let app = &w.app;
    let (referral, _) = w.draft("Rifiuti");
    let mut html = b"<!doctype html><script>alert(1)</script>".to_vec();
    html.extend_from_slice(b"\n");
    let refused: Vec<(&str, Vec<u8>)> = vec![
        ("curriculum.pdf", docm()),
        (
            "vecchio.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0\0\0\0\0\0\0".to_vec(),
        ),
        (
            "setup.pdf",
            b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0PE\0\0".to_vec(),
        ),
        ("foto.png", html),
        (
            "archivio.docx",
            zip_of(&[("readme.txt", b"not a document")]),
        ),
        ("presentazione.odt", {
            let mime = "application/vnd.oasis.opendocument.presentation";
            zip_of(&[("mimetype", mime.as_bytes()), ("content.xml", b"<x/>")])
        }),
    ];
    for (name, data) in &refused {
        let p = upload(app, &w.social, ("referral_id", &referral), name, data).expect(415);
        assert_eq!(p["code"], "unsupported_media_type", "{name}");
        assert!(s(&p["detail"]).contains("file"), "{name}: {p}");
    }
    let p = upload(
        app,
        &w.social,
        ("referral_id", &referral),
        "m.docx",
        &docm(),
    )
    .expect(415);
    assert!(s(&p["detail"]).contains("macro"), "{p}");
    let path = format!("/api/v1/referrals/{referral}/documents");
    assert!(listed(app, &w.social, &path).is_empty(), "nothing stored");
}

#[test]
fn an_empty_file_a_missing_record_or_a_broken_body_are_told_never_a_500() {
    let w = World::new();
    let app = &w.app;
    let (referral, _) = w.draft("Vuoto");
    let field = |p: &Value| s(&p["errors"][0]["field"]);
    let p = upload(app, &w.social, ("referral_id", &referral), "vuoto.pdf", b"").expect(422);
    assert_eq!(
        (field(&p), s(&p["errors"][0]["code"])),
        ("file".into(), "empty".into())
    );
    let p = send(
        app,
        &w.social,
        &multipart(&[], Some(("a.pdf", &pdf()))),
        &[],
    )
    .expect(422);
    assert_eq!(field(&p), "referral_id");
    let both = multipart(
        &[("referral_id", &referral), ("case_id", "x")],
        Some(("a.pdf", &pdf())),
    );
    assert_eq!(
        field(&send(app, &w.social, &both, &[]).expect(422)),
        "case_id"
    );
    let p = send(
        app,
        &w.social,
        &multipart(&[("referral_id", &referral)], None),
        &[],
    )
    .expect(422);
    assert_eq!(field(&p), "file");
    // Not multipart at all, or multipart that does not parse.
    let json = app.post(
        "/api/v1/documents",
        &w.social,
        json!({"referral_id": referral}),
    );
    assert_eq!(json.problem(415), "unsupported_media_type");
    let broken =
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nno end");
    assert_eq!(
        send(app, &w.social, broken.as_bytes(), &[]).problem(400),
        "malformed_body"
    );
    let auth = format!("Bearer {}", w.social);
    let r = app.raw(
        "POST",
        "/api/v1/documents",
        &[
            ("Authorization", &auth),
            ("Content-Type", "multipart/form-data"),
        ],
        b"x",
    );
    assert_eq!(r.problem(400), "malformed_body");
    // An unknown record is one the caller does not see.
    let p = upload(app, &w.social, ("referral_id", "nessuna"), "a.pdf", &pdf());
    assert_eq!(p.problem(404), "not_found");
    // The observer works on no record.
    let p = upload(
        app,
        &w.observer,
        ("referral_id", &referral),
        "a.pdf",
        &pdf(),
    );
    assert_eq!(p.problem(403), "forbidden");
}

/// Reads an answer from a raw connection (the status line is enough).
fn status_of(stream: &mut std::net::TcpStream) -> String {
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    String::from_utf8_lossy(&buf).to_string()
}

#[test]
fn past_20_mib_the_upload_is_refused_unread_and_nothing_is_stored() {
    let w = World::new();
    let app = &w.app;
    let (referral, _) = w.draft("Grande");
    // A file one byte over the limit, in a body the server reads: 413, nothing stored.
    let mut big = pdf();
    big.resize(20 * MIB + 1, b'0');
    let p = upload(
        app,
        &w.social,
        ("referral_id", &referral),
        "grande.pdf",
        &big,
    )
    .expect(413);
    assert_eq!(p["code"], "payload_too_large");
    assert!(s(&p["detail"]).contains("20971520"), "{p}");
    // Exactly at the limit is accepted.
    big.truncate(20 * MIB);
    upload(
        app,
        &w.social,
        ("referral_id", &referral),
        "limite.pdf",
        &big,
    )
    .expect(201);
    let addr = app.base.trim_start_matches("http://").to_string();
    // A declared length past the limit is refused before a byte of the body is read.
    let mut tcp = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        tcp,
        "POST /api/v1/documents HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {}\r\n\r\n",
        w.social,
        30 * MIB
    )
    .unwrap();
    let answer = status_of(&mut tcp);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    // A chunked body with no length: the server stops reading once past the limit.
    let mut tcp = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        tcp,
        "POST /api/v1/documents HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nTransfer-Encoding: chunked\r\n\r\n",
        w.social
    )
    .unwrap();
    let mut writer = tcp.try_clone().unwrap();
    let sent = std::thread::spawn(move || {
        let chunk = vec![b'x'; 64 * 1024];
        let started = std::time::Instant::now();
        // Until the server hangs up — or 20 s, far longer than it may go on.
        while started.elapsed() < std::time::Duration::from_secs(20) {
            let ok = write!(writer, "{:x}\r\n", chunk.len()).is_ok()
                && writer.write_all(&chunk).is_ok()
                && writer.write_all(b"\r\n").is_ok();
            if !ok {
                return true;
            }
        }
        false
    });
    let answer = status_of(&mut tcp);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("connection: close"),
        "{answer}"
    );
    assert!(
        sent.join().unwrap(),
        "the server kept the connection open and reading"
    );
    let list = listed(
        app,
        &w.social,
        &format!("/api/v1/referrals/{referral}/documents"),
    );
    assert_eq!(list.len(), 1, "only the upload at the limit is stored");
    assert_eq!(list[0]["file_name"], "limite.pdf");
}

#[test]
fn every_download_is_logged_with_who_and_when() {
    let w = World::new();
    let app = &w.app;
    let (referral, _) = w.draft("Registro");
    let d = upload(app, &w.social, ("referral_id", &referral), "cv.pdf", &pdf()).expect(201);
    let id = s(&d["id"]);
    let mut c = conn(app);
    let doc = DocumentId::from(id.as_str());
    assert!(store::documents::downloads(&mut c, &doc)
        .unwrap()
        .is_empty());
    assert_eq!(download(app, &w.social, &id).0, 200);
    assert_eq!(download(app, &w.social, &id).0, 200);
    let me = s(&app.get("/api/v1/me", &w.social).expect(200)["id"]);
    let log = store::documents::downloads(&mut c, &doc).unwrap();
    assert_eq!(log.len(), 2);
    assert!(log.iter().all(|l| l.user_id == me && l.document_id == id));
    // A refused download is not one.
    assert_eq!(download(app, &w.cpi, &id).0, 404);
    assert_eq!(store::documents::downloads(&mut c, &doc).unwrap().len(), 2);
}

#[test]
fn documents_are_seen_by_whoever_sees_their_record_and_no_one_else() {
    let w = World::new();
    let app = &w.app;
    let (referral, _) = w.draft("Visibile");
    let on_referral =
        s(&upload(app, &w.social, ("referral_id", &referral), "cv.pdf", &pdf()).expect(201)["id"]);
    let rpath = format!("/api/v1/referrals/{referral}/documents");
    // A draft is its referrer's: the coordinator, another referrer and an agency do not see it.
    for token in [&w.coord, &w.cpi] {
        assert_eq!(app.get(&rpath, token).problem(404), "not_found");
        assert_eq!(download(app, token, &on_referral).0, 404);
    }
    assert_eq!(download(app, &w.op1, &on_referral).0, 404);
    // The case's documents: the agency following it and the coordinator.
    let case = w.case_for_agency1("Caso");
    let on_case =
        s(&upload(app, &w.op1, ("case_id", &case), "attestato.pdf", &pdf()).expect(201)["id"]);
    let cpath = format!("/api/v1/cases/{case}/documents");
    assert_eq!(listed(app, &w.coord, &cpath).len(), 1);
    assert_eq!(download(app, &w.coord, &on_case).0, 200);
    assert_eq!(app.get(&cpath, &w.op2).problem(404), "not_found");
    assert_eq!(download(app, &w.op2, &on_case).0, 404);
    assert_eq!(
        download(app, &w.social, &on_case).0,
        404,
        "referrers see no case diary"
    );
    let p = upload(app, &w.op2, ("case_id", &case), "x.pdf", &pdf());
    assert_eq!(p.problem(404), "not_found", "another agency cannot attach");
    let p = app.call(
        "DELETE",
        &format!("/api/v1/documents/{on_case}"),
        Some(&w.op2),
        None,
    );
    assert_eq!(p.problem(404), "not_found");
}

#[test]
fn the_uploader_or_the_coordinator_deletes_and_the_audit_trail_says_who() {
    let w = World::new();
    let app = &w.app;
    let case = w.case_for_agency1("Elimina");
    let by_op = s(&upload(app, &w.op1, ("case_id", &case), "a.pdf", &pdf()).expect(201)["id"]);
    let by_coord = upload(app, &w.coord, ("case_id", &case), "b.pdf", &pdf()).expect(201);
    assert_eq!(names(&by_coord), ["delete"]);
    let by_coord = s(&by_coord["id"]);
    let cpath = format!("/api/v1/cases/{case}/documents");
    let seen = listed(app, &w.op1, &cpath);
    let actions = |id: &str| names(seen.iter().find(|d| d["id"] == id).unwrap());
    assert_eq!(actions(&by_op), ["delete"]);
    assert!(
        actions(&by_coord).is_empty(),
        "not the operator's to delete"
    );
    let del = |token: &str, id: &str| {
        app.call(
            "DELETE",
            &format!("/api/v1/documents/{id}"),
            Some(token),
            None,
        )
    };
    assert_eq!(del(&w.op1, &by_coord).problem(403), "forbidden");
    assert_eq!(del(&w.coord, &by_op).status, 204);
    assert_eq!(del(&w.coord, &by_op).problem(404), "not_found", "gone");
    assert_eq!(download(app, &w.coord, &by_op).0, 404);
    assert_eq!(listed(app, &w.op1, &cpath).len(), 1);
    let mut c = conn(app);
    let trail = store::audit::history(&mut c, "document", std::slice::from_ref(&by_op)).unwrap();
    let steps: Vec<(&str, &str)> = trail
        .iter()
        .map(|t| (t.action.as_str(), t.actor_id.as_deref().unwrap_or("")))
        .collect();
    let op1 = s(&app.get("/api/v1/me", &w.op1).expect(200)["id"]);
    let coord = s(&app.get("/api/v1/me", &w.coord).expect(200)["id"]);
    assert_eq!(
        steps,
        [("upload", op1.as_str()), ("delete", coord.as_str())]
    );
}

#[test]
fn upload_is_offered_where_it_is_allowed_and_refused_where_it_is_not() {
    let w = World::new();
    let app = &w.app;
    let (referral, _) = w.draft("Offerta");
    let r = app
        .get(&format!("/api/v1/referrals/{referral}"), &w.social)
        .expect(200);
    assert!(names(&r).contains(&"upload_document".to_string()));
    app.call(
        "POST",
        &format!("/api/v1/referrals/{referral}/withdraw"),
        Some(&w.social),
        None,
    )
    .expect(200);
    let r = app
        .get(&format!("/api/v1/referrals/{referral}"), &w.social)
        .expect(200);
    assert!(!names(&r).contains(&"upload_document".to_string()));
    let p = upload(
        app,
        &w.social,
        ("referral_id", &referral),
        "tardi.pdf",
        &pdf(),
    );
    assert_eq!(
        p.problem(403),
        "forbidden",
        "a withdrawn referral takes no more documents"
    );
    let case = w.case_for_agency1("Zanardi");
    let c = app
        .get(&format!("/api/v1/cases/{case}"), &w.op1)
        .expect(200);
    assert!(names(&c).contains(&"upload_document".to_string()), "{c}");
    let c = app.get(&format!("/api/v1/cases/{case}"), &w.op2);
    assert_eq!(c.status, 404);
}

#[test]
fn a_retried_upload_is_stored_once_and_the_replay_keeps_no_bytes() {
    let w = World::new();
    let app = &w.app;
    let (referral, _) = w.draft("Ripeti");
    let mut data = pdf();
    data.extend_from_slice(b"% SEGRETO-DEL-FILE\n");
    let body = multipart(&[("referral_id", &referral)], Some(("cv.pdf", &data)));
    let key = [("Idempotency-Key", "upload-cv-1")];
    let first = send(app, &w.social, &body, &key).expect(201);
    let again = send(app, &w.social, &body, &key);
    assert_eq!(again.header("idempotency-replayed"), Some("true"));
    // The answer (a file name is personal data) is not kept: the replay names the document
    // the first request stored, which is read through its own routes.
    let location = format!("/api/v1/documents/{}", first["id"].as_str().unwrap());
    assert_eq!(again.header("location"), Some(location.as_str()));
    assert_eq!(again.problem(409), "idempotency_replay_unavailable");
    let path = format!("/api/v1/referrals/{referral}/documents");
    assert_eq!(listed(app, &w.social, &path).len(), 1);
    use diesel::prelude::*;
    use store::schema::idempotency_keys::dsl as k;
    let mut c = conn(app);
    let kept: Vec<(String, Option<String>)> = k::idempotency_keys
        .select((k::request_hash, k::response_body))
        .load(&mut *c)
        .unwrap();
    assert!(!kept.is_empty());
    for (hash, body) in kept {
        assert_eq!(hash.len(), 64, "a hash of the request, not the request");
        assert!(
            !body.unwrap_or_default().contains("SEGRETO"),
            "no file bytes kept"
        );
    }
}
