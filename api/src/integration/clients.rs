//! Integration clients: an organization's machine credentials with scopes.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::{OrganizationKind, Role};
use crate::http::problem::ApiError;
use crate::security::{self, JwtKeys};
use crate::store::organizations::Organization;
use crate::store::schema::integration_clients;
use crate::store::{new_id, now, utc, write_tx, DbConn};
use crate::workflow::{from_json, to_json};

crate::string_enum! {
    /// What an integration client may do.
    Scope {
        /// Read referrals and persons of the organization.
        ReferralsRead => "referrals:read",
        /// Register persons, write and submit referrals.
        ReferralsWrite => "referrals:write",
        /// Read the organization's cases (agencies).
        CasesRead => "cases:read",
        /// Work on the organization's cases (agencies).
        CasesWrite => "cases:write",
        /// Manage the organization's webhook subscriptions.
        WebhooksManage => "webhooks:manage",
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = integration_clients, treat_none_as_null = true)]
pub struct ClientRow {
    pub id: String,
    pub organization_id: String,
    pub name: String,
    pub client_id: String,
    pub secret_hash: String,
    pub scopes: String,
    pub active: bool,
    pub last_used_at: Option<chrono::NaiveDateTime>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

/// A new integration client of one organization.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"organization_id": "0193...", "name": "Cartella sociale comunale", "scopes": ["referrals:read", "referrals:write", "webhooks:manage"]}))]
pub struct ClientInput {
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub organization_id: String,
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub name: String,
    #[validate(length(min = 1, max = 5))]
    #[schema(min_items = 1, max_items = 5)]
    pub scopes: Vec<Scope>,
}

/// An integration client (the secret is never shown again after creation or rotation).
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientOut {
    pub id: String,
    pub organization_id: String,
    pub name: String,
    /// Public identifier, sent as `client_id`.
    pub client_id: String,
    pub scopes: Vec<Scope>,
    /// Revoked clients get no tokens.
    pub active: bool,
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// A client with its secret: returned once, at creation or rotation.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientWithSecret {
    #[serde(flatten)]
    pub client: ClientOut,
    /// Store it now: only its hash is kept.
    pub client_secret: String,
}

fn out(r: ClientRow) -> Result<ClientOut, ApiError> {
    Ok(ClientOut {
        scopes: from_json(&r.scopes)?,
        last_used_at: r.last_used_at.map(utc),
        created_at: utc(r.created_at),
        updated_at: utc(r.updated_at),
        id: r.id,
        organization_id: r.organization_id,
        name: r.name,
        client_id: r.client_id,
        active: r.active,
    })
}

fn find(conn: &mut DbConn, id: &str) -> Result<ClientRow, ApiError> {
    integration_clients::table
        .find(id)
        .select(ClientRow::as_select())
        .first(conn)
        .map_err(|_| ApiError::NotFound)
}

/// Secrets are random and long, so a fast hash is enough (and keeps token requests cheap).
fn new_secret() -> (String, String) {
    let secret = format!("slsec_{}", hex::encode(rand::random::<[u8; 32]>()));
    let hash = security::token_hash(&secret);
    (secret, hash)
}

pub fn create(conn: &mut DbConn, i: ClientInput) -> Result<ClientWithSecret, ApiError> {
    let mut scopes = i.scopes.clone();
    scopes.sort();
    scopes.dedup();
    write_tx(conn, |conn| {
        Organization::find(conn, &i.organization_id).map_err(|_| {
            ApiError::validation("organization_id", "unknown", "no organization has this id")
        })?;
        let (secret, hash) = new_secret();
        let at = now();
        let row = ClientRow {
            id: new_id(),
            organization_id: i.organization_id.clone(),
            name: i.name.trim().into(),
            client_id: format!("slcli_{}", hex::encode(rand::random::<[u8; 12]>())),
            secret_hash: hash,
            scopes: to_json(&scopes),
            active: true,
            last_used_at: None,
            created_at: at,
            updated_at: at,
        };
        diesel::insert_into(integration_clients::table)
            .values(&row)
            .execute(conn)?;
        Ok(ClientWithSecret {
            client: out(row)?,
            client_secret: secret,
        })
    })
}

pub fn list(conn: &mut DbConn, organization_id: Option<&str>) -> Result<Vec<ClientOut>, ApiError> {
    let mut q = integration_clients::table
        .select(ClientRow::as_select())
        .order(integration_clients::id)
        .into_boxed();
    if let Some(o) = organization_id {
        q = q.filter(integration_clients::organization_id.eq(o.to_string()));
    }
    q.load(conn)?.into_iter().map(out).collect()
}

pub fn get(conn: &mut DbConn, id: &str) -> Result<ClientOut, ApiError> {
    out(find(conn, id)?)
}

pub fn rotate(conn: &mut DbConn, id: &str) -> Result<ClientWithSecret, ApiError> {
    write_tx(conn, |conn| {
        let mut row = find(conn, id)?;
        if !row.active {
            return Err(ApiError::InvalidTransition {
                entity: "client",
                action: "rotate the secret of",
                from: "revoked".into(),
            });
        }
        let (secret, hash) = new_secret();
        row.secret_hash = hash;
        row.updated_at = now();
        diesel::update(integration_clients::table.find(id))
            .set(&row)
            .execute(conn)?;
        Ok(ClientWithSecret {
            client: out(row)?,
            client_secret: secret,
        })
    })
}

pub fn revoke(conn: &mut DbConn, id: &str) -> Result<ClientOut, ApiError> {
    write_tx(conn, |conn| {
        let mut row = find(conn, id)?;
        if !row.active {
            return Err(ApiError::InvalidTransition {
                entity: "client",
                action: "revoke",
                from: "revoked".into(),
            });
        }
        row.active = false;
        row.updated_at = now();
        diesel::update(integration_clients::table.find(id))
            .set(&row)
            .execute(conn)?;
        out(row)
    })
}

/// What an organization's client acts as: its organization's visibility, never more.
fn role_for(kind: &str) -> Role {
    match OrganizationKind::parse(kind) {
        Some(OrganizationKind::AccreditedAgency) => Role::AgencyOperator,
        Some(OrganizationKind::PlanningOffice) => Role::Coordinator,
        _ => Role::Referrer,
    }
}

/// Tokens of the client-credentials grant.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientToken {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until it expires.
    pub expires_in: i64,
    /// The granted scopes, space-separated.
    pub scope: String,
}

/// OAuth2 client credentials: checks the secret and issues a scoped access token.
pub fn token(
    conn: &mut DbConn,
    keys: &JwtKeys,
    client_id: &str,
    client_secret: &str,
    requested: Option<&str>,
) -> Result<ClientToken, ApiError> {
    let invalid = || {
        ApiError::Unauthenticated(
            "invalid_client",
            "unknown client, wrong secret or revoked client".into(),
        )
    };
    let row: ClientRow = integration_clients::table
        .filter(integration_clients::client_id.eq(client_id))
        .select(ClientRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(invalid)?;
    let given = security::token_hash(client_secret);
    // Constant-time comparison of the hashes.
    let same = given.len() == row.secret_hash.len()
        && given
            .bytes()
            .zip(row.secret_hash.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if !same || !row.active {
        return Err(invalid());
    }
    let granted: Vec<String> = from_json::<Scope>(&row.scopes)?
        .iter()
        .map(|s| s.as_str().to_string())
        .collect();
    let scopes = match requested.map(str::trim).filter(|s| !s.is_empty()) {
        None => granted,
        Some(req) => {
            let asked: Vec<String> = req.split_whitespace().map(String::from).collect();
            if let Some(bad) = asked.iter().find(|a| !granted.contains(a)) {
                return Err(ApiError::validation(
                    "scope",
                    "invalid_scope",
                    format!("{bad} was not granted to this client"),
                ));
            }
            asked
        }
    };
    let org = Organization::find(conn, &row.organization_id)?;
    let access = keys
        .issue_scoped(
            &format!("client:{}", row.id),
            role_for(&org.kind).as_str(),
            Some(&org.id),
            Some(&org.district_id),
            Some(scopes.clone()),
            &security::credential_stamp(&row.secret_hash),
        )
        .map_err(ApiError::Internal)?;
    diesel::update(integration_clients::table.find(&row.id))
        .set(integration_clients::last_used_at.eq(Some(now())))
        .execute(conn)?;
    Ok(ClientToken {
        access_token: access,
        token_type: "Bearer".into(),
        expires_in: keys.access_ttl_secs,
        scope: scopes.join(" "),
    })
}
