//! Rights of the data subject over HTTP (issue 14, A.2): restriction of processing (art. 18)
//! freezes and hides a person; anonymisation (art. 17) needs a second person, the DPO, and
//! leaves nothing of the person in the database; the retention job anonymises exactly whom
//! the preview listed, when the clock says so.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::Duration;
use common::world::{s, tax_code, today, World};
use diesel::RunQueryDsl;
use serde_json::{json, Value};
use sistema_lavoro::domain::Clock;
use sistema_lavoro::store::{self, DbConn};

fn person_of_case(w: &World, case: &str) -> String {
    s(&w.app
        .get(&format!("/api/v1/cases/{case}"), &w.coord)
        .expect(200)["person"]["id"])
}

fn actions(v: &Value) -> Vec<String> {
    v["allowed_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(s)
        .collect()
}

fn ids(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| s(&i["id"]))
        .collect()
}

/// A case taken in charge by agency 1, its proposed measure cancelled, closed as `outcome`.
fn closed_case(w: &World, last: &str) -> String {
    let case = w.case_for_agency1(last);
    w.take_charge(&case);
    let a = w.activation(&case);
    w.app
        .call(
            "POST",
            &format!("/api/v1/activations/{a}/cancel"),
            Some(&w.op1),
            None,
        )
        .expect(200);
    w.app
        .post(
            &format!("/api/v1/cases/{case}/close"),
            &w.op1,
            json!({"outcome": "dropped_out"}),
        )
        .expect(200);
    case
}

#[test]
fn a_restricted_person_is_frozen_for_everyone_and_seen_only_by_the_dpo_and_the_coordinator() {
    let w = World::new();
    let app = &w.app;
    let dpo = app.login("dpo@demo.test");
    let case = w.case_for_agency1("Restelli");
    w.take_charge(&case);
    let person = person_of_case(&w, &case);
    let referral = s(&app
        .get(&format!("/api/v1/cases/{case}"), &w.coord)
        .expect(200)["referral_id"]);
    let restrict = format!("/api/v1/persons/{person}/restriction");

    // Before: the coordinator and the DPO are offered the restriction; the agency is not.
    let before = app
        .get(&format!("/api/v1/persons/{person}"), &w.coord)
        .expect(200);
    assert!(
        actions(&before).contains(&"restrict".to_string()),
        "{before}"
    );
    assert!(actions(&before).contains(&"request_anonymisation".to_string()));
    let seen_by_dpo = app
        .get(&format!("/api/v1/persons/{person}"), &dpo)
        .expect(200);
    assert_eq!(actions(&seen_by_dpo), vec!["restrict"]);
    assert!(
        seen_by_dpo["sensitive"].is_null(),
        "the DPO sees no special categories"
    );
    let by_agency = app
        .get(&format!("/api/v1/persons/{person}"), &w.op1)
        .expect(200);
    assert!(!actions(&by_agency).contains(&"restrict".to_string()));

    // The reason is required; the agency may not restrict.
    let missing = app.post(&restrict, &dpo, json!({})).expect(422);
    assert_eq!(missing["code"], "validation_failed");
    assert_eq!(
        app.post(&restrict, &w.op1, json!({"reason": "No"}))
            .problem(403),
        "forbidden"
    );

    let restricted = app
        .post(
            &restrict,
            &dpo,
            json!({"reason": "La persona contesta l'esattezza dei dati."}),
        )
        .expect(200);
    assert_eq!(restricted["processing_restricted"], true);
    assert_eq!(actions(&restricted), vec!["lift_restriction"]);
    assert_eq!(
        app.post(&restrict, &w.coord, json!({"reason": "Di nuovo."}))
            .problem(409),
        "invalid_transition"
    );

    // Frozen: every change answers 409 person_restricted, in Italian, or English on request.
    let edit = app.patch(
        &format!("/api/v1/persons/{person}"),
        &w.coord,
        json!({"phone": "035 111111"}),
    );
    let problem = edit.expect(409);
    assert_eq!(problem["code"], "person_restricted");
    assert!(s(&problem["detail"]).contains("limitato"), "{problem}");
    let english = upload_to_case(
        &w,
        &w.coord,
        &case,
        "Nota.pdf",
        &[("Accept-Language", "en")],
    )
    .expect(409);
    assert_eq!(english["code"], "person_restricted");
    assert!(s(&english["detail"]).contains("restricted"), "{english}");
    assert_eq!(
        app.post(
            &format!("/api/v1/persons/{person}/consents"),
            &w.coord,
            json!({"kind": "notice", "notice_id": w.notice, "method": "in_person"})
        )
        .problem(409),
        "person_restricted"
    );
    let coord_view = app
        .get(&format!("/api/v1/persons/{person}"), &w.coord)
        .expect(200);
    assert_eq!(coord_view["processing_restricted"], true);
    assert!(actions(&coord_view).contains(&"lift_restriction".to_string()));
    assert_eq!(coord_view["blocked_actions"][0]["action"], "edit");
    assert_eq!(
        coord_view["blocked_actions"][0]["code"],
        "person_restricted"
    );

    // Hidden from everyone else: lists leave her out, single reads are 404.
    assert_eq!(
        app.get(&format!("/api/v1/cases/{case}"), &w.op1)
            .problem(404),
        "not_found"
    );
    assert!(!ids(&app.get("/api/v1/cases?limit=200", &w.op1).expect(200)).contains(&case));
    assert_eq!(
        app.get(&format!("/api/v1/persons/{person}"), &w.social)
            .problem(404),
        "not_found"
    );
    assert_eq!(
        app.get(&format!("/api/v1/referrals/{referral}"), &w.social)
            .problem(404),
        "not_found"
    );
    assert!(!ids(&app
        .get("/api/v1/referrals?limit=200", &w.social)
        .expect(200))
    .contains(&referral));
    assert!(!ids(&app.get("/api/v1/persons?limit=200", &w.social).expect(200)).contains(&person));
    let code = tax_code("Restelli", "Anna", "1990-05-12", 'F');
    let lookup = app
        .get(&format!("/api/v1/persons?tax_code={code}"), &w.pass)
        .expect(200);
    assert_eq!(
        lookup["items"],
        json!([]),
        "a lookup by code does not reach her"
    );
    // The coordinator still sees her and her case; the DPO her record, not the case.
    assert!(ids(&app.get("/api/v1/cases?limit=200", &w.coord).expect(200)).contains(&case));
    app.get(&format!("/api/v1/cases/{case}"), &w.coord)
        .expect(200);
    assert_eq!(
        app.get(&format!("/api/v1/cases/{case}"), &dpo).problem(404),
        "not_found"
    );

    // Lifted: the agency works on the case again.
    let lifted = app
        .post(
            &format!("{restrict}/lift"),
            &w.coord,
            json!({"reason": "Dati verificati con la persona."}),
        )
        .expect(200);
    assert_eq!(lifted["processing_restricted"], false);
    assert_eq!(
        app.post(
            &format!("{restrict}/lift"),
            &w.coord,
            json!({"reason": "Di nuovo."})
        )
        .problem(409),
        "invalid_transition"
    );
    app.get(&format!("/api/v1/cases/{case}"), &w.op1)
        .expect(200);
    app.post(
        &format!("/api/v1/cases/{case}/follow-ups"),
        &w.op1,
        json!({"kind": "call", "date": today().to_string(), "note": "Telefonata."}),
    )
    .expect(201);

    // Both moves are in the person's history, with who and why.
    let export = app
        .get(&format!("/api/v1/persons/{person}/data-export"), &dpo)
        .expect(200);
    let moves: Vec<(String, String)> = export["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["entity_type"] == "person" && h["kind"] == "change")
        .map(|h| (s(&h["action"]), s(&h["reason"])))
        .collect();
    assert!(moves.contains(&(
        "restrict".into(),
        "La persona contesta l'esattezza dei dati.".into()
    )));
    assert!(moves.contains(&(
        "lift_restriction".into(),
        "Dati verificati con la persona.".into()
    )));
}

/// Every text column of every table, by backend.
fn text_columns(conn: &mut DbConn) -> Vec<(String, String)> {
    #[derive(diesel::QueryableByName)]
    struct Col {
        #[diesel(sql_type = diesel::sql_types::Text)]
        t: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        c: String,
    }
    let rows: Vec<Col> = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
             AND (upper(p.type) LIKE '%TEXT%' OR upper(p.type) LIKE '%CHAR%')",
        )
        .load(c),
        DbConn::Pg(c) => diesel::sql_query(
            "SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns \
             WHERE table_schema = current_schema() \
             AND data_type IN ('text', 'character varying', 'character')",
        )
        .load(c),
    }
    .unwrap();
    rows.into_iter().map(|r| (r.t, r.c)).collect()
}

/// Where `needle` appears in the database: `table.column` for each hit.
fn find_anywhere(conn: &mut DbConn, needle: &str) -> Vec<String> {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut hits = Vec::new();
    let cols = text_columns(conn);
    assert!(
        cols.len() > 100,
        "the scan reads every text column ({})",
        cols.len()
    );
    for (t, c) in cols {
        let sql = format!(
            "SELECT COUNT(*) AS n FROM \"{t}\" WHERE lower(CAST(\"{c}\" AS TEXT)) LIKE '%{}%'",
            needle.to_lowercase()
        );
        let n: Vec<N> = match conn {
            DbConn::Sqlite(x) => diesel::sql_query(&sql).load(x),
            DbConn::Pg(x) => diesel::sql_query(&sql).load(x),
        }
        .unwrap();
        if n[0].n > 0 {
            hits.push(format!("{t}.{c}"));
        }
    }
    hits
}

const BOUNDARY: &str = "----sl-subject-rights-boundary";

fn upload_to_case(
    w: &World,
    token: &str,
    case: &str,
    name: &str,
    extra: &[(&str, &str)],
) -> common::Resp {
    let pdf = b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n";
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"case_id\"\r\n\r\n{case}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: application/pdf\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(pdf);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let auth = format!("Bearer {token}");
    let ct = format!("multipart/form-data; boundary={BOUNDARY}");
    let mut headers = vec![
        ("Authorization", auth.as_str()),
        ("Content-Type", ct.as_str()),
    ];
    headers.extend_from_slice(extra);
    w.app.raw("POST", "/api/v1/documents", &headers, &body)
}

#[test]
fn anonymisation_is_approved_by_a_second_person_and_leaves_nothing_of_her_behind() {
    let w = World::new();
    let app = &w.app;
    let dpo = app.login("dpo@demo.test");
    let (last, first, born) = ("Zappalorto", "Ermenegilda", "1984-03-09");
    let code = tax_code(last, first, born, 'F');
    let person = s(&app
        .post(
            "/api/v1/persons",
            &w.social,
            json!({"tax_code": code, "first_name": first, "last_name": last, "birth_date": born,
                "gender": "F", "residence_municipality_code": "016024", "citizenship": "Italiana",
                "email": "ermenegilda.zappalorto@example.org", "phone": "+39 347 9182736",
                "address": "Via Quarenghi 77, Bergamo", "employment_status": "unemployed",
                "has_disability": true,
                "disability_notes": "Zappalorto: invalidità civile 60%"}),
        )
        .expect(201)["id"]);
    w.give_notice(&w.social, &person);
    let referral = s(&app
        .post(
            "/api/v1/referrals",
            &w.social,
            json!({"person_id": person, "needs": ["work"],
                "reason": "Ermenegilda Zappalorto cerca lavoro da un anno."}),
        )
        .expect(201)["id"]);
    app.call(
        "POST",
        &format!("/api/v1/referrals/{referral}/submit"),
        Some(&w.social),
        None,
    )
    .expect(200);
    let m = w.open_meeting();
    app.post(
        &format!("/api/v1/meetings/{m}/decisions"),
        &w.coord,
        json!({
            "referral_id": referral, "decision": "accept", "agency_id": w.agency1,
            "measure_ids": [w.dul], "reason": "Zappalorto ha i requisiti per la DUL."
        }),
    )
    .expect(200);
    w.close_meeting(&m);
    let case = s(&app
        .get(&format!("/api/v1/referrals/{referral}"), &w.coord)
        .expect(200)["case"]["id"]);
    app.post(&format!("/api/v1/cases/{case}/take-charge"), &w.op1, json!({
        "first_meeting_date": today().to_string(), "plan_goals": "Zappalorto: bilancio di competenze"
    })).expect(200);
    app.post(
        &format!("/api/v1/cases/{case}/follow-ups"),
        &w.op1,
        json!({"kind": "call", "date": today().to_string(), "note": "Sentita Ermenegilda al 347 9182736."}),
    )
    .expect(201);
    upload_to_case(&w, &w.op1, &case, "CV Zappalorto.pdf", &[]).expect(201);

    let mut conn = store::connect(&app.db.url, 1).unwrap().get().unwrap();
    for needle in [last, first, &code] {
        assert!(
            !find_anywhere(&mut conn, needle).is_empty(),
            "{needle} is stored before"
        );
    }

    // The coordinator asks; the reason and the legal ground are required.
    let ask = format!("/api/v1/persons/{person}/anonymisation-requests");
    let bad = app.post(&ask, &w.coord, json!({"reason": ""})).expect(422);
    let fields: Vec<String> = bad["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| s(&e["field"]))
        .collect();
    assert!(fields.contains(&"legal_ground".to_string()), "{bad}");
    assert_eq!(
        app.post(
            &ask,
            &dpo,
            json!({"legal_ground": "objection", "reason": "x y z"})
        )
        .problem(403),
        "forbidden"
    );
    let req = app
        .post(
            &ask,
            &w.coord,
            json!({"legal_ground": "no_longer_necessary",
            "reason": "Zappalorto chiede la cancellazione: percorso concluso."}),
        )
        .expect(201);
    assert_eq!(req["status"], "pending");
    assert_eq!(
        req["allowed_actions"],
        json!([]),
        "the requester decides nothing"
    );
    assert_eq!(
        app.post(
            &ask,
            &w.coord,
            json!({"legal_ground": "objection", "reason": "Di nuovo."})
        )
        .problem(409),
        "duplicate"
    );
    let id = s(&req["id"]);
    let pending = app
        .get("/api/v1/anonymisation-requests?state=pending", &dpo)
        .expect(200);
    assert_eq!(ids(&pending), vec![id.clone()]);
    assert_eq!(actions(&pending["items"][0]), vec!["approve", "reject"]);
    assert_eq!(
        app.get("/api/v1/anonymisation-requests?state=pending", &w.coord)
            .expect(200)["items"][0]["allowed_actions"],
        json!([])
    );
    let approve = format!("/api/v1/anonymisation-requests/{id}/approve");
    assert_eq!(
        app.call("POST", &approve, Some(&w.coord), None)
            .problem(403),
        "forbidden"
    );

    // The requester, made DPO meanwhile, still may not decide her own request.
    let admin = &w.admin;
    let users = app.get("/api/v1/users?limit=200", admin).expect(200);
    let coord_id = users["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "coordinatore@demo.test")
        .map(|u| s(&u["id"]))
        .unwrap();
    let user_path = format!("/api/v1/users/{coord_id}");
    app.patch(&user_path, admin, json!({"role": "privacy_officer"}))
        .expect(200);
    let same = app.login("coordinatore@demo.test");
    let refused = app.call("POST", &approve, Some(&same), None).expect(409);
    assert_eq!(refused["code"], "approver_is_requester");
    assert!(
        s(&refused["detail"]).contains("seconda persona"),
        "{refused}"
    );
    app.patch(&user_path, admin, json!({"role": "coordinator"}))
        .expect(200);
    let coord = app.login("coordinatore@demo.test");

    // All or nothing: a restricted person's records refuse the erasure, and the approval with
    // it — the request stays pending, nothing of her changed.
    let restrict = format!("/api/v1/persons/{person}/restriction");
    app.post(&restrict, &dpo, json!({"reason": "Verifica in corso."}))
        .expect(200);
    assert_eq!(
        app.call("POST", &approve, Some(&dpo), None).problem(409),
        "person_restricted"
    );
    assert_eq!(
        ids(&app
            .get("/api/v1/anonymisation-requests?state=pending", &dpo)
            .expect(200)),
        vec![id.clone()]
    );
    assert_eq!(
        app.get(&format!("/api/v1/persons/{person}"), &dpo)
            .expect(200)["last_name"],
        last
    );
    assert!(find_anywhere(&mut conn, &code).contains(&"meetings.minutes_md".to_string()));
    app.post(
        &format!("{restrict}/lift"),
        &dpo,
        json!({"reason": "Verifica conclusa."}),
    )
    .expect(200);

    // The DPO approves: done at once, and only once.
    let done = app.call("POST", &approve, Some(&dpo), None).expect(200);
    assert_eq!(done["status"], "approved");
    assert!(done.get("reason").is_none(), "{done}");
    assert_eq!(
        app.call("POST", &approve, Some(&dpo), None).problem(409),
        "invalid_transition"
    );
    assert_eq!(
        app.call(
            "POST",
            &format!("/api/v1/anonymisation-requests/{id}/reject"),
            Some(&dpo),
            None
        )
        .problem(409),
        "invalid_transition"
    );

    // The record shows "Persona anonimizzata" and keeps what statistics need.
    let p = app
        .get(&format!("/api/v1/persons/{person}"), &coord)
        .expect(200);
    assert_eq!(
        (s(&p["first_name"]), s(&p["last_name"])),
        ("Persona".into(), "anonimizzata".into())
    );
    assert_eq!(p["anonymised"], true);
    assert_eq!(p["birth_date"], "1984-01-01");
    assert_eq!(p["gender"], "F");
    assert_eq!(p["citizenship"], "IT");
    assert_eq!(p["residence"]["istat_code"], "016024");
    assert!(
        p["email"].is_null() && p["phone"].is_null() && p["address"].is_null(),
        "{p}"
    );
    assert_eq!(p["allowed_actions"], json!([]));
    let c = app
        .get(&format!("/api/v1/cases/{case}"), &coord)
        .expect(200);
    assert_eq!(c["status"], "in_charge");
    assert_eq!(c["activations"].as_array().map(Vec::len), Some(1), "{c}");
    // An edit fails cleanly.
    assert_eq!(
        app.patch(
            &format!("/api/v1/persons/{person}"),
            &coord,
            json!({"phone": "035 1"})
        )
        .problem(409),
        "person_anonymised"
    );
    assert_eq!(
        app.post(
            &ask,
            &coord,
            json!({"legal_ground": "objection", "reason": "Ancora."})
        )
        .problem(409),
        "person_anonymised"
    );
    assert_eq!(
        app.get(&format!("/api/v1/cases/{case}/documents"), &coord)
            .expect(200)["items"],
        json!([])
    );

    // Nothing of her is left anywhere in the database.
    for needle in [
        last,
        first,
        &code,
        "ermenegilda.zappalorto@example.org",
        "9182736",
        "Quarenghi",
        "invalidità",
    ] {
        assert_eq!(
            find_anywhere(&mut conn, needle),
            Vec::<String>::new(),
            "{needle} remains"
        );
    }
}

#[test]
fn the_retention_job_anonymises_exactly_the_persons_the_preview_listed() {
    let w = World::new();
    let app = &w.app;
    let dpo = app.login("dpo@demo.test");
    let first = closed_case(&w, "Ravasio");
    let second = closed_case(&w, "Rota");
    let kept = closed_case(&w, "Riva");
    let open = w.case_for_agency1("Rondi");
    let (p1, p2, p3, p4) = (
        person_of_case(&w, &first),
        person_of_case(&w, &second),
        person_of_case(&w, &kept),
        person_of_case(&w, &open),
    );

    // The coordinator shortens the district's period to two years; others may not.
    let district = format!("/api/v1/districts/{}", w.district_id);
    assert_eq!(
        app.get(&district, &w.coord).expect(200)["retention_years"],
        10
    );
    assert_eq!(
        app.patch(&district, &w.op1, json!({"retention_years": 2}))
            .problem(403),
        "forbidden"
    );
    assert_eq!(
        app.patch(&district, &w.coord, json!({"name": "Altro"}))
            .problem(403),
        "forbidden"
    );
    assert_eq!(
        app.patch(&district, &w.coord, json!({"retention_years": 0}))
            .problem(422),
        "validation_failed"
    );
    assert_eq!(
        app.patch(&district, &w.coord, json!({"retention_years": 2}))
            .expect(200)["retention_years"],
        2
    );
    // A restricted person is kept whatever the period.
    app.post(
        &format!("/api/v1/persons/{p3}/restriction"),
        &dpo,
        json!({"reason": "Contenzioso in corso."}),
    )
    .expect(200);

    assert_eq!(
        app.get("/api/v1/retention/preview", &w.coord).expect(200)["items"],
        json!([])
    );
    w.app.clock.advance(Duration::days(2 * 366 + 1));
    let preview = app.get("/api/v1/retention/preview", &w.coord).expect(200);
    let due: Vec<String> = preview["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| s(&i["person_id"]))
        .collect();
    let mut expected = vec![p1.clone(), p2.clone()];
    expected.sort();
    let mut sorted = due.clone();
    sorted.sort();
    assert_eq!(sorted, expected, "{preview}");
    assert_eq!(preview["retention_years"], 2);
    let closed_on = today();
    assert_eq!(
        preview["items"][0]["last_case_closed_on"],
        closed_on.to_string()
    );
    assert_eq!(
        preview["items"][0]["due_on"],
        (closed_on + chrono::Months::new(24)).to_string()
    );
    assert!(
        s(&preview["items"][0]["name"]).starts_with('R'),
        "the coordinator sees names"
    );
    let for_dpo = app.get("/api/v1/retention/preview", &dpo).expect(200);
    assert!(for_dpo["items"][0].get("name").is_none(), "{for_dpo}");
    assert_eq!(
        app.get("/api/v1/retention/preview", &w.op1).problem(403),
        "forbidden"
    );

    // The ticker's daily round runs the job: exactly the previewed persons are anonymised.
    let pool = store::connect(&app.db.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let settings = sistema_lavoro::app::notifications::mail::MailSettings::from_config(&app.config);
    let mut tick = sistema_lavoro::app::notifications::mail::TickState::default();
    sistema_lavoro::app::notifications::mail::tick(
        &mut conn,
        None,
        &settings,
        &*app.clock,
        &mut tick,
    )
    .unwrap();
    for p in [&p1, &p2] {
        let v = app
            .get(&format!("/api/v1/persons/{p}"), &w.coord)
            .expect(200);
        assert_eq!(v["anonymised"], true, "{v}");
        assert_eq!(v["last_name"], "anonimizzata");
    }
    for p in [&p3, &p4] {
        let v = app
            .get(&format!("/api/v1/persons/{p}"), &w.coord)
            .expect(200);
        assert_eq!(v["anonymised"], false, "{v}");
    }
    assert_eq!(
        app.get("/api/v1/retention/preview", &w.coord).expect(200)["items"],
        json!([])
    );
    let approved = app
        .get("/api/v1/anonymisation-requests?state=approved", &dpo)
        .expect(200);
    let grounds: Vec<(String, String)> = approved["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (s(&r["legal_ground"]), s(&r["requested_by"])))
        .collect();
    assert_eq!(grounds.len(), 2);
    assert!(grounds.iter().all(|g| g
        == &(
            "retention_expired".to_string(),
            "system:retention".to_string()
        )));
    // Each run is in the audit log.
    let runs = app
        .get("/api/v1/audit?limit=200&action=retention_run", &dpo)
        .expect(200);
    assert!(!runs["items"].as_array().unwrap().is_empty(), "{runs}");
    // A second round the same day does nothing more.
    let now = app.clock.read();
    assert_eq!(
        sistema_lavoro::app::workflow::erasure::run_due(&mut conn, now).unwrap(),
        0
    );
}
