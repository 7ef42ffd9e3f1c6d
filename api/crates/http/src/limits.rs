//! Counters that keep a caller from flooding the service: a token bucket per caller (user,
//! client, or address), and requests per address in a window (joining a network). Per
//! instance; failed sign-ins are counted in the database (`sistema_lavoro_app::signin`). And
//! who the caller is: the client's address, told by a trusted proxy.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

use actix_web::HttpRequest;
use sistema_lavoro_app::config::Cidr;

/// The client's address: the connection's, unless it comes from one of the `trusted`
/// proxies, in which case `X-Forwarded-For` is read from the right (the entry the nearest
/// proxy added) and the first address that is not itself a trusted proxy is the client. A
/// header from anyone else is ignored, so a client cannot choose its own address.
/// The proxies whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`), as app data for those
/// that find the client's address without the app's state.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(pub Vec<Cidr>);

pub fn client_addr(req: &HttpRequest, trusted: &[Cidr]) -> String {
    let peer = req.peer_addr().map(|a| a.ip());
    forwarded_client(
        peer,
        req.headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok()),
        trusted,
    )
    .map(|ip| ip.to_string())
    .unwrap_or_default()
}

fn forwarded_client<'a>(
    peer: Option<IpAddr>,
    headers: impl Iterator<Item = &'a str>,
    trusted: &[Cidr],
) -> Option<IpAddr> {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|c| c.contains(ip));
    let mut client = peer?;
    if !is_trusted(client) {
        return Some(client);
    }
    let chain: Vec<&str> = headers.flat_map(|h| h.split(',')).collect();
    for entry in chain.iter().rev() {
        let Ok(ip) = entry.trim().parse::<IpAddr>() else {
            // Garbage in the chain: the last address known to be real is the one to use.
            return Some(client);
        };
        client = ip;
        if !is_trusted(ip) {
            return Some(ip);
        }
    }
    Some(client)
}

/// Token buckets per caller (user or client; the address when anonymous), per instance.
pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            per_minute,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Whether there is a limit at all (`RATE_LIMIT_PER_MINUTE=0`: none).
    pub fn enabled(&self) -> bool {
        self.per_minute > 0
    }

    /// Takes one token. `Ok` with what is left, or `Err` with the quota (nothing left) when
    /// the bucket is empty: wait `reset_secs`.
    pub fn take(&self, who: &str) -> Result<Quota, Quota> {
        let cap = f64::from(self.per_minute.max(1));
        let rate = cap / 60.0;
        let mut map = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, (tokens, at)| *tokens < cap && at.elapsed().as_secs() < 120);
        }
        let entry = map.entry(who.to_string()).or_insert((cap, Instant::now()));
        let refill = entry.1.elapsed().as_secs_f64() * rate;
        entry.0 = (entry.0 + refill).min(cap);
        entry.1 = Instant::now();
        let quota = |tokens: f64, wait: f64| Quota {
            limit: self.per_minute,
            remaining: tokens.max(0.0).floor() as u32,
            reset_secs: wait.ceil().max(1.0) as u64,
        };
        if entry.0 >= 1.0 {
            entry.0 -= 1.0;
            // Seconds until the bucket is full again.
            Ok(quota(entry.0, (cap - entry.0) / rate))
        } else {
            Err(quota(0.0, (1.0 - entry.0) / rate))
        }
    }
}

/// What a caller has left of its limit (`X-RateLimit-*` headers, ModI).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// Requests per minute.
    pub limit: u32,
    /// Requests left now.
    pub remaining: u32,
    /// Seconds until the quota is whole again (on a `429`: until the next request is allowed).
    pub reset_secs: u64,
}

/// Attempts per key in a 15-minute window (requests to join a network, per address).
pub struct LoginThrottle {
    max: u32,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl LoginThrottle {
    pub fn new(max: u32) -> LoginThrottle {
        LoginThrottle {
            max,
            failures: Mutex::new(HashMap::new()),
        }
    }

    const WINDOW_SECS: u64 = 15 * 60;

    /// `Err(seconds)` when any of `keys` has too many recent failures.
    pub fn check(&self, keys: &[String]) -> Result<(), u64> {
        if self.max == 0 {
            return Ok(());
        }
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let mut wait = 0;
        for k in keys {
            if let Some(list) = map.get_mut(k) {
                list.retain(|t| t.elapsed().as_secs() < Self::WINDOW_SECS);
                if list.len() as u32 >= self.max {
                    let oldest = list.first().map(|t| t.elapsed().as_secs()).unwrap_or(0);
                    wait = wait.max(Self::WINDOW_SECS.saturating_sub(oldest).max(1));
                }
            }
        }
        if wait > 0 {
            Err(wait)
        } else {
            Ok(())
        }
    }

    pub fn failed(&self, keys: &[String]) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        for k in keys {
            map.entry(k.clone()).or_default().push(Instant::now());
        }
    }

    pub fn succeeded(&self, email_key: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(email_key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    fn cidrs(list: &[&str]) -> Vec<Cidr> {
        list.iter().filter_map(|c| c.parse().ok()).collect()
    }

    #[test]
    fn forwarded_for_counts_only_from_trusted_proxies() {
        let proxies = cidrs(&["10.0.0.0/8", "::1"]);
        let from = |peer: &str, xff: &[&str]| {
            forwarded_client(Some(ip(peer)), xff.iter().copied(), &proxies)
        };
        // A client talking to us directly cannot choose its address.
        assert_eq!(
            from("203.0.113.9", &["198.51.100.1"]),
            Some(ip("203.0.113.9"))
        );
        // Through our proxy: the address it saw.
        assert_eq!(
            from("10.1.2.3", &["198.51.100.1"]),
            Some(ip("198.51.100.1"))
        );
        // What the client put in front of the chain is not believed.
        assert_eq!(
            from("10.1.2.3", &["1.1.1.1, 198.51.100.1"]),
            Some(ip("198.51.100.1"))
        );
        // Two proxies of ours, across two headers.
        assert_eq!(
            from("10.1.2.3", &["198.51.100.1", "10.9.9.9"]),
            Some(ip("198.51.100.1"))
        );
        assert_eq!(from("::1", &[]), Some(ip("::1")));
        assert_eq!(from("10.1.2.3", &["not-an-ip"]), Some(ip("10.1.2.3")));
        assert_eq!(
            from("::ffff:10.0.0.1", &["192.0.2.1"]),
            Some(ip("192.0.2.1"))
        );
    }

    #[test]
    fn cidr_ranges() {
        let c: Cidr = "192.168.0.0/16".parse().unwrap_or_else(|_| panic!());
        assert!(c.contains(ip("192.168.44.1")));
        assert!(!c.contains(ip("192.169.0.1")));
        assert!(!c.contains(ip("::1")));
        assert!("0.0.0.0/0"
            .parse::<Cidr>()
            .is_ok_and(|c| c.contains(ip("8.8.8.8"))));
        for bad in ["", "10.0.0.0/33", "example.org", "10.0.0.0/x", "::/129"] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad}");
        }
    }
}
