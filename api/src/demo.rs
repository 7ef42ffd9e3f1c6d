//! Demo data for "Ambito 1 – Bergamo" (`serve --demo`): idempotent, loads only once.

use crate::domain::{OrganizationKind, Role};
use crate::http::admin::{insert_user, CreateUser};
use crate::http::problem::ApiError;
use crate::security::hash_password;
use crate::store::districts::{District, NewDistrict};
use crate::store::organizations::{NewOrganization, Organization};
use crate::store::users::User;
use crate::store::{new_id, now, write_tx, DbConn};

pub const DEMO_PASSWORD: &str = "Demo-2026!";
pub const DISTRICT_CODE: &str = "AMBITO-1-BG";

/// The demo organizations: (key, name, kind, accreditation code).
const ORGANIZATIONS: &[(&str, &str, OrganizationKind, Option<&str>)] = &[
    (
        "ufficio",
        "Ufficio di Piano Ambito 1 – Bergamo",
        OrganizationKind::PlanningOffice,
        None,
    ),
    (
        "social",
        "Servizio Sociale Comune di Bergamo",
        OrganizationKind::SocialService,
        None,
    ),
    (
        "pass",
        "Segretariato Sociale PASS",
        OrganizationKind::FrontDesk,
        None,
    ),
    ("cpi", "CPI Bergamo", OrganizationKind::Cpi, None),
    (
        "agency1",
        "Agenzia Lavoro Orobica",
        OrganizationKind::AccreditedAgency,
        Some("LOM-ACC-0101"),
    ),
    (
        "agency2",
        "Cooperativa Sociale Il Ponte",
        OrganizationKind::AccreditedAgency,
        Some("LOM-ACC-0202"),
    ),
    (
        "agency3",
        "Fondazione Formazione e Lavoro",
        OrganizationKind::AccreditedAgency,
        Some("LOM-ACC-0303"),
    ),
];

/// The demo users: (e-mail, full name, role, organization key).
pub const USERS: &[(&str, &str, Role, Option<&str>)] = &[
    (
        "admin@demo.test",
        "Amministratore di sistema",
        Role::Admin,
        None,
    ),
    (
        "coordinatore@demo.test",
        "Chiara Colombo",
        Role::Coordinator,
        Some("ufficio"),
    ),
    (
        "assistente.sociale@demo.test",
        "Anna Bonfanti",
        Role::Referrer,
        Some("social"),
    ),
    ("pass@demo.test", "Paolo Sala", Role::Referrer, Some("pass")),
    (
        "cpi@demo.test",
        "Carla Pesenti",
        Role::Referrer,
        Some("cpi"),
    ),
    (
        "operatore1@demo.test",
        "Luca Rota",
        Role::AgencyOperator,
        Some("agency1"),
    ),
    (
        "operatore2@demo.test",
        "Giulia Gritti",
        Role::AgencyOperator,
        Some("agency2"),
    ),
    (
        "operatore3@demo.test",
        "Marco Locatelli",
        Role::AgencyOperator,
        Some("agency3"),
    ),
    (
        "osservatorio@demo.test",
        "Osservatorio Politiche Sociali",
        Role::Observer,
        None,
    ),
];

/// Ids of the demo records later loaders build on.
pub struct DemoIds {
    pub district_id: String,
    pub orgs: Vec<(String, String)>,
}

impl DemoIds {
    pub fn org(&self, key: &str) -> &str {
        self.orgs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, id)| id.as_str())
            .unwrap_or_default()
    }
}

/// Loads the demo unless the district already exists. Returns whether it loaded anything.
pub fn load(conn: &mut DbConn) -> Result<bool, ApiError> {
    if District::find_by_code(conn, DISTRICT_CODE)?.is_some() {
        return Ok(false);
    }
    let hash = hash_password(DEMO_PASSWORD).map_err(ApiError::Internal)?;
    write_tx(conn, |conn| {
        let at = now();
        let district = District::insert(
            conn,
            &NewDistrict {
                id: &new_id(),
                code: DISTRICT_CODE,
                name: "Ambito 1 – Bergamo",
                timezone: "Europe/Rome",
                created_at: at,
                updated_at: at,
            },
        )?;
        let mut orgs = Vec::new();
        for (key, name, kind, code) in ORGANIZATIONS {
            let o = Organization::insert(
                conn,
                &NewOrganization {
                    id: new_id(),
                    district_id: district.id.clone(),
                    name: (*name).into(),
                    kind: kind.as_str().into(),
                    accreditation_code: code.map(Into::into),
                    tax_code: None,
                    email: None,
                    phone: None,
                    active: true,
                    created_at: at,
                    updated_at: at,
                },
            )?;
            orgs.push(((*key).to_string(), o.id));
        }
        let ids = DemoIds {
            district_id: district.id.clone(),
            orgs,
        };
        for (email, name, role, org) in USERS {
            if User::find_by_email(conn, email)?.is_some() {
                continue;
            }
            insert_user(
                conn,
                CreateUser {
                    email: (*email).into(),
                    full_name: (*name).into(),
                    password: String::new(),
                    role: *role,
                    organization_id: org.map(|k| ids.org(k).to_string()),
                    district_id: match role {
                        Role::Admin => None,
                        _ => Some(ids.district_id.clone()),
                    },
                },
                hash.clone(),
            )?;
        }
        workflow(conn, &ids)?;
        Ok(true)
    })
}

/// Workflow records of the demo (persons, referrals, meetings, cases …).
fn workflow(_conn: &mut DbConn, _ids: &DemoIds) -> Result<(), ApiError> {
    Ok(())
}
