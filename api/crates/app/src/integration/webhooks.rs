//! Webhook subscriptions of an organization, their delivery log, and where we may deliver.

use sistema_lavoro_domain::ids::{DeliveryId, OrganizationId, WebhookId};
use std::net::{IpAddr, ToSocketAddrs};

use serde::{Deserialize, Serialize};
use sistema_lavoro_domain::actions::{Action, BlockedAction};
use sistema_lavoro_domain::events::{DeliveryStatus, EventType};
use sistema_lavoro_domain::i18n::Text;
use sistema_lavoro_domain::{policy, text, Error, Expected, Version};
use sistema_lavoro_store::organizations::Organization;
use sistema_lavoro_store::webhooks::{DeliveryRow, SubscriptionRow};
use sistema_lavoro_store::{new_id, utc, write_tx, DbConn};
use utoipa::ToSchema;
use validator::Validate;

use crate::security::SecretBox;
use crate::workflow::{Page, PageRequest};
use crate::Ctx;

/// A new webhook subscription.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"url": "https://cartella.comune.example/hooks/sistema-lavoro", "event_types": ["referral.decided", "case.closed"]}))]
pub struct SubscriptionInput {
    /// `https://…`, or `http://…` only to hosts the administrator allowed (`WEBHOOK_ALLOWED_HOSTS`).
    #[validate(length(min = 8, max = 2000))]
    #[schema(min_length = 8, max_length = 2000)]
    pub url: String,
    /// The event types to receive (duplicates ignored).
    #[validate(length(min = 1, max = 7))]
    #[schema(min_items = 1, max_items = 7)]
    pub event_types: Vec<EventType>,
    /// Admin only: the organization to subscribe (others subscribe their own).
    #[schema(value_type = Option<String>)]
    pub organization_id: Option<OrganizationId>,
}

/// A webhook subscription.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct SubscriptionOut {
    /// Identifier of the subscription, a UUID.
    pub id: String,
    /// The organization (ente) whose events it receives.
    pub organization_id: String,
    /// Where events are `POST`ed.
    pub url: String,
    /// The event types it receives.
    pub event_types: Vec<EventType>,
    /// `false` once stopped: no more deliveries.
    pub active: bool,
    /// What you may do with it now (`delete`).
    pub allowed_actions: Vec<Action>,
    /// Actions your role could take but the current state forbids, each with its reason.
    pub blocked_actions: Vec<BlockedAction>,
    /// When it was created (RFC 3339, UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it last changed (RFC 3339, UTC); its version is the `ETag`.
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
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct DeliveryOut {
    /// Identifier of the delivery, a UUID.
    pub id: String,
    /// The event delivered (its `id`, also sent as `X-Event-Id`).
    pub event_id: String,
    /// The event's type.
    pub event_type: EventType,
    /// `pending`, `delivered` or `failed`.
    pub status: DeliveryStatus,
    /// Attempts made so far.
    pub attempts: i32,
    /// When the next attempt is due (RFC 3339, UTC), while pending.
    pub next_attempt_at: Option<chrono::DateTime<chrono::Utc>>,
    /// HTTP status the receiver answered last, if it answered.
    pub last_status_code: Option<i32>,
    /// What went wrong at the last attempt (timeout, refused destination, …).
    pub last_error: Option<String>,
    /// When the receiver accepted it with a `2xx` (RFC 3339, UTC).
    pub delivered_at: Option<chrono::DateTime<chrono::Utc>>,
    /// What you may do with it now (`redeliver`).
    pub allowed_actions: Vec<Action>,
    /// Actions your role could take but the current state forbids, each with its reason.
    pub blocked_actions: Vec<BlockedAction>,
    /// When the delivery was queued (RFC 3339, UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
}

fn sub_out(cx: &Ctx, r: SubscriptionRow) -> SubscriptionOut {
    let (allowed_actions, blocked_actions) = cx.render(policy::subscription_actions(
        cx.actor,
        &r.organization_id,
        r.active,
    ));
    SubscriptionOut {
        event_types: r.event_types,
        created_at: utc(r.created_at),
        updated_at: utc(r.updated_at),
        allowed_actions,
        blocked_actions,
        id: r.id.into(),
        organization_id: r.organization_id.into(),
        url: r.url,
        active: r.active,
    }
}

fn delivery_out(
    cx: &Ctx,
    sub: &SubscriptionRow,
    d: DeliveryRow,
    event_type: EventType,
) -> DeliveryOut {
    let pending = d.status == DeliveryStatus::Pending;
    let (allowed_actions, blocked_actions) = cx.render(policy::delivery_actions(
        cx.actor,
        &sub.organization_id,
        pending,
        sub.active,
    ));
    DeliveryOut {
        event_type,
        next_attempt_at: pending.then(|| utc(d.next_attempt_at)),
        delivered_at: d.delivered_at.map(utc),
        created_at: utc(d.created_at),
        allowed_actions,
        blocked_actions,
        id: d.id.into(),
        event_id: d.event_id.into(),
        status: d.status,
        attempts: d.attempts,
        last_status_code: d.last_status_code,
        last_error: d.last_error,
    }
}

/// An address no webhook may reach: private, loopback, link-local, carrier-grade NAT,
/// "this network" (`0.0.0.0/8`), benchmarking (`198.18.0.0/15`), documentation, multicast,
/// reserved (`240.0.0.0/4`, broadcast included); in IPv6 the same, and every form that embeds
/// an IPv4 address (IPv4-compatible `::a.b.c.d`, IPv4-mapped, NAT64 `64:ff9b::/96` and
/// `64:ff9b:1::/48`, 6to4 `2002::/16`, Teredo `2001::/32`) is judged by that address or refused.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.is_multicast()
                || a == 0
                || a >= 240
                || (a == 100 && (b & 0xc0) == 64) // carrier-grade NAT
                || (a == 198 && (b & 0xfe) == 18) // benchmarking
                || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        }
        IpAddr::V6(v6) => {
            let seg = v6.segments();
            let embedded = |hi: u16, lo: u16| {
                std::net::Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8)
            };
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            // IPv4-compatible (deprecated) `::a.b.c.d`, `::` and `::1` included.
            if seg[..6].iter().all(|s| *s == 0) {
                return true;
            }
            // NAT64, well-known and local-use prefixes: whatever they embed, a gateway reaches
            // it on the operator's side.
            if (seg[0] == 0x64 && seg[1] == 0xff9b) || (seg[0] == 0x2001 && seg[1] == 0) {
                return true;
            }
            if seg[0] == 0x2002 {
                return is_private(IpAddr::V4(embedded(seg[1], seg[2])));
            }
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (seg[0] & 0xfe00) == 0xfc00 // unique local
                || (seg[0] & 0xffc0) == 0xfe80 // link-local
                || (seg[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
                || (seg[0] == 0x2001 && seg[1] == 0x0db8) // documentation
                || (seg[0] == 0x0100 && seg[1..4].iter().all(|s| *s == 0)) // discard
        }
    }
}

/// Checks a destination: `https` on its own port (443) to a public address, or any scheme and
/// port to a host the administrator allowed (`WEBHOOK_ALLOWED_HOSTS`, how tests reach their
/// receivers on 127.0.0.1). At subscription (`resolve: false`) the URL itself is checked
/// (scheme, port, credentials, literal private addresses in any notation, local names and
/// names ending with a dot); at every delivery (`resolve: true`) the name is resolved too,
/// and refused if any of its addresses is private — and the delivery connects only to
/// addresses checked again as it resolves ([`CheckedResolver`]).
pub fn check_destination(
    raw: &str,
    allowed_hosts: &[String],
    resolve: bool,
) -> Result<url::Url, Text> {
    let url = url::Url::parse(raw)
        .map_err(|e| text!("non è un URL valido: {e}", "not a valid URL: {e}"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(text!(
            "l'URL non può contenere credenziali",
            "credentials in the URL are not allowed"
        ));
    }
    let host = url
        .host_str()
        .ok_or(text!("l'URL non indica un host", "the URL has no host"))?
        .trim_matches(|c| c == '[' || c == ']')
        .to_lowercase();
    let allowed = allowed_hosts.iter().any(|h| h.eq_ignore_ascii_case(&host));
    match url.scheme() {
        "https" => {}
        "http" if allowed => {}
        "http" => {
            return Err(text!(
                "sono ammessi solo URL https (http solo verso gli host consentiti \
                 dall'amministratore)",
                "only https URLs are allowed (http only to hosts the administrator allowed)"
            ))
        }
        other => {
            return Err(text!(
                "lo schema {other} non è ammesso",
                "the {other} scheme is not allowed"
            ))
        }
    }
    if allowed {
        return Ok(url);
    }
    // `url` drops a port equal to the scheme's default: any port left is another one.
    if let Some(port) = url.port() {
        return Err(text!(
            "la porta {port} non è ammessa: solo la 443 di https",
            "port {port} is not allowed: only https's 443"
        ));
    }
    if host.ends_with('.') {
        return Err(text!(
            "il nome dell'host non può terminare con un punto",
            "the host name cannot end with a dot"
        ));
    }
    let literal = match url.host() {
        Some(url::Host::Ipv4(v4)) => Some(IpAddr::V4(v4)),
        Some(url::Host::Ipv6(v6)) => Some(IpAddr::V6(v6)),
        _ => None,
    };
    if let Some(ip) = literal {
        if is_private(ip) {
            return Err(text!(
                "non sono ammessi indirizzi privati, riservati, di loopback o link-local",
                "private, reserved, loopback and link-local addresses are not allowed"
            ));
        }
    } else if host == "localhost"
        || host.ends_with(".localhost")
        || host.ends_with(".local")
        || host.ends_with(".internal")
        || !host.contains('.')
    {
        return Err(text!(
            "non sono ammessi nomi di host locali",
            "local host names are not allowed"
        ));
    } else if resolve {
        let addrs = (host.as_str(), 443).to_socket_addrs().map_err(|e| {
            text!(
                "impossibile risolvere {host}: {e}",
                "cannot resolve {host}: {e}"
            )
        })?;
        for a in addrs {
            if is_private(a.ip()) {
                return Err(text!(
                    "{host} corrisponde a un indirizzo privato o riservato",
                    "{host} resolves to a private or reserved address"
                ));
            }
        }
    }
    Ok(url)
}

/// The deliveries' resolver: a name resolves to its addresses only when none is private (a
/// name that changed its answer since [`check_destination`] looked — DNS rebinding — is not
/// followed), except for the hosts the administrator allowed.
#[derive(Debug, Clone)]
pub struct CheckedResolver {
    pub allowed_hosts: Vec<String>,
}

impl ureq::Resolver for CheckedResolver {
    fn resolve(&self, netloc: &str) -> std::io::Result<Vec<std::net::SocketAddr>> {
        let addrs: Vec<std::net::SocketAddr> = netloc.to_socket_addrs()?.collect();
        let host = netloc
            .rsplit_once(':')
            .map_or(netloc, |(h, _)| h)
            .trim_matches(|c| c == '[' || c == ']');
        if self
            .allowed_hosts
            .iter()
            .any(|h| h.eq_ignore_ascii_case(host))
        {
            return Ok(addrs);
        }
        if addrs.iter().any(|a| is_private(a.ip())) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                format!("{host} resolves to a private or reserved address"),
            ));
        }
        Ok(addrs)
    }
}

pub fn create(
    conn: &mut DbConn,
    cx: &Ctx,
    i: SubscriptionInput,
    allowed_hosts: &[String],
    sealer: &SecretBox,
) -> Result<SubscriptionWithSecret, Error> {
    let org = policy::webhook_organization(cx.actor, i.organization_id.as_ref())?;
    let url = check_destination(i.url.trim(), allowed_hosts, false)
        .map_err(|m| Error::validation("url", "destination", m))?;
    let mut types = i.event_types.clone();
    types.sort();
    types.dedup();
    write_tx(conn, |conn| {
        Organization::find(conn, &org).map_err(|_| {
            Error::validation(
                "organization_id",
                "unknown",
                text!(
                    "nessun ente ha questo identificativo",
                    "no organization has this id"
                ),
            )
        })?;
        let secret = format!("whsec_{}", hex::encode(rand::random::<[u8; 32]>()));
        let row = SubscriptionRow {
            id: new_id(),
            organization_id: org.clone(),
            url: url.to_string(),
            event_types: types.clone(),
            // Stored sealed: the server needs it back to sign, so it cannot be hashed.
            secret: sealer.seal(&secret).map_err(Error::Internal)?,
            active: true,
            created_by: cx.actor.id.clone(),
            created_at: cx.now.at,
            updated_at: cx.now.at,
        };
        SubscriptionRow::insert(conn, &row)?;
        Ok(SubscriptionWithSecret {
            subscription: sub_out(cx, row),
            secret,
        })
    })
}

fn visible(conn: &mut DbConn, cx: &Ctx, id: &WebhookId) -> Result<SubscriptionRow, Error> {
    let row = SubscriptionRow::find(conn, id).map_err(|_| Error::NotFound)?;
    if !policy::sees_subscription(cx.actor, &row.organization_id) {
        return Err(Error::NotFound);
    }
    Ok(row)
}

pub fn list(
    conn: &mut DbConn,
    cx: &Ctx,
    organization_id: Option<&OrganizationId>,
    page: &PageRequest,
) -> Result<Page<SubscriptionOut>, Error> {
    let org = match cx.actor.role {
        sistema_lavoro_domain::Role::Admin if !cx.actor.is_client() => organization_id.cloned(),
        _ => Some(policy::webhook_organization(cx.actor, None)?),
    };
    let rows = SubscriptionRow::list(conn, org.as_ref(), page.after(), page.limit)?;
    Page::of(
        rows,
        page.limit,
        |r| r.id.to_string(),
        |r| Ok(sub_out(cx, r)),
    )
}

pub fn get(conn: &mut DbConn, cx: &Ctx, id: &WebhookId) -> Result<SubscriptionOut, Error> {
    Ok(sub_out(cx, visible(conn, cx, id)?))
}

/// Stops a subscription: no new deliveries; pending ones are dropped.
pub fn deactivate(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &WebhookId,
    expected: &Expected,
) -> Result<(), Error> {
    write_tx(conn, |conn| {
        let row = visible(conn, cx, id)?;
        expected.check(Version::of(row.updated_at))?;
        SubscriptionRow::deactivate(conn, &row.id, cx.now.at)
    })
}

pub fn deliveries(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &WebhookId,
    page: &PageRequest,
) -> Result<Page<DeliveryOut>, Error> {
    let sub = visible(conn, cx, id)?;
    let rows = DeliveryRow::page_of(conn, &sub.id, page.after(), page.limit)?;
    Page::of(
        rows,
        page.limit,
        |(d, _)| d.id.clone().into(),
        |(d, t)| Ok(delivery_out(cx, &sub, d, t)),
    )
}

/// Sends an event again (after fixing the receiver): the delivery goes back to `pending`.
pub fn redeliver(
    conn: &mut DbConn,
    cx: &Ctx,
    delivery_id: &DeliveryId,
    expected: &Expected,
) -> Result<DeliveryOut, Error> {
    write_tx(conn, |conn| {
        let d = DeliveryRow::find(conn, delivery_id).map_err(|_| Error::NotFound)?;
        let sub = visible(conn, cx, &d.subscription_id)?;
        expected.check(Version::of(d.updated_at))?;
        if !sub.active {
            return Err(Error::InvalidTransition {
                entity: "delivery",
                action: "redeliver",
                // The subscription's state: it was stopped.
                from: "inactive".into(),
            });
        }
        if d.status == DeliveryStatus::Pending {
            return Err(Error::InvalidTransition {
                entity: "delivery",
                action: "redeliver",
                from: d.status.as_str().into(),
            });
        }
        DeliveryRow::reset(conn, &d.id, cx.now.at)?;
        let event_type = DeliveryRow::event_type(conn, &d.event_id)?;
        let d = DeliveryRow::find(conn, &d.id)?;
        Ok(delivery_out(cx, &sub, d, event_type))
    })
}

/// Seals the signing secrets an older version stored in clear. Returns how many.
pub fn seal_stored_secrets(conn: &mut DbConn, sealer: &SecretBox) -> Result<usize, Error> {
    let clear: Vec<(WebhookId, String)> = SubscriptionRow::secrets(conn)?
        .into_iter()
        .filter(|(_, secret)| !SecretBox::is_sealed(secret))
        .collect();
    for (id, secret) in &clear {
        let sealed = sealer.seal(secret).map_err(Error::Internal)?;
        SubscriptionRow::replace_secret(conn, id, secret, &sealed)?;
    }
    Ok(clear.len())
}

/// Seals again under the key in use every signing secret sealed under another one (or in
/// clear), each in its own conditional update: a subscription changed meanwhile keeps its
/// change. Returns how many.
pub fn reseal_secrets(conn: &mut DbConn, keys: &SecretBox) -> Result<usize, Error> {
    let mut changed = 0;
    for (id, secret) in SubscriptionRow::secrets(conn)? {
        if let Some(sealed) = keys.reseal(&secret).map_err(Error::Internal)? {
            if SubscriptionRow::replace_secret(conn, &id, &secret, &sealed)? {
                changed += 1;
            }
        }
    }
    Ok(changed)
}

/// How many signing secrets are not sealed under the key in use.
pub fn secrets_not_current(conn: &mut DbConn, keys: &SecretBox) -> Result<usize, Error> {
    Ok(SubscriptionRow::secrets(conn)?
        .iter()
        .filter(|(_, s)| !keys.is_current(s))
        .count())
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

    #[test]
    fn reserved_ranges_embedded_ipv4_ports_and_trailing_dots_are_refused() {
        let none: Vec<String> = vec![];
        for url in [
            "https://0.1.2.3/",
            "https://198.18.0.1/",
            "https://198.19.255.1/",
            "https://224.0.0.1/",
            "https://239.1.2.3/",
            "https://240.0.0.1/",
            "https://255.255.255.255/",
            "https://[::127.0.0.1]/",
            "https://[::ffff:127.0.0.1]/",
            "https://[::ffff:10.0.0.1]/",
            "https://[64:ff9b::7f00:1]/",
            "https://[64:ff9b:1::a00:1]/",
            "https://[2002:7f00:1::]/",
            "https://[ff02::1]/",
            "https://example.org:8443/",
            "https://example.org:22/",
            "https://example.org./",
            "https://localhost./",
            "https://intranet/",
            "https://0x7f.1/",
            "https://2130706433/",
        ] {
            assert!(
                check_destination(url, &none, false).is_err(),
                "{url} should be refused"
            );
        }
        assert!(check_destination("https://example.org:443/hook", &none, false).is_ok());
        assert!(check_destination("https://[2a00:1450:4002::1]/", &none, false).is_ok());
        assert!(check_destination("https://8.8.8.8/", &none, false).is_ok());
    }
}
