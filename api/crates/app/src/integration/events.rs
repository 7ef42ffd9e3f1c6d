//! Domain events: written to the outbox in the caller's transaction and fanned out to the
//! matching webhook subscriptions, so an event exists if and only if its change committed.

use serde::Serialize;
use serde_json::{json, Value};
use sistema_lavoro_domain::events::EventType;
use sistema_lavoro_domain::ids::{DistrictId, OrganizationId};
use sistema_lavoro_domain::{Error, Now};
use sistema_lavoro_store::events::{self as outbox, NewEvent};
use sistema_lavoro_store::{new_id, DbConn};
use utoipa::ToSchema;

/// The body of every webhook request. `data` carries ids and states, never personal data:
/// fetch details with your token.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193...", "type": "referral.decided", "occurred_at": "2026-11-22T10:00:00Z",
    "district_id": "0193...", "data": {"referral_id": "0193...", "status": "accepted", "decision": "accept", "case_id": "0193..."}}))]
pub struct WebhookEvent {
    /// Unique event id: receivers use it to drop duplicates.
    pub id: String,
    /// Event type, e.g. `referral.decided`; also sent as `X-Event-Type`.
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// When it happened (RFC 3339, UTC).
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    /// The district (Ambito territoriale) the records belong to.
    pub district_id: String,
    /// Event-specific ids and states (`referral_id`, `case_id`, `status`, `previous_status`,
    /// `decision`, `agency_id`, `outcome`, `activation_id`, `amount_cents`, `check_id`, `months`, `due_date`).
    #[schema(value_type = Object)]
    pub data: Value,
}

/// Records an event and one pending delivery per matching active subscription of
/// `recipients` (organization ids).
pub fn emit(
    conn: &mut DbConn,
    now: Now,
    district_id: &DistrictId,
    event_type: EventType,
    data: Value,
    recipients: &[OrganizationId],
) -> Result<(), Error> {
    let id: String = new_id();
    let event = WebhookEvent {
        id: id.clone(),
        event_type,
        occurred_at: now.utc(),
        district_id: district_id.to_string(),
        data,
    };
    let payload = serde_json::to_string(&event).map_err(|e| Error::Internal(e.to_string()))?;
    outbox::emit(
        conn,
        NewEvent {
            id: &id,
            district_id: district_id.as_str(),
            event_type,
            payload: &payload,
            at: now.at,
        },
        recipients,
    )
}

pub fn data(pairs: &[(&str, Value)]) -> Value {
    let mut m = serde_json::Map::new();
    for (k, v) in pairs {
        m.insert((*k).to_string(), v.clone());
    }
    json!(m)
}
