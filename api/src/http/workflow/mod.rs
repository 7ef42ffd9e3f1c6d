//! The Sistema Lavoro workflow: persons, referrals, meetings, cases, measures, activations.

pub fn routes(_cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {}
