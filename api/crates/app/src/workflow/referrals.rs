//! Referrals: written and submitted by referrers, decided by the monthly table.

use serde::{Deserialize, Serialize};
use sistema_lavoro_domain::ids::{OrganizationId, PersonId, ReferralId};
use utoipa::ToSchema;
use validator::Validate;

use sistema_lavoro_domain::actions::{Action, BlockedAction};
use sistema_lavoro_domain::events::EventType;
use sistema_lavoro_domain::i18n::{state_label, Lang};
use sistema_lavoro_domain::policy::{self, ReferralFacts, ReferralScope};
use sistema_lavoro_domain::states::{CaseStatus, ReferralStatus};
use sistema_lavoro_domain::vocabulary::{Need, Outcome, ReceivedVia, ReferralSource, Urgency};
use sistema_lavoro_domain::{text, Error, ErrorCode, Expected, OrganizationKind, Version};
use sistema_lavoro_store::audit::{self, Transition};
use sistema_lavoro_store::organizations::Organization;
use sistema_lavoro_store::persons::Person;
use sistema_lavoro_store::referrals::{Referral, ReferralFilter};
use sistema_lavoro_store::related::Related;
use sistema_lavoro_store::subject_rights::Restriction;
use sistema_lavoro_store::{new_id, utc, write_tx, DbConn};

use super::{OrgSummary, Page, PageRequest, PersonSummary, StateChangeOut};
use crate::integration::events;
use crate::Ctx;

/// A new referral (segnalazione), saved as a draft.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"person_id": "0193...", "source": "social_worker", "needs": ["work", "training"],
    "reason": "Disoccupato da 18 mesi, cerca lavoro nel settore logistico.", "urgency": "normal"}))]
pub struct ReferralInput {
    /// The person referred.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, value_type = String)]
    pub person_id: PersonId,
    /// Canale di invio; defaults from the referrer's organization kind.
    pub source: Option<ReferralSource>,
    /// Bisogni: one or more, no repeats.
    #[validate(length(min = 1, max = 8))]
    #[schema(min_items = 1, max_items = 8)]
    pub needs: Vec<Need>,
    /// Motivazione.
    #[validate(length(min = 3, max = 4000))]
    #[schema(min_length = 3, max_length = 4000)]
    pub reason: String,
    /// Default `normal`.
    pub urgency: Option<Urgency>,
    /// Coordinator only, recording a referral that reached the Ufficio di Piano by phone,
    /// letter, e-mail or in person: the sending service (ente segnalante) of the district.
    /// Referrers may leave it out or send their own organization.
    #[schema(value_type = Option<String>, max_length = 64)]
    pub organization_id: Option<OrganizationId>,
    /// Coordinator only, with `organization_id`: how the referral arrived (canale di
    /// ricezione). Such a referral is sent to the table at once.
    pub received_via: Option<ReceivedVia>,
    /// Why the person is referred although another referral of theirs is open at the table
    /// (submitted, scheduled, deferred or with information requested); without it such a
    /// referral is `409 open_referral_exists`.
    #[validate(length(min = 3, max = 2000))]
    #[schema(min_length = 3, max_length = 2000)]
    pub duplicate_reason: Option<String>,
    /// Coordinator only, recording a referral on behalf of a service: why it goes to the table
    /// though the person's privacy notice (informativa) is not recorded; kept in the audit
    /// trail. Without it such a referral is `409 notice_missing`.
    #[validate(length(min = 3, max = 2000))]
    #[schema(min_length = 3, max_length = 2000)]
    pub notice_override_reason: Option<String>,
}

/// Changes to a draft (or a referral sent back for information).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct ReferralPatch {
    /// New channel (canale di invio): `social_worker`, `front_desk`, `cpi` or `territory`.
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub source: Option<ReferralSource>,
    /// New needs (bisogni): replaces the list; one or more, no repeats.
    #[validate(length(min = 1, max = 8))]
    #[schema(nullable = false, min_items = 1, max_items = 8)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub needs: Option<Vec<Need>>,
    /// New reason (motivazione) for the referral.
    #[validate(length(min = 3, max = 4000))]
    #[schema(nullable = false, min_length = 3, max_length = 4000)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub reason: Option<String>,
    /// New urgency (urgenza).
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub urgency: Option<Urgency>,
    /// Why it is sent although another referral of the person is open at the table; `null`
    /// clears it.
    #[validate(length(min = 3, max = 2000))]
    #[schema(min_length = 3, max_length = 2000, value_type = Option<String>)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    pub duplicate_reason: Option<Option<String>>,
}

/// Why an action is taken (optional unless stated).
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
pub struct ActionNote {
    /// Motivazione, recorded with the transition.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
}

/// What a referrer may know of the case its referral became: no diary.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct CaseSummary {
    /// Identifier of the case (presa in carico), a UUID.
    pub id: String,
    /// The case's state.
    pub status: CaseStatus,
    /// The accredited agency (ente accreditato) following the person.
    pub agency: OrgSummary,
    /// Esito, once closed.
    pub outcome: Option<Outcome>,
    /// When the case was closed (RFC 3339, UTC).
    pub closed_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A referral.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct ReferralOut {
    /// Identifier of the referral (segnalazione), a UUID.
    pub id: String,
    /// The person (cittadino) referred.
    pub person: PersonSummary,
    /// The referring organization.
    pub organization: OrgSummary,
    /// Who wrote it: a user id, or `client:<id>` for an integration client.
    pub created_by: String,
    /// Canale di invio: `social_worker`, `front_desk`, `cpi` or `territory`.
    pub source: ReferralSource,
    /// Bisogni of the person.
    pub needs: Vec<Need>,
    /// Motivazione of the referral.
    pub reason: String,
    /// Urgenza.
    pub urgency: Urgency,
    /// Stato: `draft`, `submitted`, `scheduled`, `deferred`, `info_requested`, `accepted`, `rejected`, `redirected` or `withdrawn`.
    pub status: ReferralStatus,
    /// The table's reason for the last decision (rejection, redirection, request for information, deferral).
    pub status_note: Option<String>,
    /// The meeting that has it (or had it) on its agenda.
    pub meeting_id: Option<String>,
    /// How it reached the Ufficio di Piano, when the coordinator recorded it on behalf of the
    /// sending service (`created_by` is then the coordinator).
    pub received_via: Option<ReceivedVia>,
    /// Why it was sent although another referral of the person was open at the table.
    pub duplicate_reason: Option<String>,
    /// When it was last sent to the table (RFC 3339, UTC).
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The case it became, once accepted.
    pub case: Option<CaseSummary>,
    /// Its transitions, oldest first (single-referral reads only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub history: Option<Vec<StateChangeOut>>,
    /// What you may do with it now.
    pub allowed_actions: Vec<Action>,
    /// What your role could do, but the referral's state forbids now, and why.
    pub blocked_actions: Vec<BlockedAction>,
    /// When it was created (RFC 3339, UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it last changed (RFC 3339, UTC); its version is the `ETag`.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

fn facts(r: &Referral) -> ReferralFacts<'_> {
    ReferralFacts {
        district_id: &r.district_id,
        organization_id: &r.organization_id,
        status: r.status,
    }
}

pub fn out(
    conn: &mut DbConn,
    cx: &Ctx,
    r: Referral,
    with_history: bool,
) -> Result<ReferralOut, Error> {
    let related = Related::for_referrals(conn, std::slice::from_ref(&r))?;
    out_with(conn, cx, &related, r, with_history)
}

/// `out` with what the referral shows already loaded (for pages: see [`Related`]).
pub fn out_with(
    conn: &mut DbConn,
    cx: &Ctx,
    related: &Related,
    r: Referral,
    with_history: bool,
) -> Result<ReferralOut, Error> {
    let person = related.person(&r.person_id)?;
    let case = match related.case_of(&r.id) {
        Some(c) => Some(CaseSummary {
            agency: OrgSummary {
                name: related.org_name(&c.agency_id)?,
                id: c.agency_id.clone().into(),
            },
            status: c.status,
            outcome: c.outcome,
            closed_at: c.closed_at.map(utc),
            id: c.id.clone().into(),
        }),
        None => None,
    };
    let history = if with_history {
        Some(
            audit::history(conn, "referral", &[r.id.to_string()])?
                .into_iter()
                .map(Into::into)
                .collect(),
        )
    } else {
        None
    };
    let (allowed_actions, blocked_actions) =
        cx.render(policy::referral_actions(cx.actor, &facts(&r)));
    Ok(ReferralOut {
        person: person.into(),
        organization: OrgSummary {
            name: related.org_name(&r.organization_id)?,
            id: r.organization_id.clone().into(),
        },
        source: r.source,
        needs: r.needs,
        urgency: r.urgency,
        status: r.status,
        submitted_at: r.submitted_at.map(utc),
        created_at: utc(r.created_at),
        updated_at: utc(r.updated_at),
        case,
        history,
        allowed_actions,
        blocked_actions,
        id: r.id.into(),
        created_by: r.created_by,
        reason: r.reason,
        status_note: r.status_note,
        meeting_id: r.meeting_id.map(Into::into),
        received_via: r.received_via,
        duplicate_reason: r.duplicate_reason,
    })
}

fn default_source(kind: OrganizationKind) -> ReferralSource {
    match kind {
        OrganizationKind::SocialService => ReferralSource::SocialWorker,
        OrganizationKind::FrontDesk => ReferralSource::FrontDesk,
        OrganizationKind::Cpi => ReferralSource::Cpi,
        _ => ReferralSource::Territory,
    }
}

fn unique_needs(needs: &[Need]) -> Result<(), Error> {
    let mut seen = Vec::new();
    for (i, n) in needs.iter().enumerate() {
        if seen.contains(n) {
            return Err(Error::validation(
                &format!("needs[{i}]"),
                "duplicate",
                text!("{n} è indicato due volte", "{n} is listed twice"),
            ));
        }
        seen.push(*n);
    }
    Ok(())
}

/// Filters of the referral list.
#[derive(Debug, Clone, Default)]
pub struct ReferralQuery {
    pub status: Option<ReferralStatus>,
    pub source: Option<ReferralSource>,
    /// Coordinator only: one organization's (referrers always see their own).
    pub organization_id: Option<String>,
    pub person_id: Option<String>,
    /// Created on or after this day.
    pub from: Option<chrono::NaiveDate>,
    /// Created on or before this day.
    pub to: Option<chrono::NaiveDate>,
}

/// Referrals the caller may see, by id (oldest first).
pub fn list(
    conn: &mut DbConn,
    cx: &Ctx,
    q: ReferralQuery,
    page: &PageRequest,
) -> Result<Page<ReferralOut>, Error> {
    let scope = policy::referral_scope(cx.actor)?;
    let filter = ReferralFilter {
        organization_id: match &scope {
            ReferralScope::District => q.organization_id.map(Into::into),
            ReferralScope::Organization(o) => Some(o.clone()),
        },
        statuses: q.status.into_iter().collect(),
        source: q.source,
        person_id: q.person_id.map(Into::into),
        created_from: q.from.and_then(|d| d.and_hms_opt(0, 0, 0)),
        created_to: q
            .to
            .and_then(|d| d.succ_opt())
            .and_then(|d| d.and_hms_opt(0, 0, 0)),
        exclude_drafts: scope == ReferralScope::District,
        hide_restricted: !policy::sees_restricted(cx.actor),
    };
    let rows = Referral::list(
        conn,
        cx.actor.district()?,
        &filter,
        page.after(),
        page.limit,
    )?;
    let related = Related::for_referrals(conn, &rows)?;
    Page::of(
        rows,
        page.limit,
        |r| r.id.clone().into(),
        |r| out_with(conn, cx, &related, r, false),
    )
}

pub fn create(conn: &mut DbConn, cx: &Ctx, i: ReferralInput) -> Result<ReferralOut, Error> {
    let own = policy::may_create_referral(cx.actor)?.cloned();
    let district = cx.actor.district()?.clone();
    unique_needs(&i.needs)?;
    let on_behalf = own.is_none();
    if !on_behalf && i.received_via.is_some() {
        return Err(Error::validation(
            "received_via",
            "not_allowed",
            text!(
                "solo l'Ufficio di Piano registra segnalazioni ricevute per conto di un servizio",
                "only the Ufficio di Piano records referrals received on behalf of a service"
            ),
        ));
    }
    if !on_behalf && i.notice_override_reason.is_some() {
        return Err(Error::validation(
            "notice_override_reason",
            "not_allowed",
            text!(
                "solo l'Ufficio di Piano invia una segnalazione senza informativa resa",
                "only the Ufficio di Piano sends a referral without the notice recorded"
            ),
        ));
    }
    let org_id = match (&own, &i.organization_id) {
        (Some(own), Some(given)) if own != given => {
            return Err(Error::validation(
                "organization_id",
                "not_allowed",
                text!(
                    "un segnalante invia solo per il proprio ente",
                    "a referrer sends only for its own organization"
                ),
            ))
        }
        (Some(own), _) => own.clone(),
        (None, Some(given)) => given.clone(),
        (None, None) => {
            return Err(Error::validation(
                "organization_id",
                "required",
                text!(
                    "indica il servizio che ha inviato la segnalazione",
                    "name the service that sent the referral"
                ),
            ))
        }
    };
    if on_behalf && i.received_via.is_none() {
        return Err(Error::validation(
            "received_via",
            "required",
            text!(
                "indica come è arrivata la segnalazione",
                "say how the referral arrived"
            ),
        ));
    }
    write_tx(conn, |conn| {
        // Any person of the district may be referred (the referrer may have found them by
        // tax code); the referral then makes the person visible to the referrer.
        let person = Person::find(conn, &i.person_id)
            .ok()
            .filter(|p| p.district_id == district)
            .ok_or_else(|| {
                Error::validation(
                    "person_id",
                    "unknown",
                    text!(
                        "nessuna persona dell'Ambito ha questo identificativo",
                        "no person of the district has this id"
                    ),
                )
            })?;
        let org = Organization::find(conn, &org_id)
            .ok()
            .filter(|o| o.district_id == district && o.kind != OrganizationKind::PlanningOffice)
            .ok_or_else(|| {
                Error::validation(
                    "organization_id",
                    "unknown",
                    text!(
                        "nessun servizio dell'Ambito ha questo identificativo",
                        "no service of the district has this id"
                    ),
                )
            })?;
        let duplicate_reason = i
            .duplicate_reason
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from);
        let notice_override = if on_behalf {
            // Sent to the table at once: the same checks as a submit.
            no_open_referral(conn, cx, &person.id, None, duplicate_reason.as_deref())?;
            super::privacy::notice_check(conn, cx, &person.id, i.notice_override_reason.as_deref())?
        } else {
            None
        };
        let at = cx.now.at;
        let mut r = Referral {
            id: new_id(),
            district_id: district.clone(),
            person_id: person.id,
            organization_id: org_id.clone(),
            created_by: cx.actor.id.clone(),
            source: i.source.unwrap_or_else(|| default_source(org.kind)),
            needs: i.needs.clone(),
            reason: i.reason.trim().into(),
            urgency: i.urgency.unwrap_or(Urgency::Normal),
            status: ReferralStatus::Draft,
            meeting_id: None,
            status_note: None,
            submitted_at: None,
            created_at: at,
            updated_at: at,
            received_via: i.received_via,
            duplicate_reason,
        };
        Referral::insert(conn, &r)?;
        audit::record(
            conn,
            Transition {
                entity_type: "referral",
                entity_id: r.id.as_str(),
                action: "create",
                from: None,
                to: r.status.as_str(),
                reason: i.received_via.map(|v| v.as_str()),
                actor_id: Some(&cx.actor.id),
                at,
            },
        )?;
        if on_behalf {
            if let Some(why) = &notice_override {
                record_notice_override(conn, cx, &r, why)?;
            }
            send_to_table(conn, cx, &mut r, None)?;
        }
        out(conn, cx, r, false)
    })
}

/// `409 open_referral_exists` when the person has another referral open at the table and no
/// `duplicate_reason` is given. To a caller who may see that referral the answer names its
/// state and sender (and its id as `existing_id`); to any other, only that one is open and
/// whom to ask (the Ufficio di Piano). Holds the person's row so that two referrals of the
/// same person cannot both pass the check at once.
fn no_open_referral(
    conn: &mut DbConn,
    cx: &Ctx,
    person_id: &PersonId,
    except: Option<&ReferralId>,
    duplicate_reason: Option<&str>,
) -> Result<(), Error> {
    Person::lock(conn, person_id)?;
    let open = Referral::open_of_person(conn, person_id, except)?;
    let Some(first) = open.first() else {
        return Ok(());
    };
    if duplicate_reason.is_some() {
        return Ok(());
    }
    if policy::sees_referral(cx.actor, &facts(first)) {
        let sender = Organization::find(conn, &first.organization_id)?.name;
        let state_it = state_label("referral", first.status.as_str(), Lang::It);
        let state_en = state_label("referral", first.status.as_str(), Lang::En);
        return Err(Error::Conflict {
            code: ErrorCode::OpenReferralExists,
            detail: text!(
                "la persona ha già una segnalazione aperta al Tavolo ({state_it}, inviata da {sender}): aggiungi informazioni a quella, oppure indica duplicate_reason",
                "the person already has a referral open at the table ({state_en}, sent by {sender}): add to it, or give duplicate_reason"
            ),
            existing_id: Some(first.id.to_string()),
        });
    }
    let office =
        Organization::ids_of_kind(conn, &first.district_id, OrganizationKind::PlanningOffice)?
            .first()
            .map(|id| Organization::find(conn, id).map(|o| o.name))
            .transpose()?
            .unwrap_or_else(|| "Ufficio di Piano".to_string());
    Err(Error::conflict(
        ErrorCode::OpenReferralExists,
        text!(
            "per questa persona è già aperta una segnalazione al Tavolo: per informazioni rivolgiti a {office}, oppure indica duplicate_reason",
            "a referral of this person is already open at the table: ask {office}, or give duplicate_reason"
        ),
    ))
}

/// A referral the caller may see (else `404`), at the version the caller expects (else
/// `412`/`428`, checked only once it is known visible).
pub fn visible(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ReferralId,
    expected: &Expected,
) -> Result<Referral, Error> {
    let r = Referral::find(conn, id).map_err(|_| Error::hidden())?;
    if !policy::sees_referral(cx.actor, &facts(&r)) {
        return Err(Error::hidden());
    }
    // A restricted person's referrals are the DPO's and the coordinator's only (art. 18).
    if !policy::sees_restricted(cx.actor) && Restriction::is_restricted(conn, &r.person_id)? {
        return Err(Error::hidden());
    }
    expected.check(Version::of(r.updated_at))?;
    Ok(r)
}

/// One referral with its history.
pub fn read(conn: &mut DbConn, cx: &Ctx, id: &ReferralId) -> Result<ReferralOut, Error> {
    let r = visible(conn, cx, id, &Expected::Any)?;
    out(conn, cx, r, true)
}

/// Moves a referral to `to`, if nobody moved it first, and records who, when and why.
pub fn transition(
    conn: &mut DbConn,
    by: audit::By,
    r: &mut Referral,
    action: &str,
    to: ReferralStatus,
    reason: Option<&str>,
) -> Result<(), Error> {
    audit::move_to(conn, r, action, to, reason, by).map(drop)
}

pub fn update(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ReferralId,
    expected: &Expected,
    p: ReferralPatch,
) -> Result<ReferralOut, Error> {
    policy::may_write_referrals(cx.actor)?;
    if let Some(n) = &p.needs {
        unique_needs(n)?;
    }
    write_tx(conn, |conn| {
        let mut r = visible(conn, cx, id, expected)?;
        r.status.edit()?;
        let before = r.clone();
        if let Some(s) = p.source {
            r.source = s;
        }
        if let Some(n) = &p.needs {
            r.needs = n.clone();
        }
        if let Some(reason) = &p.reason {
            r.reason = reason.trim().into();
        }
        if let Some(u) = p.urgency {
            r.urgency = u;
        }
        if let Some(d) = &p.duplicate_reason {
            r.duplicate_reason = d
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from);
        }
        let changed = audit::changed_fields(&before, &r);
        if changed.is_empty() {
            return out(conn, cx, r, false);
        }
        r.updated_at = cx.now.at;
        audit::save_edit(conn, &r, &changed, cx.by())?;
        out(conn, cx, r, false)
    })
}

pub fn submit(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ReferralId,
    expected: &Expected,
    note: ActionNote,
) -> Result<ReferralOut, Error> {
    policy::may_write_referrals(cx.actor)?;
    write_tx(conn, |conn| {
        let mut r = visible(conn, cx, id, expected)?;
        r.status.submit()?;
        let person_id = r.person_id.clone();
        no_open_referral(
            conn,
            cx,
            &person_id,
            Some(&r.id),
            r.duplicate_reason.as_deref(),
        )?;
        super::privacy::notice_check(conn, cx, &person_id, None)?;
        send_to_table(conn, cx, &mut r, note.reason.as_deref())?;
        out(conn, cx, r, false)
    })
}

/// The coordinator sent the referral though the person's notice is not recorded: the audit
/// trail keeps who, when and why.
fn record_notice_override(
    conn: &mut DbConn,
    cx: &Ctx,
    r: &Referral,
    why: &str,
) -> Result<(), Error> {
    audit::record(
        conn,
        Transition {
            entity_type: "referral",
            entity_id: r.id.as_str(),
            action: "notice_override",
            from: Some(r.status.as_str()),
            to: r.status.as_str(),
            reason: Some(why),
            actor_id: Some(&cx.actor.id),
            at: cx.now.at,
        },
    )
}

/// Sends a draft (or a referral sent back for information) to the table: the transition, and
/// the event for the Ufficio di Piano and the sender.
fn send_to_table(
    conn: &mut DbConn,
    cx: &Ctx,
    r: &mut Referral,
    reason: Option<&str>,
) -> Result<(), Error> {
    let to = r.status.submit()?;
    r.submitted_at = Some(cx.now.at);
    r.meeting_id = None;
    transition(conn, cx.by(), r, "submit", to, reason)?;
    let mut to_orgs =
        Organization::ids_of_kind(conn, &r.district_id, OrganizationKind::PlanningOffice)?;
    to_orgs.push(r.organization_id.clone());
    events::emit(
        conn,
        cx.now,
        &r.district_id,
        EventType::ReferralSubmitted,
        events::data(&[
            ("referral_id", r.id.clone().into()),
            ("status", r.status.as_str().into()),
        ]),
        &to_orgs,
    )
}

pub fn withdraw(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ReferralId,
    expected: &Expected,
    note: ActionNote,
) -> Result<ReferralOut, Error> {
    policy::may_write_referrals(cx.actor)?;
    write_tx(conn, |conn| {
        let mut r = visible(conn, cx, id, expected)?;
        let to = r.status.withdraw()?;
        transition(
            conn,
            cx.by(),
            &mut r,
            "withdraw",
            to,
            note.reason.as_deref(),
        )?;
        out(conn, cx, r, false)
    })
}
