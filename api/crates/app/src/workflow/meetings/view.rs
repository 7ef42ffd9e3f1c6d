//! What the table sees of an open meeting: its agenda (ordine del giorno) — referrals waiting
//! for a decision and cases under review, each with what the table needs to decide it and
//! the decision recorded — loaded with one query per table for the whole agenda,
//! eligibility for every active measure included.

use sistema_lavoro_domain::ids::{CaseId, MeetingId, OrganizationId, ReferralId};
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;
use sistema_lavoro_domain::actions::{Action, BlockedAction};
use sistema_lavoro_domain::eligibility::{self, Reason};
use sistema_lavoro_domain::policy;
use sistema_lavoro_domain::states::{AgendaItemKind, CaseStatus, DecisionKind};
use sistema_lavoro_domain::{Error, Expected};
use sistema_lavoro_store::cases::Case;
use sistema_lavoro_store::measures::{self as mstore, Measure};
use sistema_lavoro_store::meetings::{AgendaItem, Decision, Meeting};
use sistema_lavoro_store::organizations::Organization;
use sistema_lavoro_store::referrals::Referral;
use sistema_lavoro_store::related::Related;
use sistema_lavoro_store::{utc, DbConn};
use utoipa::ToSchema;

use super::{out, visible, MeetingOut};
use crate::workflow::catalogue::{facts_with, rules};
use crate::workflow::referrals::{self as refs, ReferralOut};
use crate::workflow::{OrgSummary, PersonSummary};
use crate::Ctx;

/// A case under review, as the agenda shows it.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct CaseReview {
    /// Identifier of the case (presa in carico), a UUID.
    pub id: String,
    /// The case's state.
    pub status: CaseStatus,
    /// The accredited agency (ente accreditato) following the person now.
    pub agency: OrgSummary,
    /// The person followed.
    pub person: PersonSummary,
    /// When the next follow-up (monitoraggio) is due.
    pub next_due_date: Option<NaiveDate>,
}

/// Whether the referred person fits one active measure today.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct MeasureFit {
    /// The measure (misura).
    pub measure_id: String,
    /// The measure's code, e.g. `DUL`.
    pub measure_code: String,
    /// `true` only if every rule of the measure is met today.
    pub eligible: bool,
    /// One entry per rule checked, met or not, with its reason.
    pub reasons: Vec<Reason>,
}

/// One agenda item with what the table needs to decide it.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct AgendaItemOut {
    /// Identifier of the agenda item, a UUID (used to remove it).
    pub id: String,
    /// A referral to decide, or a case to review.
    pub kind: AgendaItemKind,
    /// The referral (segnalazione) to decide, for referral items.
    pub referral: Option<ReferralOut>,
    /// The case to review, for case-review items.
    pub case: Option<CaseReview>,
    /// The decision recorded so far (esito del tavolo); applied when the meeting closes.
    pub decision: Option<DecisionOut>,
    /// Referral items: the person's eligibility for each active measure of the district,
    /// today (what an `accept` could assign).
    pub eligibility: Vec<MeasureFit>,
    /// `delete` while the meeting is open.
    pub allowed_actions: Vec<Action>,
    /// `delete` once the meeting is closed, with the reason.
    pub blocked_actions: Vec<BlockedAction>,
}

/// The agenda (ordine del giorno).
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct Agenda {
    /// The session (seduta) the agenda belongs to.
    pub meeting: MeetingOut,
    /// The items of the agenda (ordine del giorno).
    pub items: Vec<AgendaItemOut>,
}

pub fn read(conn: &mut DbConn, cx: &Ctx, id: &MeetingId) -> Result<Agenda, Error> {
    let m = visible(conn, cx, id, &Expected::Any)?;
    agenda_of(conn, cx, m)
}

/// The whole agenda of `m`, with a bounded number of queries whatever its length.
pub fn agenda_of(conn: &mut DbConn, cx: &Ctx, m: Meeting) -> Result<Agenda, Error> {
    let items = AgendaItem::of_meeting(conn, &m.id)?;
    let decisions = Decision::of_meeting(conn, &m.id)?;
    let referral_ids: Vec<&ReferralId> = items
        .iter()
        .filter_map(|i| i.referral_id.as_ref())
        .collect();
    let case_ids: Vec<&CaseId> = items.iter().filter_map(|i| i.case_id.as_ref()).collect();
    let referrals = Referral::find_many(conn, &referral_ids)?;
    let related_refs = Related::for_referrals(conn, &referrals)?;
    let cases = Case::find_many(conn, &case_ids)?;
    let related_cases = Related::for_cases(conn, &cases)?;
    let agency_ids: Vec<&OrganizationId> = decisions
        .iter()
        .filter_map(|d| d.agency_id.as_ref())
        .collect();
    let agency_names: HashMap<OrganizationId, String> = Organization::names(conn, &agency_ids)?
        .into_iter()
        .collect();
    let measures = if referrals.is_empty() {
        Vec::new()
    } else {
        Measure::active_of(conn, &m.district_id)?
    };
    let district_codes: HashSet<String> =
        mstore::district_municipality_codes(conn, &m.district_id)?
            .into_iter()
            .collect();
    let (deletable, undeletable) = cx.render(policy::agenda_item_actions(cx.actor, m.status));
    let mut referrals: HashMap<ReferralId, Referral> =
        referrals.into_iter().map(|r| (r.id.clone(), r)).collect();
    let cases: HashMap<CaseId, Case> = cases.into_iter().map(|c| (c.id.clone(), c)).collect();
    let mut out_items = Vec::new();
    for item in items {
        let decision = decisions
            .iter()
            .find(|d| {
                (item.referral_id.is_some() && d.referral_id == item.referral_id)
                    || (item.case_id.is_some() && d.case_id == item.case_id)
            })
            .map(|d| decision_out(d.clone(), &agency_names))
            .transpose()?;
        let mut eligibility = Vec::new();
        let referral = match item
            .referral_id
            .as_deref()
            .and_then(|r| referrals.remove(r))
        {
            Some(r) => {
                let person = related_refs.person(&r.person_id)?;
                let resident = person
                    .residence_municipality_code
                    .as_ref()
                    .is_some_and(|c| district_codes.contains(c));
                let facts = facts_with(person, resident);
                for measure in &measures {
                    let verdict =
                        eligibility::evaluate(&rules(measure), &facts, cx.now.today, cx.lang);
                    eligibility.push(MeasureFit {
                        measure_id: measure.id.clone().into(),
                        measure_code: measure.code.clone(),
                        eligible: verdict.eligible,
                        reasons: verdict.reasons,
                    });
                }
                Some(refs::out_with(conn, cx, &related_refs, r, false)?)
            }
            None => None,
        };
        let case = match item.case_id.as_deref().and_then(|c| cases.get(c)) {
            Some(c) => Some(CaseReview {
                status: c.status,
                agency: OrgSummary {
                    name: related_cases.org_name(&c.agency_id)?,
                    id: c.agency_id.clone().into(),
                },
                person: related_cases.person(&c.person_id)?.into(),
                next_due_date: c.next_due_date,
                id: c.id.clone().into(),
            }),
            None => None,
        };
        out_items.push(AgendaItemOut {
            decision,
            id: item.id.into(),
            kind: item.kind,
            referral,
            case,
            eligibility,
            allowed_actions: deletable.clone(),
            blocked_actions: undeletable.clone(),
        });
    }
    Ok(Agenda {
        meeting: out(conn, cx, m)?,
        items: out_items,
    })
}

/// A decision of the table.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct DecisionOut {
    /// Identifier of the decision, a UUID.
    pub id: String,
    /// The referral decided (referral items).
    pub referral_id: Option<String>,
    /// The case reviewed (case-review items).
    pub case_id: Option<String>,
    /// Esito del tavolo: `accept`, `reject`, `redirect`, `defer`, `request_info`, `reassign` or `confirm`.
    pub decision: DecisionKind,
    /// The agency that takes the case (`accept`, `reassign`).
    pub agency: Option<OrgSummary>,
    /// Measures to propose to the agency (`accept`).
    pub measure_ids: Vec<String>,
    /// Motivazione.
    pub reason: Option<String>,
    /// Who recorded it: a user id.
    pub decided_by: String,
    /// When it was last recorded or replaced (RFC 3339, UTC).
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// A stored decision, with its agency's name from `names`.
pub fn decision_out(
    d: Decision,
    names: &HashMap<OrganizationId, String>,
) -> Result<DecisionOut, Error> {
    let agency = match &d.agency_id {
        Some(a) => Some(OrgSummary {
            id: a.clone().into(),
            name: names
                .get(a)
                .cloned()
                .ok_or_else(|| Error::Internal(format!("organization {a} is missing")))?,
        }),
        None => None,
    };
    Ok(DecisionOut {
        decision: d.decision,
        measure_ids: d.measure_ids.into_iter().map(String::from).collect(),
        updated_at: utc(d.updated_at),
        agency,
        id: d.id.into(),
        referral_id: d.referral_id.map(Into::into),
        case_id: d.case_id.map(Into::into),
        reason: d.reason,
        decided_by: d.decided_by,
    })
}
