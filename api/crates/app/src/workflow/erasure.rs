//! Restriction of processing (GDPR art. 18), anonymisation with a second approval (art. 17)
//! and retention: the use cases, one transaction each.
//!
//! What a restriction freezes is enforced by the database (the triggers of migration `000023`,
//! see `store::subject_rights`); what it hides, by the person, referral and case scopes
//! (`policy::sees_restricted`). Anonymisation runs `store::subject_rights::erase` and its
//! audit rows in the approval's transaction: all of it, or nothing.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use sistema_lavoro_domain::actions::{Action, BlockedAction};
use sistema_lavoro_domain::ids::{AnonymisationRequestId, DistrictId, PersonId};
use sistema_lavoro_domain::subject_rights::{
    self as rights, AnonymisationStatus, LegalGround, ANONYMISED_FIRST_NAME, ANONYMISED_LAST_NAME,
};
use sistema_lavoro_domain::{policy, text, Error, ErrorCode, Now, Role};
use sistema_lavoro_store::audit::{self, Transition};
use sistema_lavoro_store::audit_log;
use sistema_lavoro_store::districts::District;
use sistema_lavoro_store::persons::{name_key, Person};
use sistema_lavoro_store::subject_rights::{
    self as store, AnonymisationRequest, Kept, Restriction,
};
use sistema_lavoro_store::{new_id, utc, write_tx, DbConn};

use super::persons::{self, PersonOut};
use super::{Page, PageRequest};
use crate::security::SecretBox;
use crate::Ctx;

/// Who acts for the retention job in the records it writes.
pub const RETENTION_ACTOR: &str = "system:retention";

// ---------------------------------------------------------------- restriction

/// Why the processing is restricted, or why the restriction is lifted.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"reason": "La persona contesta l'esattezza dei dati (art. 18.1.a)."}))]
pub struct RestrictionInput {
    /// Motivo: kept in the person's history.
    #[validate(length(min = 3, max = 2000))]
    #[schema(min_length = 3, max_length = 2000)]
    pub reason: String,
}

/// The person in her district, for the DPO or the coordinator (`404` otherwise).
fn person_of_district(
    conn: &mut DbConn,
    district: &DistrictId,
    id: &PersonId,
) -> Result<Person, Error> {
    let p = Person::find(conn, id).map_err(|_| Error::hidden())?;
    if &p.district_id != district {
        return Err(Error::hidden());
    }
    Ok(p)
}

fn anonymised(p: &Person) -> Result<(), Error> {
    persons::not_anonymised(p)
}

/// Restricts the processing of the person's data (art. 18): from now on her record, referrals,
/// cases, activations, follow-ups, documents and consents are frozen, and only the DPO and the
/// coordinator see her.
pub fn restrict(
    conn: &mut DbConn,
    cx: &Ctx,
    keys: &SecretBox,
    id: &PersonId,
    i: RestrictionInput,
) -> Result<PersonOut, Error> {
    let district = policy::may_restrict(cx.actor)?.clone();
    write_tx(conn, |conn| {
        let p = person_of_district(conn, &district, id)?;
        anonymised(&p)?;
        if Restriction::is_restricted(conn, &p.id)? {
            return Err(Error::InvalidTransition {
                entity: "person",
                action: "restrict",
                from: "restricted".into(),
            });
        }
        Restriction::insert(
            conn,
            &store::Restriction {
                person_id: p.id.clone(),
                district_id: district.clone(),
                reason: i.reason.trim().to_string(),
                restricted_by: cx.actor.id.clone(),
                restricted_at: cx.now.at,
            },
        )?;
        audit::record(
            conn,
            Transition {
                entity_type: "person",
                entity_id: p.id.as_str(),
                action: "restrict",
                from: Some("unrestricted"),
                to: "restricted",
                reason: Some(i.reason.trim()),
                actor_id: Some(&cx.actor.id),
                at: cx.now.at,
            },
        )?;
        shown(conn, cx, keys, p)
    })
}

/// Lifts the restriction: the record is processed again as before.
pub fn lift(
    conn: &mut DbConn,
    cx: &Ctx,
    keys: &SecretBox,
    id: &PersonId,
    i: RestrictionInput,
) -> Result<PersonOut, Error> {
    let district = policy::may_restrict(cx.actor)?.clone();
    write_tx(conn, |conn| {
        let p = person_of_district(conn, &district, id)?;
        if !Restriction::delete(conn, &p.id)? {
            return Err(Error::InvalidTransition {
                entity: "person",
                action: "lift_restriction",
                from: "unrestricted".into(),
            });
        }
        audit::record(
            conn,
            Transition {
                entity_type: "person",
                entity_id: p.id.as_str(),
                action: "lift_restriction",
                from: Some("restricted"),
                to: "unrestricted",
                reason: Some(i.reason.trim()),
                actor_id: Some(&cx.actor.id),
                at: cx.now.at,
            },
        )?;
        shown(conn, cx, keys, p)
    })
}

/// The person as the DPO or the coordinator sees her after the change.
fn shown(conn: &mut DbConn, cx: &Ctx, keys: &SecretBox, p: Person) -> Result<PersonOut, Error> {
    let (out, read) = persons::read(conn, cx, keys, &p.id)?;
    audit::person_reads(conn, &[read])?;
    Ok(out)
}

// ---------------------------------------------------------------- anonymisation

/// A coordinator's request to anonymise a person.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"legal_ground": "no_longer_necessary",
    "reason": "Percorso concluso nel 2015; nessun obbligo di conservazione residuo."}))]
pub struct AnonymisationInput {
    /// Base giuridica: the letter of art. 17(1) the erasure rests on.
    pub legal_ground: LegalGround,
    /// Motivo, for the DPO who decides (emptied once approved: it may name the person).
    #[validate(length(min = 3, max = 2000))]
    #[schema(min_length = 3, max_length = 2000)]
    pub reason: String,
}

/// The DPO's decision.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
pub struct AnonymisationDecisionInput {
    /// A note on the decision (optional; emptied once approved).
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// A request to anonymise a person (art. 17).
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct AnonymisationRequestOut {
    /// Identifier of the request, a UUID.
    pub id: String,
    /// The person (her record shows "Persona anonimizzata" once approved).
    pub person_id: String,
    /// Where the request stands.
    pub status: AnonymisationStatus,
    /// The status, in the caller's language.
    pub status_label: String,
    /// Base giuridica.
    pub legal_ground: LegalGround,
    /// Motivo; absent once approved.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub reason: Option<String>,
    /// Who asked (user id, or `system:retention`).
    pub requested_by: String,
    /// When (RFC 3339, UTC).
    pub requested_at: DateTime<Utc>,
    /// Who decided (user id).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub decided_by: Option<String>,
    /// When (RFC 3339, UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub decided_at: Option<DateTime<Utc>>,
    /// The decision's note; absent once approved.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub decision_note: Option<String>,
    /// What you may do with the request now.
    pub allowed_actions: Vec<Action>,
    /// Actions your role could take but are refused now, each with its reason.
    pub blocked_actions: Vec<BlockedAction>,
}

fn request_out(cx: &Ctx, r: AnonymisationRequest) -> AnonymisationRequestOut {
    let (allowed_actions, blocked_actions) = cx.render(policy::anonymisation_request_actions(
        cx.actor,
        &r.requested_by,
        r.status,
    ));
    AnonymisationRequestOut {
        id: r.id.into(),
        person_id: r.person_id.into(),
        status: r.status,
        status_label: sistema_lavoro_domain::i18n::state_label(
            "anonymisation_request",
            r.status.as_str(),
            cx.lang,
        ),
        legal_ground: r.legal_ground,
        reason: r.reason,
        requested_by: r.requested_by,
        requested_at: utc(r.requested_at),
        decided_by: r.decided_by,
        decided_at: r.decided_at.map(utc),
        decision_note: r.decision_note,
        allowed_actions,
        blocked_actions,
    }
}

fn record_request(
    conn: &mut DbConn,
    r: &AnonymisationRequest,
    action: &str,
    from: Option<&str>,
    actor: &str,
    at: chrono::NaiveDateTime,
) -> Result<(), Error> {
    audit::record(
        conn,
        Transition {
            entity_type: "anonymisation_request",
            entity_id: r.id.as_str(),
            action,
            from,
            to: r.status.as_str(),
            reason: None,
            actor_id: Some(actor),
            at,
        },
    )
}

/// A coordinator asks for the person's anonymisation: pending until the DPO decides.
pub fn request(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &PersonId,
    i: AnonymisationInput,
) -> Result<AnonymisationRequestOut, Error> {
    let district = policy::may_request_anonymisation(cx.actor)?.clone();
    write_tx(conn, |conn| {
        let p = person_of_district(conn, &district, id)?;
        anonymised(&p)?;
        if AnonymisationRequest::pending_of(conn, &p.id)?.is_some() {
            return Err(Error::conflict(
                ErrorCode::Duplicate,
                text!(
                    "una richiesta di anonimizzazione di questa persona attende già il \
                     responsabile della protezione dei dati",
                    "an anonymisation request of this person already waits for the DPO"
                ),
            ));
        }
        let r = AnonymisationRequest {
            id: new_id(),
            district_id: district.clone(),
            person_id: p.id.clone(),
            status: AnonymisationStatus::Pending,
            legal_ground: i.legal_ground,
            reason: Some(i.reason.trim().to_string()),
            requested_by: cx.actor.id.clone(),
            requested_at: cx.now.at,
            decided_by: None,
            decided_at: None,
            decision_note: None,
        };
        AnonymisationRequest::insert(conn, &r)?;
        record_request(conn, &r, "request", None, &cx.actor.id, cx.now.at)?;
        Ok(request_out(cx, r))
    })
}

/// Filters of the requests' list.
#[derive(Debug, Clone, Default)]
pub struct RequestQuery {
    pub state: Option<AnonymisationStatus>,
}

/// The district's requests, oldest first, for the DPO and the coordinator.
pub fn requests(
    conn: &mut DbConn,
    cx: &Ctx,
    q: RequestQuery,
    page: &PageRequest,
) -> Result<Page<AnonymisationRequestOut>, Error> {
    let district = policy::may_read_erasure(cx.actor)?;
    let rows = AnonymisationRequest::list(conn, district, q.state, page.after(), page.limit)?;
    Page::of(
        rows,
        page.limit,
        |r| r.id.to_string(),
        |r| Ok(request_out(cx, r)),
    )
}

/// The request, if the caller may decide requests of its district (`404` otherwise).
fn decidable(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &AnonymisationRequestId,
) -> Result<AnonymisationRequest, Error> {
    let r = AnonymisationRequest::find(conn, id).map_err(|_| Error::hidden())?;
    if cx.actor.district_id.as_ref() != Some(&r.district_id) {
        return Err(Error::hidden());
    }
    policy::may_decide_anonymisation(cx.actor, &r.requested_by)?;
    Ok(r)
}

/// Saves a decided request if nobody decided it first.
fn decide(conn: &mut DbConn, r: &AnonymisationRequest) -> Result<(), Error> {
    if !AnonymisationRequest::save_if(conn, r, AnonymisationStatus::Pending)? {
        return Err(Error::conflict(
            ErrorCode::ConcurrentUpdate,
            text!(
                "la richiesta è stata decisa nel frattempo; ricaricare",
                "the request was decided meanwhile; reload it"
            ),
        ));
    }
    Ok(())
}

/// The DPO approves: the person is anonymised at once, irreversibly, in this transaction. A
/// restricted person is not (`409 person_restricted`): the restriction is lifted first.
pub fn approve(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &AnonymisationRequestId,
) -> Result<AnonymisationRequestOut, Error> {
    write_tx(conn, |conn| {
        let mut r = decidable(conn, cx, id)?;
        let from = r.status;
        r.status = from.approve()?;
        r.decided_by = Some(cx.actor.id.clone());
        r.decided_at = Some(cx.now.at);
        r.decision_note = None;
        decide(conn, &r)?;
        record_request(
            conn,
            &r,
            "approve",
            Some(from.as_str()),
            &cx.actor.id,
            cx.now.at,
        )?;
        anonymise(conn, &r.person_id, &cx.actor.id, cx.now)?;
        let r = AnonymisationRequest::find(conn, &r.id)?;
        Ok(request_out(cx, r))
    })
}

/// The DPO rejects: nothing changes but the request.
pub fn reject(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &AnonymisationRequestId,
    i: AnonymisationDecisionInput,
) -> Result<AnonymisationRequestOut, Error> {
    write_tx(conn, |conn| {
        let mut r = decidable(conn, cx, id)?;
        let from = r.status;
        r.status = from.reject()?;
        r.decided_by = Some(cx.actor.id.clone());
        r.decided_at = Some(cx.now.at);
        r.decision_note = i
            .note
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty());
        decide(conn, &r)?;
        record_request(
            conn,
            &r,
            "reject",
            Some(from.as_str()),
            &cx.actor.id,
            cx.now.at,
        )?;
        Ok(request_out(cx, r))
    })
}

/// Anonymises the person inside the caller's transaction: the record keeps the age band (birth
/// year), gender, residence municipality and citizenship group, her cases keep their states,
/// measures and outcomes; names, tax code, contacts, notes (sealed ones too), documents and
/// the free text of referrals, cases, follow-ups and the history go. Minutes and notifications
/// that named her say "Persona anonimizzata". The audit row names ids only.
pub fn anonymise(conn: &mut DbConn, id: &PersonId, actor: &str, now: Now) -> Result<(), Error> {
    let p = Person::find(conn, id)?;
    anonymised(&p)?;
    let shown = format!("{ANONYMISED_FIRST_NAME} {ANONYMISED_LAST_NAME}");
    // The minutes name her as "Surname Name (TAX CODE)": that text goes, in Markdown and HTML.
    // The table's reasons on her referrals and cases are repeated there too: they go as well.
    let full = format!("{} {} ({})", p.last_name, p.first_name, p.tax_code);
    let mut gone = vec![(full, shown.clone())];
    gone.extend(
        store::decision_reasons(conn, &p.id)?
            .into_iter()
            .map(|r| (r, "—".to_string())),
    );
    gone.push((p.tax_code.clone(), String::new()));
    let escape = crate::workflow::meetings::minutes::escape;
    for (mid, md, html) in store::minutes_naming(conn, &p.district_id, &p.tax_code)? {
        let md = md.map(|m| gone.iter().fold(m, |m, (from, to)| m.replace(from, to)));
        let html = html.map(|h| {
            gone.iter()
                .fold(h, |h, (from, to)| h.replace(&escape(from), &escape(to)))
        });
        store::set_minutes(conn, &mid, md, html)?;
    }
    // Notifications carry a short name ("Anna B."); those about her records lose it.
    let short = sistema_lavoro_domain::notifications::short_name(&p.first_name, &p.last_name);
    let held = sistema_lavoro_store::privacy::held(conn, &p.id)?;
    let mut links: Vec<String> = held
        .referrals
        .iter()
        .map(|r| format!("/referrals/{}", r.id))
        .collect();
    links.extend(held.cases.iter().map(|c| format!("/cases/{}", c.id)));
    for (nid, params) in store::notifications_about(conn, &links)? {
        if params.contains(&short) {
            store::set_notification_params(conn, &nid, &params.replace(&short, &shown))?;
        }
    }
    let kept = Kept {
        tax_code: format!("ANONIMO-{}", p.id),
        first_name: ANONYMISED_FIRST_NAME.into(),
        last_name: ANONYMISED_LAST_NAME.into(),
        name_key: name_key(ANONYMISED_LAST_NAME, ANONYMISED_FIRST_NAME),
        birth_date: rights::birth_year_only(p.birth_date),
        citizenship: rights::citizenship_group(p.citizenship.as_deref()).map(Into::into),
    };
    let erased = store::erase(conn, &p.id, &kept, now.at)?;
    audit::record(
        conn,
        Transition {
            entity_type: "person",
            entity_id: p.id.as_str(),
            action: "anonymise",
            from: None,
            to: "anonymised",
            reason: None,
            actor_id: Some(actor),
            at: now.at,
        },
    )?;
    audit_log::record(
        conn,
        now.at,
        &[audit_log::NewEvent {
            action: "anonymise",
            entity_type: Some("person".into()),
            entity_id: Some(p.id.to_string()),
            person_id: Some(p.id.to_string()),
            detail: Some(format!(
                "{} referral(s), {} case(s), {} document(s)",
                erased.referrals, erased.cases, erased.documents
            )),
        }],
    )?;
    Ok(())
}

// ---------------------------------------------------------------- retention

/// A person due for anonymisation by the district's retention period.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct RetentionDue {
    /// The person.
    pub person_id: String,
    /// Her name as the caller may see it: the coordinator's, absent for the DPO.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub name: Option<String>,
    /// The day her last case closed.
    pub last_case_closed_on: NaiveDate,
    /// The day she became due (closing day plus the retention period).
    pub due_on: NaiveDate,
}

/// The retention preview: who the job anonymises at today's date.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct RetentionPreview {
    /// Today, as the clock says (Europe/Rome).
    pub today: NaiveDate,
    /// The district's retention period after the last case closed, in years.
    pub retention_years: i32,
    /// Persons due, oldest due first.
    pub items: Vec<RetentionDue>,
}

fn due_persons(
    conn: &mut DbConn,
    district: &DistrictId,
    today: NaiveDate,
) -> Result<(i32, Vec<(store::Due, NaiveDate)>), Error> {
    let years = District::find(conn, district)?.retention_years;
    let closed = store::closed_persons(conn, district)?;
    let ids: Vec<&str> = closed.iter().map(|d| d.person_id.as_str()).collect();
    // A restricted person is kept as she is (art. 18(1)(b)-(c): she may need the data).
    let restricted = Restriction::among(conn, &ids)?;
    let mut out: Vec<(store::Due, NaiveDate)> = closed
        .into_iter()
        .filter(|d| !restricted.contains(d.person_id.as_str()))
        .filter_map(|d| {
            rights::due_on(Some(d.last_closed), false, years)
                .filter(|on| *on <= today)
                .map(|on| (d, on))
        })
        .collect();
    out.sort_by(|a, b| (a.1, &a.0.person_id).cmp(&(b.1, &b.0.person_id)));
    Ok((years, out))
}

/// Persons of the district due for anonymisation today, with the day each became due (the
/// restricted ones are left out: the job keeps them). The
/// coordinator sees their names; the DPO ids and dates only. The preview is itself a read
/// of personal data for the coordinator, and logged.
pub fn preview(conn: &mut DbConn, cx: &Ctx) -> Result<RetentionPreview, Error> {
    let district = policy::may_read_erasure(cx.actor)?.clone();
    let (years, due) = due_persons(conn, &district, cx.now.today)?;
    let names = cx.actor.role == Role::Coordinator;
    let mut items = Vec::with_capacity(due.len());
    let mut events = Vec::new();
    for (d, on) in due {
        let name = if names {
            let p = Person::find(conn, &d.person_id)?;
            Some(format!("{} {}", p.last_name, p.first_name))
        } else {
            None
        };
        events.push(audit_log::NewEvent {
            action: "list",
            entity_type: Some("person".into()),
            entity_id: Some(d.person_id.to_string()),
            person_id: Some(d.person_id.to_string()),
            detail: Some("retention preview".into()),
        });
        items.push(RetentionDue {
            person_id: d.person_id.into(),
            name,
            last_case_closed_on: d.last_closed,
            due_on: on,
        });
    }
    audit_log::record(conn, cx.now.at, &events)?;
    Ok(RetentionPreview {
        today: cx.now.today,
        retention_years: years,
        items,
    })
}

/// The clock-driven job: in every district, anonymises each person due today, one transaction
/// each (an approved request by `system:retention` records why), and logs the run. Returns
/// how many were anonymised.
pub fn run_due(conn: &mut DbConn, now: Now) -> Result<usize, Error> {
    let mut done = 0;
    for district in District::all_ids(conn)? {
        let (_, due) = due_persons(conn, &district, now.today)?;
        let mut here = 0;
        for (d, _) in due {
            write_tx(conn, |conn| {
                let p = Person::find(conn, &d.person_id)?;
                if p.anonymised_at.is_some() {
                    return Ok(());
                }
                if let Some(mut pending) = AnonymisationRequest::pending_of(conn, &p.id)? {
                    pending.status = AnonymisationStatus::Rejected;
                    pending.decided_by = Some(RETENTION_ACTOR.into());
                    pending.decided_at = Some(now.at);
                    decide(conn, &pending)?;
                }
                let r = AnonymisationRequest {
                    id: new_id(),
                    district_id: district.clone(),
                    person_id: p.id.clone(),
                    status: AnonymisationStatus::Approved,
                    legal_ground: LegalGround::RetentionExpired,
                    reason: None,
                    requested_by: RETENTION_ACTOR.into(),
                    requested_at: now.at,
                    decided_by: Some(RETENTION_ACTOR.into()),
                    decided_at: Some(now.at),
                    decision_note: None,
                };
                AnonymisationRequest::insert(conn, &r)?;
                record_request(conn, &r, "approve", None, RETENTION_ACTOR, now.at)?;
                anonymise(conn, &p.id, RETENTION_ACTOR, now)
            })?;
            here += 1;
        }
        write_tx(conn, |conn| {
            audit_log::record_as(
                conn,
                &audit_log::EventContext {
                    actor_id: Some(RETENTION_ACTOR.into()),
                    district_id: Some(district.to_string()),
                    ..Default::default()
                },
                now.at,
                &[audit_log::NewEvent {
                    action: "retention_run",
                    entity_type: Some("district".into()),
                    entity_id: Some(district.to_string()),
                    person_id: None,
                    detail: Some(format!("{here} person(s) anonymised")),
                }],
            )
        })?;
        done += here;
    }
    Ok(done)
}
