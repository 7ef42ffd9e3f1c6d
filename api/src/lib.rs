//! Sistema Lavoro: the binary's library — the demo loader, and the layers re-exported for
//! the integration tests (`api/tests`). The layers are crates (ARCHITECTURE.md):
//! `sistema-lavoro-domain` ← `-store` ← `-app` ← `-http` ← this.

pub mod demo;
pub mod ops;

pub use sistema_lavoro_app as app;
pub use sistema_lavoro_app::{config, integration, security, workflow, Config};
pub use sistema_lavoro_domain as domain;
pub use sistema_lavoro_http as http;
pub use sistema_lavoro_store as store;
