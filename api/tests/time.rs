//! Time, moved instead of waited for: the server runs on a clock the tests push forward, so
//! what happens after days and months — cases falling overdue, outcome checks falling due
//! and their event, sessions and idempotency keys expiring — is checked in seconds.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::Duration;
use common::receiver::Receiver;
use common::world::{s, World};
use serde_json::{json, Value};

/// A case of agency 1, taken in charge, with its follow-up due in `days`.
fn followed_case(w: &World, days: i64) -> String {
    followed_case_of(w, "Tempo", days)
}

/// The same for a person named `last`.
fn followed_case_of(w: &World, last: &str, days: i64) -> String {
    let case = w.case_for_agency1(last);
    w.take_charge(&case);
    let today = common::world::today();
    w.app
        .post(
            &format!("/api/v1/cases/{case}/follow-ups"),
            &w.op1,
            json!({"kind": "call", "date": today.to_string(), "note": "Sentito al telefono",
                "next_due_date": (today + Duration::days(days)).to_string()}),
        )
        .expect(201);
    case
}

fn overdue_ids(w: &World) -> Vec<String> {
    w.app.get("/api/v1/cases?overdue=true", &w.op1).expect(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| s(&c["id"]))
        .collect()
}

#[test]
fn a_case_falls_overdue_when_its_follow_up_date_passes() {
    let w = World::new();
    let case = followed_case(&w, 3);
    assert!(!overdue_ids(&w).contains(&case));
    let summary = w.app.get("/api/v1/reports/summary", &w.coord).expect(200);
    let before = summary["overdue_cases"].as_i64().unwrap();
    w.app.clock.advance(Duration::days(4));
    assert!(
        overdue_ids(&w).contains(&case),
        "four days later it is overdue"
    );
    let read = w
        .app
        .get(&format!("/api/v1/cases/{case}"), &w.op1)
        .expect(200);
    assert_eq!(read["overdue"], true);
    let summary = w.app.get("/api/v1/reports/summary", &w.coord).expect(200);
    assert_eq!(summary["overdue_cases"].as_i64().unwrap(), before + 1);
    // A suspended case is not followed, so not overdue.
    w.app
        .post(
            &format!("/api/v1/cases/{case}/suspend"),
            &w.op1,
            json!({"reason": "Ricovero"}),
        )
        .expect(200);
    assert!(!overdue_ids(&w).contains(&case));
}

/// Events of `event_type` the receiver got for `check`.
fn events_for(rx: &Receiver, event_type: &str) -> Vec<Value> {
    rx.got
        .lock()
        .unwrap()
        .iter()
        .filter_map(|r| serde_json::from_str::<Value>(&r.body).ok())
        .filter(|e| e["type"] == event_type)
        .collect()
}

#[test]
fn outcome_checks_fall_due_months_after_closing_and_raise_their_event_once() {
    let w = World::new();
    let app = &w.app;
    let rx = Receiver::start(0);
    app.post(
        "/api/v1/webhooks",
        &w.admin,
        json!({"url": rx.url, "event_types": ["outcome_check.due"], "organization_id": w.agency1}),
    )
    .expect(201);
    let case = w.case_for_agency1("Esito");
    w.take_charge(&case);
    let a = w.activation(&case);
    for action in ["approve", "start"] {
        app.call(
            "POST",
            &format!("/api/v1/activations/{a}/{action}"),
            Some(&w.op1),
            None,
        )
        .expect(200);
    }
    app.post(
        &format!("/api/v1/activations/{a}/complete"),
        &w.op1,
        json!({"spent_cents": 90000}),
    )
    .expect(200);
    let closed = app
        .post(
            &format!("/api/v1/cases/{case}/close"),
            &w.op1,
            json!({"outcome": "hired", "hired": {"contract_type": "permanent", "hours_per_week": 38, "employer": "Officine Orobiche"}}),
        )
        .expect(200);
    let checks = closed["outcome_checks"].as_array().unwrap().clone();
    assert_eq!(checks.len(), 3);
    // Nothing is due yet: a few ticks of the worker raise nothing.
    std::thread::sleep(std::time::Duration::from_millis(400));
    assert!(events_for(&rx, "outcome_check.due").is_empty());
    // Three months and a few days on, the 3-month check is due, and only it.
    app.clock.advance(Duration::days(95));
    let first = rx.wait_for("outcome_check.due");
    let event: Value = serde_json::from_str(&first.body).unwrap();
    assert_eq!(event["data"]["case_id"], case.as_str());
    assert_eq!(event["data"]["months"], 3);
    assert_eq!(event["data"]["check_id"], checks[0]["id"]);
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(
        events_for(&rx, "outcome_check.due").len(),
        1,
        "raised once, not at every tick"
    );
    // The agency records it; the next one falls due three months later.
    let check = s(&checks[0]["id"]);
    let recorded = app
        .post(
            &format!("/api/v1/cases/{case}/outcome-checks/{check}"),
            &w.op1,
            json!({"employed": true}),
        )
        .expect(200);
    assert_eq!(recorded["status"], "done");
    assert!(recorded["allowed_actions"].as_array().unwrap().is_empty());
    app.clock.advance(Duration::days(90));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while events_for(&rx, "outcome_check.due").len() < 2 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let due = events_for(&rx, "outcome_check.due");
    assert_eq!(due.len(), 2);
    assert_eq!(due[1]["data"]["months"], 6);
}

#[test]
fn a_session_ends_when_its_refresh_token_expires() {
    let w = World::new();
    let first = w.app.login_full("coordinatore@demo.test", common::PASSWORD);
    let refresh = first["refresh_token"].as_str().unwrap();
    w.app.clock.advance(Duration::days(15));
    let r = w.app.call(
        "POST",
        "/api/v1/auth/refresh",
        None,
        Some(&json!({"refresh_token": refresh})),
    );
    assert_eq!(r.problem(401), "refresh_token_expired");
}

#[test]
fn an_idempotency_key_is_forgotten_after_a_day() {
    let w = World::new();
    let app = &w.app;
    let person = w.person(&w.social, "Chiave", "Luca", "1991-02-03", 'M');
    let send = |reason: &str| {
        app.with_headers(
            "POST",
            "/api/v1/referrals",
            &w.social,
            &[("Idempotency-Key", "k-2026-1")],
            Some(&json!({"person_id": person, "needs": ["work"], "reason": reason})),
        )
    };
    send("Cerca lavoro.").expect(201);
    // The same key with another body, the same day: refused.
    assert_eq!(
        send("Cerca un altro lavoro.").problem(422),
        "idempotency_key_reused"
    );
    app.clock.advance(Duration::hours(25));
    // A day later the key is free again.
    send("Cerca un altro lavoro.").expect(201);
}

fn ids_of(w: &World, path: &str, who: &str) -> Vec<String> {
    w.app.get(path, who).expect(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| s(&c["id"]))
        .collect()
}

/// The agency's week: follow-ups due by a day (overdue ones included) and outcome checks
/// coming due by a day, each a filter of the case list that only ever narrows what the caller
/// may see.
#[test]
fn the_week_ahead_lists_follow_ups_and_outcome_checks_coming_due() {
    let w = World::new();
    let today = common::world::today();
    let week = (today + Duration::days(7)).to_string();
    let soon = followed_case_of(&w, "Presto", 3);
    let later = followed_case_of(&w, "Tardi", 20);
    let by_week = format!("/api/v1/cases?follow_up_due_by={week}");
    let due = ids_of(&w, &by_week, &w.op1);
    assert!(due.contains(&soon), "due in 3 days: this week");
    assert!(!due.contains(&later), "due in 20 days: not this week");
    assert!(
        !ids_of(&w, &by_week, &w.op2).contains(&soon),
        "another agency never sees it"
    );
    // Ten days on, the first is overdue and still listed; the second is not yet due.
    w.app.clock.advance(Duration::days(10));
    let due = ids_of(&w, &by_week, &w.op1);
    assert!(due.contains(&soon), "overdue ones stay on the list");
    // A suspended case is not followed: off the list.
    w.app
        .post(
            &format!("/api/v1/cases/{soon}/suspend"),
            &w.op1,
            json!({"reason": "Ricovero"}),
        )
        .expect(200);
    assert!(!ids_of(&w, &by_week, &w.op1).contains(&soon));

    // Closed today, its 3-month check is due in about three months.
    let open = w
        .app
        .get(&format!("/api/v1/cases/{later}/activations"), &w.op1)
        .expect(200);
    for a in open["items"].as_array().unwrap() {
        w.app
            .post(
                &format!("/api/v1/activations/{}/cancel", s(&a["id"])),
                &w.op1,
                json!({"reason": "Non più necessaria"}),
            )
            .expect(200);
    }
    w.app
        .post(
            &format!("/api/v1/cases/{later}/close"),
            &w.op1,
            json!({"outcome": "training"}),
        )
        .expect(200);
    let now = common::world::today() + Duration::days(10);
    let checks_by =
        |day: chrono::NaiveDate| ids_of(&w, &format!("/api/v1/cases?check_due_by={day}"), &w.op1);
    assert!(!checks_by(now + Duration::days(7)).contains(&later));
    assert!(checks_by(now + Duration::days(100)).contains(&later));
    assert!(!ids_of(
        &w,
        &format!("/api/v1/cases?check_due_by={}", now + Duration::days(100)),
        &w.op2
    )
    .contains(&later));
    // A day that is not a date is named.
    let bad = w
        .app
        .get("/api/v1/cases?follow_up_due_by=31/12/2026", &w.op1)
        .expect(422);
    assert_eq!(bad["errors"][0]["field"], "follow_up_due_by");
}
