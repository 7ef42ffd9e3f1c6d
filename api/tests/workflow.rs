//! The workflow as its users live it: referral → monthly table → case → measures → outcome.
#![allow(clippy::unwrap_used)]

mod common;

use common::world::{s, today, World};
use serde_json::json;

#[test]
fn referrer_submits_table_accepts_agency_activates_and_closes_with_hired_referrer_sees_outcome() {
    let w = World::new();
    let app = &w.app;
    // The social worker registers the person and writes a draft.
    let (r, person) = w.draft("Verdi");
    let draft = app
        .get(&format!("/api/v1/referrals/{r}"), &w.social)
        .expect(200);
    assert_eq!(draft["status"], "draft");
    assert_eq!(
        draft["source"], "social_worker",
        "source defaults from the organization kind"
    );
    app.patch(
        &format!("/api/v1/referrals/{r}"),
        &w.social,
        json!({"needs": ["work", "training"], "urgency": "high"}),
    )
    .expect(200);
    let sub = app
        .call(
            "POST",
            &format!("/api/v1/referrals/{r}/submit"),
            Some(&w.social),
            None,
        )
        .expect(200);
    assert_eq!(sub["status"], "submitted");
    // The coordinator opens the meeting: the referral is on the agenda.
    let m = w.open_meeting();
    let agenda = app
        .get(&format!("/api/v1/meetings/{m}/agenda"), &w.coord)
        .expect(200);
    assert_eq!(agenda["items"].as_array().unwrap().len(), 1);
    assert_eq!(agenda["items"][0]["referral"]["status"], "scheduled");
    // Eligibility of DUL for the person, with its reasons.
    let e = app
        .get(
            &format!("/api/v1/measures/{}/eligibility?person_id={person}", w.dul),
            &w.coord,
        )
        .expect(200);
    assert_eq!(e["eligible"], true, "{e}");
    app.post(&format!("/api/v1/meetings/{m}/decisions"), &w.coord, json!({
        "referral_id": r, "decision": "accept", "agency_id": w.agency1, "measure_ids": [w.dul], "reason": "Profilo adatto"
    })).expect(200);
    // Until the meeting closes nothing is applied.
    assert_eq!(
        app.get(&format!("/api/v1/referrals/{r}"), &w.social)
            .expect(200)["status"],
        "scheduled"
    );
    let closed = w.close_meeting(&m);
    assert_eq!(closed["status"], "closed");
    let minutes = app.get(&format!("/api/v1/meetings/{m}/minutes"), &w.coord);
    assert!(minutes.content_type.starts_with("text/markdown"));
    assert!(
        minutes.text.contains("Verbale")
            && minutes.text.contains("Verdi Anna")
            && minutes.text.contains("Profilo adatto")
    );
    let html = app.get(
        &format!("/api/v1/meetings/{m}/minutes?format=html"),
        &w.coord,
    );
    assert!(html.text.contains("<h1>Verbale") && html.text.contains("Agenzia Lavoro Orobica"));
    // The referrer sees the case's status and agency, not its diary.
    let accepted = app
        .get(&format!("/api/v1/referrals/{r}"), &w.social)
        .expect(200);
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(accepted["case"]["status"], "assigned");
    assert_eq!(accepted["case"]["agency"]["name"], "Agenzia Lavoro Orobica");
    let case = s(&accepted["case"]["id"]);
    app.get(&format!("/api/v1/cases/{case}"), &w.social)
        .problem(404);
    // The agency takes charge, runs the measure, writes the diary and closes with a job.
    w.take_charge(&case);
    let a = w.activation(&case);
    let approved = app
        .call(
            "POST",
            &format!("/api/v1/activations/{a}/approve"),
            Some(&w.op1),
            None,
        )
        .expect(200);
    assert_eq!(approved["status"], "approved");
    assert_eq!(w.threshold(&w.dul_threshold_1)["reserved_cents"], 100000);
    app.call(
        "POST",
        &format!("/api/v1/activations/{a}/start"),
        Some(&w.op1),
        None,
    )
    .expect(200);
    assert_eq!(
        app.get(&format!("/api/v1/cases/{case}"), &w.op1)
            .expect(200)["status"],
        "active"
    );
    app.post(
        &format!("/api/v1/cases/{case}/follow-ups"),
        &w.op1,
        json!({
            "kind": "meeting", "date": today().to_string(), "note": "Frequenta il corso"
        }),
    )
    .expect(201);
    app.post(
        &format!("/api/v1/activations/{a}/complete"),
        &w.op1,
        json!({"spent_cents": 80000}),
    )
    .expect(200);
    let t = w.threshold(&w.dul_threshold_1);
    assert_eq!(
        (
            t["reserved_cents"].as_i64(),
            t["spent_cents"].as_i64(),
            t["remaining_cents"].as_i64()
        ),
        (Some(0), Some(80000), Some(420000))
    );
    assert_eq!(
        app.get(&format!("/api/v1/cases/{case}"), &w.op1)
            .expect(200)["status"],
        "monitoring"
    );
    let done = app.post(&format!("/api/v1/cases/{case}/close"), &w.op1, json!({
        "outcome": "hired", "hired": {"contract_type": "permanent", "hours_per_week": 38, "employer": "Logistica srl"}
    })).expect(200);
    assert_eq!(done["status"], "closed");
    assert_eq!(done["hired"]["employer"], "Logistica srl");
    let months: Vec<i64> = done["outcome_checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["months"].as_i64().unwrap())
        .collect();
    assert_eq!(months, vec![3, 6, 12]);
    let outcome = app
        .get(&format!("/api/v1/referrals/{r}"), &w.social)
        .expect(200);
    assert_eq!(outcome["case"]["outcome"], "hired");
    // The timeline tells the whole story in order.
    let tl = app
        .get(&format!("/api/v1/cases/{case}/timeline"), &w.coord)
        .expect(200)["items"]
        .clone();
    let actions: Vec<String> = tl
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}:{}",
                e["kind"].as_str().unwrap(),
                e["action"].as_str().unwrap()
            )
        })
        .collect();
    for expected in [
        "referral:create",
        "referral:submit",
        "referral:schedule",
        "referral:accept",
        "case:assign",
        "activation:propose",
        "case:take_charge",
        "activation:approve",
        "activation:start",
        "follow_up:meeting",
        "activation:complete",
        "case:measures_ended",
        "case:close",
    ] {
        assert!(
            actions.contains(&expected.to_string()),
            "{expected} missing from {actions:?}"
        );
    }
    let pos = |a: &str| actions.iter().position(|x| x == a).unwrap();
    assert!(pos("referral:submit") < pos("case:assign") && pos("case:assign") < pos("case:close"));
    // The first outcome check is recorded through its own endpoint, once.
    let check = s(&done["outcome_checks"][0]["id"]);
    let rec = app
        .post(
            &format!("/api/v1/cases/{case}/outcome-checks/{check}"),
            &w.op1,
            json!({"employed": true}),
        )
        .expect(200);
    assert_eq!(rec["status"], "done");
    let again = app.post(
        &format!("/api/v1/cases/{case}/outcome-checks/{check}"),
        &w.op1,
        json!({"employed": true}),
    );
    assert_eq!(again.problem(409), "invalid_transition");
}

#[test]
fn referral_moves_only_along_its_state_machine() {
    let w = World::new();
    let app = &w.app;
    let (r, _) = w.draft("Neri");
    let url = |a: &str| format!("/api/v1/referrals/{r}/{a}");
    app.call("POST", &url("submit"), Some(&w.social), None)
        .expect(200);
    // Submitted twice: 409 naming the state.
    let twice = app
        .call_in("en", "POST", &url("submit"), Some(&w.social), None)
        .expect(409);
    assert_eq!(twice["code"], "invalid_transition");
    assert_eq!(twice["current_state"], "submitted");
    assert!(twice["detail"].as_str().unwrap().contains("submitted"));
    // No edits once submitted.
    let edit = app.patch(
        &format!("/api/v1/referrals/{r}"),
        &w.social,
        json!({"reason": "altro testo"}),
    );
    assert_eq!(edit.expect(409)["current_state"], "submitted");
    // Scheduled: cannot be withdrawn.
    let m = w.open_meeting();
    assert_eq!(
        app.call("POST", &url("withdraw"), Some(&w.social), None)
            .expect(409)["current_state"],
        "scheduled"
    );
    // The table asks for more information: the referrer edits and submits again.
    app.post(
        &format!("/api/v1/meetings/{m}/decisions"),
        &w.coord,
        json!({
            "referral_id": r, "decision": "request_info", "reason": "Allegare il CV"
        }),
    )
    .expect(200);
    w.close_meeting(&m);
    let back = app
        .get(&format!("/api/v1/referrals/{r}"), &w.social)
        .expect(200);
    assert_eq!(back["status"], "info_requested");
    assert_eq!(back["status_note"], "Allegare il CV");
    app.patch(
        &format!("/api/v1/referrals/{r}"),
        &w.social,
        json!({"reason": "CV allegato in cartella"}),
    )
    .expect(200);
    app.call("POST", &url("submit"), Some(&w.social), None)
        .expect(200);
    app.call(
        "POST",
        &url("withdraw"),
        Some(&w.social),
        Some(&json!({"reason": "trasferito"})),
    )
    .expect(200);
    let gone = app
        .get(&format!("/api/v1/referrals/{r}"), &w.social)
        .expect(200);
    assert_eq!(gone["status"], "withdrawn");
    let entries = gone["history"].as_array().unwrap();
    // The edit made while information was requested is in the history too, with what changed.
    let edits: Vec<&serde_json::Value> =
        entries.iter().filter(|h| h["action"] == "update").collect();
    assert_eq!(edits.len(), 1, "{entries:?}");
    assert_eq!(edits[0]["from"], "info_requested");
    assert!(!edits[0]["reason"].as_str().unwrap().is_empty());
    let history: Vec<&str> = entries
        .iter()
        .filter(|h| h["action"] != "update")
        .map(|h| h["to"].as_str().unwrap())
        .collect();
    assert_eq!(
        history,
        vec![
            "draft",
            "submitted",
            "scheduled",
            "info_requested",
            "submitted",
            "withdrawn"
        ]
    );
    assert_eq!(
        app.call("POST", &url("submit"), Some(&w.social), None)
            .expect(409)["current_state"],
        "withdrawn"
    );
}

#[test]
fn deferred_and_undecided_referrals_wait_for_the_next_meeting() {
    let w = World::new();
    let app = &w.app;
    let a = w.submitted("Alfa");
    let b = w.submitted("Beta");
    let c = w.submitted("Gamma");
    let m1 = w.open_meeting();
    app.post(
        &format!("/api/v1/meetings/{m1}/decisions"),
        &w.coord,
        json!({"referral_id": a, "decision": "defer", "reason": "Manca documentazione"}),
    )
    .expect(200);
    app.post(
        &format!("/api/v1/meetings/{m1}/decisions"),
        &w.coord,
        json!({"referral_id": b, "decision": "reject", "reason": "Non residente"}),
    )
    .expect(200);
    // `c` is left undecided: closing defers it and the minutes say so.
    w.close_meeting(&m1);
    let status = |id: &str| {
        s(&app
            .get(&format!("/api/v1/referrals/{id}"), &w.coord)
            .expect(200)["status"])
    };
    assert_eq!(
        (status(&a), status(&b), status(&c)),
        ("deferred".into(), "rejected".into(), "deferred".into())
    );
    let minutes = app
        .get(&format!("/api/v1/meetings/{m1}/minutes"), &w.coord)
        .text;
    assert!(minutes.contains("rinviata d'ufficio"));
    // A second meeting cannot open while one is open; the next one takes both deferred.
    let m2 = w.open_meeting();
    let other = app
        .post(
            "/api/v1/meetings",
            &w.coord,
            json!({"scheduled_for": today().to_string()}),
        )
        .expect(201);
    let r = app.call(
        "POST",
        &format!("/api/v1/meetings/{}/open", s(&other["id"])),
        Some(&w.coord),
        None,
    );
    assert_eq!(r.problem(409), "meeting_already_open");
    let agenda = app
        .get(&format!("/api/v1/meetings/{m2}/agenda"), &w.coord)
        .expect(200);
    let on: Vec<String> = agenda["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| s(&i["referral"]["id"]))
        .collect();
    assert_eq!(on.len(), 2);
    assert!(on.contains(&a) && on.contains(&c));
    // Removing an item sends the referral back to waiting.
    let item = agenda["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| s(&i["referral"]["id"]) == a)
        .unwrap()["id"]
        .clone();
    app.call(
        "DELETE",
        &format!("/api/v1/meetings/{m2}/agenda/{}", s(&item)),
        Some(&w.coord),
        None,
    )
    .expect(200);
    assert_eq!(status(&a), "submitted");
    // A closed meeting is frozen.
    w.close_meeting(&m2);
    let late = app.post(
        &format!("/api/v1/meetings/{m2}/decisions"),
        &w.coord,
        json!({"referral_id": c, "decision": "reject", "reason": "x"}),
    );
    assert_eq!(late.expect(409)["current_state"], "closed");
}

#[test]
fn decisions_are_validated_field_by_field() {
    let w = World::new();
    let app = &w.app;
    let r = w.submitted("Delta");
    let m = w.open_meeting();
    let url = format!("/api/v1/meetings/{m}/decisions");
    let body = app
        .post(
            &url,
            &w.coord,
            json!({"referral_id": r, "decision": "accept"}),
        )
        .expect(422);
    assert_eq!(body["errors"][0]["field"], "agency_id");
    let social_service = app
        .get("/api/v1/organizations?kind=social_service", &w.coord)
        .expect(200)["items"][0]["id"]
        .clone();
    let body = app.post(&url, &w.coord, json!({"referral_id": r, "decision": "accept", "agency_id": social_service, "measure_ids": ["nope"]})).expect(422);
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["agency_id", "measure_ids[0]"]);
    assert_eq!(body["errors"][0]["code"], "not_an_agency");
    let body = app
        .post(
            &url,
            &w.coord,
            json!({"referral_id": r, "decision": "reject"}),
        )
        .expect(422);
    assert_eq!(body["errors"][0]["field"], "reason");
    let body = app
        .post(
            &url,
            &w.coord,
            json!({"referral_id": r, "decision": "reassign", "agency_id": w.agency1}),
        )
        .expect(422);
    assert_eq!(body["errors"][0]["field"], "decision");
    let body = app
        .post(
            &url,
            &w.coord,
            json!({"referral_id": r, "decision": "maybe"}),
        )
        .expect(422);
    assert_eq!(
        (
            body["errors"][0]["field"].as_str(),
            body["errors"][0]["code"].as_str()
        ),
        (Some("decision"), Some("enum"))
    );
    let stranger = w.submitted("Epsilon");
    let body = app
        .post(
            &url,
            &w.coord,
            json!({"referral_id": stranger, "decision": "reject", "reason": "x"}),
        )
        .expect(422);
    assert_eq!(body["errors"][0]["code"], "not_on_agenda");
}

#[test]
fn closing_a_meeting_applies_everything_or_nothing() {
    let w = World::new();
    let app = &w.app;
    let case = w.case_for_agency1("Zeta");
    w.take_charge(&case);
    let a = w.activation(&case);
    let fresh = w.submitted("Eta");
    let m = w.open_meeting();
    app.post(
        &format!("/api/v1/meetings/{m}/agenda"),
        &w.coord,
        json!({"case_id": case}),
    )
    .expect(200);
    // The accept is recorded first, so it is applied first: when the reassignment then fails,
    // only the transaction can take the accepted referral's case back.
    app.post(
        &format!("/api/v1/meetings/{m}/decisions"),
        &w.coord,
        json!({
            "referral_id": fresh, "decision": "accept", "agency_id": w.agency1
        }),
    )
    .expect(200);
    app.post(
        &format!("/api/v1/meetings/{m}/decisions"),
        &w.coord,
        json!({
            "case_id": case, "decision": "reassign", "agency_id": w.agency2, "reason": "Cambio sede"
        }),
    )
    .expect(200);
    // Meanwhile the agency starts the measure: the reassignment can no longer be applied.
    app.call(
        "POST",
        &format!("/api/v1/activations/{a}/approve"),
        Some(&w.op1),
        None,
    )
    .expect(200);
    app.call(
        "POST",
        &format!("/api/v1/activations/{a}/start"),
        Some(&w.op1),
        None,
    )
    .expect(200);
    let r = app.call(
        "POST",
        &format!("/api/v1/meetings/{m}/close"),
        Some(&w.coord),
        None,
    );
    assert_eq!(r.problem(409), "activations_running");
    // Nothing was applied: the meeting is open, the referral still scheduled, the case unmoved.
    assert_eq!(
        app.get(&format!("/api/v1/meetings/{m}"), &w.coord)
            .expect(200)["status"],
        "open"
    );
    let referral = app
        .get(&format!("/api/v1/referrals/{fresh}"), &w.coord)
        .expect(200);
    assert_eq!(referral["status"], "scheduled");
    assert!(referral["case"].is_null());
    assert_eq!(
        app.get(&format!("/api/v1/cases/{case}"), &w.coord)
            .expect(200)["agency"]["id"],
        w.agency1.as_str()
    );
    // Once the measure is over, the same decisions apply.
    app.post(
        &format!("/api/v1/activations/{a}/complete"),
        &w.op1,
        json!({"spent_cents": 100000}),
    )
    .expect(200);
    w.close_meeting(&m);
    let moved = app
        .get(&format!("/api/v1/cases/{case}"), &w.coord)
        .expect(200);
    assert_eq!(
        (moved["status"].as_str(), moved["agency"]["id"].as_str()),
        (Some("assigned"), Some(w.agency2.as_str()))
    );
    // The old agency no longer sees it; the new one does.
    app.get(&format!("/api/v1/cases/{case}"), &w.op1)
        .problem(404);
    app.get(&format!("/api/v1/cases/{case}"), &w.op2)
        .expect(200);
    assert_eq!(
        app.get(&format!("/api/v1/referrals/{fresh}"), &w.coord)
            .expect(200)["status"],
        "accepted"
    );
}

#[test]
fn case_moves_only_along_its_state_machine() {
    let w = World::new();
    let app = &w.app;
    let case = w.case_for_agency1("Theta");
    let post = |action: &str, body: serde_json::Value| {
        app.post(&format!("/api/v1/cases/{case}/{action}"), &w.op1, body)
    };
    // Measures cannot start before take-charge.
    let a = w.activation(&case);
    assert_eq!(
        app.call(
            "POST",
            &format!("/api/v1/activations/{a}/approve"),
            Some(&w.op1),
            None
        )
        .expect(409)["current_state"],
        "assigned"
    );
    let future = (today() + chrono::Duration::days(3)).to_string();
    assert_eq!(
        post(
            "take-charge",
            json!({"first_meeting_date": future, "plan_goals": "x y z"})
        )
        .expect(422)["errors"][0]["code"],
        "future"
    );
    w.take_charge(&case);
    assert_eq!(
        post(
            "take-charge",
            json!({"first_meeting_date": today().to_string(), "plan_goals": "abc"})
        )
        .expect(409)["current_state"],
        "in_charge"
    );
    post("suspend", json!({"reason": "Ricovero"})).expect(200);
    assert_eq!(
        post("suspend", json!({"reason": "x"})).expect(409)["current_state"],
        "suspended"
    );
    let resumed = app
        .call(
            "POST",
            &format!("/api/v1/cases/{case}/resume"),
            Some(&w.op1),
            None,
        )
        .expect(200);
    assert_eq!(resumed["status"], "in_charge");
    // Closing with a measure still proposed is refused; hired needs its details.
    assert_eq!(
        post("close", json!({"outcome": "dropped_out"})).problem(409),
        "activations_open"
    );
    app.call(
        "POST",
        &format!("/api/v1/activations/{a}/cancel"),
        Some(&w.op1),
        None,
    )
    .expect(200);
    assert_eq!(
        post("close", json!({"outcome": "hired"})).expect(422)["errors"][0]["field"],
        "hired"
    );
    let bad = post("close", json!({"outcome": "hired", "hired": {"contract_type": "permanent", "hours_per_week": 0, "employer": ""}})).expect(422);
    let fields: Vec<&str> = bad["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["hired.employer", "hired.hours_per_week"]);
    assert_eq!(post("close", json!({"outcome": "training", "hired": {"contract_type": "permanent", "hours_per_week": 10, "employer": "Ditta"}})).expect(422)["errors"][0]["code"], "not_allowed");
    post(
        "close",
        json!({"outcome": "not_reachable", "note": "Tre tentativi falliti"}),
    )
    .expect(200);
    assert_eq!(
        post("close", json!({"outcome": "other"})).expect(409)["current_state"],
        "closed"
    );
    let fu = app.post(
        &format!("/api/v1/cases/{case}/follow-ups"),
        &w.op1,
        json!({"kind": "call", "date": today().to_string(), "note": "x"}),
    );
    assert_eq!(fu.expect(409)["current_state"], "closed");
}

#[test]
fn activation_budget_is_reserved_released_and_never_overspent() {
    let w = World::new();
    let app = &w.app;
    let case = w.case_for_agency1("Iota");
    w.take_charge(&case);
    let a = w.activation(&case);
    // More than remains: refused with the figures.
    app.patch(
        &format!("/api/v1/activations/{a}"),
        &w.op1,
        json!({"amount_cents": 600000}),
    )
    .expect(200);
    let r = app.call_in(
        "en",
        "POST",
        &format!("/api/v1/activations/{a}/approve"),
        Some(&w.op1),
        None,
    );
    let body = r.expect(409);
    assert_eq!(body["code"], "threshold_exceeded");
    assert!(body["detail"].as_str().unwrap().contains("500000"));
    app.patch(
        &format!("/api/v1/activations/{a}"),
        &w.op1,
        json!({"amount_cents": 200000}),
    )
    .expect(200);
    app.call(
        "POST",
        &format!("/api/v1/activations/{a}/approve"),
        Some(&w.op1),
        None,
    )
    .expect(200);
    assert_eq!(w.threshold(&w.dul_threshold_1)["reserved_cents"], 200000);
    // Who changed the amount, when, from what to what: in the case's timeline.
    let timeline = app
        .get(&format!("/api/v1/cases/{case}/timeline"), &w.coord)
        .expect(200)["items"]
        .clone();
    let edits: Vec<&serde_json::Value> = timeline
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "activation" && e["action"] == "update")
        .collect();
    assert_eq!(edits.len(), 2, "{timeline}");
    assert_eq!(edits[1]["note"], "amount_cents 600000 → 200000");
    assert_eq!(
        edits[1]["actor_id"],
        app.get("/api/v1/me", &w.op1).expect(200)["id"]
    );
    // Approved activations cannot be edited; cancelling releases the reservation.
    assert_eq!(
        app.patch(
            &format!("/api/v1/activations/{a}"),
            &w.op1,
            json!({"amount_cents": 1})
        )
        .expect(409)["current_state"],
        "approved"
    );
    app.call(
        "POST",
        &format!("/api/v1/activations/{a}/cancel"),
        Some(&w.op1),
        None,
    )
    .expect(200);
    assert_eq!(w.threshold(&w.dul_threshold_1)["reserved_cents"], 0);
    // A measure without a threshold for the agency.
    let gg_without = app
        .post(
            &format!("/api/v1/cases/{case}/activations"),
            &w.op1,
            json!({"measure_id": w.gg}),
        )
        .expect(201);
    let _ = gg_without;
    let year = today().format("%Y").to_string();
    let other = app
        .post(
            "/api/v1/measures",
            &w.coord,
            json!({"code": "X", "name": "Progetto X", "kind": "district_project",
        "funding_source": "district_budget", "valid_from": format!("{year}-01-01")}),
        )
        .expect(201);
    let x = app
        .post(
            &format!("/api/v1/cases/{case}/activations"),
            &w.op1,
            json!({"measure_id": other["id"], "amount_cents": 100}),
        )
        .expect(201);
    assert_eq!(
        app.call(
            "POST",
            &format!("/api/v1/activations/{}/approve", s(&x["id"])),
            Some(&w.op1),
            None
        )
        .problem(409),
        "no_threshold"
    );
    // Spending more than reserved is refused; the cap cannot go below what is used.
    let b = app
        .post(
            &format!("/api/v1/cases/{case}/activations"),
            &w.op1,
            json!({"measure_id": w.dul, "amount_cents": 300000}),
        )
        .expect(201);
    let b = s(&b["id"]);
    app.call(
        "POST",
        &format!("/api/v1/activations/{b}/approve"),
        Some(&w.op1),
        None,
    )
    .expect(200);
    app.call(
        "POST",
        &format!("/api/v1/activations/{b}/start"),
        Some(&w.op1),
        None,
    )
    .expect(200);
    assert_eq!(
        app.post(
            &format!("/api/v1/activations/{b}/complete"),
            &w.op1,
            json!({"spent_cents": 300001})
        )
        .expect(422)["errors"][0]["field"],
        "spent_cents"
    );
    assert_eq!(
        app.patch(
            &format!("/api/v1/thresholds/{}", w.dul_threshold_1),
            &w.coord,
            json!({"cap_cents": 299999})
        )
        .problem(409),
        "cap_below_use"
    );
    app.post(
        &format!("/api/v1/activations/{b}/interrupt"),
        &w.op1,
        json!({"spent_cents": 120000, "reason": "Abbandono"}),
    )
    .expect(200);
    let t = w.threshold(&w.dul_threshold_1);
    assert_eq!(
        (t["reserved_cents"].as_i64(), t["spent_cents"].as_i64()),
        (Some(0), Some(120000))
    );
}

#[test]
fn eligibility_explains_each_rule() {
    let w = World::new();
    let app = &w.app;
    // 40 years old, resident in the district: DUL yes, Garanzia Giovani no (age).
    let p = w.person(&w.cpi, "Kappa", "Luigi", "1986-02-03", 'M');
    let e = app
        .get(
            &format!("/api/v1/measures/{}/eligibility?person_id={p}", w.gg),
            &w.coord,
        )
        .expect(200);
    assert_eq!(e["eligible"], false);
    let failed: Vec<&str> = e["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["met"] == false)
        .map(|r| r["rule"].as_str().unwrap())
        .collect();
    assert_eq!(failed, vec!["age"]);
    // Approval checks eligibility too.
    let r = app
        .post(
            "/api/v1/referrals",
            &w.cpi,
            json!({"person_id": p, "needs": ["work"], "reason": "Cerca lavoro"}),
        )
        .expect(201);
    let rid = s(&r["id"]);
    app.call(
        "POST",
        &format!("/api/v1/referrals/{rid}/submit"),
        Some(&w.cpi),
        None,
    )
    .expect(200);
    let m = w.open_meeting();
    app.post(&format!("/api/v1/meetings/{m}/decisions"), &w.coord, json!({"referral_id": rid, "decision": "accept", "agency_id": w.agency1, "measure_ids": [w.gg]})).expect(200);
    w.close_meeting(&m);
    let case = s(&app
        .get(&format!("/api/v1/referrals/{rid}"), &w.coord)
        .expect(200)["case"]["id"]);
    w.take_charge(&case);
    let a = w.activation(&case);
    let r = app
        .call_in(
            "en",
            "POST",
            &format!("/api/v1/activations/{a}/approve"),
            Some(&w.op1),
            None,
        )
        .expect(409);
    assert_eq!(r["code"], "not_eligible");
    assert!(r["detail"]
        .as_str()
        .unwrap()
        .contains("above the maximum of 29"));
}

#[test]
fn overdue_cases_are_those_whose_follow_up_is_past_due() {
    let w = World::new();
    let app = &w.app;
    let case = w.case_for_agency1("Lambda");
    w.take_charge(&case);
    let overdue = || {
        app.get("/api/v1/cases?overdue=true", &w.op1).expect(200)["items"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(overdue(), 0);
    let past = today() - chrono::Duration::days(10);
    let due = today() - chrono::Duration::days(1);
    app.post(&format!("/api/v1/cases/{case}/follow-ups"), &w.op1, json!({
        "kind": "call", "date": past.to_string(), "note": "Non risponde", "next_due_date": due.to_string()
    })).expect(201);
    assert_eq!(overdue(), 1);
    assert_eq!(
        app.get(&format!("/api/v1/cases/{case}"), &w.op1)
            .expect(200)["overdue"],
        true
    );
    app.post(
        &format!("/api/v1/cases/{case}/follow-ups"),
        &w.op1,
        json!({
            "kind": "meeting", "date": today().to_string(), "note": "Colloquio fatto"
        }),
    )
    .expect(201);
    assert_eq!(overdue(), 0);
    let bad = app.post(&format!("/api/v1/cases/{case}/follow-ups"), &w.op1, json!({
        "kind": "call", "date": (today() + chrono::Duration::days(1)).to_string(), "note": "x", "next_due_date": past.to_string()
    })).expect(422);
    let fields: Vec<&str> = bad["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["date", "next_due_date"]);
    let diary = app
        .get(&format!("/api/v1/cases/{case}/follow-ups"), &w.op1)
        .expect(200);
    assert_eq!(diary["items"].as_array().unwrap().len(), 2);
}

#[test]
fn observers_get_figures_and_nothing_personal() {
    let w = World::new();
    let app = &w.app;
    w.case_for_agency1("Mu");
    let sum = app.get("/api/v1/reports/summary", &w.observer).expect(200);
    assert!(sum["cases_by_status"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["key"] == "assigned" && c["count"] == 1));
    assert!(!sum.to_string().contains("Mu"));
    app.get("/api/v1/persons", &w.observer).problem(403);
    app.get("/api/v1/cases", &w.observer).problem(403);
    app.get("/api/v1/reports/summary", &w.op1).problem(403);
}

#[test]
fn the_full_demo_loads_and_tells_a_story() {
    let app = common::TestApp::demo();
    let coord = app.login("coordinatore@demo.test");
    let sum = app.get("/api/v1/reports/summary", &coord).expect(200);
    let states: Vec<&str> = sum["cases_by_status"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    for s in [
        "assigned",
        "in_charge",
        "active",
        "monitoring",
        "suspended",
        "closed",
    ] {
        assert!(states.contains(&s), "demo lacks a {s} case");
    }
    assert_eq!(sum["overdue_cases"], 1);
    let open = app.get("/api/v1/meetings?status=open", &coord).expect(200);
    assert_eq!(open["items"].as_array().unwrap().len(), 1);
    // The integrated plan: the seed's four axes, actions complete and not, and the projects
    // funding it — two granted with their measures, one of them already activated.
    let plans = app.get("/api/v1/plans", &coord).expect(200);
    let plan = &plans["items"][0];
    assert_eq!(plan["status"], "approved");
    assert_eq!(plan["axes"].as_array().unwrap().len(), 4);
    assert_eq!(plan["completeness"]["complete"], false, "{plan}");
    assert!(!plan["completeness"]["missing"]
        .as_array()
        .unwrap()
        .is_empty());
    let projects = app.get("/api/v1/projects?limit=50", &coord).expect(200);
    let mut by_status: Vec<(String, String)> = projects["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["title"].as_str().unwrap().to_string(),
                p["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    by_status.sort();
    let granted = by_status
        .iter()
        .filter(|(_, s)| s == "running" || s == "granted")
        .count();
    assert_eq!(granted, 2, "{by_status:?}");
    for title in [
        "Step By Step",
        "Un Ponte per il lavoro",
        "Bergamondo",
        "Area penale",
        "Care Leavers",
    ] {
        assert!(
            by_status.iter().any(|(t, _)| t == title),
            "no project {title}"
        );
    }
    let monitoring = app
        .get(
            &format!("/api/v1/plans/{}/monitoring", plan["id"].as_str().unwrap()),
            &coord,
        )
        .expect(200);
    assert!(
        monitoring["totals"]["persons_reached"].as_i64().unwrap() >= 1,
        "{}",
        monitoring["totals"]
    );
    // Loading again changes nothing.
    let pool = sistema_lavoro::store::connect(&app.db.url, 1).unwrap();
    assert!(!sistema_lavoro::demo::load(&mut pool.get().unwrap()).unwrap());
    // The figures come from counts the store keeps at every change: after the whole story
    // they are what counting the rows gives.
    #[derive(diesel::QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::Text)]
        key: String,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        count: i64,
    }
    use diesel::RunQueryDsl;
    let mut conn = pool.get().unwrap();
    let mut counted = |sql: &str| -> Vec<Count> {
        let mut rows: Vec<Count> = diesel::sql_query(sql).load(&mut *conn).unwrap();
        rows.sort();
        rows
    };
    let by_status =
        counted("SELECT status AS key, COUNT(*) AS count FROM referrals GROUP BY status");
    let cases = counted("SELECT status AS key, COUNT(*) AS count FROM cases GROUP BY status");
    let outcomes = counted(
        "SELECT COALESCE(outcome, '') AS key, COUNT(*) AS count FROM cases WHERE status = 'closed' GROUP BY outcome",
    );
    let reported = |field: &str| -> Vec<Count> {
        let mut v: Vec<Count> = sum[field]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| Count {
                key: c["key"].as_str().unwrap().to_string(),
                count: c["count"].as_i64().unwrap(),
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(reported("referrals_by_status"), by_status);
    assert_eq!(reported("cases_by_status"), cases);
    assert_eq!(reported("closed_cases_by_outcome"), outcomes);
    // So are the followed cases due each day, which the overdue figure sums.
    let due = counted(
        "SELECT CAST(next_due_date AS TEXT) AS key, COUNT(*) AS count FROM cases \
         WHERE status IN ('assigned', 'in_charge', 'active', 'monitoring') \
         AND next_due_date IS NOT NULL GROUP BY next_due_date",
    );
    let kept =
        counted("SELECT CAST(due_date AS TEXT) AS key, count FROM due_counts WHERE count <> 0");
    assert!(!due.is_empty());
    assert_eq!(kept, due);
}

/// Lists load what their rows show once per page; every item must still be exactly what the
/// single read of the same record says.
#[test]
fn list_items_show_the_same_person_organization_and_case_as_single_reads() {
    let w = World::new();
    let app = &w.app;
    let accepted: Vec<String> = ["Arici", "Bonfanti"]
        .iter()
        .map(|n| w.case_for_agency1(n))
        .collect();
    w.submitted("Cortesi");
    w.draft("Donadoni");
    let referrals = app.get("/api/v1/referrals?limit=200", &w.coord).expect(200);
    let items = referrals["items"].as_array().unwrap();
    assert!(items.len() >= 3);
    let mut with_case = 0;
    for item in items {
        let mut single = app
            .get(&format!("/api/v1/referrals/{}", s(&item["id"])), &w.coord)
            .expect(200);
        single.as_object_mut().unwrap().remove("history");
        assert_eq!(item, &single);
        with_case += usize::from(!item["case"].is_null());
    }
    assert_eq!(with_case, accepted.len());
    let cases = app.get("/api/v1/cases?limit=200", &w.coord).expect(200);
    let items = cases["items"].as_array().unwrap();
    assert_eq!(items.len(), accepted.len());
    for item in items {
        let single = app
            .get(&format!("/api/v1/cases/{}", s(&item["id"])), &w.coord)
            .expect(200);
        for (key, value) in item.as_object().unwrap() {
            assert_eq!(&single[key], value, "{key}");
        }
        assert_eq!(item["agency"]["name"], "Agenzia Lavoro Orobica");
    }
}

#[test]
fn a_proposed_measure_is_not_edited_while_its_case_is_suspended() {
    let w = World::new();
    let app = &w.app;
    let case = w.case_for_agency1("Kappa");
    w.take_charge(&case);
    let a = w.activation(&case);
    // A correction of the person's data (by the service that registered her) shows in the
    // case's timeline (fields, not values).
    let person = s(&app
        .get(&format!("/api/v1/cases/{case}"), &w.op1)
        .expect(200)["person"]["id"]);
    app.patch(
        &format!("/api/v1/persons/{person}"),
        &w.social,
        json!({"phone": "035 999999"}),
    )
    .expect(200);
    let timeline = app
        .get(&format!("/api/v1/cases/{case}/timeline"), &w.op1)
        .expect(200)["items"]
        .clone();
    let edit = timeline
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "person")
        .unwrap();
    assert_eq!(edit["action"], "update");
    assert_eq!(edit["note"], "phone");
    app.post(
        &format!("/api/v1/cases/{case}/suspend"),
        &w.op1,
        json!({"reason": "Ricovero ospedaliero"}),
    )
    .expect(200);
    let refused = app
        .patch(
            &format!("/api/v1/activations/{a}"),
            &w.op1,
            json!({"amount_cents": 150000}),
        )
        .expect(409);
    assert_eq!(refused["current_state"], "suspended");
    assert_eq!(
        app.get(&format!("/api/v1/activations/{a}"), &w.op1)
            .expect(200)["amount_cents"],
        100000
    );
}

#[test]
fn the_agency_sees_whom_to_call_and_why_the_person_was_referred() {
    let w = World::new();
    let app = &w.app;
    let born = "1988-03-09";
    let person = app
        .post(
            "/api/v1/persons",
            &w.social,
            json!({
                "tax_code": common::world::tax_code("Contatti", "Rosa", born, 'F'),
                "first_name": "Rosa", "last_name": "Contatti", "birth_date": born, "gender": "F",
                "residence_municipality_code": "016024", "employment_status": "unemployed",
                "education_level": "upper_secondary", "phone": "+39 035 123456",
                "email": "rosa.contatti@example.org", "address": "Via Roma 1"
            }),
        )
        .expect(201);
    let r = s(&app
        .post(
            "/api/v1/referrals",
            &w.social,
            json!({"person_id": person["id"], "needs": ["work", "housing"],
                   "reason": "Sfratto e lavoro perso."}),
        )
        .expect(201)["id"]);
    w.give_notice(&w.social, &s(&person["id"]));
    app.call(
        "POST",
        &format!("/api/v1/referrals/{r}/submit"),
        Some(&w.social),
        None,
    )
    .expect(200);
    let m = w.open_meeting();
    app.post(
        &format!("/api/v1/meetings/{m}/decisions"),
        &w.coord,
        json!({
            "referral_id": r, "decision": "accept", "agency_id": w.agency1, "measure_ids": [w.dul],
            "reason": "Priorità abitativa"
        }),
    )
    .expect(200);
    w.close_meeting(&m);
    let referral = app
        .get(&format!("/api/v1/referrals/{r}"), &w.social)
        .expect(200);
    let case = s(&referral["case"]["id"]);
    // The referrer's limited view of the case carries none of it.
    assert!(referral["case"]["contacts"].is_null() && referral["case"]["referral"].is_null());
    for token in [&w.op1, &w.coord] {
        let c = app.get(&format!("/api/v1/cases/{case}"), token).expect(200);
        let k = &c["contacts"];
        assert_eq!(k["phone"], "+39 035 123456", "{c}");
        assert_eq!(k["email"], "rosa.contatti@example.org");
        assert_eq!(k["address"], "Via Roma 1");
        assert_eq!(k["residence"]["istat_code"], "016024");
        assert_eq!(k["employment_status"], "unemployed");
        assert_eq!(k["education_level"], "upper_secondary");
        let why = &c["referral"];
        assert_eq!(why["needs"], json!(["work", "housing"]));
        assert_eq!(why["reason"], "Sfratto e lavoro perso.");
        assert_eq!(why["referred_by_name"], "Anna Bonfanti");
        assert!(why["organization"]["name"].is_string());
        assert_eq!(why["decision_reason"], "Priorità abitativa");
        assert!(why["decided_at"].is_string() && why["submitted_at"].is_string());
    }
    // Another agency still sees nothing of it.
    app.get(&format!("/api/v1/cases/{case}"), &w.op2)
        .problem(404);
}

#[test]
fn the_coordinator_supervises_a_case_but_the_agency_works_it() {
    let w = World::new();
    let app = &w.app;
    let case = w.case_for_agency1("Kappa");
    let path = |p: &str| format!("/api/v1/cases/{case}{p}");
    let seen = app.get(&path(""), &w.coord).expect(200);
    assert_eq!(
        seen["allowed_actions"],
        json!(["upload_document"]),
        "{seen}"
    );
    assert_eq!(seen["blocked_actions"], json!([]));
    let refused = app
        .post(
            &path("/take-charge"),
            &w.coord,
            json!({"first_meeting_date": today().to_string(), "plan_goals": "Bilancio"}),
        )
        .expect(403);
    assert!(
        s(&refused["detail"]).contains("spetta all'ente accreditato"),
        "{refused}"
    );
    app.post(
        &path("/follow-ups"),
        &w.coord,
        json!({"kind": "call", "date": today().to_string(), "note": "Telefonata"}),
    )
    .expect(403);
    w.take_charge(&case);
    let a = w.activation(&case);
    // The coordinator keeps approving against the thresholds, nothing else on the measure.
    let act = app
        .get(&format!("/api/v1/activations/{a}"), &w.coord)
        .expect(200);
    assert_eq!(act["allowed_actions"], json!(["approve"]), "{act}");
    app.call(
        "POST",
        &format!("/api/v1/activations/{a}/approve"),
        Some(&w.coord),
        None,
    )
    .expect(200);
    app.call(
        "POST",
        &format!("/api/v1/activations/{a}/start"),
        Some(&w.coord),
        None,
    )
    .expect(403);
    let worked = app.get(&path(""), &w.op1).expect(200);
    assert!(worked["allowed_actions"]
        .as_array()
        .unwrap()
        .contains(&json!("add_follow_up")));
    app.post(&path("/suspend"), &w.coord, json!({"reason": "Ricovero"}))
        .expect(403);
    app.post(&path("/suspend"), &w.op1, json!({"reason": "Ricovero"}))
        .expect(200);
}
