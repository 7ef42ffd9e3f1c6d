//! The data subject's rights: access (GDPR art. 15) — everything held about a person, and who
//! read or changed it and when — as JSON or as an Italian PDF the person can read.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use sistema_lavoro_domain::i18n::{state_label, Lang};
use sistema_lavoro_domain::ids::{PersonId, UserId};
use sistema_lavoro_domain::{policy, Error};
use sistema_lavoro_store::audit::{self, PersonRead};
use sistema_lavoro_store::privacy::{self as store, Held};
use sistema_lavoro_store::users::User;
use sistema_lavoro_store::{documents, utc, DbConn};

use super::persons::{self, PersonOut};
use super::privacy::{self, ConsentOut};
use crate::pdf::{self, Block};
use crate::security::SecretBox;
use crate::Ctx;

/// One event of the record's history: a change (state_changes), a read of the person's
/// record, or a download of one of its documents.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct HistoryEntry {
    /// When (RFC 3339, UTC).
    pub at: DateTime<Utc>,
    /// `change`, `read` or `download`.
    pub kind: String,
    /// Who: a user id, `client:<id>`, or absent for the system.
    pub actor_id: Option<String>,
    /// Who, by name, when a user.
    pub actor_name: Option<String>,
    /// What: `person`, `referral`, `case`, `activation`, `consent`, `notice`, `document`.
    pub entity_type: String,
    /// Which record.
    pub entity_id: String,
    /// The action (`create`, `edit`, `submit`, `read`, `download`…).
    pub action: String,
    /// The state before, for changes.
    pub from: Option<String>,
    /// The state after, for changes.
    pub to: Option<String>,
    /// Why, or the fields an edit changed.
    pub reason: Option<String>,
}

/// A document's metadata (its bytes are not exported here: download them one by one).
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct DocumentEntry {
    /// Identifier of the document.
    pub id: String,
    /// The referral it is attached to.
    pub referral_id: Option<String>,
    /// The case it is attached to.
    pub case_id: Option<String>,
    /// File name.
    pub file_name: String,
    /// Media type recognised from the content.
    pub media_type: String,
    /// Size in bytes.
    pub size_bytes: i64,
    /// Who uploaded it.
    pub uploaded_by: String,
    /// When (RFC 3339, UTC).
    pub uploaded_at: DateTime<Utc>,
}

/// Everything the district holds about a person (art. 15), and who read or changed it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DataExport {
    /// When this export was made (RFC 3339, UTC).
    pub generated_at: DateTime<Utc>,
    /// The person's record, special categories included.
    pub person: PersonOut,
    /// The person's referrals (segnalazioni), as stored.
    #[schema(value_type = Vec<Object>)]
    pub referrals: Vec<serde_json::Value>,
    /// The cases (prese in carico), as stored.
    #[schema(value_type = Vec<Object>)]
    pub cases: Vec<serde_json::Value>,
    /// The measures activated on the cases (attivazioni), as stored.
    #[schema(value_type = Vec<Object>)]
    pub activations: Vec<serde_json::Value>,
    /// The checks of outcomes at 3, 6 and 12 months, as stored.
    #[schema(value_type = Vec<Object>)]
    pub outcome_checks: Vec<serde_json::Value>,
    /// The cases' diaries (monitoraggio), as stored.
    #[schema(value_type = Vec<Object>)]
    pub follow_ups: Vec<serde_json::Value>,
    /// The notices given and consents collected.
    pub consents: Vec<ConsentOut>,
    /// The documents attached to the referrals and cases (metadata).
    pub documents: Vec<DocumentEntry>,
    /// Who read or changed the record and when, oldest first.
    pub history: Vec<HistoryEntry>,
}

fn values<T: Serialize>(rows: &[T]) -> Result<Vec<serde_json::Value>, Error> {
    rows.iter()
        .map(|r| serde_json::to_value(r).map_err(|e| Error::Internal(e.to_string())))
        .collect()
}

/// The history of everything held about the person, oldest first: the one place it is read
/// from (today `state_changes`, `person_reads` and `document_downloads`), so that a new audit
/// store replaces this function only.
pub fn history_of(conn: &mut DbConn, held: &Held) -> Result<Vec<HistoryEntry>, Error> {
    let mut out = Vec::new();
    let groups: Vec<(&str, Vec<String>)> = vec![
        ("person", vec![held.person.id.as_str().to_string()]),
        (
            "referral",
            held.referrals
                .iter()
                .map(|r| r.id.as_str().into())
                .collect(),
        ),
        (
            "case",
            held.cases.iter().map(|c| c.id.as_str().into()).collect(),
        ),
        (
            "activation",
            held.activations
                .iter()
                .map(|a| a.id.as_str().into())
                .collect(),
        ),
        (
            "consent",
            held.consents.iter().map(|c| c.id.as_str().into()).collect(),
        ),
        (
            "notice",
            held.consents.iter().map(|c| c.id.as_str().into()).collect(),
        ),
        (
            "document",
            held.documents
                .iter()
                .map(|d| d.id.as_str().into())
                .collect(),
        ),
    ];
    for (kind, ids) in groups {
        if ids.is_empty() {
            continue;
        }
        for s in audit::history(conn, kind, &ids)? {
            out.push(HistoryEntry {
                at: utc(s.at),
                kind: "change".into(),
                actor_id: s.actor_id,
                actor_name: None,
                entity_type: s.entity_type,
                entity_id: s.entity_id,
                action: s.action,
                from: s.from_state,
                to: Some(s.to_state),
                reason: s.reason,
            });
        }
    }
    for (user, at) in store::reads_of(conn, &held.person.id)? {
        out.push(HistoryEntry {
            at: utc(at),
            kind: "read".into(),
            actor_id: Some(user),
            actor_name: None,
            entity_type: "person".into(),
            entity_id: held.person.id.as_str().into(),
            action: "read".into(),
            from: None,
            to: None,
            reason: None,
        });
    }
    for d in &held.documents {
        for dl in documents::downloads(conn, &d.id)? {
            out.push(HistoryEntry {
                at: utc(dl.at),
                kind: "download".into(),
                actor_id: Some(dl.user_id),
                actor_name: None,
                entity_type: "document".into(),
                entity_id: dl.document_id,
                action: "download".into(),
                from: None,
                to: None,
                reason: None,
            });
        }
    }
    out.sort_by_key(|a| a.at);
    let ids: Vec<UserId> = out
        .iter()
        .filter_map(|h| h.actor_id.clone())
        .filter(|a| !a.starts_with("client:"))
        .map(UserId::from)
        .collect();
    let refs: Vec<&UserId> = ids.iter().collect();
    let names: BTreeMap<String, String> = User::names(conn, &refs)?
        .into_iter()
        .map(|(id, name)| (id.as_str().to_string(), name))
        .collect();
    for h in &mut out {
        h.actor_name = h.actor_id.as_ref().and_then(|a| names.get(a).cloned());
    }
    Ok(out)
}

/// Everything held about the person, for the DPO or the district's coordinator (else `404`
/// for a person of another district, `403` for other roles); the export is a logged read.
pub fn export(
    conn: &mut DbConn,
    cx: &Ctx,
    keys: &SecretBox,
    id: &PersonId,
) -> Result<(DataExport, PersonRead), Error> {
    policy::may_export_person_data(cx.actor)?;
    let held = store::held(conn, id).map_err(|_| Error::hidden())?;
    if !cx.actor.in_district(&held.person.district_id) {
        return Err(Error::hidden());
    }
    let history = history_of(conn, &held)?;
    let consents = privacy::list_unchecked(conn, cx, &held.consents)?;
    let read = PersonRead::new(held.person.id.as_str(), &cx.actor.id, cx.now.at, "export");
    let documents = held
        .documents
        .iter()
        .map(|d| DocumentEntry {
            id: d.id.as_str().into(),
            referral_id: d.referral_id.clone(),
            case_id: d.case_id.clone(),
            file_name: d.file_name.clone(),
            media_type: d.media_type.clone(),
            size_bytes: d.size_bytes,
            uploaded_by: d.uploaded_by.clone(),
            uploaded_at: utc(d.uploaded_at),
        })
        .collect();
    let out = DataExport {
        generated_at: utc(cx.now.at),
        referrals: values(&held.referrals)?,
        cases: values(&held.cases)?,
        activations: values(&held.activations)?,
        outcome_checks: values(&held.outcome_checks)?,
        follow_ups: values(&held.follow_ups)?,
        consents,
        documents,
        history,
        person: {
            let by = persons::registered_by(conn, &held.person)?;
            let rights = persons::rights_of(conn, &held.person.id)?;
            let mut p = held.person;
            persons::open_notes(keys, &mut p)?;
            PersonOut::of(cx, p, by.as_ref(), true, rights)
        },
    };
    Ok((out, read))
}

fn field(label: &str, v: Option<&serde_json::Value>) -> Option<Block> {
    let text = match v? {
        serde_json::Value::Null => return None,
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    Some(Block::Field(label.into(), text))
}

fn day(t: DateTime<Utc>) -> String {
    t.format("%d/%m/%Y %H:%M").to_string()
}

/// The export as an Italian PDF the person can read.
pub fn pdf(e: &DataExport) -> Vec<u8> {
    let p = &e.person;
    let mut b = vec![
        Block::Title(format!("I tuoi dati: {} {}", p.first_name, p.last_name)),
        Block::Text(format!(
            "Questo documento riporta tutti i dati personali che l'Ambito conserva su di te e \
             chi li ha letti o modificati, e quando (art. 15 del Regolamento UE 2016/679). \
             Generato il {}.",
            day(e.generated_at)
        )),
        Block::Heading("Dati anagrafici e recapiti".into()),
        Block::Field("Codice fiscale".into(), p.tax_code.clone()),
        Block::Field("Nome".into(), p.first_name.clone()),
        Block::Field("Cognome".into(), p.last_name.clone()),
        Block::Field(
            "Data di nascita".into(),
            p.birth_date.format("%d/%m/%Y").to_string(),
        ),
    ];
    for (label, v) in [
        ("Residenza", p.residence.as_ref().map(|r| r.name.clone())),
        ("Cittadinanza", p.citizenship.clone()),
        ("E-mail", p.email.clone()),
        ("Telefono", p.phone.clone()),
        ("Indirizzo", p.address.clone()),
    ] {
        if let Some(v) = v {
            b.push(Block::Field(label.into(), v));
        }
    }
    if let Some(s) = &p.sensitive {
        b.push(Block::Heading("Categorie particolari di dati".into()));
        b.push(Block::Field(
            "Disabilità".into(),
            if s.has_disability { "sì" } else { "no" }.into(),
        ));
        b.push(Block::Field(
            "Area penale".into(),
            if s.criminal_justice { "sì" } else { "no" }.into(),
        ));
    }
    b.push(Block::Heading("Segnalazioni".into()));
    if e.referrals.is_empty() {
        b.push(Block::Text("Nessuna.".into()));
    }
    for r in &e.referrals {
        let status = r["status"].as_str().unwrap_or_default();
        b.push(Block::Field(
            "Stato".into(),
            state_label("referral", status, Lang::It),
        ));
        b.extend(field("Motivazione", r.get("reason")));
        b.push(Block::Gap);
    }
    b.push(Block::Heading("Prese in carico e misure".into()));
    if e.cases.is_empty() {
        b.push(Block::Text("Nessuna.".into()));
    }
    for c in &e.cases {
        let status = c["status"].as_str().unwrap_or_default();
        b.push(Block::Field(
            "Stato".into(),
            state_label("case", status, Lang::It),
        ));
        b.extend(field("Esito", c.get("outcome")));
        let id = c["id"].as_str().unwrap_or_default();
        for a in e.activations.iter().filter(|a| a["case_id"] == id) {
            let st = a["status"].as_str().unwrap_or_default();
            b.push(Block::Field(
                "Misura".into(),
                state_label("activation", st, Lang::It),
            ));
        }
        b.push(Block::Gap);
    }
    b.push(Block::Heading("Informative e consensi".into()));
    if e.consents.is_empty() {
        b.push(Block::Text("Nessuno.".into()));
    }
    for c in &e.consents {
        let kind = if c.kind.as_str() == "notice" {
            "Informativa ricevuta"
        } else {
            "Consenso"
        };
        let state = state_label("consent", c.status.as_str(), Lang::It);
        b.push(Block::Field(
            kind.into(),
            format!("{} — {} ({})", c.purpose_label, state, day(c.given_at)),
        ));
    }
    b.push(Block::Heading("Documenti".into()));
    if e.documents.is_empty() {
        b.push(Block::Text("Nessuno.".into()));
    }
    for d in &e.documents {
        b.push(Block::Field(d.file_name.clone(), day(d.uploaded_at)));
    }
    b.push(Block::Heading(
        "Chi ha letto o modificato i tuoi dati".into(),
    ));
    for h in &e.history {
        let who = h
            .actor_name
            .clone()
            .or_else(|| h.actor_id.clone())
            .unwrap_or_else(|| "il sistema".into());
        let what = match h.kind.as_str() {
            "read" => "ha letto la scheda".to_string(),
            "download" => "ha scaricato un documento".to_string(),
            _ => format!("{} ({})", h.action, h.entity_type),
        };
        b.push(Block::Text(format!("{} — {who}: {what}", day(h.at))));
    }
    pdf::render("I tuoi dati personali", &b)
}
