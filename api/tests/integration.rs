//! A third-party tool that knows only the contract and its client credentials: it gets a
//! token, submits a referral, and receives the signed `referral.decided` and `case.closed`.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::receiver::{Received, Receiver};
use common::world::{s, tax_code, today, World};
use serde_json::{json, Value};

/// Verifies `X-Signature` as a receiver would (independent HMAC-SHA256 implementation).
fn verify(secret: &str, r: &Received) -> bool {
    use hmac::{Hmac, Mac};
    let sig = r.header("X-Signature").unwrap();
    let (t, v1) = sig.split_once(",v1=").unwrap();
    let t = t.strip_prefix("t=").unwrap();
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{}", r.body).as_bytes());
    mac.verify_slice(&hex::decode(v1).unwrap()).is_ok()
}

fn client_token(w: &World, org: &str, scopes: &[&str]) -> (String, String, String) {
    let c = w
        .app
        .post(
            "/api/v1/integration-clients",
            &w.admin,
            json!({"organization_id": org, "name": "Cartella sociale", "scopes": scopes}),
        )
        .expect(201);
    let (id, secret) = (s(&c["client_id"]), s(&c["client_secret"]));
    let form = format!("grant_type=client_credentials&client_id={id}&client_secret={secret}");
    let t = w
        .app
        .raw(
            "POST",
            "/api/v1/auth/token",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            form.as_bytes(),
        )
        .expect(200);
    assert_eq!(t["token_type"], "Bearer");
    (s(&t["access_token"]), id, secret)
}

#[test]
fn a_tool_with_client_credentials_submits_a_referral_and_receives_signed_events() {
    let w = World::new();
    let app = &w.app;
    let social_org = s(&app.get("/api/v1/me", &w.social).expect(200)["organization"]["id"]);
    let (token, _, _) = client_token(
        &w,
        &social_org,
        &["referrals:read", "referrals:write", "webhooks:manage"],
    );
    // The receiver fails once: the delivery is retried and arrives.
    let rx = Receiver::start(1);
    let sub = app
        .post(
            "/api/v1/webhooks",
            &token,
            json!({"url": rx.url, "event_types": ["referral.decided", "case.closed"]}),
        )
        .expect(201);
    let secret = s(&sub["secret"]);
    // The tool registers the person and submits the referral.
    let code = tax_code("Sala", "Pietro", "1983-03-03", 'M');
    let p = app.post("/api/v1/persons", &token, json!({"tax_code": code, "first_name": "Pietro", "last_name": "Sala",
        "birth_date": "1983-03-03", "gender": "M", "residence_municipality_code": "016024", "employment_status": "unemployed"})).expect(201);
    // A person the tool registered is its organization's to see at once (an idempotent replay
    // of the registration re-reads her).
    app.get(&format!("/api/v1/persons/{}", s(&p["id"])), &token)
        .expect(200);
    let r = app
        .post(
            "/api/v1/referrals",
            &token,
            json!({"person_id": p["id"], "needs": ["work"], "reason": "Dalla cartella sociale"}),
        )
        .expect(201);
    let rid = s(&r["id"]);
    // It records the privacy notice given (a person a client registered is its to see once
    // its organization refers them).
    w.give_notice(&token, &s(&p["id"]));
    app.call(
        "POST",
        &format!("/api/v1/referrals/{rid}/submit"),
        Some(&token),
        None,
    )
    .expect(200);
    // Scopes: no cases, no meetings.
    assert_eq!(app.get("/api/v1/cases", &token).problem(403), "forbidden");
    assert_eq!(
        app.get("/api/v1/meetings", &token).problem(403),
        "forbidden"
    );
    // The table accepts it.
    let m = w.open_meeting();
    app.post(
        &format!("/api/v1/meetings/{m}/decisions"),
        &w.coord,
        json!({"referral_id": rid, "decision": "accept", "agency_id": w.agency1}),
    )
    .expect(200);
    w.close_meeting(&m);
    let decided = rx.wait_for("referral.decided");
    assert!(verify(&secret, &decided), "signature must verify");
    assert!(!verify("whsec_wrong", &decided));
    let event: Value = serde_json::from_str(&decided.body).unwrap();
    assert_eq!(event["type"], "referral.decided");
    assert_eq!(event["data"]["referral_id"], rid.as_str());
    assert_eq!(event["data"]["status"], "accepted");
    assert_eq!(decided.header("X-Event-Id"), event["id"].as_str());
    assert!(
        !decided.body.contains("Sala"),
        "events carry ids, not personal data"
    );
    // The agency closes the case; the referrer's tool hears of it.
    let case = s(&event["data"]["case_id"]);
    w.take_charge(&case);
    app.post(
        &format!("/api/v1/cases/{case}/close"),
        &w.op1,
        json!({"outcome": "training"}),
    )
    .expect(200);
    let closed = rx.wait_for("case.closed");
    assert!(verify(&secret, &closed));
    let event: Value = serde_json::from_str(&closed.body).unwrap();
    assert_eq!(
        (
            event["data"]["case_id"].as_str(),
            event["data"]["outcome"].as_str()
        ),
        (Some(case.as_str()), Some("training"))
    );
    // The delivery log shows the retry, and a redelivery sends it again.
    let subs = app.get("/api/v1/webhooks", &token).expect(200);
    let sub_id = s(&subs["items"][0]["id"]);
    let log = app
        .get(&format!("/api/v1/webhooks/{sub_id}/deliveries"), &token)
        .expect(200);
    let first = &log["items"][0];
    assert_eq!(first["status"], "delivered");
    assert_eq!(first["attempts"], 2, "{log}");
    let before = rx.got.lock().unwrap().len();
    app.call(
        "POST",
        &format!("/api/v1/webhook-deliveries/{}/redeliver", s(&first["id"])),
        Some(&token),
        None,
    )
    .expect(200);
    let deadline = Instant::now() + Duration::from_secs(10);
    while rx.got.lock().unwrap().len() == before && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(25));
    }
    assert_eq!(rx.got.lock().unwrap().len(), before + 1);
}

#[test]
fn client_credentials_are_checked_rotated_and_revoked() {
    let w = World::new();
    let app = &w.app;
    let agency = w.agency1.clone();
    let (token, id, secret) = client_token(&w, &agency, &["cases:read"]);
    app.get("/api/v1/cases", &token).expect(200);
    assert_eq!(
        app.post("/api/v1/cases/x/take-charge", &token, json!({}))
            .problem(403),
        "forbidden"
    );
    let bad = app.raw(
        "POST",
        "/api/v1/auth/token",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        format!("grant_type=client_credentials&client_id={id}&client_secret=nope").as_bytes(),
    );
    assert_eq!(bad.problem(401), "invalid_client");
    let grant = app.raw(
        "POST",
        "/api/v1/auth/token",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        b"grant_type=password",
    );
    assert_eq!(
        grant.expect(422)["errors"][0]["code"],
        "unsupported_grant_type"
    );
    let scope = app.raw("POST", "/api/v1/auth/token", &[("Content-Type", "application/json")],
        json!({"grant_type": "client_credentials", "client_id": id, "client_secret": secret, "scope": "cases:write"}).to_string().as_bytes());
    assert_eq!(scope.expect(422)["errors"][0]["code"], "invalid_scope");
    // HTTP Basic works too.
    let basic = format!("Basic {}", b64(&format!("{id}:{secret}")));
    app.raw(
        "POST",
        "/api/v1/auth/token",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Authorization", &basic),
        ],
        b"grant_type=client_credentials",
    )
    .expect(200);
    // Rotation invalidates the old secret; revocation stops new tokens.
    let clients = app.get("/api/v1/integration-clients", &w.admin).expect(200);
    let cid = s(&clients["items"][0]["id"]);
    let rotated = app
        .call(
            "POST",
            &format!("/api/v1/integration-clients/{cid}/rotate-secret"),
            Some(&w.admin),
            None,
        )
        .expect(200);
    let old = app.raw(
        "POST",
        "/api/v1/auth/token",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        format!("grant_type=client_credentials&client_id={id}&client_secret={secret}").as_bytes(),
    );
    assert_eq!(old.problem(401), "invalid_client");
    // A token obtained with the old secret ends with it, at once (a leaked secret is rotated).
    assert_eq!(
        app.get("/api/v1/cases", &token).problem(401),
        "token_revoked"
    );
    let new_secret = s(&rotated["client_secret"]);
    let fresh = app
        .raw(
            "POST",
            "/api/v1/auth/token",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            format!("grant_type=client_credentials&client_id={id}&client_secret={new_secret}")
                .as_bytes(),
        )
        .expect(200);
    let fresh = s(&fresh["access_token"]);
    app.get("/api/v1/cases", &fresh).expect(200);
    app.call(
        "POST",
        &format!("/api/v1/integration-clients/{cid}/revoke"),
        Some(&w.admin),
        None,
    )
    .expect(200);
    // Revocation ends the tokens already issued, not only new ones.
    assert_eq!(
        app.get("/api/v1/cases", &fresh).problem(401),
        "token_revoked"
    );
    let revoked = app.raw(
        "POST",
        "/api/v1/auth/token",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        format!("grant_type=client_credentials&client_id={id}&client_secret={new_secret}")
            .as_bytes(),
    );
    assert_eq!(revoked.problem(401), "invalid_client");
    // Revoked is final: a second revocation or a rotation is refused, and names the state.
    for action in ["revoke", "rotate-secret"] {
        let again = app.call(
            "POST",
            &format!("/api/v1/integration-clients/{cid}/{action}"),
            Some(&w.admin),
            None,
        );
        assert_eq!(again.expect(409)["current_state"], "revoked", "{action}");
    }
    // Only admins manage clients.
    app.get("/api/v1/integration-clients", &w.coord)
        .problem(403);
    let _ = today();
}

#[test]
fn webhooks_go_only_to_https_or_allowed_hosts() {
    let w = World::new();
    let app = &w.app;
    let (token, _, _) = client_token(&w, &w.agency1.clone(), &["webhooks:manage"]);
    for url in [
        "http://example.org/hook",
        "https://10.0.0.5/hook",
        "https://169.254.169.254/x",
        "ftp://example.org",
        "https://intranet.local/x",
    ] {
        let r = app.post(
            "/api/v1/webhooks",
            &token,
            json!({"url": url, "event_types": ["case.assigned"]}),
        );
        assert_eq!(r.expect(422)["errors"][0]["field"], "url", "{url}");
    }
    app.post(
        "/api/v1/webhooks",
        &token,
        json!({"url": "https://agenzia.example.org/hook", "event_types": ["case.assigned"]}),
    )
    .expect(201);
    // A user of the organization without the integration role cannot manage them.
    app.get("/api/v1/webhooks", &w.op1).problem(403);
}

/// Signing secrets are stored sealed (AES-256-GCM under SECRETS_KEY), not in clear; secrets an
/// older version stored in clear are sealed at start-up, and events are still signed with them.
#[test]
fn signing_secrets_are_stored_sealed() {
    use diesel::prelude::*;
    use sistema_lavoro::store::schema::webhook_subscriptions as ws;
    let w = World::new();
    let app = &w.app;
    let rx = Receiver::start(0);
    let sub = app
        .post(
            "/api/v1/webhooks",
            &w.coord,
            json!({"url": rx.url, "event_types": ["referral.submitted"]}),
        )
        .expect(201);
    let secret = s(&sub["secret"]);
    let pool = sistema_lavoro::store::connect(&app.db.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let stored: String = ws::table
        .find(s(&sub["id"]))
        .select(ws::secret)
        .first(&mut *conn)
        .unwrap();
    assert!(stored.starts_with("v2:"), "{stored}");
    assert!(!stored.contains(&secret[6..]));
    // As an older version left it: in clear. Start-up seals it; deliveries still verify.
    diesel::update(ws::table.find(s(&sub["id"])))
        .set(ws::secret.eq(&secret))
        .execute(&mut *conn)
        .unwrap();
    let sealer = sistema_lavoro::security::SecretBox::from_config(&app.config);
    assert_eq!(
        sistema_lavoro::integration::webhooks::seal_stored_secrets(&mut conn, &sealer).unwrap(),
        1
    );
    assert_eq!(
        sistema_lavoro::integration::webhooks::seal_stored_secrets(&mut conn, &sealer).unwrap(),
        0
    );
    w.submitted("Quadri");
    let got = rx.wait_for("referral.submitted");
    assert!(
        verify(&secret, &got),
        "signed with the secret shown at creation"
    );
}

fn b64(s: &str) -> String {
    let a = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = s.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(a[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn a_client_reads_who_it_is_at_me() {
    let w = World::new();
    let (token, client_id, _) = client_token(&w, &w.agency1, &["cases:read"]);
    let me = w.app.get("/api/v1/me", &token).expect(200);
    assert!(s(&me["id"]).starts_with("client:"), "{me}");
    assert_eq!(me["email"], client_id.as_str());
    assert_eq!(me["full_name"], "Cartella sociale");
    assert_eq!(me["role"], "agency_operator");
    assert_eq!(me["organization"]["id"], w.agency1.as_str());
}
