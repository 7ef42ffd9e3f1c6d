//! The OpenAPI document's frame: info, servers, security schemes, tags.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{InfoBuilder, LicenseBuilder, OpenApi, OpenApiBuilder};

pub fn base() -> OpenApi {
    let info = InfoBuilder::new()
        .title("Sistema Lavoro API")
        .version(env!("CARGO_PKG_VERSION"))
        .description(Some(
            "Case management for the territorial employment-inclusion networks of an Ambito \
             territoriale: referrals (segnalazioni), the monthly table (Tavolo Sistema Lavoro), \
             take-charge (presa in carico), measures within agency thresholds (soglie operatori), \
             follow-up (monitoraggio) and outcomes (esiti).\n\n\
             Every error is `application/problem+json` (RFC 9457) with a stable `code`; \
             validation errors list every invalid field in `errors`. \
             Sign in at `POST /api/v1/auth/login` and send `Authorization: Bearer <access_token>`.",
        ))
        .license(Some(
            LicenseBuilder::new()
                .name("EUPL-1.2")
                .identifier(Some("EUPL-1.2"))
                .build(),
        ))
        .build();
    OpenApiBuilder::new().info(info).build()
}

/// Adds what the collected paths cannot say: the bearer scheme, default security, tag order.
pub fn finish(mut doc: OpenApi) -> OpenApi {
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("JWT")
                .description(Some("Access token from `POST /api/v1/auth/login`"))
                .build(),
        ),
    );
    doc.security = Some(vec![SecurityRequirement::new(
        "bearer",
        Vec::<String>::new(),
    )]);
    doc
}

/// The document as YAML, as committed in `openapi.yaml`.
pub fn yaml() -> Result<String, String> {
    crate::http::openapi_document()
        .to_yaml()
        .map_err(|e| e.to_string())
}
