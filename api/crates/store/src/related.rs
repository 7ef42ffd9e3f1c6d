//! What pages of referrals and cases show besides their own rows — persons, organization
//! names, the case each referral became — loaded with one query per table for the whole page
//! instead of one per row.

use sistema_lavoro_domain::ids::{OrganizationId, PersonId, ReferralId};
use std::collections::HashMap;

use sistema_lavoro_domain::Error;

use super::cases::Case;
use super::organizations::Organization;
use super::persons::Person;
use super::referrals::Referral;
use super::{DbConn, Result};

#[derive(Debug, Default)]
pub struct Related {
    persons: HashMap<PersonId, Person>,
    org_names: HashMap<OrganizationId, String>,
    cases_by_referral: HashMap<ReferralId, Case>,
}

impl Related {
    /// For referrals: their persons, organizations, cases and the cases' agencies.
    pub fn for_referrals(conn: &mut DbConn, rows: &[Referral]) -> Result<Related> {
        let referral_ids: Vec<&ReferralId> = rows.iter().map(|r| &r.id).collect();
        let found = Case::of_referrals(conn, &referral_ids)?;
        let persons = rows.iter().map(|r| &r.person_id);
        let orgs = rows
            .iter()
            .map(|r| &r.organization_id)
            .chain(found.iter().map(|c| &c.agency_id));
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
            rows.iter().map(|c| &c.person_id),
            rows.iter().map(|c| &c.agency_id),
        )
    }

    fn load<'a>(
        conn: &mut DbConn,
        person_ids: impl Iterator<Item = &'a PersonId>,
        org_ids: impl Iterator<Item = &'a OrganizationId>,
    ) -> Result<Related> {
        let mut person_ids: Vec<&PersonId> = person_ids.collect();
        person_ids.sort_unstable();
        person_ids.dedup();
        let mut org_ids: Vec<&OrganizationId> = org_ids.collect();
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

    pub fn person(&self, id: &PersonId) -> Result<&Person> {
        self.persons
            .get(id)
            .ok_or_else(|| Error::Internal(format!("person {id} is missing")))
    }

    pub fn org_name(&self, id: &OrganizationId) -> Result<String> {
        self.org_names
            .get(id)
            .cloned()
            .ok_or_else(|| Error::Internal(format!("organization {id} is missing")))
    }

    pub fn case_of(&self, referral_id: &ReferralId) -> Option<&Case> {
        self.cases_by_referral.get(referral_id)
    }
}
