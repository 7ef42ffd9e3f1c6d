//! Persons: created with a fully validated tax code, one per code in a district.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sistema_lavoro_domain::ids::{OrganizationId, PersonId, UserId};
use utoipa::ToSchema;
use validator::Validate;

use sistema_lavoro_domain::actions::{Action, BlockedAction};
use sistema_lavoro_domain::municipality::{self, IstatCode};
use sistema_lavoro_domain::policy::{self, PersonRights, PersonScope};
use sistema_lavoro_domain::tax_code::TaxCode;
use sistema_lavoro_domain::values::Email;
use sistema_lavoro_domain::vocabulary::{
    Cluster, EducationLevel, EmploymentStatus, Gender, TargetGroup,
};
use sistema_lavoro_domain::{text, Error, ErrorCode, Expected, FieldError, Role, Version};
use sistema_lavoro_store::audit::{self, PersonRead, Transition};
use sistema_lavoro_store::audit_log;
use sistema_lavoro_store::persons::{fold, name_key, Person, PersonFilter};
use sistema_lavoro_store::subject_rights::{AnonymisationRequest, Restriction};
use sistema_lavoro_store::users::User;
use sistema_lavoro_store::{new_id, utc, write_tx, DbConn};

use super::{Page, PageRequest};
use crate::security::SecretBox;
use crate::Ctx;

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
    #[schema(max_length = 32)]
    #[validate(length(max = 32))]
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
    #[schema(pattern = "^[0-9]{4,6}$", max_length = 6)]
    #[validate(length(max = 6))]
    pub residence_municipality_code: Option<String>,
    /// Cittadinanza (country name or ISO code).
    #[validate(length(min = 2, max = 60))]
    #[schema(min_length = 2, max_length = 60)]
    pub citizenship: Option<String>,
    /// Contact e-mail address.
    #[schema(format = Email, max_length = 254)]
    #[validate(length(max = 254))]
    pub email: Option<String>,
    /// Contact telephone number.
    #[validate(length(min = 3, max = 40))]
    #[schema(min_length = 3, max_length = 40)]
    pub phone: Option<String>,
    /// Indirizzo.
    #[validate(length(max = 300))]
    #[schema(max_length = 300)]
    pub address: Option<String>,
    /// Titolo di studio (highest education level).
    pub education_level: Option<EducationLevel>,
    /// Condizione occupazionale (unemployed, employed, working poor, …).
    pub employment_status: Option<EmploymentStatus>,
    /// Cluster di riferimento: the profiling band that drives which measures fit.
    pub cluster: Option<Cluster>,
    /// Target groups (`youth_neet`, `over_50`, `long_term_unemployed`, …); `disability` and `criminal_justice` are special-category data.
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub target_groups: Vec<TargetGroup>,
    /// Special category (GDPR art. 9): disability / L. 68/99.
    #[serde(default)]
    pub has_disability: bool,
    /// Special category (GDPR art. 9): notes on the disability, for those who see special categories.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub disability_notes: Option<String>,
    /// Special category (GDPR art. 10): criminal-justice programme (area penale).
    #[serde(default)]
    pub criminal_justice: bool,
    /// Special category (GDPR art. 10): notes on the area penale programme, for those who see special categories.
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
    #[schema(nullable = false, max_length = 32)]
    #[validate(length(max = 32))]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub tax_code: Option<String>,
    /// Nome.
    #[validate(length(min = 1, max = 100))]
    #[schema(nullable = false, min_length = 1, max_length = 100)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub first_name: Option<String>,
    /// Cognome.
    #[validate(length(min = 1, max = 100))]
    #[schema(nullable = false, min_length = 1, max_length = 100)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub last_name: Option<String>,
    /// Data di nascita; must agree with the tax code.
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub birth_date: Option<NaiveDate>,
    /// Sesso; must agree with the tax code.
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub gender: Option<Gender>,
    #[validate(length(equal = 4))]
    #[schema(min_length = 4, max_length = 4, value_type = Option<String>)]
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    pub birth_place_code: Option<Option<String>>,
    /// As for a new person.
    #[schema(pattern = "^[0-9]{4,6}$", max_length = 6, value_type = Option<String>)]
    #[validate(length(max = 6))]
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    pub residence_municipality_code: Option<Option<String>>,
    #[validate(length(min = 2, max = 60))]
    #[schema(min_length = 2, max_length = 60, value_type = Option<String>)]
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    pub citizenship: Option<Option<String>>,
    #[schema(format = Email, max_length = 254, value_type = Option<String>)]
    #[validate(length(max = 254))]
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    pub email: Option<Option<String>>,
    #[validate(length(min = 3, max = 40))]
    #[schema(min_length = 3, max_length = 40, value_type = Option<String>)]
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    pub phone: Option<Option<String>>,
    #[validate(length(max = 300))]
    #[schema(max_length = 300, value_type = Option<String>)]
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    pub address: Option<Option<String>>,
    #[schema(value_type = Option<EducationLevel>)]
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    pub education_level: Option<Option<EducationLevel>>,
    #[schema(value_type = Option<EmploymentStatus>)]
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    pub employment_status: Option<Option<EmploymentStatus>>,
    #[schema(value_type = Option<Cluster>)]
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    pub cluster: Option<Option<Cluster>>,
    /// Replaces the target groups; special-category ones are kept for callers who do not see them.
    #[validate(length(max = 20))]
    #[schema(nullable = false, max_items = 20)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub target_groups: Option<Vec<TargetGroup>>,
    /// Special category (GDPR art. 9): disability; only for those who see special categories.
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub has_disability: Option<bool>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000, value_type = Option<String>)]
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    pub disability_notes: Option<Option<String>>,
    /// Special category (GDPR art. 10): area penale; only for those who see special categories.
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub criminal_justice: Option<bool>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000, value_type = Option<String>)]
    /// `null` clears it.
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    pub criminal_justice_notes: Option<Option<String>>,
}

/// Special-category data (GDPR art. 9 and 10), shown only to those who need it.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct SensitiveData {
    /// GDPR art. 9: disability / L. 68/99.
    pub has_disability: bool,
    /// GDPR art. 9: notes on the disability.
    pub disability_notes: Option<String>,
    /// GDPR art. 10: in a criminal-justice programme (area penale).
    pub criminal_justice: bool,
    /// GDPR art. 10: notes on the area penale programme.
    pub criminal_justice_notes: Option<String>,
}

/// A municipality or country, by code.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct Place {
    /// ISTAT code (municipalities only).
    pub istat_code: Option<String>,
    /// Cadastral (Belfiore) code.
    pub belfiore: String,
    /// Official name (denominazione) of the municipality or country.
    pub name: String,
    /// Province abbreviation (sigla), if Italian.
    pub province: Option<String>,
}

pub fn place(m: &municipality::Municipality) -> Place {
    Place {
        istat_code: m.istat_code.map(|c| c.as_str().to_string()),
        belfiore: m.belfiore.to_string(),
        name: m.name.to_string(),
        province: m.province.map(str::to_string),
    }
}

/// A person (cittadino / beneficiario).
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct PersonOut {
    /// Identifier of the person (cittadino), a UUID.
    pub id: String,
    /// The district (Ambito territoriale) the record belongs to.
    pub district_id: String,
    /// Codice fiscale.
    pub tax_code: String,
    /// Nome.
    pub first_name: String,
    /// Cognome.
    pub last_name: String,
    /// Data di nascita (ISO 8601 date).
    pub birth_date: NaiveDate,
    /// Sesso, as in the tax code.
    pub gender: Gender,
    /// Luogo di nascita: municipality or foreign country.
    pub birth_place: Option<Place>,
    /// Comune di residenza.
    pub residence: Option<Place>,
    /// Cittadinanza.
    pub citizenship: Option<String>,
    /// Contact e-mail address.
    #[schema(format = Email)]
    pub email: Option<String>,
    /// Contact telephone number.
    pub phone: Option<String>,
    /// Indirizzo.
    pub address: Option<String>,
    /// Titolo di studio (highest education level).
    pub education_level: Option<EducationLevel>,
    /// Condizione occupazionale.
    pub employment_status: Option<EmploymentStatus>,
    /// Cluster di riferimento: the profiling band that drives which measures fit.
    pub cluster: Option<Cluster>,
    /// `disability` and `criminal_justice` are special-category data: listed only for those
    /// who see `sensitive`; a list sent by anyone else keeps them as they are.
    pub target_groups: Vec<TargetGroup>,
    /// Present only in a single read (`GET /persons/{id}`, which is logged), for coordinators,
    /// the agency following the person, and the organization that registered them; lists
    /// never carry special-category data (nor the target groups above that reveal it).
    pub sensitive: Option<SensitiveData>,
    /// `true` when only what the tax code itself says is shown: a referrer's lookup by
    /// `tax_code` of a person registered by another service, which it does not otherwise see
    /// (the id to refer them, the code, the birth date, gender and place it encodes, and the
    /// initials of the names; no contacts, no residence, no profile).
    pub restricted: bool,
    /// The processing of the person's data is restricted (GDPR art. 18, *limitazione*): the
    /// record, her referrals and cases are frozen and seen only by the DPO and the coordinator.
    pub processing_restricted: bool,
    /// The person was anonymised (GDPR art. 17): the record shows as "Persona anonimizzata"
    /// and keeps only what statistics need.
    pub anonymised: bool,
    /// What you may do with the record now.
    pub allowed_actions: Vec<Action>,
    /// Actions your role could take but are refused now, each with its reason.
    pub blocked_actions: Vec<BlockedAction>,
    /// When the person was registered (RFC 3339, UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When the record last changed (RFC 3339, UTC); its version is the `ETag`.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl PersonOut {
    /// `registered_by`: the organization that registered the person (who may edit it, with
    /// the coordinator); `show_sensitive`: only single reads by those who see special
    /// categories.
    pub fn of(
        cx: &Ctx,
        p: Person,
        registered_by: Option<&OrganizationId>,
        show_sensitive: bool,
        rights: PersonRights,
    ) -> PersonOut {
        let rights = PersonRights {
            anonymised: p.anonymised_at.is_some(),
            ..rights
        };
        let (allowed_actions, blocked_actions) = cx.render(policy::person_record_actions(
            cx.actor,
            registered_by,
            rights,
        ));
        PersonOut {
            restricted: false,
            processing_restricted: rights.restricted,
            anonymised: rights.anonymised,
            gender: p.gender,
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
            education_level: p.education_level,
            employment_status: p.employment_status,
            cluster: p.cluster,
            target_groups: p
                .target_groups
                .iter()
                .copied()
                .filter(|g| show_sensitive || !g.is_special_category())
                .collect(),
            sensitive: show_sensitive.then(|| SensitiveData {
                has_disability: p.has_disability,
                disability_notes: p.disability_notes.clone(),
                criminal_justice: p.criminal_justice,
                criminal_justice_notes: p.criminal_justice_notes.clone(),
            }),
            allowed_actions,
            blocked_actions,
            id: p.id.into(),
            district_id: p.district_id.into(),
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
        }
    }

    /// What a referrer's lookup by tax code shows of a person it does not otherwise see: the
    /// id (to refer them), the code it typed and what the code encodes (birth date, gender,
    /// birth place), the initials of the names; nothing else, and no action.
    pub fn restricted(p: Person) -> PersonOut {
        let initial = |s: &str| {
            s.chars()
                .next()
                .map(|c| format!("{}.", c.to_uppercase()))
                .unwrap_or_default()
        };
        PersonOut {
            restricted: true,
            processing_restricted: false,
            anonymised: p.anonymised_at.is_some(),
            gender: p.gender,
            birth_place: p
                .birth_place_code
                .as_deref()
                .and_then(municipality::by_belfiore)
                .map(place),
            residence: None,
            education_level: None,
            employment_status: None,
            cluster: None,
            target_groups: Vec::new(),
            sensitive: None,
            allowed_actions: Vec::new(),
            blocked_actions: Vec::new(),
            id: p.id.into(),
            district_id: p.district_id.into(),
            first_name: initial(&p.first_name),
            last_name: initial(&p.last_name),
            tax_code: p.tax_code,
            birth_date: p.birth_date,
            citizenship: None,
            email: None,
            phone: None,
            address: None,
            created_at: utc(p.created_at),
            updated_at: utc(p.updated_at),
        }
    }
}

/// The organization that registered the person (its creator's), if known.
pub fn registered_by(conn: &mut DbConn, p: &Person) -> Result<Option<OrganizationId>, Error> {
    match &p.created_by {
        Some(u) => User::organization_of(conn, &UserId::from(u.as_str())),
        None => Ok(None),
    }
}

/// Whether the caller sees this person's special categories (the organization that
/// registered a person does; see the policy).
pub fn sees_special_categories(conn: &mut DbConn, cx: &Ctx, p: &Person) -> Result<bool, Error> {
    let registered_by = match cx.actor.role {
        Role::Referrer => registered_by(conn, p)?,
        _ => None,
    };
    Ok(policy::sees_special_categories(
        cx.actor,
        registered_by.as_ref(),
    ))
}

/// Which sealed values to seal again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reseal {
    /// Those stored in clear by an older version (at start).
    Clear,
    /// Every one not sealed under the key in use (rotation).
    NotCurrent,
}

/// The row as stored: the special-category notes sealed (see [`SecretBox`]).
fn sealed(keys: &SecretBox, p: &Person) -> Result<Person, Error> {
    let mut out = p.clone();
    for note in [&mut out.disability_notes, &mut out.criminal_justice_notes] {
        if let Some(plain) = note.as_deref().filter(|n| !SecretBox::is_sealed(n)) {
            *note = Some(keys.seal(plain).map_err(Error::Internal)?);
        }
    }
    Ok(out)
}

/// The notes of a stored row, opened.
pub fn open_notes(keys: &SecretBox, p: &mut Person) -> Result<(), Error> {
    for note in [&mut p.disability_notes, &mut p.criminal_justice_notes] {
        if let Some(stored) = note.as_deref() {
            *note = Some(keys.open(stored).map_err(Error::Internal)?);
        }
    }
    Ok(())
}

/// Re-seals, in transactions of `batch` rows, every special-category note not sealed under
/// the key in use: notes an older version stored in clear (at start) and those sealed under
/// `SECRETS_KEY_PREVIOUS` (`rotate-secrets-key`). Each batch is read and replaced in one
/// transaction, so an edit the server makes meanwhile is never lost (it is sealed under
/// the key in use already: on PostgreSQL the batch's rows are locked while it runs). Returns
/// how many rows changed.
pub fn reseal_notes(
    conn: &mut DbConn,
    keys: &SecretBox,
    which: Reseal,
    batch: i64,
) -> Result<usize, Error> {
    let mut changed = 0;
    let mut after: Option<PersonId> = None;
    loop {
        let rows = write_tx(conn, |conn| {
            let rows = Person::notes_after(conn, after.as_ref(), batch)?;
            for row in &rows {
                let reseal = |n: &Option<String>| -> Result<Option<String>, Error> {
                    match n {
                        Some(v) if which == Reseal::Clear && SecretBox::is_sealed(v) => Ok(None),
                        Some(v) => keys.reseal(v).map_err(Error::Internal),
                        None => Ok(None),
                    }
                };
                let (d, c) = (reseal(&row.1)?, reseal(&row.2)?);
                if d.is_none() && c.is_none() {
                    continue;
                }
                let new_d = d.or_else(|| row.1.clone());
                let new_c = c.or_else(|| row.2.clone());
                Person::replace_notes(conn, &row.0, new_d, new_c)?;
                changed += 1;
            }
            Ok(rows)
        })?;
        match rows.last() {
            Some(last) if rows.len() as i64 == batch => after = Some(last.0.clone()),
            _ => return Ok(changed),
        }
    }
}

/// How many persons' notes are not sealed under the key in use (after a rotation: none).
pub fn notes_not_current(conn: &mut DbConn, keys: &SecretBox) -> Result<usize, Error> {
    let mut count = 0;
    let mut after: Option<PersonId> = None;
    loop {
        let rows = Person::notes_after(conn, after.as_ref(), 500)?;
        count += rows
            .iter()
            .filter(|r| {
                [&r.1, &r.2]
                    .iter()
                    .any(|n| n.as_deref().is_some_and(|v| !keys.is_current(v)))
            })
            .count();
        match rows.last() {
            Some(last) if rows.len() == 500 => after = Some(last.0.clone()),
            _ => return Ok(count),
        }
    }
}

/// A person as the caller reads it alone: with its actions and, for those who see them, its
/// special categories.
fn detail(conn: &mut DbConn, cx: &Ctx, p: Person) -> Result<PersonOut, Error> {
    let by = registered_by(conn, &p)?;
    let sensitive = sees_special_categories(conn, cx, &p)?;
    let rights = rights_of(conn, &p.id)?;
    Ok(PersonOut::of(cx, p, by.as_ref(), sensitive, rights))
}

/// Where the person's record stands with the rights of art. 17 and 18 (anonymised is read
/// from the row by [`PersonOut::of`]).
pub fn rights_of(conn: &mut DbConn, id: &PersonId) -> Result<PersonRights, Error> {
    Ok(PersonRights {
        restricted: Restriction::is_restricted(conn, id)?,
        anonymised: false,
        anonymisation_pending: AnonymisationRequest::pending_of(conn, id)?.is_some(),
    })
}

/// An anonymised person's record no longer changes (`409 person_anonymised`).
pub fn not_anonymised(p: &Person) -> Result<(), Error> {
    if p.anonymised_at.is_some() {
        return Err(Error::conflict(
            ErrorCode::PersonAnonymised,
            text!(
                "la persona è stata anonimizzata: il suo fascicolo non può più cambiare",
                "the person was anonymised: her record can no longer change"
            ),
        ));
    }
    Ok(())
}

/// Checks every rule of a person record and lists every violation.
fn validate_record(p: &Person, today: NaiveDate) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if p.birth_date > today {
        errors.push(FieldError::new(
            "birth_date",
            "future",
            text!("non può essere nel futuro", "cannot be in the future"),
        ));
    } else if p.birth_date < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(p.birth_date) {
        errors.push(FieldError::new(
            "birth_date",
            "range",
            text!(
                "deve essere successiva al 01/01/1900",
                "must be after 1900-01-01"
            ),
        ));
    }
    match TaxCode::parse(&p.tax_code) {
        Err(e) => errors.push(FieldError::new("tax_code", e.code(), e.text())),
        Ok(code) => {
            let gender = p.gender.as_str().chars().next().unwrap_or('?');
            for m in code.mismatches(&p.first_name, &p.last_name, p.birth_date, gender) {
                errors.push(FieldError::new(m.field, m.code, m.message));
            }
            if let (Some(given), Some(encoded)) = (&p.birth_place_code, code.belfiore()) {
                if given != encoded {
                    errors.push(FieldError::new(
                        "birth_place_code",
                        "tax_code_mismatch",
                        text!(
                            "il luogo di nascita {given} non corrisponde al codice fiscale \
                             (il codice riporta {encoded})",
                            "birth place {given} does not match the tax code (it encodes \
                             {encoded})"
                        ),
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
                text!(
                    "{b} non è il codice di un comune o di uno Stato conosciuto",
                    "{b} is not a known municipality or country code"
                ),
            ));
        }
    }
    if let Some(r) = &p.residence_municipality_code {
        if let Err(e) = IstatCode::parse(r) {
            errors.push(FieldError::new(
                "residence_municipality_code",
                e.code(),
                e.text(),
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

/// The record as stored: codes in their canonical form (parsed), names trimmed, emptied
/// texts gone, the search key derived.
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
    p.email = p
        .email
        .take()
        .and_then(|e| Email::parse("email", &e).ok())
        .map(Email::into_inner);
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

fn duplicate(existing: &Person) -> Error {
    Error::Conflict {
        code: ErrorCode::Duplicate,
        detail: text!(
            "nell'Ambito è già registrata una persona con questo codice fiscale",
            "a person with this tax code is already registered in the district"
        ),
        existing_id: Some(existing.id.clone().into()),
    }
}

/// The same person registered under a temporary code and a definitive one (or two temporary
/// ones): same name, birth date and gender, one of the codes temporary.
fn duplicate_under_other_code(existing: &Person) -> Error {
    Error::Conflict {
        code: ErrorCode::Duplicate,
        detail: text!(
            "nell'Ambito è già registrata una persona con lo stesso nome, data di nascita e \
             sesso, con un codice fiscale provvisorio o definitivo: correggere il suo codice \
             invece di registrarla di nuovo",
            "a person with the same name, birth date and gender is registered in the district \
             under a temporary or definitive tax code: correct their code instead of \
             registering them again"
        ),
        existing_id: Some(existing.id.clone().into()),
    }
}

/// The answer to a caller who may not see the person already registered: neither the id nor
/// a word that a person exists — the same answer as for any code the caller may not register.
fn not_registrable() -> Error {
    Error::conflict(
        ErrorCode::Duplicate,
        text!(
            "questo codice fiscale non può essere registrato da te: rivolgiti al coordinatore \
             dell'Ambito",
            "you cannot register this tax code: ask the district's coordinator"
        ),
    )
}

/// Whether the caller may be told which person holds a code: those who see the person, and
/// referrers (who may look up any code of the district, see [`list`]).
fn may_be_told(conn: &mut DbConn, cx: &Ctx, existing: &Person) -> Result<bool, Error> {
    if cx.actor.role == Role::Referrer {
        return Ok(true);
    }
    let scope = policy::person_scope(cx.actor)?;
    Person::visible(conn, &scope, existing)
}

/// A person already registered as `p` would be: the same code, or — when either code is
/// temporary — the same name, birth date and gender.
fn already_registered(conn: &mut DbConn, p: &Person) -> Result<Option<(Person, bool)>, Error> {
    if let Some(existing) = Person::find_by_tax_code(conn, &p.district_id, &p.tax_code)? {
        return Ok(Some((existing, true)));
    }
    let temporary = |code: &str| code.len() == 11;
    let same = Person::same_name_and_birth(conn, &p.district_id, &p.name_key, p.birth_date)?;
    Ok(same
        .into_iter()
        .filter(|e| e.id != p.id && e.gender == p.gender)
        .find(|e| temporary(&e.tax_code) || temporary(&p.tax_code))
        .map(|e| (e, false)))
}

/// Search filters.
#[derive(Debug, Clone, Default)]
pub struct PersonQuery {
    /// Prefix of "surname name", case and accents ignored.
    pub q: Option<String>,
    /// Exact codice fiscale: referrers may look up any person of the district this way, to
    /// refer someone another service registered.
    pub tax_code: Option<String>,
}

/// Persons the caller may see, by id; a name search by surname, name, then id. Lists never
/// carry special categories (only the logged single read does).
pub fn list(
    conn: &mut DbConn,
    cx: &Ctx,
    q: PersonQuery,
    page: &PageRequest,
) -> Result<Page<PersonOut>, Error> {
    let own = policy::person_scope(cx.actor)?;
    let mut scope = own.clone();
    let tax_code = q
        .tax_code
        .as_deref()
        .map(|t| t.split_whitespace().collect::<String>().to_uppercase());
    let lookup = cx.actor.role == Role::Referrer && tax_code.is_some();
    if lookup {
        scope = PersonScope::District;
    }
    let filter = PersonFilter {
        name_prefix: q.q.as_deref().map(fold).filter(|s| !s.is_empty()),
        tax_code,
    };
    let action = if filter.tax_code.is_some() {
        "lookup"
    } else if filter.name_prefix.is_some() {
        "search"
    } else {
        "list"
    };
    let mut rows = Person::list(
        conn,
        cx.actor.district()?,
        &scope,
        &filter,
        page.after(),
        page.limit,
    )?;
    let ids: Vec<&str> = rows.iter().map(|p| p.id.as_str()).collect();
    let restricted = Restriction::among(conn, &ids)?;
    let pending = AnonymisationRequest::pending_among(conn, &ids)?;
    if lookup && !policy::sees_restricted(cx.actor) {
        // A lookup by code reaches the whole district, but not a restricted person (art. 18).
        rows.retain(|p| !restricted.contains(p.id.as_str()));
    }
    // Every person answered is a read in the audit log; a lookup by code is also a read of
    // what it finds in the person's own log (who, when, which), and one finding nobody is
    // logged too (someone asked whether a tax code is registered).
    if lookup {
        let reads: Vec<PersonRead> = rows
            .iter()
            .take(usize::try_from(page.limit).unwrap_or(usize::MAX))
            .map(|p| PersonRead::new(p.id.clone(), &cx.actor.id, cx.now.at, "lookup"))
            .collect();
        write_tx(conn, |conn| audit::person_reads(conn, &reads))?;
    }
    let mut events: Vec<audit_log::NewEvent> = match lookup {
        true => Vec::new(),
        false => rows
            .iter()
            .map(|p| audit_log::NewEvent {
                action,
                entity_type: Some("person".into()),
                entity_id: Some(p.id.to_string()),
                person_id: Some(p.id.to_string()),
                detail: None,
            })
            .collect(),
    };
    if rows.is_empty() && action == "lookup" {
        events.push(audit_log::NewEvent {
            action,
            entity_type: Some("person".into()),
            detail: Some("0".into()),
            ..Default::default()
        });
    }
    audit_log::record(conn, cx.now.at, &events)?;
    let mut organizations: std::collections::HashMap<Option<String>, Option<OrganizationId>> =
        std::collections::HashMap::new();
    let restricted_ids = restricted;
    let mut shown = Vec::with_capacity(rows.len());
    for p in rows {
        if lookup && !Person::visible(conn, &own, &p)? {
            shown.push((p, None, true));
            continue;
        }
        let by = match organizations.get(&p.created_by) {
            Some(o) => o.clone(),
            None => {
                let o = registered_by(conn, &p)?;
                organizations.insert(p.created_by.clone(), o.clone());
                o
            }
        };
        shown.push((p, by, false));
    }
    Page::of(
        shown,
        page.limit,
        |(p, _, _)| p.id.clone().into(),
        |(p, by, restricted)| {
            Ok(if restricted {
                PersonOut::restricted(p)
            } else {
                let rights = PersonRights {
                    restricted: restricted_ids.contains(p.id.as_str()),
                    anonymised: false,
                    anonymisation_pending: pending.contains(p.id.as_str()),
                };
                PersonOut::of(cx, p, by.as_ref(), false, rights)
            })
        },
    )
}

pub fn create(
    conn: &mut DbConn,
    cx: &Ctx,
    keys: &SecretBox,
    input: PersonInput,
) -> Result<PersonOut, Error> {
    policy::person_scope(cx.actor)?;
    policy::may_edit_persons(cx.actor)?;
    let district = cx.actor.district()?.clone();
    let at = cx.now.at;
    let mut p = Person {
        id: new_id(),
        district_id: district.clone(),
        tax_code: input.tax_code,
        first_name: input.first_name,
        last_name: input.last_name,
        name_key: String::new(),
        birth_date: input.birth_date,
        gender: input.gender,
        birth_place_code: input.birth_place_code,
        residence_municipality_code: input.residence_municipality_code,
        citizenship: input.citizenship,
        email: input.email,
        phone: input.phone,
        address: input.address,
        education_level: input.education_level,
        employment_status: input.employment_status,
        cluster: input.cluster,
        target_groups: input.target_groups,
        has_disability: input.has_disability,
        disability_notes: input.disability_notes,
        criminal_justice: input.criminal_justice,
        criminal_justice_notes: input.criminal_justice_notes,
        created_by: Some(cx.actor.id.clone()),
        created_at: at,
        updated_at: at,
        anonymised_at: None,
    };
    let errors = validate_record(&p, cx.now.today);
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    normalise(&mut p);
    let stored = sealed(keys, &p)?;
    // The inner result: a refused registration's error is returned after its audit row
    // commits.
    write_tx(conn, |conn| {
        if let Some((existing, same_code)) = already_registered(conn, &p)? {
            if !may_be_told(conn, cx, &existing)? {
                // Logged as a refused access to the person the caller may not see.
                audit::record(
                    conn,
                    Transition {
                        entity_type: "person",
                        entity_id: existing.id.as_str(),
                        action: "register_refused",
                        from: None,
                        to: "refused",
                        reason: Some("tax code already registered, not visible to the caller"),
                        actor_id: Some(cx.actor.id.as_str()),
                        at: cx.now.at,
                    },
                )?;
                return Ok(Err(not_registrable()));
            }
            return Ok(Err(if same_code {
                duplicate(&existing)
            } else {
                duplicate_under_other_code(&existing)
            }));
        }
        Person::insert(conn, &stored).map_err(|e| match e {
            Error::Conflict { .. } => Error::conflict(
                ErrorCode::Duplicate,
                text!(
                    "una persona con questo codice fiscale è appena stata registrata",
                    "a person with this tax code was just registered"
                ),
            ),
            other => other,
        })?;
        // A person has no state machine (no `state_changes` row): its creation goes to the
        // audit log directly.
        audit_log::record(
            conn,
            at,
            &[audit_log::NewEvent {
                action: "create",
                entity_type: Some("person".into()),
                entity_id: Some(p.id.to_string()),
                person_id: Some(p.id.to_string()),
                detail: None,
            }],
        )?;
        detail(conn, cx, p).map(Ok)
    })?
}

/// A person the caller may see (else `404`), at the version the caller expects.
pub fn visible(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &PersonId,
    expected: &Expected,
) -> Result<Person, Error> {
    let scope = policy::person_record_scope(cx.actor)?;
    let p = Person::find(conn, id).map_err(|_| Error::hidden())?;
    if !cx.actor.in_district(&p.district_id) || !Person::visible(conn, &scope, &p)? {
        return Err(Error::hidden());
    }
    expected.check(Version::of(p.updated_at))?;
    Ok(p)
}

/// The full record, and the read to log (who, when, which): the caller writes it before
/// the answer leaves, so no read answered goes unrecorded.
pub fn read(
    conn: &mut DbConn,
    cx: &Ctx,
    keys: &SecretBox,
    id: &PersonId,
) -> Result<(PersonOut, PersonRead), Error> {
    let mut p = visible(conn, cx, id, &Expected::Any)?;
    let read = PersonRead::new(p.id.clone(), &cx.actor.id, cx.now.at, "read");
    // Opened only for those who see them: nobody else's read touches the key.
    if sees_special_categories(conn, cx, &p)? {
        open_notes(keys, &mut p)?;
    }
    Ok((detail(conn, cx, p)?, read))
}

pub fn update(
    conn: &mut DbConn,
    cx: &Ctx,
    keys: &SecretBox,
    id: &PersonId,
    expected: &Expected,
    patch: PersonPatch,
) -> Result<PersonOut, Error> {
    policy::may_edit_persons(cx.actor)?;
    write_tx(conn, |conn| {
        let mut p = visible(conn, cx, id, expected)?;
        policy::may_edit_person(cx.actor, registered_by(conn, &p)?.as_ref())?;
        not_anonymised(&p)?;
        // Compared and saved in clear, sealed again on the way to the row.
        open_notes(keys, &mut p)?;
        let before = p.clone();
        let sees = sees_special_categories(conn, cx, &p)?;
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
            return Err(Error::Forbidden(text!(
                "non è consentito modificare le categorie particolari di dati di questa persona",
                "you may not change special-category data of this person"
            )));
        }
        // Those who do not see the special-category groups keep them as they are: the list
        // they send lacks them because they never saw them.
        let patch = match (sees, patch.target_groups.clone()) {
            (false, Some(mut groups)) => {
                groups.extend(
                    p.target_groups
                        .iter()
                        .copied()
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
            gender,
            has_disability,
            criminal_justice,
            birth_place_code,
            residence_municipality_code,
            citizenship,
            email,
            phone,
            address,
            disability_notes,
            criminal_justice_notes,
            education_level,
            employment_status,
            cluster,
            target_groups
        );
        if tax_changed && patch.birth_place_code.is_none() {
            // The birth place came from the old code: derive it again from the new one.
            p.birth_place_code = None;
        }
        let errors = validate_record(&p, cx.now.today);
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        normalise(&mut p);
        if p.tax_code != old_code {
            if let Some((existing, same_code)) = already_registered(conn, &p)? {
                return Err(if same_code {
                    duplicate(&existing)
                } else {
                    duplicate_under_other_code(&existing)
                });
            }
        }
        let changed = audit::changed_fields(&before, &p);
        if !changed.is_empty() {
            p.updated_at = cx.now.at;
            Person::save(conn, &sealed(keys, &p)?)?;
            // Names of the fields only: the log does not copy personal data.
            audit::record_update(
                conn,
                "person",
                p.id.as_str(),
                None,
                &changed.join(", "),
                cx.by(),
            )?;
        }
        detail(conn, cx, p)
    })
}
