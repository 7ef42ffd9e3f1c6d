//! Webhook subscriptions and their deliveries: what the worker claims, sends and settles.

use diesel::prelude::*;
use sistema_lavoro_domain::events::{DeliveryStatus, EventType};
use sistema_lavoro_domain::ids::{DeliveryId, EventId, OrganizationId, WebhookId};

use super::schema::{outbox_events, webhook_deliveries, webhook_subscriptions};
use super::types::JsonList;
use super::{Db, DbConn, Result};
use crate::direct::direct;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_subscriptions)]
pub struct SubscriptionRow {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: WebhookId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub organization_id: OrganizationId,
    pub url: String,
    #[diesel(deserialize_as = JsonList<EventType>, serialize_as = JsonList<EventType>)]
    pub event_types: Vec<EventType>,
    /// Sealed (AES-256-GCM): the server needs it back to sign.
    pub secret: String,
    pub active: bool,
    pub created_by: String,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhook_deliveries)]
pub struct DeliveryRow {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: DeliveryId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub event_id: EventId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub subscription_id: WebhookId,
    #[diesel(deserialize_as = String)]
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub next_attempt_at: chrono::NaiveDateTime,
    pub locked_until: Option<chrono::NaiveDateTime>,
    pub lock_token: Option<String>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub delivered_at: Option<chrono::NaiveDateTime>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

impl SubscriptionRow {
    pub fn insert(conn: &mut DbConn, row: &SubscriptionRow) -> Result<()> {
        diesel::insert_into(webhook_subscriptions::table)
            .values(row.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn find(conn: &mut DbConn, id: &WebhookId) -> Result<SubscriptionRow> {
        direct!(conn, |c| webhook_subscriptions::table
            .find(id.as_str())
            .select(SubscriptionRow::as_select())
            .first(c))
        .db()
    }

    pub fn list(
        conn: &mut DbConn,
        organization_id: Option<&OrganizationId>,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<SubscriptionRow>> {
        let mut q = webhook_subscriptions::table
            .select(SubscriptionRow::as_select())
            .order(webhook_subscriptions::id)
            .into_boxed();
        if let Some(o) = organization_id {
            q = q.filter(webhook_subscriptions::organization_id.eq(o.as_str()));
        }
        if let Some(a) = after {
            q = q.filter(webhook_subscriptions::id.gt(a));
        }
        q.limit(limit + 1).load(conn).db()
    }

    /// Stops the subscription; its pending deliveries fail.
    pub fn deactivate(conn: &mut DbConn, id: &WebhookId, at: chrono::NaiveDateTime) -> Result<()> {
        diesel::update(webhook_subscriptions::table.find(id.as_str()))
            .set((
                webhook_subscriptions::active.eq(false),
                webhook_subscriptions::updated_at.eq(at),
            ))
            .execute(conn)
            .db()?;
        diesel::update(
            webhook_deliveries::table
                .filter(webhook_deliveries::subscription_id.eq(id.as_str()))
                .filter(webhook_deliveries::status.eq(DeliveryStatus::Pending.as_str())),
        )
        .set((
            webhook_deliveries::status.eq(DeliveryStatus::Failed.as_str()),
            webhook_deliveries::last_error.eq(Some("subscription deactivated")),
        ))
        .execute(conn)
        .db()?;
        Ok(())
    }

    /// Every stored secret, by subscription (to seal those an older version kept in clear).
    pub fn secrets(conn: &mut DbConn) -> Result<Vec<(WebhookId, String)>> {
        let rows: Vec<(String, String)> = direct!(conn, |c| webhook_subscriptions::table
            .select((webhook_subscriptions::id, webhook_subscriptions::secret))
            .load(c))
        .db()?;
        Ok(rows.into_iter().map(|(id, s)| (id.into(), s)).collect())
    }

    /// Replaces a secret if it is still `old`.
    pub fn replace_secret(conn: &mut DbConn, id: &WebhookId, old: &str, new: &str) -> Result<bool> {
        let n = diesel::update(
            webhook_subscriptions::table
                .find(id.as_str())
                .filter(webhook_subscriptions::secret.eq(old)),
        )
        .set(webhook_subscriptions::secret.eq(new))
        .execute(conn)
        .db()?;
        Ok(n == 1)
    }
}

impl DeliveryRow {
    pub fn find(conn: &mut DbConn, id: &DeliveryId) -> Result<DeliveryRow> {
        direct!(conn, |c| webhook_deliveries::table
            .find(id.as_str())
            .select(DeliveryRow::as_select())
            .first(c))
        .db()
    }

    /// A subscription's deliveries with their event types, by id (`limit + 1` rows).
    pub fn page_of(
        conn: &mut DbConn,
        subscription_id: &WebhookId,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<(DeliveryRow, EventType)>> {
        let mut q = webhook_deliveries::table
            .inner_join(outbox_events::table)
            .filter(webhook_deliveries::subscription_id.eq(subscription_id.as_str()))
            .order(webhook_deliveries::id)
            .select((DeliveryRow::as_select(), outbox_events::event_type))
            .into_boxed();
        if let Some(a) = after {
            q = q.filter(webhook_deliveries::id.gt(a));
        }
        let rows: Vec<(DeliveryRow, String)> = q.limit(limit + 1).load(conn).db()?;
        rows.into_iter()
            .map(|(d, t)| Ok((d, EventType::from_db(&t)?)))
            .collect()
    }

    pub fn event_type(conn: &mut DbConn, event_id: &EventId) -> Result<EventType> {
        let t: String = outbox_events::table
            .find(event_id.as_str())
            .select(outbox_events::event_type)
            .first(conn)
            .db()?;
        EventType::from_db(&t)
    }

    /// Back to `pending` for a new round of attempts.
    pub fn reset(conn: &mut DbConn, id: &DeliveryId, at: chrono::NaiveDateTime) -> Result<()> {
        diesel::update(webhook_deliveries::table.find(id.as_str()))
            .set((
                webhook_deliveries::status.eq(DeliveryStatus::Pending.as_str()),
                webhook_deliveries::attempts.eq(0),
                webhook_deliveries::next_attempt_at.eq(at),
                webhook_deliveries::locked_until.eq(None::<chrono::NaiveDateTime>),
                webhook_deliveries::updated_at.eq(at),
            ))
            .execute(conn)
            .map(drop)
            .db()
    }

    /// Pending deliveries due at `at` that no live claim holds.
    pub fn due(
        conn: &mut DbConn,
        at: chrono::NaiveDateTime,
        limit: i64,
    ) -> Result<Vec<DeliveryId>> {
        let ids: Vec<String> = webhook_deliveries::table
            .filter(webhook_deliveries::status.eq(DeliveryStatus::Pending.as_str()))
            .filter(webhook_deliveries::next_attempt_at.le(at))
            .filter(
                webhook_deliveries::locked_until
                    .is_null()
                    .or(webhook_deliveries::locked_until.lt(at)),
            )
            .order(webhook_deliveries::next_attempt_at)
            .select(webhook_deliveries::id)
            .limit(limit)
            .load(conn)
            .db()?;
        Ok(ids.into_iter().map(DeliveryId::from).collect())
    }

    /// Claims a delivery until `until` under `token`: one conditional UPDATE, so of several
    /// instances exactly one wins.
    pub fn claim(
        conn: &mut DbConn,
        id: &DeliveryId,
        token: &str,
        at: chrono::NaiveDateTime,
        until: chrono::NaiveDateTime,
    ) -> Result<bool> {
        let n = diesel::update(
            webhook_deliveries::table
                .find(id.as_str())
                .filter(webhook_deliveries::status.eq(DeliveryStatus::Pending.as_str()))
                .filter(
                    webhook_deliveries::locked_until
                        .is_null()
                        .or(webhook_deliveries::locked_until.lt(at)),
                ),
        )
        .set((
            webhook_deliveries::locked_until.eq(Some(until)),
            webhook_deliveries::lock_token.eq(Some(token)),
        ))
        .execute(conn)
        .db()?;
        Ok(n == 1)
    }

    /// What one attempt needs: the event and its subscription.
    pub fn work(conn: &mut DbConn, id: &DeliveryId) -> Result<DeliveryWork> {
        let (event_id, subscription_id, attempts): (String, String, i32) =
            webhook_deliveries::table
                .find(id.as_str())
                .select((
                    webhook_deliveries::event_id,
                    webhook_deliveries::subscription_id,
                    webhook_deliveries::attempts,
                ))
                .first(conn)
                .db()?;
        let (payload, event_type): (String, String) = outbox_events::table
            .find(&event_id)
            .select((outbox_events::payload, outbox_events::event_type))
            .first(conn)
            .db()?;
        let (url, secret, active): (String, String, bool) = webhook_subscriptions::table
            .find(&subscription_id)
            .select((
                webhook_subscriptions::url,
                webhook_subscriptions::secret,
                webhook_subscriptions::active,
            ))
            .first(conn)
            .db()?;
        Ok(DeliveryWork {
            event_type: EventType::from_db(&event_type)?,
            event_id,
            attempts,
            payload,
            url,
            secret,
            active,
        })
    }

    /// Records an attempt's result, if the claim under `token` still holds.
    pub fn settle(conn: &mut DbConn, id: &DeliveryId, token: &str, s: &Attempt) -> Result<()> {
        diesel::update(
            webhook_deliveries::table
                .find(id.as_str())
                .filter(webhook_deliveries::lock_token.eq(token)),
        )
        .set((
            webhook_deliveries::status.eq(s.status.as_str()),
            webhook_deliveries::attempts.eq(s.attempts),
            webhook_deliveries::next_attempt_at.eq(s.next_attempt_at),
            webhook_deliveries::locked_until.eq(None::<chrono::NaiveDateTime>),
            webhook_deliveries::last_status_code.eq(s.status_code),
            webhook_deliveries::last_error.eq(s.error.as_deref()),
            webhook_deliveries::delivered_at
                .eq((s.status == DeliveryStatus::Delivered).then_some(s.at)),
            webhook_deliveries::updated_at.eq(s.at),
        ))
        .execute(conn)
        .map(drop)
        .db()
    }
}

/// A claimed delivery's event and destination.
#[derive(Debug, Clone)]
pub struct DeliveryWork {
    pub event_id: String,
    pub event_type: EventType,
    pub attempts: i32,
    pub payload: String,
    pub url: String,
    /// Sealed.
    pub secret: String,
    pub active: bool,
}

/// The result of one attempt.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub next_attempt_at: chrono::NaiveDateTime,
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub at: chrono::NaiveDateTime,
}
