//! The OpenAPI document's frame: info, servers, security schemes, tags.

use serde_json::json;
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
             Sign in at `POST /api/v1/auth/login` and send `Authorization: Bearer <access_token>`.\n\n\
             **Concurrency.** Single resources carry a strong `ETag`: the quoted Unix time in \
             microseconds of their `updated_at` (e.g. `\"1763805600123456\"`). `PATCH` and `PUT` \
             require `If-Match` with it (`428` without, `412` when stale); actions accept it \
             optionally. **Retries.** Send `Idempotency-Key` on `POST`: the same key and body \
             replays the first response (`Idempotency-Replayed: true`), another body is `422`, a \
             concurrent duplicate `409`; keys are per caller and kept 24 hours. **Lists** are \
             cursor-paginated (`limit`, `after`) with `Link: <…>; rel=\"next\"`. **Limits:** \
             `429` with `Retry-After` per user or client, and after repeated failed sign-ins; each \
             operation's body limit is its `413` response. **Tokens** last `expires_in` seconds \
             but end at once (`401 token_revoked`) when what they grant changes: an account \
             disabled or given a new password, role, organization or district; a client revoked \
             or given a new secret.",
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
    use utoipa::openapi::security::{ClientCredentials, Flow, OAuth2, Scopes};
    components.add_security_scheme(
        "client_credentials",
        SecurityScheme::OAuth2(OAuth2::with_description(
            [Flow::ClientCredentials(ClientCredentials::new(
                "/api/v1/auth/token",
                Scopes::from_iter([
                    ("referrals:read", "Read the organization's referrals and persons"),
                    ("referrals:write", "Register persons, write and submit referrals"),
                    ("cases:read", "Read the organization's cases (agencies)"),
                    ("cases:write", "Work on the organization's cases (agencies)"),
                    ("webhooks:manage", "Manage the organization's webhook subscriptions"),
                ]),
            ))],
            "Integration clients: OAuth2 client credentials; the token is then sent as a Bearer token",
        )),
    );
    doc.security = Some(vec![SecurityRequirement::new(
        "bearer",
        Vec::<String>::new(),
    )]);
    use utoipa::{PartialSchema, ToSchema};
    let components = doc.components.get_or_insert_with(Default::default);
    // Enums used only in query parameters are referenced but not collected.
    components.schemas.insert(
        crate::http::workflow::meetings::MinutesFormat::name().into_owned(),
        crate::http::workflow::meetings::MinutesFormat::schema(),
    );
    unique_operation_ids(add_error_responses(doc))
}

/// Handler names repeat across resources (`list`, `read` …): prefix repeated ids with the tag,
/// so generated clients get one method per operation.
fn unique_operation_ids(doc: OpenApi) -> OpenApi {
    let Ok(mut v) = serde_json::to_value(&doc) else {
        return doc;
    };
    let mut counts = std::collections::HashMap::<String, usize>::new();
    if let Some(paths) = v["paths"].as_object() {
        for item in paths.values() {
            for op in item.as_object().into_iter().flat_map(|o| o.values()) {
                if let Some(id) = op["operationId"].as_str() {
                    *counts.entry(id.to_string()).or_default() += 1;
                }
            }
        }
    }
    if let Some(paths) = v["paths"].as_object_mut() {
        for item in paths.values_mut() {
            for op in item
                .as_object_mut()
                .into_iter()
                .flat_map(|o| o.values_mut())
            {
                let id = op["operationId"].as_str().map(str::to_string);
                let tag = op["tags"][0].as_str().map(str::to_string);
                if let (Some(id), Some(tag)) = (id, tag) {
                    if counts.get(&id).copied().unwrap_or(0) > 1 {
                        op["operationId"] = json!(format!("{}_{}", tag.replace('-', "_"), id));
                    }
                }
            }
        }
    }
    match serde_json::from_value(v) {
        Ok(d) => d,
        Err(e) => {
            log::error!("openapi post-processing failed: {e}");
            doc
        }
    }
}

/// Documents, in one place, the problem responses every operation can give: the rules that
/// produce them (auth, path ids, bodies, state machines) are the same everywhere.
fn add_error_responses(doc: OpenApi) -> OpenApi {
    let Ok(mut v) = serde_json::to_value(&doc) else {
        return doc;
    };
    let problem =
        json!({"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}});
    let describe = |status: &str| {
        match status {
        "400" => "Malformed JSON body, or an invalid path or query parameter",
        "401" => "Missing, invalid, expired (`token_expired`) or revoked (`token_revoked`) access token",
        "403" => "Your role may not do this",
        "404" => "Not found, or not visible to you",
        "409" => "Conflict: the action is not allowed in the current state (`invalid_transition`, with `current_state`), or another rule of the resource (see `code`)",
        "413" => "Request body too large",
        "415" => "The body is not `application/json`",
        "422" => "Invalid fields: every one is listed in `errors`",
        "412" => "`If-Match` names another version: the resource changed since you read it (the response has the current `ETag`)",
        "428" => "This edit needs `If-Match` with the `ETag` you read",
        "429" => "Too many requests: wait `Retry-After` seconds",
        _ => "Error",
    }
    };
    if let Some(paths) = v.get_mut("paths").and_then(|p| p.as_object_mut()) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for (method, op) in item.iter_mut() {
                let Some(op) = op.as_object_mut() else {
                    continue;
                };
                let public = op
                    .get("security")
                    .and_then(|s| s.as_array())
                    .is_some_and(|a| {
                        a.iter()
                            .all(|x| x.as_object().is_some_and(|o| o.is_empty()))
                    });
                document_headers(path, method, op);
                let mut statuses = vec![];
                if !public {
                    statuses.extend(["401", "403"]);
                }
                if path.contains('{') {
                    statuses.push("404");
                }
                if op.contains_key("requestBody") {
                    statuses.extend(["400", "413", "415", "422"]);
                } else if op.contains_key("parameters") {
                    statuses.extend(["400", "422"]);
                }
                if !public && matches!(method.as_str(), "post" | "patch" | "put" | "delete") {
                    statuses.extend(["409", "412"]);
                }
                if matches!(method.as_str(), "patch" | "put") {
                    statuses.push("428");
                }
                if path != "/api/v1/health" && path != "/api/v1/openapi.json" {
                    statuses.push("429");
                }
                let responses = op.entry("responses").or_insert_with(|| json!({}));
                if let Some(r) = responses.as_object_mut() {
                    for st in statuses {
                        let description = if st == "413" {
                            format!(
                                "Request body larger than this operation's limit of {} KiB",
                                crate::http::extract::body_limit(path) / 1024
                            )
                        } else {
                            describe(st).to_string()
                        };
                        r.entry(st).or_insert_with(
                            || json!({"description": description, "content": problem.clone()}),
                        );
                    }
                    // OpenAPI requires a description on every response.
                    for (status, resp) in r.iter_mut() {
                        let missing = resp
                            .get("description")
                            .and_then(|d| d.as_str())
                            .is_none_or(str::is_empty);
                        if missing {
                            let text = match status.as_str() {
                                "200" => "OK",
                                "201" => "Created (the `Location` header points to it)",
                                "204" => "Done, no content",
                                other => describe(other),
                            };
                            resp["description"] = json!(text);
                        }
                    }
                }
            }
        }
    }
    match serde_json::from_value(v) {
        Ok(d) => d,
        Err(e) => {
            log::error!("openapi post-processing failed: {e}");
            doc
        }
    }
}

/// The document as YAML, as committed in `openapi.yaml`.
pub fn yaml() -> Result<String, String> {
    crate::http::openapi_document()
        .to_yaml()
        .map_err(|e| e.to_string())
}

/// Declares the concurrency and retry headers the middleware and handlers read.
fn document_headers(path: &str, method: &str, op: &mut serde_json::Map<String, serde_json::Value>) {
    let params = op.entry("parameters").or_insert_with(|| json!([]));
    let Some(params) = params.as_array_mut() else {
        return;
    };
    let is_action = method == "post"
        && path.matches('{').count() == 1
        && !path.ends_with('}')
        && !path.ends_with("/activations")
        && !path.ends_with("/follow-ups")
        && !path.ends_with("/agenda")
        && !path.ends_with("/decisions");
    if method == "patch" || method == "put" {
        params.push(json!({"name": "If-Match", "in": "header", "required": true,
            "description": "The `ETag` of the version you read (quoted Unix microseconds of `updated_at`), or `*`",
            "schema": {"type": "string"}}));
    } else if is_action {
        params.push(json!({"name": "If-Match", "in": "header", "required": false,
            "description": "Optional: the `ETag` of the version you read; `412` if it changed since",
            "schema": {"type": "string"}}));
    }
    if method == "post" && !path.starts_with("/api/v1/auth/") {
        params.push(json!({"name": "Idempotency-Key", "in": "header", "required": false,
            "description": "Makes retries safe: the same key and body replay the first response for 24 hours",
            "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"}}));
    }
}
