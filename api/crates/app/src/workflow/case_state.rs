//! A case as the other use cases reach it: seen by whom the policy lets (at the version the
//! caller expects), and moved from state to state with the agency and the referrer told.
//! The case's own use cases are in [`super::cases`]; measures ([`super::activations`]) and
//! the table ([`super::meetings`]) move cases through here.

use sistema_lavoro_domain::events::EventType;
use sistema_lavoro_domain::ids::CaseId;
use sistema_lavoro_domain::policy;
use sistema_lavoro_domain::states::CaseStatus;
use sistema_lavoro_domain::{Error, Expected, Version};
use sistema_lavoro_store::audit;
use sistema_lavoro_store::cases::Case;
use sistema_lavoro_store::referrals::Referral;
use sistema_lavoro_store::DbConn;

use crate::integration::events;
use crate::Ctx;

/// A case the caller may see (the coordinator all of the district, an agency operator its
/// agency's; referrers see it only through their referral; everyone else `404`), at the
/// version the caller expects.
pub fn visible(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &CaseId,
    expected: &Expected,
) -> Result<Case, Error> {
    let c = Case::find(conn, id).map_err(|_| Error::hidden())?;
    if !policy::sees_case(cx.actor, &c.district_id, &c.agency_id) {
        return Err(Error::hidden());
    }
    // A restricted person's cases are the coordinator's only (art. 18).
    if !policy::sees_restricted(cx.actor)
        && sistema_lavoro_store::subject_rights::Restriction::is_restricted(conn, &c.person_id)?
    {
        return Err(Error::hidden());
    }
    expected.check(Version::of(c.updated_at))?;
    Ok(c)
}

/// Saves a case moved to `to` (if nobody moved it first), records the transition and tells
/// the agency and the referrer.
pub fn transition(
    conn: &mut DbConn,
    cx: &Ctx,
    c: &mut Case,
    action: &str,
    to: CaseStatus,
    reason: Option<&str>,
) -> Result<(), Error> {
    let from = audit::move_to(conn, c, action, to, reason, cx.by())?;
    notify(conn, cx, c, Some(from))
}

/// Tells the agency and the referring organization what happened to the case.
pub fn notify(
    conn: &mut DbConn,
    cx: &Ctx,
    c: &Case,
    previous: Option<CaseStatus>,
) -> Result<(), Error> {
    match previous {
        None => {
            emit(conn, cx, c, EventType::CaseAssigned, &[])?;
            crate::notifications::produce::case_assigned(conn, cx.now, c)?;
        }
        Some(prev) => {
            emit(
                conn,
                cx,
                c,
                EventType::CaseStatusChanged,
                &[("previous_status", prev.as_str().into())],
            )?;
            if c.status == CaseStatus::Closed {
                emit(
                    conn,
                    cx,
                    c,
                    EventType::CaseClosed,
                    &[("outcome", c.outcome.map(|o| o.as_str()).into())],
                )?;
            }
        }
    }
    Ok(())
}

/// Writes an event about the case for the agency and the referring organization (ids and
/// states only, as every event), in the caller's transaction.
pub fn emit(
    conn: &mut DbConn,
    cx: &Ctx,
    c: &Case,
    kind: EventType,
    extra: &[(&str, serde_json::Value)],
) -> Result<(), Error> {
    let referrer = Referral::find(conn, &c.referral_id)?.organization_id;
    let mut pairs: Vec<(&str, serde_json::Value)> = vec![
        ("case_id", c.id.clone().into()),
        ("referral_id", c.referral_id.clone().into()),
        ("agency_id", c.agency_id.clone().into()),
        ("status", c.status.as_str().into()),
    ];
    pairs.extend_from_slice(extra);
    events::emit(
        conn,
        cx.now,
        &c.district_id,
        kind,
        events::data(&pairs),
        &[c.agency_id.clone(), referrer],
    )
}
