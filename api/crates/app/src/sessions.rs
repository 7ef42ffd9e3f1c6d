//! Sessions: sign-in, refresh (rotating, replay-detecting), sign-out, who am I, and whether
//! an access token's grant still holds.

use serde::{Deserialize, Serialize};
use sistema_lavoro_domain::ids::{ClientId, UserId};
use sistema_lavoro_domain::{text, Actor, Error, ErrorCode, Now, OrganizationKind, Role, Scope};
use sistema_lavoro_store::clients::ClientRow;
use sistema_lavoro_store::districts::District;
use sistema_lavoro_store::organizations::Organization;
use sistema_lavoro_store::tokens::{NewRefreshToken, RefreshToken};
use sistema_lavoro_store::users::User;
use sistema_lavoro_store::{new_id, write_tx, DbConn};
use utoipa::ToSchema;
use validator::Validate;

use crate::security::{self, credential_stamp, token_hash, JwtKeys};

/// Credentials of a user.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"email": "coordinatore@demo.test", "password": "Demo-2026!"}))]
pub struct LoginRequest {
    /// E-mail address of the account.
    #[validate(length(min = 3, max = 254))]
    #[schema(min_length = 3, max_length = 254)]
    pub email: String,
    /// Password.
    #[validate(length(min = 1, max = 256))]
    #[schema(min_length = 1, max_length = 256)]
    pub password: String,
}

/// A refresh token, to rotate or to revoke.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct RefreshRequest {
    /// The refresh token returned by login or by the previous refresh.
    #[validate(length(min = 1, max = 256))]
    #[schema(min_length = 1, max_length = 256)]
    pub refresh_token: String,
}

/// Tokens issued at login and refresh.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// Short-lived JWT to send as `Authorization: Bearer …`.
    pub access_token: String,
    /// Always `Bearer`.
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: i64,
    /// Single-use token to get the next pair; reusing a spent one revokes the whole session.
    pub refresh_token: String,
    /// Seconds until the refresh token expires.
    pub refresh_expires_in: i64,
}

/// A reference to an organization.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationRef {
    /// Identifier of the organization (ente), a UUID.
    pub id: String,
    /// Name (denominazione).
    pub name: String,
    /// Kind of organization.
    pub kind: OrganizationKind,
}

/// A reference to a district (Ambito territoriale).
#[derive(Debug, Serialize, ToSchema)]
pub struct DistrictRef {
    /// Identifier of the district (Ambito territoriale), a UUID.
    pub id: String,
    /// Name, e.g. "Ambito 1 – Bergamo".
    pub name: String,
}

/// The signed-in user.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// Identifier of the account, a UUID (`client:<id>` for an integration client).
    pub id: String,
    /// Sign-in e-mail address (for an integration client: its public `client_id`).
    pub email: String,
    /// Full name (nome e cognome).
    pub full_name: String,
    /// Role (ruolo), which decides what the user may see and do.
    pub role: Role,
    /// The user's organization (ente), if any.
    pub organization: Option<OrganizationRef>,
    /// The user's district (Ambito), if any.
    pub district: Option<DistrictRef>,
}

fn issue_pair(
    conn: &mut DbConn,
    keys: &JwtKeys,
    now: Now,
    user: &User,
    family_id: &str,
) -> Result<TokenResponse, Error> {
    let access = keys
        .issue_in_session(
            &user.id,
            user.role,
            (user.organization_id.as_deref(), user.district_id.as_deref()),
            &credential_stamp(&user.password_hash),
            family_id,
        )
        .map_err(Error::Internal)?;
    let refresh_plain = security::new_refresh_token();
    RefreshToken::insert(
        conn,
        &NewRefreshToken {
            id: &new_id::<String>(),
            user_id: user.id.as_str(),
            family_id,
            token_hash: &token_hash(&refresh_plain),
            expires_at: now.at + chrono::Duration::seconds(keys.refresh_ttl_secs),
            created_at: now.at,
        },
    )?;
    Ok(TokenResponse {
        access_token: access,
        token_type: "Bearer".into(),
        expires_in: keys.access_ttl_secs,
        refresh_token: refresh_plain,
        refresh_expires_in: keys.refresh_ttl_secs,
    })
}

/// The account an e-mail names, for sign-in.
pub fn account(conn: &mut DbConn, email: &str) -> Result<Option<User>, Error> {
    User::find_by_email(conn, &email.trim().to_lowercase())
}

/// Checks a password against the account found (slow by design: run it without holding a
/// database connection). It is checked even for unknown accounts, so timing does not tell
/// which e-mails exist; `401 invalid_credentials` either way.
pub fn check_password(account: Option<User>, password: &str) -> Result<User, Error> {
    let hash = account
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| security::dummy_hash().to_string());
    let ok = security::verify_password(password, &hash);
    match account {
        Some(u) if ok && u.active => Ok(u),
        _ => Err(Error::unauthenticated(
            ErrorCode::InvalidCredentials,
            text!(
                "indirizzo e-mail o password errati",
                "e-mail or password is wrong"
            ),
        )),
    }
}

/// Opens a session for an account whose password was checked.
pub fn open_session(
    conn: &mut DbConn,
    keys: &JwtKeys,
    now: Now,
    user: &User,
) -> Result<TokenResponse, Error> {
    write_tx(conn, |conn| {
        User::touch_login(conn, &user.id, now.at)?;
        issue_pair(conn, keys, now, user, &new_id::<String>())
    })
}

/// Exchanges a refresh token for a new pair. Each works once; a spent one presented again
/// ends the whole session (it was probably stolen) — unless it was spent a moment ago
/// (`grace_secs`), by the same client retrying.
pub fn refresh(
    conn: &mut DbConn,
    keys: &JwtKeys,
    now: Now,
    grace_secs: i64,
    refresh_token: &str,
) -> Result<TokenResponse, Error> {
    let hash = token_hash(refresh_token);
    // The inner result: a replay's error is returned after the family's revocation commits.
    write_tx(conn, |conn| {
        let invalid = || {
            Error::unauthenticated(
                ErrorCode::InvalidRefreshToken,
                text!(
                    "il token di rinnovo non è valido",
                    "the refresh token is not valid"
                ),
            )
        };
        let token = RefreshToken::find_by_hash(conn, &hash)?.ok_or_else(invalid)?;
        let ended = || {
            Error::unauthenticated(
                ErrorCode::SessionRevoked,
                text!(
                    "questa sessione è terminata: è stata chiusa, oppure l'account è stato \
                     disattivato o modificato da un amministratore; accedere di nuovo",
                    "this session was ended: signed out, or the account was disabled or changed \
                     by an administrator; sign in again"
                ),
            )
        };
        if token.revoked_at.is_some() && token.used_at.is_none() {
            return Err(ended());
        }
        if token.expires_at < now.at {
            return Err(Error::unauthenticated(
                ErrorCode::RefreshTokenExpired,
                text!(
                    "il token di rinnovo è scaduto; accedere di nuovo",
                    "the refresh token has expired; sign in again"
                ),
            ));
        }
        let fresh = token.used_at.is_none() && RefreshToken::consume(conn, &token.id, now.at)?;
        if !fresh {
            // Used already (re-read: a concurrent request may have just used it). A moment
            // ago, by the same client retrying: a new pair in the same session. Later: a
            // replay, which ends the session; say so after the transaction commits.
            let used = RefreshToken::find_by_hash(conn, &hash)?.ok_or_else(invalid)?;
            let grace = chrono::Duration::seconds(grace_secs);
            let retried =
                used.revoked_at.is_none() && used.used_at.is_some_and(|u| now.at - u <= grace);
            if !retried {
                RefreshToken::revoke_family(conn, &token.family_id, now.at)?;
                return Ok(Err(Error::unauthenticated(
                    ErrorCode::RefreshTokenReused,
                    text!(
                        "questo token di rinnovo è già stato usato; accedere di nuovo",
                        "this refresh token was already used; sign in again"
                    ),
                )));
            }
        }
        let user = User::find(conn, &token.user_id)?;
        if !user.active {
            return Err(ended());
        }
        issue_pair(conn, keys, now, &user, &token.family_id).map(Ok)
    })?
}

/// Signs out: revokes the refresh token's whole session. Idempotent.
pub fn logout(conn: &mut DbConn, now: Now, refresh_token: &str) -> Result<(), Error> {
    let hash = token_hash(refresh_token);
    if let Some(t) = RefreshToken::find_by_hash(conn, &hash)? {
        RefreshToken::revoke_family(conn, &t.family_id, now.at)?;
    }
    Ok(())
}

/// The signed-in user, with organization and district.
pub fn me(conn: &mut DbConn, actor: &Actor) -> Result<Me, Error> {
    if let Some(client) = actor.id.strip_prefix("client:") {
        return client_me(conn, actor, &ClientId::from(client));
    }
    let u = User::find(conn, &UserId::from(actor.id.as_str())).map_err(|_| {
        Error::unauthenticated(
            ErrorCode::InvalidToken,
            text!("l'account non esiste più", "the account no longer exists"),
        )
    })?;
    if !u.active {
        return Err(Error::unauthenticated(
            ErrorCode::AccountDisabled,
            text!("l'account è disattivato", "the account is disabled"),
        ));
    }
    me_of(conn, u)
}

/// An integration client as `/me` shows it: its name, its organization's role and place.
fn client_me(conn: &mut DbConn, actor: &Actor, id: &ClientId) -> Result<Me, Error> {
    let row = ClientRow::find(conn, id).map_err(|_| {
        Error::unauthenticated(
            ErrorCode::InvalidToken,
            text!("il client non esiste più", "the client no longer exists"),
        )
    })?;
    let (organization, district) = placement_of(
        conn,
        actor.organization_id.as_ref(),
        actor.district_id.as_ref(),
    )?;
    Ok(Me {
        id: actor.id.clone(),
        email: row.client_id,
        full_name: row.name,
        role: actor.role,
        organization,
        district,
    })
}

type Placement = (Option<OrganizationRef>, Option<DistrictRef>);

fn placement_of(
    conn: &mut DbConn,
    organization_id: Option<&sistema_lavoro_domain::ids::OrganizationId>,
    district_id: Option<&sistema_lavoro_domain::ids::DistrictId>,
) -> Result<Placement, Error> {
    let organization = match organization_id {
        Some(id) => {
            let o = Organization::find(conn, id)?;
            Some(OrganizationRef {
                id: o.id.into(),
                name: o.name,
                kind: o.kind,
            })
        }
        None => None,
    };
    let district = match district_id {
        Some(id) => {
            let d = District::find(conn, id)?;
            Some(DistrictRef {
                id: d.id.into(),
                name: d.name,
            })
        }
        None => None,
    };
    Ok((organization, district))
}

pub fn me_of(conn: &mut DbConn, u: User) -> Result<Me, Error> {
    let (organization, district) =
        placement_of(conn, u.organization_id.as_ref(), u.district_id.as_ref())?;
    Ok(Me {
        id: u.id.into(),
        email: u.email,
        full_name: u.full_name,
        role: u.role,
        organization,
        district,
    })
}

/// A signed token stays good only while what it grants does: an account disabled, given
/// another role, organization or district, or a new password, and a client revoked, given a
/// new secret, other scopes or another organization, end their tokens at the next request
/// (`401 token_revoked`), on every instance, without waiting for them to expire. `stamp` is
/// the token's credential stamp. `session`: the token's session (`sid`); a user's token ends
/// with its session — signed out, or ended by a replayed refresh token.
pub fn confirm_grant(
    conn: &mut DbConn,
    actor: &Actor,
    stamp: Option<&str>,
    session: Option<&str>,
) -> Result<(), Error> {
    let revoked = || {
        Error::unauthenticated(
            ErrorCode::TokenRevoked,
            text!(
                "questo token è stato revocato: l'account o il client è stato disattivato o \
                 modificato; accedere di nuovo",
                "this token was revoked: the account or client was disabled or changed; sign in \
                 again"
            ),
        )
    };
    let stamped = |hash: &str| stamp.is_some_and(|s| s == credential_stamp(hash));
    if let Some(client) = actor.id.strip_prefix("client:") {
        let Ok(row) = ClientRow::find(conn, &ClientId::from(client)) else {
            return Err(revoked());
        };
        let scopes_held = actor
            .scopes
            .as_deref()
            .unwrap_or_default()
            .iter()
            .all(|s: &Scope| row.scopes.contains(s));
        let current = row.active
            && scopes_held
            && actor.organization_id.as_deref() == Some(row.organization_id.as_str())
            && stamped(&row.secret_hash);
        return if current { Ok(()) } else { Err(revoked()) };
    }
    match User::grant(conn, &UserId::from(actor.id.as_str()))? {
        Some(g)
            if g.active
                && g.role == actor.role
                && g.organization_id == actor.organization_id
                && g.district_id == actor.district_id
                && stamped(&g.password_hash) =>
        {
            match session {
                Some(sid) if RefreshToken::family_ended(conn, sid)? => Err(revoked()),
                _ => Ok(()),
            }
        }
        _ => Err(revoked()),
    }
}
