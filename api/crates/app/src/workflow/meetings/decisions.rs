//! Decisions of the table: recorded while the meeting is open, one per agenda item
//! (recording again replaces it), parsed once into the domain's [`TableDecision`].

use serde::Deserialize;
use sistema_lavoro_domain::ids::{CaseId, MeasureId, MeetingId, OrganizationId, ReferralId};
use sistema_lavoro_domain::states::{ActivationStatus, DecisionKind};
use sistema_lavoro_domain::table::{CaseDecision, DecisionFields, TableDecision};
use sistema_lavoro_domain::{text, Error, ErrorCode, FieldError};
use sistema_lavoro_store::activations::Activation;
use sistema_lavoro_store::cases::Case;
use sistema_lavoro_store::measures::Measure;
use sistema_lavoro_store::meetings::{AgendaItem, Decision};
use sistema_lavoro_store::{new_id, write_tx, DbConn};
use utoipa::ToSchema;
use validator::Validate;

use super::open_meeting;
use super::view::{agenda_of, Agenda};
use crate::workflow::check_agency;
use crate::Ctx;
use sistema_lavoro_domain::policy;

/// A decision on one agenda item; recording it again replaces it.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"referral_id": "0193...", "decision": "accept", "agency_id": "0193...",
    "measure_ids": ["0193..."], "reason": "Profilo adatto a DUL fascia 2"}))]
pub struct DecisionInput {
    /// The referral decided (for referral items).
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, value_type = Option<String>)]
    pub referral_id: Option<ReferralId>,
    /// The case reviewed (for case-review items).
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, value_type = Option<String>)]
    pub case_id: Option<CaseId>,
    /// `accept`, `reject`, `redirect`, `defer`, `request_info` for referrals;
    /// `reassign`, `confirm` for case reviews.
    pub decision: DecisionKind,
    /// The agency that takes the case (`accept`, `reassign`).
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, value_type = Option<String>)]
    pub agency_id: Option<OrganizationId>,
    /// Measures to activate (`accept`); proposed to the agency when the meeting closes.
    #[serde(default)]
    #[validate(length(max = 10))]
    #[schema(max_items = 10, value_type = Vec<String>)]
    pub measure_ids: Vec<MeasureId>,
    /// Motivazione: required except for `accept` and `confirm`.
    #[validate(length(min = 1, max = 4000))]
    #[schema(min_length = 1, max_length = 4000)]
    pub reason: Option<String>,
}

/// A stored decision as the domain reads it (written only through [`decide`], so it parses).
pub fn parsed(d: &Decision) -> Result<TableDecision, Error> {
    TableDecision::parse(DecisionFields {
        referral_id: d.referral_id.clone(),
        case_id: d.case_id.clone(),
        decision: Some(d.decision),
        agency_id: d.agency_id.clone(),
        measure_ids: d.measure_ids.clone(),
        reason: d.reason.clone(),
    })
    .map_err(|e| Error::Internal(format!("stored decision {} does not parse: {e:?}", d.id)))
}

/// The row of a decision on `meeting_id`.
pub fn row(
    meeting_id: &MeetingId,
    d: &TableDecision,
    by: &str,
    at: chrono::NaiveDateTime,
) -> Decision {
    Decision {
        id: new_id(),
        meeting_id: meeting_id.into(),
        referral_id: d.referral_id().map(Into::into),
        case_id: d.case_id().map(Into::into),
        decision: d.kind(),
        agency_id: d.agency_id().map(Into::into),
        measure_ids: d.measure_ids().to_vec(),
        reason: d.reason().map(Into::into),
        decided_by: by.into(),
        created_at: at,
        updated_at: at,
    }
}

/// Records (or replaces) the decision on one agenda item of an open meeting. Every field that
/// does not fit — shape, agenda, agency, measures — is named at once.
pub fn decide(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &MeetingId,
    i: DecisionInput,
) -> Result<Agenda, Error> {
    policy::may_run_the_table(cx.actor)?;
    let district = cx.actor.district()?.clone();
    write_tx(conn, |conn| {
        let m = open_meeting(conn, cx, id)?;
        let items = AgendaItem::of_meeting(conn, &m.id)?;
        let mut errors: Vec<FieldError> = Vec::new();
        if let Some(rid) = &i.referral_id {
            if !items
                .iter()
                .any(|it| it.referral_id.as_deref() == Some(rid))
            {
                errors.push(FieldError::new(
                    "referral_id",
                    "not_on_agenda",
                    text!(
                        "la segnalazione non è all'ordine del giorno di questa seduta",
                        "the referral is not on this meeting's agenda"
                    ),
                ));
            }
        }
        if let Some(cid) = &i.case_id {
            if !items.iter().any(|it| it.case_id.as_deref() == Some(cid)) {
                errors.push(FieldError::new(
                    "case_id",
                    "not_on_agenda",
                    text!(
                        "il caso non è all'ordine del giorno di questa seduta",
                        "the case is not on this meeting's agenda"
                    ),
                ));
            }
        }
        if let Some(a) = &i.agency_id {
            if let Err(Error::Validation(mut e)) = check_agency(conn, &district, a, "agency_id") {
                errors.append(&mut e);
            }
        }
        let ids: Vec<&MeasureId> = i.measure_ids.iter().collect();
        let found = Measure::find_many(conn, &ids)?;
        for (n, mid) in i.measure_ids.iter().enumerate() {
            let ok = found
                .iter()
                .any(|ms| &ms.id == mid && ms.district_id == district && ms.active);
            if !ok {
                errors.push(FieldError::new(
                    format!("measure_ids[{n}]"),
                    "unknown",
                    text!(
                        "nessuna misura attiva dell'Ambito ha questo identificativo",
                        "no active measure of the district has this id"
                    ),
                ));
            }
        }
        let parsed = TableDecision::parse(DecisionFields {
            referral_id: i.referral_id.clone(),
            case_id: i.case_id.clone(),
            decision: Some(i.decision),
            agency_id: i.agency_id.clone(),
            measure_ids: i.measure_ids.clone(),
            reason: i.reason.clone(),
        });
        let decision = match parsed {
            Ok(d) if errors.is_empty() => d,
            Ok(_) => return Err(Error::Validation(errors)),
            Err(mut e) => {
                errors.append(&mut e);
                return Err(Error::Validation(errors));
            }
        };
        if let TableDecision::Case {
            case_id,
            decision: CaseDecision::Reassign { agency_id, .. },
        } = &decision
        {
            let c = Case::find(conn, case_id)?;
            if *agency_id == c.agency_id {
                return Err(Error::validation(
                    "agency_id",
                    "same_agency",
                    text!(
                        "il caso è già assegnato a questo ente",
                        "the case is already with this agency"
                    ),
                ));
            }
            if Activation::of_case(conn, case_id)?
                .iter()
                .any(|a| a.status == ActivationStatus::Running)
            {
                return Err(Error::conflict(
                    ErrorCode::ActivationsRunning,
                    text!(
                        "il caso ha misure in corso: completarle o interromperle prima della \
                         riassegnazione",
                        "the case has running measures: complete or interrupt them before \
                         reassigning"
                    ),
                ));
            }
        }
        let existing = Decision::for_item(conn, &m.id, decision.referral_id(), decision.case_id())?;
        let mut d = row(&m.id, &decision, &cx.actor.id, cx.now.at);
        match existing {
            Some(old) => {
                d.id = old.id;
                d.created_at = old.created_at;
                Decision::save(conn, &d)?;
            }
            None => Decision::insert(conn, &d)?,
        }
        agenda_of(conn, cx, m)
    })
}
