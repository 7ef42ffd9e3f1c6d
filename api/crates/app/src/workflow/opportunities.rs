//! Opportunities (seed 002: the table "communicates to the territory the project
//! opportunities as they become available, translating the measures into information tools
//! easy to understand for the district's operators").
//!
//! The board holds three sources: what member organizations publish (courses, job offers,
//! internships, services, events: `draft → published → expired | withdrawn`), and — from
//! their own records, never copied — the catalogue's open measures and the granted projects,
//! each with its plain-language text for operators. The same items reach the territory
//! without an account (`/public/…`, see [`super::opportunity_feeds`]) and the persons of cases
//! through matching, with the same eligibility engine as the measures.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use sistema_lavoro_domain::actions::{Action, BlockedAction};
use sistema_lavoro_domain::eligibility::{self, Eligibility, MeasureRules, PersonFacts, Reason};
use sistema_lavoro_domain::i18n::Lang;
use sistema_lavoro_domain::ids::{
    CaseId, DistrictId, OpportunityId, OpportunityProposalId, OrganizationId, PersonId, ReferralId,
    SharedResponseId,
};
use sistema_lavoro_domain::opportunities::{
    self as rules, OpportunityKind, OpportunitySource, OpportunityStatus, ProposalAnswer,
};
use sistema_lavoro_domain::policy::{self, OpportunityView};
use sistema_lavoro_domain::responses::ResponseArea;
use sistema_lavoro_domain::vocabulary::{EmploymentStatus, TargetGroup};
use sistema_lavoro_domain::{municipality, text, Error, ErrorCode, Expected, FieldError, Version};
use sistema_lavoro_store::audit::{self, Transition};
use sistema_lavoro_store::districts::District;
use sistema_lavoro_store::measures::{self as mstore, Measure};
use sistema_lavoro_store::opportunities::{
    self as store, Filter, Opportunity, OpportunityProposal,
};
use sistema_lavoro_store::organizations::Organization;
use sistema_lavoro_store::projects::Project;
use sistema_lavoro_store::responses::SharedResponse;
use sistema_lavoro_store::{new_id, utc, write_tx, DbConn};
use utoipa::ToSchema;
use validator::Validate;

use super::{case_state, catalogue, dedup, persons, referrals, trimmed, Page, PageRequest};
use crate::Ctx;

/// How many items the public feeds carry: the most recent.
pub const FEED_ITEMS: usize = 100;

// ---------------------------------------------------------------------- inputs

/// A new opportunity, as a draft (or published at once with `publish: true`). Publishing
/// needs `how_to_apply` and `contact`.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"kind": "training_course", "area": "training",
    "title": "Corso per addetto alla logistica di magazzino",
    "description": "80 ore in aula e 40 in azienda, con patentino del carrello elevatore.",
    "min_age": 18, "employment_statuses": ["unemployed"], "municipality_code": "016024",
    "starts_on": "2027-01-18", "ends_on": "2027-03-12", "apply_by": "2027-01-08",
    "how_to_apply": "Colloquio di orientamento allo sportello del CFP, su appuntamento",
    "contact": "orientamento@cfp-esempio.it", "publish": true}))]
pub struct OpportunityInput {
    /// `training_course`, `job_offer`, `internship`, `service`, `event`.
    pub kind: OpportunityKind,
    /// The publishing organization (default: the caller's): a member of one of the
    /// district's networks; the coordinator may publish for any organization of the district.
    #[schema(max_length = 64, value_type = Option<String>)]
    pub organization_id: Option<OrganizationId>,
    /// Area (seed 003): `work_placement`, `housing`, `transport`, `microcredit`, `training`,
    /// `culture`, `relational_life`.
    pub area: ResponseArea,
    /// Titolo.
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub title: String,
    /// Descrizione: what it gives, in plain words.
    #[validate(length(min = 2, max = 4000))]
    #[schema(min_length = 2, max_length = 4000)]
    pub description: String,
    /// Età minima.
    #[validate(range(min = 14, max = 100))]
    #[schema(minimum = 14, maximum = 100)]
    pub min_age: Option<i32>,
    /// Età massima.
    #[validate(range(min = 14, max = 100))]
    #[schema(minimum = 14, maximum = 100)]
    pub max_age: Option<i32>,
    /// Condizioni occupazionali ammesse (empty: any).
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub employment_statuses: Vec<EmploymentStatus>,
    /// Gruppi destinatari (empty: any).
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub target_groups: Vec<TargetGroup>,
    /// Only for residents of the district.
    #[serde(default)]
    pub residence_required: bool,
    /// Comune: its six-digit ISTAT code.
    #[validate(length(max = 6))]
    #[schema(max_length = 6, pattern = "^[0-9]{6}$", example = "016024")]
    pub municipality_code: Option<String>,
    /// Luogo: address or venue.
    #[validate(length(max = 300))]
    #[schema(max_length = 300)]
    pub place_note: Option<String>,
    /// Dal.
    pub starts_on: Option<NaiveDate>,
    /// Al (not before the start).
    pub ends_on: Option<NaiveDate>,
    /// Scadenza per candidarsi (not after the end): the day after it, the clock expires it.
    pub apply_by: Option<NaiveDate>,
    /// Come candidarsi / come inviare.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub how_to_apply: Option<String>,
    /// Contatto: an office's e-mail, phone or web page — never a person's own.
    #[validate(length(max = 300))]
    #[schema(max_length = 300)]
    pub contact: Option<String>,
    /// For a `service`: the shared response of a network of the district it tells about.
    #[schema(max_length = 64, value_type = Option<String>)]
    pub shared_response_id: Option<SharedResponseId>,
    /// Publish at once (default: keep as a draft).
    #[serde(default)]
    pub publish: bool,
}

/// Changes to a draft or published opportunity (JSON Merge Patch): absent fields stay, `null`
/// clears.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
pub struct OpportunityPatch {
    /// New area.
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub area: Option<ResponseArea>,
    /// New title.
    #[validate(length(min = 2, max = 200))]
    #[schema(nullable = false, min_length = 2, max_length = 200)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub title: Option<String>,
    /// New description.
    #[validate(length(min = 2, max = 4000))]
    #[schema(nullable = false, min_length = 2, max_length = 4000)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub description: Option<String>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[validate(range(min = 14, max = 100))]
    #[schema(minimum = 14, maximum = 100, value_type = Option<i32>)]
    pub min_age: Option<Option<i32>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[validate(range(min = 14, max = 100))]
    #[schema(minimum = 14, maximum = 100, value_type = Option<i32>)]
    pub max_age: Option<Option<i32>>,
    /// Replaces the employment statuses.
    #[validate(length(max = 20))]
    #[schema(nullable = false, max_items = 20)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub employment_statuses: Option<Vec<EmploymentStatus>>,
    /// Replaces the target groups.
    #[validate(length(max = 20))]
    #[schema(nullable = false, max_items = 20)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub target_groups: Option<Vec<TargetGroup>>,
    /// Only for residents of the district.
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub residence_required: Option<bool>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[validate(length(max = 6))]
    #[schema(max_length = 6, pattern = "^[0-9]{6}$", value_type = Option<String>)]
    pub municipality_code: Option<Option<String>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[validate(length(max = 300))]
    #[schema(max_length = 300, value_type = Option<String>)]
    pub place_note: Option<Option<String>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub starts_on: Option<Option<NaiveDate>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub ends_on: Option<Option<NaiveDate>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub apply_by: Option<Option<NaiveDate>>,
    /// `null` clears it (not while published).
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000, value_type = Option<String>)]
    pub how_to_apply: Option<Option<String>>,
    /// `null` clears it (not while published).
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[validate(length(max = 300))]
    #[schema(max_length = 300, value_type = Option<String>)]
    pub contact: Option<Option<String>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[schema(max_length = 64, value_type = Option<String>)]
    pub shared_response_id: Option<Option<SharedResponseId>>,
}

/// Why a published opportunity is withdrawn.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"reason": "Corso annullato dall'ente: nessun iscritto"}))]
pub struct WithdrawOpportunityInput {
    /// Motivo.
    #[validate(length(min = 2, max = 500))]
    #[schema(min_length = 2, max_length = 500)]
    pub reason: String,
}

/// An item of the board proposed to the person of a case.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"opportunity_id": "0193…", "note": "Proposto al colloquio del 3/12"}))]
pub struct OpportunityProposalInput {
    /// The item's `id` (a published opportunity, a measure or a project), open today in the
    /// case's district.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub opportunity_id: String,
    /// Nota dell'operatore.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// The person's answer to a proposal, and the result once known.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"answer": "accepted", "result": "Iscritta al corso, inizio il 18/1"}))]
pub struct ProposalAnswerInput {
    /// `accepted`, `declined` or `no_answer`.
    pub answer: ProposalAnswer,
    /// When the person answered (default today; not in the future).
    pub answered_on: Option<NaiveDate>,
    /// Esito: what came of it (enrolled, hired, not selected…).
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub result: Option<String>,
}

// --------------------------------------------------------------------- outputs

/// Who an opportunity is for: the rules eligibility checks (empty lists mean any).
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct TargetOut {
    /// Età minima.
    pub min_age: Option<i32>,
    /// Età massima.
    pub max_age: Option<i32>,
    /// Condizioni occupazionali ammesse.
    pub employment_statuses: Vec<EmploymentStatus>,
    /// Gruppi destinatari.
    pub target_groups: Vec<TargetGroup>,
    /// Only for residents of the district.
    pub residence_required: bool,
}

/// A municipality, by ISTAT code.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct MunicipalityOut {
    /// ISTAT code.
    pub code: String,
    /// Nome.
    pub name: String,
    /// Sigla della provincia.
    pub province: Option<String>,
}

/// An item of the board as anyone may read it: no personal data.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct PublicOpportunity {
    /// The record's id: the published opportunity's, the measure's or the project's.
    pub id: String,
    /// `published` (by a member), `measure` (the catalogue's), `project` (a granted project).
    pub source: OpportunitySource,
    /// What a member published (absent for measures and projects).
    pub kind: Option<OpportunityKind>,
    /// The kind as the caller's language names it, e.g. "Corso di formazione", "Misura".
    pub kind_label: String,
    /// Titolo.
    pub title: String,
    /// The district (Ambito).
    pub district_id: String,
    /// Its name.
    pub district_name: String,
    /// Who offers it: the publishing organization, the project's lead, or the Ufficio di
    /// Piano for the catalogue.
    pub publisher: String,
    /// The publishing organization, when there is one.
    pub organization_id: Option<String>,
    /// Area (seed 003).
    pub area: ResponseArea,
    /// Descrizione.
    pub description: String,
    /// Per chi è, as a sentence made from the rules.
    pub who_for: String,
    /// Per gli operatori: the measure's or project's plain text (who, what, how to refer).
    pub for_operators: Option<String>,
    /// The rules matching checks.
    pub target: TargetOut,
    /// Comune.
    pub municipality: Option<MunicipalityOut>,
    /// Luogo.
    pub place_note: Option<String>,
    /// Dal.
    pub starts_on: Option<NaiveDate>,
    /// Al.
    pub ends_on: Option<NaiveDate>,
    /// Scadenza per candidarsi.
    pub apply_by: Option<NaiveDate>,
    /// The last day it is open (deadline, else end, else start); absent: until withdrawn.
    pub last_day: Option<NaiveDate>,
    /// Come candidarsi (for measures and projects: how operators refer a person).
    pub how_to_apply: Option<String>,
    /// Contatto (an office's).
    pub contact: Option<String>,
    /// For a service: the shared response it tells about.
    pub shared_response_id: Option<String>,
    /// When it was published (RFC 3339, UTC).
    pub published_at: DateTime<Utc>,
    /// Its one-page printable flyer (PDF).
    pub flyer_url: String,
}

/// An item of the board as the district's roles read it.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct OpportunityOut {
    #[serde(flatten)]
    pub opportunity: PublicOpportunity,
    /// `draft`, `published`, `expired`, `withdrawn` (measures and projects on the board are
    /// `published`).
    pub status: OpportunityStatus,
    /// The day the clock expired it.
    pub expired_on: Option<NaiveDate>,
    /// Why it was withdrawn.
    pub withdrawal_reason: Option<String>,
    /// What you may do with it now (`edit`, `publish`, `withdraw`); measures and projects are
    /// edited where they live.
    pub allowed_actions: Vec<Action>,
    /// What your role could do, but its state forbids now, and why.
    pub blocked_actions: Vec<BlockedAction>,
    /// When it last changed (RFC 3339, UTC); its version is the `ETag`.
    pub updated_at: DateTime<Utc>,
}

/// The published items, newest first (at most 100).
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicOpportunityList {
    /// The items.
    pub items: Vec<PublicOpportunity>,
}

/// An item of the board and whether it fits the person, rule by rule.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpportunityMatch {
    /// The item.
    pub opportunity: PublicOpportunity,
    /// `true` only if every rule is met.
    pub eligible: bool,
    /// Each rule checked, met or not, with its reason.
    pub reasons: Vec<Reason>,
    /// Already proposed on this case (for a case's matching): the proposal's id.
    pub proposal_id: Option<String>,
}

/// The items that fit a person (all of them with `all=true`), fitting first.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatchList {
    /// The items, each with its reasons.
    pub items: Vec<OpportunityMatch>,
}

/// An item of the board proposed to the person of a case, with the answer and the result.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct OpportunityProposalOut {
    /// Identifier of the proposal.
    pub id: String,
    /// The case.
    pub case_id: String,
    /// Where the item comes from.
    pub source: OpportunitySource,
    /// The item's id.
    pub opportunity_id: String,
    /// Its title when proposed.
    pub title: String,
    /// Nota dell'operatore.
    pub note: Option<String>,
    /// `accepted`, `declined`, `no_answer`; absent until recorded.
    pub answer: Option<ProposalAnswer>,
    /// When the person answered.
    pub answered_on: Option<NaiveDate>,
    /// Esito.
    pub result: Option<String>,
    /// Who proposed it: a user id, or `client:<id>`.
    pub proposed_by: String,
    /// `answer`, for whoever works the case.
    pub allowed_actions: Vec<Action>,
    /// When it was proposed (RFC 3339, UTC).
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

// --------------------------------------------------------------- the board's items

/// An item of the board before it is told: its public face, its state and its rules.
#[derive(Debug, Clone)]
pub struct Item {
    pub out: PublicOpportunity,
    pub status: OpportunityStatus,
    pub expired_on: Option<NaiveDate>,
    pub withdrawal_reason: Option<String>,
    pub organization: Option<OrganizationId>,
    pub rules: MeasureRules,
    pub updated_at: NaiveDateTime,
}

/// Names needed to tell items: districts and organizations.
#[derive(Default)]
struct Names {
    districts: HashMap<DistrictId, String>,
    orgs: HashMap<OrganizationId, String>,
}

impl Names {
    fn district(&mut self, conn: &mut DbConn, d: &DistrictId) -> Result<String, Error> {
        if let Some(n) = self.districts.get(d) {
            return Ok(n.clone());
        }
        let name = District::find(conn, d)?.name;
        self.districts.insert(d.clone(), name.clone());
        Ok(name)
    }

    fn orgs(&mut self, conn: &mut DbConn, ids: &[&OrganizationId]) -> Result<(), Error> {
        let missing: Vec<&OrganizationId> = ids
            .iter()
            .copied()
            .filter(|o| !self.orgs.contains_key(*o))
            .collect();
        for (id, name) in Organization::names(conn, &missing)? {
            self.orgs.insert(id, name);
        }
        Ok(())
    }
}

fn place(code: Option<&str>) -> Option<MunicipalityOut> {
    let code = code?;
    let m = municipality::by_istat(code)?;
    Some(MunicipalityOut {
        code: code.to_string(),
        name: m.name.to_string(),
        province: m.province.map(str::to_string),
    })
}

fn flyer_url(id: &str) -> String {
    format!("/api/v1/public/opportunities/{id}/flyer.pdf")
}

fn midnight(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(0, 0, 0).unwrap_or_default()
}

fn how_to_refer(lang: Lang) -> String {
    match lang {
        Lang::It => "Segnalare la persona con una segnalazione in Sistema Lavoro: il tavolo mensile la prende in carico e la assegna a un ente accreditato, che attiva la misura entro la sua soglia.".into(),
        Lang::En => "Refer the person with a referral in Sistema Lavoro: the monthly table takes them in charge and assigns them to an accredited agency, which activates the measure within its threshold.".into(),
    }
}

fn published_item(
    o: Opportunity,
    names: &mut Names,
    conn: &mut DbConn,
    lang: Lang,
) -> Result<Item, Error> {
    let district_name = names.district(conn, &o.district_id)?;
    let publisher = names
        .orgs
        .get(&o.organization_id)
        .cloned()
        .unwrap_or_default();
    let rules = MeasureRules {
        active: o.status == OpportunityStatus::Published,
        valid_from: o
            .published_at
            .map(|t| t.date())
            .unwrap_or(o.created_at.date()),
        valid_to: o.last_day,
        min_age: o.min_age,
        max_age: o.max_age,
        employment_statuses: o.employment_statuses.clone(),
        target_groups: o.target_groups.clone(),
        clusters: Vec::new(),
        residence_required: o.residence_required,
    };
    Ok(Item {
        out: PublicOpportunity {
            flyer_url: flyer_url(o.id.as_str()),
            id: o.id.to_string(),
            source: OpportunitySource::Published,
            kind: Some(o.kind),
            kind_label: o.kind.label(lang).into(),
            title: o.title,
            district_id: o.district_id.to_string(),
            district_name,
            publisher,
            organization_id: Some(o.organization_id.to_string()),
            area: o.area,
            description: o.description,
            who_for: rules::who_for(
                o.min_age,
                o.max_age,
                &o.employment_statuses,
                &o.target_groups,
                o.residence_required,
                lang,
            ),
            for_operators: None,
            target: TargetOut {
                min_age: o.min_age,
                max_age: o.max_age,
                employment_statuses: o.employment_statuses,
                target_groups: o.target_groups,
                residence_required: o.residence_required,
            },
            municipality: place(o.municipality_code.as_deref()),
            place_note: o.place_note,
            starts_on: o.starts_on,
            ends_on: o.ends_on,
            apply_by: o.apply_by,
            last_day: o.last_day,
            how_to_apply: o.how_to_apply,
            contact: o.contact,
            shared_response_id: o.shared_response_id.map(|s| s.to_string()),
            published_at: utc(o.published_at.unwrap_or(o.created_at)),
        },
        status: o.status,
        expired_on: o.expired_on,
        withdrawal_reason: o.withdrawal_reason,
        organization: Some(o.organization_id),
        rules,
        updated_at: o.updated_at,
    })
}

fn measure_item(m: Measure, district_name: String, lang: Lang) -> Item {
    let publisher = match lang {
        Lang::It => format!("Ufficio di Piano – {district_name}"),
        Lang::En => format!("Ufficio di Piano (coordinator) – {district_name}"),
    };
    let rules = catalogue::rules(&m);
    Item {
        out: PublicOpportunity {
            flyer_url: flyer_url(m.id.as_str()),
            id: m.id.to_string(),
            source: OpportunitySource::Measure,
            kind: None,
            kind_label: OpportunitySource::Measure.label(lang).into(),
            title: m.name.clone(),
            district_id: m.district_id.to_string(),
            district_name,
            publisher,
            organization_id: None,
            area: ResponseArea::WorkPlacement,
            description: m.description.clone(),
            who_for: rules::who_for(
                m.min_age,
                m.max_age,
                &m.employment_statuses,
                &m.target_groups,
                m.residence_required,
                lang,
            ),
            for_operators: m.for_operators.clone(),
            target: TargetOut {
                min_age: m.min_age,
                max_age: m.max_age,
                employment_statuses: m.employment_statuses.clone(),
                target_groups: m.target_groups.clone(),
                residence_required: m.residence_required,
            },
            municipality: None,
            place_note: None,
            starts_on: Some(m.valid_from),
            ends_on: m.valid_to,
            apply_by: None,
            last_day: m.valid_to,
            how_to_apply: Some(how_to_refer(lang)),
            contact: None,
            shared_response_id: None,
            published_at: utc(m.created_at),
        },
        status: OpportunityStatus::Published,
        expired_on: None,
        withdrawal_reason: None,
        organization: None,
        rules,
        updated_at: m.updated_at,
    }
}

fn project_item(
    p: Project,
    measures: &[Measure],
    district_name: String,
    lead: Option<String>,
    lang: Lang,
) -> Item {
    // A project's target is its first measure's (the money reaches persons through it).
    let first = measures
        .iter()
        .find(|m| m.project_id.as_ref() == Some(&p.id) && m.active);
    let rules = MeasureRules {
        active: true,
        valid_from: p.start_date.or(p.decided_on).unwrap_or(p.created_at.date()),
        valid_to: p.end_date,
        min_age: first.and_then(|m| m.min_age),
        max_age: first.and_then(|m| m.max_age),
        employment_statuses: first
            .map(|m| m.employment_statuses.clone())
            .unwrap_or_default(),
        target_groups: first.map(|m| m.target_groups.clone()).unwrap_or_default(),
        clusters: first.map(|m| m.clusters.clone()).unwrap_or_default(),
        residence_required: first.is_some_and(|m| m.residence_required),
    };
    let publisher = lead.unwrap_or_else(|| match lang {
        Lang::It => format!("Ufficio di Piano – {district_name}"),
        Lang::En => format!("Ufficio di Piano (coordinator) – {district_name}"),
    });
    Item {
        out: PublicOpportunity {
            flyer_url: flyer_url(p.id.as_str()),
            id: p.id.to_string(),
            source: OpportunitySource::Project,
            kind: None,
            kind_label: OpportunitySource::Project.label(lang).into(),
            who_for: rules::who_for(
                rules.min_age,
                rules.max_age,
                &rules.employment_statuses,
                &rules.target_groups,
                rules.residence_required,
                lang,
            ),
            target: TargetOut {
                min_age: rules.min_age,
                max_age: rules.max_age,
                employment_statuses: rules.employment_statuses.clone(),
                target_groups: rules.target_groups.clone(),
                residence_required: rules.residence_required,
            },
            title: p.title,
            district_id: p.district_id.to_string(),
            district_name,
            publisher,
            organization_id: p.lead_organization_id.map(|o| o.to_string()),
            area: ResponseArea::WorkPlacement,
            description: p.description.unwrap_or_default(),
            for_operators: p.for_operators,
            municipality: None,
            place_note: None,
            starts_on: p.start_date,
            ends_on: p.end_date,
            apply_by: None,
            last_day: p.end_date,
            how_to_apply: Some(how_to_refer(lang)),
            contact: None,
            shared_response_id: None,
            published_at: utc(p.decided_on.map(midnight).unwrap_or(p.updated_at)),
        },
        status: OpportunityStatus::Published,
        expired_on: None,
        withdrawal_reason: None,
        organization: None,
        rules,
        updated_at: p.updated_at,
    }
}

/// What the board narrows to, beyond the district.
#[derive(Debug, Clone, Default)]
pub struct BoardFilter {
    pub source: Option<OpportunitySource>,
    pub kind: Option<OpportunityKind>,
    pub area: Option<ResponseArea>,
    pub municipality: Option<String>,
    pub age: Option<i32>,
    pub employment_status: Option<EmploymentStatus>,
    pub target_group: Option<TargetGroup>,
}

impl BoardFilter {
    /// Does a measure's or project's item pass the filter (its rules, its district)?
    fn keeps_virtual(&self, conn: &mut DbConn, i: &Item) -> Result<bool, Error> {
        if self.kind.is_some() || self.source == Some(OpportunitySource::Published) {
            return Ok(false);
        }
        if self.source.is_some_and(|s| s != i.out.source) {
            return Ok(false);
        }
        if self.area.is_some_and(|a| a != i.out.area) {
            return Ok(false);
        }
        let r = &i.rules;
        if let Some(age) = self.age {
            if r.min_age.is_some_and(|m| age < m) || r.max_age.is_some_and(|m| age > m) {
                return Ok(false);
            }
        }
        if let Some(s) = self.employment_status {
            if !r.employment_statuses.is_empty() && !r.employment_statuses.contains(&s) {
                return Ok(false);
            }
        }
        if let Some(g) = self.target_group {
            if !r.target_groups.is_empty() && !r.target_groups.contains(&g) {
                return Ok(false);
            }
        }
        // A measure or a project serves the whole district: a municipality of it keeps it.
        if let Some(m) = &self.municipality {
            let district = DistrictId::from(i.out.district_id.as_str());
            if !mstore::district_has_municipality(conn, &district, m)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn published_only(&self) -> bool {
        self.source
            .is_none_or(|s| s == OpportunitySource::Published)
    }
}

/// The open measures and granted projects of a district (or of all), as items.
fn virtual_items(
    conn: &mut DbConn,
    district: Option<&DistrictId>,
    f: &BoardFilter,
    today: NaiveDate,
    lang: Lang,
    names: &mut Names,
) -> Result<Vec<Item>, Error> {
    if f.kind.is_some() || f.source == Some(OpportunitySource::Published) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    if f.source.is_none_or(|s| s == OpportunitySource::Measure) {
        for m in store::open_measures(conn, district, today)? {
            let d = names.district(conn, &m.district_id)?;
            out.push(measure_item(m, d, lang));
        }
    }
    if f.source.is_none_or(|s| s == OpportunitySource::Project) {
        let projects = store::open_projects(conn, district)?;
        let ids: Vec<_> = projects.iter().map(|p| &p.id).collect();
        let measures = Measure::of_projects(conn, &ids)?;
        let leads: Vec<&OrganizationId> = projects
            .iter()
            .filter_map(|p| p.lead_organization_id.as_ref())
            .collect();
        names.orgs(conn, &leads)?;
        for p in projects {
            let d = names.district(conn, &p.district_id)?;
            let lead = p
                .lead_organization_id
                .as_ref()
                .and_then(|o| names.orgs.get(o).cloned());
            out.push(project_item(p, &measures, d, lead, lang));
        }
    }
    let mut kept = Vec::with_capacity(out.len());
    for i in out {
        if f.keeps_virtual(conn, &i)? {
            kept.push(i);
        }
    }
    Ok(kept)
}

fn published_items(
    conn: &mut DbConn,
    rows: Vec<Opportunity>,
    lang: Lang,
    names: &mut Names,
) -> Result<Vec<Item>, Error> {
    let orgs: Vec<OrganizationId> = rows.iter().map(|o| o.organization_id.clone()).collect();
    let refs: Vec<&OrganizationId> = orgs.iter().collect();
    names.orgs(conn, &refs)?;
    rows.into_iter()
        .map(|o| published_item(o, names, conn, lang))
        .collect()
}

fn store_filter<'a>(f: &'a BoardFilter) -> Filter<'a> {
    Filter {
        kind: f.kind,
        area: f.area,
        municipality: f.municipality.as_deref(),
        age: f.age,
        employment_status: f.employment_status,
        target_group: f.target_group,
        ..Filter::default()
    }
}

/// The newest published items of the territory (or of one district), at most `limit`: the
/// public list and the feeds.
pub fn recent(
    conn: &mut DbConn,
    district: Option<&DistrictId>,
    f: &BoardFilter,
    today: NaiveDate,
    lang: Lang,
    limit: usize,
) -> Result<Vec<PublicOpportunity>, Error> {
    let mut names = Names::default();
    let mut items = Vec::new();
    if f.published_only() {
        let published = [OpportunityStatus::Published];
        let filter = Filter {
            district,
            statuses: &published,
            open_on: Some(today),
            ..store_filter(f)
        };
        let rows = Opportunity::recent(conn, &filter, limit as i64)?;
        items.extend(published_items(conn, rows, lang, &mut names)?);
    }
    items.extend(virtual_items(conn, district, f, today, lang, &mut names)?);
    let mut out: Vec<PublicOpportunity> = items.into_iter().map(|i| i.out).collect();
    out.sort_by(|a, b| b.published_at.cmp(&a.published_at).then(a.id.cmp(&b.id)));
    out.truncate(limit);
    Ok(out)
}

/// One item of the board by id, whatever its source, or `None`.
fn find_item(conn: &mut DbConn, id: &str, lang: Lang) -> Result<Option<Item>, Error> {
    let mut names = Names::default();
    match Opportunity::find(conn, id) {
        Ok(o) => {
            return Ok(published_items(conn, vec![o], lang, &mut names)?.pop());
        }
        Err(Error::NotFound) => {}
        Err(e) => return Err(e),
    }
    match Measure::find(conn, &id.into()) {
        Ok(m) => {
            let d = names.district(conn, &m.district_id)?;
            return Ok(Some(measure_item(m, d, lang)));
        }
        Err(Error::NotFound) => {}
        Err(e) => return Err(e),
    }
    match Project::find(conn, &id.into()) {
        Ok(p) => {
            let measures = Measure::of_projects(conn, &[&p.id])?;
            let d = names.district(conn, &p.district_id)?;
            let lead = match &p.lead_organization_id {
                Some(o) => Organization::names(conn, &[o])?.pop().map(|(_, n)| n),
                None => None,
            };
            Ok(Some(project_item(p, &measures, d, lead, lang)))
        }
        Err(Error::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Is the item on the board today (a published opportunity open, a measure open, a project
/// granted or running)?
fn on_board(conn: &mut DbConn, i: &Item, today: NaiveDate) -> Result<bool, Error> {
    Ok(match i.out.source {
        OpportunitySource::Published => {
            i.status == OpportunityStatus::Published && rules::open_on(i.out.last_day, today)
        }
        OpportunitySource::Measure => {
            i.rules.active
                && i.rules.valid_from <= today
                && i.rules.valid_to.is_none_or(|t| today <= t)
        }
        OpportunitySource::Project => {
            let p = Project::find(conn, &i.out.id.as_str().into())?;
            matches!(
                p.status,
                sistema_lavoro_domain::projects::ProjectStatus::Granted
                    | sistema_lavoro_domain::projects::ProjectStatus::Running
            )
        }
    })
}

/// A published item for anyone (`404` for drafts, withdrawn and expired ones, closed
/// measures and projects not granted).
pub fn public_item(
    conn: &mut DbConn,
    id: &str,
    today: NaiveDate,
    lang: Lang,
) -> Result<PublicOpportunity, Error> {
    let i = find_item(conn, id, lang)?.ok_or_else(Error::hidden)?;
    if !on_board(conn, &i, today)? {
        return Err(Error::hidden());
    }
    Ok(i.out)
}

// ------------------------------------------------------------------- signed in

fn is_member(
    conn: &mut DbConn,
    cx: &Ctx,
    org: &OrganizationId,
    district: &DistrictId,
) -> Result<bool, Error> {
    store::is_member_in_district(conn, org, district, cx.now.today)
}

fn item_out(
    conn: &mut DbConn,
    cx: &Ctx,
    view: OpportunityView,
    i: Item,
) -> Result<OpportunityOut, Error> {
    let (allowed_actions, blocked_actions) = match (&i.organization, i.out.source) {
        (Some(org), OpportunitySource::Published) => {
            let district = DistrictId::from(i.out.district_id.as_str());
            let member = is_member(conn, cx, org, &district)?;
            cx.render(policy::opportunity_actions(
                cx.actor, view, org, member, i.status,
            ))
        }
        _ => (Vec::new(), Vec::new()),
    };
    Ok(OpportunityOut {
        opportunity: i.out,
        status: i.status,
        expired_on: i.expired_on,
        withdrawal_reason: i.withdrawal_reason,
        allowed_actions,
        blocked_actions,
        updated_at: utc(i.updated_at),
    })
}

/// The district's board, by id: published opportunities (and, for the coordinator and the
/// publishing organization, drafts, expired and withdrawn ones), open measures and granted
/// projects. `status` narrows the published opportunities' states.
pub fn list(
    conn: &mut DbConn,
    cx: &Ctx,
    f: &BoardFilter,
    status: &[OpportunityStatus],
    page: &PageRequest,
) -> Result<Page<OpportunityOut>, Error> {
    let district = policy::may_read_opportunities(cx.actor)?.clone();
    let view = policy::opportunity_view(cx.actor, &district).ok_or_else(Error::hidden)?;
    let wanted: Vec<OpportunityStatus> = if status.is_empty() {
        OpportunityStatus::ALL.to_vec()
    } else {
        status.to_vec()
    };
    let everyone: Vec<OpportunityStatus> = match view {
        OpportunityView::Manage => wanted.clone(),
        OpportunityView::Read => wanted
            .iter()
            .copied()
            .filter(|s| *s == OpportunityStatus::Published)
            .collect(),
    };
    let limit = usize::try_from(page.limit).unwrap_or(0);
    let mut names = Names::default();
    let mut items = Vec::new();
    if f.published_only() {
        let filter = Filter {
            district: Some(&district),
            statuses: &everyone,
            own: match (view, cx.actor.organization_id.as_ref()) {
                (OpportunityView::Read, Some(o)) => Some((o, wanted.as_slice())),
                _ => None,
            },
            ..store_filter(f)
        };
        let rows = Opportunity::list(conn, &filter, page.after(), page.limit + 1)?;
        items.extend(published_items(conn, rows, cx.lang, &mut names)?);
    }
    if wanted.contains(&OpportunityStatus::Published) {
        let mut v = virtual_items(conn, Some(&district), f, cx.now.today, cx.lang, &mut names)?;
        if let Some(a) = page.after() {
            v.retain(|i| i.out.id.as_str() > a);
        }
        items.extend(v);
    }
    items.sort_by(|a, b| a.out.id.cmp(&b.out.id));
    let more = items.len() > limit;
    items.truncate(limit);
    let next = if more {
        items.last().map(|i| i.out.id.clone())
    } else {
        None
    };
    let mut out = Vec::with_capacity(items.len());
    for i in items {
        out.push(item_out(conn, cx, view, i)?);
    }
    Ok(Page { items: out, next })
}

/// An item the caller sees, at the version it expects.
fn visible_item(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &str,
    expected: &Expected,
) -> Result<(Item, OpportunityView), Error> {
    let i = find_item(conn, id, cx.lang)?.ok_or_else(Error::hidden)?;
    let district = DistrictId::from(i.out.district_id.as_str());
    let view = policy::opportunity_view(cx.actor, &district).ok_or_else(Error::hidden)?;
    let seen = match (&i.organization, i.out.source) {
        (Some(org), OpportunitySource::Published) => {
            policy::sees_opportunity(cx.actor, view, org, i.status)
        }
        _ => on_board(conn, &i, cx.now.today)?,
    };
    if !seen {
        return Err(Error::hidden());
    }
    expected.check(Version::of(i.updated_at))?;
    Ok((i, view))
}

pub fn read(conn: &mut DbConn, cx: &Ctx, id: &str) -> Result<OpportunityOut, Error> {
    let (i, view) = visible_item(conn, cx, id, &Expected::Any)?;
    item_out(conn, cx, view, i)
}

fn visible_published(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &OpportunityId,
    expected: &Expected,
) -> Result<(Opportunity, OpportunityView), Error> {
    let o = Opportunity::find(conn, id.as_str()).map_err(|_| Error::hidden())?;
    let view = policy::opportunity_view(cx.actor, &o.district_id).ok_or_else(Error::hidden)?;
    if !policy::sees_opportunity(cx.actor, view, &o.organization_id, o.status) {
        return Err(Error::hidden());
    }
    expected.check(Version::of(o.updated_at))?;
    Ok((o, view))
}

fn out_of(
    conn: &mut DbConn,
    cx: &Ctx,
    view: OpportunityView,
    o: Opportunity,
) -> Result<OpportunityOut, Error> {
    let mut names = Names::default();
    let i = published_items(conn, vec![o], cx.lang, &mut names)?
        .pop()
        .ok_or_else(|| Error::Internal("opportunity lost".into()))?;
    item_out(conn, cx, view, i)
}

/// The rules an opportunity's values meet together.
fn checked(conn: &mut DbConn, o: &Opportunity) -> Result<(), Error> {
    let mut errors = Vec::new();
    if let (Some(min), Some(max)) = (o.min_age, o.max_age) {
        if min > max {
            errors.push(FieldError::new(
                "max_age",
                "below_min",
                text!(
                    "l'età massima non può essere inferiore alla minima",
                    "the maximum age cannot be below the minimum"
                ),
            ));
        }
    }
    if let (Some(s), Some(e)) = (o.starts_on, o.ends_on) {
        if e < s {
            errors.push(FieldError::new(
                "ends_on",
                "before_start",
                text!(
                    "la fine non può precedere l'inizio",
                    "the end cannot come before the start"
                ),
            ));
        }
    }
    if let (Some(a), Some(e)) = (o.apply_by, o.ends_on) {
        if a > e {
            errors.push(FieldError::new(
                "apply_by",
                "after_end",
                text!(
                    "la scadenza per candidarsi non può seguire la fine",
                    "the deadline to apply cannot come after the end"
                ),
            ));
        }
    }
    if let Some(code) = &o.municipality_code {
        let ok = municipality::by_istat(code).is_some_and(|m| m.is_current() && !m.is_foreign());
        if !ok {
            errors.push(FieldError::new(
                "municipality_code",
                "unknown",
                text!(
                    "nessun comune italiano attuale ha questo codice ISTAT",
                    "no current Italian municipality has this ISTAT code"
                ),
            ));
        }
    }
    match (&o.shared_response_id, o.kind) {
        (Some(_), k) if k != OpportunityKind::Service => errors.push(FieldError::new(
            "shared_response_id",
            "not_a_service",
            text!(
                "solo un servizio racconta una risposta condivisa",
                "only a service tells about a shared response"
            ),
        )),
        (Some(r), _) => {
            let ok = match SharedResponse::find(conn, r) {
                Ok(r) => {
                    sistema_lavoro_store::networks::Network::find(conn, &r.network_id)?.district_id
                        == o.district_id
                }
                Err(Error::NotFound) => false,
                Err(e) => return Err(e),
            };
            if !ok {
                errors.push(FieldError::new(
                    "shared_response_id",
                    "unknown",
                    text!(
                        "nessuna risposta condivisa di una rete dell'Ambito ha questo identificativo",
                        "no shared response of a network of the district has this id"
                    ),
                ));
            }
        }
        (None, _) => {}
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    Ok(())
}

/// What publishing asks beyond the draft: how to apply, a contact, a deadline not passed.
fn ready_to_publish(o: &Opportunity, today: NaiveDate) -> Result<(), Error> {
    let mut errors = Vec::new();
    if o.how_to_apply.is_none() {
        errors.push(FieldError::new(
            "how_to_apply",
            "required_to_publish",
            text!(
                "per pubblicare serve dire come candidarsi",
                "say how to apply before publishing"
            ),
        ));
    }
    if o.contact.is_none() {
        errors.push(FieldError::new(
            "contact",
            "required_to_publish",
            text!(
                "per pubblicare serve un contatto",
                "a contact is needed to publish"
            ),
        ));
    }
    if !rules::open_on(o.last_day, today) {
        errors.push(FieldError::new(
            if o.apply_by.is_some() {
                "apply_by"
            } else {
                "ends_on"
            },
            "passed",
            text!(
                "la scadenza è già passata: non si pubblica un'opportunità chiusa",
                "the deadline has passed: a closed opportunity is not published"
            ),
        ));
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    Ok(())
}

fn municipality_of(raw: Option<String>) -> Option<String> {
    trimmed(raw)
}

/// A municipality code as published (`^[0-9]{6}$`), checked before anything is read, so a
/// malformed one is `422` whatever the version sent.
fn municipality_format(raw: Option<&str>) -> Result<(), Error> {
    match raw {
        Some(c) if c.len() != 6 || !c.bytes().all(|b| b.is_ascii_digit()) => {
            Err(Error::validation(
                "municipality_code",
                "pattern",
                text!(
                    "un codice ISTAT è di 6 cifre, per esempio 016024",
                    "an ISTAT code has 6 digits, e.g. 016024"
                ),
            ))
        }
        _ => Ok(()),
    }
}

fn record(
    conn: &mut DbConn,
    cx: &Ctx,
    entity_type: &str,
    id: &str,
    action: &str,
    (from, to): (Option<&str>, &str),
    reason: Option<&str>,
) -> Result<(), Error> {
    audit::record(
        conn,
        Transition {
            entity_type,
            entity_id: id,
            action,
            from,
            to,
            reason,
            actor_id: Some(&cx.actor.id),
            at: cx.now.at,
        },
    )
}

pub fn create(conn: &mut DbConn, cx: &Ctx, i: OpportunityInput) -> Result<OpportunityOut, Error> {
    municipality_format(i.municipality_code.as_deref())?;
    let district = policy::may_read_opportunities(cx.actor)?.clone();
    let view = policy::opportunity_view(cx.actor, &district).ok_or_else(Error::hidden)?;
    let organization = match (&i.organization_id, &cx.actor.organization_id) {
        (Some(o), _) => o.clone(),
        (None, Some(o)) => o.clone(),
        (None, None) => {
            return Err(Error::validation(
                "organization_id",
                "required",
                text!(
                    "indicare l'ente che pubblica",
                    "name the publishing organization"
                ),
            ))
        }
    };
    write_tx(conn, |conn| {
        match Organization::find(conn, &organization) {
            Ok(org) if org.district_id == district => {}
            Ok(_) | Err(Error::NotFound) => {
                return Err(Error::validation(
                    "organization_id",
                    "unknown",
                    text!(
                        "nessun ente dell'Ambito ha questo identificativo",
                        "no organization of the district has this id"
                    ),
                ))
            }
            Err(e) => return Err(e),
        }
        let member = is_member(conn, cx, &organization, &district)?;
        policy::may_publish_for(cx.actor, view, &organization, member)?;
        let at = cx.now.at;
        let mut o = Opportunity {
            id: new_id(),
            district_id: district.clone(),
            kind: i.kind,
            organization_id: organization.clone(),
            area: i.area,
            title: i.title.trim().to_string(),
            description: i.description.trim().to_string(),
            min_age: i.min_age,
            max_age: i.max_age,
            employment_statuses: dedup(i.employment_statuses.clone()),
            target_groups: dedup(i.target_groups.clone()),
            residence_required: i.residence_required,
            municipality_code: municipality_of(i.municipality_code.clone()),
            place_note: trimmed(i.place_note.clone()),
            starts_on: i.starts_on,
            ends_on: i.ends_on,
            apply_by: i.apply_by,
            last_day: rules::last_day(i.apply_by, i.starts_on, i.ends_on),
            how_to_apply: trimmed(i.how_to_apply.clone()),
            contact: trimmed(i.contact.clone()),
            shared_response_id: i.shared_response_id.clone(),
            status: OpportunityStatus::Draft,
            published_at: None,
            expired_on: None,
            withdrawal_reason: None,
            created_by: Some(cx.actor.id.clone()),
            created_at: at,
            updated_at: at,
        };
        checked(conn, &o)?;
        if i.publish {
            ready_to_publish(&o, cx.now.today)?;
            o.status = OpportunityStatus::Published;
            o.published_at = Some(at);
        }
        Opportunity::insert(conn, &o)?;
        record(
            conn,
            cx,
            "opportunity",
            o.id.as_str(),
            "create",
            (None, OpportunityStatus::Draft.as_str()),
            None,
        )?;
        if i.publish {
            record(
                conn,
                cx,
                "opportunity",
                o.id.as_str(),
                "publish",
                (Some("draft"), "published"),
                None,
            )?;
        }
        out_of(conn, cx, view, o)
    })
}

pub fn update(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &OpportunityId,
    expected: &Expected,
    patch: OpportunityPatch,
) -> Result<OpportunityOut, Error> {
    municipality_format(patch.municipality_code.as_ref().and_then(|m| m.as_deref()))?;
    write_tx(conn, |conn| {
        let (mut o, view) = visible_published(conn, cx, id, expected)?;
        let member = is_member(conn, cx, &o.organization_id, &o.district_id)?;
        policy::may_publish_for(cx.actor, view, &o.organization_id, member)?;
        o.status.edit()?;
        let before = o.clone();
        if let Some(v) = patch.area {
            o.area = v;
        }
        if let Some(v) = &patch.title {
            o.title = v.trim().to_string();
        }
        if let Some(v) = &patch.description {
            o.description = v.trim().to_string();
        }
        if let Some(v) = patch.min_age {
            o.min_age = v;
        }
        if let Some(v) = patch.max_age {
            o.max_age = v;
        }
        if let Some(v) = &patch.employment_statuses {
            o.employment_statuses = dedup(v.clone());
        }
        if let Some(v) = &patch.target_groups {
            o.target_groups = dedup(v.clone());
        }
        if let Some(v) = patch.residence_required {
            o.residence_required = v;
        }
        if let Some(v) = &patch.municipality_code {
            o.municipality_code = municipality_of(v.clone());
        }
        if let Some(v) = &patch.place_note {
            o.place_note = trimmed(v.clone());
        }
        if let Some(v) = patch.starts_on {
            o.starts_on = v;
        }
        if let Some(v) = patch.ends_on {
            o.ends_on = v;
        }
        if let Some(v) = patch.apply_by {
            o.apply_by = v;
        }
        if let Some(v) = &patch.how_to_apply {
            o.how_to_apply = trimmed(v.clone());
        }
        if let Some(v) = &patch.contact {
            o.contact = trimmed(v.clone());
        }
        if let Some(v) = &patch.shared_response_id {
            o.shared_response_id = v.clone();
        }
        o.last_day = rules::last_day(o.apply_by, o.starts_on, o.ends_on);
        checked(conn, &o)?;
        if o.status == OpportunityStatus::Published {
            ready_to_publish(&o, cx.now.today)?;
        }
        let changed = audit::changed_fields(&before, &o);
        if !changed.is_empty() {
            o.updated_at = cx.now.at;
            audit::save_edit(conn, &o, &changed, cx.by())?;
        }
        out_of(conn, cx, view, o)
    })
}

pub fn publish(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &OpportunityId,
    expected: &Expected,
) -> Result<OpportunityOut, Error> {
    write_tx(conn, |conn| {
        let (mut o, view) = visible_published(conn, cx, id, expected)?;
        let member = is_member(conn, cx, &o.organization_id, &o.district_id)?;
        policy::may_publish_for(cx.actor, view, &o.organization_id, member)?;
        let to = o.status.publish()?;
        ready_to_publish(&o, cx.now.today)?;
        o.published_at = Some(cx.now.at);
        audit::move_to(conn, &mut o, "publish", to, None, cx.by())?;
        out_of(conn, cx, view, o)
    })
}

pub fn withdraw(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &OpportunityId,
    expected: &Expected,
    i: WithdrawOpportunityInput,
) -> Result<OpportunityOut, Error> {
    write_tx(conn, |conn| {
        let (mut o, view) = visible_published(conn, cx, id, expected)?;
        policy::may_withdraw_opportunity(cx.actor, view)?;
        let to = o.status.withdraw()?;
        let reason = i.reason.trim().to_string();
        o.withdrawal_reason = Some(reason.clone());
        audit::move_to(conn, &mut o, "withdraw", to, Some(&reason), cx.by())?;
        out_of(conn, cx, view, o)
    })
}

/// The clock's daily round: published opportunities whose last day passed become `expired`
/// (recorded as the system's move). Returns how many.
pub fn expire_due(
    conn: &mut DbConn,
    now: sistema_lavoro_domain::clock::Now,
) -> Result<usize, Error> {
    let mut n = 0;
    loop {
        let due = Opportunity::past_their_day(conn, now.today, 200)?;
        if due.is_empty() {
            return Ok(n);
        }
        for mut o in due {
            write_tx(conn, |conn| {
                let to = o.status.expire()?;
                o.expired_on = Some(now.today);
                let from = o.status;
                o.status = to;
                o.updated_at = now.at;
                if Opportunity::save_if(conn, &o, from)? {
                    audit::record(
                        conn,
                        Transition {
                            entity_type: "opportunity",
                            entity_id: o.id.as_str(),
                            action: "expire",
                            from: Some(from.as_str()),
                            to: to.as_str(),
                            reason: None,
                            actor_id: None,
                            at: now.at,
                        },
                    )?;
                }
                Ok(())
            })?;
            n += 1;
        }
    }
}

// ---------------------------------------------------------------------- matching

fn facts_for(conn: &mut DbConn, cx: &Ctx, person: &PersonId) -> Result<PersonFacts, Error> {
    let p = persons::visible(conn, cx, person, &Expected::Any)?;
    let mut facts = catalogue::facts(conn, &p)?;
    if !persons::sees_special_categories(conn, cx, &p)? {
        facts.target_groups.retain(|g| !g.is_special_category());
    }
    Ok(facts)
}

fn matches(
    conn: &mut DbConn,
    cx: &Ctx,
    district: &DistrictId,
    facts: &PersonFacts,
    all: bool,
    proposed: &HashMap<String, String>,
) -> Result<MatchList, Error> {
    let mut names = Names::default();
    let published = [OpportunityStatus::Published];
    let filter = Filter {
        district: Some(district),
        statuses: &published,
        open_on: Some(cx.now.today),
        ..Filter::default()
    };
    let rows = Opportunity::list(conn, &filter, None, 1000)?;
    let mut items = published_items(conn, rows, cx.lang, &mut names)?;
    items.extend(virtual_items(
        conn,
        Some(district),
        &BoardFilter::default(),
        cx.now.today,
        cx.lang,
        &mut names,
    )?);
    let mut out: Vec<OpportunityMatch> = items
        .into_iter()
        .map(|i| {
            let Eligibility { eligible, reasons } =
                eligibility::evaluate(&i.rules, facts, cx.now.today, cx.lang);
            OpportunityMatch {
                proposal_id: proposed.get(&i.out.id).cloned(),
                opportunity: i.out,
                eligible,
                reasons,
            }
        })
        .filter(|m| all || m.eligible)
        .collect();
    out.sort_by(|a, b| {
        b.eligible
            .cmp(&a.eligible)
            .then(
                a.opportunity
                    .last_day
                    .is_none()
                    .cmp(&b.opportunity.last_day.is_none()),
            )
            .then(a.opportunity.last_day.cmp(&b.opportunity.last_day))
            .then(a.opportunity.title.cmp(&b.opportunity.title))
    });
    Ok(MatchList { items: out })
}

/// The board's items that fit the person of a case (all, with their reasons, if `all`).
pub fn for_case(conn: &mut DbConn, cx: &Ctx, id: &CaseId, all: bool) -> Result<MatchList, Error> {
    let c = case_state::visible(conn, cx, id, &Expected::Any)?;
    let facts = facts_for(conn, cx, &c.person_id)?;
    let proposed: HashMap<String, String> = OpportunityProposal::all_of_case(conn, &c.id)?
        .into_iter()
        .map(|p| (p.opportunity_id, p.id.to_string()))
        .collect();
    matches(conn, cx, &c.district_id, &facts, all, &proposed)
}

/// The board's items that fit the person of a referral.
pub fn for_referral(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ReferralId,
    all: bool,
) -> Result<MatchList, Error> {
    let r = referrals::visible(conn, cx, id, &Expected::Any)?;
    let facts = facts_for(conn, cx, &r.person_id)?;
    matches(conn, cx, &r.district_id, &facts, all, &HashMap::new())
}

fn proposal_out(cx: &Ctx, p: OpportunityProposal) -> OpportunityProposalOut {
    let allowed_actions = if policy::may_propose_opportunity(cx.actor).is_ok() {
        vec![Action::Answer]
    } else {
        Vec::new()
    };
    OpportunityProposalOut {
        id: p.id.to_string(),
        case_id: p.case_id.to_string(),
        source: p.source,
        opportunity_id: p.opportunity_id,
        title: p.title,
        note: p.note,
        answer: p.answer,
        answered_on: p.answered_on,
        result: p.result,
        proposed_by: p.proposed_by,
        allowed_actions,
        created_at: utc(p.created_at),
        updated_at: utc(p.updated_at),
    }
}

/// The opportunities proposed on a case, by id: whoever reads the case.
pub fn proposals(
    conn: &mut DbConn,
    cx: &Ctx,
    case_id: &CaseId,
    page: &PageRequest,
) -> Result<Page<OpportunityProposalOut>, Error> {
    let c = case_state::visible(conn, cx, case_id, &Expected::Any)?;
    let mut rows = OpportunityProposal::of_case(conn, &c.id, page.after(), page.limit)?;
    let more = rows.len() as i64 > page.limit;
    rows.truncate(usize::try_from(page.limit).unwrap_or(0));
    let next = if more {
        rows.last().map(|p| p.id.to_string())
    } else {
        None
    };
    Ok(Page {
        items: rows.into_iter().map(|p| proposal_out(cx, p)).collect(),
        next,
    })
}

/// Whoever works an open case proposes an item of the board open today in the case's
/// district, once per case; the case's timeline shows it.
pub fn propose(
    conn: &mut DbConn,
    cx: &Ctx,
    case_id: &CaseId,
    i: OpportunityProposalInput,
) -> Result<OpportunityProposalOut, Error> {
    policy::may_propose_opportunity(cx.actor)?;
    write_tx(conn, |conn| {
        let c = case_state::visible(conn, cx, case_id, &Expected::Any)?;
        if !c.status.is_open() {
            return Err(Error::InvalidTransition {
                entity: "case",
                action: "propose",
                from: c.status.as_str().into(),
            });
        }
        let id = i.opportunity_id.trim();
        let unknown = || {
            Error::validation(
                "opportunity_id",
                "unknown",
                text!(
                    "nessuna opportunità aperta oggi nell'Ambito del caso ha questo identificativo",
                    "no opportunity open today in the case's district has this id"
                ),
            )
        };
        let item = find_item(conn, id, cx.lang)?.ok_or_else(unknown)?;
        if item.out.district_id != c.district_id.as_str() || !on_board(conn, &item, cx.now.today)? {
            return Err(unknown());
        }
        let twice = |existing_id: Option<String>| Error::Conflict {
            code: ErrorCode::Duplicate,
            detail: text!(
                "questa opportunità è già stata proposta per il caso",
                "this opportunity was already proposed on the case"
            ),
            existing_id,
        };
        if let Some(p) = OpportunityProposal::of(conn, &c.id, id)? {
            return Err(twice(Some(p.id.to_string())));
        }
        let p = OpportunityProposal {
            id: new_id(),
            case_id: c.id.clone(),
            source: item.out.source,
            opportunity_id: item.out.id.clone(),
            title: item.out.title.clone(),
            note: trimmed(i.note.clone()),
            answer: None,
            answered_on: None,
            result: None,
            proposed_by: cx.actor.id.clone(),
            created_at: cx.now.at,
            updated_at: cx.now.at,
        };
        OpportunityProposal::insert(conn, &p).map_err(|e| match e {
            Error::Conflict {
                code: ErrorCode::Duplicate,
                ..
            } => twice(None),
            e => e,
        })?;
        record(
            conn,
            cx,
            "opportunity_proposal",
            p.id.as_str(),
            "propose",
            (None, "proposed"),
            p.note.as_deref(),
        )?;
        Ok(proposal_out(cx, p))
    })
}

/// Records the person's answer and the result (again, when it changes: each answer is kept
/// in the history).
pub fn answer(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &OpportunityProposalId,
    i: ProposalAnswerInput,
) -> Result<OpportunityProposalOut, Error> {
    policy::may_propose_opportunity(cx.actor)?;
    write_tx(conn, |conn| {
        let mut p = OpportunityProposal::find(conn, id).map_err(|_| Error::hidden())?;
        case_state::visible(conn, cx, &p.case_id, &Expected::Any)?;
        let on = i.answered_on.unwrap_or(cx.now.today);
        if on > cx.now.today {
            return Err(Error::validation(
                "answered_on",
                "future",
                text!(
                    "la data non può essere futura",
                    "the date cannot be in the future"
                ),
            ));
        }
        if on < p.created_at.date() {
            return Err(Error::validation(
                "answered_on",
                "before_proposal",
                text!(
                    "la risposta non può precedere la proposta",
                    "the answer cannot come before the proposal"
                ),
            ));
        }
        let from = p.answer.map(|a| a.as_str()).unwrap_or("proposed");
        p.answer = Some(i.answer);
        p.answered_on = Some(on);
        p.result = trimmed(i.result.clone());
        p.updated_at = cx.now.at;
        OpportunityProposal::save(conn, &p)?;
        record(
            conn,
            cx,
            "opportunity_proposal",
            p.id.as_str(),
            "answer",
            (Some(from), i.answer.as_str()),
            p.result.as_deref(),
        )?;
        Ok(proposal_out(cx, p))
    })
}
