//! Problems and reasons speak the caller's language: Italian without `Accept-Language` and
//! with an Italian one, English with `Accept-Language: en`; the codes are the same in both.
#![allow(clippy::unwrap_used)]

mod common;

use common::world::{s, tax_code, World};
use common::{Resp, TestApp};
use serde_json::{json, Value};

/// The three ways of asking: no header, a browser's Italian, English.
const ASKED: [Option<&str>; 3] = [None, Some("it-IT,it;q=0.9"), Some("en")];

/// One request per way of asking, each a problem with `status`: Italian, Italian, English.
fn answers(status: u16, send: impl Fn(Option<&str>) -> Resp) -> [Value; 3] {
    ASKED.map(|lang| {
        let r = send(lang);
        let told = r.header("content-language").map(String::from);
        let body = r.expect(status);
        let expected = if lang == Some("en") { "en" } else { "it" };
        assert_eq!(told.as_deref(), Some(expected), "{body}");
        body
    })
}

/// What a program reads: the same whatever the language.
fn codes(p: &Value) -> Value {
    let fields: Vec<Value> = p["errors"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|e| json!([e["field"], e["code"]]))
                .collect()
        })
        .unwrap_or_default();
    json!({"type": p["type"], "status": p["status"], "code": p["code"], "errors": fields,
        "current_state": p["current_state"]})
}

/// Italian twice (the same texts), English once, the same codes in all three.
#[track_caller]
fn italian_then_english(answers: &[Value; 3]) -> (&Value, &Value) {
    let [it, it_browser, en] = answers;
    assert_eq!(it, it_browser, "a browser's Italian is Italian");
    assert_eq!(codes(it), codes(en));
    assert_ne!(it["title"], en["title"]);
    assert_ne!(it["detail"], en["detail"]);
    (it, en)
}

fn request(
    app: &TestApp,
    lang: Option<&str>,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> Resp {
    match lang {
        Some(l) => app.call_in(l, method, path, token, body),
        None => app.call(method, path, token, body),
    }
}

#[test]
fn problems_are_italian_by_default_and_english_on_request() {
    let w = World::new();
    let app = &w.app;

    // A field that is not valid.
    let person = json!({
        "tax_code": tax_code("Rossi", "Maria", "1990-05-12", 'F'), "first_name": "Maria",
        "last_name": "Rossi", "birth_date": "1990-05-12", "gender": "F", "email": "not-an-address"
    });
    let all = answers(422, |l| {
        request(
            app,
            l,
            "POST",
            "/api/v1/persons",
            Some(&w.social),
            Some(&person),
        )
    });
    let (it, en) = italian_then_english(&all);
    assert_eq!(it["code"], "validation_failed");
    assert_eq!(it["title"], "Validazione non riuscita");
    assert_eq!(en["title"], "Validation failed");
    assert_eq!(it["errors"][0]["field"], "email");
    assert_eq!(it["errors"][0]["code"], "email");
    assert_eq!(
        it["errors"][0]["message"],
        "deve essere un indirizzo e-mail valido"
    );
    assert_eq!(en["errors"][0]["message"], "must be a valid e-mail address");
    assert_eq!(
        it["detail"],
        "email: deve essere un indirizzo e-mail valido"
    );
    assert_eq!(en["detail"], "email: must be a valid e-mail address");

    // Several fields at once: counted.
    let mut worse = person.clone();
    worse["first_name"] = json!("");
    worse["last_name"] = json!("");
    let all = answers(422, |l| {
        request(
            app,
            l,
            "POST",
            "/api/v1/persons",
            Some(&w.social),
            Some(&worse),
        )
    });
    let (it, en) = italian_then_english(&all);
    let n = it["errors"].as_array().unwrap().len();
    assert!(n > 1, "{it}");
    assert_eq!(it["detail"], format!("{n} campi non sono validi"));
    assert_eq!(en["detail"], format!("{n} fields are invalid"));

    // No token.
    let all = answers(401, |l| request(app, l, "GET", "/api/v1/me", None, None));
    let (it, en) = italian_then_english(&all);
    assert_eq!(it["code"], "unauthenticated");
    assert_eq!(it["title"], "Autenticazione necessaria");
    assert_eq!(
        it["detail"],
        "è necessario un token nell'intestazione Authorization: Bearer"
    );
    assert_eq!(en["title"], "Authentication required");
    assert_eq!(en["detail"], "an Authorization: Bearer token is required");

    // A record that does not exist (from the use case) and a path that does not (from the
    // server's default answer).
    let all = answers(404, |l| {
        request(
            app,
            l,
            "GET",
            "/api/v1/referrals/nothing",
            Some(&w.social),
            None,
        )
    });
    let (it, en) = italian_then_english(&all);
    assert_eq!(it["code"], "not_found");
    assert_eq!(it["title"], "Risorsa non trovata");
    assert_eq!(
        it["detail"],
        "la risorsa richiesta non esiste o non è visibile con il profilo in uso"
    );
    assert_eq!(en["title"], "Not found");
    assert_eq!(
        en["detail"],
        "the resource does not exist or is not visible to you"
    );
    let unknown = answers(404, |l| {
        request(app, l, "GET", "/api/v1/nothing-here", Some(&w.social), None)
    });
    assert_eq!(
        (&unknown[0]["title"], &unknown[2]["title"]),
        (&it["title"], &en["title"])
    );

    // A state conflict: a referral submitted twice.
    let referral = w.submitted("Bianchi");
    let submit = format!("/api/v1/referrals/{referral}/submit");
    let all = answers(409, |l| {
        request(app, l, "POST", &submit, Some(&w.social), None)
    });
    let (it, en) = italian_then_english(&all);
    assert_eq!(it["code"], "invalid_transition");
    assert_eq!(it["current_state"], "submitted");
    assert_eq!(it["title"], "Azione non consentita nello stato attuale");
    assert_eq!(
        it["detail"],
        "non è possibile inviare la segnalazione perché è inviata"
    );
    assert_eq!(en["title"], "Action not allowed in the current state");
    assert_eq!(en["detail"], "cannot submit a referral that is submitted");

    // A body that is not JSON.
    let all = answers(400, |l| {
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(l) = l {
            headers.push(("Accept-Language", l));
        }
        app.raw("POST", "/api/v1/auth/login", &headers, b"{not json")
    });
    let (it, en) = italian_then_english(&all);
    assert_eq!(it["code"], "malformed_body");
    assert_eq!(it["title"], "Corpo della richiesta non valido");
    assert!(s(&it["detail"]).starts_with("il corpo non è un JSON valido"));
    assert_eq!(en["title"], "Malformed request body");
    assert!(s(&en["detail"]).starts_with("the body is not valid JSON"));

    // A value of the wrong kind, named as its field.
    let all = answers(422, |l| {
        let body = json!({"email": 3, "password": "x"});
        request(app, l, "POST", "/api/v1/auth/login", None, Some(&body))
    });
    let (it, en) = italian_then_english(&all);
    assert_eq!(it["errors"][0]["code"], "type");
    assert_eq!(
        it["errors"][0]["message"],
        "tipo non valido: ricevuto il numero `3`, atteso un testo"
    );
    assert_eq!(
        en["errors"][0]["message"],
        "invalid type: integer `3`, expected a string"
    );
}

#[test]
fn eligibility_reasons_are_italian_by_default_and_english_on_request() {
    let w = World::new();
    let app = &w.app;
    let p = w.person(&w.cpi, "Kappa", "Luigi", "1986-02-03", 'M');
    let path = format!("/api/v1/measures/{}/eligibility?person_id={p}", w.gg);
    let [it, it_browser, en] =
        ASKED.map(|l| request(app, l, "GET", &path, Some(&w.coord), None).expect(200));
    assert_eq!(it, it_browser);
    let reason = |v: &Value, rule: &str| {
        v["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["rule"] == rule)
            .unwrap()
            .clone()
    };
    let (age_it, age_en) = (reason(&it, "age"), reason(&en, "age"));
    assert_eq!(
        (&age_it["met"], &age_en["met"]),
        (&json!(false), &json!(false))
    );
    assert!(
        s(&age_it["message"]).ends_with("è superiore al massimo di 29 anni"),
        "{age_it}"
    );
    assert!(
        s(&age_en["message"]).ends_with("is above the maximum of 29"),
        "{age_en}"
    );
    let residence = reason(&it, "residence");
    assert_eq!(residence["message"], "residente nell'Ambito");
    assert_eq!(
        reason(&en, "residence")["message"],
        "resident in the district"
    );
    let rules = |v: &Value| -> Vec<Value> {
        v["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| json!([r["rule"], r["met"]]))
            .collect()
    };
    assert_eq!(rules(&it), rules(&en));
}

#[test]
fn too_many_requests_are_told_in_the_callers_language() {
    // Failed sign-ins: after one, the address waits.
    let w = World::with(|c| c.login_max_failures = 1);
    let app = &w.app;
    let wrong = json!({"email": "nessuno@demo.test", "password": "sbagliata-123"});
    let first = app
        .call("POST", "/api/v1/auth/login", None, Some(&wrong))
        .expect(401);
    assert_eq!(first["code"], "invalid_credentials");
    assert_eq!(first["detail"], "indirizzo e-mail o password errati");
    let all = answers(429, |l| {
        request(app, l, "POST", "/api/v1/auth/login", None, Some(&wrong))
    });
    let (it, en) = italian_then_english(&all);
    assert_eq!(it["code"], "rate_limited");
    assert_eq!(it["title"], "Troppe richieste");
    assert!(s(&it["detail"]).starts_with("troppe richieste; riprovare tra "));
    assert_eq!(en["title"], "Too many requests");
    assert!(s(&en["detail"]).starts_with("too many requests; retry in "));

    // The per-caller limit, answered before any handler runs.
    let app = TestApp::spawn_with(|c| c.rate_limit_per_minute = 1);
    app.call("GET", "/api/v1/me", None, None).expect(401);
    let all = answers(429, |l| request(&app, l, "GET", "/api/v1/me", None, None));
    let (it, en) = italian_then_english(&all);
    assert_eq!(it["title"], "Troppe richieste");
    assert_eq!(en["title"], "Too many requests");
}
