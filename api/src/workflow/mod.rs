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
