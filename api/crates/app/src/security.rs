//! Passwords (Argon2id), access tokens (JWT, HS256 pinned) and opaque refresh tokens.

use argon2::password_hash::phc::PasswordHash;
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sistema_lavoro_domain::ids::UserId;

use sistema_lavoro_domain::Role;

use crate::config::Config;

pub fn hash_password(password: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the e-mail is unknown, so both paths cost the same time.
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("not-a-real-password-Zz9!").unwrap_or_default())
}

/// Claims of an access token. `iat` is not optional so a token without it fails to decode.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dst: Option<String>,
    /// Integration clients only: the granted scopes (users have none: their role decides).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scp: Option<Vec<String>>,
    /// Credential stamp: [`credential_stamp`] of the password or client-secret hash the token
    /// was obtained with. A new password or secret changes it, which ends the token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cst: Option<String>,
    /// Users only: the session (refresh-token family) the token belongs to. Signing out, or a
    /// replayed refresh token ending the session, ends the token at its next request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    pub iss: String,
    pub aud: String,
    pub exp: i64,
    pub nbf: i64,
    pub iat: i64,
    pub jti: String,
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    pub access_ttl_secs: i64,
    pub refresh_ttl_secs: i64,
}

#[derive(Debug, PartialEq, Eq)]
pub enum TokenError {
    Expired,
    Invalid,
}

impl JwtKeys {
    pub fn new(config: &Config) -> JwtKeys {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&config.jwt_issuer]);
        validation.set_audience(&[&config.jwt_audience]);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = 5;
        JwtKeys {
            encoding: EncodingKey::from_secret(&config.jwt_secret),
            decoding: DecodingKey::from_secret(&config.jwt_secret),
            validation,
            issuer: config.jwt_issuer.clone(),
            audience: config.jwt_audience.clone(),
            access_ttl_secs: config.access_ttl_secs,
            refresh_ttl_secs: config.refresh_ttl_secs,
        }
    }

    /// A user's token; `stamp` is [`credential_stamp`] of the user's password hash.
    pub fn issue(
        &self,
        user_id: &UserId,
        role: Role,
        org: Option<&str>,
        district: Option<&str>,
        stamp: &str,
    ) -> Result<String, String> {
        self.issue_scoped(user_id.as_str(), role, org, district, None, stamp)
    }

    /// A user's token in a session (`sid`): it ends with the session.
    pub fn issue_in_session(
        &self,
        user_id: &UserId,
        role: Role,
        placement: (Option<&str>, Option<&str>),
        stamp: &str,
        session: &str,
    ) -> Result<String, String> {
        let mut claims = self.claims(user_id.as_str(), role, placement.0, placement.1, stamp);
        claims.sid = Some(session.into());
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(|e| e.to_string())
    }

    fn claims(
        &self,
        subject: &str,
        role: Role,
        org: Option<&str>,
        district: Option<&str>,
        stamp: &str,
    ) -> Claims {
        let now = chrono::Utc::now().timestamp();
        Claims {
            sub: subject.into(),
            role: role.as_str().into(),
            org: org.map(Into::into),
            dst: district.map(Into::into),
            scp: None,
            cst: Some(stamp.into()),
            sid: None,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            exp: now + self.access_ttl_secs,
            nbf: now,
            iat: now,
            jti: uuid::Uuid::new_v4().to_string(),
        }
    }

    /// A token for an integration client: `sub` is `client:<id>`, `scp` its scopes.
    pub fn issue_scoped(
        &self,
        subject: &str,
        role: Role,
        org: Option<&str>,
        district: Option<&str>,
        scopes: Option<Vec<String>>,
        stamp: &str,
    ) -> Result<String, String> {
        let mut claims = self.claims(subject, role, org, district, stamp);
        claims.scp = scopes;
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(|e| e.to_string())
    }

    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|d| d.claims)
            .map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenError::Expired,
                _ => TokenError::Invalid,
            })
    }
}

/// A new opaque refresh token (256 random bits, hex).
pub fn new_refresh_token() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

/// What a token records of the credential it was obtained with: 12 hex characters of the
/// SHA-256 of the stored password or secret hash (nothing that helps guess either).
pub fn credential_stamp(stored_hash: &str) -> String {
    hex::encode(&Sha256::digest(stored_hash.as_bytes())[..6])
}

/// Secrets the server must read back (webhook signing secrets), sealed with AES-256-GCM under
/// the key of `SECRETS_KEY`: a copy of the database alone does not let anyone sign events.
#[derive(Clone)]
pub struct SecretBox(aes_gcm::Aes256Gcm);

/// Prefix of sealed values: `v1:` then hex of nonce (12 bytes) and ciphertext with its tag.
const SEALED: &str = "v1:";

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(..)")
    }
}

impl SecretBox {
    pub fn new(key: &[u8; 32]) -> SecretBox {
        use aes_gcm::KeyInit;
        SecretBox(aes_gcm::Aes256Gcm::new(key.into()))
    }

    pub fn from_config(c: &Config) -> SecretBox {
        SecretBox::new(&c.secrets_key)
    }

    pub fn seal(&self, plain: &str) -> String {
        use aes_gcm::aead::Aead;
        let nonce: [u8; 12] = rand::random();
        // Encrypting a short string in memory cannot fail with a valid key and nonce.
        let sealed = self
            .0
            .encrypt(&nonce.into(), plain.as_bytes())
            .unwrap_or_default();
        format!("{SEALED}{}{}", hex::encode(nonce), hex::encode(sealed))
    }

    /// The plain secret; values stored before sealing existed come back as they are.
    pub fn open(&self, stored: &str) -> Result<String, String> {
        use aes_gcm::aead::Aead;
        let Some(sealed) = stored.strip_prefix(SEALED) else {
            return Ok(stored.to_string());
        };
        let bytes = hex::decode(sealed).map_err(|_| "a sealed secret is damaged".to_string())?;
        if bytes.len() < 12 {
            return Err("a sealed secret is damaged".into());
        }
        let (nonce, ciphertext) = bytes.split_at(12);
        let plain = self.0.decrypt(nonce.into(), ciphertext).map_err(|_| {
            "cannot open a sealed secret: SECRETS_KEY is not the key it was sealed with".to_string()
        })?;
        String::from_utf8(plain).map_err(|_| "a sealed secret is damaged".to_string())
    }

    pub fn is_sealed(stored: &str) -> bool {
        stored.starts_with(SEALED)
    }
}

/// Refresh tokens are stored only as their SHA-256.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> JwtKeys {
        JwtKeys::new(&Config::for_database(":memory:"))
    }

    #[test]
    fn sealed_secrets_open_only_with_their_key() {
        let a = SecretBox::new(&[7; 32]);
        let sealed = a.seal("whsec_abc");
        assert!(SecretBox::is_sealed(&sealed));
        assert!(!sealed.contains("whsec_abc"));
        assert_ne!(sealed, a.seal("whsec_abc"), "a fresh nonce each time");
        assert_eq!(a.open(&sealed).as_deref(), Ok("whsec_abc"));
        assert!(SecretBox::new(&[8; 32]).open(&sealed).is_err());
        assert_eq!(a.open("whsec_legacy").as_deref(), Ok("whsec_legacy"));
        assert!(a.open("v1:zz").is_err());
    }

    #[test]
    fn password_hash_round_trip() {
        let h = hash_password("Demo-2026!").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("Demo-2026!", &h));
        assert!(!verify_password("demo-2026!", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn token_round_trip_and_tampering() {
        let k = keys();
        let t = k
            .issue(&UserId::from("u1"), Role::Admin, None, Some("d1"), "stamp")
            .expect("issue");
        let c = k.verify(&t).expect("verify");
        assert_eq!((c.sub.as_str(), c.role.as_str()), ("u1", "admin"));
        let mut tampered = t.clone();
        tampered.pop();
        assert_eq!(k.verify(&tampered).err(), Some(TokenError::Invalid));
    }

    #[test]
    fn tokens_without_iat_or_with_other_algorithms_are_refused() {
        let k = keys();
        let secret = Config::for_database(":memory:").jwt_secret;
        let now = chrono::Utc::now().timestamp();
        let no_iat = serde_json::json!({"sub":"u","role":"admin","iss":"sistema-lavoro",
            "aud":"sistema-lavoro-api","exp":now+60,"nbf":now,"jti":"x"});
        let t = encode(
            &Header::new(Algorithm::HS256),
            &no_iat,
            &EncodingKey::from_secret(&secret),
        )
        .expect("encode");
        assert_eq!(k.verify(&t).err(), Some(TokenError::Invalid));
        let mut full = no_iat.clone();
        full["iat"] = now.into();
        let hs512 = encode(
            &Header::new(Algorithm::HS512),
            &full,
            &EncodingKey::from_secret(&secret),
        )
        .expect("encode");
        assert_eq!(k.verify(&hs512).err(), Some(TokenError::Invalid));
        let mut expired = full.clone();
        expired["exp"] = (now - 3600).into();
        let t = encode(
            &Header::new(Algorithm::HS256),
            &expired,
            &EncodingKey::from_secret(&secret),
        )
        .expect("encode");
        assert_eq!(k.verify(&t).err(), Some(TokenError::Expired));
        let mut wrong_aud = full;
        wrong_aud["aud"] = "other".into();
        let t = encode(
            &Header::new(Algorithm::HS256),
            &wrong_aud,
            &EncodingKey::from_secret(&secret),
        )
        .expect("encode");
        assert_eq!(k.verify(&t).err(), Some(TokenError::Invalid));
    }
}
