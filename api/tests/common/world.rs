//! A small world for workflow tests: the demo district's users signed in, a catalogue with
//! thresholds, and helpers that walk a person from referral to case through the API.
#![allow(dead_code, clippy::unwrap_used)]

use chrono::NaiveDate;
use serde_json::{json, Value};
use sistema_lavoro::domain::tax_code::TaxCode;

use super::TestApp;

pub struct World {
    pub app: TestApp,
    pub admin: String,
    pub coord: String,
    pub social: String,
    pub pass: String,
    pub cpi: String,
    pub op1: String,
    pub op2: String,
    pub op3: String,
    pub observer: String,
    pub agency1: String,
    pub agency2: String,
    pub agency3: String,
    pub district_id: String,
    pub dul: String,
    pub gg: String,
    pub dul_threshold_1: String,
    /// The district's privacy notice in force on referrals and cases (informativa).
    pub notice: String,
}

pub fn s(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("not a string: {v}"))
        .to_string()
}

/// Today in Europe/Rome, by the machine's clock.
pub fn today() -> NaiveDate {
    use sistema_lavoro::domain::Clock;
    sistema_lavoro::domain::SystemClock.read().today
}

/// A valid tax code for a made-up person.
pub fn tax_code(last: &str, first: &str, born: &str, gender: char) -> String {
    let d = NaiveDate::parse_from_str(born, "%Y-%m-%d").unwrap();
    TaxCode::compose(last, first, d, gender, "A794")
        .unwrap()
        .as_str()
        .to_string()
}

impl World {
    pub fn new() -> World {
        World::with(|_| {})
    }

    /// The same world, served with an adjusted configuration.
    pub fn with(tweak: impl FnOnce(&mut sistema_lavoro::config::Config)) -> World {
        let app = TestApp::base_with(tweak);
        let coord = app.login("coordinatore@demo.test");
        let admin = app.login("admin@demo.test");
        let orgs = app
            .get("/api/v1/organizations?kind=accredited_agency", &coord)
            .expect(200);
        let agencies: Vec<String> = orgs["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| s(&o["id"]))
            .collect();
        let mut names: Vec<(String, String)> = orgs["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| (s(&o["name"]), s(&o["id"])))
            .collect();
        names.sort();
        let by_name = |n: &str| {
            names
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        assert_eq!(agencies.len(), 3);
        let me = app.get("/api/v1/me", &coord).expect(200);
        let district_id = s(&me["district"]["id"]);
        let munis = format!("/api/v1/districts/{district_id}/municipalities");
        let etag = app.get(&munis, &coord).header("etag").unwrap().to_string();
        app.with_headers(
            "PUT",
            &munis,
            &coord,
            &[("If-Match", &etag)],
            Some(&json!({"istat_codes": ["016024", "016115"]})),
        )
        .expect(200);
        let year = today().format("%Y").to_string();
        let dul = app.post("/api/v1/measures", &coord, json!({
            "code": "DUL", "name": "Dote Unica Lavoro", "kind": "dul", "funding_source": "esf_plus", "funding_note": "FSE+ – Regione Lombardia",
            "valid_from": format!("{year}-01-01"), "min_age": 18, "max_age": 66,
            "employment_statuses": ["unemployed", "working_poor"], "default_amount_cents": 100000
        })).expect(201);
        let gg = app.post("/api/v1/measures", &coord, json!({
            "code": "GG", "name": "Garanzia Giovani", "kind": "gg", "funding_source": "esf_plus", "funding_note": "FSE+ – Regione Lombardia",
            "valid_from": format!("{year}-01-01"), "min_age": 15, "max_age": 29,
            "employment_statuses": ["unemployed", "inactive"], "residence_required": true, "default_amount_cents": 50000
        })).expect(201);
        let agency1 = by_name("Agenzia Lavoro Orobica");
        let agency2 = by_name("Cooperativa Sociale Il Ponte");
        let agency3 = by_name("Fondazione Formazione e Lavoro");
        let t = app.post("/api/v1/thresholds", &coord, json!({
            "agency_id": agency1, "measure_id": dul["id"], "period_start": format!("{year}-01-01"),
            "period_end": format!("{year}-12-31"), "cap_cents": 500000
        })).expect(201);
        app.post("/api/v1/thresholds", &coord, json!({
            "agency_id": agency1, "measure_id": gg["id"], "period_start": format!("{year}-01-01"),
            "period_end": format!("{year}-12-31"), "cap_cents": 500000
        })).expect(201);
        let notice = s(&app
            .post(
                "/api/v1/privacy-notices",
                &coord,
                json!({"purpose": "referral_and_case", "title": "Informativa servizi di inclusione",
                    "body": "Il Comune capofila tratta i dati per la segnalazione e la presa in carico.",
                    "valid_from": "2020-01-01"}),
            )
            .expect(201)["id"]);
        World {
            notice,
            social: app.login("assistente.sociale@demo.test"),
            pass: app.login("pass@demo.test"),
            cpi: app.login("cpi@demo.test"),
            op1: app.login("operatore1@demo.test"),
            op2: app.login("operatore2@demo.test"),
            op3: app.login("operatore3@demo.test"),
            observer: app.login("osservatorio@demo.test"),
            dul: s(&dul["id"]),
            gg: s(&gg["id"]),
            dul_threshold_1: s(&t["id"]),
            app,
            admin,
            coord,
            agency1,
            agency2,
            agency3,
            district_id,
        }
    }

    /// Registers a person as `token` (a referrer), resident in the district.
    pub fn person(&self, token: &str, last: &str, first: &str, born: &str, gender: char) -> String {
        let body = json!({
            "tax_code": tax_code(last, first, born, gender), "first_name": first, "last_name": last,
            "birth_date": born, "gender": gender.to_string(), "residence_municipality_code": "016024",
            "employment_status": "unemployed", "cluster": "band_2"
        });
        let id = s(&self.app.post("/api/v1/persons", token, body).expect(201)["id"]);
        self.give_notice(token, &id);
        id
    }

    /// Records, as `token`, that the person was given the notice on referrals and cases (a
    /// referral is sent to the table only then).
    pub fn give_notice(&self, token: &str, person: &str) {
        self.app
            .post(
                &format!("/api/v1/persons/{person}/consents"),
                token,
                json!({"kind": "notice", "notice_id": self.notice, "method": "in_person"}),
            )
            .expect(201);
    }

    /// A draft referral of a new person, by the social worker.
    pub fn draft(&self, last: &str) -> (String, String) {
        let person = self.person(&self.social, last, "Anna", "1990-05-12", 'F');
        let r = self
            .app
            .post(
                "/api/v1/referrals",
                &self.social,
                json!({
                    "person_id": person, "needs": ["work"], "reason": "Cerca lavoro da un anno."
                }),
            )
            .expect(201);
        (s(&r["id"]), person)
    }

    pub fn submitted(&self, last: &str) -> String {
        let (id, _) = self.draft(last);
        self.app
            .call(
                "POST",
                &format!("/api/v1/referrals/{id}/submit"),
                Some(&self.social),
                None,
            )
            .expect(200);
        id
    }

    /// A meeting opened now (with every submitted referral on its agenda).
    pub fn open_meeting(&self) -> String {
        let m = self
            .app
            .post(
                "/api/v1/meetings",
                &self.coord,
                json!({"scheduled_for": today().to_string(),
            "participants": ["Chiara Colombo (Ufficio di Piano)"]}),
            )
            .expect(201);
        let id = s(&m["id"]);
        self.app
            .call(
                "POST",
                &format!("/api/v1/meetings/{id}/open"),
                Some(&self.coord),
                None,
            )
            .expect(200);
        id
    }

    pub fn close_meeting(&self, id: &str) -> Value {
        self.app
            .call(
                "POST",
                &format!("/api/v1/meetings/{id}/close"),
                Some(&self.coord),
                None,
            )
            .expect(200)
    }

    /// A person referred, accepted by a meeting for agency 1 with DUL: returns the case id.
    pub fn case_for_agency1(&self, last: &str) -> String {
        let r = self.submitted(last);
        let m = self.open_meeting();
        self.app.post(&format!("/api/v1/meetings/{m}/decisions"), &self.coord, json!({
            "referral_id": r, "decision": "accept", "agency_id": self.agency1, "measure_ids": [self.dul]
        })).expect(200);
        self.close_meeting(&m);
        let referral = self
            .app
            .get(&format!("/api/v1/referrals/{r}"), &self.coord)
            .expect(200);
        s(&referral["case"]["id"])
    }

    pub fn take_charge(&self, case: &str) {
        self.app.post(&format!("/api/v1/cases/{case}/take-charge"), &self.op1, json!({
            "first_meeting_date": today().to_string(), "plan_goals": "Bilancio di competenze"
        })).expect(200);
    }

    /// The proposed DUL activation the meeting created for the case.
    pub fn activation(&self, case: &str) -> String {
        let list = self
            .app
            .get(&format!("/api/v1/cases/{case}/activations"), &self.op1)
            .expect(200)["items"]
            .clone();
        s(&list[0]["id"])
    }

    pub fn threshold(&self, id: &str) -> Value {
        self.app
            .get(&format!("/api/v1/thresholds/{id}"), &self.coord)
            .expect(200)
    }
}
