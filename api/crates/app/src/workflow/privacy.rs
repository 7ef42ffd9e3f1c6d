//! The legal basis of processing (GDPR art. 6, 7, 13): the district's privacy notices,
//! versioned per purpose; per person, the notices given and the consents collected, their
//! withdrawal (which stops what they covered), and the check a referral passes before it is
//! sent to the table.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use sistema_lavoro_domain::actions::{Action, BlockedAction};
use sistema_lavoro_domain::ids::{ConsentId, DocumentId, PersonId, PrivacyNoticeId};
use sistema_lavoro_domain::policy;
use sistema_lavoro_domain::privacy::{ConsentKind, ConsentMethod, ConsentStatus, PrivacyPurpose};
use sistema_lavoro_domain::{text, Error, ErrorCode, Expected, FieldError};
use sistema_lavoro_store::audit::{self, Transition};
use sistema_lavoro_store::cases::Case;
use sistema_lavoro_store::collective::Beneficiary;
use sistema_lavoro_store::persons::Person;
use sistema_lavoro_store::privacy::{self as store, Consent, Notice};
use sistema_lavoro_store::referrals::Referral;
use sistema_lavoro_store::{documents, new_id, utc, write_tx, DbConn};

use super::{persons, Page};
use crate::Ctx;

// -------------------------------------------------------------------- notices

/// A new version of a privacy notice (informativa) for one purpose.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"purpose": "referral_and_case", "title": "Informativa sui servizi di inclusione",
    "body": "Il Comune capofila dell'Ambito tratta i dati…", "valid_from": "2026-01-01"}))]
pub struct NoticeInput {
    /// Finalità: what the notice informs about.
    pub purpose: PrivacyPurpose,
    /// Titolo.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    /// The text of the notice as given to the person (art. 13: controller, purposes, basis,
    /// recipients, retention, rights).
    #[validate(length(min = 1, max = 20000))]
    #[schema(min_length = 1, max_length = 20000)]
    pub body: String,
    /// In force from this day (until a later version's); not before the current version's.
    pub valid_from: NaiveDate,
}

/// A version of a privacy notice (informativa).
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct NoticeOut {
    /// Identifier of this version, a UUID.
    pub id: String,
    /// The district (Ambito) whose notice it is.
    pub district_id: String,
    /// Finalità del trattamento.
    pub purpose: PrivacyPurpose,
    /// The purpose, in the caller's language.
    pub purpose_label: String,
    /// Whether consent is the legal basis of the purpose (else the notice alone).
    pub needs_consent: bool,
    /// 1, 2, … per purpose.
    pub version: i32,
    /// Titolo.
    pub title: String,
    /// Testo.
    pub body: String,
    /// In force from this day.
    pub valid_from: NaiveDate,
    /// Whether it is the version in force today for its purpose.
    pub current: bool,
    /// Who wrote it (user id).
    pub created_by: String,
    /// When (RFC 3339, UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
}

fn notice_out(cx: &Ctx, n: Notice, current: bool) -> NoticeOut {
    NoticeOut {
        id: n.id.into(),
        district_id: n.district_id.into(),
        purpose_label: n.purpose.label(cx.lang).to_string(),
        needs_consent: n.purpose.needs_consent(),
        purpose: n.purpose,
        version: n.version,
        title: n.title,
        body: n.body,
        valid_from: n.valid_from,
        current,
        created_by: n.created_by,
        created_at: utc(n.created_at),
    }
}

fn trimmed(field: &str, s: &str, errors: &mut Vec<FieldError>) -> String {
    let t = s.trim();
    if t.is_empty() {
        errors.push(FieldError::required(field));
    }
    t.to_string()
}

/// Earliest and latest day a notice or consent may name.
fn bounded(field: &str, d: NaiveDate, errors: &mut Vec<FieldError>) {
    let lo = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(d);
    let hi = NaiveDate::from_ymd_opt(2200, 12, 31).unwrap_or(d);
    if d < lo || d > hi {
        errors.push(FieldError::new(
            field,
            "range",
            text!(
                "deve essere compresa tra il 01/01/2000 e il 31/12/2200",
                "must be between 2000-01-01 and 2200-12-31"
            ),
        ));
    }
}

/// Writes a new version of the district's notice for a purpose: the coordinator.
pub fn create_notice(conn: &mut DbConn, cx: &Ctx, i: NoticeInput) -> Result<NoticeOut, Error> {
    let district = policy::may_write_notices(cx.actor)?.clone();
    let mut errors = Vec::new();
    let title = trimmed("title", &i.title, &mut errors);
    let body = trimmed("body", &i.body, &mut errors);
    bounded("valid_from", i.valid_from, &mut errors);
    write_tx(conn, |conn| {
        let all = Notice::of_district(conn, &district)?;
        if let Some(last) = all
            .iter()
            .filter(|n| n.purpose == i.purpose)
            .max_by_key(|n| n.version)
        {
            if i.valid_from < last.valid_from {
                errors.push(FieldError::new(
                    "valid_from",
                    "before_previous",
                    text!(
                        "non può precedere l'entrata in vigore della versione {v} ({d})",
                        "cannot precede the start of version {v} ({d})",
                        v = last.version,
                        d = last.valid_from
                    ),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(Error::Validation(std::mem::take(&mut errors)));
        }
        let n = Notice {
            id: new_id(),
            district_id: district.clone(),
            purpose: i.purpose,
            version: Notice::next_version(conn, &district, i.purpose)?,
            title,
            body,
            valid_from: i.valid_from,
            created_by: cx.actor.id.clone(),
            created_at: cx.now.at,
        };
        Notice::insert(conn, &n)?;
        audit::record(
            conn,
            Transition {
                entity_type: "privacy_notice",
                entity_id: n.id.as_str(),
                action: "create",
                from: None,
                to: "published",
                reason: None,
                actor_id: Some(&cx.actor.id),
                at: cx.now.at,
            },
        )?;
        let current = n.valid_from <= cx.now.today;
        Ok(notice_out(cx, n, current))
    })
}

/// The district's notices by purpose and version; `current` keeps those in force today.
pub fn list_notices(conn: &mut DbConn, cx: &Ctx, current: bool) -> Result<Page<NoticeOut>, Error> {
    let district = policy::may_read_notices(cx.actor)?.clone();
    let all = Notice::of_district(conn, &district)?;
    let in_force: Vec<PrivacyNoticeId> = store::in_force(&all, cx.now.today)
        .into_iter()
        .map(|n| n.id.clone())
        .collect();
    Ok(Page::whole(
        all.into_iter()
            .filter_map(|n| {
                let now = in_force.contains(&n.id);
                (!current || now).then(|| notice_out(cx, n, now))
            })
            .collect(),
    ))
}

// ------------------------------------------------------------------- consents

/// A notice given to the person, or a consent the person gave.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"kind": "notice", "notice_id": "0190a1b2-…", "method": "in_person"}))]
pub struct ConsentInput {
    /// `notice` (informativa resa) or `consent` (consenso prestato).
    pub kind: ConsentKind,
    /// The notice given (required for `notice`: a version in force today); for a consent, the
    /// notice it was collected on, if any.
    #[schema(value_type = Option<String>, max_length = 64)]
    pub notice_id: Option<PrivacyNoticeId>,
    /// The purpose consented to (required for `consent`: one whose basis is consent); a
    /// notice's is its notice's.
    pub purpose: Option<PrivacyPurpose>,
    /// How: in person, signed paper, phone, online, by the guardian.
    pub method: ConsentMethod,
    /// The signed paper, already attached to one of the person's referrals or cases.
    #[schema(value_type = Option<String>, max_length = 64)]
    pub document_id: Option<DocumentId>,
    /// A consent's last day, if it has an end; after it the consent is `expired`.
    pub expires_on: Option<NaiveDate>,
}

/// Why a consent is withdrawn.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
pub struct WithdrawConsentInput {
    /// Motivazione or how the person asked (optional).
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
}

/// A notice given to a person or a consent the person gave, with its lifecycle.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct ConsentOut {
    /// Identifier, a UUID.
    pub id: String,
    /// The person (cittadino).
    pub person_id: String,
    /// `notice` or `consent`.
    pub kind: ConsentKind,
    /// Finalità.
    pub purpose: PrivacyPurpose,
    /// The purpose, in the caller's language.
    pub purpose_label: String,
    /// The notice's version given (for a notice), or the one a consent was collected on.
    pub notice_id: Option<String>,
    /// The notice's version number, when a notice is named.
    pub notice_version: Option<i32>,
    /// How it was given.
    pub method: ConsentMethod,
    /// The signed paper (a document of the person's referral or case).
    pub document_id: Option<String>,
    /// `given`, `withdrawn` or `expired` (by the clock, after `expires_on`).
    pub status: ConsentStatus,
    /// When it was given (RFC 3339, UTC).
    pub given_at: chrono::DateTime<chrono::Utc>,
    /// Who recorded it (user or client id).
    pub given_by: String,
    /// Its last day, if it has an end.
    pub expires_on: Option<NaiveDate>,
    /// When it was withdrawn (RFC 3339, UTC).
    pub withdrawn_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Who recorded the withdrawal.
    pub withdrawn_by: Option<String>,
    /// Why, as recorded.
    pub withdrawal_reason: Option<String>,
    /// What you may do with it now (`withdraw` for a consent in force).
    pub allowed_actions: Vec<Action>,
    /// Actions your role could take but are refused now, each with its reason.
    pub blocked_actions: Vec<BlockedAction>,
}

fn status_of(c: &Consent, today: NaiveDate) -> ConsentStatus {
    ConsentStatus::on(c.withdrawn_at.is_some(), c.expires_on, today)
}

fn consent_out(conn: &mut DbConn, cx: &Ctx, c: Consent) -> Result<ConsentOut, Error> {
    let status = status_of(&c, cx.now.today);
    let mut actions = policy::consent_actions(cx.actor, status);
    if c.kind == ConsentKind::Notice {
        actions = Default::default();
    }
    let (allowed_actions, blocked_actions) = cx.render(actions);
    let notice_version = match &c.notice_id {
        Some(n) => Some(Notice::find(conn, n)?.version),
        None => None,
    };
    Ok(ConsentOut {
        id: c.id.into(),
        person_id: c.person_id.into(),
        kind: c.kind,
        purpose_label: c.purpose.label(cx.lang).to_string(),
        purpose: c.purpose,
        notice_id: c.notice_id.map(Into::into),
        notice_version,
        method: c.method,
        document_id: c.document_id,
        status,
        given_at: utc(c.given_at),
        given_by: c.given_by,
        expires_on: c.expires_on,
        withdrawn_at: c.withdrawn_at.map(utc),
        withdrawn_by: c.withdrawn_by,
        withdrawal_reason: c.withdrawal_reason,
        allowed_actions,
        blocked_actions,
    })
}

/// The person whose legal basis the caller reads: the DPO any of its district; the others
/// the persons they see (else `404`).
fn readable_person(conn: &mut DbConn, cx: &Ctx, id: &PersonId) -> Result<Person, Error> {
    if policy::reads_legal_basis_of_district(cx.actor) {
        let p = Person::find(conn, id).map_err(|_| Error::hidden())?;
        if !cx.actor.in_district(&p.district_id) {
            return Err(Error::hidden());
        }
        return Ok(p);
    }
    persons::visible(conn, cx, id, &Expected::Any)
}

/// The person's notices and consents, oldest first.
pub fn list(conn: &mut DbConn, cx: &Ctx, id: &PersonId) -> Result<Page<ConsentOut>, Error> {
    let p = readable_person(conn, cx, id)?;
    let rows = Consent::of_person(conn, &p.id)?;
    let items = rows
        .into_iter()
        .map(|c| consent_out(conn, cx, c))
        .collect::<Result<_, _>>()?;
    Ok(Page::whole(items))
}

fn unknown(field: &str) -> FieldError {
    FieldError::new(
        field,
        "unknown",
        text!(
            "nessun elemento dell'Ambito ha questo identificativo",
            "no record of the district has this id"
        ),
    )
}

/// Whether a document is attached to one of the person's referrals or cases.
fn document_of_person(conn: &mut DbConn, doc: &DocumentId, p: &Person) -> Result<bool, Error> {
    let Ok(meta) = documents::find(conn, doc) else {
        return Ok(false);
    };
    if let Some(r) = meta.referral_id() {
        return Ok(Referral::find(conn, &r).is_ok_and(|r| r.person_id == p.id));
    }
    if let Some(c) = meta.case_id() {
        return Ok(Case::find(conn, &c).is_ok_and(|c| c.person_id == p.id));
    }
    Ok(false)
}

/// Records a notice given or a consent collected.
pub fn record(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &PersonId,
    i: ConsentInput,
) -> Result<ConsentOut, Error> {
    policy::may_record_legal_basis(cx.actor)?;
    write_tx(conn, |conn| {
        let p = persons::visible(conn, cx, id, &Expected::Any)?;
        let mut errors = Vec::new();
        let notice = match &i.notice_id {
            None => None,
            Some(n) => match Notice::find(conn, n) {
                Ok(n) if n.district_id == p.district_id => Some(n),
                _ => {
                    errors.push(unknown("notice_id"));
                    None
                }
            },
        };
        let purpose = match i.kind {
            ConsentKind::Notice => {
                if i.notice_id.is_none() {
                    errors.push(FieldError::required("notice_id"));
                }
                if i.expires_on.is_some() {
                    errors.push(FieldError::new(
                        "expires_on",
                        "not_allowed",
                        text!(
                            "un'informativa resa non scade: la scadenza vale solo per i consensi",
                            "a notice given does not expire: only consents have an end"
                        ),
                    ));
                }
                if let Some(n) = &notice {
                    let all = Notice::of_district(conn, &p.district_id)?;
                    if !store::in_force(&all, cx.now.today)
                        .iter()
                        .any(|f| f.id == n.id)
                    {
                        errors.push(FieldError::new(
                            "notice_id",
                            "not_in_force",
                            text!(
                                "questa versione dell'informativa non è quella in vigore oggi",
                                "this version of the notice is not the one in force today"
                            ),
                        ));
                    }
                }
                notice.as_ref().map(|n| n.purpose)
            }
            ConsentKind::Consent => {
                match i.purpose {
                    None => errors.push(FieldError::required("purpose")),
                    Some(pu) if !pu.needs_consent() => errors.push(FieldError::new(
                        "purpose",
                        "no_consent_needed",
                        text!(
                            "per questa finalità la base giuridica non è il consenso: si registra l'informativa resa",
                            "consent is not the legal basis of this purpose: record the notice given"
                        ),
                    )),
                    Some(_) => {}
                }
                if let (Some(n), Some(pu)) = (&notice, i.purpose) {
                    if n.purpose != pu {
                        errors.push(FieldError::new(
                            "notice_id",
                            "other_purpose",
                            text!(
                                "l'informativa indicata riguarda un'altra finalità",
                                "the notice named is for another purpose"
                            ),
                        ));
                    }
                }
                if let Some(d) = i.expires_on {
                    bounded("expires_on", d, &mut errors);
                    if d < cx.now.today {
                        errors.push(FieldError::new(
                            "expires_on",
                            "past",
                            text!("non può essere nel passato", "cannot be in the past"),
                        ));
                    }
                }
                i.purpose
            }
        };
        if let Some(doc) = &i.document_id {
            if !document_of_person(conn, doc, &p)? {
                errors.push(FieldError::new(
                    "document_id",
                    "unknown",
                    text!(
                        "nessun documento delle segnalazioni o dei casi della persona ha questo identificativo",
                        "no document of the person's referrals or cases has this id"
                    ),
                ));
            }
        }
        let Some(purpose) = purpose.filter(|_| errors.is_empty()) else {
            errors.sort();
            return Err(Error::Validation(errors));
        };
        if i.kind == ConsentKind::Consent {
            if let Some(existing) = Consent::of_person(conn, &p.id)?.into_iter().find(|c| {
                c.kind == ConsentKind::Consent
                    && c.purpose == purpose
                    && status_of(c, cx.now.today) == ConsentStatus::Given
            }) {
                return Err(Error::Conflict {
                    code: ErrorCode::Duplicate,
                    detail: text!(
                        "la persona ha già un consenso in vigore per questa finalità",
                        "the person already has a consent in force for this purpose"
                    ),
                    existing_id: Some(existing.id.into()),
                });
            }
        }
        let c = Consent {
            id: new_id(),
            person_id: p.id.clone(),
            kind: i.kind,
            purpose,
            notice_id: i.notice_id.clone(),
            method: i.method,
            document_id: i.document_id.as_ref().map(|d| d.as_str().to_string()),
            given_at: cx.now.at,
            given_by: cx.actor.id.clone(),
            expires_on: i.expires_on,
            withdrawn_at: None,
            withdrawn_by: None,
            withdrawal_reason: None,
        };
        Consent::insert(conn, &c)?;
        audit::record(
            conn,
            Transition {
                entity_type: i.kind.as_str(),
                entity_id: c.id.as_str(),
                action: "give",
                from: None,
                to: "given",
                reason: Some(purpose.as_str()),
                actor_id: Some(&cx.actor.id),
                at: cx.now.at,
            },
        )?;
        consent_out(conn, cx, c)
    })
}

/// Withdraws a consent in force (art. 7.3), and stops what it covered: a withdrawn
/// `partnership_sharing` takes the person's cases out of every collective action.
pub fn withdraw(
    conn: &mut DbConn,
    cx: &Ctx,
    person: &PersonId,
    id: &ConsentId,
    i: WithdrawConsentInput,
) -> Result<ConsentOut, Error> {
    policy::may_record_legal_basis(cx.actor)?;
    write_tx(conn, |conn| {
        let p = persons::visible(conn, cx, person, &Expected::Any)?;
        let c = Consent::find(conn, id)
            .ok()
            .filter(|c| c.person_id == p.id)
            .ok_or_else(Error::hidden)?;
        let status = status_of(&c, cx.now.today);
        if c.kind == ConsentKind::Notice {
            return Err(Error::InvalidTransition {
                entity: "notice",
                action: "withdraw",
                from: "given".into(),
            });
        }
        if status != ConsentStatus::Given {
            return Err(Error::InvalidTransition {
                entity: "consent",
                action: "withdraw",
                from: status.as_str().into(),
            });
        }
        let reason = i
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        if !Consent::withdraw(conn, &c.id, &cx.actor.id, cx.now.at, reason)? {
            return Err(Error::conflict(
                ErrorCode::ConcurrentUpdate,
                text!(
                    "il consenso è stato revocato nel frattempo",
                    "the consent was withdrawn meanwhile"
                ),
            ));
        }
        audit::record(
            conn,
            Transition {
                entity_type: "consent",
                entity_id: c.id.as_str(),
                action: "withdraw",
                from: Some("given"),
                to: "withdrawn",
                reason,
                actor_id: Some(&cx.actor.id),
                at: cx.now.at,
            },
        )?;
        if c.purpose == PrivacyPurpose::PartnershipSharing {
            for b in store::current_beneficiaries(conn, &p.id)? {
                if Beneficiary::remove(conn, &b.id, &cx.actor.id, cx.now.at)? {
                    audit::record(
                        conn,
                        Transition {
                            entity_type: "collective_action_beneficiary",
                            entity_id: &b.id,
                            action: "remove",
                            from: None,
                            to: "removed",
                            reason: Some("consent_withdrawn"),
                            actor_id: Some(&cx.actor.id),
                            at: cx.now.at,
                        },
                    )?;
                }
            }
        }
        let c = Consent::find(conn, &c.id)?;
        consent_out(conn, cx, c)
    })
}

/// `409 notice_missing` unless the person was given the notice for referrals and cases; the
/// coordinator may send the referral anyway with `override_reason`, which the caller records
/// in the audit trail.
pub fn notice_check(
    conn: &mut DbConn,
    cx: &Ctx,
    person: &PersonId,
    override_reason: Option<&str>,
) -> Result<Option<String>, Error> {
    if Consent::notice_given(conn, person, PrivacyPurpose::ReferralAndCase)? {
        return Ok(None);
    }
    match override_reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => {
            policy::may_override_notice(cx.actor)?;
            Ok(Some(r.to_string()))
        }
        None => Err(Error::conflict(
            ErrorCode::NoticeMissing,
            text!(
                "alla persona non risulta resa l'informativa sui servizi di inclusione: \
                 registrarla prima di inviare la segnalazione",
                "the person has not been given the notice on inclusion services: record it \
                 before sending the referral"
            ),
        )),
    }
}
