//! The authorization policy, in one place: what an actor may see (else `404`, never a hint
//! that the record exists) and do (else `403`), used by list filters, single reads and the
//! `allowed_actions` of every detail response alike.
//!
//! What a record's state allows is the state machines' business ([`crate::states`]); the
//! action lists below ask them, so the API and its clients can never disagree.

use crate::actions::{Action, Actions, Reason};
use crate::i18n::Text;
use crate::ids::{DistrictId, OrganizationId};
use crate::states::{ActivationStatus, CaseStatus, MeetingStatus, ReferralStatus};
use crate::values::Cents;
use crate::vocabulary::OutcomeCheckStatus;
use crate::{text, Actor, Error, Role, Scope};

fn forbidden(what: Text) -> Error {
    Error::Forbidden(what)
}

/// "The {role} role does not …", in both languages.
fn role_may_not(r: Role, it: &str, en: &str) -> Error {
    let ruolo = r.label_it();
    forbidden(text!(
        "il ruolo {ruolo} non {it}",
        "the {r} role does not {en}"
    ))
}

/// A client without the scope the operation needs.
fn lacks_scope(scope: &str) -> Error {
    forbidden(text!(
        "a questo client manca lo scope {scope}",
        "this client lacks the {scope} scope"
    ))
}

/// An integration client may write only with the write scope of the resource.
fn may_write(a: &Actor, scope: Scope) -> bool {
    a.scopes.as_ref().is_none_or(|s| s.contains(&scope))
}

// ------------------------------------------------------------------ referrals

/// Which referrals a caller's lists hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferralScope {
    /// The coordinator: every referral of the district but drafts.
    District,
    /// A referrer: the organization's, drafts included.
    Organization(OrganizationId),
}

pub fn referral_scope(a: &Actor) -> Result<ReferralScope, Error> {
    match a.role {
        Role::Coordinator => Ok(ReferralScope::District),
        Role::Referrer => Ok(ReferralScope::Organization(a.organization()?.clone())),
        r => Err(role_may_not(r, "vede le segnalazioni", "see referrals")),
    }
}

/// What visibility of a referral depends on.
#[derive(Debug, Clone, Copy)]
pub struct ReferralFacts<'a> {
    pub district_id: &'a DistrictId,
    pub organization_id: &'a OrganizationId,
    pub status: ReferralStatus,
}

/// A draft is its referrer's until it is submitted.
pub fn sees_referral(a: &Actor, r: &ReferralFacts) -> bool {
    a.in_district(r.district_id)
        && match referral_scope(a) {
            Ok(ReferralScope::District) => r.status != ReferralStatus::Draft,
            Ok(ReferralScope::Organization(o)) => &o == r.organization_id,
            Err(_) => false,
        }
}

/// Only the referring organization's referrers write, submit and withdraw.
fn refers(a: &Actor, r: &ReferralFacts) -> bool {
    a.role == Role::Referrer
        && a.organization_id.as_ref() == Some(r.organization_id)
        && may_write(a, Scope::ReferralsWrite)
}

pub fn referral_actions(a: &Actor, r: &ReferralFacts) -> Actions {
    let mut out = Actions::default();
    if refers(a, r) {
        let s = r.status;
        out.by_state(Action::Edit, "referral", s.as_str(), s.edit().is_ok());
        out.by_state(Action::Submit, "referral", s.as_str(), s.submit().is_ok());
        out.by_state(
            Action::Withdraw,
            "referral",
            s.as_str(),
            s.withdraw().is_ok(),
        );
    }
    if may_attach_to_referral(a, r).is_ok() {
        out.allow(Action::UploadDocument);
    }
    out
}

pub fn may_write_referrals(a: &Actor) -> Result<&OrganizationId, Error> {
    if a.role != Role::Referrer {
        return Err(forbidden(text!(
            "solo i segnalanti scrivono e inviano segnalazioni",
            "only referrers write and submit referrals"
        )));
    }
    if !may_write(a, Scope::ReferralsWrite) {
        return Err(lacks_scope("referrals:write"));
    }
    a.organization()
}

/// Who writes a new referral: a referrer for its own organization, or the coordinator
/// (Ufficio di Piano) recording one that arrived by phone, letter, e-mail or in person on
/// behalf of the sending service (`Some(organization)` is then the referrer's own).
pub fn may_create_referral(a: &Actor) -> Result<Option<&OrganizationId>, Error> {
    if a.role == Role::Coordinator {
        return Ok(None);
    }
    may_write_referrals(a).map(Some)
}

// ---------------------------------------------------------------------- cases

/// Which cases a caller's lists hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseScope {
    /// The coordinator: the district's.
    District,
    /// An agency operator: the agency's.
    Agency(OrganizationId),
}

/// Referrers see a case only through their referral (status, agency, outcome).
pub fn case_scope(a: &Actor) -> Result<CaseScope, Error> {
    match a.role {
        Role::Coordinator => Ok(CaseScope::District),
        Role::AgencyOperator => Ok(CaseScope::Agency(a.organization()?.clone())),
        r => Err(role_may_not(r, "vede i casi", "see cases")),
    }
}

pub fn sees_case(a: &Actor, district_id: &DistrictId, agency_id: &OrganizationId) -> bool {
    a.in_district(district_id)
        && match case_scope(a) {
            Ok(CaseScope::District) => true,
            Ok(CaseScope::Agency(ag)) => &ag == agency_id,
            Err(_) => false,
        }
}

/// Who works a case day by day — takes charge, proposes and runs its measures, writes the
/// diary, suspends, closes, records the outcome checks: the agency following it (clients need
/// `cases:write`). The coordinator supervises: it sees every case and approves measures
/// against the thresholds ([`may_approve_measures`]), but does not do the agency's work.
pub fn may_work_on_cases(a: &Actor) -> Result<(), Error> {
    match a.role {
        Role::AgencyOperator if may_write(a, Scope::CasesWrite) => Ok(()),
        Role::AgencyOperator => Err(lacks_scope("cases:write")),
        Role::Coordinator => Err(forbidden(text!(
            "l'Ufficio di Piano supervisiona i casi: prendere in carico, attivare e gestire le \
             misure, scrivere il diario, sospendere e chiudere il caso spetta all'ente \
             accreditato che segue la persona",
            "the coordinator (Ufficio di Piano) supervises cases: taking charge, activating and \
             running measures, writing the diary, suspending and closing belong to the agency \
             following the person"
        ))),
        r => Err(role_may_not(r, "lavora sui casi", "work on cases")),
    }
}

/// Who approves a proposed measure against the agency's threshold: the agency following the
/// case, or the coordinator who keeps the thresholds (clients need `cases:write`).
pub fn may_approve_measures(a: &Actor) -> Result<(), Error> {
    match a.role {
        Role::Coordinator | Role::AgencyOperator if may_write(a, Scope::CasesWrite) => Ok(()),
        Role::Coordinator | Role::AgencyOperator => Err(lacks_scope("cases:write")),
        r => Err(role_may_not(r, "approva le misure", "approve measures")),
    }
}

/// What the actions on a case depend on besides its state.
#[derive(Debug, Clone, Copy)]
pub struct CaseFacts {
    pub status: CaseStatus,
    /// Measures proposed, approved or running.
    pub open_activations: usize,
}

pub fn case_actions(a: &Actor, c: &CaseFacts) -> Actions {
    let mut out = Actions::default();
    let s = c.status;
    let attach = may_attach_to_case(a, s).is_ok();
    if may_work_on_cases(a).is_err() {
        // The coordinator supervises: it files documents, the agency works the case.
        if attach {
            out.allow(Action::UploadDocument);
        }
        return out;
    }
    let st = s.as_str();
    out.by_state(Action::TakeCharge, "case", st, s.take_charge().is_ok());
    out.by_state(Action::Suspend, "case", st, s.suspend().is_ok());
    out.by_state(
        Action::Resume,
        "case",
        st,
        s.resume(CaseStatus::InCharge).is_ok(),
    );
    if s.close().is_err() {
        out.block(Action::Close, Reason::state("case", st));
    } else if c.open_activations > 0 {
        out.block(Action::Close, Reason::MeasuresOpen(c.open_activations));
    } else {
        out.allow(Action::Close);
    }
    out.by_state(Action::AddFollowUp, "case", st, s.follow_up().is_ok());
    out.by_state(
        Action::AddActivation,
        "case",
        st,
        s.propose_measure().is_ok(),
    );
    out.by_state(Action::AddSharedResponseProposal, "case", st, s.is_open());
    out.by_state(Action::AddOpportunityProposal, "case", st, s.is_open());
    if attach {
        out.allow(Action::UploadDocument);
    }
    if may_edit_service_pact(a).is_ok() {
        out.by_state(
            Action::EditServicePact,
            "case",
            st,
            service_pact_editable(s),
        );
    }
    out
}

// -------------------------------------------------------------- service pact

/// Who revises a case's service pact (patto di servizio): the agency that works the case
/// (its operators, clients with `cases:write`). The coordinator reads it; seeing the case is
/// [`sees_case`]'s (else `404`).
pub fn may_edit_service_pact(a: &Actor) -> Result<(), Error> {
    match a.role {
        Role::AgencyOperator if may_write(a, Scope::CasesWrite) => Ok(()),
        Role::AgencyOperator => Err(lacks_scope("cases:write")),
        r => Err(role_may_not(
            r,
            "modifica il patto di servizio: lo fa l'ente che segue il caso",
            "revise the service pact: the agency following the case does",
        )),
    }
}

/// A pact is revised while the case is taken in charge and open (signed at take-charge,
/// frozen once closed; before take-charge there is none).
pub fn service_pact_editable(s: CaseStatus) -> bool {
    matches!(
        s,
        CaseStatus::InCharge | CaseStatus::Active | CaseStatus::Monitoring | CaseStatus::Suspended
    )
}

// ------------------------------------------------------------------ documents

/// Who attaches documents (curriculum, attestati) to a referral: its referrer while the
/// referral is open (not yet decided or withdrawn), and the coordinator who sees it. The
/// caller must see the referral first ([`sees_referral`]; else `404`).
pub fn may_attach_to_referral(a: &Actor, r: &ReferralFacts) -> Result<(), Error> {
    match a.role {
        Role::Referrer if refers(a, r) && !r.status.is_final() => Ok(()),
        Role::Referrer if refers(a, r) => Err(forbidden(text!(
            "la segnalazione è chiusa: non si possono più allegare documenti",
            "the referral is closed: documents can no longer be attached"
        ))),
        Role::Coordinator if may_write(a, Scope::ReferralsWrite) => Ok(()),
        Role::Coordinator | Role::Referrer => Err(lacks_scope("referrals:write")),
        r => Err(role_may_not(
            r,
            "allega documenti alle segnalazioni",
            "attach documents to referrals",
        )),
    }
}

/// Who attaches documents to a case: those who work on it (the coordinator, the agency
/// following it — [`sees_case`] decides which), while it is open.
pub fn may_attach_to_case(a: &Actor, status: CaseStatus) -> Result<(), Error> {
    // The coordinator files documents on the cases it supervises (minutes, certificates).
    may_approve_measures(a)?;
    if status.is_open() {
        Ok(())
    } else {
        Err(forbidden(text!(
            "il caso è chiuso: non si possono più allegare documenti",
            "the case is closed: documents can no longer be attached"
        )))
    }
}

/// Integration clients read documents with the read scope of the record they belong to.
pub fn may_read_documents(a: &Actor, scope: Scope) -> bool {
    a.scopes.as_ref().is_none_or(|s| s.contains(&scope))
}

/// A document is removed by whoever uploaded it, or by the coordinator.
pub fn may_delete_document(a: &Actor, uploaded_by: &str) -> Result<(), Error> {
    if a.id == uploaded_by || (a.role == Role::Coordinator && !a.is_client()) {
        Ok(())
    } else {
        Err(forbidden(text!(
            "un documento può essere eliminato solo da chi lo ha caricato o dall'Ufficio di Piano",
            "only the uploader or the coordinator may delete a document"
        )))
    }
}

pub fn document_actions(a: &Actor, uploaded_by: &str) -> Actions {
    let mut out = Actions::default();
    if may_delete_document(a, uploaded_by).is_ok() {
        out.allow(Action::Delete);
    }
    out
}

// ---------------------------------------------------------------- activations

/// Whether an approval would fit the agency's budget today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetCheck {
    /// The threshold has room for the amount.
    Fits,
    /// No threshold of the agency covers the measure today.
    NoThreshold,
    /// What is left of the threshold is less than the amount.
    Exhausted { remaining: Cents },
}

/// What the actions on an activation depend on besides its state.
#[derive(Debug, Clone, Copy)]
pub struct ActivationFacts {
    pub status: ActivationStatus,
    pub case_status: CaseStatus,
    /// For proposed activations: does the person meet the measure's rules today?
    pub eligible: bool,
    /// For proposed activations: does the amount fit the threshold?
    pub budget: BudgetCheck,
}

pub fn activation_actions(a: &Actor, f: &ActivationFacts) -> Actions {
    let mut out = Actions::default();
    if may_approve_measures(a).is_err() {
        return out;
    }
    let works = may_work_on_cases(a).is_ok();
    let s = f.status;
    let st = s.as_str();
    // Measures are proposed, edited and approved only while the case is worked on.
    let case_workable = f.case_status.propose_measure().is_ok();
    let gated = |out: &mut Actions, action: Action, by_state: bool| {
        if !by_state {
            out.block(action, Reason::state("activation", st));
        } else if !case_workable {
            out.block(action, Reason::state("case", f.case_status.as_str()));
        } else {
            out.allow(action);
        }
    };
    if works {
        gated(&mut out, Action::Edit, s == ActivationStatus::Proposed);
    }
    if s.approve().is_err() {
        out.block(Action::Approve, Reason::state("activation", st));
    } else if !case_workable {
        out.block(
            Action::Approve,
            Reason::state("case", f.case_status.as_str()),
        );
    } else if !f.eligible {
        out.block(Action::Approve, Reason::NotEligible);
    } else {
        match f.budget {
            BudgetCheck::Fits => out.allow(Action::Approve),
            BudgetCheck::NoThreshold => out.block(Action::Approve, Reason::NoThreshold),
            BudgetCheck::Exhausted { remaining } => {
                out.block(Action::Approve, Reason::ThresholdExhausted { remaining })
            }
        }
    }
    if !works {
        return out;
    }
    if s.start().is_err() {
        out.block(Action::Start, Reason::state("activation", st));
    } else if f.case_status.measure_started().is_err() {
        out.block(Action::Start, Reason::state("case", f.case_status.as_str()));
    } else {
        out.allow(Action::Start);
    }
    out.by_state(Action::Complete, "activation", st, s.complete().is_ok());
    out.by_state(Action::Interrupt, "activation", st, s.interrupt().is_ok());
    out.by_state(Action::Cancel, "activation", st, s.cancel().is_ok());
    out
}

// ------------------------------------------------------------------- meetings

/// The Ufficio di Piano runs the monthly table and keeps the catalogue and thresholds.
pub fn may_run_the_table(a: &Actor) -> Result<(), Error> {
    if a.role == Role::Coordinator {
        Ok(())
    } else {
        Err(forbidden(text!(
            "questa operazione spetta solo all'Ufficio di Piano",
            "only the coordinator (Ufficio di Piano) does this"
        )))
    }
}

/// What the actions on a meeting depend on besides its state.
#[derive(Debug, Clone, Copy)]
pub struct MeetingFacts {
    pub status: MeetingStatus,
    /// Another meeting of the same network is open (only one at a time).
    pub other_open: bool,
    /// How the caller sees the meeting.
    pub view: MeetingView,
    /// A session of the monthly table (referrals and case reviews on its agenda).
    pub table: bool,
}

pub fn meeting_actions(_a: &Actor, m: &MeetingFacts) -> Actions {
    let mut out = Actions::default();
    if m.view != MeetingView::Manage {
        return out;
    }
    let s = m.status;
    let st = s.as_str();
    out.by_state(Action::Edit, "meeting", st, s.edit().is_ok());
    if s.open().is_err() {
        out.block(Action::Open, Reason::state("meeting", st));
    } else if m.other_open {
        out.block(Action::Open, Reason::AnotherMeetingOpen);
    } else {
        out.allow(Action::Open);
    }
    if m.table {
        out.by_state(Action::AddAgendaItem, "meeting", st, s.record().is_ok());
        out.by_state(Action::AddDecision, "meeting", st, s.record().is_ok());
    }
    out.by_state(Action::AddActionItem, "meeting", st, s.record().is_ok());
    out.by_state(Action::Close, "meeting", st, s.close().is_ok());
    out
}

/// An agenda item can be taken off while the meeting is open.
pub fn agenda_item_actions(a: &Actor, meeting: MeetingStatus) -> Actions {
    let mut out = Actions::default();
    if may_run_the_table(a).is_ok() {
        out.by_state(
            Action::Delete,
            "meeting",
            meeting.as_str(),
            meeting.record().is_ok(),
        );
    }
    out
}

/// An outcome check (3, 6, 12 months after closing) is recorded once, by those who work on
/// cases.
pub fn outcome_check_actions(a: &Actor, status: OutcomeCheckStatus) -> Actions {
    let mut out = Actions::default();
    if may_work_on_cases(a).is_ok() {
        out.by_state(
            Action::Record,
            "outcome_check",
            status.as_str(),
            status == OutcomeCheckStatus::Due,
        );
    }
    out
}

// ---------------------------------------------------- catalogue and thresholds

/// Measures and thresholds are edited by the coordinator.
pub fn catalogue_actions(a: &Actor) -> Actions {
    let mut out = Actions::default();
    if may_run_the_table(a).is_ok() {
        out.allow(Action::Edit);
    }
    out
}

/// Which thresholds a caller sees: the coordinator all of the district (optionally one
/// agency's), an agency operator its own.
pub fn threshold_agency(
    a: &Actor,
    requested: Option<OrganizationId>,
) -> Result<Option<OrganizationId>, Error> {
    match a.role {
        Role::Coordinator => Ok(requested),
        Role::AgencyOperator => Ok(Some(a.organization()?.clone())),
        r => Err(role_may_not(r, "vede le soglie", "see thresholds")),
    }
}

pub fn sees_threshold(a: &Actor, district_id: &DistrictId, agency_id: &OrganizationId) -> bool {
    a.in_district(district_id)
        && match a.role {
            Role::Coordinator => true,
            Role::AgencyOperator => a.organization_id.as_ref() == Some(agency_id),
            _ => false,
        }
}

/// The catalogue is read by everyone who works in the district; administrators keep
/// accounts, not cases.
pub fn may_read_catalogue(a: &Actor) -> Result<(), Error> {
    match a.role {
        Role::Admin => Err(forbidden(text!(
            "l'amministratore gestisce gli account, non il catalogo",
            "the administrator keeps accounts, not the catalogue"
        ))),
        _ => Ok(()),
    }
}

// -------------------------------------------------------------------- persons

/// Which persons a caller may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonScope {
    /// Every person of the district (coordinator).
    District,
    /// Persons created by, or referred by, this organization (referrer).
    Referrer { organization_id: OrganizationId },
    /// Persons with a case at this agency (agency operator).
    Agency { agency_id: OrganizationId },
}

pub fn person_scope(a: &Actor) -> Result<PersonScope, Error> {
    match a.role {
        Role::Coordinator => Ok(PersonScope::District),
        Role::Referrer => Ok(PersonScope::Referrer {
            organization_id: a.organization()?.clone(),
        }),
        Role::AgencyOperator => Ok(PersonScope::Agency {
            agency_id: a.organization()?.clone(),
        }),
        r => Err(role_may_not(r, "vede le persone", "see persons")),
    }
}

/// Special categories (GDPR art. 9 disability, art. 10 criminal justice) are for those who
/// work with the person: the coordinator, the agency following the case, and the
/// organization that registered the person (`registered_by`, the creator's organization).
pub fn sees_special_categories(a: &Actor, registered_by: Option<&OrganizationId>) -> bool {
    match a.role {
        Role::Coordinator | Role::AgencyOperator => true,
        Role::Referrer => registered_by.is_some() && a.organization_id.as_ref() == registered_by,
        _ => false,
    }
}

/// Who corrects a person's data: whoever sees the person and works with them.
pub fn may_edit_persons(a: &Actor) -> Result<(), Error> {
    match a.role {
        Role::Coordinator | Role::AgencyOperator => Ok(()),
        Role::Referrer if may_write(a, Scope::ReferralsWrite) => Ok(()),
        Role::Referrer => Err(lacks_scope("referrals:write")),
        r => Err(role_may_not(r, "modifica le persone", "edit persons")),
    }
}

/// Who corrects this person's record: the district's coordinator, and the organization that
/// registered it (`registered_by`: its users who may edit persons, its clients with
/// `referrals:write`). Seeing the person — through a referral of one's own, even a draft, or a
/// case — grants no write.
pub fn may_edit_person(a: &Actor, registered_by: Option<&OrganizationId>) -> Result<(), Error> {
    may_edit_persons(a)?;
    if a.role == Role::Coordinator {
        return Ok(());
    }
    match (a.organization_id.as_ref(), registered_by) {
        (Some(mine), Some(theirs)) if mine == theirs => Ok(()),
        _ => Err(forbidden(text!(
            "solo l'ente che ha registrato la persona e il coordinatore dell'Ambito ne \
             modificano i dati",
            "only the organization that registered the person and the district's coordinator \
             change their record"
        ))),
    }
}

pub fn person_actions(a: &Actor, registered_by: Option<&OrganizationId>) -> Actions {
    let mut out = Actions::default();
    if may_edit_person(a, registered_by).is_ok() {
        out.allow(Action::Edit);
    }
    out
}

// ------------------------------------------------------------- audit log

/// Which part of the audit log a reader sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditScope {
    /// The reader's district.
    pub district_id: DistrictId,
    /// Also the events of no district (failed sign-ins of unknown e-mails, the administrator's
    /// work): the DPO's, not the coordinator's.
    pub with_unassigned: bool,
}

/// Who reads (and exports) the audit log: the district's DPO (`privacy_officer`), and the
/// coordinator for its district. Never integration clients.
/// Who verifies the audit log's hash chain over HTTP: the DPO (the operator has the
/// `verify-audit` command). The chain is the installation's, its answer holds no personal data.
pub fn may_verify_audit(a: &Actor) -> Result<(), Error> {
    if !a.is_client() && a.role == Role::PrivacyOfficer {
        Ok(())
    } else {
        Err(forbidden(text!(
            "solo il responsabile della protezione dei dati verifica la catena del registro",
            "only the data protection officer verifies the audit log's chain"
        )))
    }
}

pub fn may_read_audit(a: &Actor) -> Result<AuditScope, Error> {
    if a.is_client() {
        return Err(forbidden(text!(
            "i client di integrazione non leggono il registro degli accessi",
            "integration clients do not read the audit log"
        )));
    }
    match a.role {
        Role::PrivacyOfficer => Ok(AuditScope {
            district_id: a.district()?.clone(),
            with_unassigned: true,
        }),
        Role::Coordinator => Ok(AuditScope {
            district_id: a.district()?.clone(),
            with_unassigned: false,
        }),
        r => Err(role_may_not(
            r,
            "legge il registro degli accessi",
            "read the audit log",
        )),
    }
}

// ------------------------------------------------------------- administration

pub fn may_administer(a: &Actor) -> Result<(), Error> {
    if a.role == Role::Admin && !a.is_client() {
        Ok(())
    } else {
        Err(forbidden(text!(
            "questa operazione spetta solo all'amministratore",
            "only the administrator does this"
        )))
    }
}

/// A district is visible to the administrator and to its own users.
pub fn sees_district(a: &Actor, district_id: &DistrictId) -> bool {
    a.role == Role::Admin || a.in_district(district_id)
}

pub fn admin_actions(a: &Actor) -> Actions {
    let mut out = Actions::default();
    if may_administer(a).is_ok() {
        out.allow(Action::Edit);
    }
    out
}

pub fn district_actions(a: &Actor, district_id: &DistrictId) -> Actions {
    let mut out = admin_actions(a);
    let coordinates = a.role == Role::Coordinator && a.in_district(district_id);
    if may_administer(a).is_ok() || coordinates {
        out.allow(Action::SetMunicipalities);
    }
    out
}

/// Who sets which municipalities make up a district.
pub fn may_set_municipalities(a: &Actor, district_id: &DistrictId) -> Result<(), Error> {
    match a.role {
        Role::Admin if !a.is_client() => Ok(()),
        Role::Coordinator if !a.is_client() && a.in_district(district_id) => Ok(()),
        _ => Err(forbidden(text!(
            "i comuni dell'Ambito sono stabiliti dall'amministratore o dal suo Ufficio di Piano",
            "the district's municipalities are set by the administrator or its coordinator"
        ))),
    }
}

pub fn client_actions(a: &Actor, active: bool) -> Actions {
    let mut out = Actions::default();
    if may_administer(a).is_ok() {
        out.by_state(Action::RotateSecret, "client", "revoked", active);
        out.by_state(Action::Revoke, "client", "revoked", active);
    }
    out
}

// -------------------------------------------------------------------- reports

pub fn may_read_reports(a: &Actor) -> Result<(), Error> {
    match a.role {
        Role::Observer | Role::Coordinator if !a.is_client() => Ok(()),
        _ => Err(forbidden(text!(
            "i report sono riservati all'osservatorio e all'Ufficio di Piano",
            "reports are for the observatory and the coordinator"
        ))),
    }
}

// ------------------------------------------------------------------- webhooks

/// Whose subscriptions the caller manages: admins any organization's (named), the coordinator
/// and integration clients their own organization's.
pub fn webhook_organization(
    a: &Actor,
    requested: Option<&OrganizationId>,
) -> Result<OrganizationId, Error> {
    match a.role {
        Role::Admin if !a.is_client() => requested.cloned().ok_or_else(|| {
            Error::validation(
                "organization_id",
                "required",
                text!(
                    "obbligatorio per un amministratore",
                    "is required for an administrator"
                ),
            )
        }),
        _ if !a.is_client() && a.role != Role::Coordinator => Err(forbidden(text!(
            "i webhook sono gestiti dall'amministratore, dall'Ufficio di Piano o da un client \
             di integrazione",
            "webhooks are managed by the administrator, the coordinator or an integration client"
        ))),
        _ if !may_write(a, Scope::WebhooksManage) => Err(lacks_scope("webhooks:manage")),
        _ => {
            let own = a.organization()?;
            match requested {
                Some(r) if r != own => Err(forbidden(text!(
                    "si possono gestire solo i webhook del proprio ente",
                    "you manage only your organization's webhooks"
                ))),
                _ => Ok(own.clone()),
            }
        }
    }
}

/// A subscription is visible to whoever manages its organization's webhooks.
pub fn sees_subscription(a: &Actor, organization_id: &OrganizationId) -> bool {
    let own = a.role == Role::Admin || a.organization_id.as_ref() == Some(organization_id);
    own && webhook_organization(a, Some(organization_id)).is_ok()
}

pub fn subscription_actions(a: &Actor, organization_id: &OrganizationId, active: bool) -> Actions {
    let mut out = Actions::default();
    if sees_subscription(a, organization_id) {
        out.by_state(Action::Delete, "webhook", "inactive", active);
    }
    out
}

pub fn delivery_actions(
    a: &Actor,
    organization_id: &OrganizationId,
    pending: bool,
    active: bool,
) -> Actions {
    let mut out = Actions::default();
    if sees_subscription(a, organization_id) {
        if !active {
            out.block(Action::Redeliver, Reason::state("webhook", "inactive"));
        } else {
            out.by_state(Action::Redeliver, "delivery", "pending", !pending);
        }
    }
    out
}

/// Whose inbox the caller reads: their own, always — a notification of anyone else is not
/// found. Integration clients have none.
pub fn notification_owner(a: &Actor) -> Result<crate::ids::UserId, Error> {
    if a.is_client() {
        Err(forbidden(text!(
            "le notifiche sono delle persone, non dei client di integrazione",
            "notifications belong to people, not to integration clients"
        )))
    } else {
        Ok(crate::ids::UserId::from(a.id.clone()))
    }
}

/// A notification is visible to its recipient only.
pub fn sees_notification(a: &Actor, recipient: &crate::ids::UserId) -> bool {
    !a.is_client() && a.id == recipient.as_str()
}

// ------------------------------------------------------------------- networks

/// What the caller may do with a network: manage it (its district's coordinator; the users
/// and `networks:write` clients of its coordinating organization), read it as a member (the
/// users of an organization that is an active member), or see its figures only (the
/// observatory: the network, its compliance and its resource totals — no member list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkView {
    Manage,
    Member,
    Figures,
}

/// What a network's visibility depends on.
#[derive(Debug, Clone, Copy)]
pub struct NetworkAccess<'a> {
    pub district_id: &'a DistrictId,
    pub coordinating_organization_id: Option<&'a OrganizationId>,
    /// The caller's organization is an active member today.
    pub caller_is_member: bool,
}

/// How the caller sees a network, or `None` (then it is `404`).
pub fn network_view(a: &Actor, n: &NetworkAccess) -> Option<NetworkView> {
    if !a.in_district(n.district_id) {
        return None;
    }
    let coordinates =
        a.organization_id.is_some() && a.organization_id.as_ref() == n.coordinating_organization_id;
    if a.is_client() {
        let reads = may_write(a, Scope::NetworksRead) || may_write(a, Scope::NetworksWrite);
        return if !reads {
            None
        } else if coordinates && may_write(a, Scope::NetworksWrite) {
            Some(NetworkView::Manage)
        } else if coordinates || n.caller_is_member {
            Some(NetworkView::Member)
        } else {
            None
        };
    }
    match a.role {
        Role::Coordinator => Some(NetworkView::Manage),
        Role::NetworkCoordinator if coordinates => Some(NetworkView::Manage),
        Role::Observer => Some(NetworkView::Figures),
        Role::NetworkCoordinator | Role::Referrer | Role::AgencyOperator if n.caller_is_member => {
            Some(NetworkView::Member)
        }
        _ => None,
    }
}

/// Which networks a caller's list holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetworkScope {
    /// Every network of the district (coordinator, observatory).
    District,
    /// Those the organization coordinates or is an active member of.
    Organization(OrganizationId),
}

pub fn network_scope(a: &Actor) -> Result<NetworkScope, Error> {
    match a.role {
        _ if a.is_client() => Ok(NetworkScope::Organization(a.organization()?.clone())),
        Role::Coordinator | Role::Observer => Ok(NetworkScope::District),
        Role::NetworkCoordinator | Role::Referrer | Role::AgencyOperator => {
            Ok(NetworkScope::Organization(a.organization()?.clone()))
        }
        r => Err(role_may_not(r, "vede le reti", "see networks")),
    }
}

/// Who starts a network: the district's coordinator (any coordinating organization), or a
/// network coordinator — user or `networks:write` client — for its own organization
/// (`Some(organization)`: the network's coordinating organization must be it).
pub fn may_create_network(a: &Actor) -> Result<Option<&OrganizationId>, Error> {
    if a.is_client() {
        if !may_write(a, Scope::NetworksWrite) {
            return Err(lacks_scope("networks:write"));
        }
        return a.organization().map(Some);
    }
    match a.role {
        Role::Coordinator => Ok(None),
        Role::NetworkCoordinator => a.organization().map(Some),
        r => Err(role_may_not(r, "costituisce reti", "start networks")),
    }
}

/// Only those who manage a network edit it, move it and add or withdraw members.
pub fn may_manage_network(view: NetworkView) -> Result<(), Error> {
    match view {
        NetworkView::Manage => Ok(()),
        _ => Err(forbidden(text!(
            "la rete è gestita dal suo ente coordinatore e dall'Ufficio di Piano",
            "the network is managed by its coordinating organization and the coordinator"
        ))),
    }
}

/// Who reads the member list: managers and members (the observatory sees figures only).
pub fn may_read_members(view: NetworkView) -> Result<(), Error> {
    match view {
        NetworkView::Manage | NetworkView::Member => Ok(()),
        NetworkView::Figures => Err(forbidden(text!(
            "l'osservatorio vede solo dati aggregati delle reti",
            "the observatory sees aggregated figures of networks only"
        ))),
    }
}

/// Who pledges (and moves) a resource of `organization`: those who manage the network, for
/// any member; a member's users (and `networks:write` clients) for their own organization.
pub fn may_pledge_for(
    a: &Actor,
    view: NetworkView,
    organization: &OrganizationId,
) -> Result<(), Error> {
    match view {
        NetworkView::Manage => Ok(()),
        NetworkView::Member if !may_write(a, Scope::NetworksWrite) => {
            Err(lacks_scope("networks:write"))
        }
        NetworkView::Member if a.organization_id.as_ref() == Some(organization) => Ok(()),
        NetworkView::Member => Err(forbidden(text!(
            "un aderente mette a disposizione solo risorse del proprio ente",
            "a member pledges only its own organization's resources"
        ))),
        NetworkView::Figures => Err(forbidden(text!(
            "l'osservatorio vede solo dati aggregati delle reti",
            "the observatory sees aggregated figures of networks only"
        ))),
    }
}

/// What the actions on a network depend on besides the caller.
#[derive(Debug, Clone, Copy)]
pub struct NetworkFactsForActions {
    pub kind: crate::networks::NetworkKind,
    pub status: crate::networks::NetworkStatus,
    pub compliant: bool,
}

pub fn network_actions(a: &Actor, view: NetworkView, n: &NetworkFactsForActions) -> Actions {
    let mut out = Actions::default();
    let s = n.status;
    let st = s.as_str();
    if view == NetworkView::Manage {
        out.by_state(Action::Edit, "network", st, s.edit().is_ok());
        if s.activate().is_err() {
            out.block(Action::Activate, Reason::state("network", st));
        } else if !n.compliant {
            out.block(Action::Activate, Reason::NotCompliant);
        } else {
            out.allow(Action::Activate);
        }
        out.by_state(Action::Suspend, "network", st, s.suspend().is_ok());
        out.by_state(Action::Resume, "network", st, s.resume().is_ok());
        if n.kind != crate::networks::NetworkKind::CoordinationTable {
            out.by_state(Action::Close, "network", st, s.close().is_ok());
        }
        out.by_state(Action::AddMember, "network", st, s.edit().is_ok());
        out.by_state(Action::AddWorkingGroup, "network", st, s.edit().is_ok());
    }
    let pledges = match view {
        NetworkView::Manage => true,
        NetworkView::Member => may_write(a, Scope::NetworksWrite),
        NetworkView::Figures => false,
    };
    if pledges {
        out.by_state(Action::AddResource, "network", st, s.edit().is_ok());
        out.by_state(Action::AddSharedResponse, "network", st, s.edit().is_ok());
    }
    out
}

/// A membership is withdrawn by those who manage the network, once.
pub fn member_actions(view: NetworkView, withdrawn: bool, network_open: bool) -> Actions {
    let mut out = Actions::default();
    if view == NetworkView::Manage {
        if withdrawn {
            out.block(Action::Withdraw, Reason::state("member", "withdrawn"));
        } else if !network_open {
            out.block(Action::Withdraw, Reason::state("network", "closed"));
        } else {
            out.allow(Action::Withdraw);
        }
    }
    out
}

/// A resource moves by those who may pledge for its organization.
pub fn resource_actions(
    a: &Actor,
    view: NetworkView,
    organization: &OrganizationId,
    status: crate::networks::ResourceStatus,
) -> Actions {
    let mut out = Actions::default();
    if may_pledge_for(a, view, organization).is_ok() {
        let st = status.as_str();
        out.by_state(
            Action::MakeAvailable,
            "resource",
            st,
            status.make_available().is_ok(),
        );
        out.by_state(Action::Use, "resource", st, status.use_up().is_ok());
        out.by_state(Action::Withdraw, "resource", st, status.withdraw().is_ok());
    }
    out
}

// ---------------------------------------------------------------------- plans

/// How the caller sees the district's plan: the coordinator (Ufficio di Piano) writes it; every
/// other role of the district reads it (a plan is the district's public programme: no personal
/// data), as do clients with `plans:read`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanView {
    Manage,
    Read,
}

/// How the caller sees a plan of `district`, or `None` (then it is `404`).
pub fn plan_view(a: &Actor, district: &DistrictId) -> Option<PlanView> {
    if !a.in_district(district) {
        return None;
    }
    if a.is_client() {
        return may_write(a, Scope::PlansRead).then_some(PlanView::Read);
    }
    match a.role {
        Role::Coordinator => Some(PlanView::Manage),
        Role::Referrer | Role::AgencyOperator | Role::Observer | Role::NetworkCoordinator => {
            Some(PlanView::Read)
        }
        _ => None,
    }
}

/// Who writes plans: the district's coordinator, in person.
pub fn may_manage_plans(a: &Actor) -> Result<(), Error> {
    if a.is_client() {
        return Err(forbidden(text!(
            "il piano è scritto dall'Ufficio di Piano, non da un client",
            "plans are written by the coordinator (Ufficio di Piano), not by a client"
        )));
    }
    match a.role {
        Role::Coordinator => Ok(()),
        r => Err(role_may_not(r, "scrive il piano", "write plans")),
    }
}

/// Who lists plans: the district's roles and `plans:read` clients.
pub fn may_read_plans(a: &Actor) -> Result<&DistrictId, Error> {
    let district = a.district()?;
    plan_view(a, district)
        .map(|_| district)
        .ok_or_else(|| match a.is_client() {
            true => lacks_scope("plans:read"),
            false => role_may_not(a.role, "vede i piani", "see plans"),
        })
}

pub fn plan_actions(view: PlanView, s: crate::plans::PlanStatus) -> Actions {
    let mut out = Actions::default();
    if view == PlanView::Manage {
        let st = s.as_str();
        out.by_state(Action::Edit, "plan", st, s.edit().is_ok());
        out.by_state(Action::Approve, "plan", st, s.approve().is_ok());
        out.by_state(Action::Close, "plan", st, s.close().is_ok());
        out.by_state(Action::AddAction, "plan", st, s.edit().is_ok());
    }
    out
}

/// The moves of a plan's action: while its plan is open and by its state.
pub fn plan_action_actions(
    view: PlanView,
    plan: crate::plans::PlanStatus,
    s: crate::plans::PlanActionStatus,
) -> Actions {
    let mut out = Actions::default();
    if view != PlanView::Manage {
        return out;
    }
    if plan.edit().is_err() {
        for a in [Action::Edit, Action::Start, Action::Complete, Action::Drop] {
            out.block(a, Reason::state("plan", plan.as_str()));
        }
        return out;
    }
    let st = s.as_str();
    out.by_state(Action::Edit, "plan_action", st, s.edit().is_ok());
    out.by_state(Action::Start, "plan_action", st, s.start().is_ok());
    out.by_state(Action::Complete, "plan_action", st, s.complete().is_ok());
    out.by_state(Action::Drop, "plan_action", st, s.drop_it().is_ok());
    out
}

// -------------------------------------------------------------------- projects

/// The moves of a funded project, for the coordinator (who reads plans reads projects: they
/// hold no personal data; only the coordinator writes them).
pub fn project_actions(view: PlanView, s: crate::projects::ProjectStatus) -> Actions {
    let mut out = Actions::default();
    if view != PlanView::Manage {
        return out;
    }
    let st = s.as_str();
    out.by_state(Action::Edit, "project", st, s.edit().is_ok());
    out.by_state(Action::Submit, "project", st, s.submit().is_ok());
    out.by_state(Action::Grant, "project", st, s.grant().is_ok());
    out.by_state(Action::Reject, "project", st, s.reject().is_ok());
    out.by_state(Action::Start, "project", st, s.start().is_ok());
    out.by_state(Action::Report, "project", st, s.report().is_ok());
    out.by_state(Action::Close, "project", st, s.close().is_ok());
    out.by_state(Action::AddMeasure, "project", st, s.make_measure().is_ok());
    out
}

// ------------------------------------------- join requests, agreements, documents of networks

/// Requests to join are seen and decided only by those who manage the network (the district's
/// coordinator, the network's coordinating organization); anyone else is told nothing (`404`).
pub fn may_handle_join_requests(view: NetworkView) -> Result<(), Error> {
    match view {
        NetworkView::Manage => Ok(()),
        _ => Err(Error::hidden()),
    }
}

/// A pending request is accepted or declined, once.
pub fn join_request_actions(
    view: NetworkView,
    status: crate::agreements::JoinRequestStatus,
) -> Actions {
    let mut out = Actions::default();
    if view == NetworkView::Manage {
        let st = status.as_str();
        out.by_state(Action::Accept, "join_request", st, status.accept().is_ok());
        out.by_state(
            Action::Decline,
            "join_request",
            st,
            status.decline().is_ok(),
        );
    }
    out
}

/// A network's files and agreements' texts: its members' users and those who manage it; the
/// observatory (figures only) and anyone else get `404`.
pub fn may_read_network_documents(view: NetworkView) -> bool {
    matches!(view, NetworkView::Manage | NetworkView::Member)
}

/// An agreement is drafted, edited, signed, terminated and given its text by those who manage
/// the network; `status` is its state today (a signed one past `valid_until` is expired).
pub fn agreement_actions(
    view: NetworkView,
    status: crate::agreements::AgreementStatus,
    network_open: bool,
) -> Actions {
    let mut out = Actions::default();
    if view == NetworkView::Manage {
        let st = status.as_str();
        if !network_open {
            for a in [
                Action::Edit,
                Action::Sign,
                Action::Terminate,
                Action::UploadDocument,
            ] {
                out.block(a, Reason::state("network", "closed"));
            }
            return out;
        }
        out.by_state(Action::Edit, "agreement", st, status.edit().is_ok());
        out.by_state(Action::Sign, "agreement", st, status.sign().is_ok());
        out.by_state(
            Action::Terminate,
            "agreement",
            st,
            status.terminate().is_ok(),
        );
        out.by_state(
            Action::UploadDocument,
            "agreement",
            st,
            status.attach().is_ok(),
        );
    }
    out
}

// ------------------------------------------- working groups and shared responses (seed 003)

/// Who offers a shared response of `organization` — and edits or withdraws it: those who
/// manage the network, for any member; a member's users (and `networks:write` clients) for
/// their own organization only.
pub fn may_offer_for(
    a: &Actor,
    view: NetworkView,
    organization: &OrganizationId,
) -> Result<(), Error> {
    match view {
        NetworkView::Manage => Ok(()),
        NetworkView::Member if !may_write(a, Scope::NetworksWrite) => {
            Err(lacks_scope("networks:write"))
        }
        NetworkView::Member if a.organization_id.as_ref() == Some(organization) => Ok(()),
        NetworkView::Member => Err(forbidden(text!(
            "un aderente offre risposte condivise solo a nome del proprio ente",
            "a member offers shared responses for its own organization only"
        ))),
        NetworkView::Figures => Err(forbidden(text!(
            "l'osservatorio vede solo dati aggregati delle reti",
            "the observatory sees aggregated figures of networks only"
        ))),
    }
}

/// A working group is edited, given members and closed by those who manage the network,
/// while the group is active and the network open.
pub fn working_group_actions(
    view: NetworkView,
    status: crate::responses::WorkingGroupStatus,
    network_open: bool,
) -> Actions {
    let mut out = Actions::default();
    if view != NetworkView::Manage {
        return out;
    }
    if !network_open {
        for a in [Action::Edit, Action::AddMember, Action::Close] {
            out.block(a, Reason::state("network", "closed"));
        }
        return out;
    }
    let st = status.as_str();
    out.by_state(Action::Edit, "working_group", st, status.edit().is_ok());
    out.by_state(
        Action::AddMember,
        "working_group",
        st,
        status.edit().is_ok(),
    );
    out.by_state(Action::Close, "working_group", st, status.close().is_ok());
    out
}

/// A member leaves a working group (by those who manage the network), once, while the group
/// is active and the network open.
pub fn group_member_actions(
    view: NetworkView,
    left: bool,
    group: crate::responses::WorkingGroupStatus,
    network_open: bool,
) -> Actions {
    let mut out = Actions::default();
    if view != NetworkView::Manage {
        return out;
    }
    if left {
        out.block(Action::Leave, Reason::state("group_member", "left"));
    } else if !network_open {
        out.block(Action::Leave, Reason::state("network", "closed"));
    } else {
        out.by_state(
            Action::Leave,
            "working_group",
            group.as_str(),
            group.edit().is_ok(),
        );
    }
    out
}

/// A shared response is edited and withdrawn by whoever may offer for its organization;
/// only those who manage the network make an offered one available to the network.
pub fn shared_response_actions(
    a: &Actor,
    view: NetworkView,
    organization: &OrganizationId,
    status: crate::responses::SharedResponseStatus,
    network_open: bool,
) -> Actions {
    let mut out = Actions::default();
    if may_offer_for(a, view, organization).is_err() {
        return out;
    }
    let mut actions = vec![Action::Edit];
    if view == NetworkView::Manage {
        actions.push(Action::MakeAvailable);
    }
    actions.push(Action::Withdraw);
    if !network_open {
        for x in actions {
            out.block(x, Reason::state("network", "closed"));
        }
        return out;
    }
    let st = status.as_str();
    for x in actions {
        let ok = match x {
            Action::Edit => status.edit().is_ok(),
            Action::MakeAvailable => status.make_available().is_ok(),
            _ => status.withdraw().is_ok(),
        };
        out.by_state(x, "shared_response", st, ok);
    }
    out
}

/// Who proposes a shared response to the person of a case: whoever works the case today
/// (the agency following it; clients with `cases:write`). Seeing the case is [`sees_case`]'s.
pub fn may_propose_on_case(a: &Actor) -> Result<(), Error> {
    may_work_on_cases(a)
}

// ------------------------------------------------------------------- meetings of networks

/// How the caller sees a meeting: runs it (the district's coordinator; for a network other
/// than the table, the users of its coordinating organization) or reads it and its minutes (the
/// users of a member organization). Anyone else: `404`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingView {
    Manage,
    Read,
}

/// Who holds meetings at all: the coordinator and network coordinators (people only).
pub fn may_hold_meetings(a: &Actor) -> Result<(), Error> {
    match a.role {
        Role::Coordinator | Role::NetworkCoordinator if !a.is_client() => Ok(()),
        r => Err(role_may_not(r, "gestisce le sedute", "run meetings")),
    }
}

/// How the caller sees a meeting of a network it sees as `network` (`None`: not at all). The
/// monthly table's sessions are the coordinator's, as always; integration clients see none.
pub fn meeting_view(a: &Actor, table: bool, network: Option<NetworkView>) -> Option<MeetingView> {
    if a.is_client() {
        return None;
    }
    if table {
        return may_run_the_table(a).ok().map(|_| MeetingView::Manage);
    }
    match network? {
        NetworkView::Manage => Some(MeetingView::Manage),
        NetworkView::Member => Some(MeetingView::Read),
        NetworkView::Figures => None,
    }
}

/// Only those who run a meeting change it, its agenda and its action items.
pub fn may_manage_meeting(view: MeetingView) -> Result<(), Error> {
    match view {
        MeetingView::Manage => Ok(()),
        MeetingView::Read => Err(forbidden(text!(
            "le sedute della rete sono gestite dal suo ente coordinatore e dall'Ufficio di Piano",
            "the network's meetings are run by its coordinating organization and the coordinator"
        ))),
    }
}

/// An action item is edited, done or dropped by those who run the network's meetings, while
/// open.
pub fn action_item_actions(
    view: MeetingView,
    status: crate::meetings::ActionItemStatus,
) -> Actions {
    use crate::meetings::ActionItemStatus as S;
    let mut out = Actions::default();
    if view == MeetingView::Manage {
        let st = status.as_str();
        out.by_state(Action::Edit, "action_item", st, status.edit().is_ok());
        out.by_state(
            Action::Complete,
            "action_item",
            st,
            status.move_to(S::Done).is_ok(),
        );
        out.by_state(
            Action::Drop,
            "action_item",
            st,
            status.move_to(S::Dropped).is_ok(),
        );
    }
    out
}

// ------------------------------------------------- collective actions of a partnership

/// How the caller sees a collective action: manages it (those who manage the partnership),
/// takes part in it (the users of a participating member), reads it with its counts (the users
/// of another member), or sees its figures only (the observatory: the action and its counts,
/// not who takes part). Anyone who does not see the partnership: `404`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CollectiveView {
    Manage,
    Participant,
    Member,
    Figures,
}

/// How the caller sees a collective action of a network it sees as `network`;
/// `participates`: the caller's organization is a participating member.
pub fn collective_view(network: NetworkView, participates: bool) -> CollectiveView {
    match network {
        NetworkView::Manage => CollectiveView::Manage,
        NetworkView::Member if participates => CollectiveView::Participant,
        NetworkView::Member => CollectiveView::Member,
        NetworkView::Figures => CollectiveView::Figures,
    }
}

/// Only those who manage the partnership create, edit and move its actions, and choose who
/// takes part and which employers are targeted.
pub fn may_manage_collective(view: CollectiveView) -> Result<(), Error> {
    match view {
        CollectiveView::Manage => Ok(()),
        _ => Err(forbidden(text!(
            "le azioni collettive sono gestite dall'ente coordinatore del partenariato e \
             dall'Ufficio di Piano",
            "collective actions are managed by the partnership's coordinating organization and \
             the coordinator"
        ))),
    }
}

/// Whose cases the caller may add to (or remove from) an action's beneficiaries: `None`, any
/// participating agency's (those who manage it); `Some(own)`, its own agency's (a
/// participating member's users and `networks:write` clients).
pub fn beneficiary_scope(
    a: &Actor,
    view: CollectiveView,
    participates: bool,
) -> Result<Option<OrganizationId>, Error> {
    if view == CollectiveView::Manage {
        return Ok(None);
    }
    if !participates {
        return Err(forbidden(text!(
            "i beneficiari sono aggiunti dagli enti che partecipano all'azione",
            "beneficiaries are added by the organizations taking part in the action"
        )));
    }
    if !may_write(a, Scope::NetworksWrite) {
        return Err(lacks_scope("networks:write"));
    }
    a.organization().map(|o| Some(o.clone()))
}

/// Who reads the beneficiaries one by one (case ids, a read of personal data): the district's
/// coordinator every one (`None`); a participating member's users those of its own agency
/// (`Some(own)`). Everyone else who sees the action gets its counts only.
pub fn beneficiary_rows(a: &Actor, participates: bool) -> Result<Option<OrganizationId>, Error> {
    if a.role == Role::Coordinator {
        return Ok(None);
    }
    if participates {
        return a.organization().map(|o| Some(o.clone()));
    }
    Err(forbidden(text!(
        "l'elenco dei beneficiari è dell'Ufficio di Piano e degli enti partecipanti: gli altri \
         vedono i conteggi",
        "the list of beneficiaries is the coordinator's and the participating organizations': \
         others see the counts"
    )))
}

/// The actions on a collective action: moves and edits for those who manage it, adding
/// beneficiaries for the participants too, while the action is planned or running and its
/// network is not closed.
pub fn collective_action_actions(
    a: &Actor,
    view: CollectiveView,
    participates: bool,
    status: crate::collective::CollectiveActionStatus,
    network_open: bool,
) -> Actions {
    let mut out = Actions::default();
    let manage = view == CollectiveView::Manage;
    let adds = beneficiary_scope(a, view, participates).is_ok();
    let mut offered = Vec::new();
    if manage {
        offered.extend([
            Action::Edit,
            Action::Start,
            Action::Complete,
            Action::Cancel,
            Action::AddParticipant,
            Action::AddEmployer,
        ]);
    }
    if adds {
        offered.push(Action::AddBeneficiary);
    }
    let st = status.as_str();
    for action in offered {
        if !network_open {
            out.block(action, Reason::state("network", "closed"));
            continue;
        }
        let ok = match action {
            Action::Start => status.start().is_ok(),
            Action::Complete => status.complete().is_ok(),
            Action::Cancel => status.cancel().is_ok(),
            _ => status.edit().is_ok(),
        };
        out.by_state(action, "collective_action", st, ok);
    }
    out
}

/// A participant, target employer or beneficiary is removed by who may (those who manage the
/// action; a participant, its own agency's beneficiaries), while the action can change.
pub fn collective_part_actions(
    may_remove: bool,
    status: crate::collective::CollectiveActionStatus,
) -> Actions {
    let mut out = Actions::default();
    if may_remove {
        let st = status.as_str();
        out.by_state(
            Action::Delete,
            "collective_action",
            st,
            status.edit().is_ok(),
        );
    }
    out
}

#[cfg(test)]
mod audit_tests {
    use super::*;

    fn user(role: Role) -> Actor {
        Actor {
            id: "u".into(),
            role,
            organization_id: None,
            district_id: Some(DistrictId::from("d".to_string())),
            scopes: None,
        }
    }

    #[test]
    fn the_dpo_and_the_coordinator_read_the_audit_log_and_nobody_else() {
        let dpo = may_read_audit(&user(Role::PrivacyOfficer)).ok();
        assert!(dpo.is_some_and(|s| s.with_unassigned));
        let coordinator = may_read_audit(&user(Role::Coordinator)).ok();
        assert!(coordinator.is_some_and(|s| !s.with_unassigned));
        for r in [
            Role::Admin,
            Role::Referrer,
            Role::AgencyOperator,
            Role::Observer,
            Role::NetworkCoordinator,
        ] {
            assert!(may_read_audit(&user(r)).is_err(), "{r:?}");
        }
        let mut client = user(Role::Coordinator);
        client.scopes = Some(vec![Scope::ReferralsRead]);
        assert!(may_read_audit(&client).is_err());
    }

    #[test]
    fn the_dpo_sees_no_persons_or_cases() {
        let dpo = user(Role::PrivacyOfficer);
        assert!(person_scope(&dpo).is_err());
        assert!(case_scope(&dpo).is_err());
        assert!(referral_scope(&dpo).is_err());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, org: Option<&str>) -> Actor {
        Actor {
            id: "u".into(),
            role,
            organization_id: org.map(Into::into),
            district_id: Some("d".into()),
            scopes: None,
        }
    }

    #[test]
    fn drafts_are_their_referrers_until_submitted() {
        let (d, o, other) = (
            DistrictId::from("d"),
            OrganizationId::from("o"),
            DistrictId::from("other"),
        );
        let draft = ReferralFacts {
            district_id: &d,
            organization_id: &o,
            status: ReferralStatus::Draft,
        };
        assert!(sees_referral(&actor(Role::Referrer, Some("o")), &draft));
        assert!(!sees_referral(
            &actor(Role::Referrer, Some("other")),
            &draft
        ));
        assert!(!sees_referral(&actor(Role::Coordinator, None), &draft));
        let sent = ReferralFacts {
            status: ReferralStatus::Submitted,
            ..draft
        };
        assert!(sees_referral(&actor(Role::Coordinator, None), &sent));
        assert!(!sees_referral(
            &actor(Role::AgencyOperator, Some("o")),
            &sent
        ));
        let elsewhere = ReferralFacts {
            district_id: &other,
            ..sent
        };
        assert!(!sees_referral(&actor(Role::Coordinator, None), &elsewhere));
    }

    #[test]
    fn referral_actions_follow_the_state_machine() {
        let (d, o) = (DistrictId::from("d"), OrganizationId::from("o"));
        let r = |status| ReferralFacts {
            district_id: &d,
            organization_id: &o,
            status,
        };
        let referrer = actor(Role::Referrer, Some("o"));
        let a = referral_actions(&referrer, &r(ReferralStatus::InfoRequested));
        assert_eq!(
            a.allowed_names(),
            vec!["edit", "submit", "withdraw", "upload_document"],
            "information requested: edit, send again, withdraw, or attach what the table asked for"
        );
        let a = referral_actions(&referrer, &r(ReferralStatus::Scheduled));
        assert_eq!(
            a.allowed_names(),
            vec!["upload_document"],
            "on the agenda: only attach documents"
        );
        assert_eq!(a.blocked.len(), 3);
        // A draft is its sender's: the coordinator has none of its workflow actions (and does
        // not see it at all: `sees_referral`).
        let a = referral_actions(&actor(Role::Coordinator, None), &r(ReferralStatus::Draft));
        assert!(a.blocked.is_empty());
        assert!(a.allowed_names().iter().all(|n| *n == "upload_document"));
    }

    #[test]
    fn approval_is_blocked_by_the_budget_with_a_reason() {
        let f = ActivationFacts {
            status: ActivationStatus::Proposed,
            case_status: CaseStatus::InCharge,
            eligible: true,
            budget: BudgetCheck::Exhausted {
                remaining: Cents::ZERO,
            },
        };
        let a = activation_actions(&actor(Role::AgencyOperator, Some("ag")), &f);
        assert!(!a.allowed.contains(&Action::Approve));
        assert!(a.allowed.contains(&Action::Edit) && a.allowed.contains(&Action::Cancel));
        let (_, why) = a
            .blocked
            .iter()
            .find(|(act, _)| *act == Action::Approve)
            .cloned()
            .unwrap_or((Action::Approve, Reason::NoThreshold));
        assert_eq!(
            why.message(crate::i18n::Lang::It),
            "soglia esaurita: restano 0,00 €"
        );
        let fits = ActivationFacts {
            budget: BudgetCheck::Fits,
            ..f
        };
        assert!(activation_actions(&actor(Role::Coordinator, None), &fits)
            .allowed
            .contains(&Action::Approve));
        assert!(activation_actions(&actor(Role::Referrer, Some("o")), &fits).is_empty());
    }

    #[test]
    fn the_coordinator_supervises_cases_and_approves_measures_but_does_not_work_them() {
        let coord = actor(Role::Coordinator, None);
        let f = CaseFacts {
            status: CaseStatus::Assigned,
            open_activations: 0,
        };
        assert_eq!(
            case_actions(&coord, &f).allowed,
            vec![Action::UploadDocument]
        );
        let refused = may_work_on_cases(&coord).unwrap_err();
        assert!(matches!(&refused, Error::Forbidden(t)
            if t.get(crate::i18n::Lang::It).contains("spetta all'ente accreditato")));
        assert!(may_approve_measures(&coord).is_ok());
        let op = actor(Role::AgencyOperator, Some("ag"));
        assert!(case_actions(&op, &f).allowed.contains(&Action::TakeCharge));
    }

    #[test]
    fn a_case_with_open_measures_cannot_close() {
        let f = CaseFacts {
            status: CaseStatus::Active,
            open_activations: 2,
        };
        let a = case_actions(&actor(Role::AgencyOperator, Some("ag")), &f);
        assert!(a
            .blocked
            .iter()
            .any(|(act, r)| *act == Action::Close && *r == Reason::MeasuresOpen(2)));
        assert!(a.allowed.contains(&Action::AddFollowUp));
        assert!(!a.allowed.contains(&Action::TakeCharge));
    }

    #[test]
    fn documents_are_attached_by_who_works_on_the_record() {
        let (d, o) = (DistrictId::from("d"), OrganizationId::from("o"));
        let r = |status| ReferralFacts {
            district_id: &d,
            organization_id: &o,
            status,
        };
        let referrer = actor(Role::Referrer, Some("o"));
        assert!(may_attach_to_referral(&referrer, &r(ReferralStatus::Draft)).is_ok());
        assert!(may_attach_to_referral(&referrer, &r(ReferralStatus::Accepted)).is_err());
        assert!(may_attach_to_referral(
            &actor(Role::Referrer, Some("x")),
            &r(ReferralStatus::Draft)
        )
        .is_err());
        assert!(may_attach_to_referral(
            &actor(Role::Coordinator, None),
            &r(ReferralStatus::Accepted)
        )
        .is_ok());
        assert!(may_attach_to_referral(
            &actor(Role::AgencyOperator, Some("o")),
            &r(ReferralStatus::Submitted)
        )
        .is_err());
        let op = actor(Role::AgencyOperator, Some("ag"));
        assert!(may_attach_to_case(&op, CaseStatus::InCharge).is_ok());
        assert!(may_attach_to_case(&op, CaseStatus::Closed).is_err());
        assert!(may_attach_to_case(&referrer, CaseStatus::InCharge).is_err());
        assert!(may_delete_document(&op, "u").is_ok(), "the uploader");
        assert!(may_delete_document(&actor(Role::Coordinator, None), "other").is_ok());
        assert!(may_delete_document(&referrer, "other").is_err());
    }

    #[test]
    fn clients_act_within_their_scopes() {
        let mut client = actor(Role::AgencyOperator, Some("ag"));
        client.id = "client:c".into();
        client.scopes = Some(vec![Scope::CasesRead]);
        assert!(may_work_on_cases(&client).is_err());
        assert!(case_actions(
            &client,
            &CaseFacts {
                status: CaseStatus::InCharge,
                open_activations: 0
            }
        )
        .is_empty());
        client.scopes = Some(vec![Scope::CasesRead, Scope::CasesWrite]);
        assert!(may_work_on_cases(&client).is_ok());
    }

    #[test]
    fn special_categories_are_for_those_who_work_with_the_person() {
        assert!(sees_special_categories(
            &actor(Role::Coordinator, None),
            None
        ));
        assert!(sees_special_categories(
            &actor(Role::Referrer, Some("o")),
            Some(&OrganizationId::from("o"))
        ));
        assert!(!sees_special_categories(
            &actor(Role::Referrer, Some("o")),
            Some(&OrganizationId::from("x"))
        ));
        assert!(!sees_special_categories(
            &actor(Role::Referrer, Some("o")),
            None
        ));
        assert!(!sees_special_categories(&actor(Role::Observer, None), None));
    }
    #[test]
    fn networks_are_managed_by_their_coordinators_and_read_by_members() {
        let (d, udp, agency) = (
            DistrictId::from("d"),
            OrganizationId::from("agenzia"),
            OrganizationId::from("ag"),
        );
        let n = NetworkAccess {
            district_id: &d,
            coordinating_organization_id: Some(&udp),
            caller_is_member: false,
        };
        let view = |a: &Actor, member: bool| {
            network_view(
                a,
                &NetworkAccess {
                    caller_is_member: member,
                    ..n
                },
            )
        };
        assert_eq!(
            view(&actor(Role::Coordinator, None), false),
            Some(NetworkView::Manage)
        );
        let netco = actor(Role::NetworkCoordinator, Some("agenzia"));
        assert_eq!(view(&netco, false), Some(NetworkView::Manage));
        let other = actor(Role::NetworkCoordinator, Some("altro"));
        assert_eq!(
            view(&other, false),
            None,
            "another organization's network is invisible"
        );
        assert_eq!(view(&other, true), Some(NetworkView::Member));
        assert_eq!(
            view(&actor(Role::Observer, None), false),
            Some(NetworkView::Figures)
        );
        assert_eq!(view(&actor(Role::Admin, None), false), None);
        let op = actor(Role::AgencyOperator, Some("ag"));
        assert!(may_pledge_for(&op, NetworkView::Member, &agency).is_ok());
        assert!(may_pledge_for(&op, NetworkView::Member, &udp).is_err());
        assert!(may_read_members(NetworkView::Figures).is_err());
        assert!(may_create_network(&netco).is_ok_and(|o| o == Some(&udp)));
        assert!(may_create_network(&op).is_err());
        assert!(network_scope(&actor(Role::Admin, None)).is_err());
    }
}

// ---------------------------------------------------------------- opportunities

/// How the caller sees the district's opportunities: the coordinator manages them all (and
/// withdraws published ones); every other role of the district reads the published ones (and
/// its own organization's, in any state), as do clients with `opportunities:read` or
/// `opportunities:write`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpportunityView {
    Manage,
    Read,
}

/// How the caller sees opportunities of `district`, or `None` (then it is `404`).
pub fn opportunity_view(a: &Actor, district: &DistrictId) -> Option<OpportunityView> {
    if !a.in_district(district) {
        return None;
    }
    if a.is_client() {
        let reads =
            may_write(a, Scope::OpportunitiesRead) || may_write(a, Scope::OpportunitiesWrite);
        return reads.then_some(OpportunityView::Read);
    }
    match a.role {
        Role::Coordinator => Some(OpportunityView::Manage),
        Role::Referrer | Role::AgencyOperator | Role::Observer | Role::NetworkCoordinator => {
            Some(OpportunityView::Read)
        }
        Role::Admin | Role::PrivacyOfficer => None,
    }
}

/// Who lists opportunities: the district's roles and clients with an opportunities scope.
pub fn may_read_opportunities(a: &Actor) -> Result<&DistrictId, Error> {
    let district = a.district()?;
    opportunity_view(a, district)
        .map(|_| district)
        .ok_or_else(|| match a.is_client() {
            true => lacks_scope("opportunities:read"),
            false => role_may_not(a.role, "vede le opportunità", "see opportunities"),
        })
}

/// Does the caller see an opportunity of `organization` in `status`? Published ones: every
/// reader of the district; drafts, expired and withdrawn ones: the coordinator and the
/// publishing organization's users and clients.
pub fn sees_opportunity(
    a: &Actor,
    view: OpportunityView,
    organization: &OrganizationId,
    status: crate::opportunities::OpportunityStatus,
) -> bool {
    view == OpportunityView::Manage
        || status == crate::opportunities::OpportunityStatus::Published
        || a.organization_id.as_ref() == Some(organization)
}

/// Who publishes (and corrects) an opportunity of `organization`: the coordinator for any
/// organization of the district; the users of a member organization (an active member of one
/// of the district's networks) and its `opportunities:write` clients for their own only.
pub fn may_publish_for(
    a: &Actor,
    view: OpportunityView,
    organization: &OrganizationId,
    is_member: bool,
) -> Result<(), Error> {
    if view == OpportunityView::Manage && !a.is_client() {
        return Ok(());
    }
    if a.is_client() && !may_write(a, Scope::OpportunitiesWrite) {
        return Err(lacks_scope("opportunities:write"));
    }
    if a.role == Role::Observer && !a.is_client() {
        return Err(role_may_not(
            a.role,
            "pubblica opportunità",
            "publish opportunities",
        ));
    }
    if a.organization_id.as_ref() != Some(organization) {
        return Err(forbidden(text!(
            "si pubblicano opportunità solo a nome del proprio ente",
            "opportunities are published for one's own organization only"
        )));
    }
    if !is_member {
        return Err(forbidden(text!(
            "pubblica opportunità chi aderisce a una rete dell'Ambito: il tuo ente non è aderente di alcuna rete attiva",
            "members of the district's networks publish opportunities: your organization is a member of no active network"
        )));
    }
    Ok(())
}

/// Who withdraws a published opportunity: the coordinator, in person, with a reason.
pub fn may_withdraw_opportunity(a: &Actor, view: OpportunityView) -> Result<(), Error> {
    if view == OpportunityView::Manage && !a.is_client() {
        return Ok(());
    }
    Err(forbidden(text!(
        "ritira un'opportunità pubblicata solo l'Ufficio di Piano",
        "only the coordinator (Ufficio di Piano) withdraws a published opportunity"
    )))
}

/// The moves of a published opportunity for the caller.
pub fn opportunity_actions(
    a: &Actor,
    view: OpportunityView,
    organization: &OrganizationId,
    is_member: bool,
    s: crate::opportunities::OpportunityStatus,
) -> Actions {
    let mut out = Actions::default();
    let st = s.as_str();
    if may_publish_for(a, view, organization, is_member).is_ok() {
        out.by_state(Action::Edit, "opportunity", st, s.edit().is_ok());
        out.by_state(Action::Publish, "opportunity", st, s.publish().is_ok());
    }
    if may_withdraw_opportunity(a, view).is_ok() {
        out.by_state(Action::Withdraw, "opportunity", st, s.withdraw().is_ok());
    }
    out
}

/// Who proposes an opportunity to the person of a case, and records the answer: whoever
/// works the case (the agency following it; clients with `cases:write`).
pub fn may_propose_opportunity(a: &Actor) -> Result<(), Error> {
    may_work_on_cases(a)
}

// ------------------------------------------------ legal basis: notices and consents (A.1)

/// Who writes the district's privacy notices: the coordinator (Ufficio di Piano, the data
/// controller's office), in person.
pub fn may_write_notices(a: &Actor) -> Result<&DistrictId, Error> {
    match a.role {
        Role::Coordinator if !a.is_client() => a.district(),
        r => Err(role_may_not(
            r,
            "scrive le informative privacy",
            "write privacy notices",
        )),
    }
}

/// Who reads the district's privacy notices: everyone working in the district (clients with
/// any scope), so the one in force can be shown to the person.
pub fn may_read_notices(a: &Actor) -> Result<&DistrictId, Error> {
    match a.role {
        Role::Admin => Err(role_may_not(
            a.role,
            "vede le informative di un Ambito",
            "see a district's privacy notices",
        )),
        _ => a.district(),
    }
}

/// Who records that a notice was given or a consent collected (and its withdrawal): whoever
/// sees the person and works with them — the same as who corrects the person's data.
pub fn may_record_legal_basis(a: &Actor) -> Result<(), Error> {
    may_edit_persons(a)
}

/// The DPO reads the legal basis of every person of the district, without seeing the person
/// otherwise; the others read it for the persons they see.
pub fn reads_legal_basis_of_district(a: &Actor) -> bool {
    a.role == Role::PrivacyOfficer && !a.is_client()
}

/// Who may send a referral to the table though the person's notice is not recorded, with a
/// reason that the audit trail keeps: the coordinator only.
pub fn may_override_notice(a: &Actor) -> Result<(), Error> {
    match a.role {
        Role::Coordinator if !a.is_client() => Ok(()),
        r => Err(role_may_not(
            r,
            "invia al tavolo una segnalazione senza informativa resa",
            "send a referral to the table without the notice recorded",
        )),
    }
}

// ------------------------------------------------ rights of the data subject (A.2)

/// Who exports everything held about a person (art. 15): the data protection officer and the
/// district's coordinator, in person.
pub fn may_export_person_data(a: &Actor) -> Result<(), Error> {
    match a.role {
        Role::PrivacyOfficer | Role::Coordinator if !a.is_client() => Ok(()),
        r => Err(role_may_not(
            r,
            "esporta i dati di una persona",
            "export a person's data",
        )),
    }
}

/// Who sees a person whose processing is restricted (art. 18), and her referrals and cases:
/// the DPO and the district's coordinator, in person. For everyone else she is outside every
/// scope (lists leave her out, single reads are `404`).
pub fn sees_restricted(a: &Actor) -> bool {
    matches!(a.role, Role::PrivacyOfficer | Role::Coordinator) && !a.is_client()
}

/// Which persons a single read of a person's record reaches: the DPO reads the record itself of
/// any person of her district (to handle the person's requests), never the lists; the others as
/// [`person_scope`].
pub fn person_record_scope(a: &Actor) -> Result<PersonScope, Error> {
    match a.role {
        Role::PrivacyOfficer if !a.is_client() => Ok(PersonScope::District),
        _ => person_scope(a),
    }
}

/// Who restricts the processing of a person's data, and lifts the restriction: the DPO and the
/// district's coordinator, in person.
pub fn may_restrict(a: &Actor) -> Result<&DistrictId, Error> {
    match a.role {
        Role::PrivacyOfficer | Role::Coordinator if !a.is_client() => a.district(),
        r => Err(role_may_not(
            r,
            "limita il trattamento dei dati di una persona",
            "restrict the processing of a person's data",
        )),
    }
}

/// Who asks for a person's anonymisation (art. 17): the district's coordinator, in person.
pub fn may_request_anonymisation(a: &Actor) -> Result<&DistrictId, Error> {
    match a.role {
        Role::Coordinator if !a.is_client() => a.district(),
        r => Err(role_may_not(
            r,
            "chiede l'anonimizzazione di una persona",
            "request a person's anonymisation",
        )),
    }
}

/// Who approves or rejects an anonymisation: the DPO, in person, and never the one who asked
/// for it — the second approval is a second person (`409 approver_is_requester`).
pub fn may_decide_anonymisation<'a>(
    a: &'a Actor,
    requested_by: &str,
) -> Result<&'a DistrictId, Error> {
    let district = match a.role {
        Role::PrivacyOfficer if !a.is_client() => a.district()?,
        r => {
            return Err(role_may_not(
                r,
                "approva o respinge un'anonimizzazione",
                "approve or reject an anonymisation",
            ))
        }
    };
    if a.id == requested_by {
        return Err(Error::conflict(
            crate::ErrorCode::ApproverIsRequester,
            text!(
                "chi ha chiesto l'anonimizzazione non può anche deciderla: serve una seconda persona",
                "whoever requested the anonymisation cannot also decide it: a second person must"
            ),
        ));
    }
    Ok(district)
}

/// Who reads the anonymisation requests and the retention preview of the district: the DPO and
/// the coordinator, in person.
pub fn may_read_erasure(a: &Actor) -> Result<&DistrictId, Error> {
    match a.role {
        Role::PrivacyOfficer | Role::Coordinator if !a.is_client() => a.district(),
        r => Err(role_may_not(
            r,
            "vede le richieste di anonimizzazione e la conservazione",
            "see anonymisation requests and retention",
        )),
    }
}

/// Who sets a district's retention period: the administrator, and the district's coordinator
/// for its own district.
pub fn may_set_retention(a: &Actor, district_id: &DistrictId) -> Result<(), Error> {
    match a.role {
        Role::Admin => Ok(()),
        Role::Coordinator if !a.is_client() && a.district_id.as_ref() == Some(district_id) => {
            Ok(())
        }
        r => Err(role_may_not(
            r,
            "imposta il periodo di conservazione",
            "set the retention period",
        )),
    }
}

/// A person's record as the rights of art. 17 and 18 stand.
#[derive(Debug, Clone, Copy, Default)]
pub struct PersonRights {
    pub restricted: bool,
    pub anonymised: bool,
    pub anonymisation_pending: bool,
}

/// The actions a person's record offers, with her restriction and anonymisation: a frozen
/// or anonymised record cannot be edited (blocked, with the reason); the DPO and the coordinator
/// restrict or lift; the coordinator asks for anonymisation.
pub fn person_record_actions(
    a: &Actor,
    registered_by: Option<&OrganizationId>,
    rights: PersonRights,
) -> Actions {
    let mut out = Actions::default();
    if may_edit_person(a, registered_by).is_ok() {
        if rights.anonymised {
            out.block(Action::Edit, Reason::PersonAnonymised);
        } else if rights.restricted {
            out.block(Action::Edit, Reason::PersonRestricted);
        } else {
            out.allow(Action::Edit);
        }
    }
    if rights.anonymised {
        return out;
    }
    if may_restrict(a).is_ok() {
        out.allow(if rights.restricted {
            Action::LiftRestriction
        } else {
            Action::Restrict
        });
    }
    if may_request_anonymisation(a).is_ok() {
        if rights.anonymisation_pending {
            out.block(Action::RequestAnonymisation, Reason::RequestPending);
        } else {
            out.allow(Action::RequestAnonymisation);
        }
    }
    out
}

/// The actions of an anonymisation request: the DPO approves or rejects a pending one she did
/// not ask for herself.
pub fn anonymisation_request_actions(
    a: &Actor,
    requested_by: &str,
    status: crate::subject_rights::AnonymisationStatus,
) -> Actions {
    let mut out = Actions::default();
    if may_decide_anonymisation(a, requested_by).is_ok() {
        let s = status.as_str();
        out.by_state(
            Action::Approve,
            "anonymisation_request",
            s,
            status.approve().is_ok(),
        );
        out.by_state(
            Action::Reject,
            "anonymisation_request",
            s,
            status.reject().is_ok(),
        );
    }
    out
}

pub fn consent_actions(a: &Actor, status: crate::privacy::ConsentStatus) -> Actions {
    let mut out = Actions::default();
    if may_record_legal_basis(a).is_ok() && status == crate::privacy::ConsentStatus::Given {
        out.allow(Action::Withdraw);
    }
    out
}

// ------------------------------------------ registers of processing and of breaches (A.5)

/// Who reads the register of processing activities (art. 30) and the data-breach register
/// (art. 33.5): the district's DPO and its coordinator (the controller's office), in person.
pub fn may_read_privacy_registers(a: &Actor) -> Result<&DistrictId, Error> {
    match a.role {
        Role::PrivacyOfficer | Role::Coordinator if !a.is_client() => a.district(),
        r => Err(role_may_not(
            r,
            "legge i registri dei trattamenti e delle violazioni",
            "read the registers of processing and of breaches",
        )),
    }
}

/// Who adapts the register of processing and keeps the breach register: the DPO, in person.
pub fn may_keep_privacy_registers(a: &Actor) -> Result<&DistrictId, Error> {
    match a.role {
        Role::PrivacyOfficer if !a.is_client() => a.district(),
        r => Err(role_may_not(
            r,
            "aggiorna i registri dei trattamenti e delle violazioni",
            "update the registers of processing and of breaches",
        )),
    }
}

/// What the caller may do with an entry of either register: `edit` for the DPO.
pub fn privacy_register_actions(a: &Actor) -> Actions {
    let mut out = Actions::default();
    if may_keep_privacy_registers(a).is_ok() {
        out.allow(Action::Edit);
    }
    out
}

#[cfg(test)]
mod legal_basis_tests {
    use super::*;

    fn actor(role: Role) -> Actor {
        Actor {
            id: "u".into(),
            role,
            district_id: Some(DistrictId::from("d")),
            organization_id: Some(OrganizationId::from("o")),
            scopes: None,
        }
    }

    #[test]
    fn the_coordinator_writes_notices_and_overrides_and_the_dpo_reads_the_basis() {
        assert!(may_write_notices(&actor(Role::Coordinator)).is_ok());
        assert!(may_write_notices(&actor(Role::Referrer)).is_err());
        assert!(may_write_notices(&actor(Role::PrivacyOfficer)).is_err());
        assert!(may_read_notices(&actor(Role::Observer)).is_ok());
        assert!(may_read_notices(&actor(Role::Admin)).is_err());
        assert!(may_override_notice(&actor(Role::Coordinator)).is_ok());
        assert!(may_override_notice(&actor(Role::Referrer)).is_err());
        assert!(reads_legal_basis_of_district(&actor(Role::PrivacyOfficer)));
        assert!(!reads_legal_basis_of_district(&actor(Role::Observer)));
        assert!(may_record_legal_basis(&actor(Role::PrivacyOfficer)).is_err());
        assert!(may_export_person_data(&actor(Role::PrivacyOfficer)).is_ok());
        assert!(may_export_person_data(&actor(Role::Coordinator)).is_ok());
        assert!(may_export_person_data(&actor(Role::Referrer)).is_err());
    }

    #[test]
    fn the_dpo_keeps_the_registers_and_the_coordinator_reads_them() {
        assert!(may_keep_privacy_registers(&actor(Role::PrivacyOfficer)).is_ok());
        assert!(may_keep_privacy_registers(&actor(Role::Coordinator)).is_err());
        assert!(may_read_privacy_registers(&actor(Role::Coordinator)).is_ok());
        assert!(may_read_privacy_registers(&actor(Role::PrivacyOfficer)).is_ok());
        for r in [
            Role::Admin,
            Role::Referrer,
            Role::AgencyOperator,
            Role::Observer,
        ] {
            assert!(may_read_privacy_registers(&actor(r)).is_err());
        }
        let mut client = actor(Role::PrivacyOfficer);
        client.scopes = Some(vec![]);
        assert!(may_read_privacy_registers(&client).is_err());
    }
}
