//! The referral form's eligibility preview: which of the district's measures a person as typed
//! would fit, before anything is stored.
#![allow(clippy::unwrap_used)]

mod common;

use common::world::{s, World};
use serde_json::{json, Value};

fn verdict<'a>(page: &'a Value, code: &str) -> &'a Value {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["code"] == code)
        .unwrap_or_else(|| panic!("{code} not in {page}"))
}

#[test]
fn the_preview_tells_which_measures_fit_the_person_as_typed() {
    let w = World::new();
    // A long-term unemployed person for a project that asks for that group.
    let year = common::world::today().format("%Y").to_string();
    w.app
        .post(
            "/api/v1/measures",
            &w.coord,
            json!({"code": "LUNGA", "name": "Progetto disoccupati di lunga durata", "kind": "district_project",
                "funding_source": "district_budget", "valid_from": format!("{year}-01-01"),
                "target_groups": ["long_term_unemployed"], "default_amount_cents": 80000}),
        )
        .expect(201);
    let before = w.app.get("/api/v1/persons?limit=200", &w.coord).expect(200);
    let draft = json!({"birth_date": "1980-03-02", "employment_status": "unemployed",
        "residence_municipality_code": "16024"});
    let page = w
        .app
        .post("/api/v1/eligibility-preview", &w.social, draft.clone())
        .expect(200);
    assert_eq!(verdict(&page, "DUL")["eligible"], true);
    assert_eq!(verdict(&page, "GG")["eligible"], false, "46 is over 29");
    let lunga = verdict(&page, "LUNGA");
    assert_eq!(
        lunga["eligible"], false,
        "not yet declared long-term unemployed"
    );
    let rule = lunga["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "target_group")
        .unwrap();
    assert_eq!(rule["met"], false);
    // Eligible measures come first.
    let flags: Vec<bool> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["eligible"].as_bool().unwrap())
        .collect();
    let mut sorted = flags.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(flags, sorted);

    // Ticking the group in the form makes the project fit.
    let mut ticked = draft.clone();
    ticked["target_groups"] = json!(["long_term_unemployed"]);
    let page = w
        .app
        .post("/api/v1/eligibility-preview", &w.social, ticked)
        .expect(200);
    assert_eq!(verdict(&page, "LUNGA")["eligible"], true);
    // Living outside the district: GG-like rules on residence answer so (DUL does not ask).
    let mut young = draft.clone();
    young["birth_date"] = json!(format!("{}-01-01", year.parse::<i32>().unwrap() - 20));
    let inside = w
        .app
        .post("/api/v1/eligibility-preview", &w.social, young.clone())
        .expect(200);
    assert_eq!(verdict(&inside, "GG")["eligible"], true);
    young["residence_municipality_code"] = json!("015146"); // Milano
    let outside = w
        .app
        .post("/api/v1/eligibility-preview", &w.social, young)
        .expect(200);
    assert_eq!(verdict(&outside, "GG")["eligible"], false);

    // Nothing was stored.
    let after = w.app.get("/api/v1/persons?limit=200", &w.coord).expect(200);
    assert_eq!(before["items"], after["items"]);
    let _ = s(&page["items"][0]["measure_id"]);
}

#[test]
fn a_wrong_draft_is_named_and_roles_are_kept() {
    let w = World::new();
    let bad = w
        .app
        .post(
            "/api/v1/eligibility-preview",
            &w.social,
            json!({"birth_date": "1980-03-02", "residence_municipality_code": "12AB"}),
        )
        .expect(422);
    assert_eq!(bad["errors"][0]["field"], "residence_municipality_code");
    let bad = w
        .app
        .post(
            "/api/v1/eligibility-preview",
            &w.social,
            json!({"birth_date": "02/03/1980"}),
        )
        .expect(422);
    assert_eq!(bad["errors"][0]["field"], "birth_date");
    let bad = w
        .app
        .post(
            "/api/v1/eligibility-preview",
            &w.social,
            json!({"birth_date": "1980-03-02", "target_groups": ["astronaut"]}),
        )
        .expect(422);
    assert!(bad["errors"][0]["field"]
        .as_str()
        .unwrap()
        .starts_with("target_groups"));
    // The observer and the administrator do not fill in referrals.
    w.app
        .post(
            "/api/v1/eligibility-preview",
            &w.observer,
            json!({"birth_date": "1980-03-02"}),
        )
        .expect(403);
    w.app
        .post(
            "/api/v1/eligibility-preview",
            &w.admin,
            json!({"birth_date": "1980-03-02"}),
        )
        .expect(403);
}
