//! Integration clients: an organization's machine credentials with scopes, and the OAuth2
//! client-credentials grant.

use serde::{Deserialize, Serialize};
use sistema_lavoro_domain::actions::{Action, BlockedAction};
use sistema_lavoro_domain::ids::{ClientId, OrganizationId};
use sistema_lavoro_domain::{
    policy, text, Error, ErrorCode, Expected, Now, OrganizationKind, Role, Scope, Version,
};
use sistema_lavoro_store::clients::ClientRow;
use sistema_lavoro_store::organizations::Organization;
use sistema_lavoro_store::{new_id, utc, write_tx, DbConn};
use utoipa::ToSchema;
use validator::Validate;

use crate::security::{self, JwtKeys};
use crate::workflow::{Page, PageRequest};
use crate::Ctx;

/// A new integration client of one organization.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"organization_id": "0193...", "name": "Cartella sociale comunale", "scopes": ["referrals:read", "referrals:write", "webhooks:manage"]}))]
pub struct ClientInput {
    /// The organization (ente) the client acts for; its tokens get that organization's visibility.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, value_type = String)]
    pub organization_id: OrganizationId,
    /// Display name of the third-party tool, e.g. "Cartella sociale comunale".
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub name: String,
    /// Scopes granted (duplicates ignored); a token may ask for a subset.
    #[validate(length(min = 1, max = 5))]
    #[schema(min_items = 1, max_items = 5)]
    pub scopes: Vec<Scope>,
}

/// An integration client (the secret is never shown again after creation or rotation).
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct ClientOut {
    /// Identifier of the client record, a UUID (not the `client_id`).
    pub id: String,
    /// The organization (ente) the client acts for.
    pub organization_id: String,
    /// Display name of the third-party tool.
    pub name: String,
    /// Public identifier, sent as `client_id`.
    pub client_id: String,
    /// Scopes granted to the client.
    pub scopes: Vec<Scope>,
    /// Revoked clients get no tokens.
    pub active: bool,
    /// When it last obtained a token (RFC 3339, UTC); absent if never.
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
    /// What you may do with it now (`rotate_secret`, `revoke`).
    pub allowed_actions: Vec<Action>,
    /// Actions your role could take but the current state forbids, each with its reason.
    pub blocked_actions: Vec<BlockedAction>,
    /// When it was created (RFC 3339, UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it last changed (RFC 3339, UTC); its version is the `ETag`.
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

fn out(cx: &Ctx, r: ClientRow) -> ClientOut {
    let (allowed_actions, blocked_actions) = cx.render(policy::client_actions(cx.actor, r.active));
    ClientOut {
        scopes: r.scopes,
        last_used_at: r.last_used_at.map(utc),
        created_at: utc(r.created_at),
        updated_at: utc(r.updated_at),
        allowed_actions,
        blocked_actions,
        id: r.id.into(),
        organization_id: r.organization_id.into(),
        name: r.name,
        client_id: r.client_id,
        active: r.active,
    }
}

fn find(conn: &mut DbConn, id: &ClientId) -> Result<ClientRow, Error> {
    ClientRow::find(conn, id).map_err(|_| Error::NotFound)
}

/// Secrets are random and long, so a fast hash is enough (and keeps token requests cheap).
fn new_secret() -> (String, String) {
    let secret = format!("slsec_{}", hex::encode(rand::random::<[u8; 32]>()));
    let hash = security::token_hash(&secret);
    (secret, hash)
}

pub fn create(conn: &mut DbConn, cx: &Ctx, i: ClientInput) -> Result<ClientWithSecret, Error> {
    policy::may_administer(cx.actor)?;
    let mut scopes = i.scopes.clone();
    scopes.sort();
    scopes.dedup();
    write_tx(conn, |conn| {
        Organization::find(conn, &i.organization_id).map_err(|_| {
            Error::validation(
                "organization_id",
                "unknown",
                text!(
                    "nessun ente ha questo identificativo",
                    "no organization has this id"
                ),
            )
        })?;
        let (secret, hash) = new_secret();
        let at = cx.now.at;
        let row = ClientRow {
            id: new_id(),
            organization_id: i.organization_id.clone(),
            name: i.name.trim().into(),
            client_id: format!("slcli_{}", hex::encode(rand::random::<[u8; 12]>())),
            secret_hash: hash,
            scopes: scopes.clone(),
            active: true,
            last_used_at: None,
            created_at: at,
            updated_at: at,
        };
        ClientRow::insert(conn, &row)?;
        Ok(ClientWithSecret {
            client: out(cx, row),
            client_secret: secret,
        })
    })
}

pub fn list(
    conn: &mut DbConn,
    cx: &Ctx,
    organization_id: Option<&OrganizationId>,
    page: &PageRequest,
) -> Result<Page<ClientOut>, Error> {
    policy::may_administer(cx.actor)?;
    let rows = ClientRow::list(conn, organization_id, page.after(), page.limit)?;
    Page::of(rows, page.limit, |r| r.id.to_string(), |r| Ok(out(cx, r)))
}

pub fn get(conn: &mut DbConn, cx: &Ctx, id: &ClientId) -> Result<ClientOut, Error> {
    policy::may_administer(cx.actor)?;
    Ok(out(cx, find(conn, id)?))
}

pub fn rotate(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ClientId,
    expected: &Expected,
) -> Result<ClientWithSecret, Error> {
    policy::may_administer(cx.actor)?;
    write_tx(conn, |conn| {
        let mut row = find(conn, id)?;
        expected.check(Version::of(row.updated_at))?;
        if !row.active {
            return Err(Error::InvalidTransition {
                entity: "client",
                action: "rotate the secret of",
                from: "revoked".into(),
            });
        }
        let (secret, hash) = new_secret();
        row.secret_hash = hash;
        row.updated_at = cx.now.at;
        ClientRow::save(conn, &row)?;
        Ok(ClientWithSecret {
            client: out(cx, row),
            client_secret: secret,
        })
    })
}

pub fn revoke(
    conn: &mut DbConn,
    cx: &Ctx,
    id: &ClientId,
    expected: &Expected,
) -> Result<ClientOut, Error> {
    policy::may_administer(cx.actor)?;
    write_tx(conn, |conn| {
        let mut row = find(conn, id)?;
        expected.check(Version::of(row.updated_at))?;
        if !row.active {
            return Err(Error::InvalidTransition {
                entity: "client",
                action: "revoke",
                from: "revoked".into(),
            });
        }
        row.active = false;
        row.updated_at = cx.now.at;
        ClientRow::save(conn, &row)?;
        Ok(out(cx, row))
    })
}

/// What an organization's client acts as: its organization's visibility, never more.
fn role_for(kind: OrganizationKind) -> Role {
    match kind {
        OrganizationKind::AccreditedAgency => Role::AgencyOperator,
        OrganizationKind::PlanningOffice => Role::Coordinator,
        _ => Role::Referrer,
    }
}

/// OAuth2 client-credentials request (`application/x-www-form-urlencoded`, or JSON).
/// The client may authenticate with HTTP Basic instead of `client_id`/`client_secret`.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
pub struct TokenRequest {
    /// Must be `client_credentials`.
    #[validate(length(max = 50))]
    #[schema(max_length = 50, example = "client_credentials")]
    pub grant_type: String,
    /// The client's public identifier (`slcli_…`), unless sent with HTTP Basic.
    #[validate(length(max = 100))]
    #[schema(max_length = 100)]
    pub client_id: Option<String>,
    /// The client's secret (`slsec_…`), unless sent with HTTP Basic.
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub client_secret: Option<String>,
    /// Space-separated subset of the client's scopes (default: all granted).
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub scope: Option<String>,
}

/// Tokens of the client-credentials grant.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientToken {
    /// Signed JWT to send as `Authorization: Bearer …`.
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
    now: Now,
    keys: &JwtKeys,
    client_id: &str,
    client_secret: &str,
    requested: Option<&str>,
) -> Result<ClientToken, Error> {
    let invalid = || {
        Error::unauthenticated(
            ErrorCode::InvalidClient,
            text!(
                "client sconosciuto, segreto errato o client revocato",
                "unknown client, wrong secret or revoked client"
            ),
        )
    };
    let row = ClientRow::find_by_client_id(conn, client_id)?.ok_or_else(invalid)?;
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
    let scopes: Vec<Scope> = match requested.map(str::trim).filter(|s| !s.is_empty()) {
        None => row.scopes.clone(),
        Some(req) => {
            let mut asked = Vec::new();
            for a in req.split_whitespace() {
                match Scope::parse(a).filter(|s| row.scopes.contains(s)) {
                    Some(s) => asked.push(s),
                    None => {
                        return Err(Error::validation(
                            "scope",
                            "invalid_scope",
                            text!(
                                "lo scope {a} non è stato concesso a questo client",
                                "{a} was not granted to this client"
                            ),
                        ))
                    }
                }
            }
            asked
        }
    };
    let org = Organization::find(conn, &row.organization_id)?;
    let access = keys
        .issue_scoped(
            &format!("client:{}", row.id),
            role_for(org.kind),
            Some(org.id.as_str()),
            Some(org.district_id.as_str()),
            Some(scopes.iter().map(|s| s.as_str().to_string()).collect()),
            &security::credential_stamp(&row.secret_hash),
        )
        .map_err(Error::Internal)?;
    ClientRow::touch_used(conn, &row.id, now.at)?;
    Ok(ClientToken {
        access_token: access,
        token_type: "Bearer".into(),
        expires_in: keys.access_ttl_secs,
        scope: scopes
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    })
}
