//! Persons: the tax code is checked like an Italian front desk would, one person per code.
#![allow(clippy::unwrap_used)]

mod common;

use common::world::{s, tax_code, World};
use serde_json::json;

fn person(code: &str, first: &str, last: &str, born: &str, gender: &str) -> serde_json::Value {
    json!({"tax_code": code, "first_name": first, "last_name": last, "birth_date": born, "gender": gender})
}

#[test]
fn a_valid_code_registers_the_person_with_places_decoded() {
    let w = World::new();
    let body = w.app.post("/api/v1/persons", &w.social, json!({
        "tax_code": "rssmra85t10a794d", "first_name": "Mario", "last_name": "Rossi", "birth_date": "1985-12-10",
        "gender": "M", "residence_municipality_code": "16024", "email": " Mario@Example.IT "
    })).expect(201);
    assert_eq!(body["tax_code"], "RSSMRA85T10A794D");
    assert_eq!(body["birth_place"]["name"], "Bergamo");
    assert_eq!(
        body["residence"]["istat_code"], "016024",
        "leading zero restored"
    );
    assert_eq!(body["email"], "mario@example.it");
}

#[test]
fn every_tax_code_error_is_named_on_its_field() {
    let w = World::new();
    let cases = [
        ("RSSMRA85T10A794X", "checksum"),
        ("RSSMRA85T10A79", "length"),
        ("RSSMRA85Z10A794D", "month"),
        ("RSSMRA85T32A794D", "day"),
        ("RSSMRA85T10Z998D", "municipality"),
        ("", "required"),
    ];
    for (code, expected) in cases {
        let body = w
            .app
            .post(
                "/api/v1/persons",
                &w.social,
                person(code, "Mario", "Rossi", "1985-12-10", "M"),
            )
            .expect(422);
        let err = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["field"] == "tax_code")
            .unwrap_or_else(|| panic!("{code}: {body}"));
        assert_eq!(err["code"], expected, "{code}: {body}");
    }
}

#[test]
fn name_birth_date_and_gender_must_agree_with_the_code() {
    let w = World::new();
    let body = w
        .app
        .post(
            "/api/v1/persons",
            &w.social,
            person("RSSMRA85T10A794D", "Luigi", "Bianchi", "1985-12-11", "F"),
        )
        .expect(422);
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        vec!["birth_date", "first_name", "gender", "last_name"]
    );
    assert!(body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["code"] == "tax_code_mismatch"));
}

#[test]
fn omocodic_and_temporary_codes_are_accepted() {
    let w = World::new();
    // RSSMRA85T10A794D with its last digits replaced (omocodia): check char recomputed.
    let omocodic = {
        let base = "RSSMRA85T10A79Q";
        let odd = [
            1u32, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22,
            25, 24, 23,
        ];
        let sum: u32 = base
            .bytes()
            .enumerate()
            .map(|(i, b)| {
                let v = if b.is_ascii_digit() {
                    b - b'0'
                } else {
                    b - b'A'
                } as usize;
                if i % 2 == 0 {
                    odd[v]
                } else {
                    v as u32
                }
            })
            .sum();
        format!("{base}{}", (b'A' + (sum % 26) as u8) as char)
    };
    w.app
        .post(
            "/api/v1/persons",
            &w.social,
            person(&omocodic, "Mario", "Rossi", "1985-12-10", "M"),
        )
        .expect(201);
    w.app
        .post(
            "/api/v1/persons",
            &w.social,
            person("12345678903", "Nuovo", "Arrivato", "1990-01-01", "M"),
        )
        .expect(201);
    let bad = w
        .app
        .post(
            "/api/v1/persons",
            &w.social,
            person("12345678901", "Nuovo", "Arrivato", "1990-01-01", "M"),
        )
        .expect(422);
    assert_eq!(bad["errors"][0]["code"], "checksum");
}

#[test]
fn one_person_per_code_a_second_gets_409_with_the_existing_id() {
    let w = World::new();
    let code = tax_code("Verdi", "Giuseppe", "1980-10-10", 'M');
    let first = w
        .app
        .post(
            "/api/v1/persons",
            &w.social,
            person(&code, "Giuseppe", "Verdi", "1980-10-10", "M"),
        )
        .expect(201);
    let dup = w
        .app
        .post(
            "/api/v1/persons",
            &w.cpi,
            person(&code.to_lowercase(), "Giuseppe", "Verdi", "1980-10-10", "M"),
        )
        .expect(409);
    assert_eq!(dup["code"], "duplicate");
    assert_eq!(dup["existing_id"], first["id"]);
    // The CPI finds the person by exact code and refers them.
    let found = w
        .app
        .get(&format!("/api/v1/persons?tax_code={code}"), &w.cpi)
        .expect(200);
    assert_eq!(found["items"][0]["id"], first["id"]);
    assert!(found["items"][0]["sensitive"].is_null());
    w.app
        .post(
            "/api/v1/referrals",
            &w.cpi,
            json!({"person_id": first["id"], "needs": ["work"], "reason": "Segnalato dal CPI"}),
        )
        .expect(201);
    // ... but cannot browse others by name.
    let browse = w.app.get("/api/v1/persons?q=verdi", &w.pass).expect(200);
    assert!(browse["items"].as_array().unwrap().is_empty());
}

#[test]
fn search_by_name_prefix_ignores_case_and_accents() {
    let w = World::new();
    let code = tax_code("Nicolò", "Andrea", "1992-03-03", 'M');
    w.app
        .post(
            "/api/v1/persons",
            &w.social,
            person(&code, "Andrea", "Nicolò", "1992-03-03", "M"),
        )
        .expect(201);
    for q in ["nico", "NICOLO", "nicolò and"] {
        let found = w
            .app
            .get(
                &format!("/api/v1/persons?q={}", q.replace(' ', "%20")),
                &w.coord,
            )
            .expect(200);
        assert_eq!(found["items"].as_array().unwrap().len(), 1, "{q}");
    }
}

#[test]
fn special_categories_show_only_to_who_needs_them_and_reads_are_logged() {
    let w = World::new();
    let code = tax_code("Serra", "Lucia", "1979-09-09", 'F');
    let mut body = person(&code, "Lucia", "Serra", "1979-09-09", "F");
    body["has_disability"] = json!(true);
    body["disability_notes"] = json!("Invalidità civile 67%");
    let p = w.app.post("/api/v1/persons", &w.social, body).expect(201);
    let id = s(&p["id"]);
    assert_eq!(
        p["sensitive"]["has_disability"], true,
        "the registering organization sees what it wrote"
    );
    let full = w
        .app
        .get(&format!("/api/v1/persons/{id}"), &w.coord)
        .expect(200);
    assert_eq!(
        full["sensitive"]["disability_notes"],
        "Invalidità civile 67%"
    );
    // Another referrer organization, an agency without the case, admin and observer: nothing.
    w.app
        .get(&format!("/api/v1/persons/{id}"), &w.pass)
        .problem(404);
    w.app
        .get(&format!("/api/v1/persons/{id}"), &w.op1)
        .problem(404);
    w.app
        .get(&format!("/api/v1/persons/{id}"), &w.admin)
        .problem(403);
    // Every full read is in the access log.
    let pool = sistema_lavoro::store::connect(&w.app.db.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    use diesel::prelude::*;
    use sistema_lavoro::store::schema::person_reads::dsl as pr;
    let n: i64 = pr::person_reads
        .filter(pr::person_id.eq(&id))
        .count()
        .get_result(&mut *conn)
        .unwrap();
    assert_eq!(n, 1);
}

#[test]
fn edits_keep_the_record_consistent() {
    let w = World::new();
    let code = tax_code("Galli", "Marta", "1995-05-05", 'F');
    let p = w
        .app
        .post(
            "/api/v1/persons",
            &w.social,
            person(&code, "Marta", "Galli", "1995-05-05", "F"),
        )
        .expect(201);
    let id = s(&p["id"]);
    let ok = w
        .app
        .patch(
            &format!("/api/v1/persons/{id}"),
            &w.social,
            json!({"phone": "035 123456", "employment_status": "working_poor"}),
        )
        .expect(200);
    assert_eq!(ok["employment_status"], "working_poor");
    let bad = w
        .app
        .patch(
            &format!("/api/v1/persons/{id}"),
            &w.social,
            json!({"birth_date": "1996-05-05", "residence_municipality_code": "999999"}),
        )
        .expect(422);
    let fields: Vec<&str> = bad["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["birth_date", "residence_municipality_code"]);
    let still = w
        .app
        .get(&format!("/api/v1/persons/{id}"), &w.social)
        .expect(200);
    assert_eq!(
        still["birth_date"], "1995-05-05",
        "a refused edit changes nothing"
    );
    // `null` empties what may be empty; absent leaves it; `null` on a required field changes
    // nothing.
    let path = format!("/api/v1/persons/{id}");
    w.app
        .patch(
            &path,
            &w.social,
            json!({"email": "marta@example.it", "address": "Via Roma 1", "residence_municipality_code": "016024"}),
        )
        .expect(200);
    let cleared = w
        .app
        .patch(
            &path,
            &w.social,
            json!({"email": null, "address": "", "employment_status": null, "residence_municipality_code": null}),
        )
        .expect(200);
    assert!(cleared["email"].is_null());
    assert!(cleared["address"].is_null(), "an emptied text is no text");
    assert!(cleared["employment_status"].is_null());
    assert!(cleared["residence"].is_null());
    assert_eq!(cleared["first_name"], "Marta");
    // A name cannot be cleared: `null` is refused, and nothing of that patch is applied.
    let refused = w
        .app
        .patch(
            &path,
            &w.social,
            json!({"first_name": null, "phone": "035 1"}),
        )
        .expect(422);
    assert_eq!(refused["errors"][0]["field"], "first_name");
    assert_eq!(refused["errors"][0]["code"], "not_clearable");
    assert_eq!(cleared["phone"], "035 123456", "absent: unchanged");
    assert_eq!(
        w.app.get(&path, &w.social).expect(200)["phone"],
        "035 123456"
    );
}

/// Target groups that reveal health or criminal-justice data follow the same rule as the
/// special-category fields: hidden from, and not settable by, those who do not see them; and a
/// list sent by such a caller keeps the hidden groups instead of erasing them.
#[test]
fn special_category_target_groups_are_hidden_and_kept() {
    let w = World::new();
    let code = tax_code("Ferri", "Dario", "1975-02-02", 'M');
    let mut body = person(&code, "Dario", "Ferri", "1975-02-02", "M");
    body["target_groups"] = json!(["long_term_unemployed", "criminal_justice"]);
    body["criminal_justice"] = json!(true);
    let p = w.app.post("/api/v1/persons", &w.social, body).expect(201);
    let id = s(&p["id"]);
    assert_eq!(
        p["target_groups"],
        json!(["long_term_unemployed", "criminal_justice"])
    );
    // The CPI refers the same person: it sees them, but not the special categories.
    w.app
        .post(
            "/api/v1/referrals",
            &w.cpi,
            json!({"person_id": id, "needs": ["work"], "reason": "Segnalato dal CPI"}),
        )
        .expect(201);
    let path = format!("/api/v1/persons/{id}");
    let seen = w.app.get(&path, &w.cpi).expect(200);
    assert!(seen["sensitive"].is_null());
    assert_eq!(seen["target_groups"], json!(["long_term_unemployed"]));
    // It cannot set one...
    assert_eq!(
        w.app
            .patch(&path, &w.cpi, json!({"target_groups": ["disability"]}))
            .problem(403),
        "forbidden"
    );
    // ...nor, since only the registering organization and the coordinator edit a person, change
    // the groups it sees: the one it does not see stays as it was.
    assert_eq!(
        w.app
            .patch(&path, &w.cpi, json!({"target_groups": ["over_50"]}))
            .problem(403),
        "forbidden"
    );
    assert_eq!(
        w.app.get(&path, &w.social).expect(200)["target_groups"],
        json!(["long_term_unemployed", "criminal_justice"])
    );
    // Nor does an eligibility answer reveal it: for a measure of the area penale, the
    // coordinator learns the person belongs to its group; the CPI is answered as if not.
    let year = common::world::today().format("%Y").to_string();
    let measure = w
        .app
        .post(
            "/api/v1/measures",
            &w.coord,
            json!({"code": "PENALE", "name": "Percorsi area penale", "kind": "district_project",
                   "funding_source": "district_budget", "valid_from": format!("{year}-01-01"),
                   "target_groups": ["criminal_justice"]}),
        )
        .expect(201);
    let target_group = |token: &str| {
        let e = w
            .app
            .get(
                &format!(
                    "/api/v1/measures/{}/eligibility?person_id={id}",
                    s(&measure["id"])
                ),
                token,
            )
            .expect(200);
        e["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["rule"] == "target_group")
            .unwrap()
            .clone()
    };
    assert_eq!(target_group(&w.coord)["met"], true);
    let hidden = target_group(&w.cpi);
    assert_eq!(hidden["met"], false, "{hidden}");
}

/// A name search reads like a register: by surname and name, whatever the order of
/// registration, and its pages continue in that order.
#[test]
fn a_name_search_is_in_name_order_across_pages() {
    let w = World::new();
    // Registered out of alphabetical order; two share the surname.
    for (last, first, born) in [
        ("Rota", "Zeno", "1980-01-01"),
        ("Rossi", "Bruno", "1981-01-01"),
        ("Rotondi", "Anna", "1982-01-01"),
        ("Rossi", "Alba", "1983-01-01"),
        ("Rosa", "Carla", "1984-01-01"),
    ] {
        let gender = if ["Alba", "Anna", "Carla"].contains(&first) {
            'F'
        } else {
            'M'
        };
        w.person(&w.social, last, first, born, gender);
    }
    let mut names = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let url = match &next {
            Some(after) => format!("/api/v1/persons?q=ro&limit=2&after={after}"),
            None => "/api/v1/persons?q=ro&limit=2".to_string(),
        };
        let page = w.app.get(&url, &w.coord).expect(200);
        for p in page["items"].as_array().unwrap() {
            names.push(format!("{} {}", s(&p["last_name"]), s(&p["first_name"])));
        }
        match page["next"].as_str() {
            Some(n) => next = Some(n.to_string()),
            None => break,
        }
    }
    assert_eq!(
        names,
        [
            "Rosa Carla",
            "Rossi Alba",
            "Rossi Bruno",
            "Rota Zeno",
            "Rotondi Anna"
        ]
    );
}
