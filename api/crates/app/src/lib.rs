//! The use cases: workflow, integration, administration, sessions and reports. Each is one
//! function and one transaction, taking the caller's [`Ctx`] (a plain
//! [`Actor`](sistema_lavoro_domain::Actor), one reading of the clock, the caller's language),
//! parsed inputs and, for changes, the version the caller expects; they ask the domain's
//! policy what the actor may see and do, and they are the only writers.

pub mod admin;
pub mod audit;
pub mod config;
pub mod csv;
pub mod exports;
pub mod file_kind;
pub mod integration;
pub mod notifications;
pub mod pdf;
pub mod reads;
pub mod reports;
pub mod sealed;
pub mod security;
pub mod sessions;
pub mod signin;
pub mod workflow;
pub mod xlsx;

pub use config::Config;

use sistema_lavoro_domain::actions::{Actions, BlockedAction};
use sistema_lavoro_domain::i18n::Lang;
use sistema_lavoro_domain::{Actor, Now};
use sistema_lavoro_store::audit::By;

/// Who asks, when, and in which language they read the answer.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    pub actor: &'a Actor,
    pub now: Now,
    pub lang: Lang,
}

impl<'a> Ctx<'a> {
    pub fn new(actor: &'a Actor, now: Now, lang: Lang) -> Ctx<'a> {
        Ctx { actor, now, lang }
    }

    /// Who records a change, and when.
    pub fn by(&self) -> By<'a> {
        By {
            actor: &self.actor.id,
            at: self.now.at,
        }
    }

    /// `allowed_actions` and `blocked_actions` as responses carry them.
    pub fn render(
        &self,
        actions: Actions,
    ) -> (
        Vec<sistema_lavoro_domain::actions::Action>,
        Vec<BlockedAction>,
    ) {
        actions.render(self.lang)
    }
}
