//! The integration surface: machine clients (OAuth2 client credentials), webhooks written to
//! an outbox in the same transaction as the change, and their delivery worker.

pub mod clients;
pub mod events;
pub mod webhooks;
pub mod worker;
