//! The delivery worker: claims due deliveries (one instance at a time per delivery, even with
//! several API instances on one database), posts them signed, retries with exponential
//! backoff, and raises `outcome_check.due` events when checks fall due — all by the clock it
//! is given, so tests move time instead of waiting.

use sistema_lavoro_domain::ids::DeliveryId;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use sistema_lavoro_domain::events::{DeliveryStatus, EventType};
use sistema_lavoro_domain::{Clock, Error, Now};
use sistema_lavoro_store::cases::OutcomeCheck;
use sistema_lavoro_store::webhooks::{Attempt, DeliveryRow};
use sistema_lavoro_store::{write_tx, DbConn, DbPool};

use super::events;
use super::webhooks::check_destination;
use crate::config::Config;
use crate::security::SecretBox;

/// How the worker behaves (from the configuration).
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    pub poll: Duration,
    pub allowed_hosts: Vec<String>,
    pub max_attempts: i32,
    pub backoff_secs: i64,
    /// Longest a delivery attempt may take.
    pub timeout: Duration,
    /// Opens the sealed signing secrets.
    pub secrets: SecretBox,
    /// Declined and stale pending requests to join a network older than this are deleted.
    pub join_request_retention_days: i64,
}

impl WorkerSettings {
    /// How long a claim holds a delivery: past it, the claiming instance is taken to have died
    /// mid-attempt and another instance delivers. Outlives the longest attempt by 5 seconds.
    pub fn claim_secs(&self) -> i64 {
        self.timeout.as_secs() as i64 + 5
    }
}

impl WorkerSettings {
    pub fn from_config(c: &Config) -> WorkerSettings {
        WorkerSettings {
            poll: Duration::from_millis(c.webhook_poll_ms),
            allowed_hosts: c.webhook_allowed_hosts.clone(),
            max_attempts: c.webhook_max_attempts,
            backoff_secs: c.webhook_backoff_secs,
            timeout: Duration::from_secs(c.webhook_timeout_secs.max(1)),
            secrets: SecretBox::from_config(c),
            join_request_retention_days: c.join_request_retention_days,
        }
    }
}

/// The running worker; dropping it stops it.
pub struct Worker {
    stop: Arc<AtomicBool>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

pub fn spawn(pool: DbPool, settings: WorkerSettings, clock: Arc<dyn Clock>) -> Worker {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let handle = std::thread::Builder::new()
        .name("webhook-worker".into())
        .spawn(move || {
            let agent = ureq::AgentBuilder::new()
                .timeout(settings.timeout)
                .redirects(0)
                .resolver(super::webhooks::CheckedResolver {
                    allowed_hosts: settings.allowed_hosts.clone(),
                })
                .user_agent(concat!(
                    "sistema-lavoro-webhooks/",
                    env!("CARGO_PKG_VERSION")
                ))
                .build();
            while !flag.load(Ordering::SeqCst) {
                if let Ok(mut conn) = pool.get() {
                    if let Err(e) = tick(&mut conn, &agent, &settings, clock.as_ref()) {
                        log::warn!(target: "webhooks", "worker tick failed: {e}");
                    }
                }
                // Sleep in short steps so a stop is prompt.
                let mut slept = Duration::ZERO;
                while slept < settings.poll && !flag.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(20));
                    slept += Duration::from_millis(20);
                }
            }
        })
        .ok();
    Worker { stop, handle }
}

/// One round: raise due outcome checks, then deliver what is due. Returns deliveries attempted.
pub fn tick(
    conn: &mut DbConn,
    agent: &ureq::Agent,
    s: &WorkerSettings,
    clock: &dyn Clock,
) -> Result<usize, Error> {
    raise_due_checks(conn, clock.read())?;
    purge_join_requests(conn, clock.read(), s.join_request_retention_days)?;
    let now = clock.read();
    let mut attempted = 0;
    for id in DeliveryRow::due(conn, now.at, 20)? {
        let token = uuid::Uuid::new_v4().to_string();
        let until = now.at + chrono::Duration::seconds(s.claim_secs());
        // Claim: only one instance wins the conditional update.
        if DeliveryRow::claim(conn, &id, &token, now.at, until)? {
            attempted += 1;
            deliver(conn, agent, s, clock, &id, &token)?;
        }
    }
    Ok(attempted)
}

/// Deletes the requests to join a network declined, or still pending, that arrived more than
/// `retention_days` ago (they hold personal data); how many. `0` keeps them.
pub fn purge_join_requests(
    conn: &mut DbConn,
    now: Now,
    retention_days: i64,
) -> Result<usize, Error> {
    use sistema_lavoro_domain::agreements::JoinRequestStatus as S;
    use sistema_lavoro_store::agreements::JoinRequest;
    if retention_days <= 0 {
        return Ok(0);
    }
    let before = now.at - chrono::Duration::days(retention_days);
    write_tx(conn, |conn| {
        Ok(JoinRequest::purge(conn, S::Declined, before)?
            + JoinRequest::purge(conn, S::Pending, before)?)
    })
}

/// Outcome checks that fell due by `now.today`: one `outcome_check.due` event each, to the
/// agency, raised once even with several instances.
pub fn raise_due_checks(conn: &mut DbConn, now: Now) -> Result<usize, Error> {
    let mut raised = 0;
    for due in OutcomeCheck::due_unannounced(conn, now.today, 100)? {
        raised += write_tx(conn, |conn| {
            if !OutcomeCheck::mark_announced(conn, &due.id, now.at)? {
                return Ok(0);
            }
            events::emit(
                conn,
                now,
                &due.district_id,
                EventType::OutcomeCheckDue,
                events::data(&[
                    ("check_id", due.id.clone().into()),
                    ("case_id", due.case_id.clone().into()),
                    ("months", due.months.into()),
                    ("due_date", due.due_date.to_string().into()),
                ]),
                std::slice::from_ref(&due.agency_id),
            )?;
            crate::notifications::produce::outcome_check_due(
                conn,
                now,
                &due.case_id,
                due.months,
                due.due_date,
            )?;
            Ok(1)
        })?;
    }
    Ok(raised)
}

/// `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).unwrap_or_else(|_| {
        <Hmac<Sha256> as Mac>::new_from_slice(b"-")
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"))
    });
    mac.update(format!("{timestamp}.{body}").as_bytes());
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

fn deliver(
    conn: &mut DbConn,
    agent: &ureq::Agent,
    s: &WorkerSettings,
    clock: &dyn Clock,
    id: &DeliveryId,
    token: &str,
) -> Result<(), Error> {
    let work = DeliveryRow::work(conn, id)?;
    let attempts = work.attempts + 1;
    let finish = |conn: &mut DbConn,
                  status: DeliveryStatus,
                  code: Option<i32>,
                  error: Option<String>,
                  retry_in: Option<i64>|
     -> Result<(), Error> {
        let at = clock.read().at;
        let (status, next) = match retry_in {
            Some(secs) if attempts < s.max_attempts => (
                DeliveryStatus::Pending,
                at + chrono::Duration::seconds(secs),
            ),
            Some(_) => (DeliveryStatus::Failed, at),
            None => (status, at),
        };
        DeliveryRow::settle(
            conn,
            id,
            token,
            &Attempt {
                status,
                attempts,
                next_attempt_at: next,
                status_code: code,
                error,
                at,
            },
        )
    };
    if !work.active {
        return finish(
            conn,
            DeliveryStatus::Failed,
            None,
            Some("subscription deactivated".into()),
            None,
        );
    }
    if let Err(reason) = check_destination(&work.url, &s.allowed_hosts, true) {
        return finish(
            conn,
            DeliveryStatus::Failed,
            None,
            Some(format!("destination refused: {reason}")),
            None,
        );
    }
    let secret = match s.secrets.open(&work.secret) {
        Ok(secret) => secret,
        Err(reason) => {
            log::error!(target: "webhooks", "delivery {id}: {reason}");
            return finish(conn, DeliveryStatus::Failed, None, Some(reason), None);
        }
    };
    let ts = clock.now().timestamp();
    let result = agent
        .post(&work.url)
        .set("Content-Type", "application/json")
        .set("X-Event-Id", &work.event_id)
        .set("X-Event-Type", work.event_type.as_str())
        .set("X-Delivery-Id", id.as_str())
        .set("X-Signature", &signature(&secret, ts, &work.payload))
        .send_string(&work.payload);
    // 30 s, 1 min, 2 min … capped at 6 hours.
    let backoff = (s.backoff_secs.max(1) << (attempts - 1).clamp(0, 20)).min(6 * 3600);
    match result {
        Ok(resp) => finish(
            conn,
            DeliveryStatus::Delivered,
            Some(i32::from(resp.status())),
            None,
            None,
        ),
        Err(ureq::Error::Status(code, _)) => finish(
            conn,
            DeliveryStatus::Pending,
            Some(i32::from(code)),
            Some(format!("receiver answered {code}")),
            Some(backoff),
        ),
        Err(e) => finish(
            conn,
            DeliveryStatus::Pending,
            None,
            Some(format!("transport: {e}")),
            Some(backoff),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_matches_an_independently_computed_vector() {
        // Computed with openssl and Python independently of this code:
        // printf '1700000000.{"id":"e1"}' | openssl dgst -sha256 -hmac whsec_test
        let sig = signature("whsec_test", 1_700_000_000, r#"{"id":"e1"}"#);
        assert_eq!(
            sig,
            "t=1700000000,v1=6a85cb117c993612a34c72b4cfb5a16baed25a80d26e298ce0e6671320fd07c8"
        );
    }
}
