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
    /// `decision`, `agency_id`, `outcome`, `activation_id`, `measure_id`, `amount_cents`, `check_id`, `months`, `due_date`, `version`), never free text ([`DATA_KEYS`]).
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

/// The only keys an event's `data` may carry: ids, states, amounts, dates, counts.
pub const DATA_KEYS: [&str; 14] = [
    "referral_id",
    "case_id",
    "status",
    "previous_status",
    "decision",
    "agency_id",
    "outcome",
    "activation_id",
    "measure_id",
    "amount_cents",
    "check_id",
    "months",
    "due_date",
    "version",
];

/// The longest text a value of `data` may be (an id): nothing longer — a reason, a note, a
/// name — ever leaves in a webhook.
pub const DATA_TEXT_MAX: usize = sistema_lavoro_domain::ids::MAX_LEN;

/// An event's `data`: ids and states only. A key outside [`DATA_KEYS`], or a text longer than
/// an id, is left out (and logged as the bug it is), so no free text reaches a receiver.
pub fn data(pairs: &[(&str, Value)]) -> Value {
    let mut m = serde_json::Map::new();
    for (k, v) in pairs {
        let free_text = v
            .as_str()
            .is_some_and(|s| s.chars().count() > DATA_TEXT_MAX);
        if !DATA_KEYS.contains(k) || free_text || v.is_object() || v.is_array() {
            log::error!(target: "webhooks", "event data {k} left out: not an id or a state");
            continue;
        }
        m.insert((*k).to_string(), v.clone());
    }
    json!(m)
}

#[cfg(test)]
mod tests {
    #[test]
    fn data_keeps_ids_and_states_and_leaves_free_text_out() {
        let d = super::data(&[
            ("referral_id", "r1".into()),
            ("status", "accepted".into()),
            ("reason", "la persona ha problemi di salute".into()),
            ("case_id", "x".repeat(200).into()),
            ("months", 6.into()),
        ]);
        assert_eq!(
            d,
            serde_json::json!({"referral_id": "r1", "status": "accepted", "months": 6})
        );
    }
}
