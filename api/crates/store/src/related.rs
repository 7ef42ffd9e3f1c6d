//! What pages of referrals and cases show besides their own rows — persons, organization
//! names, the case each referral became — loaded with one query per table for the whole page
//! instead of one per row.

use std::collections::HashMap;

use sistema_lavoro_domain::Error;

use super::cases::Case;
use super::organizations::Organization;
use super::persons::Person;
use super::referrals::Referral;
use super::{DbConn, Result};

#[derive(Debug, Default)]
pub struct Related {
    persons: HashMap<String, Person>,
    org_names: HashMap<String, String>,
    cases_by_referral: HashMap<String, Case>,
}

impl Related {
    /// For referrals: their persons, organizations, cases and the cases' agencies.
    pub fn for_referrals(conn: &mut DbConn, rows: &[Referral]) -> Result<Related> {
        let referral_ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        let found = Case::of_referrals(conn, &referral_ids)?;
        let persons = rows.iter().map(|r| r.person_id.as_str());
        let orgs = rows
            .iter()
            .map(|r| r.organization_id.as_str())
            .chain(found.iter().map(|c| c.agency_id.as_str()));
        let mut related = Related::load(conn, persons, orgs)?;
        related.cases_by_referral = found
            .into_iter()
            .map(|c| (c.referral_id.clone(), c))
            .collect();
        Ok(related)
    }

    /// For one case whose person and agency's name are already loaded.
    pub fn of_case(c: &Case, person: Person, agency_name: String) -> Related {
        Related {
            persons: HashMap::from([(person.id.clone(), person)]),
            org_names: HashMap::from([(c.agency_id.clone(), agency_name)]),
            cases_by_referral: HashMap::new(),
        }
    }

    /// For cases: their persons and agencies.
    pub fn for_cases(conn: &mut DbConn, rows: &[Case]) -> Result<Related> {
        Related::load(
            conn,
            rows.iter().map(|c| c.person_id.as_str()),
            rows.iter().map(|c| c.agency_id.as_str()),
        )
    }

    fn load<'a>(
        conn: &mut DbConn,
        person_ids: impl Iterator<Item = &'a str>,
        org_ids: impl Iterator<Item = &'a str>,
    ) -> Result<Related> {
        let mut person_ids: Vec<&str> = person_ids.collect();
        person_ids.sort_unstable();
        person_ids.dedup();
        let mut org_ids: Vec<&str> = org_ids.collect();
        org_ids.sort_unstable();
        org_ids.dedup();
        Ok(Related {
            persons: Person::find_many(conn, &person_ids)?
                .into_iter()
                .map(|p| (p.id.clone(), p))
                .collect(),
            org_names: Organization::names(conn, &org_ids)?.into_iter().collect(),
            cases_by_referral: HashMap::new(),
        })
    }

    pub fn person(&self, id: &str) -> Result<&Person> {
        self.persons
            .get(id)
            .ok_or_else(|| Error::Internal(format!("person {id} is missing")))
    }

    pub fn org_name(&self, id: &str) -> Result<String> {
        self.org_names
            .get(id)
            .cloned()
            .ok_or_else(|| Error::Internal(format!("organization {id} is missing")))
    }

    pub fn case_of(&self, referral_id: &str) -> Option<&Case> {
        self.cases_by_referral.get(referral_id)
    }
}
