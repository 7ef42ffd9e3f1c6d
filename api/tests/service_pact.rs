//! The service pact (patto di servizio): made at take-charge, revised as versions with the
//! history kept, guarded by If-Match, printed as a PDF read back by a real parser, its
//! actions ticked by follow-ups, seen only by who sees the case, backfilled by its migration.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::Read;

use common::receiver::Receiver;
use common::world::{s, today, World};
use serde_json::{json, Value};
use sistema_lavoro::store::{self, DbConn};

fn pact_url(case: &str) -> String {
    format!("/api/v1/cases/{case}/service-pact")
}

/// A case of agency 1 taken in charge by its operator.
fn in_charge(w: &World, last: &str) -> String {
    let case = w.case_for_agency1(last);
    w.take_charge(&case);
    case
}

fn full_pact(summary: &str) -> Value {
    json!({
        "summary": summary,
        "profile_kind": "gol", "profile_value": "pathway_1",
        "assessment": "Buona motivazione, esperienza in magazzino.",
        "meeting_frequency": "fortnightly",
        "job_search_proof": "Copia delle candidature inviate, mostrata al colloquio.",
        "actions": [
            {"kind": "job_search", "description": "Inviare cinque candidature", "timing": "ogni settimana"},
            {"kind": "training", "description": "Corso carrellista", "due_date": today().to_string()}
        ]
    })
}

fn put(w: &World, token: &str, case: &str, etag: Option<&str>, body: &Value) -> common::Resp {
    let headers: Vec<(&str, &str)> = etag.map(|e| ("If-Match", e)).into_iter().collect();
    w.app
        .with_headers("PUT", &pact_url(case), token, &headers, Some(body))
}

fn etag(w: &World, token: &str, case: &str) -> String {
    w.app
        .get(&pact_url(case), token)
        .header("etag")
        .unwrap()
        .to_string()
}

#[test]
fn take_charge_makes_version_1_and_revisions_keep_the_history() {
    let w = World::new();
    let case = w.case_for_agency1("Bianchi");
    // Before take-charge there is no pact.
    assert_eq!(
        w.app.get(&pact_url(&case), &w.op1).problem(404),
        "not_found"
    );
    let c = w
        .app
        .get(&format!("/api/v1/cases/{case}"), &w.op1)
        .expect(200);
    assert!(c["blocked_actions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b["action"] == "edit_service_pact"));
    w.take_charge(&case);

    let me = w.app.get("/api/v1/me", &w.op1).expect(200);
    let v1 = w.app.get(&pact_url(&case), &w.op1).expect(200);
    assert_eq!(v1["version"], 1);
    assert_eq!(v1["current"], true);
    assert_eq!(v1["summary"], "Bilancio di competenze");
    assert_eq!(v1["responsible"]["id"], me["id"]);
    assert_eq!(v1["allowed_actions"], json!(["edit_service_pact"]));
    let c = w
        .app
        .get(&format!("/api/v1/cases/{case}"), &w.op1)
        .expect(200);
    assert!(c["allowed_actions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a == "edit_service_pact"));

    // A revision without If-Match is refused (428), a stale one too (412).
    let first = etag(&w, &w.op1, &case);
    let body = full_pact("Ricerca attiva nel settore logistico; patente del muletto.");
    assert_eq!(
        put(&w, &w.op1, &case, None, &body).problem(428),
        "precondition_required"
    );
    let v2 = put(&w, &w.op1, &case, Some(&first), &body).expect(200);
    assert_eq!(v2["version"], 2);
    assert_eq!(v2["profile_value"], "pathway_1");
    assert_eq!(v2["meeting_frequency"], "fortnightly");
    assert_eq!(v2["actions"].as_array().unwrap().len(), 2);
    assert_eq!(v2["actions"][1]["kind"], "training");
    assert_eq!(
        put(&w, &w.op1, &case, Some(&first), &body).problem(412),
        "precondition_failed"
    );

    // The case's plan_goals is the pact's summary.
    let c = w
        .app
        .get(&format!("/api/v1/cases/{case}"), &w.op1)
        .expect(200);
    assert_eq!(
        c["plan_goals"],
        "Ricerca attiva nel settore logistico; patente del muletto."
    );

    // The history keeps version 1 as it was.
    let list = w
        .app
        .get(&format!("{}/versions", pact_url(&case)), &w.coord)
        .expect(200);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["version"], 2);
    assert_eq!(items[0]["current"], true);
    assert_eq!(items[1]["version"], 1);
    assert_eq!(items[1]["current"], false);
    assert_eq!(items[1]["summary"], "Bilancio di competenze");
    assert_eq!(items[1]["allowed_actions"], json!([]));
    let paged = w
        .app
        .get(&format!("{}/versions?limit=1", pact_url(&case)), &w.op1)
        .expect(200);
    assert_eq!(paged["next"], "2");
    let rest = w
        .app
        .get(
            &format!("{}/versions?limit=1&after=2", pact_url(&case)),
            &w.op1,
        )
        .expect(200);
    assert_eq!(rest["items"][0]["version"], 1);
    assert_eq!(rest["next"], Value::Null);
    // A cursor this list never gave points nowhere: an empty page, as on every list.
    let nowhere = w
        .app
        .get(
            &format!("{}/versions?after=%C2%A1x", pact_url(&case)),
            &w.op1,
        )
        .expect(200);
    assert_eq!(nowhere["items"], json!([]));
    assert_eq!(nowhere["next"], Value::Null);
}

/// A revision is told to the agency's integrations as `service_pact.revised` — ids, state and
/// the version, never the pact's text.
#[test]
fn a_revision_raises_service_pact_revised_without_the_pact_s_text() {
    let w = World::new();
    let rx = Receiver::start(0);
    w.app
        .post(
            "/api/v1/webhooks",
            &w.admin,
            json!({"url": rx.url, "event_types": ["service_pact.revised"], "organization_id": w.agency1}),
        )
        .expect(201);
    let case = w.case_for_agency1("Webhook");
    w.take_charge(&case);
    let first = etag(&w, &w.op1, &case);
    let body = full_pact("Tirocinio presso il magazzino comunale.");
    put(&w, &w.op1, &case, Some(&first), &body).expect(200);
    let got = rx.wait_for("service_pact.revised");
    let event: Value = serde_json::from_str(&got.body).unwrap();
    assert_eq!(event["data"]["case_id"], case.as_str());
    assert_eq!(event["data"]["version"], 2);
    assert_eq!(event["data"]["status"], "in_charge");
    assert!(!got.body.contains("magazzino"), "{}", got.body);
    assert!(!got.body.contains("Webhook"), "no name: {}", got.body);
    // Take-charge wrote version 1 and raised no revision of its own.
    assert_eq!(
        rx.got
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.header("X-Event-Type") == Some("service_pact.revised"))
            .count(),
        1
    );
}

#[test]
fn bad_profiles_actions_and_attachments_are_refused_naming_the_field() {
    let w = World::new();
    let case = in_charge(&w, "Verdi");
    let other = in_charge(&w, "Neri");
    let tag = etag(&w, &w.op1, &case);
    let field = |body: Value| -> String {
        let p = put(&w, &w.op1, &case, Some(&tag), &body).expect(422);
        s(&p["errors"][0]["field"])
    };
    let mut band_for_gol = full_pact("Obiettivi del patto");
    band_for_gol["profile_value"] = json!("band_2");
    assert_eq!(field(band_for_gol), "profile_value");
    let mut pathway_for_dul = full_pact("Obiettivi del patto");
    pathway_for_dul["profile_kind"] = json!("dul");
    assert_eq!(field(pathway_for_dul), "profile_value");
    let mut no_kind = full_pact("Obiettivi del patto");
    no_kind.as_object_mut().unwrap().remove("profile_kind");
    assert_eq!(field(no_kind), "profile_kind");
    let mut unknown_value = full_pact("Obiettivi del patto");
    unknown_value["profile_value"] = json!("band_9");
    assert_eq!(
        put(&w, &w.op1, &case, Some(&tag), &unknown_value).status,
        422
    );
    let mut too_many = full_pact("Obiettivi del patto");
    too_many["actions"] = json!(vec![
        json!({"kind": "job_search", "description": "Candidature"});
        31
    ]);
    assert_eq!(field(too_many), "actions");
    let mut bad_date = full_pact("Obiettivi del patto");
    bad_date["actions"][0]["due_date"] = json!("2026-02-30");
    assert_eq!(put(&w, &w.op1, &case, Some(&tag), &bad_date).status, 422);
    let mut stranger = full_pact("Obiettivi del patto");
    stranger["responsible_user_id"] = w.app.get("/api/v1/me", &w.coord).expect(200)["id"].clone();
    assert_eq!(field(stranger), "responsible_user_id");
    let mut foreign_action = full_pact("Obiettivi del patto");
    let theirs = put(
        &w,
        &w.op1,
        &other,
        Some(&etag(&w, &w.op1, &other)),
        &full_pact("Altro patto"),
    )
    .expect(200);
    foreign_action["actions"][0]["id"] = theirs["actions"][0]["id"].clone();
    assert_eq!(field(foreign_action), "actions[0].id");
    // The signed copy must be a document of this case.
    let mut signed = full_pact("Obiettivi del patto");
    signed["signed_document_id"] = json!("0190a0a0-0000-7000-8000-000000000000");
    assert_eq!(field(signed), "signed_document_id");
    // A document of another case is not this pact's signed copy; one of this case is.
    let theirs_doc = attach(&w, &other);
    let mut signed = full_pact("Obiettivi del patto");
    signed["signed_document_id"] = json!(theirs_doc);
    assert_eq!(field(signed), "signed_document_id");
    // Nothing was written by the refusals.
    assert_eq!(
        w.app.get(&pact_url(&case), &w.op1).expect(200)["version"],
        1
    );
    let ours = attach(&w, &case);
    let mut signed = full_pact("Patto firmato");
    signed["signed_document_id"] = json!(ours);
    let v2 = put(&w, &w.op1, &case, Some(&tag), &signed).expect(200);
    assert_eq!(v2["signed_document_id"], ours.as_str());
}

/// Attaches a small PDF to a case as its operator: the document's id.
fn attach(w: &World, case: &str) -> String {
    const B: &str = "pactboundary";
    let mut body = format!(
        "--{B}\r\nContent-Disposition: form-data; name=\"case_id\"\r\n\r\n{case}\r\n\
         --{B}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"patto-firmato.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n");
    body.extend_from_slice(format!("\r\n--{B}--\r\n").as_bytes());
    let auth = format!("Bearer {}", w.op1);
    let ct = format!("multipart/form-data; boundary={B}");
    let r = w.app.raw(
        "POST",
        "/api/v1/documents",
        &[("Authorization", &auth), ("Content-Type", &ct)],
        &body,
    );
    s(&r.expect(201)["id"])
}

#[test]
fn only_who_sees_the_case_reads_the_pact_and_only_its_agency_revises_it() {
    let w = World::new();
    let case = in_charge(&w, "Gialli");
    // Referrers and other agencies: not found, whatever the verb.
    for token in [&w.social, &w.op2, &w.cpi] {
        assert_eq!(w.app.get(&pact_url(&case), token).status, 404);
        assert_eq!(
            w.app.get(&format!("{}.pdf", pact_url(&case)), token).status,
            404
        );
        assert_eq!(
            w.app
                .get(&format!("{}/versions", pact_url(&case)), token)
                .status,
            404
        );
        assert_eq!(
            put(&w, token, &case, Some("*"), &full_pact("Obiettivi")).status,
            404
        );
    }
    // The coordinator reads it, but the agency works the case.
    let v = w.app.get(&pact_url(&case), &w.coord).expect(200);
    assert_eq!(v["allowed_actions"], json!([]));
    let tag = etag(&w, &w.coord, &case);
    assert_eq!(
        put(&w, &w.coord, &case, Some(&tag), &full_pact("Obiettivi")).problem(403),
        "forbidden"
    );
    // Every read of the pact is a read of the person's data, logged.
    let pool = store::connect(&w.app.db.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let person = s(&v["case_id"]);
    let _ = person;
    let before = reads(&mut conn);
    w.app.get(&pact_url(&case), &w.op1).expect(200);
    assert_eq!(reads(&mut conn), before + 1);
}

fn reads(conn: &mut DbConn) -> i64 {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query("SELECT COUNT(*) AS n FROM person_reads")
        .get_result::<N>(conn)
        .unwrap()
        .n
}

#[test]
fn the_printable_copy_is_a_pdf_naming_the_operator_and_the_actions() {
    let w = World::new();
    let case = in_charge(&w, "Rossi");
    put(
        &w,
        &w.op1,
        &case,
        Some(&etag(&w, &w.op1, &case)),
        &full_pact("Ricerca attiva nel settore logistico."),
    )
    .expect(200);
    let r = ureq::get(&w.app.url(&format!("{}.pdf", pact_url(&case))))
        .set("Authorization", &format!("Bearer {}", w.op1))
        .call()
        .unwrap();
    assert_eq!(r.header("content-type"), Some("application/pdf"));
    assert!(r
        .header("content-disposition")
        .unwrap()
        .contains("patto-di-servizio-v2.pdf"));
    let mut bytes = Vec::new();
    r.into_reader().read_to_end(&mut bytes).unwrap();
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).unwrap();
    let me = w.app.get("/api/v1/me", &w.op1).expect(200);
    let name = s(&me["full_name"]);
    assert!(text.contains(&name), "{name} not in {text}");
    assert!(text.contains("Inviare cinque candidature"), "{text}");
    assert!(text.contains("Corso carrellista"), "{text}");
    assert!(text.contains("Percorso GOL 1"), "{text}");
    assert!(text.contains("ogni due settimane"), "{text}");
    assert!(text.contains("Rossi"), "{text}");
}

#[test]
fn a_follow_up_ticks_actions_of_the_pact_in_force_only() {
    let w = World::new();
    let case = in_charge(&w, "Marroni");
    let other = in_charge(&w, "Celesti");
    let v2 = put(
        &w,
        &w.op1,
        &case,
        Some(&etag(&w, &w.op1, &case)),
        &full_pact("Obiettivi del patto"),
    )
    .expect(200);
    let theirs = put(
        &w,
        &w.op1,
        &other,
        Some(&etag(&w, &w.op1, &other)),
        &full_pact("Altro patto"),
    )
    .expect(200);
    let action = s(&v2["actions"][0]["id"]);
    let follow = |ids: Value| {
        w.app.post(
            &format!("/api/v1/cases/{case}/follow-ups"),
            &w.op1,
            json!({"kind": "meeting", "date": today().to_string(), "note": "Colloquio", "pact_action_ids": ids}),
        )
    };
    // Another case's action: refused, naming the field, and nothing written.
    let p = follow(json!([theirs["actions"][0]["id"]])).expect(422);
    assert_eq!(p["errors"][0]["field"], "pact_action_ids[0]");
    let diary = w
        .app
        .get(&format!("/api/v1/cases/{case}/follow-ups"), &w.op1)
        .expect(200);
    assert_eq!(diary["items"].as_array().unwrap().len(), 0);
    let f = follow(json!([action])).expect(201);
    let now = w.app.get(&pact_url(&case), &w.op1).expect(200);
    assert_eq!(now["actions"][0]["done_follow_up_id"], f["id"]);
    assert!(now["actions"][0]["done_at"].is_string());
    assert_eq!(now["actions"][1]["done_at"], Value::Null);
    // A revision that continues the action keeps its done mark; a new one starts to do.
    let mut next = full_pact("Obiettivi rivisti");
    next["actions"][0]["id"] = json!(action);
    let v3 = put(&w, &w.op1, &case, Some(&etag(&w, &w.op1, &case)), &next).expect(200);
    assert!(v3["actions"][0]["done_at"].is_string());
    assert_eq!(v3["actions"][1]["done_at"], Value::Null);
    // The old version's action is not the pact in force any more.
    let p = follow(json!([action])).expect(422);
    assert_eq!(p["errors"][0]["field"], "pact_action_ids[0]");
}

#[test]
fn the_migration_gives_cases_already_in_charge_a_first_version_from_their_plan_goals() {
    use diesel_migrations::MigrationHarness;
    let w = World::new();
    let case = in_charge(&w, "Arancioni");
    // Referred before the migrations are replayed (they take the world's privacy notice away).
    let fresh = w.case_for_agency1("Viola");
    let pool = store::connect(&w.app.db.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    // Back to before the pact existed (and the networks after it): the case keeps only its
    // plan goals.
    for _ in 0..2 {
        match &mut *conn {
            DbConn::Sqlite(c) => c.revert_last_migration(store::SQLITE_MIGRATIONS).map(drop),
            DbConn::Pg(c) => c
                .revert_last_migration(store::POSTGRES_MIGRATIONS)
                .map(drop),
        }
        .unwrap();
    }
    match &mut *conn {
        DbConn::Sqlite(c) => c.run_pending_migrations(store::SQLITE_MIGRATIONS).map(drop),
        DbConn::Pg(c) => c
            .run_pending_migrations(store::POSTGRES_MIGRATIONS)
            .map(drop),
    }
    .unwrap();
    let v1 = w.app.get(&pact_url(&case), &w.op1).expect(200);
    assert_eq!(v1["version"], 1);
    assert_eq!(v1["summary"], "Bilancio di competenze");
    let me = w.app.get("/api/v1/me", &w.op1).expect(200);
    assert_eq!(v1["responsible"]["id"], me["id"]);
    // And it is revised like any other.
    put(
        &w,
        &w.op1,
        &case,
        Some(&etag(&w, &w.op1, &case)),
        &full_pact("Dopo la migrazione"),
    )
    .expect(200);
    // A case not yet taken in charge still has none.
    assert_eq!(w.app.get(&pact_url(&fresh), &w.op1).status, 404);
}

#[test]
fn take_charge_can_sign_the_whole_pact_and_names_what_is_wrong_in_it() {
    let w = World::new();
    let case = w.case_for_agency1("Pace");
    let url = format!("/api/v1/cases/{case}/take-charge");
    let first = today().to_string();
    let field = |body: Value| -> String {
        let p = w.app.post(&url, &w.op1, body).expect(422);
        s(&p["errors"][0]["field"])
    };
    // Before take-charge, a revision without If-Match is told the header is missing (428),
    // not the state (409): the required header is checked first.
    assert_eq!(
        put(&w, &w.op1, &case, None, &full_pact("Obiettivi del patto")).problem(428),
        "precondition_required"
    );
    assert_eq!(
        put(
            &w,
            &w.op1,
            &case,
            Some("\"1\""),
            &full_pact("Obiettivi del patto")
        )
        .problem(409),
        "invalid_transition"
    );
    // Neither the goals nor the pact.
    assert_eq!(field(json!({"first_meeting_date": first})), "plan_goals");
    // Goals that contradict the pact's summary.
    assert_eq!(
        field(json!({"first_meeting_date": first, "plan_goals": "Altro",
                     "service_pact": full_pact("Obiettivi del patto")})),
        "plan_goals"
    );
    // The pact's own rules, named inside `service_pact`.
    let mut band_for_gol = full_pact("Obiettivi del patto");
    band_for_gol["profile_value"] = json!("band_2");
    assert_eq!(
        field(json!({"first_meeting_date": first, "service_pact": band_for_gol})),
        "service_pact.profile_value"
    );
    let mut short = full_pact("Obiettivi del patto");
    short["actions"][0]["description"] = json!("x");
    assert_eq!(
        field(json!({"first_meeting_date": first, "service_pact": short})),
        "service_pact.actions[0].description"
    );
    // Nothing of the refused attempts was kept: still no pact, still assigned.
    assert_eq!(
        w.app.get(&pact_url(&case), &w.op1).problem(404),
        "not_found"
    );
    assert_eq!(
        w.app
            .get(&format!("/api/v1/cases/{case}"), &w.op1)
            .expect(200)["status"],
        "assigned"
    );

    // The pact as signed at the first meeting becomes version 1; its summary is the goals.
    w.app
        .post(
            &url,
            &w.op1,
            json!({"first_meeting_date": first, "service_pact": full_pact("Obiettivi del patto")}),
        )
        .expect(200);
    let pact = w.app.get(&pact_url(&case), &w.op1).expect(200);
    assert_eq!(pact["version"], 1);
    assert_eq!(pact["profile_value"], "pathway_1");
    assert_eq!(pact["meeting_frequency"], "fortnightly");
    assert_eq!(pact["actions"].as_array().unwrap().len(), 2);
    assert_eq!(
        pact["responsible"]["id"],
        w.app.get("/api/v1/me", &w.op1).expect(200)["id"]
    );
    let c = w
        .app
        .get(&format!("/api/v1/cases/{case}"), &w.op1)
        .expect(200);
    assert_eq!(c["plan_goals"], "Obiettivi del patto");
    assert_eq!(c["status"], "in_charge");
}

#[test]
fn the_responsible_operator_is_chosen_among_the_agency_s_active_operators() {
    let w = World::new();
    let case = w.case_for_agency1("Costa");
    let url = format!("/api/v1/cases/{case}/service-pact/operators");
    // Before take-charge already: the take-charge form offers them.
    let list = w.app.get(&url, &w.op1).expect(200);
    let op1 = w.app.get("/api/v1/me", &w.op1).expect(200)["id"].clone();
    let ids: Vec<Value> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].clone())
        .collect();
    assert!(ids.contains(&op1), "the agency's operator is offered");
    let op2 = w.app.get("/api/v1/me", &w.op2).expect(200)["id"].clone();
    let coord = w.app.get("/api/v1/me", &w.coord).expect(200)["id"].clone();
    assert!(!ids.contains(&op2), "no operator of another agency");
    assert!(!ids.contains(&coord), "no coordinator");
    assert!(list["items"][0]["full_name"].is_string());
    assert_eq!(list["next"], Value::Null);
    // The coordinator sees the case and so the list; another agency does not.
    w.app.get(&url, &w.coord).expect(200);
    assert_eq!(w.app.get(&url, &w.op2).problem(404), "not_found");
    // One of them named at take-charge is the pact's responsible operator.
    let mut pact = full_pact("Obiettivi del patto");
    pact["responsible_user_id"] = op1.clone();
    w.app
        .post(
            &format!("/api/v1/cases/{case}/take-charge"),
            &w.op1,
            json!({"first_meeting_date": today().to_string(), "service_pact": pact}),
        )
        .expect(200);
    assert_eq!(
        w.app.get(&pact_url(&case), &w.op1).expect(200)["responsible"]["id"],
        op1
    );
}
