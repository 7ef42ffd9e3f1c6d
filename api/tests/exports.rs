//! Exports of lists over HTTP (ModI's non-blocking pattern): `202` + `Location`, progress,
//! `303` to the file; the CSV read back as Italian Excel reads it (BOM, `;`, gg/mm/aaaa,
//! decimal comma, formulas neutralised), the XLSX read back with typed cells; the list's
//! visibility and filters, refused filters naming the field, the owner only, expiry by the
//! clock (file deleted, `410`), and the audit trail of each export.
#![allow(clippy::unwrap_used)]

mod common;

use common::world::{s, today, World};
use common::TempDir;
use serde_json::{json, Value};

fn data_dir() -> TempDir {
    TempDir(std::env::temp_dir().join(format!("sl-exports-{}", uuid::Uuid::new_v4())))
}

fn world(dir: &TempDir) -> World {
    let path = dir.0.clone();
    World::with(move |c| c.data_dir = path)
}

/// A request that does not follow redirects, so the `303` is seen.
fn get_raw(
    w: &World,
    token: &str,
    path: &str,
    lang: &str,
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let agent = ureq::AgentBuilder::new().redirects(0).build();
    let r = match agent
        .get(&w.app.url(path))
        .set("Authorization", &format!("Bearer {token}"))
        .set("Accept-Language", lang)
        .call()
    {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    };
    let status = r.status();
    let headers = r
        .headers_names()
        .into_iter()
        .map(|n| {
            let v = r.header(&n).unwrap_or_default().to_string();
            (n, v)
        })
        .collect();
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut r.into_reader(), &mut out).unwrap();
    (status, headers, out)
}

fn header<'a>(h: &'a [(String, String)], name: &str) -> Option<&'a str> {
    h.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Starts an export and waits for it to finish; returns the export and the file's bytes.
fn export(w: &World, token: &str, body: Value, lang: &str) -> (Value, Vec<u8>) {
    let r = w
        .app
        .call_in(lang, "POST", "/api/v1/exports", Some(token), Some(&body));
    assert_eq!(r.status, 202, "{}", r.text);
    let location = r.header("location").unwrap().to_string();
    let started = r.json();
    assert_eq!(location, format!("/api/v1/exports/{}", s(&started["id"])));
    assert!(matches!(
        s(&started["state"]).as_str(),
        "queued" | "running" | "done"
    ));
    for _ in 0..500 {
        let (status, headers, bytes) = get_raw(w, token, &location, lang);
        let body: Value = serde_json::from_slice(&bytes).unwrap();
        match status {
            200 => {
                assert_ne!(body["state"], "failed", "{body}");
                assert_ne!(
                    body["state"], "done",
                    "a finished export answers 303: {body}"
                );
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            303 => {
                assert_eq!(body["state"], "done");
                let file = header(&headers, "location").unwrap().to_string();
                assert_eq!(file, format!("{location}/file"));
                assert_eq!(body["file_url"], file);
                let (status, headers, bytes) = get_raw(w, token, &file, lang);
                assert_eq!(status, 200);
                assert_eq!(header(&headers, "cache-control"), Some("no-store"));
                let cd = header(&headers, "content-disposition").unwrap();
                assert!(cd.starts_with("attachment"), "{cd}");
                assert_eq!(body["bytes"].as_u64(), Some(bytes.len() as u64));
                return (body, bytes);
            }
            other => panic!("{other}: {body}"),
        }
    }
    panic!("the export did not finish");
}

/// A CSV read as Italian Excel reads it: UTF-8 after the BOM, `;`-separated, quoted fields.
fn excel_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "no BOM");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert!(text.ends_with("\r\n"));
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ';') => row.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

/// What Excel with the Italian locale makes of a field: a date, a number, or text.
#[derive(Debug, PartialEq)]
enum Excel {
    Date(chrono::NaiveDate),
    Number(f64),
    Text(String),
}

fn excel_value(f: &str) -> Excel {
    if let Ok(d) = chrono::NaiveDate::parse_from_str(f, "%d/%m/%Y") {
        return Excel::Date(d);
    }
    let number = regex::Regex::new(r"^-?[0-9]+(,[0-9]+)?$").unwrap();
    if number.is_match(f) {
        return Excel::Number(f.replace(',', ".").parse().unwrap());
    }
    Excel::Text(f.to_string())
}

fn column(rows: &[Vec<String>], name: &str) -> usize {
    rows[0]
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}: {:?}", rows[0]))
}

#[test]
fn a_case_list_exports_to_csv_that_italian_excel_reads_right() {
    let dir = data_dir();
    let w = world(&dir);
    let app = &w.app;
    let case = w.case_for_agency1("Niccolò");
    w.take_charge(&case);
    let other = w.case_for_agency1("=HYPERLINK(\"x\")");
    let _ = other;
    let (done, bytes) = export(
        &w,
        &w.coord,
        json!({"list": "cases", "format": "csv", "filters": {"status": "in_charge"}}),
        "it",
    );
    assert_eq!(done["rows_done"], 1, "{done}");
    assert!(
        s(&done["file_name"]).starts_with("prese-in-carico-"),
        "{done}"
    );
    assert!(s(&done["file_name"]).ends_with(".csv"));
    let rows = excel_rows(&bytes);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1][column(&rows, "Cognome")], "Niccolò");
    assert_eq!(rows[1][column(&rows, "Stato")], "In carico");
    assert_eq!(
        excel_value(&rows[1][column(&rows, "Primo colloquio")]),
        Excel::Date(today())
    );
    assert_eq!(rows[1][column(&rows, "In ritardo")], "No");

    // Without the filter both cases come, and a name that looks like a formula stays text.
    let (_, bytes) = export(
        &w,
        &w.coord,
        json!({"list": "cases", "format": "csv"}),
        "it",
    );
    let rows = excel_rows(&bytes);
    assert_eq!(rows.len(), 3);
    let names: Vec<&str> = rows[1..]
        .iter()
        .map(|r| r[column(&rows, "Cognome")].as_str())
        .collect();
    assert!(names.contains(&"'=HYPERLINK(\"x\")"), "{names:?}");

    // The agency operator's export holds its agency's cases only, like its list.
    let listed = app.get("/api/v1/cases", &w.op2).expect(200)["items"]
        .as_array()
        .unwrap()
        .len();
    let (done, _) = export(&w, &w.op2, json!({"list": "cases", "format": "csv"}), "it");
    assert_eq!(done["rows_done"], listed);
}

#[test]
fn thresholds_export_euros_as_numbers_in_csv_and_typed_cells_in_xlsx() {
    use calamine::{Data, Reader, Xlsx};
    let dir = data_dir();
    let w = world(&dir);
    let case = w.case_for_agency1("Rossi");
    let _ = case;
    let (_, bytes) = export(
        &w,
        &w.coord,
        json!({"list": "thresholds", "format": "csv", "filters": {"agency_id": w.agency1}}),
        "it",
    );
    let rows = excel_rows(&bytes);
    let listed = w
        .app
        .get(
            &format!("/api/v1/thresholds?agency_id={}", w.agency1),
            &w.coord,
        )
        .expect(200)["items"]
        .clone();
    assert_eq!(rows.len() - 1, listed.as_array().unwrap().len());
    let t = &listed[0];
    let cap = t["cap_cents"].as_i64().unwrap() as f64 / 100.0;
    assert_eq!(
        excel_value(&rows[1][column(&rows, "Soglia")]),
        Excel::Number(cap)
    );
    assert_eq!(
        excel_value(&rows[1][column(&rows, "Dal")]),
        Excel::Date(chrono::NaiveDate::parse_from_str(&s(&t["period_start"]), "%Y-%m-%d").unwrap())
    );

    let (done, bytes) = export(
        &w,
        &w.coord,
        json!({"list": "thresholds", "format": "xlsx", "filters": {"agency_id": w.agency1}}),
        "en",
    );
    assert!(s(&done["file_name"]).ends_with(".xlsx"));
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    assert_eq!(range.get((0, 0)), Some(&Data::String("Agency".into())));
    assert_eq!(range.get((0, 4)), Some(&Data::String("Cap".into())));
    assert_eq!(range.get((1, 4)), Some(&Data::Float(cap)));
    match range.get((1, 2)) {
        Some(Data::DateTime(_)) => {}
        other => panic!("the period start is {other:?}"),
    }
    // The header is frozen and filtered.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    assert!(sheet.contains(r#"state="frozen""#) && sheet.contains("<autoFilter"));
}

#[test]
fn wrong_filters_are_refused_naming_the_field_and_roles_need_the_list() {
    let dir = data_dir();
    let w = world(&dir);
    let app = &w.app;
    let bad = app
        .post(
            "/api/v1/exports",
            &w.coord,
            json!({"list": "cases", "format": "csv", "filters": {"statu": "closed", "overdue": "maybe"}}),
        )
        .expect(422);
    let fields: Vec<String> = bad["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| s(&e["field"]))
        .collect();
    assert!(fields.contains(&"filters.statu".to_string()), "{bad}");
    let bad = app
        .post(
            "/api/v1/exports",
            &w.coord,
            json!({"list": "cases", "format": "csv", "filters": {"overdue": "maybe"}}),
        )
        .expect(422);
    assert_eq!(bad["errors"][0]["field"], "filters.overdue", "{bad}");
    let bad = app
        .post(
            "/api/v1/exports",
            &w.coord,
            json!({"list": "network_members", "format": "csv"}),
        )
        .expect(422);
    assert_eq!(bad["errors"][0]["field"], "filters.network_id", "{bad}");
    assert_eq!(bad["errors"][0]["code"], "required");
    let bad = app
        .post(
            "/api/v1/exports",
            &w.coord,
            json!({"list": "cases", "format": "pdf"}),
        )
        .expect(422);
    assert!(bad.to_string().contains("format"), "{bad}");
    // A referrer does not see cases: neither their list nor their export.
    app.get("/api/v1/cases", &w.social).expect(403);
    app.post(
        "/api/v1/exports",
        &w.social,
        json!({"list": "cases", "format": "csv"}),
    )
    .expect(403);
    // A plan that does not exist, or is not the caller's to see, is not found.
    app.post(
        "/api/v1/exports",
        &w.coord,
        json!({"list": "plan_actions", "format": "csv", "filters": {"plan_id": "nope"}}),
    )
    .expect(404);
}

#[test]
fn only_whoever_started_an_export_reads_it_and_its_file_expires() {
    let dir = data_dir();
    let w = world(&dir);
    let app = &w.app;
    w.person(&w.social, "Bianchi", "Maria", "1985-03-04", 'F');
    let (done, _) = export(
        &w,
        &w.social,
        json!({"list": "persons", "format": "xlsx", "filters": {"q": "bian"}}),
        "it",
    );
    assert_eq!(done["rows_done"], 1);
    // What is kept of the filters does not say whom the caller searched for.
    assert_eq!(done["filters"]["q"], "***");
    let id = s(&done["id"]);
    let path = format!("/api/v1/exports/{id}");
    app.get(&path, &w.coord).expect(404);
    app.get(&format!("{path}/file"), &w.pass).expect(404);
    let file = dir.0.join("exports").join(&id);
    assert!(file.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let mode = std::fs::metadata(dir.0.join("exports"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o700);
    }
    // A day later the file is gone and the export says so.
    app.clock.advance(chrono::Duration::hours(25));
    let code = app.get(&path, &w.social).problem(410);
    assert_eq!(code, "export_expired");
    app.get(&format!("{path}/file"), &w.social).expect(410);
    for _ in 0..300 {
        if !file.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        !file.exists(),
        "the worker deletes an expired export's file"
    );
}

#[test]
fn every_export_is_in_the_audit_log_with_its_list_filters_and_rows() {
    let dir = data_dir();
    let w = world(&dir);
    let app = &w.app;
    w.submitted("Verdi");
    let (done, _) = export(
        &w,
        &w.social,
        json!({"list": "referrals", "format": "csv", "filters": {"status": "submitted"}}),
        "it",
    );
    let dpo = app.login("dpo@demo.test");
    let log = app
        .get("/api/v1/audit?action=export&limit=50", &dpo)
        .expect(200);
    let ev = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entity_id"] == done["id"])
        .unwrap_or_else(|| panic!("no export event: {log}"))
        .clone();
    assert_eq!(ev["entity_type"], "referrals");
    let detail = s(&ev["detail"]);
    assert!(
        detail.contains("submitted") && detail.contains("1 rows"),
        "{detail}"
    );
    assert!(ev["actor_id"].is_string());
    // Its download is logged too.
    let (status, _, _) = get_raw(
        &w,
        &w.social,
        &format!("/api/v1/exports/{}/file", s(&done["id"])),
        "it",
    );
    assert_eq!(status, 200);
    let log = app
        .get("/api/v1/audit?action=download&limit=50", &dpo)
        .expect(200);
    assert!(
        log["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["entity_id"] == done["id"]),
        "{log}"
    );
}
