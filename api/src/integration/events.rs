//! Domain events: written to the outbox in the caller's transaction and fanned out to the
//! matching webhook subscriptions, so an event exists if and only if its change committed.

use diesel::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

use crate::domain::OrganizationKind;
use crate::http::problem::ApiError;
use crate::store::schema::{
    organizations, outbox_events, webhook_deliveries, webhook_subscriptions,
};
use crate::store::{new_id, now, utc, DbConn};

crate::string_enum! {
    /// Types of webhook events.
    EventType {
        /// A referral was sent to the table (to the referring organization and the Ufficio di Piano).
        ReferralSubmitted => "referral.submitted",
        /// The table decided a referral (to the referring organization).
        ReferralDecided => "referral.decided",
        /// A case was assigned to an agency, by acceptance or reassignment (to the agency and the referrer).
        CaseAssigned => "case.assigned",
        /// A case changed state (to the agency and the referrer).
        CaseStatusChanged => "case.status_changed",
        /// A measure was approved and its budget reserved (to the agency).
        ActivationApproved => "activation.approved",
        /// A case was closed with an outcome (to the agency and the referrer).
        CaseClosed => "case.closed",
        /// An outcome check (3, 6, 12 months) fell due (to the agency).
        OutcomeCheckDue => "outcome_check.due",
    }
}

/// The body of every webhook request. `data` carries ids and states, never personal data:
/// fetch details with your token.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193...", "type": "referral.decided", "occurred_at": "2026-11-22T10:00:00Z",
    "district_id": "0193...", "data": {"referral_id": "0193...", "status": "accepted", "decision": "accept", "case_id": "0193..."}}))]
pub struct WebhookEvent {
    /// Unique event id: receivers use it to drop duplicates.
    pub id: String,
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    pub district_id: String,
    /// Event-specific ids and states (`referral_id`, `case_id`, `status`, `previous_status`,
    /// `decision`, `agency_id`, `outcome`, `activation_id`, `amount_cents`, `check_id`, `months`, `due_date`).
    #[schema(value_type = Object)]
    pub data: Value,
}

/// The Ufficio di Piano organizations of a district.
pub fn planning_offices(conn: &mut DbConn, district_id: &str) -> Result<Vec<String>, ApiError> {
    Ok(organizations::table
        .filter(organizations::district_id.eq(district_id))
        .filter(organizations::kind.eq(OrganizationKind::PlanningOffice.as_str()))
        .select(organizations::id)
        .load(conn)?)
}

/// Records an event and one pending delivery per matching active subscription of `recipients`.
pub fn emit(
    conn: &mut DbConn,
    district_id: &str,
    event_type: EventType,
    data: Value,
    recipients: &[String],
) -> Result<(), ApiError> {
    let id = new_id();
    let at = now();
    let event = WebhookEvent {
        id: id.clone(),
        event_type,
        occurred_at: utc(at),
        district_id: district_id.into(),
        data,
    };
    let payload = serde_json::to_string(&event).map_err(|e| ApiError::Internal(e.to_string()))?;
    diesel::insert_into(outbox_events::table)
        .values((
            outbox_events::id.eq(&id),
            outbox_events::district_id.eq(district_id),
            outbox_events::event_type.eq(event_type.as_str()),
            outbox_events::payload.eq(&payload),
            outbox_events::created_at.eq(at),
        ))
        .execute(conn)?;
    let mut orgs: Vec<&String> = recipients.iter().collect();
    orgs.sort();
    orgs.dedup();
    let subs: Vec<(String, String)> = webhook_subscriptions::table
        .filter(webhook_subscriptions::organization_id.eq_any(orgs))
        .filter(webhook_subscriptions::active.eq(true))
        .select((
            webhook_subscriptions::id,
            webhook_subscriptions::event_types,
        ))
        .load(conn)?;
    for (sub, types) in subs {
        let types: Vec<String> = serde_json::from_str(&types).unwrap_or_default();
        if !types.iter().any(|t| t == event_type.as_str()) {
            continue;
        }
        diesel::insert_into(webhook_deliveries::table)
            .values((
                webhook_deliveries::id.eq(new_id()),
                webhook_deliveries::event_id.eq(&id),
                webhook_deliveries::subscription_id.eq(&sub),
                webhook_deliveries::status.eq("pending"),
                webhook_deliveries::attempts.eq(0),
                webhook_deliveries::next_attempt_at.eq(at),
                webhook_deliveries::created_at.eq(at),
                webhook_deliveries::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn data(pairs: &[(&str, Value)]) -> Value {
    let mut m = serde_json::Map::new();
    for (k, v) in pairs {
        m.insert((*k).to_string(), v.clone());
    }
    json!(m)
}
