//! The service pact (patto di servizio personalizzato, art. 20 D.Lgs. 150/2015): made at
//! take-charge, revised as new versions (the history is kept), printed as PDF, its actions
//! ticked by follow-ups. Its summary is the case's `plan_goals`: one truth, written together.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sistema_lavoro_domain::actions::{Action, BlockedAction};
use sistema_lavoro_domain::ids::{
    CaseId, DocumentId, FollowUpId, PactActionId, ServicePactId, UserId,
};
use sistema_lavoro_domain::policy;
use sistema_lavoro_domain::vocabulary::{
    MeetingFrequency, PactActionKind, PactProfileKind, PactProfileValue,
};
use sistema_lavoro_domain::{text, Error, ErrorCode, Expected, FieldError, Role, Version};
use sistema_lavoro_store::audit::{self, PersonRead, Transition};
use sistema_lavoro_store::cases::Case;
use sistema_lavoro_store::documents;
use sistema_lavoro_store::service_pacts::{PactAction, ServicePact};
use sistema_lavoro_store::users::User;
use sistema_lavoro_store::{new_id, utc, write_tx, DbConn};
use utoipa::ToSchema;
use validator::Validate;

use super::case_state::visible;
use super::{Page, PageRequest};
use crate::pdf::{self, Block};
use crate::Ctx;

/// Most actions one version lists.
pub const MAX_ACTIONS: usize = 30;

/// An action of the pact as sent: a job-search or training commitment with its timing.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"kind": "job_search", "description": "Inviare 5 candidature a settimana", "timing": "ogni settimana"}))]
pub struct PactActionInput {
    /// The id of an action of the version in force this one continues: its done mark carries
    /// over. Absent for a new action.
    #[schema(max_length = 64, value_type = Option<String>)]
    pub id: Option<PactActionId>,
    /// `job_search` (ricerca attiva di lavoro) or `training` (formazione).
    pub kind: PactActionKind,
    /// What the person commits to do.
    #[validate(length(min = 3, max = 500))]
    #[schema(min_length = 3, max_length = 500)]
    pub description: String,
    /// By when (ISO 8601 date), if it has a deadline.
    pub due_date: Option<NaiveDate>,
    /// When or how often, in words (e.g. "ogni settimana", "entro marzo").
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub timing: Option<String>,
}

/// A version of the pact as sent: what the agency and the person agreed.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({
    "summary": "Bilancio di competenze; corso carrellista; ricerca attiva.",
    "profile_kind": "gol", "profile_value": "pathway_1",
    "assessment": "Buona motivazione, esperienza in magazzino.",
    "meeting_frequency": "fortnightly",
    "job_search_proof": "Copia delle candidature inviate, mostrata al colloquio.",
    "actions": [{"kind": "job_search", "description": "Inviare 5 candidature a settimana", "timing": "ogni settimana"},
                {"kind": "training", "description": "Corso carrellista", "due_date": "2027-03-31"}]
}))]
pub struct ServicePactInput {
    /// The pact's summary (obiettivi): the case's `plan_goals`.
    #[validate(length(min = 3, max = 4000))]
    #[schema(min_length = 3, max_length = 4000)]
    pub summary: String,
    /// The responsible operator, a user of the case's agency; default: the one in force, or
    /// you.
    #[schema(max_length = 64, value_type = Option<String>)]
    pub responsible_user_id: Option<UserId>,
    /// Employability profile programme: `dul` or `gol` (with `profile_value`).
    pub profile_kind: Option<PactProfileKind>,
    /// The DUL aid band (`band_1`…`band_4`) or the GOL pathway (`pathway_1`…`pathway_5`),
    /// matching `profile_kind`.
    pub profile_value: Option<PactProfileValue>,
    /// The agency's assessment of the person's employability.
    #[validate(length(max = 4000))]
    #[schema(max_length = 4000)]
    pub assessment: Option<String>,
    /// How often the person and the operator meet.
    pub meeting_frequency: Option<MeetingFrequency>,
    /// How the person proves the job search (prova della ricerca attiva).
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub job_search_proof: Option<String>,
    /// The job-search and training actions, in order (none when absent).
    #[validate(length(max = 30), nested)]
    #[schema(max_items = 30)]
    pub actions: Option<Vec<PactActionInput>>,
    /// The signed copy: a document attached to this case.
    #[schema(max_length = 64, value_type = Option<String>)]
    pub signed_document_id: Option<DocumentId>,
}

impl ServicePactInput {
    /// The first version, from the plan goals given at take-charge.
    pub fn from_goals(goals: &str) -> ServicePactInput {
        ServicePactInput {
            summary: goals.into(),
            responsible_user_id: None,
            profile_kind: None,
            profile_value: None,
            assessment: None,
            meeting_frequency: None,
            job_search_proof: None,
            actions: None,
            signed_document_id: None,
        }
    }
}

/// An action of a pact version.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct PactActionOut {
    /// Identifier of the action, a UUID (what a follow-up's `pact_action_ids` names).
    pub id: String,
    /// `job_search` (ricerca attiva di lavoro) or `training` (formazione).
    pub kind: PactActionKind,
    /// What the person commits to do.
    pub description: String,
    /// By when (ISO 8601 date), if it has a deadline.
    pub due_date: Option<NaiveDate>,
    /// When or how often, in words.
    pub timing: Option<String>,
    /// When a follow-up marked it done (RFC 3339, UTC); absent while to do.
    pub done_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The follow-up (diary entry) that marked it done.
    pub done_follow_up_id: Option<String>,
}

/// A user named on the pact.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct PactUser {
    /// The user's id.
    pub id: String,
    /// The user's full name.
    pub full_name: String,
}

/// A version of a case's service pact (patto di servizio personalizzato).
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct ServicePactOut {
    /// The case (presa in carico) it belongs to.
    pub case_id: String,
    /// The version number, from 1 (take-charge); each revision adds one.
    pub version: i32,
    /// `true` for the version in force.
    pub current: bool,
    /// The pact's summary (obiettivi), the case's `plan_goals`.
    pub summary: String,
    /// The responsible operator.
    pub responsible: Option<PactUser>,
    /// Employability profile programme: `dul` or `gol`.
    pub profile_kind: Option<PactProfileKind>,
    /// The DUL aid band or GOL pathway.
    pub profile_value: Option<PactProfileValue>,
    /// The agency's assessment of the person's employability.
    pub assessment: Option<String>,
    /// How often the person and the operator meet.
    pub meeting_frequency: Option<MeetingFrequency>,
    /// How the person proves the job search.
    pub job_search_proof: Option<String>,
    /// The job-search and training actions, in order.
    pub actions: Vec<PactActionOut>,
    /// The signed copy, a document of the case (download it from `/documents/{id}`).
    pub signed_document_id: Option<String>,
    /// Who wrote this version: a user id, or `client:<id>` for an integration client.
    pub created_by: String,
    /// When this version was written (RFC 3339, UTC); the current one's is the `ETag`.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// What you may do with it now (`edit_service_pact` on the version in force).
    pub allowed_actions: Vec<Action>,
    /// What your role could do, but the case's state forbids now, and why.
    pub blocked_actions: Vec<BlockedAction>,
}

fn user_of(conn: &mut DbConn, id: &Option<UserId>) -> Result<Option<PactUser>, Error> {
    Ok(match id {
        Some(u) => User::find(conn, u).ok().map(|u| PactUser {
            id: u.id.into(),
            full_name: u.full_name,
        }),
        None => None,
    })
}

fn outs(
    conn: &mut DbConn,
    cx: &Ctx,
    c: &Case,
    rows: Vec<ServicePact>,
    current_version: i32,
) -> Result<Vec<ServicePactOut>, Error> {
    let ids: Vec<&ServicePactId> = rows.iter().map(|p| &p.id).collect();
    let mut acts = ServicePact::actions_of(conn, &ids)?;
    let mut out = Vec::with_capacity(rows.len());
    for p in rows {
        let mine: Vec<PactAction> = {
            let (m, rest): (Vec<_>, Vec<_>) = acts.into_iter().partition(|a| a.pact_id == p.id);
            acts = rest;
            m
        };
        let current = p.version == current_version;
        let (allowed_actions, blocked_actions) = if current {
            let mut a = sistema_lavoro_domain::actions::Actions::default();
            if policy::may_edit_service_pact(cx.actor).is_ok() {
                a.by_state(
                    Action::EditServicePact,
                    "case",
                    c.status.as_str(),
                    policy::service_pact_editable(c.status),
                );
            }
            cx.render(a)
        } else {
            (Vec::new(), Vec::new())
        };
        out.push(ServicePactOut {
            case_id: p.case_id.into(),
            version: p.version,
            current,
            summary: p.summary,
            responsible: user_of(conn, &p.responsible_user_id)?,
            profile_kind: p.profile_kind,
            profile_value: p.profile_value,
            assessment: p.assessment,
            meeting_frequency: p.meeting_frequency,
            job_search_proof: p.job_search_proof,
            actions: mine
                .into_iter()
                .map(|a| PactActionOut {
                    id: a.id.into(),
                    kind: a.kind,
                    description: a.description,
                    due_date: a.due_date,
                    timing: a.timing,
                    done_at: a.done_at.map(utc),
                    done_follow_up_id: a.done_follow_up_id.map(Into::into),
                })
                .collect(),
            signed_document_id: p.signed_document_id.map(Into::into),
            created_by: p.created_by,
            created_at: utc(p.created_at),
            allowed_actions,
            blocked_actions,
        });
    }
    Ok(out)
}

/// The case, seen by the caller, and its pact in force (`404` before take-charge).
fn visible_pact(conn: &mut DbConn, cx: &Ctx, id: &CaseId) -> Result<(Case, ServicePact), Error> {
    let c = visible(conn, cx, id, &Expected::Any)?;
    let p = ServicePact::current(conn, &c.id)?.ok_or_else(Error::hidden)?;
    Ok((c, p))
}

fn read_of(c: &Case, cx: &Ctx) -> PersonRead {
    PersonRead::new(c.person_id.clone(), &cx.actor.id, cx.now.at, "read")
}

/// The pact in force, and the read of the person's record to log.
pub fn read(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &CaseId,
) -> Result<(ServicePactOut, PersonRead), Error> {
    let (c, p) = visible_pact(conn, cx, id)?;
    let v = p.version;
    let out = outs(conn, cx, &c, vec![p], v)?
        .pop()
        .ok_or_else(Error::hidden)?;
    Ok((out, read_of(&c, cx)))
}

/// Who may be named the pact's responsible operator (`responsible_user_id`, at take-charge or
/// in a revision): the active operators of the agency following the case, by name. Before
/// take-charge too, for the take-charge form.
pub fn operators(conn: &mut DbConn, cx: &Ctx, id: &CaseId) -> Result<Page<PactUser>, Error> {
    let c = visible(conn, cx, id, &Expected::Any)?;
    let users = User::operators_of(conn, &c.agency_id, 200)?;
    Ok(Page::whole(
        users
            .into_iter()
            .map(|u| PactUser {
                id: u.id.into(),
                full_name: u.full_name,
            })
            .collect(),
    ))
}

/// Every version, newest first; the cursor is a version number.
pub fn versions(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &CaseId,
    page: &PageRequest,
) -> Result<(Page<ServicePactOut>, PersonRead), Error> {
    let (c, p) = visible_pact(conn, cx, id)?;
    // The cursor is opaque to clients, as on every list: one this list never gave points
    // nowhere, so nothing follows it (an empty page, not an error).
    let before = match page.after().map(str::parse::<i32>) {
        None => None,
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => {
            return Ok((
                Page {
                    items: Vec::new(),
                    next: None,
                },
                read_of(&c, cx),
            ))
        }
    };
    let rows = ServicePact::versions(conn, &c.id, before, page.limit)?;
    let more = rows.len() as i64 > page.limit;
    let mut rows = rows;
    rows.truncate(usize::try_from(page.limit).unwrap_or(0));
    let next = if more {
        rows.last().map(|r| r.version.to_string())
    } else {
        None
    };
    let items = outs(conn, cx, &c, rows, p.version)?;
    Ok((Page { items, next }, read_of(&c, cx)))
}

fn check(
    conn: &mut DbConn,
    c: &Case,
    i: &ServicePactInput,
    previous: Option<&[PactAction]>,
) -> Result<(), Error> {
    let mut errors = Vec::new();
    match (i.profile_kind, i.profile_value) {
        (Some(k), Some(v)) if v.kind() != k => errors.push(FieldError::new(
            "profile_value",
            "mismatch",
            match k {
                PactProfileKind::Dul => text!(
                    "con il profilo DUL il valore è una fascia di aiuto (band_1…band_4)",
                    "a DUL profile takes an aid band (band_1…band_4)"
                ),
                PactProfileKind::Gol => text!(
                    "con il profilo GOL il valore è un percorso (pathway_1…pathway_5)",
                    "a GOL profile takes a pathway (pathway_1…pathway_5)"
                ),
            },
        )),
        (Some(_), None) => errors.push(FieldError::new(
            "profile_value",
            "required",
            text!(
                "indicare la fascia DUL o il percorso GOL",
                "give the DUL band or the GOL pathway"
            ),
        )),
        (None, Some(_)) => errors.push(FieldError::new(
            "profile_kind",
            "required",
            text!(
                "indicare il programma del profilo (dul o gol)",
                "give the profile's programme (dul or gol)"
            ),
        )),
        _ => {}
    }
    for (n, a) in i.actions.iter().flatten().enumerate() {
        if let Some(id) = &a.id {
            if !previous.is_some_and(|p| p.iter().any(|x| &x.id == id)) {
                errors.push(FieldError::new(
                    format!("actions[{n}].id"),
                    "unknown",
                    text!(
                        "non è un'azione della versione in vigore del patto",
                        "not an action of the pact version in force"
                    ),
                ));
            }
        }
        if a.description.trim().chars().count() < 3 {
            errors.push(FieldError::new(
                format!("actions[{n}].description"),
                "length",
                text!("almeno 3 caratteri", "at least 3 characters"),
            ));
        }
    }
    if let Some(u) = &i.responsible_user_id {
        let ok = User::find(conn, u)
            .ok()
            .filter(|u| u.active && u.organization_id.as_ref() == Some(&c.agency_id))
            .is_some_and(|u| u.role == Role::AgencyOperator);
        if !ok {
            errors.push(FieldError::new(
                "responsible_user_id",
                "unknown",
                text!(
                    "non è un operatore attivo dell'ente che segue il caso",
                    "not an active operator of the agency following the case"
                ),
            ));
        }
    }
    if let Some(d) = &i.signed_document_id {
        let ours = documents::find(conn, d)
            .ok()
            .is_some_and(|m| m.case_id() == Some(c.id.clone()));
        if !ours {
            errors.push(FieldError::new(
                "signed_document_id",
                "unknown",
                text!(
                    "non è un documento allegato a questo caso",
                    "not a document attached to this case"
                ),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation(errors))
    }
}

fn trimmed(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
}

/// Writes the next version of the case's pact (1 when it has none) inside the caller's
/// transaction, and sets the case's `plan_goals` to its summary (the caller saves the case).
pub fn write_version(
    conn: &mut DbConn,
    cx: &Ctx,
    c: &mut Case,
    previous: Option<&ServicePact>,
    i: ServicePactInput,
) -> Result<ServicePact, Error> {
    let prev_actions = match previous {
        Some(p) => Some(ServicePact::actions_of(conn, &[&p.id])?),
        None => None,
    };
    check(conn, c, &i, prev_actions.as_deref())?;
    let me: Option<UserId> = (!cx.actor.is_client()).then(|| cx.actor.id.clone().into());
    let responsible = i
        .responsible_user_id
        .clone()
        .or_else(|| previous.and_then(|p| p.responsible_user_id.clone()))
        .or(me);
    let p = ServicePact {
        id: new_id(),
        case_id: c.id.clone(),
        version: previous.map_or(1, |p| p.version + 1),
        responsible_user_id: responsible,
        profile_kind: i.profile_kind,
        profile_value: i.profile_value,
        assessment: trimmed(&i.assessment),
        meeting_frequency: i.meeting_frequency,
        job_search_proof: trimmed(&i.job_search_proof),
        summary: i.summary.trim().into(),
        signed_document_id: i.signed_document_id.clone(),
        created_by: cx.actor.id.clone(),
        created_at: cx.now.at,
    };
    let actions: Vec<PactAction> = i
        .actions
        .iter()
        .flatten()
        .enumerate()
        .map(|(n, a)| {
            let carried = a.id.as_ref().and_then(|id| {
                prev_actions
                    .as_ref()
                    .and_then(|p| p.iter().find(|x| &x.id == id))
            });
            PactAction {
                id: new_id(),
                pact_id: p.id.clone(),
                position: n as i32,
                kind: a.kind,
                description: a.description.trim().into(),
                due_date: a.due_date,
                timing: trimmed(&a.timing),
                done_at: carried.and_then(|x| x.done_at),
                done_follow_up_id: carried.and_then(|x| x.done_follow_up_id.clone()),
            }
        })
        .collect();
    ServicePact::insert(conn, &p, &actions)?;
    c.plan_goals = Some(p.summary.clone());
    audit::record(
        conn,
        Transition {
            entity_type: "case",
            entity_id: c.id.as_str(),
            action: "service_pact",
            from: Some(c.status.as_str()),
            to: c.status.as_str(),
            reason: Some(&format!("patto di servizio, versione {}", p.version)),
            actor_id: Some(&cx.actor.id),
            at: cx.now.at,
        },
    )?;
    Ok(p)
}

/// A revision: a new version of the pact in force, at the version the caller read
/// (`If-Match` is the current version's `ETag`; `412` when stale, `428` without it).
pub fn revise(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &CaseId,
    expected: &Expected,
    i: ServicePactInput,
) -> Result<ServicePactOut, Error> {
    write_tx(conn, |conn| {
        let mut c = visible(conn, cx, id, &Expected::Any)?;
        policy::may_edit_service_pact(cx.actor)?;
        // An edit without `If-Match` is `428` as soon as the case is known visible, whatever
        // its state (the contract lists no `409` for a request missing a required header).
        if matches!(expected, Expected::Missing) {
            return Err(Error::PreconditionRequired);
        }
        // Before take-charge (no pact yet) and once closed, the state forbids it: `409`, as the
        // case's `blocked_actions` says.
        let current = ServicePact::current(conn, &c.id)?
            .filter(|_| policy::service_pact_editable(c.status))
            .ok_or_else(|| Error::InvalidTransition {
                entity: "case",
                action: "revise the service pact of",
                from: c.status.as_str().into(),
            })?;
        expected.check(Version::of(current.created_at))?;
        let p = write_version(conn, cx, &mut c, Some(&current), i)?;
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
        let v = p.version;
        super::case_state::emit(
            conn,
            cx,
            &c,
            sistema_lavoro_domain::events::EventType::ServicePactRevised,
            &[("version", v.into())],
        )?;
        outs(conn, cx, &c, vec![p], v)?
            .pop()
            .ok_or_else(Error::hidden)
    })
}

/// Marks actions of the pact in force done by a follow-up, in the follow-up's transaction:
/// each id must be an action of this case's current version (`422` naming the field).
pub fn tick(
    conn: &mut DbConn,
    cx: &Ctx,
    c: &Case,
    follow_up: &FollowUpId,
    ids: &[PactActionId],
) -> Result<(), Error> {
    if ids.is_empty() {
        return Ok(());
    }
    let current = match ServicePact::current(conn, &c.id)? {
        Some(p) => ServicePact::actions_of(conn, &[&p.id])?,
        None => Vec::new(),
    };
    let mut errors = Vec::new();
    for (n, id) in ids.iter().enumerate() {
        if !current.iter().any(|a| &a.id == id) {
            errors.push(FieldError::new(
                format!("pact_action_ids[{n}]"),
                "unknown",
                text!(
                    "non è un'azione della versione in vigore del patto di questo caso",
                    "not an action of this case's service pact in force"
                ),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    for id in ids {
        ServicePact::tick(conn, id, follow_up, cx.now.at)?;
    }
    Ok(())
}

/// The printable copy of the pact in force (PDF), its file name, and the read to log.
pub fn printable(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &CaseId,
) -> Result<(Vec<u8>, String, PersonRead), Error> {
    let (p, read) = read(conn, cx, id)?;
    let (c, person, agency) = Case::with_party(conn, id)?;
    let mut b = vec![
        Block::Title("Patto di servizio personalizzato".into()),
        Block::Text("art. 20 D.Lgs. 150/2015".into()),
        Block::Gap,
        Block::Field(
            "Persona".into(),
            format!(
                "{} {} ({})",
                person.first_name, person.last_name, person.tax_code
            ),
        ),
        Block::Field("Ente".into(), agency),
        Block::Field(
            "Operatore responsabile".into(),
            p.responsible
                .as_ref()
                .map_or("—".into(), |u| u.full_name.clone()),
        ),
        Block::Field(
            "Versione".into(),
            format!(
                "{} del {}",
                p.version,
                p.created_at
                    .with_timezone(&chrono_tz::Europe::Rome)
                    .format("%d/%m/%Y")
            ),
        ),
    ];
    if let Some(d) = c.first_meeting_date {
        b.push(Block::Field(
            "Primo colloquio".into(),
            d.format("%d/%m/%Y").to_string(),
        ));
    }
    b.push(Block::Heading("Obiettivi".into()));
    b.push(Block::Text(p.summary.clone()));
    b.push(Block::Heading("Profilo di occupabilità".into()));
    b.push(Block::Text(
        p.profile_value
            .map_or("non indicato".into(), |v| v.label_it().to_string()),
    ));
    if let Some(a) = &p.assessment {
        b.push(Block::Field("Valutazione dell'ente".into(), a.clone()));
    }
    b.push(Block::Heading("Azioni concordate".into()));
    if p.actions.is_empty() {
        b.push(Block::Text("nessuna azione indicata".into()));
    }
    for (n, a) in p.actions.iter().enumerate() {
        let mut line = format!("{}. [{}] {}", n + 1, a.kind.label_it(), a.description);
        if let Some(d) = a.due_date {
            line.push_str(&format!(" — entro il {}", d.format("%d/%m/%Y")));
        }
        if let Some(t) = &a.timing {
            line.push_str(&format!(" — {t}"));
        }
        if a.done_at.is_some() {
            line.push_str(" — svolta");
        }
        b.push(Block::Text(line));
    }
    b.push(Block::Heading("Colloqui e ricerca attiva".into()));
    b.push(Block::Field(
        "Cadenza dei colloqui".into(),
        p.meeting_frequency
            .map_or("da concordare".into(), |m| m.label_it().to_string()),
    ));
    b.push(Block::Field(
        "Prova della ricerca attiva".into(),
        p.job_search_proof.clone().unwrap_or_else(|| "—".into()),
    ));
    b.push(Block::Gap);
    b.push(Block::Gap);
    b.push(Block::Text(
        "Firma della persona ______________________      Firma dell'operatore ______________________"
            .into(),
    ));
    let bytes = pdf::render("Patto di servizio personalizzato", &b);
    let name = format!("patto-di-servizio-v{}.pdf", p.version);
    Ok((bytes, name, read))
}
