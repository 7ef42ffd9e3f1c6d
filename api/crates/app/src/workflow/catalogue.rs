//! The measure catalogue, eligibility, and the agencies' thresholds.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sistema_lavoro_domain::ids::{
    DistrictId, MeasureId, OrganizationId, PersonId, ProjectId, ThresholdId,
};
use utoipa::ToSchema;
use validator::Validate;

use sistema_lavoro_domain::actions::{Action, BlockedAction};
use sistema_lavoro_domain::eligibility::{
    self, Assessment, Eligibility, MeasureRules, PersonFacts, Reason,
};
use sistema_lavoro_domain::municipality::{self, IstatCode};
use sistema_lavoro_domain::plans::FundingSource;
use sistema_lavoro_domain::policy;
use sistema_lavoro_domain::values::Cents;
use sistema_lavoro_domain::vocabulary::{Cluster, EmploymentStatus, MeasureKind, TargetGroup};
use sistema_lavoro_domain::{text, Error, ErrorCode, Expected, FieldError, Version};
use sistema_lavoro_store::districts::{District, DistrictChanges};
use sistema_lavoro_store::measures::{self as mstore, Measure};
use sistema_lavoro_store::persons::Person;
use sistema_lavoro_store::thresholds::Threshold;
use sistema_lavoro_store::{audit, new_id, utc, write_tx, DbConn};

use super::persons::{self, Place};
use super::{check_agency, Page, PageRequest};
use crate::Ctx;

/// A new measure of the catalogue (misura / progetto).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"code": "GG", "name": "Garanzia Giovani", "kind": "gg",
    "funding_source": "esf_plus", "funding_note": "FSE+ – Regione Lombardia", "valid_from": "2026-01-01", "valid_to": "2026-12-31",
    "min_age": 15, "max_age": 29, "employment_statuses": ["unemployed", "inactive"],
    "residence_required": true, "default_amount_cents": 150000}))]
pub struct MeasureInput {
    /// Short unique code in the district, e.g. `DUL`, `GG`, `STEP`.
    #[validate(length(min = 1, max = 40))]
    #[schema(min_length = 1, max_length = 40)]
    pub code: String,
    /// Name of the measure or project, e.g. "Garanzia Giovani".
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub name: String,
    /// Tipo di misura: DUL, GG, district project, …
    pub kind: MeasureKind,
    /// Fonte di finanziamento, the plan's vocabulary; `other` needs `funding_note`.
    pub funding_source: FundingSource,
    /// The source named further (the fund, the call, e.g. "FSE+ – Regione Lombardia"), or what
    /// `other` is; blank is none.
    #[validate(length(max = 300))]
    #[schema(max_length = 300)]
    pub funding_note: Option<String>,
    /// Free description (default empty).
    #[serde(default)]
    #[validate(length(max = 4000))]
    #[schema(max_length = 4000)]
    pub description: String,
    /// First day of validity.
    pub valid_from: NaiveDate,
    /// Last day of validity (open-ended when absent).
    pub valid_to: Option<NaiveDate>,
    /// Minimum age in years on the day of the check (no minimum when absent).
    #[validate(range(min = 14, max = 100))]
    #[schema(minimum = 14, maximum = 100)]
    pub min_age: Option<i32>,
    /// Maximum age in years on the day of the check (no maximum when absent).
    #[validate(range(min = 14, max = 100))]
    #[schema(minimum = 14, maximum = 100)]
    pub max_age: Option<i32>,
    /// Allowed employment statuses (empty: any).
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub employment_statuses: Vec<EmploymentStatus>,
    /// Target groups, at least one of which the person must belong to (empty: any).
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub target_groups: Vec<TargetGroup>,
    /// Allowed clusters (empty: any).
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub clusters: Vec<Cluster>,
    /// The person must live in one of the district's municipalities.
    #[serde(default)]
    pub residence_required: bool,
    /// Typical cost of one activation, proposed when the table assigns the measure.
    #[serde(default)]
    #[validate(range(min = 0, max = 100_000_000))]
    #[schema(minimum = 0, maximum = 100_000_000)]
    pub default_amount_cents: i64,
    /// Per gli operatori: who it is for, what it gives, how to refer — in plain Italian, as
    /// the opportunity board shows it.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub for_operators: Option<String>,
}

/// Changes to a measure; absent fields stay as they are.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct MeasurePatch {
    /// New name of the measure.
    #[validate(length(min = 2, max = 200))]
    #[schema(nullable = false, min_length = 2, max_length = 200)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub name: Option<String>,
    /// New funding source (fonte di finanziamento), the plan's vocabulary; `other` needs
    /// `funding_note`.
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub funding_source: Option<FundingSource>,
    /// `null` (or blank) clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[validate(length(max = 300))]
    #[schema(max_length = 300, value_type = Option<String>)]
    pub funding_note: Option<Option<String>>,
    /// New description.
    #[validate(length(max = 4000))]
    #[schema(nullable = false, max_length = 4000)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub description: Option<String>,
    /// New first day of validity.
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub valid_from: Option<NaiveDate>,
    #[schema(value_type = Option<NaiveDate>)]
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    pub valid_to: Option<Option<NaiveDate>>,
    #[validate(range(min = 14, max = 100))]
    #[schema(minimum = 14, maximum = 100, value_type = Option<i32>)]
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    pub min_age: Option<Option<i32>>,
    #[validate(range(min = 14, max = 100))]
    #[schema(minimum = 14, maximum = 100, value_type = Option<i32>)]
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    pub max_age: Option<Option<i32>>,
    /// Replaces the allowed employment statuses (empty: any).
    #[validate(length(max = 20))]
    #[schema(nullable = false, max_items = 20)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub employment_statuses: Option<Vec<EmploymentStatus>>,
    /// Replaces the target groups, at least one of which the person must belong to (empty: any).
    #[validate(length(max = 20))]
    #[schema(nullable = false, max_items = 20)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub target_groups: Option<Vec<TargetGroup>>,
    /// Replaces the allowed clusters (empty: any).
    #[validate(length(max = 20))]
    #[schema(nullable = false, max_items = 20)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub clusters: Option<Vec<Cluster>>,
    /// Whether the person must live in one of the district's municipalities.
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub residence_required: Option<bool>,
    /// New typical cost of one activation, euro cents.
    #[validate(range(min = 0, max = 100_000_000))]
    #[schema(nullable = false, minimum = 0, maximum = 100_000_000)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub default_amount_cents: Option<i64>,
    /// `false` withdraws the measure: no new proposals or table assignments.
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub active: Option<bool>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000, value_type = Option<String>)]
    pub for_operators: Option<Option<String>>,
}

/// A measure of the catalogue.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct MeasureOut {
    /// Identifier of the measure (misura), a UUID.
    pub id: String,
    /// Short code, unique in the district, e.g. `DUL`, `GG`.
    pub code: String,
    /// Name of the measure or project.
    pub name: String,
    /// Tipo di misura: DUL, GG, district project, …
    pub kind: MeasureKind,
    /// Fonte di finanziamento, the plan's vocabulary.
    pub funding_source: FundingSource,
    /// The source named further (the fund, the call), or what `other` is.
    pub funding_note: Option<String>,
    /// The granted project whose money it spends, for a project's measure.
    pub project_id: Option<String>,
    /// Free description.
    pub description: String,
    /// First day of validity (ISO 8601 date).
    pub valid_from: NaiveDate,
    /// Last day of validity; open-ended when absent.
    pub valid_to: Option<NaiveDate>,
    /// Minimum age in years (eligibility rule).
    pub min_age: Option<i32>,
    /// Maximum age in years (eligibility rule).
    pub max_age: Option<i32>,
    /// Allowed employment statuses (empty: any).
    pub employment_statuses: Vec<EmploymentStatus>,
    /// Target groups, at least one of which the person must belong to (empty: any).
    pub target_groups: Vec<TargetGroup>,
    /// Allowed clusters (empty: any).
    pub clusters: Vec<Cluster>,
    /// The person must live in one of the district's municipalities.
    pub residence_required: bool,
    /// Typical cost of one activation, euro cents (0: none, the amount must be given).
    pub default_amount_cents: Cents,
    /// Inactive measures stay in the catalogue but take no new activations.
    pub active: bool,
    /// Per gli operatori: who it is for, what it gives, how to refer.
    pub for_operators: Option<String>,
    /// What you may do with it now.
    pub allowed_actions: Vec<Action>,
    /// Actions your role could take but are refused now, each with its reason.
    pub blocked_actions: Vec<BlockedAction>,
    /// When it was added (RFC 3339, UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it last changed (RFC 3339, UTC); its version is the `ETag`.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl MeasureOut {
    pub fn of(cx: &Ctx, m: Measure) -> MeasureOut {
        let (allowed_actions, blocked_actions) = cx.render(policy::catalogue_actions(cx.actor));
        MeasureOut {
            kind: m.kind,
            employment_statuses: m.employment_statuses,
            target_groups: m.target_groups,
            clusters: m.clusters,
            id: m.id.into(),
            code: m.code,
            name: m.name,
            funding_source: m.funding_source,
            funding_note: m.funding_note,
            project_id: m.project_id.map(Into::into),
            description: m.description,
            valid_from: m.valid_from,
            valid_to: m.valid_to,
            min_age: m.min_age,
            max_age: m.max_age,
            residence_required: m.residence_required,
            default_amount_cents: m.default_amount_cents,
            active: m.active,
            for_operators: m.for_operators,
            allowed_actions,
            blocked_actions,
            created_at: utc(m.created_at),
            updated_at: utc(m.updated_at),
        }
    }
}

fn check_measure(m: &Measure) -> Result<(), Error> {
    let mut errors = Vec::new();
    if let (Some(min), Some(max)) = (m.min_age, m.max_age) {
        if min > max {
            errors.push(FieldError::new(
                "max_age",
                "range",
                text!(
                    "non può essere inferiore a min_age",
                    "must not be below min_age"
                ),
            ));
        }
    }
    if m.funding_source == FundingSource::Other && m.funding_note.is_none() {
        errors.push(FieldError::new(
            "funding_note",
            "required",
            text!(
                "con la fonte «altro» va indicata quale",
                "with the source \"other\", say which it is"
            ),
        ));
    }
    if m.valid_to.is_some_and(|to| to < m.valid_from) {
        errors.push(FieldError::new(
            "valid_to",
            "range",
            text!(
                "non può essere precedente a valid_from",
                "must not be before valid_from"
            ),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation(errors))
    }
}

fn trimmed(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn cents(field: &str, v: i64) -> Result<Cents, Error> {
    Cents::parse(field, v).map_err(|e| Error::Validation(vec![e]))
}

/// Filters of the catalogue.
#[derive(Debug, Clone, Default)]
pub struct MeasureQuery {
    pub active: Option<bool>,
    pub kind: Option<MeasureKind>,
}

/// The district's catalogue, by id.
pub fn list_measures(
    conn: &mut DbConn,
    cx: &Ctx,
    q: MeasureQuery,
    page: &PageRequest,
) -> Result<Page<MeasureOut>, Error> {
    policy::may_read_catalogue(cx.actor)?;
    let rows = Measure::list(
        conn,
        cx.actor.district()?,
        q.active,
        q.kind,
        page.after(),
        page.limit,
    )?;
    Page::of(
        rows,
        page.limit,
        |m| m.id.clone().into(),
        |m| Ok(MeasureOut::of(cx, m)),
    )
}

pub fn create_measure(conn: &mut DbConn, cx: &Ctx, i: MeasureInput) -> Result<MeasureOut, Error> {
    policy::may_run_the_table(cx.actor)?;
    write_tx(conn, |conn| {
        let m = insert_measure(conn, cx, i.clone(), None)?;
        Ok(MeasureOut::of(cx, m))
    })
}

/// Adds a measure to the caller's district's catalogue, in the caller's transaction; a
/// project's measure names the project whose money it spends.
pub fn insert_measure(
    conn: &mut DbConn,
    cx: &Ctx,
    i: MeasureInput,
    project_id: Option<ProjectId>,
) -> Result<Measure, Error> {
    let district = cx.actor.district()?.clone();
    let at = cx.now.at;
    let m = Measure {
        id: new_id(),
        district_id: district,
        code: i.code.trim().to_uppercase(),
        name: i.name.trim().into(),
        kind: i.kind,
        funding_source: i.funding_source,
        funding_note: trimmed(i.funding_note),
        project_id,
        description: i.description,
        valid_from: i.valid_from,
        valid_to: i.valid_to,
        min_age: i.min_age,
        max_age: i.max_age,
        employment_statuses: i.employment_statuses,
        target_groups: i.target_groups,
        clusters: i.clusters,
        residence_required: i.residence_required,
        default_amount_cents: cents("default_amount_cents", i.default_amount_cents)?,
        active: true,
        created_at: at,
        updated_at: at,
        for_operators: super::trimmed(i.for_operators),
    };
    check_measure(&m)?;
    {
        Measure::insert(conn, &m).map_err(|e| match e {
            Error::Conflict { .. } => Error::conflict(
                ErrorCode::Duplicate,
                text!(
                    "nell'Ambito esiste già una misura con questo codice",
                    "a measure with this code exists in the district"
                ),
            ),
            other => other,
        })?;
        Ok(m)
    }
}

/// A measure of the caller's district (else `404`), at the version the caller expects.
pub fn measure_in_district(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &MeasureId,
    expected: &Expected,
) -> Result<Measure, Error> {
    let m = Measure::find(conn, id).map_err(|_| Error::hidden())?;
    if !cx.actor.in_district(&m.district_id) {
        return Err(Error::hidden());
    }
    expected.check(Version::of(m.updated_at))?;
    Ok(m)
}

pub fn read_measure(conn: &mut DbConn, cx: &Ctx, id: &MeasureId) -> Result<MeasureOut, Error> {
    policy::may_read_catalogue(cx.actor)?;
    Ok(MeasureOut::of(
        cx,
        measure_in_district(conn, cx, id, &Expected::Any)?,
    ))
}

pub fn update_measure(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &MeasureId,
    expected: &Expected,
    p: MeasurePatch,
) -> Result<MeasureOut, Error> {
    policy::may_run_the_table(cx.actor)?;
    let amount = p
        .default_amount_cents
        .map(|v| cents("default_amount_cents", v))
        .transpose()?;
    write_tx(conn, |conn| {
        let mut m = measure_in_district(conn, cx, id, expected)?;
        let before = m.clone();
        if let Some(v) = p.name {
            m.name = v.trim().into();
        }
        if let Some(v) = p.funding_source {
            m.funding_source = v;
        }
        if let Some(v) = p.funding_note {
            m.funding_note = trimmed(v);
        }
        if let Some(v) = p.description {
            m.description = v;
        }
        if let Some(v) = p.valid_from {
            m.valid_from = v;
        }
        if let Some(v) = p.valid_to {
            m.valid_to = v;
        }
        if let Some(v) = p.min_age {
            m.min_age = v;
        }
        if let Some(v) = p.max_age {
            m.max_age = v;
        }
        if let Some(v) = p.employment_statuses {
            m.employment_statuses = v;
        }
        if let Some(v) = p.target_groups {
            m.target_groups = v;
        }
        if let Some(v) = p.clusters {
            m.clusters = v;
        }
        if let Some(v) = p.residence_required {
            m.residence_required = v;
        }
        if let Some(v) = amount {
            m.default_amount_cents = v;
        }
        if let Some(v) = p.active {
            m.active = v;
        }
        if let Some(v) = p.for_operators {
            m.for_operators = super::trimmed(v);
        }
        check_measure(&m)?;
        let changed = audit::changed_fields(&before, &m);
        if !changed.is_empty() {
            m.updated_at = cx.now.at;
            Measure::save(conn, &m)?;
            let state = if m.active { "active" } else { "inactive" };
            audit::record_update(
                conn,
                "measure",
                m.id.as_str(),
                Some(state),
                &changed.join(", "),
                cx.by(),
            )?;
        }
        Ok(MeasureOut::of(cx, m))
    })
}

pub fn rules(m: &Measure) -> MeasureRules {
    MeasureRules {
        active: m.active,
        valid_from: m.valid_from,
        valid_to: m.valid_to,
        min_age: m.min_age,
        max_age: m.max_age,
        employment_statuses: m.employment_statuses.clone(),
        target_groups: m.target_groups.clone(),
        clusters: m.clusters.clone(),
        residence_required: m.residence_required,
    }
}

/// What eligibility looks at in a person: declared groups, plus those implied by the
/// special-category flags, and residence in the district.
pub fn facts(conn: &mut DbConn, p: &Person) -> Result<PersonFacts, Error> {
    let resident = match &p.residence_municipality_code {
        Some(code) => mstore::district_has_municipality(conn, &p.district_id, code)?,
        None => false,
    };
    Ok(facts_with(p, resident))
}

/// [`facts`], residence already known (for many persons at once).
pub fn facts_with(p: &Person, resident_in_district: bool) -> PersonFacts {
    let mut groups = p.target_groups.clone();
    if p.has_disability && !groups.contains(&TargetGroup::Disability) {
        groups.push(TargetGroup::Disability);
    }
    if p.criminal_justice && !groups.contains(&TargetGroup::CriminalJustice) {
        groups.push(TargetGroup::CriminalJustice);
    }
    PersonFacts {
        birth_date: p.birth_date,
        employment_status: p.employment_status,
        cluster: p.cluster,
        target_groups: groups,
        resident_in_district,
    }
}

/// Eligibility of a person for a measure on `day`, each reason in both languages.
pub fn eligibility_of(
    conn: &mut DbConn,
    m: &Measure,
    p: &Person,
    day: NaiveDate,
) -> Result<Assessment, Error> {
    let facts = facts(conn, p)?;
    Ok(eligibility::assess(&rules(m), &facts, day))
}

/// Is the person eligible for the measure today? Those who do not see the person's special
/// categories get the rules evaluated without them: an answer must not reveal what the
/// record hides from them.
pub fn eligibility(
    conn: &mut DbConn,
    cx: &Ctx,
    measure_id: &MeasureId,
    person_id: &PersonId,
) -> Result<Eligibility, Error> {
    policy::may_read_catalogue(cx.actor)?;
    let m = measure_in_district(conn, cx, measure_id, &Expected::Any)?;
    let p = persons::visible(conn, cx, person_id, &Expected::Any).map_err(|e| match e {
        Error::NotFound => Error::validation(
            "person_id",
            "unknown",
            text!(
                "nessuna persona visibile con il profilo in uso ha questo identificativo",
                "no person you can see has this id"
            ),
        ),
        other => other,
    })?;
    let mut facts = facts(conn, &p)?;
    if !persons::sees_special_categories(conn, cx, &p)? {
        facts.target_groups.retain(|g| !g.is_special_category());
    }
    Ok(eligibility::evaluate(
        &rules(&m),
        &facts,
        cx.now.today,
        cx.lang,
    ))
}

/// A person as a form has them so far, not stored: what eligibility looks at. The referral
/// form sends it while the referrer types, to show which of the district's measures fit.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"birth_date": "1980-03-02", "employment_status": "unemployed",
    "target_groups": ["long_term_unemployed"], "residence_municipality_code": "016024"}))]
pub struct EligibilityDraft {
    /// Data di nascita.
    pub birth_date: NaiveDate,
    /// Condizione occupazionale.
    pub employment_status: Option<EmploymentStatus>,
    /// Cluster di riferimento.
    pub cluster: Option<Cluster>,
    /// Target groups declared so far.
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub target_groups: Vec<TargetGroup>,
    /// Disability (L. 68/99), as typed in the form: counts as the `disability` group.
    #[serde(default)]
    pub has_disability: bool,
    /// Criminal-justice area, as typed in the form: counts as the `criminal_justice` group.
    #[serde(default)]
    pub criminal_justice: bool,
    /// Comune di residenza: ISTAT code (6 digits; leading zeros may be omitted).
    #[schema(pattern = "^[0-9]{4,6}$", max_length = 6)]
    #[validate(length(max = 6))]
    pub residence_municipality_code: Option<String>,
}

/// One measure's verdict for a draft.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct MeasureEligibility {
    /// Identifier of the measure (misura), a UUID.
    pub measure_id: String,
    /// Short code of the measure, e.g. `DUL`.
    pub code: String,
    /// Name of the measure or project.
    pub name: String,
    /// `true` only if every rule of the measure is met (ammissibile).
    pub eligible: bool,
    /// One entry per rule checked, met or not, with its reason.
    pub reasons: Vec<Reason>,
}

/// Which of the district's active measures a person as typed would fit today. Nothing is read
/// from or written to any person's record, and nothing of the draft is kept.
pub fn eligibility_preview(
    conn: &mut DbConn,
    cx: &Ctx,
    d: EligibilityDraft,
) -> Result<Page<MeasureEligibility>, Error> {
    policy::may_read_catalogue(cx.actor)?;
    let district = cx.actor.district()?.clone();
    let resident = match &d.residence_municipality_code {
        Some(raw) => match IstatCode::parse(raw) {
            Ok(code) => mstore::district_has_municipality(conn, &district, code.as_str())?,
            Err(e) => {
                return Err(Error::validation(
                    "residence_municipality_code",
                    e.code(),
                    e.text(),
                ))
            }
        },
        None => false,
    };
    let mut groups = d.target_groups;
    for (flag, group) in [
        (d.has_disability, TargetGroup::Disability),
        (d.criminal_justice, TargetGroup::CriminalJustice),
    ] {
        if flag && !groups.contains(&group) {
            groups.push(group);
        }
    }
    let facts = PersonFacts {
        birth_date: d.birth_date,
        employment_status: d.employment_status,
        cluster: d.cluster,
        target_groups: groups,
        resident_in_district: resident,
    };
    let mut items = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let rows = Measure::list(conn, &district, Some(true), None, after.as_deref(), 200)?;
        let more = rows.len() > 200;
        for m in rows.into_iter().take(200) {
            after = Some(m.id.to_string());
            let verdict = eligibility::evaluate(&rules(&m), &facts, cx.now.today, cx.lang);
            items.push(MeasureEligibility {
                measure_id: m.id.to_string(),
                code: m.code,
                name: m.name,
                eligible: verdict.eligible,
                reasons: verdict.reasons,
            });
        }
        if !more {
            break;
        }
    }
    items.sort_by(|a, b| {
        b.eligible
            .cmp(&a.eligible)
            .then_with(|| a.code.cmp(&b.code))
    });
    Ok(Page::whole(items))
}

// --------------------------------------------------------------- thresholds

/// A new threshold: budget cap of an agency for a measure over a period (soglia operatore).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"agency_id": "0193...", "measure_id": "0193...", "period_start": "2026-01-01",
    "period_end": "2026-12-31", "cap_cents": 5000000}))]
pub struct ThresholdInput {
    /// The accredited agency (ente accreditato) of the district the cap is for.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, value_type = String)]
    pub agency_id: OrganizationId,
    /// The measure (misura) of the district the cap is for.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, value_type = String)]
    pub measure_id: MeasureId,
    /// First day of the period (ISO 8601 date).
    pub period_start: NaiveDate,
    /// Last day of the period, not before `period_start`.
    pub period_end: NaiveDate,
    /// Cap in euro cents.
    #[validate(range(min = 0, max = 100_000_000_000i64))]
    #[schema(minimum = 0, maximum = 100_000_000_000.0)]
    pub cap_cents: i64,
}

/// A new cap for a threshold; never below what is already reserved and spent.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct ThresholdPatch {
    /// New cap in euro cents, at least what is reserved plus spent.
    #[validate(range(min = 0, max = 100_000_000_000i64))]
    #[schema(minimum = 0, maximum = 100_000_000_000.0)]
    pub cap_cents: i64,
}

/// A threshold with its use.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct ThresholdOut {
    /// Identifier of the threshold (soglia operatore), a UUID.
    pub id: String,
    /// The accredited agency (ente accreditato) it caps.
    pub agency_id: String,
    /// The agency's name (denominazione).
    pub agency_name: String,
    /// The measure (misura) it caps.
    pub measure_id: String,
    /// The measure's code, e.g. `DUL`.
    pub measure_code: String,
    /// First day of the period (ISO 8601 date).
    pub period_start: NaiveDate,
    /// Last day of the period (ISO 8601 date).
    pub period_end: NaiveDate,
    /// Cap, euro cents.
    pub cap_cents: Cents,
    /// Reserved by approved and running activations.
    pub reserved_cents: Cents,
    /// Spent by completed and interrupted activations.
    pub spent_cents: Cents,
    /// `cap − reserved − spent`.
    pub remaining_cents: Cents,
    /// What you may do with it now.
    pub allowed_actions: Vec<Action>,
    /// Actions your role could take but are refused now, each with its reason.
    pub blocked_actions: Vec<BlockedAction>,
    /// When it last changed, cap or use (RFC 3339, UTC); its version is the `ETag`.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

pub fn threshold_out(conn: &mut DbConn, cx: &Ctx, t: Threshold) -> Result<ThresholdOut, Error> {
    let (allowed_actions, blocked_actions) = cx.render(policy::catalogue_actions(cx.actor));
    Ok(ThresholdOut {
        agency_name: super::org_name(conn, &t.agency_id)?,
        measure_code: Measure::find(conn, &t.measure_id)?.code,
        remaining_cents: t
            .cap_cents
            .saturating_sub(t.reserved_cents)
            .saturating_sub(t.spent_cents),
        allowed_actions,
        blocked_actions,
        id: t.id.into(),
        agency_id: t.agency_id.into(),
        measure_id: t.measure_id.into(),
        period_start: t.period_start,
        period_end: t.period_end,
        cap_cents: t.cap_cents,
        reserved_cents: t.reserved_cents,
        spent_cents: t.spent_cents,
        updated_at: utc(t.updated_at),
    })
}

/// Filters of the threshold list.
#[derive(Debug, Clone, Default)]
pub struct ThresholdQuery {
    /// Coordinator only (agency operators always see their own agency's).
    pub agency_id: Option<OrganizationId>,
    pub measure_id: Option<MeasureId>,
}

pub fn list_thresholds(
    conn: &mut DbConn,
    cx: &Ctx,
    q: ThresholdQuery,
    page: &PageRequest,
) -> Result<Page<ThresholdOut>, Error> {
    let agency = policy::threshold_agency(cx.actor, q.agency_id)?;
    let measure = q.measure_id;
    let rows = Threshold::list(
        conn,
        cx.actor.district()?,
        agency.as_ref(),
        measure.as_ref(),
        page.after(),
        page.limit,
    )?;
    Page::of(
        rows,
        page.limit,
        |t| t.id.clone().into(),
        |t| threshold_out(conn, cx, t),
    )
}

pub fn create_threshold(
    conn: &mut DbConn,
    cx: &Ctx,
    i: ThresholdInput,
) -> Result<ThresholdOut, Error> {
    policy::may_run_the_table(cx.actor)?;
    let district = cx.actor.district()?.clone();
    if i.period_end < i.period_start {
        return Err(Error::validation(
            "period_end",
            "range",
            text!(
                "non può essere precedente a period_start",
                "must not be before period_start"
            ),
        ));
    }
    let cap = cents("cap_cents", i.cap_cents)?;
    write_tx(conn, |conn| {
        check_agency(conn, &district, &i.agency_id, "agency_id")?;
        measure_in_district(conn, cx, &i.measure_id, &Expected::Any).map_err(|_| {
            Error::validation(
                "measure_id",
                "unknown",
                text!(
                    "nessuna misura dell'Ambito ha questo identificativo",
                    "no measure of the district has this id"
                ),
            )
        })?;
        if Threshold::overlaps(
            conn,
            &i.agency_id,
            &i.measure_id,
            i.period_start,
            i.period_end,
        )? {
            return Err(Error::conflict(
                ErrorCode::OverlappingThreshold,
                text!(
                    "l'ente ha già una soglia per questa misura in un periodo che si sovrappone",
                    "this agency already has a threshold for this measure in an overlapping period"
                ),
            ));
        }
        let t = Threshold {
            id: new_id(),
            district_id: district.clone(),
            agency_id: i.agency_id,
            measure_id: i.measure_id,
            period_start: i.period_start,
            period_end: i.period_end,
            cap_cents: cap,
            reserved_cents: Cents::ZERO,
            spent_cents: Cents::ZERO,
            created_at: cx.now.at,
            updated_at: cx.now.at,
        };
        Threshold::insert(conn, &t)?;
        threshold_out(conn, cx, t)
    })
}

/// A threshold the caller may see (coordinators all of the district, agencies their own),
/// at the version the caller expects.
pub fn visible_threshold(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ThresholdId,
    expected: &Expected,
) -> Result<Threshold, Error> {
    let t = Threshold::find(conn, id).map_err(|_| Error::hidden())?;
    if !policy::sees_threshold(cx.actor, &t.district_id, &t.agency_id) {
        return Err(Error::hidden());
    }
    expected.check(Version::of(t.updated_at))?;
    Ok(t)
}

pub fn read_threshold(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ThresholdId,
) -> Result<ThresholdOut, Error> {
    let t = visible_threshold(conn, cx, id, &Expected::Any)?;
    threshold_out(conn, cx, t)
}

pub fn update_threshold(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ThresholdId,
    expected: &Expected,
    p: ThresholdPatch,
) -> Result<ThresholdOut, Error> {
    policy::may_run_the_table(cx.actor)?;
    let cap = cents("cap_cents", p.cap_cents)?;
    write_tx(conn, |conn| {
        let t = visible_threshold(conn, cx, id, expected)?;
        if !Threshold::set_cap(conn, &t.id, cap, cx.now.at)? {
            return Err(Error::conflict(ErrorCode::CapBelowUse, {
                let used = t.reserved_cents.get() + t.spent_cents.get();
                let sum = t.reserved_cents.checked_add(t.spent_cents);
                let used_it = sum.map(|c| c.to_string()).unwrap_or_default();
                text!(
                    "il tetto non può scendere sotto quanto già riservato e speso ({used_it})",
                    "the cap cannot go below what is already reserved and spent ({used} cents)"
                )
            }));
        }
        let t = Threshold::find(conn, &t.id)?;
        threshold_out(conn, cx, t)
    })
}

// ------------------------------------------------------------- municipalities

/// Italian municipalities by name prefix, for residence and birth-place pickers.
pub fn search_municipalities(prefix: &str, limit: usize) -> Result<Vec<Place>, Error> {
    if prefix.trim().chars().count() < 2 {
        return Err(Error::BadParameter(text!(
            "q deve avere almeno 2 caratteri",
            "q must have at least 2 characters"
        )));
    }
    Ok(municipality::search(prefix.trim(), limit.clamp(1, 100))
        .into_iter()
        .map(persons::place)
        .collect())
}

/// An ISTAT municipality code as sent: 6 digits (leading zeros may be omitted).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(transparent)]
#[schema(pattern = "^[0-9]{4,6}$", max_length = 6, example = "016024")]
pub struct IstatCodeText(pub String);

/// The municipalities of a district (for the residence rule of measures).
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema, PartialEq)]
pub struct DistrictMunicipalities {
    /// ISTAT codes.
    #[validate(length(max = 500))]
    #[schema(max_items = 500)]
    pub istat_codes: Vec<IstatCodeText>,
    /// Read-only: when the district (and its list) last changed; its ETag guards `PUT`.
    #[serde(default)]
    pub updated_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl DistrictMunicipalities {
    /// The codes, parsed, every bad one named.
    pub fn parse(&self) -> Result<Vec<IstatCode>, Error> {
        let mut codes = Vec::new();
        let mut errors = Vec::new();
        for (n, raw) in self.istat_codes.iter().enumerate() {
            match IstatCode::parse(&raw.0) {
                Ok(c) => codes.push(c),
                Err(e) => errors.push(FieldError::new(
                    format!("istat_codes[{n}]"),
                    e.code(),
                    e.text(),
                )),
            }
        }
        if errors.is_empty() {
            Ok(codes)
        } else {
            Err(Error::Validation(errors))
        }
    }
}

fn municipalities_of(conn: &mut DbConn, d: &District) -> Result<DistrictMunicipalities, Error> {
    Ok(DistrictMunicipalities {
        istat_codes: mstore::district_municipality_codes(conn, &d.id)?
            .into_iter()
            .map(IstatCodeText)
            .collect(),
        updated_at: Some(utc(d.updated_at)),
    })
}

/// A district the caller may see, at the version the caller expects.
fn visible_district(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &DistrictId,
    expected: &Expected,
) -> Result<District, Error> {
    if !policy::sees_district(cx.actor, id) {
        return Err(Error::hidden());
    }
    let d = District::find(conn, id)?;
    expected.check(Version::of(d.updated_at))?;
    Ok(d)
}

pub fn district_municipalities(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &DistrictId,
) -> Result<DistrictMunicipalities, Error> {
    let d = visible_district(conn, cx, id, &Expected::Any)?;
    municipalities_of(conn, &d)
}

/// Sets the municipalities of the district (the administrator, or its coordinator).
pub fn set_district_municipalities(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &DistrictId,
    expected: &Expected,
    codes: Vec<IstatCode>,
) -> Result<DistrictMunicipalities, Error> {
    if !policy::sees_district(cx.actor, id) {
        return Err(Error::hidden());
    }
    policy::may_set_municipalities(cx.actor, id)?;
    let mut codes: Vec<&str> = codes.iter().map(IstatCode::as_str).collect();
    codes.sort_unstable();
    codes.dedup();
    write_tx(conn, |conn| {
        visible_district(conn, cx, id, expected)?;
        let d = District::update(
            conn,
            id,
            &DistrictChanges {
                updated_at: Some(cx.now.at),
                ..Default::default()
            },
        )?;
        mstore::set_district_municipalities(conn, id, &codes)?;
        municipalities_of(conn, &d)
    })
}
