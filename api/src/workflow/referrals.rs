//! Referrals: written and submitted by referrers, decided by the monthly table.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::{from_json, hidden, same_district, to_json, Related};
use crate::domain::states::ReferralStatus;
use crate::domain::vocabulary::{Need, Outcome, ReferralSource, Urgency};
use crate::domain::{OrganizationKind, Role};
use crate::http::extract::AuthUser;
use crate::http::problem::ApiError;
use crate::integration::events::{self, EventType};
use crate::store::audit::{self, Transition};
use crate::store::organizations::Organization;
use crate::store::persons::Person;
use crate::store::referrals::Referral;
use crate::store::{new_id, now, utc, write_tx, DbConn};

/// A new referral (segnalazione), saved as a draft.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"person_id": "0193...", "source": "social_worker", "needs": ["work", "training"],
    "reason": "Disoccupato da 18 mesi, cerca lavoro nel settore logistico.", "urgency": "normal"}))]
pub struct ReferralInput {
    /// The person referred.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub person_id: String,
    /// Canale di invio; defaults from the referrer's organization kind.
    pub source: Option<ReferralSource>,
    /// Bisogni: one or more, no repeats.
    #[validate(length(min = 1, max = 8))]
    #[schema(min_items = 1, max_items = 8)]
    pub needs: Vec<Need>,
    /// Motivazione.
    #[validate(length(min = 3, max = 4000))]
    #[schema(min_length = 3, max_length = 4000)]
    pub reason: String,
    /// Default `normal`.
    pub urgency: Option<Urgency>,
}

/// Changes to a draft (or a referral sent back for information).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct ReferralPatch {
    pub source: Option<ReferralSource>,
    #[validate(length(min = 1, max = 8))]
    #[schema(min_items = 1, max_items = 8)]
    pub needs: Option<Vec<Need>>,
    #[validate(length(min = 3, max = 4000))]
    #[schema(min_length = 3, max_length = 4000)]
    pub reason: Option<String>,
    pub urgency: Option<Urgency>,
}

/// Why an action is taken (optional unless stated).
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
pub struct ActionNote {
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
}

/// A person, as referrals and cases show them.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonSummary {
    pub id: String,
    pub tax_code: String,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: chrono::NaiveDate,
}

impl From<&Person> for PersonSummary {
    fn from(p: &Person) -> Self {
        PersonSummary {
            id: p.id.clone(),
            tax_code: p.tax_code.clone(),
            first_name: p.first_name.clone(),
            last_name: p.last_name.clone(),
            birth_date: p.birth_date,
        }
    }
}

/// An organization, by id and name.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgSummary {
    pub id: String,
    pub name: String,
}

/// What a referrer may know of the case its referral became: no diary.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseSummary {
    pub id: String,
    pub status: crate::domain::states::CaseStatus,
    pub agency: OrgSummary,
    pub outcome: Option<Outcome>,
    pub closed_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// One recorded transition.
#[derive(Debug, Serialize, ToSchema)]
pub struct StateChangeOut {
    pub action: String,
    pub from: Option<String>,
    pub to: String,
    pub reason: Option<String>,
    pub actor_id: Option<String>,
    pub at: chrono::DateTime<chrono::Utc>,
}

impl From<audit::StateChange> for StateChangeOut {
    fn from(s: audit::StateChange) -> Self {
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

/// A referral.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralOut {
    pub id: String,
    pub person: PersonSummary,
    /// The referring organization.
    pub organization: OrgSummary,
    pub created_by: String,
    pub source: ReferralSource,
    pub needs: Vec<Need>,
    pub reason: String,
    pub urgency: Urgency,
    pub status: ReferralStatus,
    /// The table's reason for the last decision (rejection, redirection, request for information, deferral).
    pub status_note: Option<String>,
    /// The meeting that has it (or had it) on its agenda.
    pub meeting_id: Option<String>,
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The case it became, once accepted.
    pub case: Option<CaseSummary>,
    /// Its transitions, oldest first (single-referral reads only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<StateChangeOut>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

pub fn out(conn: &mut DbConn, r: Referral, with_history: bool) -> Result<ReferralOut, ApiError> {
    let related = Related::for_referrals(conn, std::slice::from_ref(&r))?;
    out_with(conn, &related, r, with_history)
}

/// `out` with what the referral shows already loaded (for pages: see [`Related`]).
pub fn out_with(
    conn: &mut DbConn,
    related: &Related,
    r: Referral,
    with_history: bool,
) -> Result<ReferralOut, ApiError> {
    let person = related.person(&r.person_id)?;
    let case = match related.case_of(&r.id) {
        Some(c) => Some(CaseSummary {
            agency: OrgSummary {
                name: related.org_name(&c.agency_id)?,
                id: c.agency_id.clone(),
            },
            status: crate::domain::states::CaseStatus::from_db(&c.status)?,
            outcome: c.outcome.as_deref().map(Outcome::from_db).transpose()?,
            closed_at: c.closed_at.map(utc),
            id: c.id.clone(),
        }),
        None => None,
    };
    let history = if with_history {
        Some(
            audit::history(conn, "referral", std::slice::from_ref(&r.id))?
                .into_iter()
                .map(Into::into)
                .collect(),
        )
    } else {
        None
    };
    Ok(ReferralOut {
        person: person.into(),
        organization: OrgSummary {
            name: related.org_name(&r.organization_id)?,
            id: r.organization_id.clone(),
        },
        source: ReferralSource::from_db(&r.source)?,
        needs: from_json(&r.needs)?,
        urgency: Urgency::from_db(&r.urgency)?,
        status: ReferralStatus::from_db(&r.status)?,
        submitted_at: r.submitted_at.map(utc),
        created_at: utc(r.created_at),
        updated_at: utc(r.updated_at),
        case,
        history,
        id: r.id,
        created_by: r.created_by,
        reason: r.reason,
        status_note: r.status_note,
        meeting_id: r.meeting_id,
    })
}

fn default_source(kind: &str) -> ReferralSource {
    match OrganizationKind::parse(kind) {
        Some(OrganizationKind::SocialService) => ReferralSource::SocialWorker,
        Some(OrganizationKind::FrontDesk) => ReferralSource::FrontDesk,
        Some(OrganizationKind::Cpi) => ReferralSource::Cpi,
        _ => ReferralSource::Territory,
    }
}

fn unique_needs(needs: &[Need]) -> Result<(), ApiError> {
    let mut seen = Vec::new();
    for (i, n) in needs.iter().enumerate() {
        if seen.contains(n) {
            return Err(ApiError::validation(
                &format!("needs[{i}]"),
                "duplicate",
                format!("{n} is listed twice"),
            ));
        }
        seen.push(*n);
    }
    Ok(())
}

fn require_referrer(user: &AuthUser) -> Result<&str, ApiError> {
    if user.role != Role::Referrer {
        return Err(ApiError::Forbidden(
            "only referrers write and submit referrals".into(),
        ));
    }
    user.organization()
}

pub fn create(
    conn: &mut DbConn,
    user: &AuthUser,
    i: ReferralInput,
) -> Result<ReferralOut, ApiError> {
    let org_id = require_referrer(user)?.to_string();
    let district = user.district()?.to_string();
    unique_needs(&i.needs)?;
    write_tx(conn, |conn| {
        // Any person of the district may be referred (the referrer may have found them by
        // tax code); the referral then makes the person visible to the referrer.
        let person = Person::find(conn, &i.person_id)
            .ok()
            .filter(|p| p.district_id == district)
            .ok_or_else(|| {
                ApiError::validation(
                    "person_id",
                    "unknown",
                    "no person of the district has this id",
                )
            })?;
        let org = Organization::find(conn, &org_id)?;
        let at = now();
        let r = Referral {
            id: new_id(),
            district_id: district.clone(),
            person_id: person.id,
            organization_id: org_id.clone(),
            created_by: user.id.clone(),
            source: i
                .source
                .unwrap_or_else(|| default_source(&org.kind))
                .as_str()
                .into(),
            needs: to_json(&i.needs),
            reason: i.reason.trim().into(),
            urgency: i.urgency.unwrap_or(Urgency::Normal).as_str().into(),
            status: ReferralStatus::Draft.as_str().into(),
            meeting_id: None,
            status_note: None,
            submitted_at: None,
            created_at: at,
            updated_at: at,
        };
        Referral::insert(conn, &r)?;
        audit::record(
            conn,
            Transition {
                entity_type: "referral",
                entity_id: &r.id,
                action: "create",
                from: None,
                to: &r.status,
                reason: None,
                actor_id: Some(&user.id),
            },
        )?;
        out(conn, r, false)
    })
}

/// A referral the caller may see: the coordinator all of the district, a referrer its
/// organization's. Everyone else: `404`.
pub fn visible(conn: &mut DbConn, user: &AuthUser, id: &str) -> Result<Referral, ApiError> {
    let r = visible_unchecked(conn, user, id)?;
    crate::http::precondition::check(&r.id, r.updated_at)?;
    Ok(r)
}

fn visible_unchecked(conn: &mut DbConn, user: &AuthUser, id: &str) -> Result<Referral, ApiError> {
    let r = Referral::find(conn, id).map_err(|_| hidden())?;
    same_district(user, &r.district_id)?;
    match user.role {
        // A draft is the referrer's until it is submitted.
        Role::Coordinator if r.status != ReferralStatus::Draft.as_str() => Ok(r),
        Role::Referrer if user.organization_id.as_deref() == Some(r.organization_id.as_str()) => {
            Ok(r)
        }
        _ => Err(hidden()),
    }
}

/// Moves a referral to `to`, if nobody moved it first, and records who, when and why.
pub fn transition(
    conn: &mut DbConn,
    r: &mut Referral,
    action: &str,
    to: ReferralStatus,
    reason: Option<&str>,
    actor: &str,
) -> Result<(), ApiError> {
    audit::move_to(conn, r, action, to.as_str(), reason, actor).map(drop)
}

pub fn update(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    p: ReferralPatch,
) -> Result<ReferralOut, ApiError> {
    require_referrer(user)?;
    if let Some(n) = &p.needs {
        unique_needs(n)?;
    }
    write_tx(conn, |conn| {
        let mut r = visible(conn, user, id)?;
        ReferralStatus::from_db(&r.status)?.edit()?;
        let before = r.clone();
        if let Some(s) = p.source {
            r.source = s.as_str().into();
        }
        if let Some(n) = &p.needs {
            r.needs = to_json(n);
        }
        if let Some(reason) = &p.reason {
            r.reason = reason.trim().into();
        }
        if let Some(u) = p.urgency {
            r.urgency = u.as_str().into();
        }
        let changed = audit::changed_fields(&before, &r);
        if changed.is_empty() {
            return out(conn, r, false);
        }
        r.updated_at = now();
        let status = r.status.clone();
        if !Referral::save_if(conn, &r, &status)? {
            return Err(ApiError::conflict(
                "concurrent_update",
                "the referral was changed meanwhile; reload it",
            ));
        }
        audit::record_update(
            conn,
            "referral",
            &r.id,
            Some(&status),
            &changed.join(", "),
            &user.id,
        )?;
        out(conn, r, false)
    })
}

pub fn submit(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    note: ActionNote,
) -> Result<ReferralOut, ApiError> {
    require_referrer(user)?;
    write_tx(conn, |conn| {
        let mut r = visible(conn, user, id)?;
        let to = ReferralStatus::from_db(&r.status)?.submit()?;
        r.submitted_at = Some(now());
        r.meeting_id = None;
        transition(conn, &mut r, "submit", to, note.reason.as_deref(), &user.id)?;
        let mut to_orgs = events::planning_offices(conn, &r.district_id)?;
        to_orgs.push(r.organization_id.clone());
        events::emit(
            conn,
            &r.district_id,
            EventType::ReferralSubmitted,
            events::data(&[
                ("referral_id", r.id.clone().into()),
                ("status", r.status.clone().into()),
            ]),
            &to_orgs,
        )?;
        out(conn, r, false)
    })
}

pub fn withdraw(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    note: ActionNote,
) -> Result<ReferralOut, ApiError> {
    require_referrer(user)?;
    write_tx(conn, |conn| {
        let mut r = visible(conn, user, id)?;
        let to = ReferralStatus::from_db(&r.status)?.withdraw()?;
        transition(
            conn,
            &mut r,
            "withdraw",
            to,
            note.reason.as_deref(),
            &user.id,
        )?;
        out(conn, r, false)
    })
}
