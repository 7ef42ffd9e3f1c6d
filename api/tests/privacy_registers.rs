//! The DPO's registers over HTTP (issue 14, A.5): the register of processing activities
//! (art. 30) generated from the product's catalogue, adapted by the DPO and printed as an
//! Italian PDF; and the data-breach register (art. 33.5) with the 72 hours to notify the
//! Garante counted on the server's clock.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use common::world::{s, World};
use serde_json::{json, Value};

fn rfc(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The server's now, as the test moved its clock.
fn now(w: &World) -> DateTime<Utc> {
    use sistema_lavoro::domain::Clock;
    w.app.clock.read().utc()
}

/// A GET answered as bytes, with its content type.
fn raw(w: &World, path: &str, token: &str) -> (u16, String, Vec<u8>) {
    use std::io::Read;
    let req = ureq::get(&w.app.url(path)).set("Authorization", &format!("Bearer {token}"));
    let r = match req.call() {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    };
    let status = r.status();
    let ct = r.header("content-type").unwrap_or_default().to_string();
    let mut out = Vec::new();
    r.into_reader().read_to_end(&mut out).unwrap();
    (status, ct, out)
}

fn pdf_text(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).unwrap();
    // Lines wrap where the page ends: compare words, not line breaks.
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_register_lists_every_activity_with_its_basis_fields_recipients_and_the_districts_dpo() {
    let w = World::new();
    let dpo = w.app.login("dpo@demo.test");
    let r = w.app.get("/api/v1/privacy/register", &dpo).expect(200);
    assert_eq!(r["controller"], "Ambito 1 – Bergamo");
    assert!(r["dpo_contacts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["email"] == "dpo@demo.test"));
    let acts = r["activities"].as_array().unwrap();
    let codes: Vec<String> = acts.iter().map(|a| s(&a["code"])).collect();
    assert_eq!(
        codes,
        [
            "take_charge",
            "measures_and_budget",
            "follow_up_and_outcomes",
            "networks_and_collective_actions",
            "opportunities_news",
            "observatory_statistics",
            "security_and_audit"
        ]
    );
    for a in acts {
        assert!(!a["legal_basis"].as_array().unwrap().is_empty(), "{a}");
        assert!(!a["recipients"].as_array().unwrap().is_empty(), "{a}");
        assert!(
            !a["security_measures"].as_array().unwrap().is_empty(),
            "{a}"
        );
        assert!(
            s(&a["transfers"]).starts_with("Nessun trasferimento"),
            "{a}"
        );
        let special = a["data_categories"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["special"] == true);
        if special {
            assert!(
                !a["special_categories_basis"].as_array().unwrap().is_empty(),
                "{a}"
            );
        }
        assert_eq!(a["allowed_actions"], json!(["edit"]));
    }
    // The take-charge activity names the sealed special-category fields and its art. 9/10 basis.
    let take = &acts[0];
    let fields: Vec<String> = take["data_categories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["fields"].as_array().unwrap().iter().map(s))
        .collect();
    assert!(fields.contains(&"persons.disability_notes".to_string()));
    assert!(fields.contains(&"persons.criminal_justice_notes".to_string()));
    let basis = take["special_categories_basis"].to_string();
    assert!(
        basis.contains("Art. 9") && basis.contains("Art. 10"),
        "{basis}"
    );

    // The coordinator reads it, without the edit.
    let c = w.app.get("/api/v1/privacy/register", &w.coord).expect(200);
    assert_eq!(c["activities"][0]["allowed_actions"], json!([]));
    assert_eq!(
        c["activities"].as_array().unwrap().len(),
        acts.len(),
        "the same register"
    );
}

#[test]
fn every_field_the_register_names_is_a_column_of_the_schema() {
    // The register links each data category to the fields holding it: they must exist.
    let schema = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/crates/store/src/schema.rs"
    ))
    .unwrap();
    let mut columns = std::collections::HashSet::new();
    let mut table = String::new();
    for line in schema.lines() {
        let t = line.trim();
        if let Some((name, _)) = t.split_once(" (").filter(|_| t.ends_with('{')) {
            table = name.to_string();
        } else if let Some((col, _)) = t.split_once(" -> ") {
            columns.insert(format!("{table}.{col}"));
        }
    }
    let w = World::new();
    let r = w.app.get("/api/v1/privacy/register", &w.coord).expect(200);
    let mut missing = Vec::new();
    for a in r["activities"].as_array().unwrap() {
        for c in a["data_categories"].as_array().unwrap() {
            for f in c["fields"].as_array().unwrap() {
                if !columns.contains(&s(f)) {
                    missing.push(format!("{}: {}", s(&a["code"]), s(f)));
                }
            }
        }
    }
    assert!(missing.is_empty(), "not in schema.rs: {missing:?}");
}

#[test]
fn the_dpo_adapts_an_activity_at_its_version_and_the_printed_register_includes_it() {
    let w = World::new();
    let app = &w.app;
    let dpo = app.login("dpo@demo.test");
    let url = "/api/v1/privacy/register/activities/take_charge";
    let first = app.get(url, &dpo);
    assert_eq!(
        first.header("etag"),
        Some("\"0\""),
        "never adapted: version 0"
    );
    let body = json!({"notes": "Verificato con il Comune capofila.",
        "retention_override": "12 anni dalla chiusura del caso (delibera 4/2026)",
        "recipients_extra": "ATS Bergamo, per i percorsi sanitari"});

    // No If-Match: 428; the coordinator may read, not adapt.
    let m = app.with_headers("PATCH", url, &dpo, &[], Some(&body));
    assert_eq!(m.status, 428, "{}", m.text);
    let f = app.with_headers(
        "PATCH",
        url,
        &w.coord,
        &[("If-Match", "\"0\"")],
        Some(&body),
    );
    assert_eq!(f.status, 403, "{}", f.text);

    let saved = app.with_headers("PATCH", url, &dpo, &[("If-Match", "\"0\"")], Some(&body));
    assert_eq!(saved.status, 200, "{}", saved.text);
    let etag = saved.header("etag").unwrap().to_string();
    assert_ne!(etag, "\"0\"");
    let a = saved.json();
    assert_eq!(
        a["retention"],
        "12 anni dalla chiusura del caso (delibera 4/2026)"
    );
    assert!(s(&a["retention_default"]).starts_with("10 anni"));
    assert_eq!(a["notes"], "Verificato con il Comune capofila.");

    // A second writer with the old version is refused; the current one succeeds, and null
    // goes back to the catalogue's retention.
    let stale = app.with_headers(
        "PATCH",
        url,
        &dpo,
        &[("If-Match", "\"0\"")],
        Some(&json!({"notes": "x"})),
    );
    assert_eq!(stale.status, 412, "{}", stale.text);
    let back = app.with_headers(
        "PATCH",
        url,
        &dpo,
        &[("If-Match", &etag)],
        Some(&json!({"retention_override": null})),
    );
    assert_eq!(back.status, 200, "{}", back.text);
    assert!(s(&back.json()["retention"]).starts_with("10 anni"));
    assert_eq!(back.json()["notes"], "Verificato con il Comune capofila.");

    // The change is in the audit log the DPO reads.
    let log = app
        .get("/api/v1/audit?entity_type=processing_activity", &dpo)
        .expect(200);
    assert_eq!(log["items"].as_array().unwrap().len(), 2, "{log}");

    // An unknown activity is 404.
    app.get("/api/v1/privacy/register/activities/nothing", &dpo)
        .expect(404);

    // The PDF lists every activity of the JSON, with the DPO's notes and the recipients added.
    let json = app.get("/api/v1/privacy/register", &w.coord).expect(200);
    let (status, ct, pdf) = raw(&w, "/api/v1/privacy/register?format=pdf", &w.coord);
    assert_eq!(status, 200);
    assert_eq!(ct, "application/pdf");
    let text = pdf_text(&pdf);
    assert!(
        text.contains("Registro delle attività di trattamento"),
        "{text}"
    );
    assert!(text.contains("Ambito 1 – Bergamo"), "{text}");
    assert!(text.contains("dpo@demo.test"), "{text}");
    for a in json["activities"].as_array().unwrap() {
        assert!(
            text.contains(&words(&s(&a["name"]))),
            "{} missing: {text}",
            a["name"]
        );
        assert!(text.contains(&s(&a["code"])), "{} missing", a["code"]);
    }
    assert!(
        text.contains("Verificato con il Comune capofila."),
        "{text}"
    );
    assert!(
        text.contains("ATS Bergamo, per i percorsi sanitari"),
        "{text}"
    );
}

fn breach_body(w: &World) -> Value {
    let n = now(w);
    json!({
        "title": "Portatile smarrito",
        "description": "Un portatile con un export in chiaro è stato smarrito in treno.",
        "occurred_at": rfc(n - Duration::hours(5)),
        "discovered_at": rfc(n - Duration::hours(1)),
        "data_categories": ["identity", "contacts", "identity"],
        "subject_categories": ["beneficiaries"],
        "subjects_affected": 40,
        "records_affected": 55,
        "consequences": "Possibile contatto indesiderato delle persone.",
        "measures_taken": "Account disattivato, password cambiate."
    })
}

fn errors(v: &Value) -> Vec<(String, String)> {
    v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (s(&e["field"]), s(&e["code"])))
        .collect()
}

#[test]
fn a_breach_left_pending_past_72_hours_is_overdue_and_a_late_notification_says_why() {
    let w = World::new();
    let app = &w.app;
    let dpo = app.login("dpo@demo.test");
    let created = app.post("/api/v1/privacy/breaches", &dpo, breach_body(&w));
    assert_eq!(created.status, 201, "{}", created.text);
    let b = created.json();
    let id = s(&b["id"]);
    assert_eq!(
        created.header("location"),
        Some(format!("/api/v1/privacy/breaches/{id}").as_str())
    );
    assert_eq!(b["garante_notification"], "pending");
    assert_eq!(b["data_categories"], json!(["identity", "contacts"]));
    let discovered: DateTime<Utc> = s(&b["discovered_at"]).parse().unwrap();
    let deadline: DateTime<Utc> = s(&b["notification_deadline"]).parse().unwrap();
    assert_eq!(deadline - discovered, Duration::hours(72));
    assert_eq!(b["overdue"], false);
    assert_eq!(b["allowed_actions"], json!(["edit"]));

    // 72 hours pass on the server's clock: still pending, so overdue.
    app.clock.advance(Duration::hours(72));
    let url = format!("/api/v1/privacy/breaches/{id}");
    let late = app.get(&url, &dpo).expect(200);
    assert_eq!(late["overdue"], true);
    assert_eq!(late["notified_late"], false);
    let listed = app.get("/api/v1/privacy/breaches", &w.coord).expect(200);
    assert_eq!(listed["items"][0]["overdue"], true);
    assert_eq!(listed["items"][0]["allowed_actions"], json!([]));

    // Notified now, after the deadline: the reason for the delay is required.
    let notified = json!({"garante_notification": "notified", "garante_notified_at": rfc(now(&w))});
    let refused = app.patch(&url, &dpo, notified.clone()).expect(422);
    assert_eq!(
        errors(&refused),
        [(
            "notification_reason".to_string(),
            "late_reason_required".to_string()
        )]
    );
    assert!(s(&refused["errors"][0]["message"]).contains("72 ore"));
    let mut with_reason = notified;
    with_reason["notification_reason"] = json!("Il fornitore ha confermato la perdita solo oggi.");
    let done = app.patch(&url, &dpo, with_reason).expect(200);
    assert_eq!(done["garante_notification"], "notified");
    assert_eq!(done["notified_late"], true);
    assert_eq!(done["overdue"], false);

    // The coordinator reads the district's register, never writes it.
    app.get(&url, &w.coord).expect(200);
    let r = app.patch(&url, &w.coord, json!({"title": "Altro"}));
    assert_eq!(r.status, 403, "{}", r.text);
    let r = app.post("/api/v1/privacy/breaches", &w.coord, breach_body(&w));
    assert_eq!(r.status, 403, "{}", r.text);

    // Created, read and changed: each in the audit log.
    let log = app
        .get(
            &format!("/api/v1/audit?entity_type=data_breach&entity_id={id}"),
            &dpo,
        )
        .expect(200);
    let actions: Vec<String> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| s(&e["action"]))
        .collect();
    for a in ["create", "read", "list", "change"] {
        assert!(actions.iter().any(|x| x == a), "{a} not in {actions:?}");
    }
}

#[test]
fn a_breach_notified_in_time_needs_no_reason_and_one_not_notified_does() {
    let w = World::new();
    let app = &w.app;
    let dpo = app.login("dpo@demo.test");
    let mut body = breach_body(&w);
    body["garante_notification"] = json!("notified");
    body["garante_notified_at"] = json!(rfc(now(&w)));
    let b = app.post("/api/v1/privacy/breaches", &dpo, body).expect(201);
    assert_eq!(b["notified_late"], false);
    assert_eq!(b["overdue"], false);

    let mut waived = breach_body(&w);
    waived["garante_notification"] = json!("not_required");
    let r = app
        .post("/api/v1/privacy/breaches", &dpo, waived.clone())
        .expect(422);
    assert_eq!(
        errors(&r),
        [(
            "notification_reason".to_string(),
            "reason_required".to_string()
        )]
    );
    waived["notification_reason"] = json!("Dati cifrati: rischio improbabile (art. 33.1).");
    waived["subjects_informed_at"] = json!(rfc(now(&w)));
    let ok = app
        .post("/api/v1/privacy/breaches", &dpo, waived)
        .expect(201);
    assert_eq!(ok["overdue"], false);
    assert!(ok["subjects_informed_at"].is_string());
    // Days later, a breach decided not to notify is never overdue.
    app.clock.advance(Duration::days(5));
    let again = app
        .get(&format!("/api/v1/privacy/breaches/{}", s(&ok["id"])), &dpo)
        .expect(200);
    assert_eq!(again["overdue"], false);
}

#[test]
fn a_breach_record_names_every_bad_field_at_once_and_edits_need_the_current_version() {
    let w = World::new();
    let app = &w.app;
    let dpo = app.login("dpo@demo.test");
    let n = now(&w);
    let mut bad = breach_body(&w);
    bad["occurred_at"] = json!(rfc(n + Duration::hours(3)));
    bad["discovered_at"] = json!(rfc(n + Duration::hours(2)));
    bad["garante_notified_at"] = json!(rfc(n));
    let r = app.post("/api/v1/privacy/breaches", &dpo, bad).expect(422);
    let got = errors(&r);
    for (f, c) in [
        ("occurred_at", "after_discovery"),
        ("discovered_at", "future"),
        ("garante_notified_at", "not_allowed"),
    ] {
        assert!(
            got.contains(&(f.to_string(), c.to_string())),
            "{f} {c} not in {got:?}"
        );
    }
    let mut empty = breach_body(&w);
    empty["data_categories"] = json!([]);
    empty["subjects_affected"] = json!(-1);
    empty["title"] = json!("   ");
    let r = app
        .post("/api/v1/privacy/breaches", &dpo, empty)
        .expect(422);
    let got = errors(&r);
    assert!(got.iter().any(|(f, _)| f == "data_categories"), "{got:?}");
    assert!(got.iter().any(|(f, _)| f == "subjects_affected"), "{got:?}");
    assert!(got.iter().any(|(f, _)| f == "title"), "{got:?}");
    // In English on request.
    let en = app.call_in(
        "en",
        "POST",
        "/api/v1/privacy/breaches",
        Some(&dpo),
        Some(&{
            let mut b = breach_body(&w);
            b["garante_notification"] = json!("notified");
            b
        }),
    );
    let en = en.expect(422);
    assert_eq!(en["errors"][0]["field"], "garante_notified_at");

    let b = app
        .post("/api/v1/privacy/breaches", &dpo, breach_body(&w))
        .expect(201);
    let url = format!("/api/v1/privacy/breaches/{}", s(&b["id"]));
    let etag = app.get(&url, &dpo).header("etag").unwrap().to_string();
    let m = app.with_headers(
        "PATCH",
        &url,
        &dpo,
        &[],
        Some(&json!({"records_affected": 60})),
    );
    assert_eq!(m.status, 428, "{}", m.text);
    app.clock.advance(Duration::seconds(5));
    let ok = app.with_headers(
        "PATCH",
        &url,
        &dpo,
        &[("If-Match", &etag)],
        Some(&json!({"records_affected": 60, "subjects_informed_at": rfc(now(&w))})),
    );
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(ok.json()["records_affected"], 60);
    let stale = app.with_headers(
        "PATCH",
        &url,
        &dpo,
        &[("If-Match", &etag)],
        Some(&json!({"records_affected": 61})),
    );
    assert_eq!(stale.status, 412, "{}", stale.text);
    // The patched result is checked whole: informed before the discovery is refused.
    let r = app
        .patch(
            &url,
            &dpo,
            json!({"subjects_informed_at": rfc(n - Duration::days(3))}),
        )
        .expect(422);
    assert_eq!(r["errors"][0]["field"], "subjects_informed_at");
    assert_eq!(r["errors"][0]["code"], "before_discovery");
}

#[test]
fn times_are_kept_to_the_microsecond_on_both_backends() {
    let w = World::new();
    let dpo = w.app.login("dpo@demo.test");
    let mut b = breach_body(&w);
    let at = now(&w) - Duration::hours(1);
    b["discovered_at"] = json!(format!("{}.123456789Z", at.format("%Y-%m-%dT%H:%M:%S")));
    let created = w.app.post("/api/v1/privacy/breaches", &dpo, b).expect(201);
    assert!(
        s(&created["discovered_at"]).ends_with(".123456Z"),
        "{created}"
    );
    let read = w
        .app
        .get(
            &format!("/api/v1/privacy/breaches/{}", s(&created["id"])),
            &dpo,
        )
        .expect(200);
    assert_eq!(read["discovered_at"], created["discovered_at"]);
}

#[test]
fn the_breach_register_pages_in_the_order_recorded() {
    let w = World::new();
    let app = &w.app;
    let dpo = app.login("dpo@demo.test");
    let mut ids = Vec::new();
    for i in 0..3 {
        let mut b = breach_body(&w);
        b["title"] = json!(format!("Violazione {i}"));
        ids.push(s(&app
            .post("/api/v1/privacy/breaches", &dpo, b)
            .expect(201)["id"]));
    }
    let p1 = app
        .get("/api/v1/privacy/breaches?limit=2", &dpo)
        .expect(200);
    let first: Vec<String> = p1["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| s(&b["id"]))
        .collect();
    assert_eq!(first, ids[..2]);
    let next = s(&p1["next"]);
    let p2 = app
        .get(
            &format!("/api/v1/privacy/breaches?limit=2&after={next}"),
            &dpo,
        )
        .expect(200);
    assert_eq!(p2["items"].as_array().unwrap().len(), 1);
    assert_eq!(p2["items"][0]["id"], ids[2].as_str());
    assert!(p2["next"].is_null());
}

#[test]
fn a_breach_recorded_twice_with_one_idempotency_key_is_one_breach() {
    let w = World::new();
    let app = &w.app;
    let dpo = app.login("dpo@demo.test");
    let body = breach_body(&w);
    let key = [("Idempotency-Key", "breach-2026-12-08-a")];
    let first = app.with_headers("POST", "/api/v1/privacy/breaches", &dpo, &key, Some(&body));
    assert_eq!(first.status, 201, "{}", first.text);
    let again = app.with_headers("POST", "/api/v1/privacy/breaches", &dpo, &key, Some(&body));
    assert_eq!(again.status, 201, "{}", again.text);
    assert_eq!(again.json()["id"], first.json()["id"]);
    let all = app.get("/api/v1/privacy/breaches", &dpo).expect(200);
    assert_eq!(all["items"].as_array().unwrap().len(), 1);
}
