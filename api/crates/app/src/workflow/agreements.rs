//! Agreements among a network's members (seed 003: convenzioni e protocolli d'intesa): kind,
//! parties (members), subject, validity, `draft → signed → expired | terminated` (expiry by
//! the clock: a signed agreement past `valid_until` reads as expired), renewal linked to the
//! previous agreement, and the signed text kept in the document store.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sistema_lavoro_domain::actions::{Action, BlockedAction};
use sistema_lavoro_domain::agreements::{AgreementKind, AgreementStatus};
use sistema_lavoro_domain::ids::{AgreementId, MemberId, NetworkId};
use sistema_lavoro_domain::policy::{self, NetworkView};
use sistema_lavoro_domain::{text, Error, Expected, FieldError, Version};
use sistema_lavoro_store::agreements::Agreement;
use sistema_lavoro_store::audit::{self, Transition};
use sistema_lavoro_store::networks::{Member, Network};
use sistema_lavoro_store::{new_id, utc, write_tx, DbConn};
use utoipa::ToSchema;
use validator::Validate;

use super::networks;
use super::{Page, PageRequest};
use crate::Ctx;

/// A new agreement, in draft.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"kind": "convention", "subject": "Convenzione per lo sportello casa",
    "party_member_ids": ["0193…", "0194…"], "valid_from": "2027-01-01", "valid_until": "2027-12-31"}))]
pub struct AgreementInput {
    /// `convention` (convenzione) or `protocol` (protocollo d'intesa).
    pub kind: AgreementKind,
    /// Oggetto.
    #[validate(length(min = 2, max = 2000))]
    #[schema(min_length = 2, max_length = 2000)]
    pub subject: String,
    /// The parties: memberships of the network, active today.
    #[serde(default)]
    #[validate(length(max = 200))]
    #[schema(max_items = 200, value_type = Vec<String>)]
    pub party_member_ids: Vec<MemberId>,
    /// In vigore dal.
    pub valid_from: Option<NaiveDate>,
    /// Fino al (not before `valid_from`); past it a signed agreement is expired.
    pub valid_until: Option<NaiveDate>,
    /// The agreement this one renews (of the same network, signed or expired).
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, value_type = Option<String>)]
    pub renews_agreement_id: Option<AgreementId>,
}

/// Changes to a draft agreement (JSON Merge Patch).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct AgreementPatch {
    /// New kind.
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub kind: Option<AgreementKind>,
    /// New subject.
    #[validate(length(min = 2, max = 2000))]
    #[schema(nullable = false, min_length = 2, max_length = 2000)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub subject: Option<String>,
    /// Replaces the parties.
    #[validate(length(max = 200))]
    #[schema(nullable = false, max_items = 200, value_type = Option<Vec<String>>)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub party_member_ids: Option<Vec<MemberId>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub valid_from: Option<Option<NaiveDate>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub valid_until: Option<Option<NaiveDate>>,
}

/// Signing an agreement.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
pub struct SignInput {
    /// Data di firma (default today; not in the future).
    pub signed_on: Option<NaiveDate>,
}

/// Terminating a signed agreement before its end.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct TerminateInput {
    /// Motivazione.
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// An agreement (convenzione, protocollo d'intesa).
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct AgreementOut {
    /// Identifier of the agreement.
    pub id: String,
    /// The network.
    pub network_id: String,
    /// `convention` or `protocol`.
    pub kind: AgreementKind,
    /// Oggetto.
    pub subject: String,
    /// The parties' memberships.
    pub party_member_ids: Vec<String>,
    /// The state today: `draft`, `signed`, `expired` (signed, past `valid_until`), `terminated`.
    pub status: AgreementStatus,
    /// Data di firma.
    pub signed_on: Option<NaiveDate>,
    /// In vigore dal.
    pub valid_from: Option<NaiveDate>,
    /// Fino al.
    pub valid_until: Option<NaiveDate>,
    /// The agreement this one renews.
    pub renews_agreement_id: Option<String>,
    /// Why it was terminated.
    pub termination_reason: Option<String>,
    /// Its documents (the signed text), by upload: download with `GET /documents/{id}`.
    pub document_ids: Vec<String>,
    /// What you may do with it now.
    pub allowed_actions: Vec<Action>,
    /// What your role could do, but its state forbids now, and why.
    pub blocked_actions: Vec<BlockedAction>,
    /// When it was created (RFC 3339, UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it last changed; its version is the `ETag`.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

fn outs(
    conn: &mut DbConn,
    cx: &Ctx,
    n: &Network,
    view: NetworkView,
    rows: Vec<Agreement>,
) -> Result<Vec<AgreementOut>, Error> {
    let ids: Vec<&AgreementId> = rows.iter().map(|a| &a.id).collect();
    let mut docs: HashMap<String, Vec<String>> = HashMap::new();
    for (a, d) in Agreement::document_ids(conn, &ids)? {
        docs.entry(a).or_default().push(d);
    }
    let open = n.status.edit().is_ok();
    Ok(rows
        .into_iter()
        .map(|a| {
            let status = a.status.on(a.valid_until, cx.now.today);
            let (allowed_actions, blocked_actions) =
                cx.render(policy::agreement_actions(view, status, open));
            AgreementOut {
                document_ids: docs.remove(a.id.as_str()).unwrap_or_default(),
                id: a.id.into(),
                network_id: a.network_id.into(),
                kind: a.kind,
                subject: a.subject,
                party_member_ids: a.party_member_ids.into_iter().map(String::from).collect(),
                status,
                signed_on: a.signed_on,
                valid_from: a.valid_from,
                valid_until: a.valid_until,
                renews_agreement_id: a.renews_agreement_id.map(String::from),
                termination_reason: a.termination_reason,
                allowed_actions,
                blocked_actions,
                created_at: utc(a.created_at),
                updated_at: utc(a.updated_at),
            }
        })
        .collect())
}

fn out(
    conn: &mut DbConn,
    cx: &Ctx,
    n: &Network,
    view: NetworkView,
    a: Agreement,
) -> Result<AgreementOut, Error> {
    outs(conn, cx, n, view, vec![a])?
        .pop()
        .ok_or_else(|| Error::Internal("agreement lost".into()))
}

/// The network, if the caller reads its agreements (managers and members; the observatory
/// sees figures only: `403`; others `404`).
fn readable(conn: &mut DbConn, cx: &Ctx, id: &NetworkId) -> Result<(Network, NetworkView), Error> {
    let (n, view) = networks::visible(conn, cx, id, &Expected::Any)?;
    policy::may_read_members(view)?;
    Ok((n, view))
}

/// The agreement and its network, if the caller reads it, at the expected version.
fn visible(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &AgreementId,
    expected: &Expected,
) -> Result<(Agreement, Network, NetworkView), Error> {
    let a = Agreement::find(conn, id).map_err(|_| Error::hidden())?;
    let (n, view) = networks::visible(conn, cx, &a.network_id, &Expected::Any)?;
    if view == NetworkView::Figures {
        return Err(Error::hidden());
    }
    expected.check(Version::of(a.updated_at))?;
    Ok((a, n, view))
}

/// Parties must be memberships of the network, active today; dates in order.
fn check(
    conn: &mut DbConn,
    cx: &Ctx,
    network_id: &NetworkId,
    parties: &[MemberId],
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
) -> Result<Vec<MemberId>, Error> {
    let mut errors = Vec::new();
    let mut out: Vec<MemberId> = Vec::new();
    for (i, p) in parties.iter().enumerate() {
        let ok = match Member::find(conn, p) {
            Ok(m) => {
                &m.network_id == network_id
                    && m.joined_on <= cx.now.today
                    && m.withdrawn_on.is_none_or(|w| w > cx.now.today)
            }
            Err(Error::NotFound) => false,
            Err(e) => return Err(e),
        };
        if !ok {
            errors.push(FieldError::new(
                format!("party_member_ids[{i}]"),
                "not_a_member",
                text!(
                    "non è un'adesione attiva di questa rete",
                    "is not an active membership of this network"
                ),
            ));
        } else if !out.contains(p) {
            out.push(p.clone());
        }
    }
    if let (Some(f), Some(u)) = (from, until) {
        if u < f {
            errors.push(FieldError::new(
                "valid_until",
                "before_valid_from",
                text!(
                    "non può precedere la data di inizio",
                    "cannot be before valid_from"
                ),
            ));
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Error::Validation(errors))
    }
}

/// A network's agreements, by id.
pub fn list(
    conn: &mut DbConn,
    cx: &Ctx,
    network_id: &NetworkId,
    page: &PageRequest,
) -> Result<Page<AgreementOut>, Error> {
    let (n, view) = readable(conn, cx, network_id)?;
    let mut rows = Agreement::list(conn, &n.id, page.after(), page.limit)?;
    let more = rows.len() as i64 > page.limit;
    rows.truncate(usize::try_from(page.limit).unwrap_or(0));
    let next = if more {
        rows.last().map(|a| a.id.to_string())
    } else {
        None
    };
    Ok(Page {
        items: outs(conn, cx, &n, view, rows)?,
        next,
    })
}

pub fn read(conn: &mut DbConn, cx: &Ctx, id: &AgreementId) -> Result<AgreementOut, Error> {
    let (a, n, view) = visible(conn, cx, id, &Expected::Any)?;
    out(conn, cx, &n, view, a)
}

/// Drafts an agreement among the network's members (those who manage the network).
pub fn create(
    conn: &mut DbConn,
    cx: &Ctx,
    network_id: &NetworkId,
    i: AgreementInput,
) -> Result<AgreementOut, Error> {
    write_tx(conn, |conn| {
        let (n, view) = readable(conn, cx, network_id)?;
        policy::may_manage_network(view)?;
        n.status.edit()?;
        let parties = check(
            conn,
            cx,
            &n.id,
            &i.party_member_ids,
            i.valid_from,
            i.valid_until,
        )?;
        if let Some(r) = &i.renews_agreement_id {
            let ok = match Agreement::find(conn, r) {
                Ok(prev) => {
                    prev.network_id == n.id
                        && matches!(
                            prev.status.on(prev.valid_until, cx.now.today),
                            AgreementStatus::Signed | AgreementStatus::Expired
                        )
                }
                Err(Error::NotFound) => false,
                Err(e) => return Err(e),
            };
            if !ok {
                return Err(Error::validation(
                    "renews_agreement_id",
                    "unknown",
                    text!(
                        "deve essere un accordo firmato o scaduto della stessa rete",
                        "must be a signed or expired agreement of the same network"
                    ),
                ));
            }
        }
        let at = cx.now.at;
        let a = Agreement {
            id: new_id(),
            network_id: n.id.clone(),
            kind: i.kind,
            subject: i.subject.trim().to_string(),
            party_member_ids: parties,
            status: AgreementStatus::Draft,
            signed_on: None,
            valid_from: i.valid_from,
            valid_until: i.valid_until,
            renews_agreement_id: i.renews_agreement_id.clone(),
            termination_reason: None,
            created_by: Some(cx.actor.id.clone()),
            created_at: at,
            updated_at: at,
        };
        Agreement::insert(conn, &a)?;
        audit::record(
            conn,
            Transition {
                entity_type: "agreement",
                entity_id: a.id.as_str(),
                action: "create",
                from: None,
                to: a.status.as_str(),
                reason: None,
                actor_id: Some(&cx.actor.id),
                at,
            },
        )?;
        out(conn, cx, &n, view, a)
    })
}

/// Edits a draft agreement.
pub fn update(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &AgreementId,
    expected: &Expected,
    p: AgreementPatch,
) -> Result<AgreementOut, Error> {
    write_tx(conn, |conn| {
        let (mut a, n, view) = visible(conn, cx, id, expected)?;
        policy::may_manage_network(view)?;
        n.status.edit()?;
        a.status.edit()?;
        let before = a.clone();
        if let Some(k) = p.kind {
            a.kind = k;
        }
        if let Some(s) = &p.subject {
            a.subject = s.trim().to_string();
        }
        if let Some(f) = p.valid_from {
            a.valid_from = f;
        }
        if let Some(u) = p.valid_until {
            a.valid_until = u;
        }
        let parties = p
            .party_member_ids
            .clone()
            .unwrap_or_else(|| a.party_member_ids.clone());
        a.party_member_ids = check(conn, cx, &n.id, &parties, a.valid_from, a.valid_until)?;
        let changed = audit::changed_fields(&before, &a);
        if !changed.is_empty() {
            a.updated_at = cx.now.at;
            audit::save_edit(conn, &a, &changed, cx.by())?;
        }
        out(conn, cx, &n, view, a)
    })
}

/// Signs a draft (on `signed_on`, default today, not in the future).
pub fn sign(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &AgreementId,
    expected: &Expected,
    i: SignInput,
) -> Result<AgreementOut, Error> {
    write_tx(conn, |conn| {
        let (mut a, n, view) = visible(conn, cx, id, expected)?;
        policy::may_manage_network(view)?;
        n.status.edit()?;
        let to = a.status.sign()?;
        let on = i.signed_on.unwrap_or(cx.now.today);
        if on > cx.now.today {
            return Err(Error::validation(
                "signed_on",
                "future",
                text!("non può essere nel futuro", "cannot be in the future"),
            ));
        }
        if a.party_member_ids.is_empty() {
            return Err(Error::validation(
                "party_member_ids",
                "required",
                text!(
                    "un accordo si firma tra aderenti: indicarne le parti",
                    "an agreement is signed among members: name its parties"
                ),
            ));
        }
        a.signed_on = Some(on);
        audit::move_to(conn, &mut a, "sign", to, None, cx.by())?;
        out(conn, cx, &n, view, a)
    })
}

/// Terminates a signed agreement still in force, with a reason.
pub fn terminate(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &AgreementId,
    expected: &Expected,
    i: TerminateInput,
) -> Result<AgreementOut, Error> {
    write_tx(conn, |conn| {
        let (mut a, n, view) = visible(conn, cx, id, expected)?;
        policy::may_manage_network(view)?;
        n.status.edit()?;
        let to = a.status.on(a.valid_until, cx.now.today).terminate()?;
        let reason = i.reason.trim().to_string();
        a.termination_reason = Some(reason.clone());
        audit::move_to(conn, &mut a, "terminate", to, Some(&reason), cx.by())?;
        out(conn, cx, &n, view, a)
    })
}
