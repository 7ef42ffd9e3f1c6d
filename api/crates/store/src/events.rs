//! The outbox: events written in the transaction of the change they tell, with one pending
//! delivery per matching subscription, so an event exists if and only if its change committed.

use diesel::prelude::*;
use sistema_lavoro_domain::events::{DeliveryStatus, EventType};

use super::schema::{outbox_events, webhook_deliveries, webhook_subscriptions};
use super::types::JsonList;
use super::{new_id, Db, DbConn, Result};

/// An event to record.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub id: &'a str,
    pub district_id: &'a str,
    pub event_type: EventType,
    /// The JSON body every delivery sends.
    pub payload: &'a str,
    pub at: chrono::NaiveDateTime,
}

/// Records the event and a pending delivery for each active subscription of `recipients`
/// (organization ids) that asked for its type.
pub fn emit(
    conn: &mut DbConn,
    e: NewEvent,
    recipients: &[sistema_lavoro_domain::ids::OrganizationId],
) -> Result<()> {
    diesel::insert_into(outbox_events::table)
        .values((
            outbox_events::id.eq(e.id),
            outbox_events::district_id.eq(e.district_id),
            outbox_events::event_type.eq(e.event_type.as_str()),
            outbox_events::payload.eq(e.payload),
            outbox_events::created_at.eq(e.at),
        ))
        .execute(conn)
        .db()?;
    let mut orgs: Vec<&str> = recipients.iter().map(|o| o.as_str()).collect();
    orgs.sort_unstable();
    orgs.dedup();
    if orgs.is_empty() {
        return Ok(());
    }
    let subs: Vec<(String, JsonList<EventType>)> = webhook_subscriptions::table
        .filter(webhook_subscriptions::organization_id.eq_any(orgs))
        .filter(webhook_subscriptions::active.eq(true))
        .select((
            webhook_subscriptions::id,
            webhook_subscriptions::event_types,
        ))
        .load(conn)
        .db()?;
    for (sub, JsonList(types)) in subs {
        if !types.contains(&e.event_type) {
            continue;
        }
        diesel::insert_into(webhook_deliveries::table)
            .values((
                webhook_deliveries::id.eq(new_id::<String>()),
                webhook_deliveries::event_id.eq(e.id),
                webhook_deliveries::subscription_id.eq(&sub),
                webhook_deliveries::status.eq(DeliveryStatus::Pending.as_str()),
                webhook_deliveries::attempts.eq(0),
                webhook_deliveries::next_attempt_at.eq(e.at),
                webhook_deliveries::created_at.eq(e.at),
                webhook_deliveries::updated_at.eq(e.at),
            ))
            .execute(conn)
            .db()?;
    }
    Ok(())
}
