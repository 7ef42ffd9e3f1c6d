//! HTTP: the server, the route table, extractors (caller, bodies, preconditions, pages),
//! responses with their headers, problem+json and the OpenAPI document. Handlers are thin:
//! they parse, call one use case through [`AppState::run`], and render.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod exports;
pub mod extract;
pub mod integration;
pub mod limits;
pub mod middleware;
pub mod notifications;
pub mod openapi;
pub mod origin;
pub mod params;
pub mod precondition;
pub mod problem;
pub mod respond;
pub mod routes;
pub mod server;
pub mod spa;
pub mod state;
pub mod system;
pub mod workflow;

pub use routes::{openapi_document, openapi_value, yaml};
pub use server::server;
pub use state::AppState;
