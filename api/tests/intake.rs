//! One person, one referral open at the table: a second one needs a reason, and says only
//! what its sender may know of the first; and the Ufficio di Piano records referrals that
//! arrived by phone, letter, e-mail or in person on behalf of the sending service.
#![allow(clippy::unwrap_used)]

mod common;

use common::world::{s, World};
use serde_json::{json, Value};
use std::sync::{Arc, Barrier};

fn draft(w: &World, token: &str, person: &str) -> String {
    s(&w.app
        .post(
            "/api/v1/referrals",
            token,
            json!({"person_id": person, "needs": ["work"], "reason": "Disoccupato da 14 mesi."}),
        )
        .expect(201)["id"])
}

fn submit(w: &World, token: &str, id: &str) -> common::Resp {
    w.app.call(
        "POST",
        &format!("/api/v1/referrals/{id}/submit"),
        Some(token),
        None,
    )
}

fn org_of(w: &World, token: &str) -> String {
    s(&w.app.get("/api/v1/me", token).expect(200)["organization"]["id"])
}

#[test]
fn a_second_open_referral_needs_a_reason_and_tells_each_sender_what_it_may_know() {
    let w = World::new();
    let person = w.person(&w.social, "Verdi", "Luca", "1985-03-04", 'M');
    // Drafts are private: two of them do not clash.
    let first = draft(&w, &w.social, &person);
    let second_same_org = draft(&w, &w.social, &person);
    let from_desk = draft(&w, &w.pass, &person);
    submit(&w, &w.social, &first).expect(200);

    // The same service may see the open referral: its state, sender and id.
    let same = submit(&w, &w.social, &second_same_org).expect(409);
    assert_eq!(same["code"], "open_referral_exists");
    assert_eq!(same["existing_id"], first.as_str());
    let detail = s(&same["detail"]);
    assert!(detail.contains("inviata"), "{detail}");
    let sender = s(&w
        .app
        .get(&format!("/api/v1/referrals/{first}"), &w.social)
        .expect(200)["organization"]["name"]);
    assert!(detail.contains(&sender), "{detail}");

    // Another service may not: only that one is open, and whom to ask.
    let other = submit(&w, &w.pass, &from_desk).expect(409);
    assert_eq!(other["code"], "open_referral_exists");
    assert!(other.get("existing_id").is_none(), "{other}");
    let detail = s(&other["detail"]);
    assert!(!detail.contains(&sender), "no sender: {detail}");
    assert!(!detail.contains("Disoccupato"), "no content: {detail}");
    assert!(
        detail.contains("Ufficio di Piano") || detail.contains("Piano"),
        "{detail}"
    );
    // In English when asked.
    let en = w.app.call_in(
        "en",
        "POST",
        &format!("/api/v1/referrals/{from_desk}/submit"),
        Some(&w.pass),
        None,
    );
    assert!(s(&en.expect(409)["detail"]).contains("already open"));
    // Nothing moved.
    let still = w
        .app
        .get(&format!("/api/v1/referrals/{from_desk}"), &w.pass)
        .expect(200);
    assert_eq!(still["status"], "draft");

    // With a reason it goes through, and the table reads the reason.
    w.app
        .patch(
            &format!("/api/v1/referrals/{from_desk}"),
            &w.pass,
            json!({"duplicate_reason": "Lo sportello segue anche la ricerca della casa."}),
        )
        .expect(200);
    let sent = submit(&w, &w.pass, &from_desk).expect(200);
    assert_eq!(sent["status"], "submitted");
    let seen = w
        .app
        .get(&format!("/api/v1/referrals/{from_desk}"), &w.coord)
        .expect(200);
    assert_eq!(
        seen["duplicate_reason"],
        "Lo sportello segue anche la ricerca della casa."
    );

    // Once the first is withdrawn nothing is open from that service: a new one goes through.
    w.app
        .call(
            "POST",
            &format!("/api/v1/referrals/{first}/withdraw"),
            Some(&w.social),
            None,
        )
        .expect(200);
    // …but the desk's is still open, and the social service may not see it.
    let still_open = submit(&w, &w.social, &second_same_org).expect(409);
    assert_eq!(still_open["code"], "open_referral_exists");
    assert!(still_open.get("existing_id").is_none(), "{still_open}");
}

#[test]
fn the_table_records_a_referral_that_arrived_by_phone_on_behalf_of_the_service() {
    let w = World::new();
    let person = w.person(&w.social, "Neri", "Giulia", "1992-07-08", 'F');
    let service = org_of(&w, &w.social);
    let body = |extra: Value| {
        let mut b = json!({"person_id": person, "needs": ["work", "income"],
            "reason": "Telefonata dell'assistente sociale: cerca lavoro part-time."});
        b.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        b
    };
    // Who sent it and how it arrived are both required.
    let missing = w
        .app
        .post("/api/v1/referrals", &w.coord, body(json!({})))
        .expect(422);
    assert_eq!(missing["errors"][0]["field"], "organization_id");
    let missing = w
        .app
        .post(
            "/api/v1/referrals",
            &w.coord,
            body(json!({"organization_id": service})),
        )
        .expect(422);
    assert_eq!(missing["errors"][0]["field"], "received_via");
    let wrong = w
        .app
        .post(
            "/api/v1/referrals",
            &w.coord,
            body(json!({"organization_id": "nope", "received_via": "phone"})),
        )
        .expect(422);
    assert_eq!(wrong["errors"][0]["field"], "organization_id");
    // A referrer cannot pose as another service, nor claim a channel.
    let other = org_of(&w, &w.pass);
    let posing = w
        .app
        .post(
            "/api/v1/referrals",
            &w.social,
            body(json!({"organization_id": other})),
        )
        .expect(422);
    assert_eq!(posing["errors"][0]["field"], "organization_id");
    let channel = w
        .app
        .post(
            "/api/v1/referrals",
            &w.social,
            body(json!({"received_via": "phone"})),
        )
        .expect(422);
    assert_eq!(channel["errors"][0]["field"], "received_via");

    let r = w
        .app
        .post(
            "/api/v1/referrals",
            &w.coord,
            body(json!({"organization_id": service, "received_via": "phone"})),
        )
        .expect(201);
    assert_eq!(
        r["status"], "submitted",
        "recorded referrals go to the table at once"
    );
    assert_eq!(r["received_via"], "phone");
    assert_eq!(r["organization"]["id"], service.as_str());
    let me = s(&w.app.get("/api/v1/me", &w.coord).expect(200)["id"]);
    assert_eq!(r["created_by"], me.as_str(), "who recorded it");
    // The service sees it as its own, with its history.
    let theirs = w
        .app
        .get(&format!("/api/v1/referrals/{}", s(&r["id"])), &w.social)
        .expect(200);
    let actions: Vec<&str> = theirs["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["create", "submit"]);
    // A second one on behalf of another service clashes like any other.
    let again = w
        .app
        .post(
            "/api/v1/referrals",
            &w.coord,
            body(json!({"organization_id": other, "received_via": "letter"})),
        )
        .expect(409);
    assert_eq!(again["code"], "open_referral_exists");
    assert_eq!(
        again["existing_id"], r["id"],
        "the coordinator sees every open referral"
    );
}

#[test]
fn two_referrals_of_one_person_sent_at_once_do_not_both_reach_the_table() {
    let w = World::new();
    for (round, last) in ["Russo", "Bruno", "Gallo", "Conti"].into_iter().enumerate() {
        let person = w.person(&w.social, last, "Ada", "1980-01-02", 'F');
        let tokens = [w.social.clone(), w.pass.clone(), w.cpi.clone()];
        let ids: Vec<String> = tokens.iter().map(|t| draft(&w, t, &person)).collect();
        let barrier = Arc::new(Barrier::new(ids.len()));
        let handles: Vec<_> = ids
            .iter()
            .zip(tokens.iter())
            .map(|(id, token)| {
                let url = w.app.url(&format!("/api/v1/referrals/{id}/submit"));
                let token = token.clone();
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    barrier.wait();
                    match ureq::post(&url)
                        .set("Authorization", &format!("Bearer {token}"))
                        .call()
                    {
                        Ok(r) => r.status(),
                        Err(ureq::Error::Status(code, _)) => code,
                        Err(e) => panic!("transport: {e}"),
                    }
                })
            })
            .collect();
        let mut codes: Vec<u16> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        codes.sort_unstable();
        assert_eq!(codes, [200, 409, 409], "round {round}");
    }
}
