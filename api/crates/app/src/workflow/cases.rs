//! Cases: take-charge, suspension, closing with an outcome, follow-ups, outcome checks and
//! the timeline.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sistema_lavoro_domain::ids::{
    CaseId, OrganizationId, OutcomeCheckId, PactActionId, PersonId, UserId,
};
use sistema_lavoro_domain::municipality;
use utoipa::ToSchema;
use validator::Validate;

use sistema_lavoro_domain::actions::{Action, Actions, BlockedAction};
use sistema_lavoro_domain::policy::{self, CaseFacts, CaseScope};
use sistema_lavoro_domain::states::CaseStatus;
use sistema_lavoro_domain::vocabulary::{
    ContractType, EducationLevel, EmploymentStatus, FollowUpKind, Need, Outcome,
    OutcomeCheckStatus, Urgency,
};
use sistema_lavoro_domain::{text, Error, ErrorCode, Expected, FieldError};
use sistema_lavoro_store::activations::Activation;
use sistema_lavoro_store::audit::{self, PersonRead};
use sistema_lavoro_store::cases::{Case, CaseFilter, OutcomeCheck};
use sistema_lavoro_store::follow_ups::FollowUp;
use sistema_lavoro_store::meetings::Decision;
use sistema_lavoro_store::persons::Person;
use sistema_lavoro_store::referrals::Referral;
use sistema_lavoro_store::related::Related;
use sistema_lavoro_store::service_pacts::ServicePact;
use sistema_lavoro_store::subject_rights::Restriction;
use sistema_lavoro_store::users::User;
use sistema_lavoro_store::{new_id, utc, write_tx, DbConn};

use super::activations::{self, ActivationOut};
pub use super::case_state::{notify, transition, visible};
use super::persons::{place, Place};
use super::service_pact;
use super::{org_name, OrgSummary, Page, PageRequest, PersonSummary, StateChangeOut};
use crate::Ctx;

/// Details of a job found (`outcome = hired`).
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema, PartialEq)]
pub struct HiredDetails {
    /// Tipo di contratto (permanent, fixed term, apprenticeship, …).
    pub contract_type: ContractType,
    /// Ore settimanali.
    #[validate(range(min = 1, max = 60))]
    #[schema(minimum = 1, maximum = 60)]
    pub hours_per_week: i32,
    /// Datore di lavoro.
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub employer: String,
}

/// A case (presa in carico).
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct CaseOut {
    /// Identifier of the case (presa in carico), a UUID.
    pub id: String,
    /// The person (cittadino) followed.
    pub person: PersonSummary,
    /// The referral (segnalazione) whose acceptance created the case.
    pub referral_id: String,
    /// The agency following the person.
    pub agency: OrgSummary,
    /// Stato: `assigned`, `in_charge`, `active`, `monitoring`, `suspended` or `closed`.
    pub status: CaseStatus,
    /// The state to go back to when resumed (suspended cases only).
    pub suspended_from: Option<CaseStatus>,
    /// Date of the first meeting with the person.
    pub first_meeting_date: Option<NaiveDate>,
    /// Goals of the individual plan: the summary of the service pact in force
    /// (`/cases/{id}/service-pact`), kept in step with it.
    pub plan_goals: Option<String>,
    /// Esito: the closing result; set once closed.
    pub outcome: Option<Outcome>,
    /// The job found, when the outcome is `hired`.
    pub hired: Option<HiredDetails>,
    /// When the case was closed (RFC 3339, UTC).
    pub closed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When the next follow-up is due.
    pub next_due_date: Option<NaiveDate>,
    /// Open, and its next follow-up date has passed.
    pub overdue: bool,
    /// What you may do with it now.
    pub allowed_actions: Vec<Action>,
    /// What your role could do, but the case's state forbids now, and why.
    pub blocked_actions: Vec<BlockedAction>,
    /// When the case was created, at the meeting's close (RFC 3339, UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it last changed (RFC 3339, UTC); its version is the `ETag`.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// A case with its measures and outcome checks.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct CaseDetail {
    #[serde(flatten)]
    pub case: CaseOut,
    /// The measures activated for the case (attivazioni), in every state.
    pub activations: Vec<ActivationOut>,
    /// The checks at 3, 6 and 12 months after closing (verifica degli esiti); empty while open.
    pub outcome_checks: Vec<OutcomeCheckOut>,
    /// How to reach the person and where they stand (recapiti, residenza, condizione
    /// occupazionale, titolo di studio): for those who work on or supervise the case.
    pub contacts: CaseContacts,
    /// The referral (segnalazione) that started the case: needs, reason, who sent it and the
    /// table's decision.
    pub referral: CaseReferral,
}

/// How to reach the person followed, and their situation.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct CaseContacts {
    /// Contact telephone number.
    pub phone: Option<String>,
    /// Contact e-mail address.
    #[schema(format = Email)]
    pub email: Option<String>,
    /// Indirizzo.
    pub address: Option<String>,
    /// Comune di residenza.
    pub residence: Option<Place>,
    /// Condizione occupazionale.
    pub employment_status: Option<EmploymentStatus>,
    /// Titolo di studio (highest education level).
    pub education_level: Option<EducationLevel>,
}

/// The referral behind a case, as the agency and the coordinator need it.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct CaseReferral {
    /// Bisogni of the person, as the referral gave them.
    pub needs: Vec<Need>,
    /// Motivazione of the referral.
    pub reason: String,
    /// Urgenza.
    pub urgency: Urgency,
    /// The referring service (ente segnalante).
    pub organization: OrgSummary,
    /// Full name of the person who wrote the referral; absent when an integration client
    /// sent it.
    pub referred_by_name: Option<String>,
    /// When it was sent to the table (RFC 3339, UTC).
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The table's reason for accepting it (motivazione della decisione), if one was given.
    pub decision_reason: Option<String>,
    /// When the table decided it (RFC 3339, UTC).
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
}

pub fn is_overdue(c: &Case, day: NaiveDate) -> bool {
    c.status.is_followed() && c.next_due_date.is_some_and(|d| d < day)
}

fn actions(cx: &Ctx, c: &Case, open_activations: usize) -> Actions {
    policy::case_actions(
        cx.actor,
        &CaseFacts {
            status: c.status,
            open_activations,
        },
    )
}

/// A case as lists show it, with its person and agency already loaded (see [`Related`]).
pub fn out_with(
    cx: &Ctx,
    related: &Related,
    c: Case,
    open_activations: usize,
) -> Result<CaseOut, Error> {
    let person = related.person(&c.person_id)?;
    let hired = match (c.outcome, &c.outcome_details) {
        (Some(Outcome::Hired), Some(details)) => serde_json::from_str(details).ok(),
        _ => None,
    };
    let (allowed_actions, blocked_actions) = cx.render(actions(cx, &c, open_activations));
    Ok(CaseOut {
        person: person.into(),
        agency: OrgSummary {
            name: related.org_name(&c.agency_id)?,
            id: c.agency_id.clone().into(),
        },
        status: c.status,
        suspended_from: c.suspended_from,
        outcome: c.outcome,
        overdue: is_overdue(&c, cx.now.today),
        closed_at: c.closed_at.map(utc),
        created_at: utc(c.created_at),
        updated_at: utc(c.updated_at),
        hired,
        allowed_actions,
        blocked_actions,
        id: c.id.into(),
        referral_id: c.referral_id.into(),
        first_meeting_date: c.first_meeting_date,
        plan_goals: c.plan_goals,
        next_due_date: c.next_due_date,
    })
}

/// The case with its measures and outcome checks.
pub fn detail(conn: &mut DbConn, cx: &Ctx, c: Case) -> Result<CaseDetail, Error> {
    let (_, person, agency) = Case::with_party(conn, &c.id)?;
    detail_of(conn, cx, c, person, agency)
}

/// [`detail`], the case's person and agency already loaded.
fn detail_of(
    conn: &mut DbConn,
    cx: &Ctx,
    c: Case,
    person: Person,
    agency_name: String,
) -> Result<CaseDetail, Error> {
    let acts = Activation::of_case_labelled(conn, &c.id)?;
    let open = acts.iter().filter(|(a, _)| a.status.is_open()).count();
    let activations = activations::outs(conn, cx, &c, Some(&person), acts)?;
    // Outcome checks are created by the close, in the transaction that sets `closed_at`: a
    // case never closed has none to read.
    let checks = if c.closed_at.is_some() {
        OutcomeCheck::of_case(conn, &c.id)?
            .into_iter()
            .map(|k| check_out(cx, k))
            .collect()
    } else {
        Vec::new()
    };
    let contacts = CaseContacts {
        phone: person.phone.clone(),
        email: person.email.clone(),
        address: person.address.clone(),
        residence: person
            .residence_municipality_code
            .as_deref()
            .and_then(municipality::by_istat)
            .map(place),
        employment_status: person.employment_status,
        education_level: person.education_level,
    };
    let referral = case_referral(conn, &c)?;
    let related = Related::of_case(&c, person, agency_name);
    Ok(CaseDetail {
        case: out_with(cx, &related, c, open)?,
        activations,
        outcome_checks: checks,
        contacts,
        referral,
    })
}

/// The referral behind the case, its sender's name and the decision that accepted it.
fn case_referral(conn: &mut DbConn, c: &Case) -> Result<CaseReferral, Error> {
    let r = Referral::find(conn, &c.referral_id)?;
    let referred_by_name = if r.created_by.starts_with("client:") {
        None
    } else {
        let id = UserId::from(r.created_by.clone());
        User::names(conn, &[&id])?
            .into_iter()
            .next()
            .map(|(_, n)| n)
    };
    let decision = Decision::accepting(conn, &c.referral_id)?;
    Ok(CaseReferral {
        organization: OrgSummary {
            name: org_name(conn, &r.organization_id)?,
            id: r.organization_id.into(),
        },
        needs: r.needs,
        reason: r.reason,
        urgency: r.urgency,
        referred_by_name,
        submitted_at: r.submitted_at.map(utc),
        decision_reason: decision.as_ref().and_then(|d| d.reason.clone()),
        decided_at: decision.map(|d| utc(d.updated_at)),
    })
}

/// Filters of the case list.
#[derive(Debug, Clone, Default)]
pub struct CaseQuery {
    pub status: Option<CaseStatus>,
    /// Coordinator only: one agency's cases (agency operators always see their own).
    pub agency_id: Option<OrganizationId>,
    pub person_id: Option<PersonId>,
    /// Only open cases whose next follow-up is past due.
    pub overdue: bool,
    /// Only open cases whose next follow-up is due on or before this day.
    pub follow_up_due_by: Option<NaiveDate>,
    /// Only cases with an outcome check to record due on or before this day.
    pub check_due_by: Option<NaiveDate>,
}

/// Cases the caller may see, by id.
pub fn list(
    conn: &mut DbConn,
    cx: &Ctx,
    q: CaseQuery,
    page: &PageRequest,
) -> Result<Page<CaseOut>, Error> {
    let agency_id = match policy::case_scope(cx.actor)? {
        CaseScope::District => q.agency_id,
        CaseScope::Agency(a) => Some(a),
    };
    let filter = CaseFilter {
        agency_id,
        statuses: q.status.into_iter().collect(),
        person_id: q.person_id,
        overdue_before: q.overdue.then_some(cx.now.today),
        due_by: q.follow_up_due_by,
        check_due_by: q.check_due_by,
        hide_restricted: !policy::sees_restricted(cx.actor),
    };
    let rows = Case::list(
        conn,
        cx.actor.district()?,
        &filter,
        page.after(),
        page.limit,
    )?;
    let related = Related::for_cases(conn, &rows)?;
    let ids: Vec<&CaseId> = rows.iter().map(|c| &c.id).collect();
    let open = Activation::open_counts(conn, &ids)?;
    Page::of(
        rows,
        page.limit,
        |c| c.id.clone().into(),
        |c| {
            let n = open.get(&c.id).copied().unwrap_or(0);
            out_with(cx, &related, c, n)
        },
    )
}

/// One case with its measures and outcome checks: the read path, in four queries (with the
/// caller's grant): the case with its person and agency, its measures, its outcome checks.
pub fn read(conn: &mut DbConn, cx: &Ctx, id: &CaseId) -> Result<CaseDetail, Error> {
    let (c, person, agency) = Case::with_party(conn, id).map_err(|_| Error::hidden())?;
    if !policy::sees_case(cx.actor, &c.district_id, &c.agency_id) {
        return Err(Error::hidden());
    }
    // A restricted person's cases are the coordinator's only (art. 18).
    if !policy::sees_restricted(cx.actor) && Restriction::is_restricted(conn, &person.id)? {
        return Err(Error::hidden());
    }
    detail_of(conn, cx, c, person, agency)
}

/// A case as its reader sees it, with the read of its person's data to log (the answer carries
/// the person's name and, for the agency and the coordinator, the contacts): the caller records
/// it before answering, like a read of the person's record.
pub fn read_logged(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &CaseId,
) -> Result<(CaseDetail, PersonRead), Error> {
    let detail = read(conn, cx, id)?;
    let logged = PersonRead::new(
        detail.case.person.id.clone(),
        &cx.actor.id,
        cx.now.at,
        "read",
    );
    Ok((detail, logged))
}

/// Take-charge: the first meeting with the person was held and the service pact signed.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"first_meeting_date": "2026-11-20",
    "service_pact": {
        "summary": "Bilancio di competenze; corso carrellista; ricerca attiva.",
        "profile_kind": "gol", "profile_value": "pathway_1",
        "meeting_frequency": "fortnightly",
        "job_search_proof": "Copia delle candidature inviate, mostrata al colloquio.",
        "actions": [{"kind": "job_search", "description": "Inviare 5 candidature a settimana", "timing": "ogni settimana"}]
    }}))]
pub struct TakeChargeInput {
    /// Date of the first meeting (primo colloquio): not in the future, not before the assignment.
    pub first_meeting_date: NaiveDate,
    /// Obiettivi del patto di servizio: the pact's summary. Required without `service_pact`
    /// (the pact's first version is then this text alone); with it, absent or equal to its
    /// `summary`.
    #[validate(length(min = 3, max = 4000))]
    #[schema(min_length = 3, max_length = 4000)]
    pub plan_goals: Option<String>,
    /// The service pact (patto di servizio personalizzato) signed at the first meeting: its
    /// first version (the next one after a reassignment), as `PUT /cases/{id}/service-pact`
    /// takes it.
    #[validate(nested)]
    pub service_pact: Option<service_pact::ServicePactInput>,
}

impl TakeChargeInput {
    /// The pact's first version this take-charge makes, or which field is wrong.
    fn pact(self) -> Result<service_pact::ServicePactInput, Error> {
        let goals = self.plan_goals.as_deref().map(str::trim);
        match (self.service_pact, goals) {
            (Some(p), Some(g)) if g != p.summary.trim() => Err(Error::validation(
                "plan_goals",
                "mismatch",
                text!(
                    "deve coincidere con la sintesi del patto di servizio (service_pact.summary), o mancare",
                    "must equal the service pact's summary (service_pact.summary), or be absent"
                ),
            )),
            (Some(p), _) => Ok(p),
            (None, Some(g)) => Ok(service_pact::ServicePactInput::from_goals(g)),
            (None, None) => Err(Error::validation(
                "plan_goals",
                "required",
                text!(
                    "indica gli obiettivi del patto di servizio (o il patto in service_pact)",
                    "give the service pact's goals (or the pact in service_pact)"
                ),
            )),
        }
    }
}

/// Why (required).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct ReasonInput {
    /// Motivazione, recorded with the transition.
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// Why (optional).
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
pub struct OptionalReason {
    /// Motivazione, recorded with the transition if given.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
}

/// Closing a case with its outcome.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"outcome": "hired", "hired": {"contract_type": "fixed_term", "hours_per_week": 30, "employer": "Logistica Orobica srl"}, "note": "Assunto dopo il tirocinio"}))]
pub struct CloseInput {
    /// Esito: the closing result (a job, a traineeship, training, drop-out, …).
    pub outcome: Outcome,
    /// Required when `outcome` is `hired`.
    #[validate(nested)]
    pub hired: Option<HiredDetails>,
    /// Note recorded with the closing transition (default: the outcome code).
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

pub fn take_charge(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &CaseId,
    expected: &Expected,
    i: TakeChargeInput,
) -> Result<CaseDetail, Error> {
    policy::may_work_on_cases(cx.actor)?;
    if i.first_meeting_date > cx.now.today {
        return Err(Error::validation(
            "first_meeting_date",
            "future",
            text!(
                "il primo colloquio deve essere già avvenuto",
                "the first meeting must already have taken place"
            ),
        ));
    }
    let first_meeting_date = i.first_meeting_date;
    let pact = i.pact()?;
    write_tx(conn, |conn| {
        let mut c = visible(conn, cx, id, expected)?;
        let to = c.status.take_charge()?;
        if first_meeting_date < c.created_at.date() {
            return Err(Error::validation(
                "first_meeting_date",
                "range",
                text!(
                    "non può essere precedente all'assegnazione del caso",
                    "cannot be before the case was assigned"
                ),
            ));
        }
        c.first_meeting_date = Some(first_meeting_date);
        c.case_manager_id = Some(cx.actor.id.clone().into());
        // The pact signed at the first meeting: version 1 (the next one after a reassignment),
        // its summary the plan goals. What its rules refuse is named under `service_pact.`.
        let previous = ServicePact::current(conn, &c.id)?;
        service_pact::write_version(conn, cx, &mut c, previous.as_ref(), pact.clone())
            .map_err(|e| e.under("service_pact"))?;
        transition(conn, cx, &mut c, "take_charge", to, None)?;
        detail(conn, cx, c)
    })
}

pub fn suspend(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &CaseId,
    expected: &Expected,
    i: ReasonInput,
) -> Result<CaseDetail, Error> {
    policy::may_work_on_cases(cx.actor)?;
    write_tx(conn, |conn| {
        let mut c = visible(conn, cx, id, expected)?;
        let from = c.status;
        let to = from.suspend()?;
        c.suspended_from = Some(from);
        transition(conn, cx, &mut c, "suspend", to, Some(&i.reason))?;
        detail(conn, cx, c)
    })
}

pub fn resume(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &CaseId,
    expected: &Expected,
    i: OptionalReason,
) -> Result<CaseDetail, Error> {
    policy::may_work_on_cases(cx.actor)?;
    write_tx(conn, |conn| {
        let mut c = visible(conn, cx, id, expected)?;
        let previous = c.suspended_from.unwrap_or(CaseStatus::InCharge);
        let to = c.status.resume(previous)?;
        c.suspended_from = None;
        transition(conn, cx, &mut c, "resume", to, i.reason.as_deref())?;
        detail(conn, cx, c)
    })
}

pub fn close(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &CaseId,
    expected: &Expected,
    i: CloseInput,
) -> Result<CaseDetail, Error> {
    policy::may_work_on_cases(cx.actor)?;
    match (i.outcome, &i.hired) {
        (Outcome::Hired, None) => {
            return Err(Error::Validation(vec![FieldError::new(
                "hired",
                "required",
                text!(
                    "con l'esito assunzione sono obbligatori tipo di contratto, ore settimanali e \
                     datore di lavoro",
                    "contract type, weekly hours and employer are required when the outcome is \
                     hired"
                ),
            )]))
        }
        (o, Some(_)) if o != Outcome::Hired => {
            return Err(Error::validation(
                "hired",
                "not_allowed",
                text!(
                    "i dettagli del lavoro si indicano solo con l'esito assunzione",
                    "only the hired outcome takes job details"
                ),
            ))
        }
        _ => {}
    }
    write_tx(conn, |conn| {
        let mut c = visible(conn, cx, id, expected)?;
        let to = c.status.close()?;
        let open = Activation::of_case(conn, &c.id)?
            .into_iter()
            .filter(|a| a.status.is_open())
            .count();
        if open > 0 {
            return Err(Error::conflict(
                ErrorCode::ActivationsOpen,
                match open {
                    1 => text!(
                        "una misura è ancora proposta, approvata o in corso: prima completarla, \
                         interromperla o annullarla",
                        "{open} measure(s) are still proposed, approved or running: complete, \
                         interrupt or cancel them first"
                    ),
                    _ => text!(
                        "{open} misure sono ancora proposte, approvate o in corso: prima \
                         completarle, interromperle o annullarle",
                        "{open} measure(s) are still proposed, approved or running: complete, \
                         interrupt or cancel them first"
                    ),
                },
            ));
        }
        c.outcome = Some(i.outcome);
        c.outcome_details = i.hired.as_ref().and_then(|h| serde_json::to_string(h).ok());
        c.closed_at = Some(cx.now.at);
        c.suspended_from = None;
        c.next_due_date = None;
        transition(
            conn,
            cx,
            &mut c,
            "close",
            to,
            i.note.as_deref().or(Some(i.outcome.as_str())),
        )?;
        // Stabilizzazione degli inserimenti: checks at 3, 6 and 12 months.
        let closed_on = cx.now.today;
        for months in [3u32, 6, 12] {
            OutcomeCheck::insert(
                conn,
                &OutcomeCheck {
                    id: new_id(),
                    case_id: c.id.clone(),
                    months: months as i32,
                    due_date: closed_on
                        .checked_add_months(chrono::Months::new(months))
                        .unwrap_or(closed_on),
                    status: OutcomeCheckStatus::Due,
                    employed: None,
                    note: None,
                    recorded_by: None,
                    recorded_at: None,
                    created_at: cx.now.at,
                    notified_at: None,
                },
            )?;
        }
        detail(conn, cx, c)
    })
}

/// Moves a case to another agency (a meeting decision): open measures not yet running are
/// cancelled and their reservations released; the case starts again from `assigned`.
pub fn reassign(
    conn: &mut DbConn,
    cx: &Ctx,
    c: &mut Case,
    agency_id: &OrganizationId,
    reason: Option<&str>,
) -> Result<(), Error> {
    let to = c.status.reassign()?;
    for a in Activation::of_case(conn, &c.id)? {
        if a.status == sistema_lavoro_domain::states::ActivationStatus::Running {
            return Err(Error::conflict(
                ErrorCode::ActivationsRunning,
                text!(
                    "il caso ha misure in corso: completarle o interromperle prima della \
                     riassegnazione",
                    "the case has running measures: complete or interrupt them before reassigning"
                ),
            ));
        }
        if a.status.is_open() {
            activations::cancel_row(conn, cx.by(), a, Some("caso riassegnato"))?;
        }
    }
    let from_agency = c.agency_id.clone();
    c.agency_id = agency_id.into();
    c.case_manager_id = None;
    c.suspended_from = None;
    c.first_meeting_date = None;
    c.next_due_date = Some(cx.now.today + chrono::Duration::days(30));
    let why = format!(
        "riassegnato da {} a {}{}",
        org_name(conn, &from_agency)?,
        org_name(conn, agency_id)?,
        reason.map(|r| format!(": {r}")).unwrap_or_default()
    );
    audit::move_to(conn, c, "reassign", to, Some(&why), cx.by())?;
    notify(conn, cx, c, None)
}

// --------------------------------------------------------------- follow-ups

/// A diary entry (monitoraggio).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"kind": "meeting", "date": "2026-11-20", "note": "Colloquio di verifica: frequenta il corso.", "next_due_date": "2026-12-04"}))]
pub struct FollowUpInput {
    /// Tipo di contatto: meeting (colloquio), call, training started, hired, …
    pub kind: FollowUpKind,
    /// When it happened (not in the future).
    pub date: NaiveDate,
    /// What happened, in free text (personal data of the case diary).
    #[validate(length(min = 1, max = 4000))]
    #[schema(min_length = 1, max_length = 4000)]
    pub note: String,
    /// When the next follow-up is due; default: `date` + the overdue period.
    pub next_due_date: Option<NaiveDate>,
    /// Actions of the case's service pact in force this entry marks done.
    #[validate(length(max = 30))]
    #[schema(max_items = 30, value_type = Option<Vec<String>>)]
    pub pact_action_ids: Option<Vec<PactActionId>>,
}

/// A diary entry.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct FollowUpOut {
    /// Identifier of the diary entry, a UUID.
    pub id: String,
    /// The case (presa in carico) it belongs to.
    pub case_id: String,
    /// Tipo di contatto: meeting (colloquio), call, training started, hired, …
    pub kind: FollowUpKind,
    /// When it happened (ISO 8601 date).
    pub date: NaiveDate,
    /// What happened, in free text.
    pub note: String,
    /// When the next follow-up is due, as given with the entry.
    pub next_due_date: Option<NaiveDate>,
    /// Who wrote it: a user id, or `client:<id>` for an integration client.
    pub created_by: String,
    /// When it was written (RFC 3339, UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
}

pub fn follow_up_out(f: FollowUp) -> FollowUpOut {
    FollowUpOut {
        kind: f.kind,
        created_at: utc(f.created_at),
        id: f.id.into(),
        case_id: f.case_id.into(),
        date: f.date,
        note: f.note,
        next_due_date: f.next_due_date,
        created_by: f.created_by,
    }
}

/// The case diary, oldest first.
pub fn follow_ups(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &CaseId,
    page: &PageRequest,
) -> Result<Page<FollowUpOut>, Error> {
    let c = visible(conn, cx, id, &Expected::Any)?;
    let rows = FollowUp::of_case(conn, &c.id, page.after(), page.limit)?;
    Page::of(
        rows,
        page.limit,
        |f| f.id.clone().into(),
        |f| Ok(follow_up_out(f)),
    )
}

pub fn add_follow_up(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &CaseId,
    i: FollowUpInput,
    overdue_days: i64,
) -> Result<FollowUpOut, Error> {
    policy::may_work_on_cases(cx.actor)?;
    let mut errors = Vec::new();
    if i.date > cx.now.today {
        errors.push(FieldError::new(
            "date",
            "future",
            text!("non può essere nel futuro", "cannot be in the future"),
        ));
    }
    if i.next_due_date.is_some_and(|n| n < i.date) {
        errors.push(FieldError::new(
            "next_due_date",
            "range",
            text!(
                "non può essere precedente a date",
                "must not be before date"
            ),
        ));
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    write_tx(conn, |conn| {
        let mut c = visible(conn, cx, id, &Expected::Any)?;
        c.status.follow_up()?;
        let f = FollowUp {
            id: new_id(),
            case_id: c.id.clone(),
            kind: i.kind,
            date: i.date,
            note: i.note.trim().into(),
            next_due_date: i.next_due_date,
            created_by: cx.actor.id.clone(),
            created_at: cx.now.at,
        };
        FollowUp::insert(conn, &f)?;
        service_pact::tick(
            conn,
            cx,
            &c,
            &f.id,
            i.pact_action_ids.as_deref().unwrap_or_default(),
        )?;
        c.next_due_date = Some(
            i.next_due_date
                .unwrap_or(i.date + chrono::Duration::days(overdue_days)),
        );
        c.updated_at = cx.now.at;
        if !Case::save_if(conn, &c, c.status)? {
            return Err(Error::conflict(
                ErrorCode::ConcurrentUpdate,
                text!(
                    "qualcun altro ha modificato il caso nel frattempo; ricaricare e riprovare",
                    "the case was changed meanwhile; reload it"
                ),
            ));
        }
        Ok(follow_up_out(f))
    })
}

// ----------------------------------------------------------- outcome checks

/// A check of how the outcome held, 3, 6 or 12 months after closing.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct OutcomeCheckOut {
    /// Identifier of the check, a UUID.
    pub id: String,
    /// The closed case it checks.
    pub case_id: String,
    /// 3, 6 or 12.
    pub months: i32,
    /// When it is due: the closing day plus `months` (ISO 8601 date).
    pub due_date: NaiveDate,
    /// `due` until recorded, then `done`.
    pub status: OutcomeCheckStatus,
    /// Still employed (or in training/traineeship) at the check; absent until recorded
    /// (never `null`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub employed: Option<bool>,
    /// Note of whoever recorded it.
    pub note: Option<String>,
    /// When it was recorded (RFC 3339, UTC).
    pub recorded_at: Option<chrono::DateTime<chrono::Utc>>,
    /// `record` while it is due and you work on the case.
    pub allowed_actions: Vec<Action>,
    /// `record` once it is recorded, with the reason.
    pub blocked_actions: Vec<BlockedAction>,
}

fn check_out(cx: &Ctx, c: OutcomeCheck) -> OutcomeCheckOut {
    let (allowed_actions, blocked_actions) =
        cx.render(policy::outcome_check_actions(cx.actor, c.status));
    OutcomeCheckOut {
        allowed_actions,
        blocked_actions,
        status: c.status,
        recorded_at: c.recorded_at.map(utc),
        id: c.id.into(),
        case_id: c.case_id.into(),
        months: c.months,
        due_date: c.due_date,
        employed: c.employed,
        note: c.note,
    }
}

/// The result of an outcome check.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct OutcomeCheckInput {
    /// Is the person still employed (or in training/traineeship)?
    pub employed: bool,
    /// Optional note on the check.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

pub fn record_check(
    conn: &mut DbConn,
    cx: &Ctx,
    case_id: &CaseId,
    check_id: &OutcomeCheckId,
    i: OutcomeCheckInput,
) -> Result<OutcomeCheckOut, Error> {
    policy::may_work_on_cases(cx.actor)?;
    write_tx(conn, |conn| {
        let c = visible(conn, cx, case_id, &Expected::Any)?;
        let mut check = OutcomeCheck::find(conn, check_id)
            .ok()
            .filter(|k| k.case_id == c.id)
            .ok_or_else(Error::hidden)?;
        if check.status != OutcomeCheckStatus::Due {
            return Err(Error::InvalidTransition {
                entity: "outcome check",
                action: "record",
                from: check.status.as_str().into(),
            });
        }
        check.status = OutcomeCheckStatus::Done;
        check.employed = Some(i.employed);
        check.note = i.note.clone();
        check.recorded_by = Some(cx.actor.id.clone());
        check.recorded_at = Some(cx.now.at);
        if !OutcomeCheck::save_if_due(conn, &check)? {
            return Err(Error::conflict(
                ErrorCode::ConcurrentUpdate,
                text!(
                    "la verifica è stata registrata nel frattempo",
                    "the check was recorded meanwhile"
                ),
            ));
        }
        Ok(check_out(cx, check))
    })
}

pub fn outcome_checks(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &CaseId,
) -> Result<Vec<OutcomeCheckOut>, Error> {
    let c = visible(conn, cx, id, &Expected::Any)?;
    Ok(OutcomeCheck::of_case(conn, &c.id)?
        .into_iter()
        .map(|k| check_out(cx, k))
        .collect())
}

// ----------------------------------------------------------------- timeline

/// One moment in a case's story.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEntry {
    /// When (RFC 3339, UTC).
    pub at: chrono::DateTime<chrono::Utc>,
    /// `referral`, `case`, `activation`, `person` (edits of the person's data), `follow_up`,
    /// `outcome_check`, `opportunity_proposal` (an opportunity proposed, `propose`, and the
    /// person's answer, `answer`, with the result as note).
    pub kind: String,
    /// What happened, e.g. `submit`, `take_charge`, `approve`, `meeting`.
    pub action: String,
    /// State before, for transitions.
    pub from: Option<String>,
    /// State after, for transitions.
    pub to: Option<String>,
    /// Reason, edited fields or diary note.
    pub note: Option<String>,
    /// Who: a user id, or `client:<id>` for an integration client; absent for the system.
    pub actor_id: Option<String>,
    /// The record concerned (activation, follow-up … id).
    pub ref_id: String,
}

/// The case's story: transitions of its referral, itself and its activations, corrections
/// of the person's data, follow-ups and outcome checks, oldest first.
pub fn timeline(conn: &mut DbConn, cx: &Ctx, id: &CaseId) -> Result<Vec<TimelineEntry>, Error> {
    let c = visible(conn, cx, id, &Expected::Any)?;
    let act_ids: Vec<String> = Activation::of_case(conn, &c.id)?
        .into_iter()
        .map(|a| a.id.into())
        .collect();
    let proposal_ids: Vec<String> =
        sistema_lavoro_store::opportunities::OpportunityProposal::all_of_case(conn, &c.id)?
            .into_iter()
            .map(|p| p.id.into())
            .collect();
    let mut entries = Vec::new();
    for (kind, ids) in [
        ("referral", vec![c.referral_id.to_string()]),
        ("case", vec![c.id.to_string()]),
        ("activation", act_ids),
        ("person", vec![c.person_id.to_string()]),
        ("opportunity_proposal", proposal_ids),
    ] {
        for s in audit::history(conn, kind, &ids)? {
            let ref_id = s.entity_id.clone();
            let out: StateChangeOut = s.into();
            entries.push(TimelineEntry {
                at: out.at,
                kind: kind.into(),
                action: out.action,
                from: out.from,
                to: Some(out.to),
                note: out.reason,
                actor_id: out.actor_id,
                ref_id,
            });
        }
    }
    for f in FollowUp::all_of_case(conn, &c.id)? {
        entries.push(TimelineEntry {
            at: utc(f.created_at),
            kind: "follow_up".into(),
            action: f.kind.as_str().into(),
            from: None,
            to: None,
            note: Some(format!("{}: {}", f.date, f.note)),
            actor_id: Some(f.created_by),
            ref_id: f.id.into(),
        });
    }
    for k in OutcomeCheck::of_case(conn, &c.id)? {
        if let Some(at) = k.recorded_at {
            entries.push(TimelineEntry {
                at: utc(at),
                kind: "outcome_check".into(),
                action: format!("check_{}_months", k.months),
                from: None,
                to: Some(
                    if k.employed == Some(true) {
                        "employed"
                    } else {
                        "not_employed"
                    }
                    .into(),
                ),
                note: k.note,
                actor_id: k.recorded_by,
                ref_id: k.id.into(),
            });
        }
    }
    entries.sort_by(|a, b| a.at.cmp(&b.at).then(a.ref_id.cmp(&b.ref_id)));
    Ok(entries)
}
