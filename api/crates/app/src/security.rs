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

/// Values the server must read back — webhook signing secrets, the special-category notes of
/// persons — sealed with AES-256-GCM under the key of `SECRETS_KEY`: a copy of the database
/// alone neither signs events nor reads a disability or criminal-justice note.
///
/// A sealed value names its key: `v2:<key id>:<hex of nonce (12 bytes), ciphertext, tag>`, the
/// key id being 8 hex characters of a hash of the key (nothing that helps find it). Values
/// sealed by older versions (`v1:`, no key id) open under either key. A box holds the key in
/// use (`SECRETS_KEY`, which seals) and, while keys are rotated, the one before it
/// (`SECRETS_KEY_PREVIOUS`, which only opens): `rotate-secrets-key` re-seals what the previous
/// key sealed while the server keeps answering.
#[derive(Clone)]
pub struct SecretBox {
    current: Option<SealKey>,
    previous: Option<SealKey>,
}

#[derive(Clone)]
struct SealKey {
    id: String,
    cipher: aes_gcm::Aes256Gcm,
}

impl SealKey {
    fn new(key: &[u8; 32]) -> SealKey {
        use aes_gcm::KeyInit;
        let mut h = Sha256::new();
        h.update(b"sistema-lavoro secrets key id\0");
        h.update(key);
        SealKey {
            id: hex::encode(&h.finalize()[..4]),
            cipher: aes_gcm::Aes256Gcm::new(key.into()),
        }
    }

    fn open(&self, hex_body: &str) -> Result<String, String> {
        use aes_gcm::aead::Aead;
        let bytes = hex::decode(hex_body).map_err(|_| DAMAGED.to_string())?;
        if bytes.len() < 12 {
            return Err(DAMAGED.into());
        }
        let (nonce, ciphertext) = bytes.split_at(12);
        let plain = self
            .cipher
            .decrypt(nonce.into(), ciphertext)
            .map_err(|_| WRONG_KEY.to_string())?;
        String::from_utf8(plain).map_err(|_| DAMAGED.to_string())
    }
}

/// Values sealed before key ids existed: `v1:` then hex of nonce and ciphertext.
const SEALED_V1: &str = "v1:";
/// Values sealed under a named key: `v2:<key id>:` then hex of nonce and ciphertext.
const SEALED_V2: &str = "v2:";
const DAMAGED: &str = "a sealed value is damaged";
const WRONG_KEY: &str =
    "cannot open a sealed value: neither SECRETS_KEY nor SECRETS_KEY_PREVIOUS is the key it was sealed with";

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(..)")
    }
}

impl SecretBox {
    pub fn new(key: &[u8; 32]) -> SecretBox {
        SecretBox {
            current: Some(SealKey::new(key)),
            previous: None,
        }
    }

    /// A box that seals under `key` and also opens what `previous` sealed.
    pub fn with_previous(key: &[u8; 32], previous: Option<&[u8; 32]>) -> SecretBox {
        SecretBox {
            current: Some(SealKey::new(key)),
            previous: previous.filter(|p| *p != key).map(SealKey::new),
        }
    }

    /// A box without a key, for loaders that write no sealed value (the demo): sealing
    /// with it is an error, so nothing is ever stored under a key the server does not have.
    pub fn without_key() -> SecretBox {
        SecretBox {
            current: None,
            previous: None,
        }
    }

    pub fn from_config(c: &Config) -> SecretBox {
        SecretBox::with_previous(&c.secrets_key, c.secrets_key_previous.as_ref())
    }

    /// The id of the key that seals (`None` for [`SecretBox::without_key`]).
    pub fn key_id(&self) -> Option<&str> {
        self.current.as_ref().map(|k| k.id.as_str())
    }

    pub fn seal(&self, plain: &str) -> Result<String, String> {
        use aes_gcm::aead::Aead;
        let key = self
            .current
            .as_ref()
            .ok_or("no SECRETS_KEY to seal a value with")?;
        let nonce: [u8; 12] = rand::random();
        let sealed = key
            .cipher
            .encrypt(&nonce.into(), plain.as_bytes())
            .map_err(|_| "cannot seal a value".to_string())?;
        Ok(format!(
            "{SEALED_V2}{}:{}{}",
            key.id,
            hex::encode(nonce),
            hex::encode(sealed)
        ))
    }

    /// The plain value; values stored before sealing existed come back as they are.
    pub fn open(&self, stored: &str) -> Result<String, String> {
        if let Some(rest) = stored.strip_prefix(SEALED_V2) {
            let (id, body) = rest.split_once(':').ok_or(DAMAGED)?;
            let key = self
                .keys()
                .find(|k| k.id == id)
                .ok_or_else(|| format!("{WRONG_KEY} (it names key {id})"))?;
            return key.open(body);
        }
        let Some(body) = stored.strip_prefix(SEALED_V1) else {
            return Ok(stored.to_string());
        };
        let mut last = Err(WRONG_KEY.to_string());
        for key in self.keys() {
            last = key.open(body);
            if last.is_ok() {
                break;
            }
        }
        last
    }

    fn keys(&self) -> impl Iterator<Item = &SealKey> {
        self.current.iter().chain(self.previous.iter())
    }

    /// Whether a stored value is sealed at all (by any key, any version).
    pub fn is_sealed(stored: &str) -> bool {
        stored.starts_with(SEALED_V1) || stored.starts_with(SEALED_V2)
    }

    /// Whether a stored value is sealed under the key in use: what rotation leaves alone.
    pub fn is_current(&self, stored: &str) -> bool {
        match (&self.current, stored.strip_prefix(SEALED_V2)) {
            (Some(key), Some(rest)) => rest.split_once(':').is_some_and(|(id, _)| id == key.id),
            _ => false,
        }
    }

    /// `stored` sealed again under the key in use, or `None` if it already is.
    pub fn reseal(&self, stored: &str) -> Result<Option<String>, String> {
        if self.is_current(stored) {
            return Ok(None);
        }
        self.seal(&self.open(stored)?).map(Some)
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
        let sealed = a.seal("whsec_abc").expect("seal");
        assert!(SecretBox::is_sealed(&sealed));
        assert!(a.is_current(&sealed));
        assert!(!sealed.contains("whsec_abc"));
        assert_ne!(
            sealed,
            a.seal("whsec_abc").expect("seal"),
            "a fresh nonce each time"
        );
        assert_eq!(a.open(&sealed).as_deref(), Ok("whsec_abc"));
        assert!(SecretBox::new(&[8; 32]).open(&sealed).is_err());
        assert_eq!(a.open("whsec_legacy").as_deref(), Ok("whsec_legacy"));
        assert!(!a.is_current("whsec_legacy"));
        assert!(a.open("v1:zz").is_err());
        assert!(a.open("v2:zz").is_err());
        assert!(SecretBox::without_key().seal("x").is_err());
    }

    #[test]
    fn a_rotating_box_opens_both_keys_and_reseals_under_the_new_one() {
        let old = SecretBox::new(&[7; 32]);
        let by_old = old.seal("nota").expect("seal");
        // As sealed by versions before key ids: v1, hex of nonce and ciphertext.
        let v1 = {
            use aes_gcm::aead::Aead;
            use aes_gcm::KeyInit;
            let nonce = [1u8; 12];
            let ct = aes_gcm::Aes256Gcm::new(&[7u8; 32].into())
                .encrypt(&nonce.into(), b"vecchia".as_slice())
                .expect("encrypt");
            format!("v1:{}{}", hex::encode(nonce), hex::encode(ct))
        };
        assert_eq!(old.open(&v1).as_deref(), Ok("vecchia"));
        let both = SecretBox::with_previous(&[9; 32], Some(&[7; 32]));
        assert_eq!(both.open(&by_old).as_deref(), Ok("nota"));
        assert_eq!(both.open(&v1).as_deref(), Ok("vecchia"));
        assert!(!both.is_current(&by_old) && !both.is_current(&v1));
        let moved = both.reseal(&by_old).expect("reseal").expect("changed");
        assert!(both.is_current(&moved));
        assert_eq!(both.reseal(&moved), Ok(None));
        let new_only = SecretBox::new(&[9; 32]);
        assert_eq!(new_only.open(&moved).as_deref(), Ok("nota"));
        assert!(new_only.open(&by_old).is_err());
        assert!(new_only.open(&v1).is_err());
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
