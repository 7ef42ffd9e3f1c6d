//! The Sistema Lavoro workflow over HTTP: thin handlers over the app's use cases.

pub mod activations;
pub mod agreements;
pub mod cases;
pub mod catalogue;
pub mod collective;
pub mod documents;
pub mod erasure;
pub mod meetings;
pub mod networks;
pub mod opportunities;
pub mod persons;
pub mod plans;
pub mod privacy;
pub mod privacy_registers;
pub mod projects;
pub mod referrals;
pub mod reports;
pub mod responses;
pub mod search;
pub mod service_pact;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    persons::routes(cfg);
    privacy::routes(cfg);
    referrals::routes(cfg);
    meetings::routes(cfg);
    networks::routes(cfg);
    collective::routes(cfg);
    plans::routes(cfg);
    projects::routes(cfg);
    opportunities::routes(cfg);
    agreements::routes(cfg);
    responses::routes(cfg);
    cases::routes(cfg);
    activations::routes(cfg);
    catalogue::routes(cfg);
    documents::routes(cfg);
    reports::routes(cfg);
    search::routes(cfg);
    service_pact::routes(cfg);
    privacy_registers::routes(cfg);
    erasure::routes(cfg);
}
