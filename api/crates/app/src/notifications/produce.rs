//! Making notifications: one row per recipient, and the e-mail each recipient's preference for
//! the kind asks for, written in the caller's transaction.

use sistema_lavoro_domain::ids::{CaseId, DistrictId, OrganizationId, PersonId, UserId};
use sistema_lavoro_domain::notifications::{short_name, EmailMode, NotificationKind, Params};
use sistema_lavoro_domain::{Error, Now, Role};
use sistema_lavoro_store::cases::Case;
use sistema_lavoro_store::notifications::{self as store, EmailRow, NotificationRow};
use sistema_lavoro_store::persons::Person;
use sistema_lavoro_store::{new_id, DbConn};

/// What to tell: the kind, the values of its message, the record in the SPA.
#[derive(Debug, Clone)]
pub struct Notice {
    pub kind: NotificationKind,
    pub params: Params,
    pub link: String,
    /// For clock-driven kinds: what the notification is about, so it is raised once.
    pub dedupe_key: Option<String>,
}

impl Notice {
    pub fn new(
        kind: NotificationKind,
        link: impl Into<String>,
        pairs: &[(&str, String)],
    ) -> Notice {
        Notice {
            kind,
            params: pairs
                .iter()
                .map(|(k, v)| ((*k).to_string(), v.clone()))
                .collect(),
            link: link.into(),
            dedupe_key: None,
        }
    }
}

/// Records `notice` for each of `to` (duplicates dropped), with an immediate e-mail for those
/// who want one; the digest is made by the worker at 07:30.
pub fn send(conn: &mut DbConn, now: Now, notice: &Notice, to: &[UserId]) -> Result<(), Error> {
    let mut to: Vec<&UserId> = to.iter().collect();
    to.sort();
    to.dedup();
    if to.is_empty() {
        return Ok(());
    }
    // People only, and only those still active: a referral an integration client sent has no
    // one to tell.
    let to = store::active_among(conn, &to)?;
    let params =
        serde_json::to_string(&notice.params).map_err(|e| Error::Internal(e.to_string()))?;
    for user in &to {
        let mode = store::mode_for(conn, user, notice.kind)?;
        let row = NotificationRow {
            id: new_id(),
            user_id: user.clone(),
            kind: notice.kind,
            params: params.clone(),
            link: notice.link.clone(),
            // One key per recipient: the unique column then holds for each.
            dedupe_key: notice.dedupe_key.as_ref().map(|k| format!("{k}:{user}")),
            email_mode: mode,
            created_at: now.at,
            read_at: None,
        };
        NotificationRow::insert(conn, &row)?;
        if mode == EmailMode::Immediate {
            EmailRow::insert(
                conn,
                &EmailRow::pending(new_id(), user.clone(), Some(row.id.clone()), None, now.at),
            )?;
        }
    }
    Ok(())
}

/// "Mario R." for a person.
pub fn person_name(conn: &mut DbConn, id: &PersonId) -> Result<String, Error> {
    let p = Person::find(conn, id)?;
    Ok(short_name(&p.first_name, &p.last_name))
}

/// The active operators of an agency.
pub fn agency_operators(conn: &mut DbConn, agency: &OrganizationId) -> Result<Vec<UserId>, Error> {
    store::active_users(conn, Role::AgencyOperator, Some(agency), None)
}

/// The active coordinators (Ufficio di Piano) of a district.
pub fn coordinators(conn: &mut DbConn, district: &DistrictId) -> Result<Vec<UserId>, Error> {
    store::active_users(conn, Role::Coordinator, None, Some(district))
}

/// Who follows a case: its case manager, or the agency's operators while it has none.
pub fn case_operators(conn: &mut DbConn, c: &Case) -> Result<Vec<UserId>, Error> {
    match &c.case_manager_id {
        Some(m) => Ok(vec![m.clone()]),
        None => agency_operators(conn, &c.agency_id),
    }
}

/// The SPA's page of a case.
pub fn case_link(id: &CaseId) -> String {
    format!("/cases/{id}")
}

/// The table decided a referral: its referrer (the user who wrote it) hears of it; asking for
/// information is its own kind.
pub fn referral_decided(
    conn: &mut DbConn,
    now: Now,
    r: &sistema_lavoro_store::referrals::Referral,
    kind: sistema_lavoro_domain::states::DecisionKind,
) -> Result<(), Error> {
    use sistema_lavoro_domain::states::DecisionKind;
    let n = Notice::new(
        if kind == DecisionKind::RequestInfo {
            NotificationKind::InfoRequested
        } else {
            NotificationKind::ReferralDecided
        },
        format!("/referrals/{}", r.id),
        &[
            ("referral_id", r.id.to_string()),
            ("status", r.status.as_str().to_string()),
            ("person", person_name(conn, &r.person_id)?),
        ],
    );
    send(conn, now, &n, &[UserId::from(r.created_by.clone())])
}

/// A case was assigned to an agency: its operators hear of it.
pub fn case_assigned(conn: &mut DbConn, now: Now, c: &Case) -> Result<(), Error> {
    let n = Notice::new(
        NotificationKind::CaseAssigned,
        case_link(&c.id),
        &[
            ("case_id", c.id.to_string()),
            ("person", person_name(conn, &c.person_id)?),
        ],
    );
    let to = agency_operators(conn, &c.agency_id)?;
    send(conn, now, &n, &to)
}

/// An outcome check fell due: who follows the case hears of it.
pub fn outcome_check_due(
    conn: &mut DbConn,
    now: Now,
    case_id: &CaseId,
    months: i32,
    due_date: chrono::NaiveDate,
) -> Result<(), Error> {
    let c = Case::find(conn, case_id)?;
    let n = Notice::new(
        NotificationKind::OutcomeCheckDue,
        case_link(&c.id),
        &[
            ("case_id", c.id.to_string()),
            ("person", person_name(conn, &c.person_id)?),
            ("months", months.to_string()),
            ("date", due_date.format("%d/%m/%Y").to_string()),
        ],
    );
    let to = case_operators(conn, &c)?;
    send(conn, now, &n, &to)
}

/// Who hears of a meeting: the district's coordinators and the operators of the agencies with
/// cases on its agenda.
fn meeting_recipients(
    conn: &mut DbConn,
    m: &sistema_lavoro_store::meetings::Meeting,
) -> Result<Vec<UserId>, Error> {
    let mut to = coordinators(conn, &m.district_id)?;
    for agency in store::agencies_on_agenda(conn, &m.id)? {
        to.extend(agency_operators(conn, &agency)?);
    }
    Ok(to)
}

fn meeting_notice(kind: NotificationKind, m: &sistema_lavoro_store::meetings::Meeting) -> Notice {
    Notice::new(
        kind,
        format!("/meetings/{}", m.id),
        &[
            ("meeting_id", m.id.to_string()),
            ("date", m.scheduled_for.format("%d/%m/%Y").to_string()),
        ],
    )
}

/// A meeting was scheduled.
pub fn meeting_scheduled(
    conn: &mut DbConn,
    now: Now,
    m: &sistema_lavoro_store::meetings::Meeting,
) -> Result<(), Error> {
    let to = meeting_recipients(conn, m)?;
    send(
        conn,
        now,
        &meeting_notice(NotificationKind::MeetingScheduled, m),
        &to,
    )
}

/// A meeting closed and its minutes were frozen.
pub fn minutes_published(
    conn: &mut DbConn,
    now: Now,
    m: &sistema_lavoro_store::meetings::Meeting,
) -> Result<(), Error> {
    let to = meeting_recipients(conn, m)?;
    send(
        conn,
        now,
        &meeting_notice(NotificationKind::MinutesPublished, m),
        &to,
    )
}

/// Budget was reserved on a threshold (`t`, as it is now; `before` what remained before): when
/// what remains falls under 10% of the cap, the agency's operators and the coordinators hear of
/// it, once per crossing.
pub fn threshold_used(
    conn: &mut DbConn,
    now: Now,
    t: &sistema_lavoro_store::thresholds::Threshold,
    before: i64,
    measure_code: &str,
) -> Result<(), Error> {
    use sistema_lavoro_domain::notifications::THRESHOLD_LOW_PERCENT as LOW;
    let cap = t.cap_cents.get();
    let left = cap - t.reserved_cents.get() - t.spent_cents.get();
    if cap <= 0 || left * 100 >= LOW * cap || before * 100 < LOW * cap {
        return Ok(());
    }
    let pairs = [
        ("threshold_id", t.id.to_string()),
        ("measure", measure_code.to_string()),
        ("remaining_percent", (left.max(0) * 100 / cap).to_string()),
    ];
    let to = agency_operators(conn, &t.agency_id)?;
    send(
        conn,
        now,
        &Notice::new(NotificationKind::ThresholdLow, "/cases", &pairs),
        &to,
    )?;
    let to = coordinators(conn, &t.district_id)?;
    send(
        conn,
        now,
        &Notice::new(NotificationKind::ThresholdLow, "/catalogue", &pairs),
        &to,
    )
}
