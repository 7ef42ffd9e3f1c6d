//! The security review's findings on input, tokens, webhooks and idempotency (issue 14, part
//! B): one test per finding, named after it, each failing on the code before its fix.
#![allow(clippy::unwrap_used)]

mod common;

use common::world::{s, tax_code, today, World};
use common::TestApp;
use diesel::prelude::*;
use serde_json::{json, Value};

fn conn(app: &TestApp) -> sistema_lavoro::store::DbPool {
    sistema_lavoro::store::connect(&app.db.url, 1).unwrap()
}

/// Everything the idempotency table holds, as text.
fn idempotency_table(app: &TestApp) -> String {
    use sistema_lavoro::store::schema::idempotency_keys as k;
    let pool = conn(app);
    let mut c = pool.get().unwrap();
    let rows: Vec<(Option<String>, Option<String>, Option<String>)> = k::table
        .select((k::response_body, k::response_location, k::replay_read))
        .load(&mut *c)
        .unwrap();
    format!("{rows:?}")
}

fn keyed(w: &World, path: &str, token: &str, key: &str, body: &Value) -> common::Resp {
    w.app
        .with_headers("POST", path, token, &[("Idempotency-Key", key)], Some(body))
}

#[test]
fn h1_the_idempotency_store_keeps_no_secret_token_or_personal_data() {
    let w = World::new();
    let app = &w.app;
    // An integration client's secret: shown once, never kept, and a replay says so.
    let social_org = s(&app.get("/api/v1/me", &w.social).expect(200)["organization"]["id"]);
    let client =
        json!({"organization_id": social_org, "name": "Cartella", "scopes": ["referrals:read"]});
    let made = keyed(&w, "/api/v1/integration-clients", &w.admin, "c-1", &client);
    let location = made.header("location").unwrap().to_string();
    let client_secret = s(&made.expect(201)["client_secret"]);
    let again = keyed(&w, "/api/v1/integration-clients", &w.admin, "c-1", &client);
    assert_eq!(again.header("location"), Some(location.as_str()));
    assert!(!again.text.contains(&client_secret));
    assert_eq!(again.problem(409), "idempotency_replay_unavailable");
    // A webhook's signing secret.
    let hook = json!({"url": "https://example.org/hook", "event_types": ["case.closed"]});
    let webhook_secret =
        s(&keyed(&w, "/api/v1/webhooks", &w.coord, "w-1", &hook).expect(201)["secret"]);
    // A refresh-token pair, asked for with an access token and a key.
    let session = app.login_full("pass@demo.test", common::PASSWORD);
    let refreshed = keyed(
        &w,
        "/api/v1/auth/refresh",
        &s(&session["access_token"]),
        "r-1",
        &json!({"refresh_token": session["refresh_token"]}),
    )
    .expect(200);
    // A person with special-category notes.
    let code = tax_code("Bonfanti", "Elena", "1981-04-04", 'F');
    let person = json!({"tax_code": code, "first_name": "Elena", "last_name": "Bonfanti",
        "birth_date": "1981-04-04", "gender": "F", "phone": "+39 333 0000001",
        "has_disability": true, "disability_notes": "Nota riservata ZQXJ"});
    let created = keyed(&w, "/api/v1/persons", &w.social, "p-1", &person).expect(201);
    let table = idempotency_table(app);
    for secret in [
        client_secret.as_str(),
        webhook_secret.as_str(),
        refreshed["refresh_token"].as_str().unwrap(),
        refreshed["access_token"].as_str().unwrap(),
        "ZQXJ",
        code.as_str(),
        "Bonfanti",
        "333 0000001",
    ] {
        assert!(!table.contains(secret), "{secret} kept in {table}");
    }
    // A replay after a correction answers the record as it is now.
    let id = s(&created["id"]);
    app.patch(
        &format!("/api/v1/persons/{id}"),
        &w.social,
        json!({"phone": "+39 333 0000002"}),
    )
    .expect(200);
    let replay = keyed(&w, "/api/v1/persons", &w.social, "p-1", &person);
    assert_eq!(replay.header("idempotency-replayed"), Some("true"));
    let replay = replay.expect(201);
    assert_eq!(
        (replay["id"].clone(), replay["phone"].clone()),
        (json!(id), json!("+39 333 0000002"))
    );
}

#[test]
fn l1_sign_out_and_a_replayed_refresh_end_the_access_token_at_once() {
    let w = World::with(|c| c.refresh_reuse_grace_secs = -1);
    let app = &w.app;
    // Sign-out.
    let session = app.login_full("pass@demo.test", common::PASSWORD);
    let access = s(&session["access_token"]);
    let code = tax_code("Riva", "Carlo", "1979-02-02", 'M');
    let person = json!({"tax_code": code, "first_name": "Carlo", "last_name": "Riva",
        "birth_date": "1979-02-02", "gender": "M"});
    keyed(&w, "/api/v1/persons", &access, "l1-p", &person).expect(201);
    app.get("/api/v1/me", &access).expect(200);
    app.call(
        "POST",
        "/api/v1/auth/logout",
        None,
        Some(&json!({"refresh_token": session["refresh_token"]})),
    )
    .expect(204);
    assert_eq!(app.get("/api/v1/me", &access).problem(401), "token_revoked");
    // The grant is checked before a stored answer is replayed.
    assert_eq!(
        keyed(&w, "/api/v1/persons", &access, "l1-p", &person).problem(401),
        "token_revoked"
    );
    // A refresh token presented twice ends the session, and its access tokens with it.
    let session = app.login_full("pass@demo.test", common::PASSWORD);
    let refresh = json!({"refresh_token": session["refresh_token"]});
    let next = app
        .call("POST", "/api/v1/auth/refresh", None, Some(&refresh))
        .expect(200);
    let newer = s(&next["access_token"]);
    app.get("/api/v1/me", &newer).expect(200);
    app.call("POST", "/api/v1/auth/refresh", None, Some(&refresh))
        .problem(401);
    assert_eq!(app.get("/api/v1/me", &newer).problem(401), "token_revoked");
    assert_eq!(
        app.get("/api/v1/me", &s(&session["access_token"]))
            .problem(401),
        "token_revoked"
    );
    // Another session of the same user goes on.
    let other = app.login("pass@demo.test");
    app.get("/api/v1/me", &other).expect(200);
}

#[test]
fn l2_webhook_payloads_carry_ids_and_states_only() {
    let w = World::new();
    let app = &w.app;
    let r = w.submitted("Gritti");
    let m = w.open_meeting();
    let reason = "Motivazione riservata con dati sanitari KWPL";
    app.post(
        &format!("/api/v1/meetings/{m}/decisions"),
        &w.coord,
        json!({"referral_id": r, "decision": "accept", "agency_id": w.agency1,
            "measure_ids": [w.dul], "reason": reason}),
    )
    .expect(200);
    w.close_meeting(&m);
    use sistema_lavoro::store::schema::outbox_events as e;
    let pool = conn(app);
    let mut c = pool.get().unwrap();
    let payloads: Vec<String> = e::table.select(e::payload).load(&mut *c).unwrap();
    assert!(payloads.iter().any(|p| p.contains("referral.decided")));
    for p in payloads {
        assert!(!p.contains("KWPL"), "free text in {p}");
        let v: Value = serde_json::from_str(&p).unwrap();
        for (k, v) in v["data"].as_object().unwrap() {
            assert!(
                sistema_lavoro::integration::events::DATA_KEYS.contains(&k.as_str()),
                "{k} in {p}"
            );
            assert!(v.as_str().map_or(0, str::len) <= 64, "{k} in {p}");
        }
    }
}

#[test]
fn l3_a_caller_who_may_not_see_the_person_learns_neither_existence_nor_id() {
    let w = World::new();
    let app = &w.app;
    let code = tax_code("Pesenti", "Giulio", "1984-08-08", 'M');
    let body = json!({"tax_code": code, "first_name": "Giulio", "last_name": "Pesenti",
        "birth_date": "1984-08-08", "gender": "M"});
    let id = s(&app
        .post("/api/v1/persons", &w.social, body.clone())
        .expect(201)["id"]);
    // The agency does not follow this person.
    let refused = app.post("/api/v1/persons", &w.op1, body.clone());
    assert!(!refused.text.contains(&id), "{}", refused.text);
    let problem = refused.expect(409);
    assert!(problem.get("existing_id").is_none(), "{problem}");
    assert!(
        !s(&problem["detail"]).contains("già registrata"),
        "{problem}"
    );
    // The attempt is logged as a refused access to that person.
    use sistema_lavoro::store::schema::state_changes as sc;
    let pool = conn(app);
    let mut c = pool.get().unwrap();
    let logged: i64 = sc::table
        .filter(sc::entity_id.eq(&id))
        .filter(sc::action.eq("register_refused"))
        .count()
        .get_result(&mut *c)
        .unwrap();
    assert_eq!(logged, 1);
    // The coordinator, who sees every person, is told which one.
    let told = app.post("/api/v1/persons", &w.coord, body).expect(409);
    assert_eq!(told["existing_id"], json!(id));
}

#[test]
fn l4_webhook_urls_to_reserved_addresses_other_ports_and_dotted_names_are_refused() {
    let w = World::new();
    for url in [
        "https://0.1.2.3/hook",
        "https://198.18.0.1/hook",
        "https://224.0.0.1/hook",
        "https://240.0.0.1/hook",
        "https://[::127.0.0.1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://[64:ff9b::7f00:1]/hook",
        "https://example.org:8443/hook",
        "https://example.org./hook",
        "http://example.org/hook",
    ] {
        let r = w.app.post(
            "/api/v1/webhooks",
            &w.coord,
            json!({"url": url, "event_types": ["case.closed"]}),
        );
        let problem = r.expect(422);
        assert_eq!(problem["errors"][0]["field"], "url", "{url}: {problem}");
    }
    w.app
        .post(
            "/api/v1/webhooks",
            &w.coord,
            json!({"url": "https://example.org:443/hook", "event_types": ["case.closed"]}),
        )
        .expect(201);
}

#[test]
fn l5_concurrent_complete_and_interrupt_of_one_activation_leave_one_winner_and_a_409() {
    let w = World::new();
    let app = &w.app;
    for last in ["Brembilla", "Gandossi", "Tironi"] {
        let case = w.case_for_agency1(last);
        w.take_charge(&case);
        let a = w.activation(&case);
        for step in ["approve", "start"] {
            app.call(
                "POST",
                &format!("/api/v1/activations/{a}/{step}"),
                Some(&w.op1),
                None,
            )
            .expect(200);
        }
        let before = w.threshold(&w.dul_threshold_1);
        let answers: Vec<common::Resp> = std::thread::scope(|scope| {
            let calls: Vec<_> = ["complete", "interrupt"]
                .iter()
                .map(|action| {
                    let path = format!("/api/v1/activations/{a}/{action}");
                    let token = w.op1.clone();
                    scope.spawn(move || app.post(&path, &token, json!({"spent_cents": 50000})))
                })
                .collect();
            calls.into_iter().map(|c| c.join().unwrap()).collect()
        });
        let mut statuses: Vec<u16> = answers.iter().map(|r| r.status).collect();
        statuses.sort();
        assert_eq!(statuses, vec![200, 409], "{answers:?}");
        let loser = answers.into_iter().find(|r| r.status == 409).unwrap();
        assert_eq!(loser.problem(409), "invalid_transition");
        let after = w.threshold(&w.dul_threshold_1);
        assert_eq!(
            after["spent_cents"].as_i64().unwrap() - before["spent_cents"].as_i64().unwrap(),
            50000
        );
        assert_eq!(
            before["reserved_cents"].as_i64().unwrap() - after["reserved_cents"].as_i64().unwrap(),
            100000
        );
    }
}

#[test]
fn l6_values_are_checked_after_normalising_bounded_deduplicated_and_clean() {
    let w = World::new();
    let app = &w.app;
    let code = tax_code("Locatelli", "Marta", "1992-09-09", 'F');
    let person = |first: &str, born: &str, extra: Value| {
        let mut b = json!({"tax_code": code, "first_name": first, "last_name": "Locatelli",
            "birth_date": born, "gender": "F"});
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let fields = |r: common::Resp| -> Vec<(String, String)> {
        r.expect(422)["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (s(&e["field"]), s(&e["code"])))
            .collect()
    };
    // Whitespace only is empty.
    let e = fields(app.post(
        "/api/v1/persons",
        &w.social,
        person("   ", "1992-09-09", json!({})),
    ));
    assert_eq!(e, vec![("first_name".into(), "length".into())]);
    // Years out of bounds.
    for born in ["0000-01-01", "-0001-01-01", "10000-01-01"] {
        let e = fields(app.post(
            "/api/v1/persons",
            &w.social,
            person("Marta", born, json!({})),
        ));
        assert_eq!(e, vec![("birth_date".into(), "range".into())], "{born}");
    }
    // Invisible and right-to-left override characters in names.
    for name in ["Mar\u{200B}ta", "Mar\u{202E}ta", "Mar\nta"] {
        let e = fields(app.post(
            "/api/v1/persons",
            &w.social,
            person(name, "1992-09-09", json!({})),
        ));
        assert_eq!(e, vec![("first_name".into(), "format_character".into())]);
    }
    // A list keeps each value once.
    let groups: Vec<&str> = std::iter::repeat_n("over_50", 15).collect();
    let p = app
        .post(
            "/api/v1/persons",
            &w.social,
            person("Marta", "1992-09-09", json!({"target_groups": groups})),
        )
        .expect(201);
    assert_eq!(p["target_groups"], json!(["over_50"]));
    // A case's next due date is bounded too (any date of any body is).
    let e = fields(app.post(
        &format!("/api/v1/cases/{}/follow-ups", "x"),
        &w.op1,
        json!({"kind": "meeting", "date": today().to_string(), "next_due_date": "9999-12-31"}),
    ));
    assert_eq!(e, vec![("next_due_date".into(), "range".into())]);
    // One person, a temporary code first and the definitive one after: registered once.
    let first = app
        .post(
            "/api/v1/persons",
            &w.social,
            json!({"tax_code": "00743110157", "first_name": "Ugo", "last_name": "Cattaneo",
                "birth_date": "1977-01-01", "gender": "M"}),
        )
        .expect(201);
    let again = app.post(
        "/api/v1/persons",
        &w.social,
        json!({"tax_code": tax_code("Cattaneo", "Ugo", "1977-01-01", 'M'), "first_name": "Ugo",
            "last_name": "Cattaneo", "birth_date": "1977-01-01", "gender": "M"}),
    );
    assert_eq!(again.expect(409)["existing_id"], first["id"]);
}

#[test]
fn m5_nul_bytes_and_ancient_dates_are_422_naming_the_field_on_every_backend() {
    let w = World::new();
    let app = &w.app;
    let code = tax_code("Nulli", "Nino", "1980-01-01", 'M');
    let bodies: Vec<(&str, &str, Option<&str>, Value, &str)> = vec![
        (
            "POST",
            "/api/v1/auth/login",
            None,
            json!({"email": "x\u{0}@demo.test", "password": "p"}),
            "email",
        ),
        (
            "POST",
            "/api/v1/auth/login",
            None,
            json!({"email": "coordinatore@demo.test", "password": "p\u{0}"}),
            "password",
        ),
        (
            "POST",
            "/api/v1/persons",
            Some(&w.social),
            json!({"tax_code": code, "first_name": "Nino", "last_name": "Nulli",
                "birth_date": "1980-01-01", "gender": "M", "address": "Via \u{0}Roma"}),
            "address",
        ),
        (
            "POST",
            "/api/v1/persons",
            Some(&w.social),
            json!({"tax_code": code, "first_name": "Nino", "last_name": "Nulli",
                "birth_date": "-4800-01-01", "gender": "M"}),
            "birth_date",
        ),
        (
            "POST",
            "/api/v1/meetings",
            Some(&w.coord),
            json!({"scheduled_for": "-4800-01-01", "participants": []}),
            "scheduled_for",
        ),
        (
            "POST",
            "/api/v1/referrals",
            Some(&w.social),
            json!({"person_id": "p", "needs": ["work"], "reason": "Cerca\u{1}lavoro"}),
            "reason",
        ),
    ];
    for (method, path, token, body, field) in bodies {
        let r = app.call(method, path, token, Some(&body));
        let problem = r.expect(422);
        assert_eq!(problem["errors"][0]["field"], field, "{path}: {problem}");
    }
    for (path, field) in [
        ("/api/v1/referrals?from=-4800-01-01", "from"),
        ("/api/v1/referrals?to=2201-01-01", "to"),
        ("/api/v1/persons?q=Ros%00si", "q"),
        ("/api/v1/persons?tax_code=%00", "tax_code"),
        ("/api/v1/persons/ab%00cd", "id"),
    ] {
        let token = if path.contains("referrals") {
            &w.coord
        } else {
            &w.social
        };
        let problem = app.get(path, token).expect(422);
        assert_eq!(problem["errors"][0]["field"], field, "{path}: {problem}");
    }
}

#[test]
fn m1_a_referrers_lookup_shows_little_is_logged_and_a_draft_grants_no_write() {
    let w = World::new();
    let app = &w.app;
    let code = tax_code("Carminati", "Lucia", "1975-06-06", 'F');
    let id = s(&app
        .post(
            "/api/v1/persons",
            &w.social,
            json!({"tax_code": code, "first_name": "Lucia", "last_name": "Carminati",
                "birth_date": "1975-06-06", "gender": "F", "phone": "+39 035 000111",
                "address": "Via Tasso 1", "email": "lucia@example.org",
                "residence_municipality_code": "016024", "employment_status": "unemployed"}),
        )
        .expect(201)["id"]);
    // The front desk looks the code up: the id to refer her, and what the code says.
    let found = app
        .get(&format!("/api/v1/persons?tax_code={code}"), &w.pass)
        .expect(200);
    let p = &found["items"][0];
    assert_eq!(
        (p["id"].clone(), p["restricted"].clone()),
        (json!(id), json!(true))
    );
    assert_eq!(
        (p["first_name"].clone(), p["last_name"].clone()),
        (json!("L."), json!("C."))
    );
    for hidden in [
        "phone",
        "address",
        "email",
        "residence",
        "employment_status",
    ] {
        assert!(p[hidden].is_null(), "{hidden}: {p}");
    }
    assert_eq!(p["allowed_actions"], json!([]));
    // The lookup is a logged read.
    use sistema_lavoro::store::schema::person_reads as pr;
    let pool = conn(app);
    let mut c = pool.get().unwrap();
    let reads: i64 = pr::table
        .filter(pr::person_id.eq(&id))
        .count()
        .get_result(&mut *c)
        .unwrap();
    assert_eq!(reads, 1);
    // A private draft referral lets the front desk read her, never change her record.
    app.post(
        "/api/v1/referrals",
        &w.pass,
        json!({"person_id": id, "needs": ["work"], "reason": "Cerca lavoro."}),
    )
    .expect(201);
    let path = format!("/api/v1/persons/{id}");
    let read = app.get(&path, &w.pass).expect(200);
    assert!(!read["allowed_actions"]
        .as_array()
        .unwrap()
        .contains(&json!("edit")));
    assert_eq!(
        app.patch(&path, &w.pass, json!({"phone": "+39 000 000000"}))
            .problem(403),
        "forbidden"
    );
    // The registering service and the coordinator do.
    app.patch(&path, &w.social, json!({"phone": "+39 035 000222"}))
        .expect(200);
    let by_coord = app
        .patch(&path, &w.coord, json!({"phone": "+39 035 000333"}))
        .expect(200);
    assert_eq!(by_coord["phone"], "+39 035 000333");
}
