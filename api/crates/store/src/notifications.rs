//! Notifications (notifiche), the preferences of how each person is e-mailed, and the e-mails
//! to send: rows claimed by one worker at a time with a conditional update, like webhook
//! deliveries.

use diesel::prelude::*;
use sistema_lavoro_domain::ids::{
    CaseId, DistrictId, EmailId, NotificationId, OrganizationId, UserId,
};
use sistema_lavoro_domain::notifications::{EmailMode, EmailStatus, NotificationKind};
use sistema_lavoro_domain::Role;

use super::schema::{
    agenda_items, cases, decisions, notification_emails, notification_preferences, notifications,
    users,
};
use super::types::NullableText;
use super::{Db, DbConn, Result};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = notifications)]
pub struct NotificationRow {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: NotificationId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub user_id: UserId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub kind: NotificationKind,
    /// A JSON object of strings.
    pub params: String,
    pub link: String,
    pub dedupe_key: Option<String>,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub email_mode: EmailMode,
    pub created_at: chrono::NaiveDateTime,
    pub read_at: Option<chrono::NaiveDateTime>,
}

impl NotificationRow {
    pub fn insert(conn: &mut DbConn, row: &NotificationRow) -> Result<()> {
        diesel::insert_into(notifications::table)
            .values(row.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    /// Whether a clock-driven notification about `key` was raised already.
    pub fn key_exists(conn: &mut DbConn, key: &str) -> Result<bool> {
        let n: i64 = notifications::table
            .filter(notifications::dedupe_key.eq(key))
            .count()
            .get_result(conn)
            .db()?;
        Ok(n > 0)
    }

    /// A person's notifications, newest first, `limit` from before the cursor `after`.
    pub fn page(
        conn: &mut DbConn,
        user: &UserId,
        unread_only: bool,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<NotificationRow>> {
        let mut q = notifications::table
            .filter(notifications::user_id.eq(user.as_str()))
            .into_boxed();
        if unread_only {
            q = q.filter(notifications::read_at.is_null());
        }
        if let Some(a) = after {
            q = q.filter(notifications::id.lt(a.to_string()));
        }
        q.order(notifications::id.desc())
            .limit(limit)
            .select(NotificationRow::as_select())
            .load(conn)
            .db()
    }

    /// One of `user`'s notifications (`404` for anyone else's).
    pub fn find_of(
        conn: &mut DbConn,
        id: &NotificationId,
        user: &UserId,
    ) -> Result<NotificationRow> {
        notifications::table
            .find(id.as_str())
            .filter(notifications::user_id.eq(user.as_str()))
            .select(NotificationRow::as_select())
            .first(conn)
            .db()
    }

    pub fn find(conn: &mut DbConn, id: &NotificationId) -> Result<NotificationRow> {
        notifications::table
            .find(id.as_str())
            .select(NotificationRow::as_select())
            .first(conn)
            .db()
    }

    pub fn mark_read(
        conn: &mut DbConn,
        id: &NotificationId,
        at: chrono::NaiveDateTime,
    ) -> Result<()> {
        diesel::update(
            notifications::table
                .find(id.as_str())
                .filter(notifications::read_at.is_null()),
        )
        .set(notifications::read_at.eq(Some(at)))
        .execute(conn)
        .map(drop)
        .db()
    }

    /// Marks all of a person's unread notifications read; how many were.
    pub fn mark_all_read(
        conn: &mut DbConn,
        user: &UserId,
        at: chrono::NaiveDateTime,
    ) -> Result<usize> {
        diesel::update(
            notifications::table
                .filter(notifications::user_id.eq(user.as_str()))
                .filter(notifications::read_at.is_null()),
        )
        .set(notifications::read_at.eq(Some(at)))
        .execute(conn)
        .db()
    }

    pub fn unread_count(conn: &mut DbConn, user: &UserId) -> Result<i64> {
        notifications::table
            .filter(notifications::user_id.eq(user.as_str()))
            .filter(notifications::read_at.is_null())
            .count()
            .get_result(conn)
            .db()
    }

    /// People with digest notifications made in `[from, to)`.
    pub fn digest_recipients(
        conn: &mut DbConn,
        from: chrono::NaiveDateTime,
        to: chrono::NaiveDateTime,
    ) -> Result<Vec<UserId>> {
        let ids: Vec<String> = notifications::table
            .filter(notifications::email_mode.eq(EmailMode::DailyDigest.as_str()))
            .filter(notifications::created_at.ge(from))
            .filter(notifications::created_at.lt(to))
            .select(notifications::user_id)
            .distinct()
            .load(conn)
            .db()?;
        Ok(ids.into_iter().map(UserId::from).collect())
    }

    /// A person's digest notifications made in `[from, to)`, oldest first.
    pub fn digest_items(
        conn: &mut DbConn,
        user: &UserId,
        from: chrono::NaiveDateTime,
        to: chrono::NaiveDateTime,
    ) -> Result<Vec<NotificationRow>> {
        notifications::table
            .filter(notifications::user_id.eq(user.as_str()))
            .filter(notifications::email_mode.eq(EmailMode::DailyDigest.as_str()))
            .filter(notifications::created_at.ge(from))
            .filter(notifications::created_at.lt(to))
            .order(notifications::id)
            .limit(200)
            .select(NotificationRow::as_select())
            .load(conn)
            .db()
    }
}

/// The kinds a person chose a mode for.
pub fn preferences(conn: &mut DbConn, user: &UserId) -> Result<Vec<(NotificationKind, EmailMode)>> {
    let rows: Vec<(String, String)> = notification_preferences::table
        .filter(notification_preferences::user_id.eq(user.as_str()))
        .select((
            notification_preferences::kind,
            notification_preferences::mode,
        ))
        .load(conn)
        .db()?;
    rows.into_iter()
        .map(|(k, m)| Ok((NotificationKind::from_db(&k)?, EmailMode::from_db(&m)?)))
        .collect()
}

/// When `user` last changed their preferences (none: never).
pub fn preferences_changed_at(
    conn: &mut DbConn,
    user: &UserId,
) -> Result<Option<chrono::NaiveDateTime>> {
    notification_preferences::table
        .filter(notification_preferences::user_id.eq(user.as_str()))
        .select(diesel::dsl::max(notification_preferences::updated_at))
        .first(conn)
        .db()
}

/// How `user` is e-mailed about `kind` (the default without a choice).
pub fn mode_for(conn: &mut DbConn, user: &UserId, kind: NotificationKind) -> Result<EmailMode> {
    let m: Option<String> = notification_preferences::table
        .find((user.as_str(), kind.as_str()))
        .select(notification_preferences::mode)
        .first(conn)
        .optional()
        .db()?;
    match m {
        Some(m) => EmailMode::from_db(&m),
        None => Ok(sistema_lavoro_domain::notifications::DEFAULT_MODE),
    }
}

pub fn set_preference(
    conn: &mut DbConn,
    user: &UserId,
    kind: NotificationKind,
    mode: EmailMode,
    at: chrono::NaiveDateTime,
) -> Result<()> {
    diesel::delete(notification_preferences::table.find((user.as_str(), kind.as_str())))
        .execute(conn)
        .db()?;
    diesel::insert_into(notification_preferences::table)
        .values((
            notification_preferences::user_id.eq(user.as_str()),
            notification_preferences::kind.eq(kind.as_str()),
            notification_preferences::mode.eq(mode.as_str()),
            notification_preferences::updated_at.eq(at),
        ))
        .execute(conn)
        .map(drop)
        .db()
}

/// Which of `ids` are active users (an integration client's `client:<id>` is none).
pub fn active_among(conn: &mut DbConn, ids: &[&UserId]) -> Result<Vec<UserId>> {
    let ids: Vec<&str> = ids.iter().map(|u| u.as_str()).collect();
    let found: Vec<String> = users::table
        .filter(users::id.eq_any(ids))
        .filter(users::active.eq(true))
        .order(users::id)
        .select(users::id)
        .load(conn)
        .db()?;
    Ok(found.into_iter().map(UserId::from).collect())
}

/// Active users of a role, of an organization or a district.
pub fn active_users(
    conn: &mut DbConn,
    role: Role,
    organization: Option<&OrganizationId>,
    district: Option<&DistrictId>,
) -> Result<Vec<UserId>> {
    let mut q = users::table
        .filter(users::active.eq(true))
        .filter(users::role.eq(role.as_str()))
        .into_boxed();
    if let Some(o) = organization {
        q = q.filter(users::organization_id.eq(o.as_str()));
    }
    if let Some(d) = district {
        q = q.filter(users::district_id.eq(d.as_str()));
    }
    let ids: Vec<String> = q.order(users::id).select(users::id).load(conn).db()?;
    Ok(ids.into_iter().map(UserId::from).collect())
}

/// The agencies with cases on a meeting's agenda, and those its decisions give a case to.
pub fn agencies_on_agenda(
    conn: &mut DbConn,
    meeting: &sistema_lavoro_domain::ids::MeetingId,
) -> Result<Vec<OrganizationId>> {
    let mut ids: Vec<String> = agenda_items::table
        .inner_join(cases::table)
        .filter(agenda_items::meeting_id.eq(meeting.as_str()))
        .select(cases::agency_id)
        .distinct()
        .load(conn)
        .db()?;
    let given: Vec<Option<String>> = decisions::table
        .filter(decisions::meeting_id.eq(meeting.as_str()))
        .select(decisions::agency_id)
        .distinct()
        .load(conn)
        .db()?;
    ids.extend(given.into_iter().flatten());
    ids.sort();
    ids.dedup();
    Ok(ids.into_iter().map(OrganizationId::from).collect())
}

/// A followed case whose follow-up date passed.
#[derive(Debug, Clone)]
pub struct OverdueCase {
    pub id: CaseId,
    pub due_date: chrono::NaiveDate,
}

/// Followed cases due on a day in `[from, before)`, by due date and id, `limit` after the
/// cursor `after` (the last due date and id of the previous page).
pub fn overdue_cases(
    conn: &mut DbConn,
    from: chrono::NaiveDate,
    before: chrono::NaiveDate,
    after: Option<&OverdueCase>,
    limit: i64,
) -> Result<Vec<OverdueCase>> {
    let followed: Vec<&'static str> = sistema_lavoro_domain::states::CaseStatus::ALL
        .iter()
        .filter(|s| s.is_followed())
        .map(|s| s.as_str())
        .collect();
    let mut q = cases::table
        .filter(cases::status.eq_any(followed))
        .filter(cases::next_due_date.ge(from))
        .filter(cases::next_due_date.lt(before))
        .into_boxed();
    if let Some(a) = after {
        q = q.filter(
            cases::next_due_date.gt(a.due_date).or(cases::next_due_date
                .eq(a.due_date)
                .and(cases::id.gt(a.id.to_string()))),
        );
    }
    let rows: Vec<(String, Option<chrono::NaiveDate>)> = q
        .order((cases::next_due_date, cases::id))
        .limit(limit)
        .select((cases::id, cases::next_due_date))
        .load(conn)
        .db()?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, d)| {
            d.map(|due_date| OverdueCase {
                id: id.into(),
                due_date,
            })
        })
        .collect())
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = notification_emails)]
pub struct EmailRow {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: EmailId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub user_id: UserId,
    #[diesel(deserialize_as = NullableText<NotificationId>, serialize_as = NullableText<NotificationId>)]
    pub notification_id: Option<NotificationId>,
    pub digest_day: Option<chrono::NaiveDate>,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: EmailStatus,
    pub attempts: i32,
    pub next_attempt_at: chrono::NaiveDateTime,
    pub locked_until: Option<chrono::NaiveDateTime>,
    pub lock_token: Option<String>,
    pub last_error: Option<String>,
    pub sent_at: Option<chrono::NaiveDateTime>,
    pub created_at: chrono::NaiveDateTime,
}

/// How an attempt ended.
#[derive(Debug, Clone)]
pub struct EmailAttempt {
    pub status: EmailStatus,
    pub attempts: i32,
    pub next_attempt_at: chrono::NaiveDateTime,
    pub error: Option<String>,
    pub at: chrono::NaiveDateTime,
}

impl EmailRow {
    pub fn pending(
        id: EmailId,
        user_id: UserId,
        notification_id: Option<NotificationId>,
        digest_day: Option<chrono::NaiveDate>,
        at: chrono::NaiveDateTime,
    ) -> EmailRow {
        EmailRow {
            id,
            user_id,
            notification_id,
            digest_day,
            status: EmailStatus::Pending,
            attempts: 0,
            next_attempt_at: at,
            locked_until: None,
            lock_token: None,
            last_error: None,
            sent_at: None,
            created_at: at,
        }
    }

    pub fn insert(conn: &mut DbConn, row: &EmailRow) -> Result<()> {
        diesel::insert_into(notification_emails::table)
            .values(row.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    /// Whether the digest of `user` for `day` exists.
    pub fn digest_exists(conn: &mut DbConn, user: &UserId, day: chrono::NaiveDate) -> Result<bool> {
        let n: i64 = notification_emails::table
            .filter(notification_emails::user_id.eq(user.as_str()))
            .filter(notification_emails::digest_day.eq(day))
            .count()
            .get_result(conn)
            .db()?;
        Ok(n > 0)
    }

    pub fn find(conn: &mut DbConn, id: &EmailId) -> Result<EmailRow> {
        notification_emails::table
            .find(id.as_str())
            .select(EmailRow::as_select())
            .first(conn)
            .db()
    }

    /// Every e-mail row of a person, oldest first (for operators and tests).
    pub fn of_user(conn: &mut DbConn, user: &UserId) -> Result<Vec<EmailRow>> {
        notification_emails::table
            .filter(notification_emails::user_id.eq(user.as_str()))
            .order(notification_emails::id)
            .select(EmailRow::as_select())
            .load(conn)
            .db()
    }

    /// Pending e-mails whose attempt is due and that no live claim holds.
    pub fn due(conn: &mut DbConn, at: chrono::NaiveDateTime, limit: i64) -> Result<Vec<EmailId>> {
        let ids: Vec<String> = notification_emails::table
            .filter(notification_emails::status.eq(EmailStatus::Pending.as_str()))
            .filter(notification_emails::next_attempt_at.le(at))
            .filter(
                notification_emails::locked_until
                    .is_null()
                    .or(notification_emails::locked_until.lt(at)),
            )
            .order(notification_emails::next_attempt_at)
            .select(notification_emails::id)
            .limit(limit)
            .load(conn)
            .db()?;
        Ok(ids.into_iter().map(EmailId::from).collect())
    }

    /// Claims an e-mail until `until`: only one instance wins the conditional update.
    pub fn claim(
        conn: &mut DbConn,
        id: &EmailId,
        token: &str,
        at: chrono::NaiveDateTime,
        until: chrono::NaiveDateTime,
    ) -> Result<bool> {
        let n = diesel::update(
            notification_emails::table
                .find(id.as_str())
                .filter(notification_emails::status.eq(EmailStatus::Pending.as_str()))
                .filter(notification_emails::next_attempt_at.le(at))
                .filter(
                    notification_emails::locked_until
                        .is_null()
                        .or(notification_emails::locked_until.lt(at)),
                ),
        )
        .set((
            notification_emails::locked_until.eq(Some(until)),
            notification_emails::lock_token.eq(Some(token)),
        ))
        .execute(conn)
        .db()?;
        Ok(n == 1)
    }

    /// Records an attempt, if the claim `token` still holds.
    pub fn settle(conn: &mut DbConn, id: &EmailId, token: &str, a: &EmailAttempt) -> Result<()> {
        diesel::update(
            notification_emails::table
                .find(id.as_str())
                .filter(notification_emails::lock_token.eq(token)),
        )
        .set((
            notification_emails::status.eq(a.status.as_str()),
            notification_emails::attempts.eq(a.attempts),
            notification_emails::next_attempt_at.eq(a.next_attempt_at),
            notification_emails::locked_until.eq(None::<chrono::NaiveDateTime>),
            notification_emails::last_error.eq(a.error.as_deref()),
            notification_emails::sent_at.eq((a.status == EmailStatus::Sent).then_some(a.at)),
        ))
        .execute(conn)
        .map(drop)
        .db()
    }
}
