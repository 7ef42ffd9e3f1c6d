//! Administration: districts, organizations (with accredited agencies) and user accounts.

use serde::{Deserialize, Serialize};
use sistema_lavoro_domain::actions::{Action, BlockedAction};
use sistema_lavoro_domain::ids::{DistrictId, OrganizationId, UserId};
use sistema_lavoro_domain::values::{check_password, Email};
use sistema_lavoro_domain::{
    policy, text, Error, ErrorCode, Expected, FieldError, OrganizationKind, Role, Version,
};
use sistema_lavoro_store::districts::{District, DistrictChanges, NewDistrict};
use sistema_lavoro_store::organizations::{
    NewOrganization, Organization, OrganizationChanges, OrganizationFilter,
};
use sistema_lavoro_store::tokens::RefreshToken;
use sistema_lavoro_store::users::{NewUser, User, UserChanges, UserFilter};
use sistema_lavoro_store::{new_id, utc, write_tx, DbConn};
use utoipa::ToSchema;
use validator::Validate;

use crate::workflow::{Page, PageRequest};
use crate::Ctx;

// ---------------------------------------------------------------- districts

/// A district (Ambito territoriale): the tenant every workflow record belongs to.
#[derive(Debug, Serialize, ToSchema)]
pub struct DistrictOut {
    /// Identifier of the district (Ambito territoriale), a UUID.
    pub id: String,
    /// Short unique code, e.g. `AMBITO-1-BG`.
    pub code: String,
    /// Name, e.g. "Ambito 1 – Bergamo".
    pub name: String,
    /// IANA time zone of the district's dates.
    pub timezone: String,
    /// Periodo di conservazione: years after a person's last case closed before the retention
    /// job anonymises her.
    pub retention_years: i32,
    /// What you may do with it now (`edit`, `set_municipalities`).
    pub allowed_actions: Vec<Action>,
    /// Actions your role could take but the current state forbids, each with its reason.
    pub blocked_actions: Vec<BlockedAction>,
    /// When it was created (RFC 3339, UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it last changed (RFC 3339, UTC); its version is the `ETag`.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl DistrictOut {
    pub fn of(cx: &Ctx, d: District) -> DistrictOut {
        let (allowed_actions, blocked_actions) =
            cx.render(policy::district_actions(cx.actor, &d.id));
        DistrictOut {
            allowed_actions,
            blocked_actions,
            id: d.id.into(),
            code: d.code,
            name: d.name,
            timezone: d.timezone,
            retention_years: d.retention_years,
            created_at: utc(d.created_at),
            updated_at: utc(d.updated_at),
        }
    }
}

/// A new district.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"code": "AMBITO-2-DALMINE", "name": "Ambito 2 – Dalmine"}))]
pub struct CreateDistrict {
    /// Short unique code.
    #[validate(length(min = 2, max = 40))]
    #[schema(min_length = 2, max_length = 40)]
    pub code: String,
    /// Display name.
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub name: String,
    /// IANA time zone; default `Europe/Rome`.
    #[validate(length(min = 3, max = 64))]
    #[schema(min_length = 3, max_length = 64)]
    pub timezone: Option<String>,
}

/// Changes to a district; absent fields stay as they are.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct UpdateDistrict {
    /// New short unique code, e.g. `AMBITO-1-BG`.
    #[validate(length(min = 2, max = 40))]
    #[schema(nullable = false, min_length = 2, max_length = 40)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub code: Option<String>,
    /// New display name, e.g. "Ambito 1 – Bergamo".
    #[validate(length(min = 2, max = 200))]
    #[schema(nullable = false, min_length = 2, max_length = 200)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub name: Option<String>,
    /// New IANA time zone of the district's dates, e.g. `Europe/Rome`.
    #[validate(length(min = 3, max = 64))]
    #[schema(nullable = false, min_length = 3, max_length = 64)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub timezone: Option<String>,
    /// Periodo di conservazione: years after a person's last case closed before the retention
    /// job anonymises her (1–100; 10 by default). The district's coordinator may set this
    /// field (and only this one) for its own district.
    #[validate(range(min = 1, max = 100))]
    #[schema(nullable = false, minimum = 1, maximum = 100)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub retention_years: Option<i32>,
}

/// Districts: the administrator sees all, everyone else only their own.
pub fn list_districts(
    conn: &mut DbConn,
    cx: &Ctx,
    page: &PageRequest,
) -> Result<Page<DistrictOut>, Error> {
    let rows = if cx.actor.role == Role::Admin {
        District::list(conn, page.after(), page.limit)?
    } else {
        match &cx.actor.district_id {
            Some(d) if page.after().is_none_or(|a| a < d.as_str()) => {
                vec![District::find(conn, d)?]
            }
            _ => vec![],
        }
    };
    Page::of(
        rows,
        page.limit,
        |d| d.id.clone().into(),
        |d| Ok(DistrictOut::of(cx, d)),
    )
}

pub fn create_district(
    conn: &mut DbConn,
    cx: &Ctx,
    b: CreateDistrict,
) -> Result<DistrictOut, Error> {
    policy::may_administer(cx.actor)?;
    write_tx(conn, |conn| {
        if District::find_by_code(conn, b.code.trim())?.is_some() {
            return Err(Error::conflict(
                ErrorCode::Duplicate,
                text!(
                    "esiste già un Ambito con questo codice",
                    "a district with this code exists"
                ),
            ));
        }
        let d = District::insert(
            conn,
            &NewDistrict {
                id: &new_id::<String>(),
                code: b.code.trim(),
                name: b.name.trim(),
                timezone: b.timezone.as_deref().unwrap_or("Europe/Rome"),
                created_at: cx.now.at,
                updated_at: cx.now.at,
            },
        )?;
        crate::workflow::networks::create_table(conn, cx, &d.id, &d.name)?;
        Ok(DistrictOut::of(cx, d))
    })
}

fn visible_district(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &DistrictId,
    expected: &Expected,
) -> Result<District, Error> {
    if !policy::sees_district(cx.actor, id) {
        return Err(Error::NotFound);
    }
    let d = District::find(conn, id)?;
    expected.check(Version::of(d.updated_at))?;
    Ok(d)
}

pub fn get_district(conn: &mut DbConn, cx: &Ctx, id: &DistrictId) -> Result<DistrictOut, Error> {
    Ok(DistrictOut::of(
        cx,
        visible_district(conn, cx, id, &Expected::Any)?,
    ))
}

pub fn update_district(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &DistrictId,
    expected: &Expected,
    b: UpdateDistrict,
) -> Result<DistrictOut, Error> {
    if b.code.is_some() || b.name.is_some() || b.timezone.is_some() {
        policy::may_administer(cx.actor)?;
    }
    // The coordinator sets its own district's retention period, nothing else.
    policy::may_set_retention(cx.actor, id)?;
    write_tx(conn, |conn| {
        visible_district(conn, cx, id, expected)?;
        if let Some(code) = &b.code {
            if District::find_by_code(conn, code.trim())?.is_some_and(|o| &o.id != id) {
                return Err(Error::conflict(
                    ErrorCode::Duplicate,
                    text!(
                        "esiste già un Ambito con questo codice",
                        "a district with this code exists"
                    ),
                ));
            }
        }
        let d = District::update(
            conn,
            id,
            &DistrictChanges {
                code: b.code.map(|s| s.trim().to_string()),
                name: b.name.map(|s| s.trim().to_string()),
                timezone: b.timezone,
                retention_years: b.retention_years,
                updated_at: Some(cx.now.at),
            },
        )?;
        Ok(DistrictOut::of(cx, d))
    })
}

// ------------------------------------------------------------ organizations

/// An organization (ente / soggetto) of a district.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationOut {
    /// Identifier of the organization (ente), a UUID.
    pub id: String,
    /// The district (Ambito territoriale) it belongs to.
    pub district_id: String,
    /// Name (denominazione).
    pub name: String,
    /// Tipo di ente: social service, CPI, accredited agency, municipality, …
    pub kind: OrganizationKind,
    /// Regional accreditation code (codice accreditamento); set for accredited agencies.
    pub accreditation_code: Option<String>,
    /// Codice fiscale / partita IVA of the organization.
    pub tax_code: Option<String>,
    /// Contact e-mail address (stored lower case).
    #[schema(format = Email)]
    pub email: Option<String>,
    /// Contact telephone number, as entered.
    pub phone: Option<String>,
    /// Inactive organizations keep their history but get no new work.
    pub active: bool,
    /// What you may do with it now (`edit`).
    pub allowed_actions: Vec<Action>,
    /// Actions your role could take but the current state forbids, each with its reason.
    pub blocked_actions: Vec<BlockedAction>,
    /// When it was created (RFC 3339, UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it last changed (RFC 3339, UTC); its version is the `ETag`.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl OrganizationOut {
    pub fn of(cx: &Ctx, o: Organization) -> Self {
        let (allowed_actions, blocked_actions) = cx.render(policy::admin_actions(cx.actor));
        OrganizationOut {
            allowed_actions,
            blocked_actions,
            kind: o.kind,
            id: o.id.into(),
            district_id: o.district_id.into(),
            name: o.name,
            accreditation_code: o.accreditation_code,
            tax_code: o.tax_code,
            email: o.email,
            phone: o.phone,
            active: o.active,
            created_at: utc(o.created_at),
            updated_at: utc(o.updated_at),
        }
    }
}

/// A new organization.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"district_id": "0193...", "name": "Agenzia Lavoro Uno", "kind": "accredited_agency", "accreditation_code": "LOM-AL-0001"}))]
pub struct CreateOrganization {
    /// The district it belongs to.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, value_type = String)]
    pub district_id: DistrictId,
    /// Name (denominazione), unique in the district.
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub name: String,
    /// Tipo di ente; `accredited_agency` for an ente accreditato ai servizi al lavoro.
    pub kind: OrganizationKind,
    /// Required for `accredited_agency`, not allowed otherwise.
    #[validate(length(min = 2, max = 40))]
    #[schema(min_length = 2, max_length = 40)]
    pub accreditation_code: Option<String>,
    /// Codice fiscale (11 digits) or partita IVA of the organization; stored upper case.
    #[validate(length(min = 11, max = 16))]
    #[schema(min_length = 11, max_length = 16)]
    pub tax_code: Option<String>,
    /// Contact e-mail address (stored lower case).
    #[validate(email, length(max = 254))]
    #[schema(format = Email, max_length = 254)]
    pub email: Option<String>,
    /// Contact telephone number.
    #[validate(length(min = 3, max = 40))]
    #[schema(min_length = 3, max_length = 40)]
    pub phone: Option<String>,
}

/// Changes to an organization; absent fields stay as they are.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct UpdateOrganization {
    /// New name (denominazione).
    #[validate(length(min = 2, max = 200))]
    #[schema(nullable = false, min_length = 2, max_length = 200)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub name: Option<String>,
    /// New kind (tipo di ente); leaving `accredited_agency` drops the accreditation code.
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub kind: Option<OrganizationKind>,
    /// Regional accreditation code (codice accreditamento); accredited agencies only; `null`
    /// clears it.
    #[validate(length(min = 2, max = 40))]
    #[schema(min_length = 2, max_length = 40, value_type = Option<String>)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    pub accreditation_code: Option<Option<String>>,
    /// Codice fiscale / partita IVA of the organization; stored upper case; `null` clears it.
    #[validate(length(min = 11, max = 16))]
    #[schema(min_length = 11, max_length = 16, value_type = Option<String>)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    pub tax_code: Option<Option<String>>,
    /// Contact e-mail address (stored lower case); `null` clears it.
    #[validate(email, length(max = 254))]
    #[schema(format = Email, max_length = 254, value_type = Option<String>)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    pub email: Option<Option<String>>,
    /// Contact telephone number; `null` clears it.
    #[validate(length(min = 3, max = 40))]
    #[schema(min_length = 3, max_length = 40, value_type = Option<String>)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
    pub phone: Option<Option<String>>,
    /// `false` deactivates it: it keeps its history but gets no new work.
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub active: Option<bool>,
}

fn check_accreditation(kind: OrganizationKind, code: &Option<String>) -> Result<(), Error> {
    match (kind == OrganizationKind::AccreditedAgency, code) {
        (true, None) => Err(Error::validation(
            "accreditation_code",
            "required",
            text!(
                "obbligatorio per un ente accreditato",
                "is required for an accredited agency"
            ),
        )),
        (false, Some(_)) => Err(Error::validation(
            "accreditation_code",
            "not_allowed",
            text!(
                "solo gli enti accreditati hanno un codice di accreditamento",
                "only accredited agencies have an accreditation code"
            ),
        )),
        _ => Ok(()),
    }
}

/// Filters of the organization list.
#[derive(Debug, Clone, Default)]
pub struct OrganizationQuery {
    /// Only this kind.
    pub kind: Option<OrganizationKind>,
    /// Only active (`true`) or inactive (`false`) ones.
    pub active: Option<bool>,
    /// Admin only: only this district (others always see their own).
    pub district_id: Option<DistrictId>,
}

/// Organizations, by id: everyone sees their own district's; the administrator all (or one
/// district's).
pub fn list_organizations(
    conn: &mut DbConn,
    cx: &Ctx,
    q: OrganizationQuery,
    page: &PageRequest,
) -> Result<Page<OrganizationOut>, Error> {
    let filter = OrganizationFilter {
        district_id: if cx.actor.role == Role::Admin {
            q.district_id
        } else {
            Some(cx.actor.district()?.clone())
        },
        kind: q.kind,
        active: q.active,
    };
    let rows = Organization::list(conn, &filter, page.after(), page.limit)?;
    Page::of(
        rows,
        page.limit,
        |r| r.id.clone().into(),
        |o| Ok(OrganizationOut::of(cx, o)),
    )
}

fn district_exists(conn: &mut DbConn, id: &DistrictId) -> Result<(), Error> {
    District::find(conn, id).map(drop).map_err(|e| match e {
        Error::NotFound => Error::validation(
            "district_id",
            "unknown",
            text!(
                "nessun Ambito ha questo identificativo",
                "no district has this id"
            ),
        ),
        other => other,
    })
}

pub fn create_organization(
    conn: &mut DbConn,
    cx: &Ctx,
    b: CreateOrganization,
) -> Result<OrganizationOut, Error> {
    policy::may_administer(cx.actor)?;
    check_accreditation(b.kind, &b.accreditation_code)?;
    write_tx(conn, |conn| {
        district_exists(conn, &b.district_id)?;
        let o = Organization::insert(
            conn,
            &NewOrganization {
                id: new_id(),
                district_id: b.district_id,
                name: b.name.trim().to_string(),
                kind: b.kind,
                accreditation_code: b.accreditation_code,
                tax_code: b.tax_code.map(|t| t.trim().to_uppercase()),
                email: b.email.map(|e| e.trim().to_lowercase()),
                phone: b.phone,
                active: true,
                created_at: cx.now.at,
                updated_at: cx.now.at,
            },
        )
        .map_err(|e| match e {
            Error::Conflict {
                code: ErrorCode::Duplicate,
                ..
            } => Error::conflict(
                ErrorCode::Duplicate,
                text!(
                    "nell'Ambito esiste già un ente con questo nome",
                    "an organization with this name exists in the district"
                ),
            ),
            other => other,
        })?;
        crate::workflow::networks::seat_at_the_table(conn, cx, &o.district_id, &o.id, o.kind)?;
        Ok(OrganizationOut::of(cx, o))
    })
}

fn visible_organization(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &OrganizationId,
    expected: &Expected,
) -> Result<Organization, Error> {
    let o = Organization::find(conn, id)?;
    if !policy::sees_district(cx.actor, &o.district_id) {
        return Err(Error::NotFound);
    }
    expected.check(Version::of(o.updated_at))?;
    Ok(o)
}

pub fn get_organization(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &OrganizationId,
) -> Result<OrganizationOut, Error> {
    Ok(OrganizationOut::of(
        cx,
        visible_organization(conn, cx, id, &Expected::Any)?,
    ))
}

pub fn update_organization(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &OrganizationId,
    expected: &Expected,
    b: UpdateOrganization,
) -> Result<OrganizationOut, Error> {
    policy::may_administer(cx.actor)?;
    write_tx(conn, |conn| {
        let current = visible_organization(conn, cx, id, expected)?;
        let kind = b.kind.unwrap_or(current.kind);
        let code = match b.accreditation_code.clone() {
            Some(given) => given,
            None if b
                .kind
                .is_some_and(|k| k != OrganizationKind::AccreditedAgency) =>
            {
                None
            }
            None => current.accreditation_code.clone(),
        };
        check_accreditation(kind, &code)?;
        let o = Organization::update(
            conn,
            id,
            &OrganizationChanges {
                name: b.name.map(|s| s.trim().to_string()),
                kind: b.kind,
                accreditation_code: Some(code),
                tax_code: b.tax_code.map(|t| t.map(|t| t.trim().to_uppercase())),
                email: b.email.map(|e| e.map(|e| e.trim().to_lowercase())),
                phone: b.phone,
                active: b.active,
                updated_at: Some(cx.now.at),
            },
        )?;
        Ok(OrganizationOut::of(cx, o))
    })
}

// -------------------------------------------------------------------- users

/// A user account.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserOut {
    /// Identifier of the account, a UUID.
    pub id: String,
    /// Sign-in e-mail address, unique.
    pub email: String,
    /// Full name (nome e cognome).
    pub full_name: String,
    /// Role (ruolo), which decides what the user may see and do.
    pub role: Role,
    /// The user's organization (ente); set for referrers and agency operators.
    pub organization_id: Option<String>,
    /// The user's district (Ambito territoriale); absent for the administrator.
    pub district_id: Option<String>,
    /// Disabled accounts cannot sign in.
    pub active: bool,
    /// What you may do with it now (`edit`).
    pub allowed_actions: Vec<Action>,
    /// Actions your role could take but the current state forbids, each with its reason.
    pub blocked_actions: Vec<BlockedAction>,
    /// Last successful sign-in (RFC 3339, UTC); absent if never.
    pub last_login_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When it was created (RFC 3339, UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it last changed (RFC 3339, UTC); its version is the `ETag`.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl UserOut {
    pub fn of(cx: &Ctx, u: User) -> Self {
        let (allowed_actions, blocked_actions) = cx.render(policy::admin_actions(cx.actor));
        UserOut {
            allowed_actions,
            blocked_actions,
            role: u.role,
            id: u.id.into(),
            email: u.email,
            full_name: u.full_name,
            organization_id: u.organization_id.map(Into::into),
            district_id: u.district_id.map(Into::into),
            active: u.active,
            last_login_at: u.last_login_at.map(utc),
            created_at: utc(u.created_at),
            updated_at: utc(u.updated_at),
        }
    }
}

/// A new user account.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"email": "m.rossi@comune.bergamo.it", "full_name": "Maria Rossi", "password": "Cambiami-2026!", "role": "referrer", "organization_id": "0193..."}))]
pub struct CreateUser {
    /// Sign-in e-mail address; must not be used by another account.
    #[validate(length(min = 3, max = 254))]
    #[schema(min_length = 3, max_length = 254, format = Email)]
    pub email: String,
    /// Full name (nome e cognome).
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub full_name: String,
    /// At least 10 characters mixing three of: lower case, upper case, digits, symbols.
    #[schema(min_length = 10, max_length = 256)]
    pub password: String,
    /// Role (ruolo) of the account.
    pub role: Role,
    /// Required for referrers and agency operators (an accredited agency for the latter).
    #[schema(value_type = Option<String>)]
    pub organization_id: Option<OrganizationId>,
    /// Defaults to the organization's district; required for coordinators and observers.
    #[schema(value_type = Option<String>)]
    pub district_id: Option<DistrictId>,
}

/// Changes to a user account; absent fields stay as they are.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct UpdateUser {
    /// New full name (nome e cognome).
    #[validate(length(min = 2, max = 200))]
    #[schema(nullable = false, min_length = 2, max_length = 200)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub full_name: Option<String>,
    /// A new password (revokes the user's sessions).
    #[schema(nullable = false, min_length = 10, max_length = 256)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub password: Option<String>,
    /// New role (revokes the user's sessions).
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub role: Option<Role>,
    /// New organization (ente); the placement rules of creation apply.
    #[schema(nullable = false, value_type = String)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub organization_id: Option<OrganizationId>,
    /// New district (Ambito); defaults to the new organization's when one is given.
    #[schema(nullable = false, value_type = String)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub district_id: Option<DistrictId>,
    /// `false` disables the account and revokes its sessions.
    #[schema(nullable = false)]
    #[serde(default, deserialize_with = "sistema_lavoro_domain::values::kept")]
    pub active: Option<bool>,
}

/// `is required for the {role} role`.
fn required_for(role: Role) -> sistema_lavoro_domain::i18n::Text {
    let ruolo = role.label_it();
    text!(
        "obbligatorio per il ruolo {ruolo}",
        "is required for the {role} role"
    )
}

/// Checks that role, organization and district fit together; returns the district to store.
fn placement(
    conn: &mut DbConn,
    role: Role,
    organization_id: &Option<OrganizationId>,
    district_id: &Option<DistrictId>,
) -> Result<Option<DistrictId>, Error> {
    let org = match organization_id {
        Some(id) => Some(Organization::find(conn, id).map_err(|e| match e {
            Error::NotFound => Error::validation(
                "organization_id",
                "unknown",
                text!(
                    "nessun ente ha questo identificativo",
                    "no organization has this id"
                ),
            ),
            other => other,
        })?),
        None => None,
    };
    if let Some(d) = district_id {
        district_exists(conn, d)?;
    }
    let district = district_id
        .clone()
        .or_else(|| org.as_ref().map(|o| o.district_id.clone()));
    let mut errors = Vec::new();
    match role {
        Role::Referrer | Role::AgencyOperator | Role::NetworkCoordinator if org.is_none() => errors
            .push(FieldError::new(
                "organization_id",
                "required",
                required_for(role),
            )),
        Role::AgencyOperator
            if org
                .as_ref()
                .is_some_and(|o| o.kind != OrganizationKind::AccreditedAgency) =>
        {
            errors.push(FieldError::new(
                "organization_id",
                "not_an_agency",
                text!(
                    "gli operatori appartengono a un ente accreditato",
                    "agency operators belong to an accredited agency"
                ),
            ))
        }
        Role::Coordinator | Role::Observer | Role::PrivacyOfficer if district.is_none() => errors
            .push(FieldError::new(
                "district_id",
                "required",
                required_for(role),
            )),
        _ => {}
    }
    if let (Some(o), Some(d)) = (&org, district_id) {
        if &o.district_id != d {
            errors.push(FieldError::new(
                "district_id",
                "mismatch",
                text!(
                    "deve essere l'Ambito dell'ente",
                    "must be the organization's district"
                ),
            ));
        }
    }
    if errors.is_empty() {
        Ok(district)
    } else {
        Err(Error::Validation(errors))
    }
}

/// Filters of the user list.
#[derive(Debug, Clone, Default)]
pub struct UserQuery {
    pub role: Option<Role>,
    pub organization_id: Option<OrganizationId>,
    pub district_id: Option<DistrictId>,
}

pub fn list_users(
    conn: &mut DbConn,
    cx: &Ctx,
    q: UserQuery,
    page: &PageRequest,
) -> Result<Page<UserOut>, Error> {
    policy::may_administer(cx.actor)?;
    let filter = UserFilter {
        district_id: q.district_id,
        organization_id: q.organization_id,
        role: q.role,
    };
    let rows = User::list(conn, &filter, page.after(), page.limit)?;
    Page::of(
        rows,
        page.limit,
        |r| r.id.clone().into(),
        |u| Ok(UserOut::of(cx, u)),
    )
}

/// The e-mail and password of a new account, every problem named at once (before the slow
/// password hash is computed).
pub fn check_new_user(b: &CreateUser) -> Result<(), Error> {
    let mut errors = Vec::new();
    if let Err(e) = Email::parse("email", &b.email) {
        errors.push(e);
    }
    if let Err(e) = check_password("password", &b.password) {
        errors.push(e);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation(errors))
    }
}

/// Creates an account with its password already hashed; the endpoint, the CLI and the demo
/// loader all create accounts this way. `at` is when.
pub fn insert_user(
    conn: &mut DbConn,
    at: chrono::NaiveDateTime,
    b: CreateUser,
    password_hash: String,
) -> Result<User, Error> {
    let email = Email::parse("email", &b.email).map_err(|e| Error::Validation(vec![e]))?;
    write_tx(conn, |conn| {
        let district = placement(conn, b.role, &b.organization_id, &b.district_id)?;
        if User::find_by_email(conn, email.as_str())?.is_some() {
            return Err(Error::conflict(
                ErrorCode::Duplicate,
                text!(
                    "esiste già un account con questo indirizzo e-mail",
                    "an account with this e-mail exists"
                ),
            ));
        }
        User::insert(
            conn,
            &NewUser {
                id: new_id(),
                email: email.into_inner(),
                full_name: b.full_name.trim().to_string(),
                password_hash,
                role: b.role,
                organization_id: b.organization_id,
                district_id: district,
                active: true,
                created_at: at,
                updated_at: at,
            },
        )
    })
}

pub fn create_user(
    conn: &mut DbConn,
    cx: &Ctx,
    b: CreateUser,
    password_hash: String,
) -> Result<UserOut, Error> {
    policy::may_administer(cx.actor)?;
    let u = insert_user(conn, cx.now.at, b, password_hash)?;
    Ok(UserOut::of(cx, u))
}

pub fn get_user(conn: &mut DbConn, cx: &Ctx, id: &UserId) -> Result<UserOut, Error> {
    policy::may_administer(cx.actor)?;
    Ok(UserOut::of(cx, User::find(conn, id)?))
}

/// Changes an account. When what a session grants changes (password, role, organization,
/// district, disabled), its sessions end, and so do its access tokens (their grant no longer
/// matches, see [`crate::sessions::confirm_grant`]). `password_hash`: the new password's,
/// computed by the caller.
pub fn update_user(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &UserId,
    expected: &Expected,
    b: UpdateUser,
    password_hash: Option<String>,
) -> Result<UserOut, Error> {
    policy::may_administer(cx.actor)?;
    write_tx(conn, |conn| {
        let current = User::find(conn, id)?;
        expected.check(Version::of(current.updated_at))?;
        let role = b.role.unwrap_or(current.role);
        let org = b
            .organization_id
            .clone()
            .or(current.organization_id.clone());
        let district_in = b.district_id.clone().or(if b.organization_id.is_some() {
            None
        } else {
            current.district_id.clone()
        });
        let district = placement(conn, role, &org, &district_in)?;
        let regranted = password_hash.is_some()
            || b.active == Some(false)
            || role != current.role
            || org != current.organization_id
            || district != current.district_id;
        if regranted {
            RefreshToken::revoke_user(conn, id, cx.now.at)?;
        }
        let u = User::update(
            conn,
            id,
            &UserChanges {
                full_name: b.full_name.map(|s| s.trim().to_string()),
                password_hash,
                role: Some(role),
                organization_id: Some(org),
                district_id: Some(district),
                active: b.active,
                updated_at: Some(cx.now.at),
            },
        )?;
        Ok(UserOut::of(cx, u))
    })
}
