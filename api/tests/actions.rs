//! `allowed_actions` and `blocked_actions`: what the API says a caller may do is what it then
//! lets the caller do — the SPA renders its buttons from them and keeps no rules of its own.
#![allow(clippy::unwrap_used)]

mod common;

use common::world::{s, World};
use common::{Resp, TestApp};
use serde_json::{json, Value};

fn names(v: &Value, field: &str) -> Vec<String> {
    v[field]
        .as_array()
        .unwrap_or_else(|| panic!("no {field} in {v}"))
        .iter()
        .map(|a| if a.is_string() { s(a) } else { s(&a["action"]) })
        .collect()
}

fn reason(v: &Value, action: &str) -> String {
    v["blocked_actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["action"] == action)
        .map(|b| s(&b["reason"]))
        .unwrap_or_else(|| panic!("{action} is not blocked in {v}"))
}

#[test]
fn a_referral_lists_what_its_referrer_may_do_at_each_step() {
    let w = World::new();
    let app = &w.app;
    let (id, _) = w.draft("Azioni");
    let path = format!("/api/v1/referrals/{id}");
    let draft = app.get(&path, &w.social).expect(200);
    assert_eq!(
        names(&draft, "allowed_actions"),
        ["edit", "submit", "withdraw", "upload_document"]
    );
    // The coordinator does not see drafts at all; once sent, sees it but acts at the table.
    app.call("POST", &format!("{path}/submit"), Some(&w.social), None)
        .expect(200);
    let sent = app.get(&path, &w.social).expect(200);
    assert_eq!(
        names(&sent, "allowed_actions"),
        ["withdraw", "upload_document"]
    );
    assert_eq!(names(&sent, "blocked_actions"), ["edit", "submit"]);
    assert_eq!(reason(&sent, "submit"), "La segnalazione è inviata");
    let by_coordinator = app.get(&path, &w.coord).expect(200);
    assert_eq!(
        names(&by_coordinator, "allowed_actions"),
        ["upload_document"],
        "the table may attach documents to what it decides on"
    );
    assert!(names(&by_coordinator, "blocked_actions").is_empty());
    // Sent back for information: it can be edited, sent again — or withdrawn.
    let m = w.open_meeting();
    app.post(
        &format!("/api/v1/meetings/{m}/decisions"),
        &w.coord,
        json!({"referral_id": id, "decision": "request_info", "reason": "Allegare il CV"}),
    )
    .expect(200);
    w.close_meeting(&m);
    let back = app.get(&path, &w.social).expect(200);
    assert_eq!(back["status"], "info_requested");
    assert_eq!(
        names(&back, "allowed_actions"),
        ["edit", "submit", "withdraw", "upload_document"]
    );
    app.call("POST", &format!("{path}/withdraw"), Some(&w.social), None)
        .expect(200);
}

#[test]
fn an_approval_the_budget_cannot_hold_is_blocked_with_the_reason_in_the_callers_language() {
    let w = World::new();
    let app = &w.app;
    let case = w.case_for_agency1("Budget");
    w.take_charge(&case);
    let a = w.activation(&case);
    // The threshold (5,000.00 €) cannot hold 6,000.00 €.
    let read = app.get(&format!("/api/v1/activations/{a}"), &w.op1);
    let etag = read.header("etag").unwrap().to_string();
    app.with_headers(
        "PATCH",
        &format!("/api/v1/activations/{a}"),
        &w.op1,
        &[("If-Match", &etag)],
        Some(&json!({"amount_cents": 600000})),
    )
    .expect(200);
    let it = app
        .get(&format!("/api/v1/activations/{a}"), &w.op1)
        .expect(200);
    assert!(names(&it, "allowed_actions").contains(&"edit".to_string()));
    assert!(!names(&it, "allowed_actions").contains(&"approve".to_string()));
    assert_eq!(
        reason(&it, "approve"),
        "soglia esaurita: restano 5.000,00 €"
    );
    let en = app
        .with_headers(
            "GET",
            &format!("/api/v1/activations/{a}"),
            &w.op1,
            &[("Accept-Language", "en-GB,en;q=0.9")],
            None,
        )
        .expect(200);
    assert_eq!(reason(&en, "approve"), "threshold used up: 5.000,00 € left");
    // What the API blocks, the API refuses.
    let r = app.call(
        "POST",
        &format!("/api/v1/activations/{a}/approve"),
        Some(&w.op1),
        None,
    );
    assert_eq!(r.problem(409), "threshold_exceeded");
    // The case cannot close while the measure is open, and says why.
    let c = app
        .get(&format!("/api/v1/cases/{case}"), &w.op1)
        .expect(200);
    assert_eq!(
        reason(&c, "close"),
        "una misura è ancora proposta, approvata o in corso"
    );
    assert_eq!(c["activations"][0]["id"], a.as_str());
    assert_eq!(
        reason(&c["activations"][0], "approve"),
        "soglia esaurita: restano 5.000,00 €"
    );
}

/// A request that performs `action` on the record at `path` (bodies that would be valid).
fn perform(app: &TestApp, token: &str, kind: &str, path: &str, action: &str, v: &Value) -> Resp {
    let today = common::world::today().to_string();
    let body = match (kind, action) {
        ("case", "take_charge") => {
            Some(json!({"first_meeting_date": today, "plan_goals": "Bilancio"}))
        }
        ("case", "suspend") => Some(json!({"reason": "Ricovero"})),
        ("case", "close") => Some(json!({"outcome": "dropped_out"})),
        ("case", "add_follow_up") => Some(json!({"kind": "note", "date": today, "note": "Nota"})),
        ("case", "edit_service_pact") => Some(json!({"summary": "Obiettivi rivisti"})),
        ("case", "add_shared_response_proposal") => Some(json!({"shared_response_id": "none"})),
        ("case", "add_opportunity_proposal") => Some(json!({"opportunity_id": "none"})),
        ("activation", "complete" | "interrupt") => Some(json!({"spent_cents": 0})),
        ("meeting", "add_agenda_item") => Some(json!({"referral_id": "none"})),
        ("meeting", "add_action_item") => Some(json!({"title": "Impegno"})),
        ("meeting", "add_decision") => {
            Some(json!({"referral_id": "none", "decision": "reject", "reason": "No"}))
        }
        (_, "edit") => Some(json!({})),
        _ => None,
    };
    let (method, url) = match action {
        "edit" => ("PATCH", path.to_string()),
        "add_follow_up" => ("POST", format!("{path}/follow-ups")),
        "add_shared_response_proposal" => ("POST", format!("{path}/shared-response-proposals")),
        "add_opportunity_proposal" => ("POST", format!("{path}/opportunity-proposals")),
        "add_activation" => ("POST", format!("{path}/activations")),
        "add_agenda_item" => ("POST", format!("{path}/agenda")),
        "add_decision" => ("POST", format!("{path}/decisions")),
        "add_action_item" => ("POST", format!("{path}/action-items")),
        "edit_service_pact" => ("PUT", format!("{path}/service-pact")),
        other => ("POST", format!("{path}/{}", other.replace('_', "-"))),
    };
    let etag = app.get(path, token).header("etag").map(String::from);
    let mut headers = vec![];
    if let Some(e) = &etag {
        headers.push(("If-Match", e.as_str()));
    }
    let body = if action == "add_activation" {
        // A case closed without measures has none to repeat: any id, the state refuses first.
        let measure = v["activations"][0]["measure_id"]
            .as_str()
            .unwrap_or("no-measure");
        Some(json!({"measure_id": measure}))
    } else {
        body
    };
    app.with_headers(method, &url, token, &headers, body.as_ref())
}

#[test]
fn every_blocked_action_is_refused_and_every_unlisted_one_is_not_the_callers() {
    let app = TestApp::demo();
    let people = [
        "coordinatore@demo.test",
        "assistente.sociale@demo.test",
        "pass@demo.test",
        "cpi@demo.test",
        "operatore1@demo.test",
        "operatore2@demo.test",
        "operatore3@demo.test",
    ];
    let every = [
        "edit",
        "submit",
        "withdraw",
        "take_charge",
        "suspend",
        "resume",
        "close",
        "add_follow_up",
        "approve",
        "start",
        "complete",
        "interrupt",
        "cancel",
        "open",
        "edit_service_pact",
        "add_shared_response_proposal",
        "add_opportunity_proposal",
    ];
    let mut checked = 0;
    let mut wrong = Vec::new();
    for email in people {
        let token = app.login(email);
        let mut records: Vec<(&str, String)> = Vec::new();
        for (kind, list) in [
            ("referral", "/api/v1/referrals?limit=200"),
            ("case", "/api/v1/cases?limit=200"),
            ("meeting", "/api/v1/meetings?limit=200"),
        ] {
            let r = app.get(list, &token);
            if r.status != 200 {
                continue;
            }
            for item in r.json()["items"].as_array().unwrap() {
                let base = match kind {
                    "referral" => "referrals",
                    "case" => "cases",
                    _ => "meetings",
                };
                records.push((kind, format!("/api/v1/{base}/{}", s(&item["id"]))));
                for act in item["activations"].as_array().into_iter().flatten() {
                    records.push((
                        "activation",
                        format!("/api/v1/activations/{}", s(&act["id"])),
                    ));
                }
            }
        }
        // Activations are listed inside the case details.
        let cases: Vec<String> = records
            .iter()
            .filter(|(k, _)| *k == "case")
            .map(|(_, p)| p.clone())
            .collect();
        for c in cases {
            let detail = app.get(&c, &token).expect(200);
            for act in detail["activations"].as_array().unwrap() {
                records.push((
                    "activation",
                    format!("/api/v1/activations/{}", s(&act["id"])),
                ));
            }
        }
        for (kind, path) in records {
            let v = app.get(&path, &token).expect(200);
            let allowed = names(&v, "allowed_actions");
            let blocked = names(&v, "blocked_actions");
            for action in &blocked {
                let r = perform(&app, &token, kind, &path, action, &v);
                checked += 1;
                if r.status != 409 {
                    wrong.push(format!(
                        "{email}: {action} on {path} is blocked but answered {}: {}",
                        r.status, r.text
                    ));
                }
            }
            for action in every {
                if allowed.iter().any(|a| a == action) || blocked.iter().any(|a| a == action) {
                    continue;
                }
                // Only actions that exist for this kind of record.
                let exists = match kind {
                    "referral" => ["edit", "submit", "withdraw"].contains(&action),
                    "case" => [
                        "take_charge",
                        "suspend",
                        "resume",
                        "close",
                        "add_follow_up",
                        "edit_service_pact",
                        "add_shared_response_proposal",
                        "add_opportunity_proposal",
                    ]
                    .contains(&action),
                    "activation" => [
                        "edit",
                        "approve",
                        "start",
                        "complete",
                        "interrupt",
                        "cancel",
                    ]
                    .contains(&action),
                    _ => ["edit", "open", "close"].contains(&action),
                };
                if !exists {
                    continue;
                }
                let r = perform(&app, &token, kind, &path, action, &v);
                checked += 1;
                if !matches!(r.status, 403 | 404) {
                    wrong.push(format!(
                        "{email}: {action} on {path} is not listed but answered {}",
                        r.status
                    ));
                }
            }
        }
    }
    assert!(checked > 50, "only {checked} checks");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Records inside others list their actions too: an agenda item of a closed meeting cannot be
/// removed, a recorded outcome check cannot be recorded again — each says why, and the server
/// refuses exactly that.
#[test]
fn agenda_items_and_outcome_checks_say_what_is_blocked_and_the_server_agrees() {
    let app = TestApp::demo();
    let coord = app.login("coordinatore@demo.test");
    let mut refused = 0;
    let meetings = app.get("/api/v1/meetings?limit=200", &coord).expect(200);
    for m in meetings["items"].as_array().unwrap() {
        let id = s(&m["id"]);
        let agenda = app
            .get(&format!("/api/v1/meetings/{id}/agenda"), &coord)
            .expect(200);
        for item in agenda["items"].as_array().unwrap() {
            let allowed = names(item, "allowed_actions");
            let blocked = names(item, "blocked_actions");
            if m["status"] == "closed" {
                assert_eq!(blocked, vec!["delete"], "{item}");
                assert!(allowed.is_empty());
                assert_eq!(reason(item, "delete"), "La seduta è chiusa");
                let r = app.call(
                    "DELETE",
                    &format!("/api/v1/meetings/{id}/agenda/{}", s(&item["id"])),
                    Some(&coord),
                    None,
                );
                assert_eq!(r.status, 409, "{}", r.text);
                refused += 1;
            } else {
                assert_eq!(allowed, vec!["delete"], "{item}");
            }
        }
    }
    assert!(refused > 0, "the demo has a closed meeting with items");

    // The closed case's checks: record one, then it is blocked and a second record is refused.
    // The coordinator supervises: recording a check is the agency's, so it is not offered.
    let closed = app.get("/api/v1/cases?status=closed", &coord).expect(200);
    let case = s(&closed["items"][0]["id"]);
    let supervised = app
        .get(&format!("/api/v1/cases/{case}"), &coord)
        .expect(200);
    assert!(supervised["outcome_checks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| names(c, "allowed_actions").is_empty()));
    let op = [
        "operatore1@demo.test",
        "operatore2@demo.test",
        "operatore3@demo.test",
    ]
    .into_iter()
    .map(|e| app.login(e))
    .find(|t| app.get(&format!("/api/v1/cases/{case}"), t).status == 200)
    .expect("the agency of the closed case");
    let detail = app.get(&format!("/api/v1/cases/{case}"), &op).expect(200);
    let check = detail["outcome_checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["status"] == "due")
        .expect("a due check")
        .clone();
    assert_eq!(names(&check, "allowed_actions"), vec!["record"]);
    let url = format!("/api/v1/cases/{case}/outcome-checks/{}", s(&check["id"]));
    app.post(&url, &op, json!({"employed": true})).expect(200);
    let detail = app.get(&format!("/api/v1/cases/{case}"), &op).expect(200);
    let done = detail["outcome_checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == check["id"])
        .unwrap()
        .clone();
    assert!(names(&done, "allowed_actions").is_empty());
    assert_eq!(names(&done, "blocked_actions"), vec!["record"]);
    assert_eq!(reason(&done, "record"), "La verifica è registrata");
    let again = app.post(&url, &op, json!({"employed": false}));
    assert_eq!(again.status, 409, "{}", again.text);
}

/// A request that performs `action` on a network, a membership or a resource.
fn perform_on_network(app: &TestApp, token: &str, path: &str, action: &str) -> Resp {
    let (method, url, body) = match action {
        "edit" => ("PATCH", path.to_string(), Some(json!({}))),
        "add_member" => (
            "POST",
            format!("{path}/members"),
            Some(json!({"organization_id": "none", "member_id": "none"})),
        ),
        "add_working_group" => (
            "POST",
            format!("{path}/working-groups"),
            Some(json!({"area": "housing"})),
        ),
        "add_shared_response" => (
            "POST",
            format!("{path}/shared-responses"),
            Some(
                json!({"area": "housing", "title": "Prova", "who_may_use": "Tutti",
                        "how_to_access": "Allo sportello"}),
            ),
        ),
        "add_resource" => (
            "POST",
            format!("{path}/resources"),
            Some(json!({"kind": "training", "hours": 1})),
        ),
        "suspend" | "close" | "withdraw" => (
            "POST",
            format!("{path}/{action}"),
            Some(json!({"reason": "Prova"})),
        ),
        other => ("POST", format!("{path}/{}", other.replace('_', "-")), None),
    };
    let etag = app.get(path, token).header("etag").map(String::from);
    let headers: Vec<(&str, &str)> = etag.iter().map(|e| ("If-Match", e.as_str())).collect();
    app.with_headers(method, &url, token, &headers, body.as_ref())
}

/// Networks, their members and resources: every blocked action is refused with `409`, every
/// action the caller is not offered is `403`/`404` — for each demo role.
#[test]
fn network_actions_listed_are_the_actions_the_server_does() {
    let app = TestApp::demo();
    let people = [
        "coordinatore@demo.test",
        "rete@demo.test",
        "operatore1@demo.test",
        "operatore2@demo.test",
        "assistente.sociale@demo.test",
        "osservatorio@demo.test",
    ];
    let of_network = [
        "edit",
        "activate",
        "suspend",
        "resume",
        "close",
        "add_member",
        "add_resource",
        "add_working_group",
        "add_shared_response",
    ];
    let of_resource = ["make_available", "use", "withdraw"];
    let of_group = ["edit", "add_member", "close"];
    let of_response = ["edit", "make_available", "withdraw"];
    let (mut checked, mut wrong) = (0, Vec::new());
    let mut check = |token: &str, email: &str, path: &str, v: &Value, every: &[&str]| {
        let allowed = names(v, "allowed_actions");
        let blocked = names(v, "blocked_actions");
        for action in every {
            if allowed.iter().any(|a| a == action) {
                continue;
            }
            let is_blocked = blocked.iter().any(|a| a == action);
            let r = perform_on_network(&app, token, path, action);
            checked += 1;
            let fine = if is_blocked {
                r.status == 409
            } else {
                matches!(r.status, 403 | 404)
            };
            if !fine {
                wrong.push(format!(
                    "{email}: {action} on {path} (blocked: {is_blocked}) answered {}: {}",
                    r.status, r.text
                ));
            }
        }
    };
    for email in people {
        let token = app.login(email);
        let list = app.get("/api/v1/networks?limit=200", &token).expect(200);
        for n in list["items"].as_array().unwrap() {
            let path = format!("/api/v1/networks/{}", s(&n["id"]));
            let v = app.get(&path, &token).expect(200);
            check(&token, email, &path, &v, &of_network);
            let members = app.get(&format!("{path}/members?include=history"), &token);
            if members.status == 200 {
                for m in members.json()["items"].as_array().unwrap() {
                    let mpath = format!("/api/v1/members/{}", s(&m["id"]));
                    check(&token, email, &mpath, m, &["withdraw"]);
                }
            }
            let resources = app.get(&format!("{path}/resources"), &token).expect(200);
            for r in resources["items"].as_array().unwrap() {
                let rpath = format!("/api/v1/resources/{}", s(&r["id"]));
                check(&token, email, &rpath, r, &of_resource);
            }
            let groups = app.get(&format!("{path}/working-groups"), &token);
            if groups.status == 200 {
                for g in groups.json()["items"].as_array().unwrap() {
                    let gpath = format!("/api/v1/working-groups/{}", s(&g["id"]));
                    check(&token, email, &gpath, g, &of_group);
                    for m in g["members"].as_array().unwrap() {
                        let mpath = format!("{gpath}/members/{}", s(&m["member_id"]));
                        check(&token, email, &mpath, m, &["leave"]);
                    }
                }
            }
            let responses = app.get(&format!("{path}/shared-responses"), &token);
            if responses.status == 200 {
                for r in responses.json()["items"].as_array().unwrap() {
                    let rpath = format!("/api/v1/shared-responses/{}", s(&r["id"]));
                    check(&token, email, &rpath, r, &of_response);
                }
            }
        }
    }
    assert!(checked > 40, "only {checked} checks");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
