//! The DPO's registers: the register of processing activities (art. 30), generated from the
//! product's catalogue (`domain::processing`) with the district's controller, its DPO and
//! the notes the DPO adapts per activity; and the data-breach register (art. 33.5) with the
//! 72-hour deadline computed from the clock.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use sistema_lavoro_domain::actions::{Action, BlockedAction};
use sistema_lavoro_domain::breaches::{
    BreachDataCategory, BreachSubjectCategory, Deadline, GaranteNotification, NOTIFICATION_HOURS,
};
use sistema_lavoro_domain::ids::DataBreachId;
use sistema_lavoro_domain::processing::{self, Activity, ProcessingActivityCode, Retention};
use sistema_lavoro_domain::{policy, text, Error, ErrorCode, Expected, FieldError, Version};
use sistema_lavoro_store::audit::{self, Transition};
use sistema_lavoro_store::audit_log::{self, NewEvent};
use sistema_lavoro_store::districts::District;
use sistema_lavoro_store::privacy_registers::{self as store, ActivityNote, Breach};
use sistema_lavoro_store::{new_id, utc, write_tx, DbConn};

use super::{Page, PageRequest};
use crate::pdf::{self, Block};
use crate::Ctx;

// ------------------------------------------------------- register of processing (art. 30)

/// A category of personal data an activity processes, and the fields that hold it.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct DataCategoryOut {
    /// Categoria di dati (Italian, as the register names it).
    pub label: String,
    /// Whether it is a special category (art. 9) or criminal-justice data (art. 10).
    pub special: bool,
    /// Where the product keeps it, as `table.column`.
    pub fields: Vec<String>,
}

/// One processing activity (trattamento) of the register, with the DPO's notes.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct ProcessingActivityOut {
    /// Codice del trattamento.
    pub code: ProcessingActivityCode,
    /// Nome del trattamento, in the caller's language.
    pub name: String,
    /// Finalità (Italian).
    pub purpose: String,
    /// Base giuridica (art. 6 GDPR).
    pub legal_basis: Vec<String>,
    /// Condizioni per le categorie particolari (art. 9) e i dati giudiziari (art. 10); empty
    /// when none are processed.
    pub special_categories_basis: Vec<String>,
    /// Categorie di dati personali, with the fields that hold them.
    pub data_categories: Vec<DataCategoryOut>,
    /// Categorie di interessati.
    pub data_subjects: Vec<String>,
    /// Destinatari, as the product shares the data.
    pub recipients: Vec<String>,
    /// Destinatari the DPO added for the district.
    pub recipients_extra: Option<String>,
    /// Trasferimenti verso paesi terzi.
    pub transfers: String,
    /// Termine di conservazione in the register: the DPO's override, else the catalogue's.
    pub retention: String,
    /// The catalogue's retention rule (with the audit log's configured days).
    pub retention_default: String,
    /// The DPO's retention for the district, replacing the catalogue's.
    pub retention_override: Option<String>,
    /// Misure di sicurezza tecniche e organizzative (art. 32).
    pub security_measures: Vec<String>,
    /// Note del RPD.
    pub notes: Option<String>,
    /// When the DPO last adapted it (RFC 3339, UTC); null while never adapted.
    pub updated_at: Option<DateTime<Utc>>,
    /// Who adapted it (user id).
    pub updated_by: Option<String>,
    /// What you may do with it (`edit` for the DPO).
    pub allowed_actions: Vec<Action>,
    /// Actions your role could take but are refused now, each with its reason.
    pub blocked_actions: Vec<BlockedAction>,
}

impl ProcessingActivityOut {
    /// Its version (the `ETag`): the DPO's last save, `0` while never adapted.
    pub fn version(&self) -> Version {
        self.updated_at
            .map(|t| Version::of(t.naive_utc()))
            .unwrap_or(Version(0))
    }
}

/// A data protection officer of the district, as the register names them.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct DpoContact {
    /// Nome e cognome.
    pub name: String,
    /// E-mail.
    pub email: String,
}

/// The register of processing activities (registro dei trattamenti, art. 30 GDPR).
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct ProcessingRegisterOut {
    /// The district (Ambito) whose register it is.
    pub district_id: String,
    /// Titolare del trattamento: the district (its Ufficio di Piano acts for it).
    pub controller: String,
    /// Responsabile della protezione dei dati: the district's DPO users.
    pub dpo_contacts: Vec<DpoContact>,
    /// When this copy was generated (RFC 3339, UTC).
    pub generated_at: DateTime<Utc>,
    /// The activities, in the catalogue's order.
    pub activities: Vec<ProcessingActivityOut>,
}

/// The DPO's notes on one activity (JSON Merge Patch: `null` clears a field).
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"notes": "Verificato con il Comune capofila il 01/12/2026.",
    "retention_override": "10 anni dalla chiusura del caso (delibera dell'Assemblea dei Sindaci n. 4/2026)"}))]
pub struct ActivityNotePatch {
    /// Note del RPD; `null` clears them.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[validate(length(max = 4000))]
    #[schema(max_length = 4000, value_type = Option<String>)]
    pub notes: Option<Option<String>>,
    /// Termine di conservazione for the district, replacing the catalogue's; `null` goes back
    /// to the catalogue's.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000, value_type = Option<String>)]
    pub retention_override: Option<Option<String>>,
    /// Destinatari the district adds (e.g. a municipality's contractor); `null` clears them.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000, value_type = Option<String>)]
    pub recipients_extra: Option<Option<String>>,
}

fn retention_default(a: &Activity) -> String {
    match a.retention {
        Retention::Fixed(s) => s.to_string(),
        Retention::AuditLog => "Il periodo di conservazione del registro degli accessi \
            (AUDIT_RETENTION_DAYS, predefinito 3650 giorni), poi archiviazione con \
            esportazione verificata (archive-audit)"
            .to_string(),
    }
}

fn activity_out(cx: &Ctx, a: &Activity, note: Option<&ActivityNote>) -> ProcessingActivityOut {
    let (allowed_actions, blocked_actions) = cx.render(policy::privacy_register_actions(cx.actor));
    let default = retention_default(a);
    let over = note.and_then(|n| n.retention_override.clone());
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    ProcessingActivityOut {
        code: a.code,
        name: a.name(cx.lang).to_string(),
        purpose: a.purpose.to_string(),
        legal_basis: strings(a.legal_basis),
        special_categories_basis: strings(a.special_basis),
        data_categories: a
            .data_categories
            .iter()
            .map(|c| DataCategoryOut {
                label: c.label.to_string(),
                special: c.special,
                fields: strings(c.fields),
            })
            .collect(),
        data_subjects: strings(a.data_subjects),
        recipients: strings(a.recipients),
        recipients_extra: note.and_then(|n| n.recipients_extra.clone()),
        transfers: a.transfers.to_string(),
        retention: over.clone().unwrap_or_else(|| default.clone()),
        retention_default: default,
        retention_override: over,
        security_measures: strings(a.security),
        notes: note.and_then(|n| n.notes.clone()),
        updated_at: note.map(|n| utc(n.updated_at)),
        updated_by: note.map(|n| n.updated_by.clone()),
        allowed_actions,
        blocked_actions,
    }
}

fn catalogue_entry(code: ProcessingActivityCode) -> Result<&'static Activity, Error> {
    processing::activity(code).ok_or_else(Error::hidden)
}

/// The district's register: the catalogue with the district's notes, its controller and DPO.
pub fn register(conn: &mut DbConn, cx: &Ctx) -> Result<ProcessingRegisterOut, Error> {
    let district = policy::may_read_privacy_registers(cx.actor)?.clone();
    let d = District::find(conn, &district)?;
    let notes = ActivityNote::of_district(conn, &district)?;
    let activities = processing::CATALOGUE
        .iter()
        .map(|a| {
            let note = notes.iter().find(|n| n.activity_code == a.code);
            activity_out(cx, a, note)
        })
        .collect();
    Ok(ProcessingRegisterOut {
        district_id: district.as_str().to_string(),
        controller: d.name,
        dpo_contacts: store::dpo_contacts(conn, &district)?
            .into_iter()
            .map(|(name, email)| DpoContact { name, email })
            .collect(),
        generated_at: cx.now.utc(),
        activities,
    })
}

/// One activity of the register.
pub fn activity(
    conn: &mut DbConn,
    cx: &Ctx,
    code: ProcessingActivityCode,
) -> Result<ProcessingActivityOut, Error> {
    let district = policy::may_read_privacy_registers(cx.actor)?.clone();
    let a = catalogue_entry(code)?;
    let note = ActivityNote::find(conn, &district, code)?;
    Ok(activity_out(cx, a, note.as_ref()))
}

fn kept_text(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The DPO adapts one activity (its notes, retention, added recipients), at the version read.
pub fn update_activity(
    conn: &mut DbConn,
    cx: &Ctx,
    code: ProcessingActivityCode,
    expected: &Expected,
    patch: ActivityNotePatch,
) -> Result<ProcessingActivityOut, Error> {
    let district = policy::may_keep_privacy_registers(cx.actor)?.clone();
    let a = catalogue_entry(code)?;
    write_tx(conn, |conn| {
        let before = ActivityNote::find(conn, &district, code)?;
        let version = before
            .as_ref()
            .map(|n| Version::of(n.updated_at))
            .unwrap_or(Version(0));
        expected.check(version)?;
        let mut n = before.clone().unwrap_or(ActivityNote {
            district_id: district.clone(),
            activity_code: code,
            notes: None,
            retention_override: None,
            recipients_extra: None,
            updated_by: cx.actor.id.clone(),
            updated_at: cx.now.at,
        });
        if let Some(v) = &patch.notes {
            n.notes = kept_text(v);
        }
        if let Some(v) = &patch.retention_override {
            n.retention_override = kept_text(v);
        }
        if let Some(v) = &patch.recipients_extra {
            n.recipients_extra = kept_text(v);
        }
        let mut changed = Vec::new();
        let old = before.as_ref();
        if old.and_then(|o| o.notes.clone()) != n.notes {
            changed.push("notes");
        }
        if old.and_then(|o| o.retention_override.clone()) != n.retention_override {
            changed.push("retention_override");
        }
        if old.and_then(|o| o.recipients_extra.clone()) != n.recipients_extra {
            changed.push("recipients_extra");
        }
        if changed.is_empty() {
            return Ok(activity_out(cx, a, before.as_ref()));
        }
        n.updated_by = cx.actor.id.clone();
        n.updated_at = cx.now.at;
        match &before {
            Some(b) => {
                if !ActivityNote::save_if(conn, &n, b.updated_at)? {
                    return Err(Error::conflict(
                        ErrorCode::ConcurrentUpdate,
                        text!(
                            "il trattamento è stato aggiornato nel frattempo: rileggerlo",
                            "the activity was updated meanwhile: read it again"
                        ),
                    ));
                }
            }
            None => ActivityNote::insert(conn, &n)?,
        }
        let entity = format!("{}:{}", district.as_str(), code.as_str());
        audit::record(
            conn,
            Transition {
                entity_type: "processing_activity",
                entity_id: &entity,
                action: "update",
                from: None,
                to: "updated",
                reason: Some(&changed.join(", ")),
                actor_id: Some(&cx.actor.id),
                at: cx.now.at,
            },
        )?;
        Ok(activity_out(cx, a, Some(&n)))
    })
}

fn bullets(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("• {i}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The register as an Italian PDF the DPO prints and signs.
pub fn register_pdf(r: &ProcessingRegisterOut) -> Vec<u8> {
    let mut b = vec![
        Block::Title("Registro delle attività di trattamento".into()),
        Block::Text("Art. 30 del Regolamento (UE) 2016/679 (GDPR)".into()),
        Block::Gap,
        Block::Field("Titolare del trattamento".into(), r.controller.clone()),
        Block::Field(
            "Responsabile della protezione dei dati".into(),
            if r.dpo_contacts.is_empty() {
                "non designato nel sistema".into()
            } else {
                r.dpo_contacts
                    .iter()
                    .map(|d| format!("{} <{}>", d.name, d.email))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ),
        Block::Field(
            "Generato il".into(),
            r.generated_at.format("%d/%m/%Y %H:%M UTC").to_string(),
        ),
    ];
    for (i, a) in r.activities.iter().enumerate() {
        b.push(Block::Gap);
        b.push(Block::Heading(format!("{}. {}", i + 1, a.name)));
        b.push(Block::Field("Codice".into(), a.code.as_str().into()));
        b.push(Block::Field("Finalità".into(), String::new()));
        b.push(Block::Text(a.purpose.clone()));
        b.push(Block::Field("Base giuridica".into(), String::new()));
        b.push(Block::Text(bullets(&a.legal_basis)));
        if !a.special_categories_basis.is_empty() {
            b.push(Block::Field(
                "Categorie particolari e dati giudiziari".into(),
                String::new(),
            ));
            b.push(Block::Text(bullets(&a.special_categories_basis)));
        }
        b.push(Block::Field("Categorie di dati".into(), String::new()));
        let cats: Vec<String> = a
            .data_categories
            .iter()
            .map(|c| format!("{} ({})", c.label, c.fields.join(", ")))
            .collect();
        b.push(Block::Text(bullets(&cats)));
        b.push(Block::Field(
            "Categorie di interessati".into(),
            String::new(),
        ));
        b.push(Block::Text(bullets(&a.data_subjects)));
        b.push(Block::Field("Destinatari".into(), String::new()));
        let mut rec = a.recipients.clone();
        if let Some(x) = &a.recipients_extra {
            rec.push(x.clone());
        }
        b.push(Block::Text(bullets(&rec)));
        b.push(Block::Field("Trasferimenti".into(), String::new()));
        b.push(Block::Text(a.transfers.clone()));
        b.push(Block::Field("Conservazione".into(), String::new()));
        b.push(Block::Text(a.retention.clone()));
        b.push(Block::Field("Misure di sicurezza".into(), String::new()));
        b.push(Block::Text(bullets(&a.security_measures)));
        if let Some(n) = &a.notes {
            b.push(Block::Field("Note del RPD".into(), String::new()));
            b.push(Block::Text(n.clone()));
        }
    }
    pdf::render("Registro delle attività di trattamento", &b)
}

// ------------------------------------------------------------ breach register (art. 33)

/// A personal data breach to record (violazione dei dati personali, art. 33).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"title": "Portatile smarrito", "description": "Un portatile di un operatore con un export in chiaro è stato smarrito in treno.",
    "occurred_at": "2026-12-01T08:00:00Z", "discovered_at": "2026-12-01T10:00:00Z",
    "data_categories": ["identity", "contacts"], "subject_categories": ["beneficiaries"],
    "subjects_affected": 40, "records_affected": 40,
    "consequences": "Possibile contatto indesiderato delle persone.",
    "measures_taken": "Account disattivato, password cambiate, disco cifrato verificato."}))]
pub struct BreachInput {
    /// Titolo breve.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    /// Che cosa è successo.
    #[validate(length(min = 1, max = 4000))]
    #[schema(min_length = 1, max_length = 4000)]
    pub description: String,
    /// When it happened (RFC 3339); not after `discovered_at`.
    pub occurred_at: DateTime<Utc>,
    /// When it was discovered (RFC 3339): the 72 hours start here; not in the future.
    pub discovered_at: DateTime<Utc>,
    /// Categorie di dati coinvolti (at least one).
    #[validate(length(min = 1, max = 8))]
    #[schema(min_items = 1, max_items = 8)]
    pub data_categories: Vec<BreachDataCategory>,
    /// Categorie di interessati (at least one).
    #[validate(length(min = 1, max = 3))]
    #[schema(min_items = 1, max_items = 3)]
    pub subject_categories: Vec<BreachSubjectCategory>,
    /// Numero approssimativo di interessati.
    #[validate(range(min = 0, max = 100000000))]
    #[schema(minimum = 0, maximum = 100000000)]
    pub subjects_affected: i32,
    /// Numero approssimativo di registrazioni coinvolte.
    #[validate(range(min = 0, max = 100000000))]
    #[schema(minimum = 0, maximum = 100000000)]
    pub records_affected: i32,
    /// Probabili conseguenze.
    #[validate(length(min = 1, max = 4000))]
    #[schema(min_length = 1, max_length = 4000)]
    pub consequences: String,
    /// Misure adottate o proposte.
    #[validate(length(min = 1, max = 4000))]
    #[schema(min_length = 1, max_length = 4000)]
    pub measures_taken: String,
    /// Notifica al Garante: `pending` (default), `notified` (with `garante_notified_at`) or
    /// `not_required` (with `notification_reason`).
    pub garante_notification: Option<GaranteNotification>,
    /// When the Garante was notified (RFC 3339); only with `notified`.
    pub garante_notified_at: Option<DateTime<Utc>>,
    /// Why the Garante is not notified, or why it was notified after the 72 hours: required
    /// then.
    #[validate(length(max = 4000))]
    #[schema(max_length = 4000)]
    pub notification_reason: Option<String>,
    /// When the data subjects were informed (art. 34), if they were.
    pub subjects_informed_at: Option<DateTime<Utc>>,
}

/// Changes to a breach (JSON Merge Patch with `If-Match`; `null` clears a nullable field).
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"garante_notification": "notified", "garante_notified_at": "2026-12-02T09:00:00Z"}))]
pub struct BreachPatch {
    /// Titolo breve.
    #[validate(length(min = 1, max = 200))]
    #[schema(nullable = false, min_length = 1, max_length = 200)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub title: Option<String>,
    /// Che cosa è successo.
    #[validate(length(min = 1, max = 4000))]
    #[schema(nullable = false, min_length = 1, max_length = 4000)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub description: Option<String>,
    /// When it happened.
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub occurred_at: Option<DateTime<Utc>>,
    /// When it was discovered.
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub discovered_at: Option<DateTime<Utc>>,
    /// Replaces the data categories.
    #[validate(length(min = 1, max = 8))]
    #[schema(nullable = false, min_items = 1, max_items = 8)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub data_categories: Option<Vec<BreachDataCategory>>,
    /// Replaces the categories of data subjects.
    #[validate(length(min = 1, max = 3))]
    #[schema(nullable = false, min_items = 1, max_items = 3)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub subject_categories: Option<Vec<BreachSubjectCategory>>,
    /// Numero approssimativo di interessati.
    #[validate(range(min = 0, max = 100000000))]
    #[schema(nullable = false, minimum = 0, maximum = 100000000)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub subjects_affected: Option<i32>,
    /// Numero approssimativo di registrazioni.
    #[validate(range(min = 0, max = 100000000))]
    #[schema(nullable = false, minimum = 0, maximum = 100000000)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub records_affected: Option<i32>,
    /// Probabili conseguenze.
    #[validate(length(min = 1, max = 4000))]
    #[schema(nullable = false, min_length = 1, max_length = 4000)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub consequences: Option<String>,
    /// Misure adottate.
    #[validate(length(min = 1, max = 4000))]
    #[schema(nullable = false, min_length = 1, max_length = 4000)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub measures_taken: Option<String>,
    /// Notifica al Garante.
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub garante_notification: Option<GaranteNotification>,
    /// When the Garante was notified; `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub garante_notified_at: Option<Option<DateTime<Utc>>>,
    /// Why not notified, or why late; `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[validate(length(max = 4000))]
    #[schema(max_length = 4000, value_type = Option<String>)]
    pub notification_reason: Option<Option<String>>,
    /// When the data subjects were informed; `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub subjects_informed_at: Option<Option<DateTime<Utc>>>,
}

/// An entry of the data-breach register (registro delle violazioni, art. 33.5 GDPR).
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct BreachOut {
    /// Identifier, a UUID.
    pub id: String,
    /// The district whose register it is.
    pub district_id: String,
    /// Titolo breve.
    pub title: String,
    /// Che cosa è successo.
    pub description: String,
    /// When it happened (RFC 3339, UTC).
    pub occurred_at: DateTime<Utc>,
    /// When it was discovered (RFC 3339, UTC).
    pub discovered_at: DateTime<Utc>,
    /// Categorie di dati coinvolti.
    pub data_categories: Vec<BreachDataCategory>,
    /// Categorie di interessati.
    pub subject_categories: Vec<BreachSubjectCategory>,
    /// Numero approssimativo di interessati.
    pub subjects_affected: i32,
    /// Numero approssimativo di registrazioni.
    pub records_affected: i32,
    /// Probabili conseguenze.
    pub consequences: String,
    /// Misure adottate.
    pub measures_taken: String,
    /// Notifica al Garante.
    pub garante_notification: GaranteNotification,
    /// When the Garante was notified.
    pub garante_notified_at: Option<DateTime<Utc>>,
    /// Why not notified, or why late.
    pub notification_reason: Option<String>,
    /// Termine per la notifica: discovered + 72 hours.
    pub notification_deadline: DateTime<Utc>,
    /// Notified after the deadline.
    pub notified_late: bool,
    /// Still `pending` and the deadline has passed (by the server's clock).
    pub overdue: bool,
    /// When the data subjects were informed (art. 34); null if they were not.
    pub subjects_informed_at: Option<DateTime<Utc>>,
    /// Who recorded it (user id).
    pub created_by: String,
    /// When (RFC 3339, UTC).
    pub created_at: DateTime<Utc>,
    /// Last change (RFC 3339, UTC): the version `If-Match` names.
    pub updated_at: DateTime<Utc>,
    /// What you may do with it (`edit` for the DPO).
    pub allowed_actions: Vec<Action>,
    /// Actions your role could take but are refused now, each with its reason.
    pub blocked_actions: Vec<BlockedAction>,
}

fn deadline(b: &Breach, now: DateTime<Utc>) -> Deadline {
    Deadline::of(
        utc(b.discovered_at),
        b.garante_notification,
        b.garante_notified_at.map(utc),
        now,
    )
}

fn breach_out(cx: &Ctx, b: Breach) -> BreachOut {
    let d = deadline(&b, cx.now.utc());
    let (allowed_actions, blocked_actions) = cx.render(policy::privacy_register_actions(cx.actor));
    BreachOut {
        id: b.id.into(),
        district_id: b.district_id.into(),
        title: b.title,
        description: b.description,
        occurred_at: utc(b.occurred_at),
        discovered_at: utc(b.discovered_at),
        data_categories: b.data_categories,
        subject_categories: b.subject_categories,
        subjects_affected: b.subjects_affected,
        records_affected: b.records_affected,
        consequences: b.consequences,
        measures_taken: b.measures_taken,
        garante_notification: b.garante_notification,
        garante_notified_at: b.garante_notified_at.map(utc),
        notification_reason: b.notification_reason,
        notification_deadline: d.deadline,
        notified_late: d.notified_late,
        overdue: d.overdue,
        subjects_informed_at: b.subjects_informed_at.map(utc),
        created_by: b.created_by,
        created_at: utc(b.created_at),
        updated_at: utc(b.updated_at),
        allowed_actions,
        blocked_actions,
    }
}

/// As stored: to the microsecond, which is what PostgreSQL keeps (SQLite would keep more).
fn naive(t: DateTime<Utc>) -> NaiveDateTime {
    use chrono::SubsecRound;
    t.trunc_subsecs(6).naive_utc()
}

fn dedup<T: Ord + Copy>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v.dedup();
    v
}

/// Every rule a breach record must satisfy, each as a field error (all at once).
fn check(b: &Breach, now: NaiveDateTime) -> Result<(), Error> {
    let mut errors = Vec::new();
    for (field, value) in [
        ("title", &b.title),
        ("description", &b.description),
        ("consequences", &b.consequences),
        ("measures_taken", &b.measures_taken),
    ] {
        if value.trim().is_empty() {
            errors.push(FieldError::required(field));
        }
    }
    if b.occurred_at > b.discovered_at {
        errors.push(FieldError::new(
            "occurred_at",
            "after_discovery",
            text!(
                "non può essere successiva alla scoperta",
                "cannot be after the discovery"
            ),
        ));
    }
    let future = || text!("non può essere nel futuro", "cannot be in the future");
    if b.discovered_at > now {
        errors.push(FieldError::new("discovered_at", "future", future()));
    }
    let before_discovery = || {
        text!(
            "non può precedere la scoperta della violazione",
            "cannot precede the discovery of the breach"
        )
    };
    match (b.garante_notification, b.garante_notified_at) {
        (GaranteNotification::Notified, None) => {
            errors.push(FieldError::required("garante_notified_at"))
        }
        (GaranteNotification::Notified, Some(at)) => {
            if at < b.discovered_at {
                errors.push(FieldError::new(
                    "garante_notified_at",
                    "before_discovery",
                    before_discovery(),
                ));
            }
            if at > now {
                errors.push(FieldError::new("garante_notified_at", "future", future()));
            }
        }
        (_, Some(_)) => errors.push(FieldError::new(
            "garante_notified_at",
            "not_allowed",
            text!(
                "la data di notifica vale solo con garante_notification = notified",
                "a notification time needs garante_notification = notified"
            ),
        )),
        (_, None) => {}
    }
    let d = Deadline::of(
        utc(b.discovered_at),
        b.garante_notification,
        b.garante_notified_at.map(utc),
        utc(now),
    );
    let reason_given = b
        .notification_reason
        .as_deref()
        .is_some_and(|r| !r.trim().is_empty());
    if d.needs_reason(b.garante_notification) && !reason_given {
        errors.push(if d.notified_late {
            FieldError::new(
                "notification_reason",
                "late_reason_required",
                text!(
                    "notificata oltre le {h} ore dalla scoperta: indicare i motivi del ritardo (art. 33.1)",
                    "notified more than {h} hours after discovery: give the reasons for the delay (art. 33.1)",
                    h = NOTIFICATION_HOURS
                ),
            )
        } else {
            FieldError::new(
                "notification_reason",
                "reason_required",
                text!(
                    "indicare perché la violazione non va notificata al Garante",
                    "say why the breach need not be notified to the Garante"
                ),
            )
        })
    }
    if let Some(at) = b.subjects_informed_at {
        if at < b.discovered_at {
            errors.push(FieldError::new(
                "subjects_informed_at",
                "before_discovery",
                before_discovery(),
            ));
        }
        if at > now {
            errors.push(FieldError::new("subjects_informed_at", "future", future()));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        errors.sort();
        Err(Error::Validation(errors))
    }
}

fn trim(s: &str) -> String {
    s.trim().to_string()
}

fn record_read(
    conn: &mut DbConn,
    cx: &Ctx,
    action: &'static str,
    ids: &[&str],
) -> Result<(), Error> {
    let events: Vec<NewEvent> = ids
        .iter()
        .map(|id| NewEvent {
            action,
            entity_type: Some("data_breach".into()),
            entity_id: Some((*id).to_string()),
            ..Default::default()
        })
        .collect();
    audit_log::record(conn, cx.now.at, &events)?;
    Ok(())
}

/// The DPO records a breach.
pub fn create_breach(conn: &mut DbConn, cx: &Ctx, i: BreachInput) -> Result<BreachOut, Error> {
    let district = policy::may_keep_privacy_registers(cx.actor)?.clone();
    let b = Breach {
        id: new_id(),
        district_id: district,
        title: trim(&i.title),
        description: trim(&i.description),
        occurred_at: naive(i.occurred_at),
        discovered_at: naive(i.discovered_at),
        data_categories: dedup(i.data_categories),
        subject_categories: dedup(i.subject_categories),
        subjects_affected: i.subjects_affected,
        records_affected: i.records_affected,
        consequences: trim(&i.consequences),
        measures_taken: trim(&i.measures_taken),
        garante_notification: i
            .garante_notification
            .unwrap_or(GaranteNotification::Pending),
        garante_notified_at: i.garante_notified_at.map(naive),
        notification_reason: kept_text(&i.notification_reason),
        subjects_informed_at: i.subjects_informed_at.map(naive),
        created_by: cx.actor.id.clone(),
        created_at: cx.now.at,
        updated_at: cx.now.at,
    };
    check(&b, cx.now.at)?;
    write_tx(conn, |conn| {
        Breach::insert(conn, &b)?;
        audit::record(
            conn,
            Transition {
                entity_type: "data_breach",
                entity_id: b.id.as_str(),
                action: "create",
                from: None,
                to: b.garante_notification.as_str(),
                reason: None,
                actor_id: Some(&cx.actor.id),
                at: cx.now.at,
            },
        )?;
        Ok(breach_out(cx, b.clone()))
    })
}

fn visible_breach(conn: &mut DbConn, cx: &Ctx, id: &DataBreachId) -> Result<Breach, Error> {
    let district = policy::may_read_privacy_registers(cx.actor)?;
    Breach::find(conn, id)?
        .filter(|b| &b.district_id == district)
        .ok_or_else(Error::hidden)
}

/// One breach of the caller's district (else `404`); the read is logged.
pub fn read_breach(conn: &mut DbConn, cx: &Ctx, id: &DataBreachId) -> Result<BreachOut, Error> {
    let b = visible_breach(conn, cx, id)?;
    record_read(conn, cx, "read", &[b.id.as_str()])?;
    Ok(breach_out(cx, b))
}

/// The district's breach register, in the order recorded, a page at a time; logged.
pub fn list_breaches(
    conn: &mut DbConn,
    cx: &Ctx,
    page: &PageRequest,
) -> Result<Page<BreachOut>, Error> {
    let district = policy::may_read_privacy_registers(cx.actor)?.clone();
    let rows = Breach::page(conn, &district, page.after(), page.limit)?;
    let shown: Vec<String> = rows
        .iter()
        .take(usize::try_from(page.limit).unwrap_or(0))
        .map(|b| b.id.as_str().to_string())
        .collect();
    let ids: Vec<&str> = shown.iter().map(String::as_str).collect();
    record_read(conn, cx, "list", &ids)?;
    Page::of(
        rows,
        page.limit,
        |b| b.id.as_str().to_string(),
        |b| Ok(breach_out(cx, b)),
    )
}

/// The DPO updates a breach at the version read (notification, measures, …).
pub fn update_breach(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &DataBreachId,
    expected: &Expected,
    p: BreachPatch,
) -> Result<BreachOut, Error> {
    policy::may_keep_privacy_registers(cx.actor)?;
    write_tx(conn, |conn| {
        let before = visible_breach(conn, cx, id)?;
        expected.check(Version::of(before.updated_at))?;
        let mut b = before.clone();
        if let Some(v) = &p.title {
            b.title = trim(v);
        }
        if let Some(v) = &p.description {
            b.description = trim(v);
        }
        if let Some(v) = p.occurred_at {
            b.occurred_at = naive(v);
        }
        if let Some(v) = p.discovered_at {
            b.discovered_at = naive(v);
        }
        if let Some(v) = &p.data_categories {
            b.data_categories = dedup(v.clone());
        }
        if let Some(v) = &p.subject_categories {
            b.subject_categories = dedup(v.clone());
        }
        if let Some(v) = p.subjects_affected {
            b.subjects_affected = v;
        }
        if let Some(v) = p.records_affected {
            b.records_affected = v;
        }
        if let Some(v) = &p.consequences {
            b.consequences = trim(v);
        }
        if let Some(v) = &p.measures_taken {
            b.measures_taken = trim(v);
        }
        if let Some(v) = p.garante_notification {
            b.garante_notification = v;
        }
        if let Some(v) = p.garante_notified_at {
            b.garante_notified_at = v.map(naive);
        }
        if let Some(v) = &p.notification_reason {
            b.notification_reason = kept_text(v);
        }
        if let Some(v) = p.subjects_informed_at {
            b.subjects_informed_at = v.map(naive);
        }
        check(&b, cx.now.at)?;
        let changed = audit::changed_fields(&before, &b);
        if changed.is_empty() {
            return Ok(breach_out(cx, before));
        }
        b.updated_at = cx.now.at;
        if !Breach::save_if(conn, &b, before.updated_at)? {
            return Err(Error::conflict(
                ErrorCode::ConcurrentUpdate,
                text!(
                    "la violazione è stata aggiornata nel frattempo: rileggerla",
                    "the breach was updated meanwhile: read it again"
                ),
            ));
        }
        audit::record(
            conn,
            Transition {
                entity_type: "data_breach",
                entity_id: b.id.as_str(),
                action: "update",
                from: Some(before.garante_notification.as_str()),
                to: b.garante_notification.as_str(),
                reason: Some(&changed.join(", ")),
                actor_id: Some(&cx.actor.id),
                at: cx.now.at,
            },
        )?;
        Ok(breach_out(cx, b))
    })
}
