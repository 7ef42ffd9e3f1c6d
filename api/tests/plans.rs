//! The district's integrated local plan over HTTP: a plan made with the seed's four axes, actions
//! that lack what the seed asks (dates, source, budget, department) listed with reasons per
//! action and counted for the plan, values refused naming the field, state moves with who and
//! why, lateness by the clock, and who reads and writes what.
#![allow(clippy::unwrap_used)]

mod common;

use common::world::{s, today, World};
use common::Resp;
use serde_json::{json, Value};
use sistema_lavoro::store;

fn etag(w: &World, token: &str, path: &str) -> String {
    w.app.get(path, token).header("etag").unwrap().to_string()
}

fn act(w: &World, path: &str, action: &str, body: Option<Value>) -> Resp {
    let tag = etag(w, &w.coord, path);
    w.app.with_headers(
        "POST",
        &format!("{path}/{action}"),
        &w.coord,
        &[("If-Match", &tag)],
        body.as_ref(),
    )
}

fn patch(w: &World, path: &str, body: Value) -> Resp {
    let tag = etag(w, &w.coord, path);
    w.app.with_headers(
        "PATCH",
        path,
        &w.coord,
        &[
            ("If-Match", &tag),
            ("Content-Type", "application/merge-patch+json"),
        ],
        Some(&body),
    )
}

fn new_plan(w: &World) -> Value {
    w.app
        .post(
            "/api/v1/plans",
            &w.coord,
            json!({"title": "Piano Locale Integrato 2027–2029", "period_start": "2027-01-01", "period_end": "2029-12-31"}),
        )
        .expect(201)
}

fn axis(plan: &Value, code: &str) -> String {
    plan["axes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == code)
        .map(|a| s(&a["id"]))
        .unwrap()
}

fn rule<'a>(action: &'a Value, name: &str) -> &'a Value {
    action["completeness"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == name)
        .unwrap()
}

#[test]
fn a_plan_gets_the_seed_s_axes_and_lists_what_its_actions_still_lack() {
    let w = World::new();
    let app = &w.app;
    let plan = new_plan(&w);
    assert_eq!(plan["status"], "draft");
    let codes: Vec<&str> = plan["axes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["governance", "territory", "planning", "network"]);
    assert_eq!(plan["axes"][0]["title"], "Buona governance");
    assert!(s(&plan["axes"][1]["expected_results"]).contains("bisogni"));
    assert_eq!(plan["completeness"]["complete"], true);
    assert_eq!(plan["completeness"]["actions_open"], 0);
    let id = s(&plan["id"]);
    let actions = format!("/api/v1/plans/{id}/actions");

    // An action as the seed writes it: only a title, every decision still to take.
    let bare = app
        .post(
            &actions,
            &w.coord,
            json!({"axis_id": axis(&plan, "governance"), "title": "Osservatorio sulle politiche di inclusione"}),
        )
        .expect(201);
    assert_eq!(bare["status"], "planned");
    assert_eq!(bare["completeness"]["complete"], false);
    for r in ["dates", "funding_source", "budget", "department"] {
        assert_eq!(rule(&bare, r)["met"], false, "{r}");
    }
    assert_eq!(
        rule(&bare, "dates")["message"],
        "mancano le date: quanto dura l'azione?"
    );
    // One with everything the seed asks.
    let full = app
        .post(
            &actions,
            &w.coord,
            json!({"axis_id": axis(&plan, "governance"), "title": "Consultazione degli stakeholders",
                "description": "Almeno 2 volte l'anno, in assemblee pubbliche",
                "start_date": "2027-03-01", "end_date": "2027-12-31", "funding_source": "district_budget",
                "budget_cents": 500000, "responsible_department": "Ufficio di Piano",
                "indicators": [{"name": "Consultazioni svolte", "unit": "incontri", "baseline": 0, "target": 2}]}),
        )
        .expect(201);
    assert_eq!(full["completeness"]["complete"], true);
    assert_eq!(full["indicators"][0]["target"], 2.0);
    // One with dates only, in English.
    let half = app
        .with_headers(
            "POST",
            &actions,
            &w.coord,
            &[("Accept-Language", "en")],
            Some(&json!({"axis_id": axis(&plan, "territory"), "title": "Mappatura delle competenze", "start_date": "2027-01-01"})),
        )
        .expect(201);
    assert_eq!(rule(&half, "dates")["message"], "the end date is missing");

    // The plan counts what its open actions lack, per rule.
    let p = app
        .get(&format!("/api/v1/plans/{id}"), &w.coord)
        .expect(200);
    let c = &p["completeness"];
    assert_eq!(c["complete"], false);
    assert_eq!(c["actions_open"], 3);
    assert_eq!(c["actions_complete"], 1);
    let missing: Vec<(String, i64)> = c["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (s(&m["rule"]), m["count"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        missing,
        [
            ("dates".to_string(), 2),
            ("funding_source".to_string(), 2),
            ("budget".to_string(), 2),
            ("department".to_string(), 2)
        ]
    );
    assert_eq!(
        c["missing"][1]["message"],
        "2 azioni senza fonte di finanziamento"
    );
    assert_eq!(p["budget_total_cents"], 500000);
    assert_eq!(p["axes"][0]["action_count"], 2);

    // Filling the gaps completes the action; a dropped action no longer counts.
    let bare_url = format!("/api/v1/plan-actions/{}", s(&bare["id"]));
    let filled = patch(
        &w,
        &bare_url,
        json!({"start_date": "2027-01-01", "end_date": "2029-12-31", "funding_source": "esf_plus",
            "budget_cents": 12000000, "responsible_organization_id": w.agency1}),
    )
    .expect(200);
    assert_eq!(filled["completeness"]["complete"], true);
    assert_eq!(filled["responsible_organization"]["id"], w.agency1.as_str());
    act(
        &w,
        &format!("/api/v1/plan-actions/{}", s(&half["id"])),
        "drop",
        Some(json!({"reason": "Assorbita da un progetto"})),
    )
    .expect(200);
    let p = app
        .get(&format!("/api/v1/plans/{id}"), &w.coord)
        .expect(200);
    assert_eq!(p["completeness"]["complete"], true);
    assert_eq!(p["completeness"]["actions_open"], 2);
    assert_eq!(p["budget_total_cents"], 12500000);
    // The list narrows to an axis.
    let gov = app
        .get(
            &format!("{actions}?axis_id={}", axis(&plan, "governance")),
            &w.observer,
        )
        .expect(200);
    assert_eq!(gov["items"].as_array().unwrap().len(), 2);
}

#[test]
fn wrong_values_are_refused_naming_the_field_and_nothing_is_written() {
    let w = World::new();
    let app = &w.app;
    let bad_period = app.post(
        "/api/v1/plans",
        &w.coord,
        json!({"title": "Piano", "period_start": "2027-01-01", "period_end": "2026-12-31"}),
    );
    assert_eq!(bad_period.status, 422);
    assert_eq!(bad_period.json()["errors"][0]["field"], "period_end");
    let twice = app.post(
        "/api/v1/plans",
        &w.coord,
        json!({"title": "Piano", "period_start": "2027-01-01", "period_end": "2027-12-31",
            "axes": [{"code": "governance"}, {"code": "governance"}]}),
    );
    assert_eq!(twice.status, 422);
    assert_eq!(twice.json()["errors"][0]["field"], "axes[1].code");
    let untitled = app.post(
        "/api/v1/plans",
        &w.coord,
        json!({"title": "Piano", "period_start": "2027-01-01", "period_end": "2027-12-31",
            "axes": [{"expected_results": "Senza titolo"}]}),
    );
    assert_eq!(untitled.status, 422);
    assert_eq!(untitled.json()["errors"][0]["field"], "axes[0].title");
    assert!(app.get("/api/v1/plans", &w.coord).expect(200)["items"]
        .as_array()
        .unwrap()
        .is_empty());

    let plan = new_plan(&w);
    let other = new_plan(&w);
    let actions = format!("/api/v1/plans/{}/actions", s(&plan["id"]));
    let gov = axis(&plan, "governance");
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"axis_id": axis(&other, "governance"), "title": "Azione"}),
            "axis_id",
        ),
        (
            json!({"axis_id": gov, "title": "Azione", "start_date": "2027-05-01", "end_date": "2027-04-01"}),
            "end_date",
        ),
        (
            json!({"axis_id": gov, "title": "Azione", "funding_source": "other"}),
            "funding_note",
        ),
        (
            json!({"axis_id": gov, "title": "Azione", "funding_source": "lottery"}),
            "funding_source",
        ),
        (
            json!({"axis_id": gov, "title": "Azione", "budget_cents": -1}),
            "budget_cents",
        ),
        (
            json!({"axis_id": gov, "title": "Azione", "responsible_organization_id": "nessuno"}),
            "responsible_organization_id",
        ),
        (
            json!({"axis_id": gov, "title": "Azione", "network_ids": ["nessuna"]}),
            "network_ids[0]",
        ),
        (
            json!({"axis_id": gov, "title": "Azione", "indicators": [{"name": "Persone", "value": 3}]}),
            "indicators[0].value_date",
        ),
        (
            json!({"axis_id": gov, "title": "Azione", "indicators": [{"name": ""}]}),
            "indicators[0].name",
        ),
        (json!({"axis_id": gov, "title": "A"}), "title"),
    ];
    for (body, field) in cases {
        let r = app.post(&actions, &w.coord, body.clone());
        assert_eq!(r.status, 422, "{body}: {}", r.text);
        let fields: Vec<String> = r.json()["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| s(&e["field"]))
            .collect();
        assert!(fields.contains(&field.to_string()), "{body}: {fields:?}");
    }
    assert!(app.get(&actions, &w.coord).expect(200)["items"]
        .as_array()
        .unwrap()
        .is_empty());
    // An approval dated in the future is refused; the plan stays a draft.
    let tomorrow = today() + chrono::Duration::days(1);
    let url = format!("/api/v1/plans/{}", s(&plan["id"]));
    let r = act(
        &w,
        &url,
        "approve",
        Some(json!({"approved_on": tomorrow, "reference": "Delibera n. 1"})),
    );
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["errors"][0]["field"], "approved_on");
    assert_eq!(app.get(&url, &w.coord).expect(200)["status"], "draft");
    // A stale edit is refused (412), one without If-Match too (428).
    let stale = etag(&w, &w.coord, &url);
    patch(
        &w,
        &url,
        json!({"title": "Piano Locale Integrato – Ambito 1"}),
    )
    .expect(200);
    let r = app.with_headers(
        "PATCH",
        &url,
        &w.coord,
        &[
            ("If-Match", &stale),
            ("Content-Type", "application/merge-patch+json"),
        ],
        Some(&json!({"title": "Altro"})),
    );
    assert_eq!(r.problem(412), "precondition_failed");
    let r = app.with_headers(
        "PATCH",
        &url,
        &w.coord,
        &[("Content-Type", "application/merge-patch+json")],
        Some(&json!({"title": "Altro"})),
    );
    assert_eq!(r.problem(428), "precondition_required");
}

#[test]
fn plans_and_actions_move_by_their_states_with_who_and_why() {
    let w = World::new();
    let app = &w.app;
    let plan = new_plan(&w);
    let url = format!("/api/v1/plans/{}", s(&plan["id"]));
    assert_eq!(
        plan["allowed_actions"],
        json!(["edit", "approve", "close", "add_action"])
    );
    let a = app
        .post(
            &format!("{url}/actions"),
            &w.coord,
            json!({"axis_id": axis(&plan, "network"), "title": "Agenzia sociale per la casa", "end_date": today() + chrono::Duration::days(10)}),
        )
        .expect(201);
    let a_url = format!("/api/v1/plan-actions/{}", s(&a["id"]));
    assert_eq!(a["allowed_actions"], json!(["edit", "start", "drop"]));
    assert_eq!(a["late"], false);
    assert_eq!(
        act(&w, &a_url, "complete", None).problem(409),
        "invalid_transition"
    );
    let running = act(&w, &a_url, "start", None).expect(200);
    assert_eq!(running["status"], "running");
    // The clock passes its end date: it is late until completed.
    app.clock.advance(chrono::Duration::days(11));
    assert_eq!(app.get(&a_url, &w.coord).expect(200)["late"], true);

    let approved = act(
        &w,
        &url,
        "approve",
        Some(json!({"approved_on": today(), "reference": "Delibera dell'Assemblea dei Sindaci n. 12/2026"})),
    )
    .expect(200);
    assert_eq!(approved["status"], "approved");
    assert_eq!(
        approved["approval_reference"],
        "Delibera dell'Assemblea dei Sindaci n. 12/2026"
    );
    assert_eq!(
        act(
            &w,
            &url,
            "approve",
            Some(json!({"approved_on": today(), "reference": "Delibera n. 2"}))
        )
        .problem(409),
        "invalid_transition"
    );
    // An approved plan still takes actions and edits (recorded); a new axis too.
    let more = app
        .post(
            &format!("{url}/axes"),
            &w.coord,
            json!({"title": "Inclusione abitativa"}),
        )
        .expect(201);
    assert_eq!(more["axes"].as_array().unwrap().len(), 5);
    assert_eq!(more["axes"][4]["code"], Value::Null);
    assert_eq!(
        app.post(
            &format!("{url}/axes"),
            &w.coord,
            json!({"code": "territory"})
        )
        .json()["errors"][0]["field"],
        "code"
    );
    let done = act(
        &w,
        &a_url,
        "complete",
        Some(json!({"reason": "Sportello aperto"})),
    )
    .expect(200);
    assert_eq!(done["late"], false);
    assert_eq!(done["allowed_actions"], json!([]));
    assert_eq!(
        patch(&w, &a_url, json!({"title": "Altro titolo"})).problem(409),
        "invalid_transition"
    );

    let closed = act(
        &w,
        &url,
        "close",
        Some(json!({"reason": "Periodo concluso"})),
    )
    .expect(200);
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["allowed_actions"], json!([]));
    assert_eq!(
        app.post(
            &format!("{url}/actions"),
            &w.coord,
            json!({"axis_id": axis(&plan, "network"), "title": "Tardi"})
        )
        .problem(409),
        "invalid_transition"
    );
    assert_eq!(
        patch(&w, &url, json!({"title": "Nuovo"})).problem(409),
        "invalid_transition"
    );

    // Who moved what, when and why, in the audit trail.
    let pool = store::connect(&app.db.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    use diesel::prelude::*;
    use sistema_lavoro::store::schema::state_changes as sc;
    let moves: Vec<(String, Option<String>)> = sc::table
        .filter(sc::entity_id.eq(s(&plan["id"])))
        .order(sc::id)
        .select((sc::action, sc::reason))
        .load(&mut *conn)
        .unwrap();
    let actions: Vec<&str> = moves.iter().map(|(a, _)| a.as_str()).collect();
    assert!(actions.starts_with(&["create", "approve"]), "{actions:?}");
    assert!(actions.ends_with(&["close"]), "{actions:?}");
    assert_eq!(moves.last().unwrap().1.as_deref(), Some("Periodo concluso"));
}

#[test]
fn every_role_of_the_district_reads_plans_and_only_the_coordinator_writes_them() {
    let w = World::new();
    let app = &w.app;
    let plan = new_plan(&w);
    let url = format!("/api/v1/plans/{}", s(&plan["id"]));
    for token in [&w.social, &w.op1, &w.observer] {
        let p = app.get(&url, token).expect(200);
        assert_eq!(p["allowed_actions"], json!([]));
        assert_eq!(p["blocked_actions"], json!([]));
        assert_eq!(
            app.post(
                "/api/v1/plans",
                token,
                json!({"title": "Piano", "period_start": "2027-01-01", "period_end": "2027-12-31"})
            )
            .problem(403),
            "forbidden"
        );
        assert_eq!(
            app.post(
                &format!("{url}/actions"),
                token,
                json!({"axis_id": axis(&plan, "network"), "title": "Azione"})
            )
            .problem(403),
            "forbidden"
        );
    }
    // The administrator runs the system, not the district's programme.
    assert_eq!(app.get("/api/v1/plans", &w.admin).problem(403), "forbidden");
    // Another district's plan is not there.
    let d = app
        .post(
            "/api/v1/districts",
            &w.admin,
            json!({"code": "AMBITO-9", "name": "Ambito 9"}),
        )
        .expect(201);
    let pool = store::connect(&app.db.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let at = chrono::Utc::now().naive_utc();
    let theirs = store::plans::Plan {
        id: "piano-altro-ambito".to_string().into(),
        district_id: s(&d["id"]).into(),
        title: "Piano dell'Ambito 9".into(),
        period_start: today(),
        period_end: today(),
        status: sistema_lavoro::domain::plans::PlanStatus::Draft,
        approved_on: None,
        approval_reference: None,
        created_by: None,
        created_at: at,
        updated_at: at,
    };
    store::plans::Plan::insert(&mut conn, &theirs, &[]).unwrap();
    assert_eq!(
        app.get("/api/v1/plans/piano-altro-ambito", &w.coord)
            .problem(404),
        "not_found"
    );
    assert_eq!(
        app.get("/api/v1/plans/piano-altro-ambito/actions", &w.observer)
            .problem(404),
        "not_found"
    );
    let mine = app.get("/api/v1/plans", &w.coord).expect(200);
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
}

fn download(w: &World, token: &str, path: &str, lang: &str) -> (u16, String, String, Vec<u8>) {
    let r = match ureq::get(&w.app.url(path))
        .set("Authorization", &format!("Bearer {token}"))
        .set("Accept-Language", lang)
        .call()
    {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    };
    let status = r.status();
    let ct = r.header("content-type").unwrap_or_default().to_string();
    let cd = r
        .header("content-disposition")
        .unwrap_or_default()
        .to_string();
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut r.into_reader(), &mut out).unwrap();
    (status, ct, cd, out)
}

#[test]
fn the_plan_exports_as_a_workbook_with_a_sheet_per_axis_and_as_a_pdf() {
    use calamine::{Data, Reader, Xlsx};
    let w = World::new();
    let app = &w.app;
    let plan = new_plan(&w);
    let actions = format!("/api/v1/plans/{}/actions", s(&plan["id"]));
    app.post(
        &actions,
        &w.coord,
        json!({"axis_id": axis(&plan, "governance"), "title": "=Consultazione degli stakeholders",
            "description": "Almeno 2 volte l'anno <in assemblee> & riunioni",
            "start_date": "2027-03-01", "end_date": "2027-12-31", "funding_source": "district_budget",
            "budget_cents": 500_050, "responsible_department": "Ufficio di Piano"}),
    )
    .expect(201);
    app.post(
        &actions,
        &w.coord,
        json!({"axis_id": axis(&plan, "territory"), "title": "Osservatorio sulle politiche di inclusione"}),
    )
    .expect(201);
    let url = format!("/api/v1/plans/{}/export.xlsx", s(&plan["id"]));
    let (status, ct, cd, bytes) = download(&w, &w.coord, &url, "it");
    assert_eq!(status, 200);
    assert_eq!(
        ct,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(cd.contains("Piano-Locale-Integrato-2027-2029.xlsx"), "{cd}");
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let names = book.sheet_names();
    assert_eq!(names.len(), 4, "{names:?}");
    assert!(names[0].starts_with("1. Buona governance"), "{names:?}");
    let gov = book.worksheet_range(&names[0]).unwrap();
    assert_eq!(gov.get((0, 0)), Some(&Data::String("Azione".into())));
    assert_eq!(gov.get((0, 5)), Some(&Data::String("Fonte".into())));
    assert_eq!(gov.get((0, 7)), Some(&Data::String("Budget".into())));
    assert_eq!(gov.get((0, 8)), Some(&Data::String("Dipartimento".into())));
    // A text that looks like a formula stays text; markup is kept as written.
    assert_eq!(
        gov.get((1, 0)),
        Some(&Data::String("=Consultazione degli stakeholders".into()))
    );
    assert_eq!(
        gov.get((1, 1)),
        Some(&Data::String(
            "Almeno 2 volte l'anno <in assemblee> & riunioni".into()
        ))
    );
    // Dates are dates, euros are numbers.
    match gov.get((1, 3)) {
        // 1 March 2027 is day 46447 of the 1900 date system.
        Some(Data::DateTime(d)) => assert_eq!(d.as_f64(), 46447.0),
        other => panic!("start date is {other:?}"),
    }
    assert_eq!(gov.get((1, 7)), Some(&Data::Float(5000.5)));
    assert_eq!(
        gov.get((1, 5)),
        Some(&Data::String("Bilancio dell'Ambito".into()))
    );
    let ter = book.worksheet_range(&names[1]).unwrap();
    let lacks = ter.get((1, 11)).map(|d| d.to_string()).unwrap_or_default();
    assert!(lacks.contains("mancano le date"), "{lacks}");
    // The header row is frozen, and its format says euros.
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(download(&w, &w.coord, &url, "it").3)).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    assert!(sheet.contains(r#"state="frozen""#) && sheet.contains(r#"ySplit="1""#));
    // In English, the headers are English.
    let (_, _, _, en) = download(&w, &w.coord, &url, "en");
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(en)).unwrap();
    let first = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&first).unwrap();
    assert_eq!(range.get((0, 0)), Some(&Data::String("Action".into())));

    // The PDF reads back with the actions and what they lack.
    let (status, ct, _, pdf) = download(
        &w,
        &w.coord,
        &format!("/api/v1/plans/{}/export.pdf", s(&plan["id"])),
        "it",
    );
    assert_eq!((status, ct.as_str()), (200, "application/pdf"));
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).unwrap();
    for want in [
        "Piano Locale Integrato",
        "Buona governance",
        "Osservatorio sulle politiche",
        "5.000,50 €",
        "Ufficio di Piano",
    ] {
        assert!(
            text.replace('\n', " ").contains(want),
            "{want} missing from {text}"
        );
    }
    // Readers of the plan download it; the administrator does not see it.
    let (status, _, _, _) = download(&w, &w.observer, &url, "it");
    assert_eq!(status, 200);
    let (status, ct, _, _) = download(&w, &w.admin, &url, "it");
    assert_eq!((status, ct.as_str()), (404, "application/problem+json"));
}
