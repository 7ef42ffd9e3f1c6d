//! Find a person: by name or codice fiscale, with the referrals and cases the caller may see,
//! and every person answered logged as read.
#![allow(clippy::unwrap_used)]

mod common;

use common::world::{s, tax_code, World};
use diesel::prelude::*;

fn reads_of(w: &World, person: &str) -> i64 {
    use sistema_lavoro::store::schema::person_reads::dsl as pr;
    let pool = sistema_lavoro::store::connect(&w.app.db.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    pr::person_reads
        .filter(pr::person_id.eq(person))
        .count()
        .get_result(&mut *conn)
        .unwrap()
}

fn names(page: &serde_json::Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| s(&h["person"]["last_name"]))
        .collect()
}

#[test]
fn each_caller_finds_the_persons_it_may_see_with_what_it_may_see_of_them() {
    let w = World::new();
    let case = w.case_for_agency1("Zanetti");
    let person = s(&w
        .app
        .get(&format!("/api/v1/cases/{case}"), &w.coord)
        .expect(200)["person"]["id"]);
    let code = tax_code("Zanetti", "Anna", "1990-05-12", 'F');
    let read_before = reads_of(&w, &person); // the case read above

    // The coordinator: the person, the referral and the case.
    let found = w.app.get("/api/v1/search?q=zanet", &w.coord).expect(200);
    assert_eq!(names(&found), ["Zanetti"]);
    let hit = &found["items"][0];
    assert_eq!(hit["referrals"][0]["status"], "accepted");
    assert_eq!(hit["cases"][0]["id"], case.as_str());
    assert_eq!(hit["cases"][0]["agency"]["id"], w.agency1.as_str());
    assert!(
        hit["person"].get("disability_notes").is_none(),
        "no special categories"
    );
    assert_eq!(
        reads_of(&w, &person),
        read_before + 1,
        "a search is logged like a read"
    );

    // The agency following the case: the person and the case, no referral.
    let agency = w.app.get("/api/v1/search?q=Zanetti", &w.op1).expect(200);
    assert_eq!(names(&agency), ["Zanetti"]);
    assert_eq!(agency["items"][0]["referrals"].as_array().unwrap().len(), 0);
    assert_eq!(agency["items"][0]["cases"][0]["id"], case.as_str());
    // Another agency: nobody, and nothing logged.
    let other = w.app.get("/api/v1/search?q=Zanetti", &w.op2).expect(200);
    assert!(names(&other).is_empty());
    assert_eq!(reads_of(&w, &person), read_before + 2);

    // The referring service: its referral, no case (it follows it through the referral).
    let referrer = w
        .app
        .get("/api/v1/search?q=zanetti anna", &w.social)
        .expect(200);
    assert_eq!(names(&referrer), ["Zanetti"]);
    assert_eq!(referrer["items"][0]["referrals"][0]["status"], "accepted");
    assert_eq!(referrer["items"][0]["cases"].as_array().unwrap().len(), 0);
    // Another service: not by name; by exact tax code yes, without the others' referrals.
    assert!(names(&w.app.get("/api/v1/search?q=Zanetti", &w.pass).expect(200)).is_empty());
    let by_code = w
        .app
        .get(
            &format!("/api/v1/search?q={}", code.to_lowercase()),
            &w.pass,
        )
        .expect(200);
    assert_eq!(names(&by_code), ["Zanetti"]);
    assert_eq!(
        by_code["items"][0]["referrals"].as_array().unwrap().len(),
        0
    );
    assert_eq!(reads_of(&w, &person), read_before + 4);

    // Too short, or missing: 422 naming `q`.
    let short = w.app.get("/api/v1/search?q=z", &w.coord).expect(422);
    assert_eq!(short["errors"][0]["field"], "q");
    let missing = w.app.get("/api/v1/search", &w.coord).expect(422);
    assert_eq!(missing["errors"][0]["field"], "q");
    // Roles that do not work with persons.
    w.app
        .get("/api/v1/search?q=Zanetti", &w.observer)
        .problem(403);
    w.app.get("/api/v1/search?q=Zanetti", &w.admin).problem(403);
}

#[test]
fn reading_a_case_is_logged_as_a_read_of_its_person() {
    let w = World::new();
    let case = w.case_for_agency1("Vitali");
    let person = s(&w
        .app
        .get(&format!("/api/v1/cases/{case}"), &w.coord)
        .expect(200)["person"]["id"]);
    let before = reads_of(&w, &person);
    w.app
        .get(&format!("/api/v1/cases/{case}"), &w.op1)
        .expect(200);
    assert_eq!(
        reads_of(&w, &person),
        before + 1,
        "the agency's read is logged"
    );
    // Who may not see the case reads nothing, and nothing is logged.
    w.app
        .get(&format!("/api/v1/cases/{case}"), &w.op2)
        .expect(404);
    assert_eq!(reads_of(&w, &person), before + 1);
}
