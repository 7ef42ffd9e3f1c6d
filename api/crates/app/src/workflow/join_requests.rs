//! Asking to join a network without an account (seed 000: "un consigliere comunale o un
//! assessore o un privato… sarà immediatamente contattato e invitato ai prossimi incontri"):
//! the public list of networks that take requests, the request itself (a honeypot, field
//! limits, the privacy notice's version stored with it, nothing echoed back), and the
//! coordinators' decision — accept (organization and membership made if needed, invitation to
//! the next meeting recorded, the requester written to when SMTP is configured) or decline
//! with a reason. Declined and stale pending requests are deleted after the retention period.

use serde::{Deserialize, Serialize};
use sistema_lavoro_domain::actions::{Action, BlockedAction};
use sistema_lavoro_domain::agreements::{JoinCapacity, JoinRequestStatus};
use sistema_lavoro_domain::ids::{JoinRequestId, NetworkId, OrganizationId};
use sistema_lavoro_domain::networks::{MemberRole, NetworkKind, NetworkObjective, NetworkStatus};
use sistema_lavoro_domain::policy::{self, NetworkView};
use sistema_lavoro_domain::values::Email;
use sistema_lavoro_domain::{text, Error, Expected, FieldError, Now, OrganizationKind};
use sistema_lavoro_store::agreements::{self as store, JoinRequest};
use sistema_lavoro_store::audit::{self, Transition};
use sistema_lavoro_store::networks::Member;
use sistema_lavoro_store::organizations::{NewOrganization, Organization};
use sistema_lavoro_store::{new_id, utc, write_tx, DbConn};
use utoipa::ToSchema;
use validator::Validate;

use super::networks::{self, MemberInput};
use super::{Page, PageRequest};
use crate::Ctx;

/// The version of the privacy notice the join form shows; a request must name it.
pub const PRIVACY_NOTICE_VERSION: &str = "2026-12-01";

/// The privacy notice the join form shows (Italian).
pub const PRIVACY_NOTICE_TEXT: &str = "Informativa sul trattamento dei dati personali (art. 13 \
Regolamento UE 2016/679). I dati che inserisci (nome, ente, qualifica, recapiti e messaggio) \
sono trattati dall'Ufficio di Piano dell'Ambito e dall'ente che coordina la rete al solo scopo \
di ricontattarti e invitarti ai prossimi incontri della rete. Sono visibili solo ai \
coordinatori della rete, non sono comunicati ad altri e sono cancellati entro 90 giorni se la \
richiesta non è accolta. Puoi chiederne in ogni momento l'accesso, la rettifica o la \
cancellazione scrivendo all'Ufficio di Piano.";

/// How many networks the public list holds at most.
pub const MAX_PUBLIC_NETWORKS: i64 = 500;

/// The privacy notice shown with the form.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct PrivacyNotice {
    /// Its version: send it back as `privacy_notice_version`.
    #[schema(max_length = 64)]
    pub version: String,
    /// Its text, in Italian.
    #[schema(max_length = 4000)]
    pub text: String,
}

/// A network that takes requests to join, as the public sees it.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct PublicNetworkOut {
    /// Identifier of the network.
    pub id: String,
    /// Tipo di rete.
    pub kind: NetworkKind,
    /// Denominazione.
    pub name: String,
    /// Finalità.
    pub purpose: Option<String>,
    /// Obiettivi.
    pub objectives: Vec<NetworkObjective>,
    /// The district (Ambito) it belongs to.
    pub district_name: String,
    /// Ente coordinatore, if any.
    pub coordinating_organization_name: Option<String>,
}

/// The networks that take requests to join now, and the privacy notice of the form.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct PublicNetworkList {
    /// Networks forming or active that accept requests, by id.
    pub items: Vec<PublicNetworkOut>,
    /// What the form shows before sending.
    pub privacy_notice: PrivacyNotice,
}

/// A request to join a network, from someone without an account. Nothing of it is sent back.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"name": "Maria Bianchi", "capacity": "councillor",
    "organization": "Comune di Alzano", "email": "maria.bianchi@example.it",
    "message": "Vorrei partecipare ai prossimi incontri.", "privacy_notice_version": "2026-12-01"}))]
pub struct JoinRequestInput {
    /// Nome e cognome.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// Ente o impresa per cui si chiede di aderire.
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub organization: Option<String>,
    /// In qualità di.
    pub capacity: Option<JoinCapacity>,
    /// E-mail (this or `phone`, or both).
    #[validate(length(max = 254))]
    #[schema(max_length = 254)]
    pub email: Option<String>,
    /// Telefono (this or `email`, or both): digits, spaces, `+`, `-`, `/`, `.`, `(`, `)`.
    #[validate(length(max = 30))]
    #[schema(max_length = 30)]
    pub phone: Option<String>,
    /// Messaggio.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub message: Option<String>,
    /// The version of the privacy notice read (the current one, from `GET /public/networks`).
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub privacy_notice_version: String,
    /// Leave empty: a field people do not see (honeypot).
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub website: Option<String>,
}

/// Accepting a request: the organization that joins (an existing one of the district, or one
/// made from the request's `organization`, or its `name`, with `kind`), and its role.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
pub struct AcceptJoinInput {
    /// An existing organization of the network's district.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, value_type = Option<String>)]
    pub organization_id: Option<OrganizationId>,
    /// The kind of the organization to create (required without `organization_id`).
    pub kind: Option<OrganizationKind>,
    /// Ruolo nella rete (default `member`).
    pub role: Option<MemberRole>,
}

/// Declining a request.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct DeclineJoinInput {
    /// Motivazione.
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// A request to join, as the network's coordinators see it.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct JoinRequestOut {
    /// Identifier of the request.
    pub id: String,
    /// The network asked to join.
    pub network_id: String,
    /// Nome e cognome.
    pub name: String,
    /// Ente indicato.
    pub organization: Option<String>,
    /// In qualità di.
    pub capacity: Option<JoinCapacity>,
    /// E-mail.
    pub email: Option<String>,
    /// Telefono.
    pub phone: Option<String>,
    /// Messaggio.
    pub message: Option<String>,
    /// The privacy notice's version the requester read.
    pub privacy_notice_version: String,
    /// `pending`, `accepted`, `declined`.
    pub status: JoinRequestStatus,
    /// Why it was declined.
    pub decline_reason: Option<String>,
    /// When it was decided (RFC 3339, UTC).
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The organization that joined, once accepted.
    pub organization_id: Option<String>,
    /// Its membership, once accepted.
    pub member_id: Option<String>,
    /// The meeting the requester is invited to (the network's next one), if one was planned.
    pub invited_meeting_id: Option<String>,
    /// When the invitation was recorded.
    pub invited_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When the requester was written to (by e-mail, when SMTP is configured).
    pub notified_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When it arrived (RFC 3339, UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// What you may do with it now.
    pub allowed_actions: Vec<Action>,
    /// What you could do but cannot now, and why.
    pub blocked_actions: Vec<BlockedAction>,
}

fn out(cx: &Ctx, view: NetworkView, r: JoinRequest) -> JoinRequestOut {
    let (allowed_actions, blocked_actions) =
        cx.render(policy::join_request_actions(view, r.status));
    JoinRequestOut {
        id: r.id.into(),
        network_id: r.network_id.into(),
        name: r.name,
        organization: r.organization,
        capacity: r.capacity,
        email: r.email,
        phone: r.phone,
        message: r.message,
        privacy_notice_version: r.privacy_notice_version,
        status: r.status,
        decline_reason: r.decline_reason,
        decided_at: r.decided_at.map(utc),
        organization_id: r.organization_id,
        member_id: r.member_id,
        invited_meeting_id: r.invited_meeting_id,
        invited_at: r.invited_at.map(utc),
        notified_at: r.notified_at.map(utc),
        created_at: utc(r.created_at),
        allowed_actions,
        blocked_actions,
    }
}

fn trimmed(s: Option<&String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Whether a network takes requests now.
fn accepting(accepts: bool, status: NetworkStatus) -> bool {
    accepts && matches!(status, NetworkStatus::Forming | NetworkStatus::Active)
}

/// The networks that take requests to join, with the privacy notice (no sign-in).
pub fn public_networks(conn: &mut DbConn) -> Result<PublicNetworkList, Error> {
    let rows = store::public_networks(conn, MAX_PUBLIC_NETWORKS)?;
    let coords: Vec<&OrganizationId> = rows
        .iter()
        .filter_map(|(n, _)| n.coordinating_organization_id.as_ref())
        .collect();
    let names: std::collections::HashMap<OrganizationId, String> =
        Organization::names(conn, &coords)?.into_iter().collect();
    let items = rows
        .into_iter()
        .map(|(n, district_name)| PublicNetworkOut {
            coordinating_organization_name: n
                .coordinating_organization_id
                .as_ref()
                .and_then(|o| names.get(o).cloned()),
            id: n.id.into(),
            kind: n.kind,
            name: n.name,
            purpose: n.purpose,
            objectives: n.objectives,
            district_name,
        })
        .collect();
    Ok(PublicNetworkList {
        items,
        privacy_notice: PrivacyNotice {
            version: PRIVACY_NOTICE_VERSION.into(),
            text: PRIVACY_NOTICE_TEXT.into(),
        },
    })
}

/// A phone number as people write it: 6 to 15 digits, a leading `+`, and separators.
fn phone_ok(p: &str) -> bool {
    let digits = p.chars().filter(|c| c.is_ascii_digit()).count();
    (6..=15).contains(&digits)
        && p.chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || " -/.()".contains(c) || (c == '+' && i == 0))
}

/// Records a request to join (no sign-in). A filled honeypot is answered the same and
/// stored nowhere; an unknown network, or one not taking requests, is `404`.
pub fn submit(
    conn: &mut DbConn,
    now: Now,
    network_id: &NetworkId,
    i: JoinRequestInput,
) -> Result<(), Error> {
    if i.website.as_deref().is_some_and(|w| !w.trim().is_empty()) {
        return Ok(());
    }
    let mut errors = Vec::new();
    let email = match trimmed(i.email.as_ref()) {
        Some(e) => match Email::parse("email", &e) {
            Ok(e) => Some(e.into_inner()),
            Err(f) => {
                errors.push(f);
                None
            }
        },
        None => None,
    };
    let phone = trimmed(i.phone.as_ref());
    if phone.as_deref().is_some_and(|p| !phone_ok(p)) {
        errors.push(FieldError::new(
            "phone",
            "phone",
            text!(
                "deve essere un numero di telefono (da 6 a 15 cifre)",
                "must be a phone number (6 to 15 digits)"
            ),
        ));
    }
    if i.email.as_deref().is_none_or(|e| e.trim().is_empty()) && phone.is_none() {
        errors.push(FieldError::new(
            "email",
            "contact_required",
            text!(
                "indicare un'e-mail o un numero di telefono per essere ricontattati",
                "give an e-mail address or a phone number to be contacted"
            ),
        ));
    }
    let name = i.name.trim().to_string();
    if name.is_empty() {
        errors.push(FieldError::required("name"));
    }
    if i.privacy_notice_version != PRIVACY_NOTICE_VERSION {
        errors.push(FieldError::new(
            "privacy_notice_version",
            "outdated",
            text!(
                "l'informativa sulla privacy è cambiata: rileggerla e inviare di nuovo",
                "the privacy notice has changed: read it again and resend"
            ),
        ));
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    write_tx(conn, |conn| {
        let n = sistema_lavoro_store::networks::Network::find(conn, network_id)
            .map_err(|_| Error::hidden())?;
        if !accepting(n.accepts_join_requests, n.status) {
            return Err(Error::hidden());
        }
        let r = JoinRequest {
            id: new_id(),
            network_id: n.id.clone(),
            name: name.clone(),
            organization: trimmed(i.organization.as_ref()),
            capacity: i.capacity,
            email: email.clone(),
            phone: phone.clone(),
            message: trimmed(i.message.as_ref()),
            privacy_notice_version: i.privacy_notice_version.clone(),
            status: JoinRequestStatus::Pending,
            decided_by: None,
            decided_at: None,
            decline_reason: None,
            organization_id: None,
            member_id: None,
            invited_meeting_id: None,
            invited_at: None,
            notified_at: None,
            created_at: now.at,
            updated_at: now.at,
        };
        JoinRequest::insert(conn, &r)?;
        audit::record(
            conn,
            Transition {
                entity_type: "join_request",
                entity_id: r.id.as_str(),
                action: "create",
                from: None,
                to: r.status.as_str(),
                reason: None,
                actor_id: None,
                at: now.at,
            },
        )
    })
}

/// A network's requests in one state (default pending), for those who manage it (else `404`).
pub fn list(
    conn: &mut DbConn,
    cx: &Ctx,
    network_id: &NetworkId,
    status: Option<JoinRequestStatus>,
    page: &PageRequest,
) -> Result<Page<JoinRequestOut>, Error> {
    let (n, view) = networks::visible(conn, cx, network_id, &Expected::Any)?;
    policy::may_handle_join_requests(view)?;
    let status = status.unwrap_or(JoinRequestStatus::Pending);
    let rows = JoinRequest::list(conn, &n.id, status, page.after(), page.limit)?;
    Page::of(
        rows,
        page.limit,
        |r| r.id.to_string(),
        |r| Ok(out(cx, view, r)),
    )
}

/// The request and how the caller sees its network, if it manages it (else `404`).
fn handled(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &JoinRequestId,
) -> Result<
    (
        JoinRequest,
        sistema_lavoro_store::networks::Network,
        NetworkView,
    ),
    Error,
> {
    let r = JoinRequest::find(conn, id).map_err(|_| Error::hidden())?;
    let (n, view) = networks::visible(conn, cx, &r.network_id, &Expected::Any)?;
    policy::may_handle_join_requests(view)?;
    Ok((r, n, view))
}

/// Accepts a pending request: the organization (existing, or made from the request) becomes a
/// member if it is not one, the invitation to the network's next meeting is recorded, and the
/// requester is written to by the notification worker when SMTP is configured.
pub fn accept(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &JoinRequestId,
    i: AcceptJoinInput,
) -> Result<JoinRequestOut, Error> {
    write_tx(conn, |conn| {
        let (mut r, n, view) = handled(conn, cx, id)?;
        let to = r.status.accept()?;
        n.status.edit()?;
        let org = match (&i.organization_id, i.kind) {
            (Some(o), _) => match Organization::find(conn, o) {
                Ok(o) if o.district_id == n.district_id => o.id,
                Ok(_) | Err(Error::NotFound) => {
                    return Err(Error::validation(
                        "organization_id",
                        "unknown",
                        text!(
                            "nessun ente dell'Ambito ha questo identificativo",
                            "no organization of the district has this id"
                        ),
                    ))
                }
                Err(e) => return Err(e),
            },
            (None, Some(kind)) => {
                let name = r.organization.clone().unwrap_or_else(|| r.name.clone());
                Organization::insert(
                    conn,
                    &NewOrganization {
                        id: new_id(),
                        district_id: n.district_id.clone(),
                        name,
                        kind,
                        accreditation_code: None,
                        tax_code: None,
                        email: r.email.clone(),
                        phone: r.phone.clone(),
                        active: true,
                        created_at: cx.now.at,
                        updated_at: cx.now.at,
                    },
                )?
                .id
            }
            (None, None) => {
                return Err(Error::validation(
                    "kind",
                    "required",
                    text!(
                        "indicare organization_id di un ente esistente, oppure kind per crearlo dalla richiesta",
                        "give organization_id of an existing organization, or kind to create it from the request"
                    ),
                ))
            }
        };
        let member = match Member::active_of(conn, &n.id, &org)? {
            Some(m) => m.id.to_string(),
            None => {
                networks::add_member(
                    conn,
                    cx,
                    &n.id,
                    MemberInput {
                        organization_id: org.clone(),
                        role: i.role,
                        joined_on: None,
                        approval_act: None,
                    },
                )?
                .id
            }
        };
        if let Some((meeting, _)) = store::next_meeting(conn, &n.id, cx.now.today)? {
            r.invited_meeting_id = Some(meeting);
            r.invited_at = Some(cx.now.at);
        }
        r.organization_id = Some(org.to_string());
        r.member_id = Some(member);
        r.decided_by = Some(cx.actor.id.clone());
        r.decided_at = Some(cx.now.at);
        audit::move_to(conn, &mut r, "accept", to, None, cx.by())?;
        Ok(out(cx, view, r))
    })
}

/// Declines a pending request with a reason (deleted after the retention period).
pub fn decline(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &JoinRequestId,
    i: DeclineJoinInput,
) -> Result<JoinRequestOut, Error> {
    write_tx(conn, |conn| {
        let (mut r, _, view) = handled(conn, cx, id)?;
        let to = r.status.decline()?;
        let reason = i.reason.trim().to_string();
        r.decline_reason = Some(reason.clone());
        r.decided_by = Some(cx.actor.id.clone());
        r.decided_at = Some(cx.now.at);
        audit::move_to(conn, &mut r, "decline", to, Some(&reason), cx.by())?;
        Ok(out(cx, view, r))
    })
}
