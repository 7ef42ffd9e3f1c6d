//! Use cases of the workflow: each is one transaction combining domain rules and storage.
//! HTTP handlers and the demo loader call these; neither writes workflow rows directly.

pub mod activations;
pub mod cases;
pub mod catalogue;
pub mod meetings;
pub mod persons;
pub mod referrals;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::domain::Role;
use crate::http::extract::AuthUser;
use crate::http::problem::ApiError;
use crate::store::organizations::Organization;
use crate::store::DbConn;

/// Today in the district's time zone (Europe/Rome): what "today" means to its users.
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Rome)
        .date_naive()
}

pub fn to_json<T: Serialize>(items: &[T]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

/// Reads a JSON list column written by this program.
pub fn from_json<T: DeserializeOwned>(s: &str) -> Result<Vec<T>, ApiError> {
    serde_json::from_str(s)
        .map_err(|e| ApiError::Internal(format!("bad JSON list in database: {e}")))
}

/// Not found, or not visible to you: the same answer.
pub fn hidden() -> ApiError {
    ApiError::NotFound
}

/// A record of another district is invisible.
pub fn same_district(user: &AuthUser, district_id: &str) -> Result<(), ApiError> {
    if user.district_id.as_deref() == Some(district_id) {
        Ok(())
    } else {
        Err(hidden())
    }
}

/// The caller's organization, which must be an accredited agency for agency operators.
pub fn agency_of(user: &AuthUser) -> Option<&str> {
    if user.role == Role::AgencyOperator {
        user.organization_id.as_deref()
    } else {
        None
    }
}

/// An accredited, active agency of the district, or a validation error on `field`.
pub fn check_agency(
    conn: &mut DbConn,
    district_id: &str,
    id: &str,
    field: &str,
) -> Result<Organization, ApiError> {
    let org = Organization::find(conn, id)
        .ok()
        .filter(|o| o.district_id == district_id);
    match org {
        None => Err(ApiError::validation(
            field,
            "unknown",
            "no organization of the district has this id",
        )),
        Some(o) if o.kind != crate::domain::OrganizationKind::AccreditedAgency.as_str() => {
            Err(ApiError::validation(
                field,
                "not_an_agency",
                "only accredited agencies can be assigned cases",
            ))
        }
        Some(o) if !o.active => Err(ApiError::validation(
            field,
            "inactive",
            "the agency is not active",
        )),
        Some(o) => Ok(o),
    }
}

pub fn org_name(conn: &mut DbConn, id: &str) -> Result<String, ApiError> {
    Ok(Organization::find(conn, id)?.name)
}

/// What pages of referrals and cases show besides their own rows — persons, organization
/// names, the case each referral became — loaded with one query per table for the whole page
/// instead of one per row.
#[derive(Debug, Default)]
pub struct Related {
    persons: std::collections::HashMap<String, crate::store::persons::Person>,
    org_names: std::collections::HashMap<String, String>,
    cases_by_referral: std::collections::HashMap<String, crate::store::cases::Case>,
}

impl Related {
    /// For referrals: their persons, organizations, cases and the cases' agencies.
    pub fn for_referrals(
        conn: &mut DbConn,
        rows: &[crate::store::referrals::Referral],
    ) -> Result<Related, ApiError> {
        use crate::store::cases::Case;
        use crate::store::schema::cases;
        use diesel::prelude::*;
        let referral_ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        let found: Vec<Case> = if referral_ids.is_empty() {
            Vec::new()
        } else {
            cases::table
                .filter(cases::referral_id.eq_any(&referral_ids))
                .select(Case::as_select())
                .load(conn)?
        };
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

    /// For cases: their persons and agencies.
    pub fn for_cases(
        conn: &mut DbConn,
        rows: &[crate::store::cases::Case],
    ) -> Result<Related, ApiError> {
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
    ) -> Result<Related, ApiError> {
        use crate::store::persons::Person;
        use crate::store::schema::{organizations, persons};
        use diesel::prelude::*;
        let mut person_ids: Vec<&str> = person_ids.collect();
        person_ids.sort_unstable();
        person_ids.dedup();
        let mut org_ids: Vec<&str> = org_ids.collect();
        org_ids.sort_unstable();
        org_ids.dedup();
        let persons = if person_ids.is_empty() {
            Vec::new()
        } else {
            persons::table
                .filter(persons::id.eq_any(&person_ids))
                .select(Person::as_select())
                .load(conn)?
        };
        let org_names: Vec<(String, String)> = if org_ids.is_empty() {
            Vec::new()
        } else {
            organizations::table
                .filter(organizations::id.eq_any(&org_ids))
                .select((organizations::id, organizations::name))
                .load(conn)?
        };
        Ok(Related {
            persons: persons.into_iter().map(|p| (p.id.clone(), p)).collect(),
            org_names: org_names.into_iter().collect(),
            cases_by_referral: Default::default(),
        })
    }

    pub fn person(&self, id: &str) -> Result<&crate::store::persons::Person, ApiError> {
        self.persons
            .get(id)
            .ok_or_else(|| ApiError::Internal(format!("person {id} is missing")))
    }

    pub fn org_name(&self, id: &str) -> Result<String, ApiError> {
        self.org_names
            .get(id)
            .cloned()
            .ok_or_else(|| ApiError::Internal(format!("organization {id} is missing")))
    }

    pub fn case_of(&self, referral_id: &str) -> Option<&crate::store::cases::Case> {
        self.cases_by_referral.get(referral_id)
    }
}
