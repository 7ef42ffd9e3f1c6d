//! The server: the route table behind the middleware (request log, security headers and
//! `no-store`, CORS, body deadline, rate limits, idempotency), the OpenAPI document and its docs UI, the SPA's files (`spa`), and the
//! answers for unknown paths (`404`) and methods (`405`).

use std::sync::Arc;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::Method;
use actix_web::{guard, web, App, HttpRequest, HttpResponse, HttpServer};
use futures_util::future::FutureExt;
use sistema_lavoro_app::config::Config;
use sistema_lavoro_domain::Error;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use super::limits::RateLimiter;
use super::problem::ApiError;
use super::routes::{openapi_document, routes};
use super::state::AppState;
use super::{extract, middleware};

/// Path templates and their methods, to tell `405` from `404`.
pub struct KnownRoutes(Vec<(Vec<String>, Vec<String>)>);

impl KnownRoutes {
    /// From the published document (which also holds the root `/status`).
    fn from_doc(doc: &serde_json::Value) -> KnownRoutes {
        let mut routes = Vec::new();
        let paths = doc["paths"].as_object().cloned().unwrap_or_default();
        for (path, item) in paths.iter() {
            let segments = path.split('/').map(String::from).collect();
            let methods = item
                .as_object()
                .cloned()
                .map(|o| {
                    o.keys()
                        .filter(|k| {
                            ["get", "post", "put", "patch", "delete", "head", "options"]
                                .contains(&k.as_str())
                        })
                        .map(|k| k.to_uppercase())
                        .collect()
                })
                .unwrap_or_default();
            routes.push((segments, methods));
        }
        KnownRoutes(routes)
    }

    fn allowed(&self, path: &str) -> Option<Vec<String>> {
        let parts: Vec<&str> = path.split('/').collect();
        self.0.iter().find_map(|(segments, methods)| {
            let matches = segments.len() == parts.len()
                && segments
                    .iter()
                    .zip(&parts)
                    .all(|(s, p)| (s.starts_with('{') && !p.is_empty()) || s == p);
            matches.then(|| methods.clone())
        })
    }
}

async fn fallback(
    req: HttpRequest,
    known: web::Data<KnownRoutes>,
) -> Result<HttpResponse, ApiError> {
    match known.allowed(req.path()) {
        Some(methods) if !methods.iter().any(|m| m == req.method().as_str()) => {
            Err(Error::MethodNotAllowed(methods).into())
        }
        _ => Err(Error::NotFound.into()),
    }
}

async fn openapi_json(doc: web::Data<OpenApiJson>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(doc.0.clone())
}

/// Any other path: with `GET` or `HEAD` a page of the SPA (a root file or `index.html`),
/// otherwise `404`/`405` as for the API.
async fn spa_or_fallback(
    req: HttpRequest,
    state: web::Data<AppState>,
    known: web::Data<KnownRoutes>,
) -> Result<HttpResponse, ApiError> {
    if req.method() == Method::GET || req.method() == Method::HEAD {
        super::spa::page(&req, &state.config.static_dir).await
    } else {
        fallback(req, known).await
    }
}

async fn root_without_spa() -> HttpResponse {
    HttpResponse::Found()
        .insert_header(("Location", "/docs/"))
        .finish()
}

async fn docs_redirect() -> HttpResponse {
    HttpResponse::MovedPermanently()
        .insert_header(("Location", "/docs/"))
        .finish()
}

/// The served document, serialised once.
pub struct OpenApiJson(pub String);

static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// One log line per request: request id, method, path (never the query: it may hold personal
/// data), status, latency. Also echoes or assigns `X-Request-Id`.
fn log_request<S, B>(
    req: ServiceRequest,
    srv: &S,
) -> impl std::future::Future<Output = Result<ServiceResponse<B>, actix_web::Error>>
where
    S: actix_web::dev::Service<
        ServiceRequest,
        Response = ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: MessageBody,
{
    let id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.len() <= 64 && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .map(String::from)
        .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
    actix_web::HttpMessage::extensions_mut(&req).insert(super::origin::RequestId(id.clone()));
    let start = Instant::now();
    let method = req.method().to_string();
    let path = req.path().to_string();
    srv.call(req).map(move |res| {
        let mut res = res?;
        if let Ok(v) = HeaderValue::from_str(&id) {
            res.headers_mut().insert(REQUEST_ID.clone(), v);
        }
        log::info!(
            target: "access",
            "{id} {method} {path} {} {:.1}ms",
            res.status().as_u16(),
            start.elapsed().as_secs_f64() * 1000.0
        );
        Ok(res)
    })
}

/// Builds the HTTP server on an already bound listener (tests bind port 0).
pub fn server(state: AppState, listener: std::net::TcpListener) -> std::io::Result<Server> {
    let doc = openapi_document();
    let published = super::routes::openapi_value();
    let json = web::Data::new(OpenApiJson(
        serde_json::to_string(&published).map_err(std::io::Error::other)?,
    ));
    let known = web::Data::new(KnownRoutes::from_doc(&published));
    let doc = Arc::new(doc);
    let workers = state.config.workers.max(1);
    let limiter = web::Data::new(RateLimiter::new(state.config.rate_limit_per_minute));
    let trusted = web::Data::new(super::limits::TrustedProxies(
        state.config.trusted_proxies.clone(),
    ));
    let keys = web::Data::new(state.keys.clone());
    let denials = web::Data::new(super::origin::DenialLog {
        pool: state.pool.clone(),
        clock: state.clock.clone(),
    });
    let state = web::Data::new(state);
    let ui = utoipa_swagger_ui::Config::new(["/api/v1/openapi.json"])
        .validator_url("none")
        // The token stays in the page's memory, never in `localStorage` where any script of
        // the origin (or anyone at the desk later) could read it.
        .persist_authorization(false);
    let server = HttpServer::new(move || {
        let cors = cors(&state.config);
        let spa_dir = state.config.static_dir.clone();
        let has_spa = spa_dir.join("index.html").is_file();
        let app = App::new()
            .app_data(state.clone())
            .app_data(keys.clone())
            .app_data(denials.clone())
            .app_data(json.clone())
            .app_data(known.clone())
            .app_data(extract::query_config())
            .app_data(extract::path_config())
            .app_data(limiter.clone())
            .app_data(trusted.clone())
            .wrap(actix_web::middleware::from_fn(
                super::origin::record_denials,
            ))
            .wrap(actix_web::middleware::from_fn(middleware::retry_after))
            // Told before the idempotency middleware keeps a copy of the answer (which loses the
            // marker), and again outside for the errors the outer middleware raise themselves.
            .wrap(actix_web::middleware::from_fn(
                super::problem::in_callers_language,
            ))
            .wrap(actix_web::middleware::from_fn(middleware::idempotency))
            .wrap(actix_web::middleware::from_fn(middleware::rate_limit))
            .wrap(actix_web::middleware::from_fn(middleware::body_deadline))
            .wrap(actix_web::middleware::from_fn(
                super::problem::in_callers_language,
            ))
            .wrap(cors)
            // Outside everything that may answer, so every answer carries them.
            .wrap(actix_web::middleware::from_fn(middleware::security_headers))
            .wrap_fn(log_request)
            .wrap(actix_web::middleware::from_fn(middleware::head_as_get))
            .route("/api/v1/openapi.json", web::get().to(openapi_json))
            // ModI's probe where the national checker looks for it, besides `/api/v1/status`.
            .route("/status", web::get().to(super::system::status_answer))
            .route("/docs", web::get().to(docs_redirect))
            .service(SwaggerUi::new("/docs/{_:.*}").config(ui.clone()))
            .into_utoipa_app()
            .openapi((*doc).clone())
            .service(
                utoipa_actix_web::scope("/api/v1")
                    .configure(routes)
                    .default_service(web::to(fallback)),
            )
            .into_app();
        if has_spa {
            app.route(
                "/assets/{tail:.*}",
                web::route()
                    .guard(guard::Any(guard::Get()).or(guard::Head()))
                    .to(super::spa::asset),
            )
            .default_service(web::to(spa_or_fallback))
        } else {
            app.route("/", web::get().to(root_without_spa))
                .default_service(web::to(fallback))
        }
    })
    .workers(workers)
    .listen(listener)?
    .run();
    Ok(server)
}

fn cors(config: &Config) -> actix_cors::Cors {
    let mut cors = actix_cors::Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            "authorization",
            "content-type",
            "if-match",
            "idempotency-key",
            "x-request-id",
            "accept-language",
        ])
        .expose_headers([
            "etag",
            "location",
            "x-request-id",
            "link",
            "retry-after",
            "x-ratelimit-limit",
            "x-ratelimit-remaining",
            "x-ratelimit-reset",
            "idempotency-replayed",
        ])
        .max_age(3600);
    for origin in &config.cors_origins {
        cors = cors.allowed_origin(origin);
    }
    cors
}
