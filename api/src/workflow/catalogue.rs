//! The measure catalogue, eligibility, and the agencies' thresholds.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::{agency_of, check_agency, from_json, hidden, org_name, same_district, to_json, today};
use crate::domain::eligibility::{self, Eligibility, MeasureRules, PersonFacts};
use crate::domain::vocabulary::{Cluster, EmploymentStatus, MeasureKind, TargetGroup};
use crate::domain::Role;
use crate::http::extract::AuthUser;
use crate::http::problem::{ApiError, FieldError};
use crate::store::measures::{self as mstore, Measure};
use crate::store::persons::Person;
use crate::store::thresholds::Threshold;
use crate::store::{audit, new_id, now, utc, write_tx, DbConn};

/// A new measure of the catalogue (misura / progetto).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"code": "GG", "name": "Garanzia Giovani", "kind": "gg",
    "funding_source": "FSE+ / Regione Lombardia", "valid_from": "2026-01-01", "valid_to": "2026-12-31",
    "min_age": 15, "max_age": 29, "employment_statuses": ["unemployed", "inactive"],
    "residence_required": true, "default_amount_cents": 150000}))]
pub struct MeasureInput {
    /// Short unique code in the district, e.g. `DUL`, `GG`, `STEP`.
    #[validate(length(min = 1, max = 40))]
    #[schema(min_length = 1, max_length = 40)]
    pub code: String,
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub name: String,
    pub kind: MeasureKind,
    /// Fonte di finanziamento.
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub funding_source: String,
    #[serde(default)]
    #[validate(length(max = 4000))]
    #[schema(max_length = 4000)]
    pub description: String,
    /// First day of validity.
    pub valid_from: NaiveDate,
    /// Last day of validity (open-ended when absent).
    pub valid_to: Option<NaiveDate>,
    #[validate(range(min = 14, max = 100))]
    #[schema(minimum = 14, maximum = 100)]
    pub min_age: Option<i32>,
    #[validate(range(min = 14, max = 100))]
    #[schema(minimum = 14, maximum = 100)]
    pub max_age: Option<i32>,
    /// Allowed employment statuses (empty: any).
    #[serde(default)]
    pub employment_statuses: Vec<EmploymentStatus>,
    /// Target groups, at least one of which the person must belong to (empty: any).
    #[serde(default)]
    pub target_groups: Vec<TargetGroup>,
    /// Allowed clusters (empty: any).
    #[serde(default)]
    pub clusters: Vec<Cluster>,
    /// The person must live in one of the district's municipalities.
    #[serde(default)]
    pub residence_required: bool,
    /// Typical cost of one activation, proposed when the table assigns the measure.
    #[serde(default)]
    #[validate(range(min = 0, max = 100_000_000))]
    #[schema(minimum = 0, maximum = 100_000_000)]
    pub default_amount_cents: i64,
}

/// Changes to a measure; absent fields stay as they are.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct MeasurePatch {
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub name: Option<String>,
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub funding_source: Option<String>,
    #[validate(length(max = 4000))]
    #[schema(max_length = 4000)]
    pub description: Option<String>,
    pub valid_from: Option<NaiveDate>,
    #[schema(value_type = Option<NaiveDate>)]
    /// `null` clears it.
    #[serde(default, deserialize_with = "crate::domain::values::clearable")]
    pub valid_to: Option<Option<NaiveDate>>,
    #[validate(range(min = 14, max = 100))]
    #[schema(minimum = 14, maximum = 100, value_type = Option<i32>)]
    /// `null` clears it.
    #[serde(default, deserialize_with = "crate::domain::values::clearable")]
    pub min_age: Option<Option<i32>>,
    #[validate(range(min = 14, max = 100))]
    #[schema(minimum = 14, maximum = 100, value_type = Option<i32>)]
    /// `null` clears it.
    #[serde(default, deserialize_with = "crate::domain::values::clearable")]
    pub max_age: Option<Option<i32>>,
    pub employment_statuses: Option<Vec<EmploymentStatus>>,
    pub target_groups: Option<Vec<TargetGroup>>,
    pub clusters: Option<Vec<Cluster>>,
    pub residence_required: Option<bool>,
    #[validate(range(min = 0, max = 100_000_000))]
    #[schema(minimum = 0, maximum = 100_000_000)]
    pub default_amount_cents: Option<i64>,
    pub active: Option<bool>,
}

/// A measure of the catalogue.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeasureOut {
    pub id: String,
    pub code: String,
    pub name: String,
    pub kind: MeasureKind,
    pub funding_source: String,
    pub description: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub min_age: Option<i32>,
    pub max_age: Option<i32>,
    pub employment_statuses: Vec<EmploymentStatus>,
    pub target_groups: Vec<TargetGroup>,
    pub clusters: Vec<Cluster>,
    pub residence_required: bool,
    pub default_amount_cents: i64,
    pub active: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl MeasureOut {
    pub fn of(m: Measure) -> Result<MeasureOut, ApiError> {
        Ok(MeasureOut {
            kind: MeasureKind::from_db(&m.kind)?,
            employment_statuses: from_json(&m.employment_statuses)?,
            target_groups: from_json(&m.target_groups)?,
            clusters: from_json(&m.clusters)?,
            id: m.id,
            code: m.code,
            name: m.name,
            funding_source: m.funding_source,
            description: m.description,
            valid_from: m.valid_from,
            valid_to: m.valid_to,
            min_age: m.min_age,
            max_age: m.max_age,
            residence_required: m.residence_required,
            default_amount_cents: m.default_amount_cents,
            active: m.active,
            created_at: utc(m.created_at),
            updated_at: utc(m.updated_at),
        })
    }
}

fn check_measure(m: &Measure) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    if let (Some(min), Some(max)) = (m.min_age, m.max_age) {
        if min > max {
            errors.push(FieldError::new(
                "max_age",
                "range",
                "must not be below min_age",
            ));
        }
    }
    if m.valid_to.is_some_and(|to| to < m.valid_from) {
        errors.push(FieldError::new(
            "valid_to",
            "range",
            "must not be before valid_from",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

fn require_coordinator(user: &AuthUser) -> Result<&str, ApiError> {
    if user.role != Role::Coordinator {
        return Err(ApiError::Forbidden(
            "only the coordinator (Ufficio di Piano) manages the catalogue".into(),
        ));
    }
    user.district()
}

pub fn create_measure(
    conn: &mut DbConn,
    user: &AuthUser,
    i: MeasureInput,
) -> Result<MeasureOut, ApiError> {
    let district = require_coordinator(user)?.to_string();
    let at = now();
    let m = Measure {
        id: new_id(),
        district_id: district,
        code: i.code.trim().to_uppercase(),
        name: i.name.trim().into(),
        kind: i.kind.as_str().into(),
        funding_source: i.funding_source.trim().into(),
        description: i.description,
        valid_from: i.valid_from,
        valid_to: i.valid_to,
        min_age: i.min_age,
        max_age: i.max_age,
        employment_statuses: to_json(&i.employment_statuses),
        target_groups: to_json(&i.target_groups),
        clusters: to_json(&i.clusters),
        residence_required: i.residence_required,
        default_amount_cents: i.default_amount_cents,
        active: true,
        created_at: at,
        updated_at: at,
    };
    check_measure(&m)?;
    write_tx(conn, |conn| {
        Measure::insert(conn, &m).map_err(|e| match ApiError::from(e) {
            ApiError::Conflict { .. } => ApiError::conflict(
                "duplicate",
                "a measure with this code exists in the district",
            ),
            other => other,
        })?;
        MeasureOut::of(m)
    })
}

/// A measure of the caller's district, or `404`.
pub fn measure_in_district(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
) -> Result<Measure, ApiError> {
    let m = Measure::find(conn, id).map_err(|_| hidden())?;
    same_district(user, &m.district_id)?;
    crate::http::precondition::check(&m.id, m.updated_at)?;
    Ok(m)
}

pub fn update_measure(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    p: MeasurePatch,
) -> Result<MeasureOut, ApiError> {
    require_coordinator(user)?;
    write_tx(conn, |conn| {
        let mut m = measure_in_district(conn, user, id)?;
        let before = m.clone();
        if let Some(v) = p.name {
            m.name = v.trim().into();
        }
        if let Some(v) = p.funding_source {
            m.funding_source = v.trim().into();
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
        if let Some(v) = &p.employment_statuses {
            m.employment_statuses = to_json(v);
        }
        if let Some(v) = &p.target_groups {
            m.target_groups = to_json(v);
        }
        if let Some(v) = &p.clusters {
            m.clusters = to_json(v);
        }
        if let Some(v) = p.residence_required {
            m.residence_required = v;
        }
        if let Some(v) = p.default_amount_cents {
            m.default_amount_cents = v;
        }
        if let Some(v) = p.active {
            m.active = v;
        }
        check_measure(&m)?;
        let changed = audit::changed_fields(&before, &m);
        if !changed.is_empty() {
            m.updated_at = now();
            Measure::save(conn, &m)?;
            let state = if m.active { "active" } else { "inactive" };
            audit::record_update(
                conn,
                "measure",
                &m.id,
                Some(state),
                &changed.join(", "),
                &user.id,
            )?;
        }
        MeasureOut::of(m)
    })
}

fn rules(m: &Measure) -> Result<MeasureRules, ApiError> {
    Ok(MeasureRules {
        active: m.active,
        valid_from: m.valid_from,
        valid_to: m.valid_to,
        min_age: m.min_age,
        max_age: m.max_age,
        employment_statuses: from_json(&m.employment_statuses)?,
        target_groups: from_json(&m.target_groups)?,
        clusters: from_json(&m.clusters)?,
        residence_required: m.residence_required,
    })
}

pub fn facts(conn: &mut DbConn, p: &Person) -> Result<PersonFacts, ApiError> {
    let mut groups: Vec<TargetGroup> = from_json(&p.target_groups)?;
    if p.has_disability && !groups.contains(&TargetGroup::Disability) {
        groups.push(TargetGroup::Disability);
    }
    if p.criminal_justice && !groups.contains(&TargetGroup::CriminalJustice) {
        groups.push(TargetGroup::CriminalJustice);
    }
    let resident = match &p.residence_municipality_code {
        Some(code) => mstore::district_has_municipality(conn, &p.district_id, code)?,
        None => false,
    };
    Ok(PersonFacts {
        birth_date: p.birth_date,
        employment_status: p
            .employment_status
            .as_deref()
            .map(EmploymentStatus::from_db)
            .transpose()?,
        cluster: p.cluster.as_deref().map(Cluster::from_db).transpose()?,
        target_groups: groups,
        resident_in_district: resident,
    })
}

/// Eligibility of a person for a measure, today.
pub fn eligibility_of(conn: &mut DbConn, m: &Measure, p: &Person) -> Result<Eligibility, ApiError> {
    let facts = facts(conn, p)?;
    Ok(eligibility::evaluate(&rules(m)?, &facts, today()))
}

pub fn eligibility(
    conn: &mut DbConn,
    user: &AuthUser,
    measure_id: &str,
    person_id: &str,
) -> Result<Eligibility, ApiError> {
    let m = measure_in_district(conn, user, measure_id)?;
    let p = super::persons::visible(conn, user, person_id).map_err(|e| match e {
        ApiError::NotFound => {
            ApiError::validation("person_id", "unknown", "no person you can see has this id")
        }
        other => other,
    })?;
    let mut facts = facts(conn, &p)?;
    // Those who do not see the person's special categories get the rules evaluated without
    // them: an answer must not reveal what the record hides from them.
    if !super::persons::sees_sensitive(conn, user, &p) {
        facts.target_groups.retain(|g| !g.is_special_category());
    }
    Ok(eligibility::evaluate(&rules(&m)?, &facts, today()))
}

// --------------------------------------------------------------- thresholds

/// A new threshold: budget cap of an agency for a measure over a period (soglia operatore).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"agency_id": "0193...", "measure_id": "0193...", "period_start": "2026-01-01",
    "period_end": "2026-12-31", "cap_cents": 5000000}))]
pub struct ThresholdInput {
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub agency_id: String,
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub measure_id: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// Cap in euro cents.
    #[validate(range(min = 0, max = 100_000_000_000i64))]
    #[schema(minimum = 0, maximum = 100_000_000_000.0)]
    pub cap_cents: i64,
}

/// A new cap for a threshold; never below what is already reserved and spent.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct ThresholdPatch {
    #[validate(range(min = 0, max = 100_000_000_000i64))]
    #[schema(minimum = 0, maximum = 100_000_000_000.0)]
    pub cap_cents: i64,
}

/// A threshold with its use.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThresholdOut {
    pub id: String,
    pub agency_id: String,
    pub agency_name: String,
    pub measure_id: String,
    pub measure_code: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// Cap, euro cents.
    pub cap_cents: i64,
    /// Reserved by approved and running activations.
    pub reserved_cents: i64,
    /// Spent by completed and interrupted activations.
    pub spent_cents: i64,
    /// `cap − reserved − spent`.
    pub remaining_cents: i64,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

pub fn threshold_out(conn: &mut DbConn, t: Threshold) -> Result<ThresholdOut, ApiError> {
    Ok(ThresholdOut {
        agency_name: org_name(conn, &t.agency_id)?,
        measure_code: Measure::find(conn, &t.measure_id)?.code,
        remaining_cents: t.cap_cents - t.reserved_cents - t.spent_cents,
        id: t.id,
        agency_id: t.agency_id,
        measure_id: t.measure_id,
        period_start: t.period_start,
        period_end: t.period_end,
        cap_cents: t.cap_cents,
        reserved_cents: t.reserved_cents,
        spent_cents: t.spent_cents,
        updated_at: utc(t.updated_at),
    })
}

pub fn create_threshold(
    conn: &mut DbConn,
    user: &AuthUser,
    i: ThresholdInput,
) -> Result<ThresholdOut, ApiError> {
    let district = require_coordinator(user)?.to_string();
    if i.period_end < i.period_start {
        return Err(ApiError::validation(
            "period_end",
            "range",
            "must not be before period_start",
        ));
    }
    write_tx(conn, |conn| {
        check_agency(conn, &district, &i.agency_id, "agency_id")?;
        measure_in_district(conn, user, &i.measure_id).map_err(|_| {
            ApiError::validation(
                "measure_id",
                "unknown",
                "no measure of the district has this id",
            )
        })?;
        let overlapping = Threshold::list(
            conn,
            &district,
            Some(&i.agency_id),
            Some(&i.measure_id),
            None,
            1000,
        )?
        .into_iter()
        .any(|t| t.period_start <= i.period_end && i.period_start <= t.period_end);
        if overlapping {
            return Err(ApiError::conflict(
                "overlapping_threshold",
                "this agency already has a threshold for this measure in an overlapping period",
            ));
        }
        let at = now();
        let t = Threshold {
            id: new_id(),
            district_id: district.clone(),
            agency_id: i.agency_id,
            measure_id: i.measure_id,
            period_start: i.period_start,
            period_end: i.period_end,
            cap_cents: i.cap_cents,
            reserved_cents: 0,
            spent_cents: 0,
            created_at: at,
            updated_at: at,
        };
        Threshold::insert(conn, &t)?;
        threshold_out(conn, t)
    })
}

/// A threshold the caller may see: coordinators all of the district, agencies their own.
pub fn visible_threshold(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
) -> Result<Threshold, ApiError> {
    let t = Threshold::find(conn, id).map_err(|_| hidden())?;
    same_district(user, &t.district_id)?;
    match user.role {
        Role::Coordinator => {}
        Role::AgencyOperator if agency_of(user) == Some(t.agency_id.as_str()) => {}
        _ => return Err(hidden()),
    }
    crate::http::precondition::check(&t.id, t.updated_at)?;
    Ok(t)
}

pub fn update_threshold(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    p: ThresholdPatch,
) -> Result<ThresholdOut, ApiError> {
    require_coordinator(user)?;
    write_tx(conn, |conn| {
        let t = visible_threshold(conn, user, id)?;
        if !Threshold::set_cap(conn, &t.id, p.cap_cents)? {
            return Err(ApiError::conflict(
                "cap_below_use",
                format!(
                    "the cap cannot go below what is already reserved and spent ({} cents)",
                    t.reserved_cents + t.spent_cents
                ),
            ));
        }
        let t = Threshold::find(conn, &t.id)?;
        threshold_out(conn, t)
    })
}
