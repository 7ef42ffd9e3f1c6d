//! Funded projects over HTTP: an idea submitted, granted with its split by year and its CUP,
//! a catalogue measure made from it with an agency's threshold and then activated for a case;
//! deadlines raised by the clock; wrong values refused naming the field with nothing written;
//! who reads and who writes.
#![allow(clippy::unwrap_used)]

mod common;

use common::world::{s, today, World};
use common::Resp;
use serde_json::{json, Value};

fn etag(w: &World, path: &str) -> String {
    w.app
        .get(path, &w.coord)
        .header("etag")
        .unwrap()
        .to_string()
}

fn act(w: &World, path: &str, action: &str, body: Option<Value>) -> Resp {
    let tag = etag(w, path);
    w.app.with_headers(
        "POST",
        &format!("{path}/{action}"),
        &w.coord,
        &[("If-Match", &tag)],
        body.as_ref(),
    )
}

fn idea(w: &World, extra: Value) -> Value {
    let mut body = json!({"title": "Un Ponte per il lavoro", "funder": "Regione Lombardia",
        "call_title": "Bando inclusione attiva", "funding_source": "regional",
        "requested_cents": 12_000_000, "cofinanced_cents": 1_000_000});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    w.app.post("/api/v1/projects", &w.coord, body).expect(201)
}

fn granted(w: &World) -> (String, Value) {
    let p = idea(w, json!({}));
    let url = format!("/api/v1/projects/{}", s(&p["id"]));
    act(w, &url, "submit", None).expect(200);
    let g = act(
        w,
        &url,
        "grant",
        Some(json!({"decided_on": today().to_string(), "granted_cents": 10_000_000,
            "granted_by_year": [{"year": 2028, "cents": 4_000_000}, {"year": 2027, "cents": 6_000_000}],
            "cup": "c11g 0600 0000 001"})),
    )
    .expect(200);
    (url, g)
}

#[test]
fn a_granted_project_makes_its_measure_and_its_money_is_spent_through_activations() {
    let w = World::new();
    let app = &w.app;
    let plan = app
        .post(
            "/api/v1/plans",
            &w.coord,
            json!({"title": "Piano 2027", "period_start": "2027-01-01", "period_end": "2027-12-31"}),
        )
        .expect(201);
    let action = app
        .post(
            &format!("/api/v1/plans/{}/actions", s(&plan["id"])),
            &w.coord,
            json!({"axis_id": plan["axes"][2]["id"], "title": "Accesso al lavoro e accompagnamento"}),
        )
        .expect(201);
    let p = idea(
        &w,
        json!({"plan_action_ids": [action["id"]], "lead_organization_id": w.agency1}),
    );
    assert_eq!(p["status"], "idea");
    assert_eq!(
        p["plan_actions"][0]["title"],
        "Accesso al lavoro e accompagnamento"
    );
    assert_eq!(p["lead_organization"]["id"], w.agency1.as_str());
    assert!(p["allowed_actions"]
        .as_array()
        .unwrap()
        .contains(&json!("submit")));
    let url = format!("/api/v1/projects/{}", s(&p["id"]));
    // A measure only from a granted project.
    assert_eq!(
        app.post(
            &format!("{url}/measures"),
            &w.coord,
            json!({"code": "PONTE"})
        )
        .problem(409),
        "invalid_transition"
    );
    act(&w, &url, "submit", None).expect(200);
    let g = act(
        &w,
        &url,
        "grant",
        Some(json!({"decided_on": today().to_string(), "granted_cents": 10_000_000,
            "granted_by_year": [{"year": 2028, "cents": 4_000_000}, {"year": 2027, "cents": 6_000_000}],
            "cup": "c11g 0600 0000 001"})),
    )
    .expect(200);
    assert_eq!(g["status"], "granted");
    assert_eq!(g["cup"], "C11G06000000001");
    assert_eq!(g["granted_by_year"][0]["year"], 2027);
    let with = app
        .post(
            &format!("{url}/measures"),
            &w.coord,
            json!({"code": "ponte", "description": "Tirocini e accompagnamento",
                "default_amount_cents": 200_000,
                "thresholds": [{"agency_id": w.agency1, "cap_cents": 5_000_000}]}),
        )
        .expect(201);
    assert_eq!(with["measures"][0]["code"], "PONTE");
    let measure_id = s(&with["measures"][0]["id"]);
    let m = app
        .get(&format!("/api/v1/measures/{measure_id}"), &w.coord)
        .expect(200);
    assert_eq!(m["kind"], "district_project");
    assert_eq!(m["project_id"], p["id"]);
    // The project's source, and its funder and call as the note.
    assert_eq!(m["funding_source"], "regional");
    assert_eq!(
        m["funding_note"],
        "Regione Lombardia – Bando inclusione attiva"
    );
    // The agency activates it for a case: its threshold reserves the project's money.
    let case = w.case_for_agency1("Rossi");
    w.take_charge(&case);
    let a = app
        .post(
            &format!("/api/v1/cases/{case}/activations"),
            &w.op1,
            json!({"measure_id": measure_id}),
        )
        .expect(201);
    app.call(
        "POST",
        &format!("/api/v1/activations/{}/approve", s(&a["id"])),
        Some(&w.op1),
        None,
    )
    .expect(200);
    let thresholds = app
        .get(
            &format!("/api/v1/thresholds?measure_id={measure_id}"),
            &w.coord,
        )
        .expect(200);
    assert_eq!(thresholds["items"][0]["reserved_cents"], 200_000);
    // The moves to the end, with who and why in the history.
    act(&w, &url, "start", None).expect(200);
    act(&w, &url, "report", None).expect(200);
    let closed = act(
        &w,
        &url,
        "close",
        Some(json!({"reason": "Rendiconto approvato"})),
    )
    .expect(200);
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["allowed_actions"], json!([]));
    assert_eq!(
        act(&w, &url, "start", None).problem(409),
        "invalid_transition"
    );
}

#[test]
fn the_next_step_s_deadline_falls_due_by_the_clock() {
    let w = World::new();
    let soon = today() + chrono::Duration::days(10);
    let past = today() - chrono::Duration::days(3);
    let p = idea(&w, json!({"submission_deadline": soon.to_string()}));
    assert_eq!(p["due"][0]["kind"], "submission");
    assert_eq!(p["due"][0]["days"], 10);
    assert_eq!(p["due"][0]["overdue"], false);
    assert!(s(&p["due"][0]["message"]).contains("è tra 10 giorni"));
    let late = idea(
        &w,
        json!({"title": "Bergamondo", "submission_deadline": past.to_string()}),
    );
    assert_eq!(late["due"][0]["overdue"], true);
    let far = idea(
        &w,
        json!({"title": "Care Leavers",
        "submission_deadline": (today() + chrono::Duration::days(90)).to_string()}),
    );
    assert_eq!(far["due"], json!([]));

    // The next day's scan tells the coordinators, once per deadline, and once more when it
    // passes; the far one not yet.
    let deadlines = || -> Vec<Value> {
        w.app
            .get("/api/v1/notifications?limit=200", &w.coord)
            .expect(200)["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["kind"] == "project_deadline")
            .cloned()
            .collect()
    };
    let wait_for = |n: usize| {
        let until = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while deadlines().len() < n {
            assert!(
                std::time::Instant::now() < until,
                "waiting for {n} deadline notices"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
        deadlines()
    };
    w.app.clock.advance(chrono::Duration::days(1));
    let got = wait_for(2);
    assert_eq!(got.len(), 2, "raised once, not at every tick: {got:?}");
    let texts: Vec<String> = got.iter().map(|n| s(&n["text"])).collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains("Bergamondo") && t.contains("era il")),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t.contains("Un Ponte per il lavoro")
            && t.contains("la presentazione della domanda è il")),
        "{texts:?}"
    );
    assert!(s(&got[0]["link"]).starts_with("/projects/"));
    assert!(w
        .app
        .get("/api/v1/notifications?limit=200", &w.op1)
        .expect(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["kind"] != "project_deadline"));
    w.app.clock.advance(chrono::Duration::days(10));
    let got = wait_for(3);
    assert_eq!(got.len(), 3, "{got:?}");
}

#[test]
fn wrong_values_are_refused_naming_the_field_and_nothing_is_written() {
    let w = World::new();
    let app = &w.app;
    let bad = app
        .post(
            "/api/v1/projects",
            &w.coord,
            json!({"title": "Step By Step", "funder": "Fondazione", "cup": "C11G0600000000",
                "start_date": "2027-05-01", "end_date": "2027-01-01"}),
        )
        .expect(422);
    assert_eq!(bad["errors"][0]["field"], "cup");
    assert_eq!(bad["errors"][0]["code"], "length");
    let shape = app
        .post(
            "/api/v1/projects",
            &w.coord,
            json!({"title": "Step By Step", "funder": "Fondazione", "cup": "111G06000000001"}),
        )
        .expect(422);
    assert_eq!(shape["errors"][0]["code"], "format");
    let dates = app
        .post(
            "/api/v1/projects",
            &w.coord,
            json!({"title": "Step By Step", "funder": "Fondazione",
                "start_date": "2027-05-01", "end_date": "2027-01-01",
                "lead_organization_id": "nessuno"}),
        )
        .expect(422);
    let fields: Vec<&str> = dates["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["end_date", "lead_organization_id"]);
    assert_eq!(
        app.get("/api/v1/projects", &w.coord).expect(200)["items"],
        json!([])
    );

    let (url, g) = granted(&w);
    // Another project may not take the same CUP.
    let dup = app
        .post(
            "/api/v1/projects",
            &w.coord,
            json!({"title": "Altro", "funder": "Regione", "cup": "C11G06000000001"}),
        )
        .expect(409);
    assert_eq!(dup["code"], "duplicate");
    assert_eq!(dup["existing_id"], g["id"]);
    // A split that does not add up.
    let other = idea(&w, json!({"title": "Area penale"}));
    let other_url = format!("/api/v1/projects/{}", s(&other["id"]));
    act(&w, &other_url, "submit", None).expect(200);
    let sum = act(
        &w,
        &other_url,
        "grant",
        Some(
            json!({"decided_on": today().to_string(), "granted_cents": 100,
            "granted_by_year": [{"year": 2027, "cents": 60}, {"year": 2027, "cents": 40}]}),
        ),
    )
    .expect(422);
    assert_eq!(sum["errors"][0]["field"], "granted_by_year[1].year");
    assert_eq!(
        app.get(&other_url, &w.coord).expect(200)["status"],
        "submitted"
    );
    // Thresholds past the grant plus co-financing (10,000 + 1,000 €): nothing is kept.
    let over = app
        .post(
            &format!("{url}/measures"),
            &w.coord,
            json!({"code": "PONTE", "thresholds": [
                {"agency_id": w.agency1, "cap_cents": 8_000_000},
                {"agency_id": w.agency2, "cap_cents": 4_000_000}]}),
        )
        .expect(409);
    assert_eq!(over["code"], "grant_exceeded");
    assert_eq!(app.get(&url, &w.coord).expect(200)["measures"], json!([]));
    let codes: Vec<String> = app.get("/api/v1/measures?limit=100", &w.coord).expect(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| s(&m["code"]))
        .collect();
    assert!(!codes.contains(&"PONTE".to_string()), "{codes:?}");
    // An agency that is not the district's, named inside the list.
    let agency = app
        .post(
            &format!("{url}/measures"),
            &w.coord,
            json!({"code": "PONTE", "thresholds": [{"agency_id": "nessuna", "cap_cents": 1}]}),
        )
        .expect(422);
    assert_eq!(agency["errors"][0]["field"], "thresholds[0].agency_id");
    // Within the grant, it is kept.
    app.post(
        &format!("{url}/measures"),
        &w.coord,
        json!({"code": "PONTE", "thresholds": [{"agency_id": w.agency1, "cap_cents": 11_000_000}]}),
    )
    .expect(201);
}

#[test]
fn every_role_of_the_district_reads_projects_and_only_the_coordinator_writes_them() {
    let w = World::new();
    let app = &w.app;
    let p = idea(&w, json!({}));
    let url = format!("/api/v1/projects/{}", s(&p["id"]));
    for token in [&w.social, &w.op1, &w.observer] {
        let read = app.get(&url, token).expect(200);
        assert_eq!(read["allowed_actions"], json!([]));
        assert_eq!(
            app.post(
                "/api/v1/projects",
                token,
                json!({"title": "Idea", "funder": "Regione"})
            )
            .problem(403),
            "forbidden"
        );
        assert_eq!(
            app.call("POST", &format!("{url}/submit"), Some(token), None)
                .problem(403),
            "forbidden"
        );
    }
    assert_eq!(
        app.get("/api/v1/projects", &w.admin).problem(403),
        "forbidden"
    );
    assert_eq!(
        app.get("/api/v1/projects/non-esiste", &w.coord)
            .problem(404),
        "not_found"
    );
}

#[test]
fn the_published_cup_pattern_is_the_parsers() {
    let doc = sistema_lavoro::http::openapi_value();
    for schema in ["ProjectInput", "ProjectPatch", "GrantInput"] {
        assert_eq!(
            doc["components"]["schemas"][schema]["properties"]["cup"]["pattern"],
            sistema_lavoro::domain::projects::CUP_PATTERN,
            "{schema}.cup"
        );
    }
}

#[test]
fn monitoring_counts_what_the_projects_measures_did_per_action_and_per_month() {
    let w = World::new();
    let app = &w.app;
    let plan = app
        .post(
            "/api/v1/plans",
            &w.coord,
            json!({"title": "Piano 2027", "period_start": "2026-01-01", "period_end": "2027-12-31"}),
        )
        .expect(201);
    let actions_url = format!("/api/v1/plans/{}/actions", s(&plan["id"]));
    let funded = app
        .post(
            &actions_url,
            &w.coord,
            json!({"axis_id": plan["axes"][2]["id"], "title": "Accesso al lavoro",
                "budget_cents": 1_000_000, "start_date": "2026-01-01", "end_date": "2027-12-31",
                "indicators": [
                    {"name": "Persone raggiunte", "unit": "persone", "target": 40, "metric": "persons_reached"},
                    {"name": "Soddisfazione", "unit": "%", "target": 80, "value": 70, "value_date": today().to_string()}
                ]}),
        )
        .expect(201);
    let late = app
        .post(
            &actions_url,
            &w.coord,
            json!({"axis_id": plan["axes"][0]["id"], "title": "Tavolo di governance",
                "start_date": "2026-01-01", "end_date": "2026-02-28"}),
        )
        .expect(201);
    // A computed indicator's value is not typed.
    let bad = app
        .patch(
            &format!("/api/v1/plan-actions/{}", s(&funded["id"])),
            &w.coord,
            json!({"indicators": [{"name": "Persone", "metric": "persons_reached", "value": 3, "value_date": today().to_string()}]}),
        )
        .expect(422);
    assert_eq!(bad["errors"][0]["field"], "indicators[0].value");
    assert_eq!(bad["errors"][0]["code"], "computed");

    let p = idea(&w, json!({"plan_action_ids": [funded["id"]]}));
    let url = format!("/api/v1/projects/{}", s(&p["id"]));
    act(&w, &url, "submit", None).expect(200);
    act(
        &w,
        &url,
        "grant",
        Some(json!({"decided_on": today().to_string(), "granted_cents": 10_000_000})),
    )
    .expect(200);
    let with = app
        .post(
            &format!("{url}/measures"),
            &w.coord,
            json!({"code": "PONTE", "default_amount_cents": 200_000,
                "thresholds": [{"agency_id": w.agency1, "cap_cents": 5_000_000}]}),
        )
        .expect(201);
    let measure_id = s(&with["measures"][0]["id"]);

    // Nothing activated yet: zeros, and the months of the action listed.
    let m = app.get(&format!("{url}/monitoring"), &w.coord).expect(200);
    assert_eq!(m["figures"]["persons_reached"], 0);
    assert_eq!(m["figures"]["cap_cents"], 5_000_000);
    assert_eq!(m["measures"][0]["code"], "PONTE");

    // Two persons: one activation completed (spent) and the case closed hired, one approved.
    let activate = |case: &str| {
        let a = app
            .post(
                &format!("/api/v1/cases/{case}/activations"),
                &w.op1,
                json!({"measure_id": measure_id}),
            )
            .expect(201);
        let a = format!("/api/v1/activations/{}", s(&a["id"]));
        app.call("POST", &format!("{a}/approve"), Some(&w.op1), None)
            .expect(200);
        a
    };
    let c1 = w.case_for_agency1("Rossi");
    w.take_charge(&c1);
    let a1 = activate(&c1);
    app.call("POST", &format!("{a1}/start"), Some(&w.op1), None)
        .expect(200);
    app.post(
        &format!("{a1}/complete"),
        &w.op1,
        json!({"spent_cents": 150_000}),
    )
    .expect(200);
    // The DUL the table proposed is not taken up.
    let dul = w.activation(&c1);
    app.call(
        "POST",
        &format!("/api/v1/activations/{dul}/cancel"),
        Some(&w.op1),
        None,
    )
    .expect(200);
    app.post(
        &format!("/api/v1/cases/{c1}/close"),
        &w.op1,
        json!({"outcome": "hired", "hired": {"contract_type": "permanent", "hours_per_week": 38, "employer": "Officine Orobiche"}}),
    )
    .expect(200);
    let c2 = w.case_for_agency1("Bianchi");
    w.take_charge(&c2);
    activate(&c2);

    let m = app.get(&format!("{url}/monitoring"), &w.coord).expect(200);
    let f = &m["figures"];
    assert_eq!(f["persons_reached"], 2);
    assert_eq!(f["activations"], 2);
    assert_eq!(f["spent_cents"], 150_000);
    assert_eq!(f["reserved_cents"], 200_000);
    assert_eq!(f["cases_closed"], 1);
    assert_eq!(f["cases_closed_by_outcome"][0]["outcome"], "hired");
    assert_eq!(f["hired"], 1);
    assert_eq!(f["six_month_check_pending"], 1);
    assert_eq!(f["budget_cents"], 11_000_000, "grant plus co-financing");
    let month = today().format("%Y-%m").to_string();
    let this = f["by_month"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["month"] == month.as_str())
        .unwrap();
    assert_eq!(this["new_persons"], 2);
    assert_eq!(this["activations"], 2);
    assert_eq!(this["committed_cents"], 400_000);
    assert_eq!(this["spent_cents"], 150_000);
    assert_eq!(this["hired"], 1);

    // The plan: the funded action through its project, the other late with nothing to count.
    let pm = app
        .get(
            &format!("/api/v1/plans/{}/monitoring", s(&plan["id"])),
            &w.coord,
        )
        .expect(200);
    let of = |id: &Value| {
        pm["actions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["action_id"] == *id)
            .unwrap()
            .clone()
    };
    let fa = of(&funded["id"]);
    assert_eq!(fa["figures"]["persons_reached"], 2);
    assert_eq!(fa["figures"]["budget_executed_percent"], 15.0);
    assert_eq!(fa["figures"]["by_month"][0]["month"], "2026-01");
    assert_eq!(fa["indicators"][0]["value"], 2.0);
    assert_eq!(fa["indicators"][0]["computed"], true);
    assert_eq!(fa["indicators"][1]["value"], 70.0);
    assert_eq!(fa["indicators"][1]["computed"], false);
    let la = of(&late["id"]);
    assert_eq!(la["figures"]["late"], true);
    assert_eq!(la["figures"]["persons_reached"], 0);
    assert_eq!(la["measures"], json!([]));
    assert_eq!(pm["late_actions"], 1);
    assert_eq!(pm["totals"]["persons_reached"], 2);
    assert_eq!(pm["totals"]["budget_cents"], 1_000_000);
    // Readers of the district read it; to the administrator it is not there, as the project.
    for token in [&w.observer, &w.social] {
        app.get(&format!("{url}/monitoring"), token).expect(200);
    }
    assert_eq!(
        app.get(&format!("{url}/monitoring"), &w.admin).problem(404),
        "not_found"
    );
    assert_eq!(
        app.get("/api/v1/plans/non-esiste/monitoring", &w.coord)
            .problem(404),
        "not_found"
    );
}

#[test]
fn a_project_without_a_source_makes_an_other_measure_its_funder_and_call_named_in_the_note() {
    let w = World::new();
    let app = &w.app;
    let call = "B".repeat(300);
    let p = idea(
        &w,
        json!({"funding_source": null, "funder": "Cassa delle Ammende", "call_title": call}),
    );
    assert_eq!(p["funding_source"], Value::Null);
    let url = format!("/api/v1/projects/{}", s(&p["id"]));
    act(&w, &url, "submit", None).expect(200);
    act(
        &w,
        &url,
        "grant",
        Some(json!({"decided_on": today().to_string(), "granted_cents": 10_000_000})),
    )
    .expect(200);
    let with = app
        .post(
            &format!("{url}/measures"),
            &w.coord,
            json!({"code": "AMMENDE"}),
        )
        .expect(201);
    let path = format!("/api/v1/measures/{}", s(&with["measures"][0]["id"]));
    let m = app.get(&path, &w.coord).expect(200);
    assert_eq!(m["funding_source"], "other");
    // "funder – call", within the note's 300 characters.
    let note = s(&m["funding_note"]);
    assert_eq!(note.chars().count(), 300);
    assert!(note.starts_with("Cassa delle Ammende – BBB"), "{note}");
    // The measure stays editable as made.
    app.patch(&path, &w.coord, json!({"name": "Area penale 2027"}))
        .expect(200);
}
