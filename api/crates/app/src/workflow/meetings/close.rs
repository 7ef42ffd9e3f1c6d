//! Closing a meeting: every decision applied in one transaction (cases created, referrals
//! moved, undecided referrals deferred to the next meeting, events queued), the minutes
//! frozen. Any decision that cannot apply aborts the whole close.

use sistema_lavoro_domain::events::EventType;
use sistema_lavoro_domain::ids::{MeasureId, MeetingId, OrganizationId};
use sistema_lavoro_domain::policy;
use sistema_lavoro_domain::states::{CaseStatus, DecisionKind};
use sistema_lavoro_domain::table::{CaseDecision, ReferralDecision, TableDecision};
use sistema_lavoro_domain::{Error, Expected};
use sistema_lavoro_store::audit::{self, Transition};
use sistema_lavoro_store::cases::Case;
use sistema_lavoro_store::measures::Measure;
use sistema_lavoro_store::meetings::{AgendaItem, Decision, Meeting};
use sistema_lavoro_store::referrals::Referral;
use sistema_lavoro_store::{new_id, write_tx, DbConn};

use super::decisions::{parsed, row};
use super::{minutes, out, visible, MeetingOut};
use crate::integration::events;
use crate::notifications::produce as notify;
use crate::workflow::referrals as refs;
use crate::workflow::{activations, cases};
use crate::Ctx;

/// Applies one decision.
fn apply(
    conn: &mut DbConn,
    cx: &Ctx,
    m: &Meeting,
    d: &TableDecision,
    overdue_days: i64,
) -> Result<(), Error> {
    let kind = d.kind();
    let reason = d.reason();
    match d {
        TableDecision::Referral {
            referral_id,
            decision,
        } => {
            let mut r = Referral::find(conn, referral_id)?;
            let to = r.status.decide(kind)?;
            if kind != DecisionKind::Accept {
                r.status_note = reason.map(Into::into);
            }
            refs::transition(conn, cx.by(), &mut r, kind.as_str(), to, reason)?;
            notify::referral_decided(conn, cx.now, &r, kind)?;
            let case_id = match decision {
                ReferralDecision::Accept {
                    agency_id,
                    measure_ids,
                    ..
                } => Some(assign(
                    conn,
                    cx,
                    m,
                    &r,
                    agency_id,
                    measure_ids,
                    overdue_days,
                )?),
                ReferralDecision::Other { .. } => None,
            };
            events::emit(
                conn,
                cx.now,
                &r.district_id,
                EventType::ReferralDecided,
                events::data(&[
                    ("referral_id", r.id.clone().into()),
                    ("status", r.status.as_str().into()),
                    ("decision", kind.as_str().into()),
                    ("case_id", case_id.into()),
                ]),
                std::slice::from_ref(&r.organization_id),
            )
        }
        TableDecision::Case { case_id, decision } => {
            let mut c = Case::find(conn, case_id)?;
            match decision {
                CaseDecision::Reassign { agency_id, reason } => {
                    cases::reassign(conn, cx, &mut c, agency_id, Some(reason))
                }
                CaseDecision::Confirm { reason } => audit::record(
                    conn,
                    Transition {
                        entity_type: "case",
                        entity_id: c.id.as_str(),
                        action: "review",
                        from: Some(c.status.as_str()),
                        to: c.status.as_str(),
                        reason: reason.as_deref(),
                        actor_id: Some(&cx.actor.id),
                        at: cx.now.at,
                    },
                ),
            }
        }
    }
}

/// An accepted referral becomes a case at `agency_id`, with the measures proposed.
fn assign(
    conn: &mut DbConn,
    cx: &Ctx,
    m: &Meeting,
    r: &Referral,
    agency_id: &OrganizationId,
    measure_ids: &[MeasureId],
    overdue_days: i64,
) -> Result<String, Error> {
    let c = Case {
        id: new_id(),
        district_id: r.district_id.clone(),
        person_id: r.person_id.clone(),
        referral_id: r.id.clone(),
        agency_id: agency_id.into(),
        case_manager_id: None,
        status: CaseStatus::Assigned,
        suspended_from: None,
        first_meeting_date: None,
        plan_goals: None,
        outcome: None,
        outcome_details: None,
        closed_at: None,
        next_due_date: Some(cx.now.today + chrono::Duration::days(overdue_days)),
        created_at: cx.now.at,
        updated_at: cx.now.at,
    };
    Case::insert(conn, &c)?;
    audit::record(
        conn,
        Transition {
            entity_type: "case",
            entity_id: c.id.as_str(),
            action: "assign",
            from: None,
            to: c.status.as_str(),
            reason: Some(&format!(
                "decisione del tavolo del {}",
                m.scheduled_for.format("%d/%m/%Y")
            )),
            actor_id: Some(&cx.actor.id),
            at: cx.now.at,
        },
    )?;
    let ids: Vec<&MeasureId> = measure_ids.iter().collect();
    let mut measures = Measure::find_many(conn, &ids)?;
    // Proposed in the order the table named them.
    measures.sort_by_key(|x| ids.iter().position(|id| **id == x.id));
    for measure in measures {
        activations::insert_proposed(
            conn,
            cx.by(),
            &c,
            &measure,
            measure.default_amount_cents,
            Some("proposta dal tavolo"),
        )?;
    }
    cases::notify(conn, cx, &c, None)?;
    Ok(c.id.into())
}

/// Closes the meeting: applies every decision in one transaction and freezes the minutes.
pub fn close(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &MeetingId,
    expected: &Expected,
    overdue_days: i64,
) -> Result<MeetingOut, Error> {
    policy::may_hold_meetings(cx.actor)?;
    write_tx(conn, |conn| {
        let mut m = visible(conn, cx, id, expected)?;
        let to = m.status.close()?;
        let items = AgendaItem::of_meeting(conn, &m.id)?;
        let mut stored: Vec<Decision> = Decision::of_meeting(conn, &m.id)?;
        // Referrals the table did not get to: deferred, and the minutes say so.
        for item in &items {
            let Some(rid) = &item.referral_id else {
                continue;
            };
            if stored.iter().any(|d| d.referral_id.as_deref() == Some(rid)) {
                continue;
            }
            let deferred = TableDecision::Referral {
                referral_id: rid.clone(),
                decision: ReferralDecision::Other {
                    kind: DecisionKind::Defer,
                    reason: "non trattata nella seduta: rinviata d'ufficio".into(),
                },
            };
            let d = row(&m.id, &deferred, &cx.actor.id, cx.now.at);
            Decision::insert(conn, &d)?;
            stored.push(d);
        }
        for d in &stored {
            apply(conn, cx, &m, &parsed(d)?, overdue_days)?;
        }
        m.closed_at = Some(cx.now.at);
        let view = minutes::load(conn, &m, &stored)?;
        let (md, html) = minutes::render(&view, true);
        m.minutes_md = Some(md);
        m.minutes_html = Some(html);
        audit::move_to(conn, &mut m, "close", to, None, cx.by())?;
        if m.kind == sistema_lavoro_domain::meetings::MeetingKind::MonthlyTable {
            notify::minutes_published(conn, cx.now, &m)?;
        }
        out(conn, cx, m)
    })
}
