//! Changes to the agenda (ordine del giorno): opening a meeting puts every waiting referral
//! on it; while open, referrals and cases to review are added and removed.

use serde::Deserialize;
use sistema_lavoro_domain::ids::{AgendaItemId, CaseId, MeetingId, ReferralId};
use sistema_lavoro_domain::meetings::MeetingKind;
use sistema_lavoro_domain::policy;
use sistema_lavoro_domain::states::AgendaItemKind;
use sistema_lavoro_domain::{text, Error, ErrorCode, Expected};
use sistema_lavoro_store::audit;
use sistema_lavoro_store::cases::Case;
use sistema_lavoro_store::meetings::{AgendaItem, Decision, Meeting};
use sistema_lavoro_store::referrals::Referral;
use sistema_lavoro_store::{new_id, write_tx, DbConn};
use utoipa::ToSchema;
use validator::Validate;

use super::view::{agenda_of, Agenda};
use super::{open_meeting, out, visible, MeetingOut};
use crate::workflow::referrals as refs;
use crate::Ctx;

/// What to add to an open meeting's agenda: a waiting referral, or an open case to review.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct AgendaInput {
    /// A `submitted` or `deferred` referral (segnalazione) to decide; give this or `case_id`.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, value_type = Option<String>)]
    pub referral_id: Option<ReferralId>,
    /// An open case (presa in carico) to review; give this or `referral_id`.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, value_type = Option<String>)]
    pub case_id: Option<CaseId>,
}

/// Puts a waiting referral on the meeting's agenda (`scheduled`).
pub fn schedule_referral(
    conn: &mut DbConn,
    cx: &Ctx,
    meeting_id: &MeetingId,
    r: &mut Referral,
) -> Result<(), Error> {
    let to = r.status.schedule()?;
    r.meeting_id = Some(meeting_id.to_string().into());
    r.status_note = None;
    refs::transition(conn, cx.by(), r, "schedule", to, None)?;
    AgendaItem::insert(
        conn,
        &AgendaItem {
            id: new_id(),
            meeting_id: meeting_id.into(),
            kind: AgendaItemKind::Referral,
            referral_id: Some(r.id.clone()),
            case_id: None,
            created_at: cx.now.at,
        },
    )
}

pub fn add_item(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &MeetingId,
    i: AgendaInput,
) -> Result<Agenda, Error> {
    policy::may_run_the_table(cx.actor)?;
    write_tx(conn, |conn| {
        let m = open_meeting(conn, cx, id)?;
        match (&i.referral_id, &i.case_id) {
            (Some(rid), None) => {
                let mut r = refs::visible(conn, cx, rid, &Expected::Any).map_err(|_| {
                    Error::validation(
                        "referral_id",
                        "unknown",
                        text!(
                            "nessuna segnalazione dell'Ambito ha questo identificativo",
                            "no referral of the district has this id"
                        ),
                    )
                })?;
                schedule_referral(conn, cx, &m.id, &mut r)?;
            }
            (None, Some(cid)) => {
                let c = Case::find(conn, cid)
                    .ok()
                    .filter(|c| cx.actor.in_district(&c.district_id))
                    .ok_or_else(|| {
                        Error::validation(
                            "case_id",
                            "unknown",
                            text!(
                                "nessun caso dell'Ambito ha questo identificativo",
                                "no case of the district has this id"
                            ),
                        )
                    })?;
                if !c.status.is_open() {
                    return Err(Error::InvalidTransition {
                        entity: "case",
                        action: "review",
                        from: c.status.as_str().into(),
                    });
                }
                let exists = AgendaItem::of_meeting(conn, &m.id)?
                    .iter()
                    .any(|it| it.case_id.as_deref() == Some(cid));
                if exists {
                    return Err(Error::conflict(
                        ErrorCode::Duplicate,
                        text!(
                            "il caso è già all'ordine del giorno",
                            "the case is already on the agenda"
                        ),
                    ));
                }
                AgendaItem::insert(
                    conn,
                    &AgendaItem {
                        id: new_id(),
                        meeting_id: m.id.clone(),
                        kind: AgendaItemKind::CaseReview,
                        referral_id: None,
                        case_id: Some(cid.clone()),
                        created_at: cx.now.at,
                    },
                )?;
            }
            _ => {
                return Err(Error::validation(
                    "referral_id",
                    "one_of",
                    text!(
                        "indicare uno solo tra referral_id e case_id",
                        "give exactly one of referral_id and case_id"
                    ),
                ))
            }
        }
        agenda_of(conn, cx, m)
    })
}

/// Removes an item: a referral goes back to `submitted`, waiting for the next meeting.
pub fn remove_item(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &MeetingId,
    item_id: &AgendaItemId,
) -> Result<Agenda, Error> {
    policy::may_run_the_table(cx.actor)?;
    write_tx(conn, |conn| {
        let m = open_meeting(conn, cx, id)?;
        let item = AgendaItem::find(conn, &m.id, item_id).map_err(|_| Error::hidden())?;
        Decision::delete_for_item(
            conn,
            &m.id,
            item.referral_id.as_ref(),
            item.case_id.as_ref(),
        )?;
        AgendaItem::delete(conn, &item.id)?;
        if let Some(rid) = &item.referral_id {
            let mut r = Referral::find(conn, rid)?;
            let to = r.status.unschedule()?;
            r.meeting_id = None;
            refs::transition(
                conn,
                cx.by(),
                &mut r,
                "unschedule",
                to,
                Some("rimossa dall'ordine del giorno"),
            )?;
        }
        agenda_of(conn, cx, m)
    })
}

/// Another meeting of the network opened first (the unique index saw it).
fn already_open() -> Error {
    Error::conflict(
        ErrorCode::MeetingAlreadyOpen,
        text!(
            "un'altra seduta della stessa rete è stata aperta nel frattempo",
            "another meeting of the same network was opened meanwhile"
        ),
    )
}

/// Opens the meeting: every waiting referral (submitted, or deferred by a past meeting)
/// goes on its agenda and becomes `scheduled`.
pub fn open(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &MeetingId,
    expected: &Expected,
) -> Result<MeetingOut, Error> {
    policy::may_hold_meetings(cx.actor)?;
    let district = cx.actor.district()?.clone();
    write_tx(conn, |conn| {
        let mut m = visible(conn, cx, id, expected)?;
        let to = m.status.open()?;
        // One open meeting per network: checked here, in the transaction, and held by a
        // partial unique index when two opens race.
        let others = match &m.network_id {
            Some(n) => Meeting::open_of_networks(conn, &[n])?,
            None => Meeting::open_in(conn, &district)?.into_iter().collect(),
        };
        if let Some(other) = others.into_iter().find(|o| o.id != m.id) {
            return Err(Error::conflict(ErrorCode::MeetingAlreadyOpen, {
                let (title, id) = (&other.title, &other.id);
                text!(
                    "la seduta {title} ({id}) è ancora aperta: chiuderla prima",
                    "meeting {title} ({id}) is still open: close it first"
                )
            }));
        }
        m.opened_at = Some(cx.now.at);
        audit::move_to(conn, &mut m, "open", to, None, cx.by()).map_err(|e| match e {
            Error::Conflict {
                code: ErrorCode::Duplicate,
                ..
            } => already_open(),
            e => e,
        })?;
        if m.kind == MeetingKind::MonthlyTable {
            for mut r in Referral::waiting(conn, &district)? {
                schedule_referral(conn, cx, &m.id, &mut r)?;
            }
        }
        out(conn, cx, m)
    })
}
