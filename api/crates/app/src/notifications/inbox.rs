//! A person's inbox: their notifications, newest first, read and marked by them only, and how
//! they want to be e-mailed about each kind.

use serde::{Deserialize, Serialize};
use sistema_lavoro_domain::ids::NotificationId;
use sistema_lavoro_domain::notifications::{
    message, EmailMode, NotificationKind, Params, DEFAULT_MODE,
};
use sistema_lavoro_domain::{policy, text, Error, Expected, Version};
use sistema_lavoro_store::notifications::{self as store, NotificationRow};
use sistema_lavoro_store::{utc, write_tx, DbConn};
use utoipa::ToSchema;
use validator::Validate;

use crate::workflow::{Page, PageRequest};
use crate::Ctx;

/// A notification (notifica) in the caller's inbox.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationOut {
    /// Identifier of the notification, a UUID.
    pub id: String,
    /// What happened.
    pub kind: NotificationKind,
    /// Short title, in the caller's language (`Accept-Language`).
    pub title: String,
    /// One sentence telling what happened, in the caller's language; names a person by first
    /// name and initial only.
    pub text: String,
    /// The record in the SPA (e.g. `/cases/0193…`), to open it.
    pub link: String,
    /// When it was made (RFC 3339, UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When the caller marked it read (RFC 3339, UTC); absent while unread.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// How many of the caller's notifications are unread.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnreadCount {
    /// Unread notifications (0 or more).
    #[schema(minimum = 0, maximum = 1_000_000_000)]
    pub unread: i64,
}

/// How the caller is e-mailed about one kind of notification.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Preference {
    /// The kind of notification.
    pub kind: NotificationKind,
    /// `immediate` (one e-mail at once), `daily_digest` (one e-mail a day at 07:30 Europe/Rome)
    /// or `off` (no e-mail; the inbox always has it).
    pub mode: EmailMode,
}

/// The caller's e-mail preferences, one per kind.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"preferences": [{"kind": "case_assigned", "mode": "immediate"}, {"kind": "follow_up_overdue", "mode": "daily_digest"}]}))]
pub struct Preferences {
    /// One entry per kind; in a `PUT`, a kind left out goes back to `immediate`. The bound
    /// leaves room for kinds to come (a test keeps it above today's number of kinds).
    #[validate(length(max = 32))]
    #[schema(max_items = 32)]
    pub preferences: Vec<Preference>,
    /// When the caller last changed them (RFC 3339, UTC); absent until then. Their version is
    /// the `ETag`, to send back as `If-Match`. Ignored in a `PUT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl Preferences {
    /// What the `ETag` says: the last change, or `0` before any.
    pub fn version(&self) -> Version {
        self.updated_at
            .map(|t| Version::of(t.naive_utc()))
            .unwrap_or(Version(0))
    }
}

fn out(cx: &Ctx, r: NotificationRow) -> Result<NotificationOut, Error> {
    let params: Params =
        serde_json::from_str(&r.params).map_err(|e| Error::Internal(e.to_string()))?;
    let (title, sentence) = message(r.kind, &params);
    Ok(NotificationOut {
        id: r.id.to_string(),
        kind: r.kind,
        title: title.get(cx.lang).to_string(),
        text: sentence.get(cx.lang).to_string(),
        link: r.link,
        created_at: utc(r.created_at),
        read_at: r.read_at.map(utc),
    })
}

/// The caller's notifications, newest first; only the unread ones with `unread_only`.
pub fn list(
    conn: &mut DbConn,
    cx: &Ctx,
    unread_only: bool,
    page: &PageRequest,
) -> Result<Page<NotificationOut>, Error> {
    let me = policy::notification_owner(cx.actor)?;
    let rows = NotificationRow::page(conn, &me, unread_only, page.after(), page.limit + 1)?;
    Page::of(rows, page.limit, |r| r.id.to_string(), |r| out(cx, r))
}

pub fn unread_count(conn: &mut DbConn, cx: &Ctx) -> Result<UnreadCount, Error> {
    let me = policy::notification_owner(cx.actor)?;
    Ok(UnreadCount {
        unread: NotificationRow::unread_count(conn, &me)?,
    })
}

/// Marks one of the caller's notifications read (again: no change); anyone else's is `404`.
pub fn mark_read(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &NotificationId,
) -> Result<NotificationOut, Error> {
    policy::notification_owner(cx.actor)?;
    write_tx(conn, |conn| {
        let r = NotificationRow::find(conn, id)?;
        if !policy::sees_notification(cx.actor, &r.user_id) {
            return Err(Error::NotFound);
        }
        NotificationRow::mark_read(conn, id, cx.now.at)?;
        out(cx, NotificationRow::find(conn, id)?)
    })
}

/// Marks all the caller's notifications read; answers the unread count (0).
pub fn mark_all_read(conn: &mut DbConn, cx: &Ctx) -> Result<UnreadCount, Error> {
    let me = policy::notification_owner(cx.actor)?;
    write_tx(conn, |conn| {
        NotificationRow::mark_all_read(conn, &me, cx.now.at)?;
        Ok(UnreadCount {
            unread: NotificationRow::unread_count(conn, &me)?,
        })
    })
}

pub fn preferences(conn: &mut DbConn, cx: &Ctx) -> Result<Preferences, Error> {
    let me = policy::notification_owner(cx.actor)?;
    let chosen = store::preferences(conn, &me)?;
    Ok(Preferences {
        preferences: NotificationKind::ALL
            .iter()
            .map(|k| Preference {
                kind: *k,
                mode: chosen
                    .iter()
                    .find(|(c, _)| c == k)
                    .map(|(_, m)| *m)
                    .unwrap_or(DEFAULT_MODE),
            })
            .collect(),
        updated_at: store::preferences_changed_at(conn, &me)?.map(utc),
    })
}

/// Replaces the caller's preferences, at the version the caller read (`412` when stale); a kind
/// given twice is `422`.
pub fn set_preferences(
    conn: &mut DbConn,
    cx: &Ctx,
    expected: &Expected,
    input: Preferences,
) -> Result<Preferences, Error> {
    let me = policy::notification_owner(cx.actor)?;
    for (i, p) in input.preferences.iter().enumerate() {
        if input.preferences[..i].iter().any(|q| q.kind == p.kind) {
            let kind = p.kind.as_str();
            return Err(Error::validation(
                &format!("preferences[{i}].kind"),
                "duplicate",
                text!(
                    "il tipo {kind} compare due volte",
                    "the kind {kind} appears twice"
                ),
            ));
        }
    }
    write_tx(conn, |conn| {
        expected.check(preferences(conn, cx)?.version())?;
        for k in NotificationKind::ALL {
            let mode = input
                .preferences
                .iter()
                .find(|p| p.kind == *k)
                .map(|p| p.mode)
                .unwrap_or(DEFAULT_MODE);
            store::set_preference(conn, &me, *k, mode, cx.now.at)?;
        }
        Ok(())
    })?;
    preferences(conn, cx)
}
