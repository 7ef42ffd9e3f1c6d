//! The notification worker: raises what falls due by the clock (follow-ups overdue), makes
//! each person's daily digest at 07:30 Europe/Rome, and sends the e-mails — each claimed by
//! one instance with a conditional update and a lease, retried with exponential backoff, its
//! failures recorded without personal data. E-mails name a person by first name and initial
//! only and link to the record in the SPA.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use lettre::message::{header::ContentType, Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{SmtpTransport, Transport};
use sistema_lavoro_domain::i18n::Lang;
use sistema_lavoro_domain::ids::{EmailId, UserId};
use sistema_lavoro_domain::notifications::{message, EmailStatus, NotificationKind, Params};
use sistema_lavoro_domain::{Clock, Error, ErrorCode, Now};
use sistema_lavoro_store::cases::Case;
use sistema_lavoro_store::notifications::{self as store, EmailAttempt, EmailRow, NotificationRow};
use sistema_lavoro_store::projects::Project;
use sistema_lavoro_store::users::User;
use sistema_lavoro_store::{new_id, write_tx, DbConn, DbPool};

use super::produce::{self, Notice};
use crate::config::Config;

/// When the digest goes out, Europe/Rome time.
pub const DIGEST_AT: (u32, u32) = (7, 30);

/// An e-mail older than this when its turn comes is dropped (e.g. made while no SMTP server
/// was configured).
pub const EMAIL_EXPIRY_DAYS: i64 = 3;

/// How the worker behaves (from the configuration).
#[derive(Debug, Clone)]
pub struct MailSettings {
    pub poll: Duration,
    /// `None`: raise notifications only, send no e-mail.
    pub smtp_url: Option<String>,
    pub from: String,
    pub public_url: String,
    pub max_attempts: i32,
    pub backoff_secs: i64,
    /// Longest one SMTP exchange may take.
    pub timeout: Duration,
    /// Where exports write their files (deleted here when they expire).
    pub exports_dir: std::path::PathBuf,
}

impl MailSettings {
    pub fn from_config(c: &Config) -> MailSettings {
        MailSettings {
            poll: Duration::from_millis(c.mail_poll_ms.max(10)),
            smtp_url: c.smtp_url.clone(),
            from: c.smtp_from.clone(),
            public_url: c.public_url.trim_end_matches('/').to_string(),
            max_attempts: c.mail_max_attempts.max(1),
            backoff_secs: c.mail_backoff_secs.max(1),
            timeout: Duration::from_secs(20),
            exports_dir: crate::config::exports_dir(c),
        }
    }

    /// How long a claim holds an e-mail: past it, the instance is taken to have died mid-send.
    pub fn claim_secs(&self) -> i64 {
        self.timeout.as_secs() as i64 + 10
    }
}

/// The SMTP transport of `SMTP_URL`: `smtp://` with STARTTLS when offered, `smtps://` with
/// TLS from the start; user and password from the userinfo.
pub fn transport(url: &str, timeout: Duration) -> Result<SmtpTransport, String> {
    let u = url::Url::parse(url).map_err(|e| format!("SMTP_URL is not a URL: {e}"))?;
    let host = u.host_str().ok_or("SMTP_URL has no host")?.to_string();
    let tls = TlsParameters::new(host.clone()).map_err(|e| format!("TLS: {e}"))?;
    let mut b = match u.scheme() {
        "smtp" => SmtpTransport::builder_dangerous(host.as_str())
            .port(u.port().unwrap_or(587))
            .tls(Tls::Opportunistic(tls)),
        "smtps" => SmtpTransport::builder_dangerous(host.as_str())
            .port(u.port().unwrap_or(465))
            .tls(Tls::Wrapper(tls)),
        other => {
            return Err(format!(
                "SMTP_URL scheme must be smtp or smtps, not {other}"
            ))
        }
    };
    if !u.username().is_empty() {
        b = b.credentials(Credentials::new(
            percent_decode(u.username()),
            percent_decode(u.password().unwrap_or("")),
        ));
    }
    Ok(b.timeout(Some(timeout)).build())
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// The running worker; dropping it stops it.
pub struct MailWorker {
    stop: Arc<AtomicBool>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl Drop for MailWorker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

pub fn spawn(pool: DbPool, settings: MailSettings, clock: Arc<dyn Clock>) -> MailWorker {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let handle = std::thread::Builder::new()
        .name("notification-worker".into())
        .spawn(move || {
            let mailer = match settings
                .smtp_url
                .as_deref()
                .map(|u| transport(u, settings.timeout))
            {
                Some(Ok(m)) => Some(m),
                Some(Err(e)) => {
                    log::error!(target: "notifications", "no e-mail: {e}");
                    None
                }
                None => None,
            };
            let mut state = TickState::default();
            while !flag.load(Ordering::SeqCst) {
                if let Ok(mut conn) = pool.get() {
                    if let Err(e) = tick(
                        &mut conn,
                        mailer.as_ref(),
                        &settings,
                        clock.as_ref(),
                        &mut state,
                    ) {
                        log::warn!(target: "notifications", "worker tick failed: {e}");
                    }
                }
                let mut slept = Duration::ZERO;
                while slept < settings.poll && !flag.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(20));
                    slept += Duration::from_millis(20);
                }
            }
        })
        .ok();
    MailWorker { stop, handle }
}

/// What a worker remembers between rounds.
#[derive(Debug, Default)]
pub struct TickState {
    /// The day (Europe/Rome) whose overdue follow-ups were raised: once a day is enough, since a
    /// case falls overdue when the day changes.
    pub overdue_scanned: Option<NaiveDate>,
}

/// One round: raise overdue follow-ups (once a day), make the digests that are due, send what
/// is due. Returns the e-mails attempted.
pub fn tick(
    conn: &mut DbConn,
    mailer: Option<&SmtpTransport>,
    s: &MailSettings,
    clock: &dyn Clock,
    state: &mut TickState,
) -> Result<usize, Error> {
    let today = clock.read().today;
    if state.overdue_scanned != Some(today) {
        raise_overdue(conn, clock.read())?;
        raise_project_deadlines(conn, clock.read())?;
        crate::workflow::opportunities::expire_due(conn, clock.read())?;
        // Retention: persons whose every case closed more than the district's period ago are
        // anonymised, once a day, each run logged.
        crate::workflow::erasure::run_due(conn, clock.read())?;
        state.overdue_scanned = Some(today);
    }
    // The audit log's new rows join its hash chain on the same clock-driven round.
    crate::audit::seal(conn, clock.read())?;
    // Exports whose time ran out leave no file behind.
    crate::exports::expire(conn, clock.read(), &s.exports_dir)?;
    let Some(mailer) = mailer else {
        return Ok(0);
    };
    make_digests(conn, clock.read())?;
    let mut attempted = super::join_mail::send_accepted(conn, mailer, &s.from, clock)?;
    let now = clock.read();
    for id in EmailRow::due(conn, now.at, 20)? {
        let token = uuid::Uuid::new_v4().to_string();
        let until = now.at + chrono::Duration::seconds(s.claim_secs());
        if EmailRow::claim(conn, &id, &token, now.at, until)? {
            attempted += 1;
            send_one(conn, mailer, s, clock, &id, &token)?;
        }
    }
    Ok(attempted)
}

/// How far back a day's scan looks for follow-ups that fell overdue (a worker stopped longer
/// than this does not raise the older ones).
pub const OVERDUE_LOOKBACK_DAYS: i64 = 7;

/// Followed cases whose follow-up date passed in the last week: one `follow_up_overdue` to
/// the case's operator per case and due date, raised once even with several instances.
pub fn raise_overdue(conn: &mut DbConn, now: Now) -> Result<usize, Error> {
    let from = now.today - chrono::Duration::days(OVERDUE_LOOKBACK_DAYS);
    let mut raised = 0;
    let mut after: Option<store::OverdueCase> = None;
    loop {
        let page = store::overdue_cases(conn, from, now.today, after.as_ref(), 200)?;
        let Some(last) = page.last().cloned() else {
            return Ok(raised);
        };
        for due in page {
            match raise_one_overdue(conn, now, &due) {
                Ok(n) => raised += n,
                // Another instance raised it first.
                Err(Error::Conflict {
                    code: ErrorCode::Duplicate,
                    ..
                }) => {}
                Err(e) => return Err(e),
            }
        }
        after = Some(last);
    }
}

fn raise_one_overdue(
    conn: &mut DbConn,
    now: Now,
    due: &store::OverdueCase,
) -> Result<usize, Error> {
    let key = format!("overdue:{}:{}", due.id, due.due_date);
    write_tx(conn, |conn| {
        let c = Case::find(conn, &due.id)?;
        let mut fresh: Vec<UserId> = Vec::new();
        for u in produce::case_operators(conn, &c)? {
            if !NotificationRow::key_exists(conn, &format!("{key}:{u}"))? {
                fresh.push(u);
            }
        }
        if fresh.is_empty() {
            return Ok(0);
        }
        let mut n = Notice::new(
            NotificationKind::FollowUpOverdue,
            produce::case_link(&c.id),
            &[
                ("case_id", c.id.to_string()),
                ("person", produce::person_name(conn, &c.person_id)?),
                ("date", due.due_date.format("%d/%m/%Y").to_string()),
            ],
        );
        n.dedupe_key = Some(key.clone());
        produce::send(conn, now, &n, &fresh)?;
        Ok(1)
    })
}

/// Funded projects whose next step's deadline (submission, start, end, reporting) is within
/// 30 days, or passed with the step not taken: one `project_deadline` to the district's
/// coordinators per project, deadline and date when it comes near and once more when it passes,
/// raised once even with several instances.
pub fn raise_project_deadlines(conn: &mut DbConn, now: Now) -> Result<usize, Error> {
    use sistema_lavoro_domain::projects::{due, ProjectStatus as S};
    let mut raised = 0;
    for p in Project::in_states(conn, &[S::Idea, S::Granted, S::Running])? {
        for d in due(
            p.status,
            &crate::workflow::projects::deadlines(&p),
            now.today,
        ) {
            let key = format!(
                "project-deadline:{}:{}:{}:{}",
                p.id,
                d.kind.as_str(),
                d.date,
                if d.overdue { "passed" } else { "near" }
            );
            match raise_one_deadline(conn, now, &p, &d, &key) {
                Ok(n) => raised += n,
                // Another instance raised it first.
                Err(Error::Conflict {
                    code: ErrorCode::Duplicate,
                    ..
                }) => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(raised)
}

fn raise_one_deadline(
    conn: &mut DbConn,
    now: Now,
    p: &Project,
    d: &sistema_lavoro_domain::projects::Due,
    key: &str,
) -> Result<usize, Error> {
    write_tx(conn, |conn| {
        let mut fresh: Vec<UserId> = Vec::new();
        for u in produce::coordinators(conn, &p.district_id)? {
            if !NotificationRow::key_exists(conn, &format!("{key}:{u}"))? {
                fresh.push(u);
            }
        }
        if fresh.is_empty() {
            return Ok(0);
        }
        let mut n = Notice::new(
            NotificationKind::ProjectDeadline,
            format!("/projects/{}", p.id),
            &[
                ("project_id", p.id.to_string()),
                ("project", p.title.clone()),
                ("deadline", d.kind.as_str().to_string()),
                ("date", d.date.format("%d/%m/%Y").to_string()),
                ("overdue", d.overdue.to_string()),
            ],
        );
        n.dedupe_key = Some(key.to_string());
        produce::send(conn, now, &n, &fresh)?;
        Ok(1)
    })
}

/// 07:30 Europe/Rome of `day`, in UTC as stored.
pub fn digest_time(day: NaiveDate) -> NaiveDateTime {
    let local =
        day.and_time(NaiveTime::from_hms_opt(DIGEST_AT.0, DIGEST_AT.1, 0).unwrap_or_default());
    chrono_tz::Europe::Rome
        .from_local_datetime(&local)
        .earliest()
        .map(|t| t.naive_utc())
        .unwrap_or(local)
}

/// Past 07:30 Rome time: one digest e-mail per person with digest notifications made since
/// 07:30 the day before (made once: `(user_id, digest_day)` is unique).
pub fn make_digests(conn: &mut DbConn, now: Now) -> Result<usize, Error> {
    let cut = digest_time(now.today);
    if now.at < cut {
        return Ok(0);
    }
    let from = digest_time(now.today - chrono::Duration::days(1));
    let mut made = 0;
    for user in NotificationRow::digest_recipients(conn, from, cut)? {
        if EmailRow::digest_exists(conn, &user, now.today)? {
            continue;
        }
        match EmailRow::insert(
            conn,
            &EmailRow::pending(new_id(), user, None, Some(now.today), now.at),
        ) {
            Ok(()) => made += 1,
            Err(Error::Conflict {
                code: ErrorCode::Duplicate,
                ..
            }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(made)
}

/// Subject and plain-text body of an e-mail (Italian: users have no language of their own).
pub fn compose(
    conn: &mut DbConn,
    s: &MailSettings,
    e: &EmailRow,
) -> Result<(String, String), Error> {
    let lang = Lang::It;
    let item = |r: &NotificationRow| -> Result<(String, String, String), Error> {
        let params: Params =
            serde_json::from_str(&r.params).map_err(|e| Error::Internal(e.to_string()))?;
        let (title, text) = message(r.kind, &params);
        Ok((
            title.get(lang).to_string(),
            text.get(lang).to_string(),
            format!("{}{}", s.public_url, r.link),
        ))
    };
    let footer = format!(
        "\n\n--\nSistema Lavoro. Per scegliere quali e-mail ricevere: {}/notifiche\n",
        s.public_url
    );
    match (&e.notification_id, e.digest_day) {
        (Some(n), _) => {
            let (title, text, link) = item(&NotificationRow::find(conn, n)?)?;
            Ok((
                format!("[Sistema Lavoro] {title}"),
                format!("{text}\n\nApri: {link}{footer}"),
            ))
        }
        (None, Some(day)) => {
            let rows = NotificationRow::digest_items(
                conn,
                &e.user_id,
                digest_time(day - chrono::Duration::days(1)),
                digest_time(day),
            )?;
            let mut body = format!("Le notifiche del giorno ({}):\n", day.format("%d/%m/%Y"));
            for r in &rows {
                let (title, text, link) = item(r)?;
                body.push_str(&format!("\n- {title}: {text}\n  {link}\n"));
            }
            body.push_str(&footer);
            Ok((
                format!(
                    "[Sistema Lavoro] Riepilogo del {}: {} notifiche",
                    day.format("%d/%m/%Y"),
                    rows.len()
                ),
                body,
            ))
        }
        (None, None) => Err(Error::Internal(format!(
            "e-mail {} has nothing to send",
            e.id
        ))),
    }
}

fn send_one(
    conn: &mut DbConn,
    mailer: &SmtpTransport,
    s: &MailSettings,
    clock: &dyn Clock,
    id: &EmailId,
    token: &str,
) -> Result<(), Error> {
    let e = EmailRow::find(conn, id)?;
    let attempts = e.attempts + 1;
    let finish = |conn: &mut DbConn, sent: bool, error: Option<String>, retry: bool| {
        let at = clock.read().at;
        let backoff = (s.backoff_secs << (attempts - 1).clamp(0, 20)).min(6 * 3600);
        let (status, next) = if sent {
            (EmailStatus::Sent, at)
        } else if retry && attempts < s.max_attempts {
            (
                EmailStatus::Pending,
                at + chrono::Duration::seconds(backoff),
            )
        } else {
            (EmailStatus::Failed, at)
        };
        EmailRow::settle(
            conn,
            id,
            token,
            &EmailAttempt {
                status,
                attempts,
                next_attempt_at: next,
                error,
                at,
            },
        )
    };
    if clock.read().at - e.created_at > chrono::Duration::days(EMAIL_EXPIRY_DAYS) {
        return finish(
            conn,
            false,
            Some("expired before it could be sent".into()),
            false,
        );
    }
    let user = User::find(conn, &e.user_id)?;
    if !user.active {
        return finish(conn, false, Some("recipient deactivated".into()), false);
    }
    let (subject, body) = compose(conn, s, &e)?;
    let built = (|| -> Result<Message, String> {
        let from: Mailbox = s
            .from
            .parse()
            .map_err(|_| "SMTP_FROM is not an address".to_string())?;
        let to: Mailbox = user
            .email
            .parse()
            .map_err(|_| "recipient address is not valid".to_string())?;
        Message::builder()
            .from(from)
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|_| "message could not be built".to_string())
    })();
    let msg = match built {
        Ok(m) => m,
        Err(reason) => return finish(conn, false, Some(reason), false),
    };
    match mailer.send(&msg) {
        Ok(_) => finish(conn, true, None, false),
        Err(err) => {
            // The class and code only: a server's text may repeat the address.
            let code = err.status().map(|c| format!(" {c}")).unwrap_or_default();
            let class = if err.is_permanent() {
                "rejected"
            } else if err.is_transient() {
                "deferred"
            } else if err.is_timeout() {
                "timeout"
            } else if err.is_tls() {
                "tls"
            } else {
                "connection"
            };
            log::warn!(target: "notifications", "e-mail {id}: smtp {class}{code} (attempt {attempts})");
            finish(
                conn,
                false,
                Some(format!("smtp {class}{code}")),
                !err.is_permanent(),
            )
        }
    }
}

/// Whether a user is the recipient of an e-mail (for tests and tools).
pub fn emails_of(conn: &mut DbConn, user: &UserId) -> Result<Vec<EmailRow>, Error> {
    EmailRow::of_user(conn, user)
}
