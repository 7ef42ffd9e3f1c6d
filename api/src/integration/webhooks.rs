//! Webhook subscriptions of an organization, their delivery log, and where we may deliver.

use std::net::{IpAddr, ToSocketAddrs};

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::events::EventType;
use crate::domain::Role;
use crate::http::extract::AuthUser;
use crate::http::problem::ApiError;
use crate::store::organizations::Organization;
use crate::store::schema::{outbox_events, webhook_deliveries, webhook_subscriptions};
use crate::store::{new_id, now, utc, write_tx, DbConn};
use crate::workflow::{from_json, to_json};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_subscriptions)]
pub struct SubscriptionRow {
    pub id: String,
    pub organization_id: String,
    pub url: String,
    pub event_types: String,
    pub secret: String,
    pub active: bool,
    pub created_by: String,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhook_deliveries)]
pub struct DeliveryRow {
    pub id: String,
    pub event_id: String,
    pub subscription_id: String,
    pub status: String,
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

/// A new webhook subscription.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"url": "https://cartella.comune.example/hooks/sistema-lavoro", "event_types": ["referral.decided", "case.closed"]}))]
pub struct SubscriptionInput {
    /// `https://…`, or `http://…` only to hosts the administrator allowed (`WEBHOOK_ALLOWED_HOSTS`).
    #[validate(length(min = 8, max = 2000))]
    #[schema(min_length = 8, max_length = 2000)]
    pub url: String,
    #[validate(length(min = 1, max = 7))]
    #[schema(min_items = 1, max_items = 7)]
    pub event_types: Vec<EventType>,
    /// Admin only: the organization to subscribe (others subscribe their own).
    pub organization_id: Option<String>,
}

/// A webhook subscription.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionOut {
    pub id: String,
    pub organization_id: String,
    pub url: String,
    pub event_types: Vec<EventType>,
    pub active: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// A new subscription with its signing secret, shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionWithSecret {
    #[serde(flatten)]
    pub subscription: SubscriptionOut,
    /// HMAC-SHA256 key of the `X-Signature` header. Store it now.
    pub secret: String,
}

/// One delivery of an event to a subscription.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryOut {
    pub id: String,
    pub event_id: String,
    pub event_type: EventType,
    /// `pending`, `delivered`, or `failed` (gave up after the last retry, or a permanent error).
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: Option<chrono::DateTime<chrono::Utc>>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub delivered_at: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

fn sub_out(r: SubscriptionRow) -> Result<SubscriptionOut, ApiError> {
    Ok(SubscriptionOut {
        event_types: from_json(&r.event_types)?,
        created_at: utc(r.created_at),
        updated_at: utc(r.updated_at),
        id: r.id,
        organization_id: r.organization_id,
        url: r.url,
        active: r.active,
    })
}

fn delivery_out(conn: &mut DbConn, d: DeliveryRow) -> Result<DeliveryOut, ApiError> {
    let event_type: String = outbox_events::table
        .find(&d.event_id)
        .select(outbox_events::event_type)
        .first(conn)?;
    Ok(DeliveryOut {
        event_type: EventType::from_db(&event_type)?,
        next_attempt_at: (d.status == "pending").then(|| utc(d.next_attempt_at)),
        delivered_at: d.delivered_at.map(utc),
        created_at: utc(d.created_at),
        id: d.id,
        event_id: d.event_id,
        status: d.status,
        attempts: d.attempts,
        last_status_code: d.last_status_code,
        last_error: d.last_error,
    })
}

/// Whose subscriptions the caller manages: admins any organization's, others their own.
fn managed_org(user: &AuthUser, requested: Option<&str>) -> Result<String, ApiError> {
    match user.role {
        Role::Admin => requested.map(str::to_string).ok_or_else(|| {
            ApiError::validation(
                "organization_id",
                "required",
                "is required for an administrator",
            )
        }),
        _ if user.scopes.is_none() && user.role != Role::Coordinator => Err(ApiError::Forbidden(
            "webhooks are managed by the administrator, the coordinator or an integration client"
                .into(),
        )),
        _ => {
            let own = user.organization()?;
            match requested {
                Some(r) if r != own => Err(ApiError::Forbidden(
                    "you manage only your organization's webhooks".into(),
                )),
                _ => Ok(own.to_string()),
            }
        }
    }
}

fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.octets()[0] == 100 && (v4.octets()[1] & 0xc0) == 64 // carrier-grade NAT
        }
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6.is_unspecified()
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80
                || v6
                    .to_ipv4_mapped()
                    .is_some_and(|v4| is_private(IpAddr::V4(v4)))
        }
    }
}

/// Checks a destination: `https` to a public address, or any scheme to an allowed host.
/// At subscription (`resolve: false`) the URL itself is checked (scheme, credentials, literal
/// private addresses, local names); at every delivery (`resolve: true`) the name is resolved
/// too, and a name that resolves to a private address is refused then.
pub fn check_destination(
    raw: &str,
    allowed_hosts: &[String],
    resolve: bool,
) -> Result<url::Url, String> {
    let url = url::Url::parse(raw).map_err(|e| format!("not a valid URL: {e}"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err("credentials in the URL are not allowed".into());
    }
    let host = url
        .host_str()
        .ok_or("the URL has no host")?
        .trim_matches(|c| c == '[' || c == ']')
        .to_lowercase();
    let allowed = allowed_hosts.iter().any(|h| h.eq_ignore_ascii_case(&host));
    match url.scheme() {
        "https" => {}
        "http" if allowed => {}
        "http" => {
            return Err(
                "only https URLs are allowed (http only to hosts the administrator allowed)".into(),
            )
        }
        other => return Err(format!("the {other} scheme is not allowed")),
    }
    if allowed {
        return Ok(url);
    }
    if let Ok(ip) = host.parse::<IpAddr>() {
        if is_private(ip) {
            return Err("private, loopback and link-local addresses are not allowed".into());
        }
    } else if host == "localhost"
        || host.ends_with(".localhost")
        || host.ends_with(".local")
        || host.ends_with(".internal")
    {
        return Err("local host names are not allowed".into());
    } else if resolve {
        let port = url.port_or_known_default().unwrap_or(443);
        let addrs = (host.as_str(), port)
            .to_socket_addrs()
            .map_err(|e| format!("cannot resolve {host}: {e}"))?;
        for a in addrs {
            if is_private(a.ip()) {
                return Err(format!("{host} resolves to a private address"));
            }
        }
    }
    Ok(url)
}

pub fn create(
    conn: &mut DbConn,
    user: &AuthUser,
    i: SubscriptionInput,
    allowed_hosts: &[String],
    sealer: &crate::security::SecretBox,
) -> Result<SubscriptionWithSecret, ApiError> {
    let org = managed_org(user, i.organization_id.as_deref())?;
    let url = check_destination(i.url.trim(), allowed_hosts, false)
        .map_err(|m| ApiError::validation("url", "destination", m))?;
    let mut types = i.event_types.clone();
    types.sort();
    types.dedup();
    write_tx(conn, |conn| {
        Organization::find(conn, &org).map_err(|_| {
            ApiError::validation("organization_id", "unknown", "no organization has this id")
        })?;
        let secret = format!("whsec_{}", hex::encode(rand::random::<[u8; 32]>()));
        let at = now();
        let row = SubscriptionRow {
            id: new_id(),
            organization_id: org.clone(),
            url: url.to_string(),
            event_types: to_json(&types),
            // Stored sealed: the server needs it back to sign, so it cannot be hashed.
            secret: sealer.seal(&secret),
            active: true,
            created_by: user.id.clone(),
            created_at: at,
            updated_at: at,
        };
        diesel::insert_into(webhook_subscriptions::table)
            .values(&row)
            .execute(conn)?;
        Ok(SubscriptionWithSecret {
            subscription: sub_out(row)?,
            secret,
        })
    })
}

fn visible(conn: &mut DbConn, user: &AuthUser, id: &str) -> Result<SubscriptionRow, ApiError> {
    let row: SubscriptionRow = webhook_subscriptions::table
        .find(id)
        .select(SubscriptionRow::as_select())
        .first(conn)
        .map_err(|_| ApiError::NotFound)?;
    if user.role != Role::Admin
        && user.organization_id.as_deref() != Some(row.organization_id.as_str())
    {
        return Err(ApiError::NotFound);
    }
    managed_org(user, Some(&row.organization_id)).map_err(|_| ApiError::NotFound)?;
    Ok(row)
}

pub fn list(
    conn: &mut DbConn,
    user: &AuthUser,
    organization_id: Option<&str>,
) -> Result<Vec<SubscriptionOut>, ApiError> {
    let mut q = webhook_subscriptions::table
        .select(SubscriptionRow::as_select())
        .order(webhook_subscriptions::id)
        .into_boxed();
    let org = match user.role {
        Role::Admin => organization_id.map(str::to_string),
        _ => Some(managed_org(user, None)?),
    };
    if let Some(o) = org {
        q = q.filter(webhook_subscriptions::organization_id.eq(o));
    }
    q.load(conn)?.into_iter().map(sub_out).collect()
}

pub fn get(conn: &mut DbConn, user: &AuthUser, id: &str) -> Result<SubscriptionOut, ApiError> {
    sub_out(visible(conn, user, id)?)
}

/// Stops a subscription: no new deliveries; pending ones are dropped.
pub fn deactivate(conn: &mut DbConn, user: &AuthUser, id: &str) -> Result<(), ApiError> {
    write_tx(conn, |conn| {
        let row = visible(conn, user, id)?;
        diesel::update(webhook_subscriptions::table.find(&row.id))
            .set((
                webhook_subscriptions::active.eq(false),
                webhook_subscriptions::updated_at.eq(now()),
            ))
            .execute(conn)?;
        diesel::update(
            webhook_deliveries::table
                .filter(webhook_deliveries::subscription_id.eq(&row.id))
                .filter(webhook_deliveries::status.eq("pending")),
        )
        .set((
            webhook_deliveries::status.eq("failed"),
            webhook_deliveries::last_error.eq(Some("subscription deactivated")),
        ))
        .execute(conn)?;
        Ok(())
    })
}

pub fn deliveries(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    after: Option<&str>,
    limit: i64,
) -> Result<(Vec<DeliveryOut>, Option<String>), ApiError> {
    let row = visible(conn, user, id)?;
    let mut q = webhook_deliveries::table
        .filter(webhook_deliveries::subscription_id.eq(row.id.clone()))
        .order(webhook_deliveries::id)
        .select(DeliveryRow::as_select())
        .into_boxed();
    if let Some(a) = after {
        q = q.filter(webhook_deliveries::id.gt(a.to_string()));
    }
    let mut rows: Vec<DeliveryRow> = q.limit(limit + 1).load(conn)?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = if more {
        rows.last().map(|d| d.id.clone())
    } else {
        None
    };
    let items = rows
        .into_iter()
        .map(|d| delivery_out(conn, d))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((items, next))
}

/// Sends an event again (after fixing the receiver): the delivery goes back to `pending`.
pub fn redeliver(
    conn: &mut DbConn,
    user: &AuthUser,
    delivery_id: &str,
) -> Result<DeliveryOut, ApiError> {
    write_tx(conn, |conn| {
        let d: DeliveryRow = webhook_deliveries::table
            .find(delivery_id)
            .select(DeliveryRow::as_select())
            .first(conn)
            .map_err(|_| ApiError::NotFound)?;
        let sub = visible(conn, user, &d.subscription_id)?;
        if !sub.active {
            return Err(ApiError::InvalidTransition {
                entity: "delivery",
                action: "redeliver",
                // The subscription's state: it was stopped.
                from: "inactive".into(),
            });
        }
        if d.status == "pending" {
            return Err(ApiError::InvalidTransition {
                entity: "delivery",
                action: "redeliver",
                from: d.status,
            });
        }
        let at = now();
        diesel::update(webhook_deliveries::table.find(&d.id))
            .set((
                webhook_deliveries::status.eq("pending"),
                webhook_deliveries::attempts.eq(0),
                webhook_deliveries::next_attempt_at.eq(at),
                webhook_deliveries::locked_until.eq(None::<chrono::NaiveDateTime>),
                webhook_deliveries::updated_at.eq(at),
            ))
            .execute(conn)?;
        let d: DeliveryRow = webhook_deliveries::table
            .find(&d.id)
            .select(DeliveryRow::as_select())
            .first(conn)?;
        delivery_out(conn, d)
    })
}

/// Seals the signing secrets an older version stored in clear. Returns how many.
pub fn seal_stored_secrets(
    conn: &mut DbConn,
    sealer: &crate::security::SecretBox,
) -> Result<usize, ApiError> {
    let clear: Vec<(String, String)> = webhook_subscriptions::table
        .select((webhook_subscriptions::id, webhook_subscriptions::secret))
        .load::<(String, String)>(conn)?
        .into_iter()
        .filter(|(_, secret)| !crate::security::SecretBox::is_sealed(secret))
        .collect();
    for (id, secret) in &clear {
        diesel::update(
            webhook_subscriptions::table
                .find(id)
                .filter(webhook_subscriptions::secret.eq(secret)),
        )
        .set(webhook_subscriptions::secret.eq(sealer.seal(secret)))
        .execute(conn)?;
    }
    Ok(clear.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_are_https_public_or_explicitly_allowed() {
        let none: Vec<String> = vec![];
        let local = vec!["127.0.0.1".to_string()];
        assert!(check_destination("https://example.org/hook", &none, false).is_ok());
        assert!(check_destination("http://example.org/hook", &none, false).is_err());
        assert!(check_destination("https://127.0.0.1/hook", &none, false).is_err());
        assert!(check_destination("https://10.1.2.3/hook", &none, false).is_err());
        assert!(check_destination("https://[::1]/hook", &none, false).is_err());
        assert!(check_destination("https://169.254.169.254/latest", &none, false).is_err());
        assert!(check_destination("https://localhost/hook", &none, false).is_err());
        assert!(check_destination("https://user:pw@example.org/", &none, false).is_err());
        assert!(check_destination("ftp://example.org/", &none, false).is_err());
        assert!(check_destination("http://127.0.0.1:9000/hook", &local, false).is_ok());
    }
}
