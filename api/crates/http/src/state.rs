//! What every handler can reach: the pool, the configuration, the keys, the clock, the
//! person-read log; and the one way a handler reaches the database.

use std::sync::Arc;

use actix_web::web;
use sistema_lavoro_app::config::Config;
use sistema_lavoro_app::reads::ReadLog;
use sistema_lavoro_app::security::{JwtKeys, SecretBox};
use sistema_lavoro_app::{audit, sessions, Ctx};
use sistema_lavoro_domain::i18n::Lang;
use sistema_lavoro_domain::{text, Clock, Error, Now};
use sistema_lavoro_store::audit_log;
use sistema_lavoro_store::{Backend, DbConn, DbPool};

use super::extract::{Caller, Permit};
use super::limits::LoginThrottle;
use super::problem::ApiError;

/// What every handler can reach.
pub struct AppState {
    /// Requests to join a network per address (15 minutes).
    pub join_throttle: LoginThrottle,
    pub pool: DbPool,
    pub config: Config,
    pub keys: JwtKeys,
    pub backend: Backend,
    pub clock: Arc<dyn Clock>,
    pub sealer: SecretBox,
    pub reads: ReadLog,
}

impl AppState {
    pub fn new(pool: DbPool, config: Config, clock: Arc<dyn Clock>) -> AppState {
        AppState {
            join_throttle: LoginThrottle::new(config.join_requests_per_address),
            reads: ReadLog::start(pool.clone()),
            sealer: SecretBox::from_config(&config),
            keys: JwtKeys::new(&config),
            backend: Backend::of_url(&config.database_url),
            clock,
            pool,
            config,
        }
    }

    /// Runs a use case for `caller`: one pooled connection and one blocking hop, in which the
    /// caller's grant is confirmed first (a revoked token gets `401 token_revoked`), then
    /// `f` runs with the caller's context. An error is told in the caller's language.
    pub async fn run<P, T, F>(&self, caller: Caller<P>, f: F) -> Result<T, ApiError>
    where
        P: Permit,
        F: FnOnce(&mut DbConn, &Ctx) -> Result<T, Error> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        let now = self.clock.read();
        let Caller {
            actor,
            stamp,
            session,
            lang,
            origin,
            ..
        } = caller;
        let context = origin.context(&actor);
        web::block(move || {
            let mut conn = pool.get().map_err(no_connection)?;
            sessions::confirm_grant(&mut conn, &actor, stamp.as_deref(), session.as_deref())?;
            // Every event the use case writes carries who, from where, in which request.
            audit_log::with_context(context, || {
                let out = f(&mut conn, &Ctx::new(&actor, now, lang));
                if let Err(e) = &out {
                    if refused(e) {
                        audit::record_denied(
                            &mut conn,
                            now.at,
                            e.code().as_str(),
                            Some(&origin.route),
                        );
                    }
                }
                out
            })
        })
        .await
        .map_err(|e| ApiError::from(e).in_lang(lang))?
        .map_err(|e| ApiError::new(e, lang))
    }

    /// Runs work needing no caller (sign-in, health): one pooled connection, one blocking hop.
    /// An error is told in Italian; [`AppState::public_in`] when the request's language is
    /// known.
    pub async fn public<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn, Now) -> Result<T, Error> + Send + 'static,
        T: Send + 'static,
    {
        self.public_in(Lang::default(), f).await
    }

    /// [`AppState::public`], an error told in `lang`.
    pub async fn public_in<T, F>(&self, lang: Lang, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn, Now) -> Result<T, Error> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        let now = self.clock.read();
        web::block(move || {
            let mut conn = pool.get().map_err(no_connection)?;
            f(&mut conn, now)
        })
        .await
        .map_err(|e| ApiError::from(e).in_lang(lang))?
        .map_err(|e| ApiError::new(e, lang))
    }
}

/// A refused authorization, as the policy answers it: `403`, or `404` for a record it hides
/// (a record that does not exist answers the same, and is logged the same).
pub(crate) fn refused(e: &Error) -> bool {
    matches!(e, Error::Forbidden(_) | Error::NotFound)
}

fn no_connection(e: impl std::fmt::Display) -> Error {
    Error::Unavailable(text!(
        "connessione al database non riuscita: {e}",
        "database connection: {e}"
    ))
}
