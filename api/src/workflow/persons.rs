//! Persons: created with a fully validated tax code, one per code in a district.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::{from_json, hidden, same_district, to_json};
use crate::domain::municipality::{self, IstatCode};
use crate::domain::tax_code::TaxCode;
use crate::domain::values::Email;
use crate::domain::vocabulary::{Cluster, EducationLevel, EmploymentStatus, Gender, TargetGroup};
use crate::domain::Role;
use crate::http::extract::AuthUser;
use crate::http::problem::{ApiError, FieldError};
use crate::store::persons::{name_key, Person, PersonScope};
use crate::store::{audit, new_id, now, utc, DbConn};

/// A new person (cittadino).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({
    "tax_code": "RSSMRA85T10A794D", "first_name": "Mario", "last_name": "Rossi",
    "birth_date": "1985-12-10", "gender": "M", "residence_municipality_code": "016024",
    "employment_status": "unemployed", "cluster": "band_2"}))]
pub struct PersonInput {
    /// Codice fiscale: 16 characters (omocodia accepted) or the 11-digit temporary code,
    /// either case, spaces allowed; the check character and the encoded date are verified.
    #[schema(
        pattern = r"^[ \t\n\r\u00a0]*(?:(?:[0-9][ \t\n\r\u00a0]*){11}|(?:[A-Za-z][ \t\n\r\u00a0]*){6}(?:[0-9LMNP-Vlmnp-v][ \t\n\r\u00a0]*){2}[ABCDEHLMPRSTabcdehlmprst][ \t\n\r\u00a0]*(?:[0-9LMNP-Vlmnp-v][ \t\n\r\u00a0]*){2}[A-Za-z][ \t\n\r\u00a0]*(?:[0-9LMNP-Vlmnp-v][ \t\n\r\u00a0]*){3}[A-Za-z][ \t\n\r\u00a0]*)$"
    )]
    pub tax_code: String,
    /// Nome.
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub first_name: String,
    /// Cognome.
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub last_name: String,
    /// Data di nascita.
    pub birth_date: NaiveDate,
    /// Sesso, as in the tax code.
    pub gender: Gender,
    /// Luogo di nascita: cadastral (Belfiore) code of the municipality or foreign country;
    /// derived from the tax code when absent.
    #[validate(length(equal = 4))]
    #[schema(min_length = 4, max_length = 4)]
    pub birth_place_code: Option<String>,
    /// Comune di residenza: ISTAT code (6 digits; leading zeros may be omitted).
    #[schema(pattern = "^[0-9]{4,6}$")]
    pub residence_municipality_code: Option<String>,
    /// Cittadinanza (country name or ISO code).
    #[validate(length(min = 2, max = 60))]
    #[schema(min_length = 2, max_length = 60)]
    pub citizenship: Option<String>,
    #[schema(format = Email)]
    pub email: Option<String>,
    #[validate(length(min = 3, max = 40))]
    #[schema(min_length = 3, max_length = 40)]
    pub phone: Option<String>,
    /// Indirizzo.
    #[validate(length(max = 300))]
    #[schema(max_length = 300)]
    pub address: Option<String>,
    pub education_level: Option<EducationLevel>,
    pub employment_status: Option<EmploymentStatus>,
    pub cluster: Option<Cluster>,
    #[serde(default)]
    pub target_groups: Vec<TargetGroup>,
    /// Special category (GDPR art. 9): disability / L. 68/99.
    #[serde(default)]
    pub has_disability: bool,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub disability_notes: Option<String>,
    /// Special category (GDPR art. 10): criminal-justice programme (area penale).
    #[serde(default)]
    pub criminal_justice: bool,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub criminal_justice_notes: Option<String>,
}

/// Changes to a person: absent fields, or `null`, leave a field as it is, except where `null`
/// clears it.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
pub struct PersonPatch {
    /// As for a new person.
    #[schema(
        pattern = r"^[ \t\n\r\u00a0]*(?:(?:[0-9][ \t\n\r\u00a0]*){11}|(?:[A-Za-z][ \t\n\r\u00a0]*){6}(?:[0-9LMNP-Vlmnp-v][ \t\n\r\u00a0]*){2}[ABCDEHLMPRSTabcdehlmprst][ \t\n\r\u00a0]*(?:[0-9LMNP-Vlmnp-v][ \t\n\r\u00a0]*){2}[A-Za-z][ \t\n\r\u00a0]*(?:[0-9LMNP-Vlmnp-v][ \t\n\r\u00a0]*){3}[A-Za-z][ \t\n\r\u00a0]*)$"
    )]
    pub tax_code: Option<String>,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub first_name: Option<String>,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub last_name: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub gender: Option<Gender>,
    #[validate(length(equal = 4))]
    #[schema(min_length = 4, max_length = 4, value_type = Option<String>)]
    /// `null` clears it.
    #[serde(default, deserialize_with = "crate::domain::values::clearable")]
    pub birth_place_code: Option<Option<String>>,
    /// As for a new person.
    #[schema(pattern = "^[0-9]{4,6}$", value_type = Option<String>)]
    /// `null` clears it.
    #[serde(default, deserialize_with = "crate::domain::values::clearable")]
    pub residence_municipality_code: Option<Option<String>>,
    #[validate(length(min = 2, max = 60))]
    #[schema(min_length = 2, max_length = 60, value_type = Option<String>)]
    /// `null` clears it.
    #[serde(default, deserialize_with = "crate::domain::values::clearable")]
    pub citizenship: Option<Option<String>>,
    #[schema(format = Email, value_type = Option<String>)]
    /// `null` clears it.
    #[serde(default, deserialize_with = "crate::domain::values::clearable")]
    pub email: Option<Option<String>>,
    #[validate(length(min = 3, max = 40))]
    #[schema(min_length = 3, max_length = 40, value_type = Option<String>)]
    /// `null` clears it.
    #[serde(default, deserialize_with = "crate::domain::values::clearable")]
    pub phone: Option<Option<String>>,
    #[validate(length(max = 300))]
    #[schema(max_length = 300, value_type = Option<String>)]
    /// `null` clears it.
    #[serde(default, deserialize_with = "crate::domain::values::clearable")]
    pub address: Option<Option<String>>,
    #[schema(value_type = Option<EducationLevel>)]
    /// `null` clears it.
    #[serde(default, deserialize_with = "crate::domain::values::clearable")]
    pub education_level: Option<Option<EducationLevel>>,
    #[schema(value_type = Option<EmploymentStatus>)]
    /// `null` clears it.
    #[serde(default, deserialize_with = "crate::domain::values::clearable")]
    pub employment_status: Option<Option<EmploymentStatus>>,
    #[schema(value_type = Option<Cluster>)]
    /// `null` clears it.
    #[serde(default, deserialize_with = "crate::domain::values::clearable")]
    pub cluster: Option<Option<Cluster>>,
    pub target_groups: Option<Vec<TargetGroup>>,
    pub has_disability: Option<bool>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000, value_type = Option<String>)]
    /// `null` clears it.
    #[serde(default, deserialize_with = "crate::domain::values::clearable")]
    pub disability_notes: Option<Option<String>>,
    pub criminal_justice: Option<bool>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000, value_type = Option<String>)]
    /// `null` clears it.
    #[serde(default, deserialize_with = "crate::domain::values::clearable")]
    pub criminal_justice_notes: Option<Option<String>>,
}

/// Special-category data (GDPR art. 9 and 10), shown only to those who need it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SensitiveData {
    pub has_disability: bool,
    pub disability_notes: Option<String>,
    pub criminal_justice: bool,
    pub criminal_justice_notes: Option<String>,
}

/// A municipality or country, by code.
#[derive(Debug, Serialize, ToSchema)]
pub struct Place {
    /// ISTAT code (municipalities only).
    pub istat_code: Option<String>,
    /// Cadastral (Belfiore) code.
    pub belfiore: String,
    pub name: String,
    /// Province abbreviation (sigla), if Italian.
    pub province: Option<String>,
}

fn place(m: &municipality::Municipality) -> Place {
    Place {
        istat_code: m.istat_code.map(|c| c.as_str().to_string()),
        belfiore: m.belfiore.to_string(),
        name: m.name.to_string(),
        province: m.province.map(str::to_string),
    }
}

/// A person (cittadino / beneficiario).
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonOut {
    pub id: String,
    pub district_id: String,
    /// Codice fiscale.
    pub tax_code: String,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: NaiveDate,
    pub gender: Gender,
    pub birth_place: Option<Place>,
    pub residence: Option<Place>,
    pub citizenship: Option<String>,
    #[schema(format = Email)]
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub education_level: Option<EducationLevel>,
    pub employment_status: Option<EmploymentStatus>,
    pub cluster: Option<Cluster>,
    /// `disability` and `criminal_justice` are special-category data: listed only for those
    /// who see `sensitive`; a list sent by anyone else keeps them as they are.
    pub target_groups: Vec<TargetGroup>,
    /// Present only in a single read (`GET /persons/{id}`, which is logged), for coordinators,
    /// the agency following the person, and the organization that registered them; lists
    /// never carry special-category data (nor the target groups above that reveal it).
    pub sensitive: Option<SensitiveData>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

fn opt_enum<T>(
    v: &Option<String>,
    parse: fn(&str) -> Result<T, ApiError>,
) -> Result<Option<T>, ApiError> {
    v.as_deref().map(parse).transpose()
}

impl PersonOut {
    pub fn of(p: Person, show_sensitive: bool) -> Result<PersonOut, ApiError> {
        Ok(PersonOut {
            gender: Gender::from_db(&p.gender)?,
            birth_place: p
                .birth_place_code
                .as_deref()
                .and_then(municipality::by_belfiore)
                .map(place),
            residence: p
                .residence_municipality_code
                .as_deref()
                .and_then(municipality::by_istat)
                .map(place),
            education_level: opt_enum(&p.education_level, EducationLevel::from_db)?,
            employment_status: opt_enum(&p.employment_status, EmploymentStatus::from_db)?,
            cluster: opt_enum(&p.cluster, Cluster::from_db)?,
            target_groups: from_json::<TargetGroup>(&p.target_groups)?
                .into_iter()
                .filter(|g| show_sensitive || !g.is_special_category())
                .collect(),
            sensitive: show_sensitive.then(|| SensitiveData {
                has_disability: p.has_disability,
                disability_notes: p.disability_notes.clone(),
                criminal_justice: p.criminal_justice,
                criminal_justice_notes: p.criminal_justice_notes.clone(),
            }),
            id: p.id,
            district_id: p.district_id,
            tax_code: p.tax_code,
            first_name: p.first_name,
            last_name: p.last_name,
            birth_date: p.birth_date,
            citizenship: p.citizenship,
            email: p.email,
            phone: p.phone,
            address: p.address,
            created_at: utc(p.created_at),
            updated_at: utc(p.updated_at),
        })
    }
}

/// Who may see which persons.
pub fn scope_of(user: &AuthUser) -> Result<PersonScope, ApiError> {
    match user.role {
        Role::Coordinator => Ok(PersonScope::District),
        Role::Referrer => Ok(PersonScope::Referrer {
            organization_id: user.organization()?.to_string(),
        }),
        Role::AgencyOperator => Ok(PersonScope::Agency {
            agency_id: user.organization()?.to_string(),
        }),
        _ => Err(ApiError::Forbidden(format!(
            "the {} role has no access to personal records",
            user.role
        ))),
    }
}

pub(crate) fn sees_sensitive(conn: &mut DbConn, user: &AuthUser, p: &Person) -> bool {
    match user.role {
        Role::Coordinator | Role::AgencyOperator => true,
        Role::Referrer => p
            .created_by
            .as_deref()
            .and_then(|u| crate::store::users::User::find(conn, u).ok())
            .and_then(|u| u.organization_id)
            .is_some_and(|o| Some(o.as_str()) == user.organization_id.as_deref()),
        _ => false,
    }
}

/// Checks every rule of a person record and lists every violation.
fn validate_record(p: &Person) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let today = super::today();
    if p.birth_date > today {
        errors.push(FieldError::new(
            "birth_date",
            "future",
            "cannot be in the future",
        ));
    } else if p.birth_date < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(p.birth_date) {
        errors.push(FieldError::new(
            "birth_date",
            "range",
            "must be after 1900-01-01",
        ));
    }
    match TaxCode::parse(&p.tax_code) {
        Err(e) => errors.push(FieldError::new("tax_code", e.code(), e.message())),
        Ok(code) => {
            let gender = p.gender.chars().next().unwrap_or('?');
            for m in code.mismatches(&p.first_name, &p.last_name, p.birth_date, gender) {
                errors.push(FieldError::new(m.field, m.code, m.message));
            }
            if let (Some(given), Some(encoded)) = (&p.birth_place_code, code.belfiore()) {
                if given != encoded {
                    errors.push(FieldError::new(
                        "birth_place_code",
                        "tax_code_mismatch",
                        format!("birth place {given} does not match the tax code (it encodes {encoded})"),
                    ));
                }
            }
        }
    }
    if let Some(b) = &p.birth_place_code {
        if municipality::by_belfiore(b).is_none() {
            errors.push(FieldError::new(
                "birth_place_code",
                "unknown",
                format!("{b} is not a known municipality or country code"),
            ));
        }
    }
    if let Some(r) = &p.residence_municipality_code {
        if let Err(e) = IstatCode::parse(r) {
            errors.push(FieldError::new(
                "residence_municipality_code",
                e.code(),
                e.message(),
            ));
        }
    }
    if let Some(e) = &p.email {
        if let Err(err) = Email::parse("email", e) {
            errors.push(err);
        }
    }
    errors
}

fn normalise(p: &mut Person) {
    if let Ok(code) = TaxCode::parse(&p.tax_code) {
        p.tax_code = code.as_str().to_string();
        if p.birth_place_code.is_none() {
            p.birth_place_code = code.belfiore().map(str::to_string);
        }
    }
    if let Some(r) = &p.residence_municipality_code {
        if let Ok(c) = IstatCode::parse(r) {
            p.residence_municipality_code = Some(c.as_str().to_string());
        }
    }
    p.birth_place_code = p.birth_place_code.take().map(|b| b.trim().to_uppercase());
    p.first_name = p.first_name.trim().to_string();
    p.last_name = p.last_name.trim().to_string();
    p.email = p.email.take().map(|e| e.trim().to_lowercase());
    // An emptied text is no text.
    for text in [
        &mut p.citizenship,
        &mut p.phone,
        &mut p.address,
        &mut p.disability_notes,
        &mut p.criminal_justice_notes,
    ] {
        *text = text
            .take()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
    }
    p.name_key = name_key(&p.last_name, &p.first_name);
}

fn duplicate(existing: &Person) -> ApiError {
    ApiError::Conflict {
        code: "duplicate",
        detail: "a person with this tax code is already registered in the district".into(),
        existing_id: Some(existing.id.clone()),
    }
}

pub fn create(
    conn: &mut DbConn,
    user: &AuthUser,
    input: PersonInput,
) -> Result<PersonOut, ApiError> {
    scope_of(user)?;
    let district = user.district()?.to_string();
    let at = now();
    let mut p = Person {
        id: new_id(),
        district_id: district.clone(),
        tax_code: input.tax_code,
        first_name: input.first_name,
        last_name: input.last_name,
        name_key: String::new(),
        birth_date: input.birth_date,
        gender: input.gender.as_str().into(),
        birth_place_code: input.birth_place_code,
        residence_municipality_code: input.residence_municipality_code,
        citizenship: input.citizenship,
        email: input.email,
        phone: input.phone,
        address: input.address,
        education_level: input.education_level.map(|e| e.as_str().into()),
        employment_status: input.employment_status.map(|e| e.as_str().into()),
        cluster: input.cluster.map(|c| c.as_str().into()),
        target_groups: to_json(&input.target_groups),
        has_disability: input.has_disability,
        disability_notes: input.disability_notes,
        criminal_justice: input.criminal_justice,
        criminal_justice_notes: input.criminal_justice_notes,
        created_by: Some(user.id.clone()),
        created_at: at,
        updated_at: at,
    };
    let errors = validate_record(&p);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    normalise(&mut p);
    crate::store::write_tx(conn, |conn| {
        if let Some(existing) = Person::find_by_tax_code(conn, &district, &p.tax_code)? {
            return Err(duplicate(&existing));
        }
        Person::insert(conn, &p).map_err(|e| match ApiError::from(e) {
            ApiError::Conflict { .. } => ApiError::conflict(
                "duplicate",
                "a person with this tax code was just registered",
            ),
            other => other,
        })?;
        let sensitive = sees_sensitive(conn, user, &p);
        PersonOut::of(p, sensitive)
    })
}

/// Loads a person the caller may see, or `404`.
pub fn visible(conn: &mut DbConn, user: &AuthUser, id: &str) -> Result<Person, ApiError> {
    let scope = scope_of(user)?;
    let p = Person::find(conn, id).map_err(|_| hidden())?;
    same_district(user, &p.district_id)?;
    if !Person::visible(conn, &scope, &p)? {
        return Err(hidden());
    }
    crate::http::precondition::check(&p.id, p.updated_at)?;
    Ok(p)
}

/// The full record; every read is logged (who, when, which).
pub fn read(conn: &mut DbConn, user: &AuthUser, id: &str) -> Result<PersonOut, ApiError> {
    let p = visible(conn, user, id)?;
    audit::person_read(conn, &p.id, &user.id)?;
    let sensitive = sees_sensitive(conn, user, &p);
    PersonOut::of(p, sensitive)
}

pub fn update(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    patch: PersonPatch,
) -> Result<PersonOut, ApiError> {
    crate::store::write_tx(conn, |conn| {
        let mut p = visible(conn, user, id)?;
        let before = p.clone();
        let sees = sees_sensitive(conn, user, &p);
        let special_group = patch
            .target_groups
            .iter()
            .flatten()
            .any(|g| g.is_special_category());
        if !sees
            && (patch.has_disability.is_some()
                || patch.criminal_justice.is_some()
                || patch.disability_notes.is_some()
                || patch.criminal_justice_notes.is_some()
                || special_group)
        {
            return Err(ApiError::Forbidden(
                "you may not change special-category data of this person".into(),
            ));
        }
        // Those who do not see the special-category groups keep them as they are: the list
        // they send lacks them because they never saw them.
        let patch = match (sees, patch.target_groups.clone()) {
            (false, Some(mut groups)) => {
                groups.extend(
                    from_json::<TargetGroup>(&p.target_groups)?
                        .into_iter()
                        .filter(|g| g.is_special_category()),
                );
                PersonPatch {
                    target_groups: Some(groups),
                    ..patch
                }
            }
            _ => patch,
        };
        let old_code = p.tax_code.clone();
        let tax_changed = patch.tax_code.is_some();
        macro_rules! set { ($($f:ident),*) => { $( if let Some(v) = patch.$f.clone() { p.$f = v; } )* } }
        set!(
            tax_code,
            first_name,
            last_name,
            birth_date,
            has_disability,
            criminal_justice
        );
        macro_rules! set_opt { ($($f:ident),*) => { $( if let Some(v) = patch.$f.clone() { p.$f = v; } )* } }
        set_opt!(
            birth_place_code,
            residence_municipality_code,
            citizenship,
            email,
            phone,
            address,
            disability_notes,
            criminal_justice_notes
        );
        if let Some(g) = patch.gender {
            p.gender = g.as_str().into();
        }
        if let Some(v) = patch.education_level {
            p.education_level = v.map(|v| v.as_str().into());
        }
        if let Some(v) = patch.employment_status {
            p.employment_status = v.map(|v| v.as_str().into());
        }
        if let Some(v) = patch.cluster {
            p.cluster = v.map(|v| v.as_str().into());
        }
        if let Some(v) = &patch.target_groups {
            p.target_groups = to_json(v);
        }
        if tax_changed && patch.birth_place_code.is_none() {
            // The birth place came from the old code: derive it again from the new one.
            p.birth_place_code = None;
        }
        let errors = validate_record(&p);
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        normalise(&mut p);
        if p.tax_code != old_code {
            if let Some(existing) = Person::find_by_tax_code(conn, &p.district_id, &p.tax_code)? {
                return Err(duplicate(&existing));
            }
        }
        let changed = audit::changed_fields(&before, &p);
        if !changed.is_empty() {
            p.updated_at = now();
            Person::save(conn, &p)?;
            // Names of the fields only: the log does not copy personal data.
            audit::record_update(conn, "person", &p.id, None, &changed.join(", "), &user.id)?;
        }
        let sensitive = sees_sensitive(conn, user, &p);
        PersonOut::of(p, sensitive)
    })
}
