//! Find a person: one box for a name or a codice fiscale, over the persons the caller may
//! see, with their referrals and cases as far as the caller may see them. Every person
//! found is logged as read (who, when, which), like opening the record.

use std::collections::HashMap;

use serde::Serialize;
use sistema_lavoro_domain::ids::OrganizationId;
use sistema_lavoro_domain::policy::{self, CaseScope, PersonScope, ReferralScope};
use sistema_lavoro_domain::states::{CaseStatus, ReferralStatus};
use sistema_lavoro_domain::{text, Error, Role};
use sistema_lavoro_store::audit::PersonRead;
use sistema_lavoro_store::cases::{Case, CaseFilter};
use sistema_lavoro_store::organizations::Organization;
use sistema_lavoro_store::persons::{fold, Person, PersonFilter};
use sistema_lavoro_store::referrals::{Referral, ReferralFilter};
use sistema_lavoro_store::{utc, DbConn};
use utoipa::ToSchema;

use super::{OrgSummary, Page, PersonSummary};
use crate::Ctx;

/// Most persons one search answers; a longer list means the query is too vague.
pub const MAX_HITS: i64 = 20;
/// Shortest query: two characters of a surname.
pub const MIN_QUERY: usize = 2;
/// Longest query.
pub const MAX_QUERY: usize = 100;

/// A referral of a person found, as the caller may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralHit {
    /// Identifier of the referral (segnalazione).
    pub id: String,
    /// Its state.
    pub status: ReferralStatus,
    /// The referring organization (ente segnalante).
    pub organization: OrgSummary,
    /// When it was last sent to the table (RFC 3339, UTC); absent for drafts.
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A case of a person found, as the caller may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseHit {
    /// Identifier of the case (presa in carico).
    pub id: String,
    /// Its state.
    pub status: CaseStatus,
    /// The accredited agency (ente accreditato) following the person.
    pub agency: OrgSummary,
}

/// A person found, with the referrals and cases the caller may see.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHit {
    /// The person (cittadino).
    pub person: PersonSummary,
    /// The person's referrals the caller may see, newest first (none for agency operators).
    #[schema(max_items = 50)]
    pub referrals: Vec<ReferralHit>,
    /// The person's cases the caller may see, newest first (none for referrers: they follow a
    /// case through its referral).
    #[schema(max_items = 50)]
    pub cases: Vec<CaseHit>,
}

/// Whether the query is a codice fiscale (16 characters) or a temporary code (11 digits):
/// then it is matched exactly, else as the start of "surname name".
fn as_tax_code(q: &str) -> Option<String> {
    let t: String = q.split_whitespace().collect::<String>().to_uppercase();
    let digits = t.len() == 11 && t.chars().all(|c| c.is_ascii_digit());
    let full = t.len() == 16
        && t.chars().all(|c| c.is_ascii_alphanumeric())
        && t.chars().take(6).all(|c| c.is_ascii_alphabetic());
    (digits || full).then_some(t)
}

/// The persons matching `q` the caller may see (at most [`MAX_HITS`]), each with its
/// referrals and cases, and the reads to log.
pub fn search(
    conn: &mut DbConn,
    cx: &Ctx,
    q: &str,
) -> Result<(Page<SearchHit>, Vec<PersonRead>), Error> {
    let mut scope = policy::person_scope(cx.actor)?;
    let q = q.trim();
    if q.chars().count() < MIN_QUERY {
        return Err(Error::validation(
            "q",
            "length",
            text!(
                "scrivi almeno {MIN_QUERY} caratteri del cognome o il codice fiscale",
                "type at least {MIN_QUERY} characters of the surname, or the tax code"
            ),
        ));
    }
    let district = cx.actor.district()?.clone();
    let tax_code = as_tax_code(q);
    // As in the person list: a referrer finds any person of the district by exact code, to
    // refer someone another service registered.
    if cx.actor.role == Role::Referrer && tax_code.is_some() {
        scope = PersonScope::District;
    }
    let filter = PersonFilter {
        name_prefix: if tax_code.is_some() {
            None
        } else {
            Some(fold(q)).filter(|s| !s.is_empty())
        },
        tax_code,
    };
    let mut persons = Person::list(conn, &district, &scope, &filter, None, MAX_HITS)?;
    persons.truncate(MAX_HITS as usize);
    let referral_scope = policy::referral_scope(cx.actor).ok();
    let case_scope = policy::case_scope(cx.actor).ok();
    let mut names: HashMap<OrganizationId, String> = HashMap::new();
    let mut name_of = |conn: &mut DbConn, id: &OrganizationId| -> Result<OrgSummary, Error> {
        if !names.contains_key(id) {
            names.insert(id.clone(), Organization::find(conn, id)?.name);
        }
        Ok(OrgSummary {
            id: id.to_string(),
            name: names[id].clone(),
        })
    };
    let mut hits = Vec::with_capacity(persons.len());
    let mut reads = Vec::with_capacity(persons.len());
    for p in persons {
        let mut referrals = Vec::new();
        if let Some(rs) = &referral_scope {
            let f = ReferralFilter {
                organization_id: match rs {
                    ReferralScope::District => None,
                    ReferralScope::Organization(o) => Some(o.clone()),
                },
                person_id: Some(p.id.clone()),
                exclude_drafts: *rs == ReferralScope::District,
                ..ReferralFilter::default()
            };
            let mut rows = Referral::list(conn, &district, &f, None, 50)?;
            rows.truncate(50);
            rows.reverse();
            for r in rows {
                referrals.push(ReferralHit {
                    organization: name_of(conn, &r.organization_id)?,
                    id: r.id.into(),
                    status: r.status,
                    submitted_at: r.submitted_at.map(utc),
                });
            }
        }
        let mut cases = Vec::new();
        if let Some(cs) = &case_scope {
            let f = CaseFilter {
                agency_id: match cs {
                    CaseScope::District => None,
                    CaseScope::Agency(a) => Some(a.clone()),
                },
                person_id: Some(p.id.clone()),
                ..CaseFilter::default()
            };
            let mut rows = Case::list(conn, &district, &f, None, 50)?;
            rows.truncate(50);
            rows.reverse();
            for c in rows {
                cases.push(CaseHit {
                    agency: name_of(conn, &c.agency_id)?,
                    id: c.id.into(),
                    status: c.status,
                });
            }
        }
        reads.push(PersonRead::new(
            p.id.to_string(),
            &cx.actor.id,
            cx.now.at,
            "search",
        ));
        hits.push(SearchHit {
            person: PersonSummary::from(&p),
            referrals,
            cases,
        });
    }
    Ok((Page::whole(hits), reads))
}

#[cfg(test)]
mod tests {
    use super::as_tax_code;

    #[test]
    fn a_tax_code_is_told_from_a_name() {
        assert_eq!(
            as_tax_code("vrdlgu80a01a794f").as_deref(),
            Some("VRDLGU80A01A794F")
        );
        assert_eq!(as_tax_code("0123456789 0").as_deref(), Some("01234567890"));
        assert_eq!(as_tax_code("Verdi"), None);
        assert_eq!(as_tax_code("Verdi Luigi Mario"), None);
    }
}
