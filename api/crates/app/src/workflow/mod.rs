//! Use cases of the workflow: each is one transaction combining domain rules and storage.
//! HTTP handlers and the demo loader call these; neither writes workflow rows directly.

pub mod activations;
pub mod agreements;
pub mod case_state;
pub mod cases;
pub mod catalogue;
pub mod collective;
pub mod documents;
pub mod erasure;
pub mod join_requests;
pub mod meetings;
pub mod monitoring;
pub mod networks;
pub mod opportunities;
pub mod opportunity_feeds;
pub mod persons;
pub mod plan_export;
pub mod plans;
pub mod privacy;
pub mod privacy_registers;
pub mod projects;
pub mod referrals;
pub mod responses;
pub mod search;
pub mod service_pact;
pub mod subject_rights;

use serde::Serialize;
use sistema_lavoro_domain::ids::{DistrictId, OrganizationId};
use sistema_lavoro_domain::{text, Error, OrganizationKind};
use sistema_lavoro_store::audit::StateChange;
use sistema_lavoro_store::organizations::Organization;
use sistema_lavoro_store::persons::Person;
use sistema_lavoro_store::{utc, DbConn};
use utoipa::ToSchema;

/// How many items a list page holds, and where it starts.
#[derive(Debug, Clone, Default)]
pub struct PageRequest {
    /// 1 to 200.
    pub limit: i64,
    /// The `next` cursor of the previous page.
    pub after: Option<String>,
}

impl PageRequest {
    /// The first page of `limit` items.
    pub fn first(limit: i64) -> PageRequest {
        PageRequest { limit, after: None }
    }

    pub fn after(&self) -> Option<&str> {
        self.after.as_deref().filter(|a| !a.is_empty())
    }
}

/// One page of a list, sorted stably; `next` is the cursor for the following page.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Cursor for the next page (pass it as `after`), or null on the last page.
    pub next: Option<String>,
}

impl<T: ToSchema> Page<T> {
    /// A list that is never long enough to page (a case's activations, its timeline…): every
    /// item, and no `next`.
    pub fn whole(items: Vec<T>) -> Page<T> {
        Page { items, next: None }
    }

    /// Builds a page from the `limit + 1` rows fetched (the extra one only says there is
    /// more), mapping each row.
    pub fn of<R>(
        mut rows: Vec<R>,
        limit: i64,
        cursor: impl Fn(&R) -> String,
        mut map: impl FnMut(R) -> Result<T, Error>,
    ) -> Result<Page<T>, Error> {
        let more = rows.len() as i64 > limit;
        rows.truncate(usize::try_from(limit).unwrap_or(0));
        let next = if more { rows.last().map(&cursor) } else { None };
        let items = rows.into_iter().map(&mut map).collect::<Result<_, _>>()?;
        Ok(Page { items, next })
    }
}

/// A person, as referrals and cases show them.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct PersonSummary {
    /// Identifier of the person (cittadino), a UUID.
    pub id: String,
    /// Codice fiscale, in canonical upper-case form (16 characters, or the 11-digit temporary code).
    pub tax_code: String,
    /// Nome.
    pub first_name: String,
    /// Cognome.
    pub last_name: String,
    /// Data di nascita (ISO 8601 date).
    pub birth_date: chrono::NaiveDate,
}

impl From<&Person> for PersonSummary {
    fn from(p: &Person) -> Self {
        PersonSummary {
            id: p.id.clone().into(),
            tax_code: p.tax_code.clone(),
            first_name: p.first_name.clone(),
            last_name: p.last_name.clone(),
            birth_date: p.birth_date,
        }
    }
}

/// An organization, by id and name.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct OrgSummary {
    /// Identifier of the organization (ente), a UUID.
    pub id: String,
    /// Name (denominazione).
    pub name: String,
}

/// One recorded transition.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct StateChangeOut {
    /// What was done, e.g. `create`, `submit`, `accept`, `edit`.
    pub action: String,
    /// State before; absent at creation.
    pub from: Option<String>,
    /// State after (the same as `from` for edits).
    pub to: String,
    /// Why (motivazione), or the names of the fields an edit changed.
    pub reason: Option<String>,
    /// Who: a user id, or `client:<id>` for an integration client; absent for the system.
    pub actor_id: Option<String>,
    /// When (RFC 3339, UTC).
    pub at: chrono::DateTime<chrono::Utc>,
}

impl From<StateChange> for StateChangeOut {
    fn from(s: StateChange) -> Self {
        StateChangeOut {
            action: s.action,
            from: s.from_state,
            to: s.to_state,
            reason: s.reason,
            actor_id: s.actor_id,
            at: utc(s.at),
        }
    }
}

/// An accredited, active agency of the district, or a validation error on `field`.
pub fn check_agency(
    conn: &mut DbConn,
    district_id: &DistrictId,
    id: &OrganizationId,
    field: &str,
) -> Result<Organization, Error> {
    let org = Organization::find(conn, id)
        .ok()
        .filter(|o| &o.district_id == district_id);
    match org {
        None => Err(Error::validation(
            field,
            "unknown",
            text!(
                "nessun ente dell'Ambito ha questo identificativo",
                "no organization of the district has this id"
            ),
        )),
        Some(o) if o.kind != OrganizationKind::AccreditedAgency => Err(Error::validation(
            field,
            "not_an_agency",
            text!(
                "i casi si possono assegnare solo a enti accreditati",
                "only accredited agencies can be assigned cases"
            ),
        )),
        Some(o) if !o.active => Err(Error::validation(
            field,
            "inactive",
            text!("l'ente non è attivo", "the agency is not active"),
        )),
        Some(o) => Ok(o),
    }
}

pub fn org_name(conn: &mut DbConn, id: &OrganizationId) -> Result<String, Error> {
    Ok(Organization::find(conn, id)?.name)
}

/// A free text as stored: trimmed, and blank means absent.
pub(crate) fn trimmed(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// A list as stored: sorted, each value once.
pub(crate) fn dedup<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v.dedup();
    v
}
