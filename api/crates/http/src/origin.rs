//! Where a request comes from (client address, request id, route) as the audit log records it,
//! and the log of refusals decided before a use case runs (the route's roles and scopes).

use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpRequest};
use sistema_lavoro_app::audit;
use sistema_lavoro_domain::{Actor, Clock, ErrorCode};
use sistema_lavoro_store::audit_log::{self, EventContext};
use sistema_lavoro_store::DbPool;

/// The request's id (`X-Request-Id`, echoed or assigned by the access log's middleware).
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The client's address, as the server derives it: the one function every log, throttle and
/// audit row asks.
pub fn client_address(req: &HttpRequest) -> Option<String> {
    let trusted = req
        .app_data::<web::Data<crate::limits::TrustedProxies>>()
        .map(|t| t.0.as_slice())
        .unwrap_or(&[]);
    Some(crate::limits::client_addr(req, trusted)).filter(|a| !a.is_empty())
}

/// Where a request comes from, as the audit log records it.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub client_address: Option<String>,
    pub request_id: Option<String>,
    /// `METHOD /path` (never the query: it may hold personal data).
    pub route: String,
}

impl Origin {
    pub fn of(req: &HttpRequest) -> Origin {
        Origin {
            client_address: client_address(req),
            request_id: actix_web::HttpMessage::extensions(req)
                .get::<RequestId>()
                .map(|r| r.0.clone()),
            route: format!("{} {}", req.method(), req.path()),
        }
    }

    /// The audit log's context for `actor` calling from here.
    pub fn context(&self, actor: &Actor) -> EventContext {
        EventContext {
            actor_id: Some(actor.id.clone()),
            actor_role: Some(actor.role.as_str().to_string()),
            district_id: actor.district_id.as_ref().map(|d| d.to_string()),
            client_address: self.client_address.clone(),
            request_id: self.request_id.clone(),
        }
    }
}

/// Records refusals decided by the extractor, before any use case (registered as app data).
#[derive(Clone)]
pub struct DenialLog {
    pub pool: DbPool,
    pub clock: Arc<dyn Clock>,
}

impl DenialLog {
    /// Writes the refusal in the audit log before the answer leaves; a failure to write is
    /// logged, never answered.
    pub async fn record(&self, actor: &Actor, origin: &Origin, code: ErrorCode) {
        let pool = self.pool.clone();
        let at = self.clock.read().at;
        let context = origin.context(actor);
        let route = origin.route.clone();
        let _ = web::block(move || match pool.get() {
            Ok(mut conn) => audit_log::with_context(context, || {
                audit::record_denied(&mut conn, at, code.as_str(), Some(&route))
            }),
            Err(e) => log::warn!(target: "audit", "cannot log a refused authorization: {e}"),
        })
        .await;
    }
}

/// A refusal the extractor decided, left in the request for [`record_denials`].
#[derive(Debug, Clone)]
pub struct Denied {
    pub actor: Actor,
    pub origin: Origin,
    pub code: ErrorCode,
}

/// Writes the refusal an extractor left in the request to the audit log, then answers.
pub async fn record_denials<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, actix_web::Error> {
    let res = next.call(req).await?;
    let denied = res.request().extensions_mut().remove::<Denied>();
    let log = res.request().app_data::<web::Data<DenialLog>>().cloned();
    if let (Some(d), Some(log)) = (denied, log) {
        log.record(&d.actor, &d.origin, d.code).await;
    }
    Ok(res)
}
