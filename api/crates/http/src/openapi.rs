//! The OpenAPI document's frame (info, security schemes) and what the collected paths do
//! not say by themselves, derived from what each operation declares — its security, its
//! path parameters, its body type, its `If-Match`/`Idempotency-Key` parameters, its response
//! types — never from the shape of its path.

use serde_json::{json, Value};
use sistema_lavoro_domain::ErrorCode;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{InfoBuilder, LicenseBuilder, OpenApi, OpenApiBuilder};

use crate::extract::limit_of_schema;
use crate::problem::status_of;
use crate::respond::versioned_schemas;

/// Operations that count against no rate limit (the middleware reads the same list).
pub const UNLIMITED_PATHS: &[&str] = &["/api/v1/health"];

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

/// Adds what the collected paths cannot say: the security schemes, default security, the
/// problem responses and headers each operation's declarations imply, unique operation ids.
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
        sistema_lavoro_app::workflow::meetings::minutes::MinutesFormat::name().into_owned(),
        sistema_lavoro_app::workflow::meetings::minutes::MinutesFormat::schema(),
    );
    components
        .schemas
        .insert(ErrorCode::name().into_owned(), ErrorCode::schema());
    let doc = describe_codes(doc);
    unique_operation_ids(add_error_responses(doc))
}

/// The list of problem codes, each with its status and meaning, as the `ErrorCode` schema's
/// description.
fn describe_codes(doc: OpenApi) -> OpenApi {
    let Ok(mut v) = serde_json::to_value(&doc) else {
        return doc;
    };
    let mut text = String::from(
        "Stable machine code of a problem (`code`, and the last part of `type`):\n\n| code | status | meaning |\n|---|---|---|\n",
    );
    for code in ErrorCode::ALL {
        text.push_str(&format!(
            "| `{code}` | {} | {} |\n",
            status_of(*code).as_u16(),
            code.meaning().replace('|', "\\|")
        ));
    }
    v["components"]["schemas"]["ErrorCode"]["description"] = json!(text);
    from_value(v, doc)
}

fn from_value(v: Value, fallback: OpenApi) -> OpenApi {
    match serde_json::from_value(v) {
        Ok(d) => d,
        Err(e) => {
            log::error!("openapi post-processing failed: {e}");
            fallback
        }
    }
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
    from_value(v, doc)
}

/// The name of the schema an object `$ref`s (`#/components/schemas/X` → `X`).
fn ref_name(v: &Value) -> Option<&str> {
    v.get("$ref")?.as_str()?.rsplit('/').next()
}

/// The schema a body refers to, also when it is optional (`oneOf: [null, {$ref}]`).
fn first_ref(v: &Value) -> Option<&str> {
    ref_name(v).or_else(|| {
        ["oneOf", "anyOf", "allOf"]
            .iter()
            .filter_map(|k| v.get(*k)?.as_array())
            .flatten()
            .find_map(first_ref)
    })
}

/// Documents, in one place, the problem responses and headers each operation's declarations
/// imply: security (401, 403), path parameters (404), a body (400, 413 at its type's limit,
/// 415, 422), query parameters (400, 422), `If-Match` (409, 412; 428 when required),
/// `Idempotency-Key` (409), the rate limit (429); `ETag` on versioned resources, `Location`
/// on creations, `Link` on pages.
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
        "415" => "The body is not `application/json`",
        "422" => "Invalid fields: every one is listed in `errors`",
        "412" => "`If-Match` names another version: the resource changed since you read it (the response has the current `ETag`)",
        "428" => "This edit needs `If-Match` with the `ETag` you read",
        "429" => "Too many requests: wait `Retry-After` seconds",
        _ => "Error",
    }
    };
    let versioned = versioned_schemas();
    if let Some(paths) = v.get_mut("paths").and_then(|p| p.as_object_mut()) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for (_method, op) in item.iter_mut() {
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
                let params: Vec<Value> = op
                    .get("parameters")
                    .and_then(|p| p.as_array())
                    .cloned()
                    .unwrap_or_default();
                let has = |place: &str, name: Option<&str>| {
                    params.iter().any(|p| {
                        p["in"] == place && name.is_none_or(|n| p["name"].as_str() == Some(n))
                    })
                };
                let if_match = params
                    .iter()
                    .find(|p| p["in"] == "header" && p["name"] == "If-Match")
                    .map(|p| p["required"] == true);
                let body_schema = op
                    .get("requestBody")
                    .and_then(|b| b["content"].as_object())
                    .and_then(|c| c.values().next())
                    .and_then(|m| first_ref(&m["schema"]))
                    .map(str::to_string);
                let mut statuses: Vec<&str> = vec![];
                if !public {
                    statuses.extend(["401", "403"]);
                }
                if has("path", None) {
                    statuses.push("404");
                }
                if op.contains_key("requestBody") {
                    statuses.extend(["400", "413", "415", "422"]);
                } else if has("query", None) || has("path", None) {
                    statuses.extend(["400", "422"]);
                }
                if if_match.is_some() || has("header", Some("Idempotency-Key")) {
                    statuses.push("409");
                }
                if if_match.is_some() {
                    statuses.push("412");
                }
                if if_match == Some(true) {
                    statuses.push("428");
                }
                if !UNLIMITED_PATHS.contains(&path.as_str()) {
                    statuses.push("429");
                }
                let responses = op.entry("responses").or_insert_with(|| json!({}));
                let Some(r) = responses.as_object_mut() else {
                    continue;
                };
                for st in statuses {
                    let description = if st == "413" {
                        let limit = body_schema
                            .as_deref()
                            .and_then(limit_of_schema)
                            .unwrap_or(crate::extract::MAX_BODY_BYTES);
                        format!(
                            "Request body larger than this operation's limit of {} KiB",
                            limit / 1024
                        )
                    } else {
                        describe(st).to_string()
                    };
                    r.entry(st).or_insert_with(
                        || json!({"description": description, "content": problem.clone()}),
                    );
                }
                for (status, resp) in r.iter_mut() {
                    // OpenAPI requires a description on every response.
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
                    let schema = resp["content"]["application/json"]["schema"].clone();
                    let name = ref_name(&schema).unwrap_or_default().to_string();
                    let mut headers = serde_json::Map::new();
                    if status.starts_with('2') && versioned.contains(&name) {
                        headers.insert("ETag".into(), json!({
                            "description": "The version of the resource, to send back in `If-Match`",
                            "schema": {"type": "string"}}));
                    }
                    if status == "201" {
                        headers.insert(
                            "Location".into(),
                            json!({
                            "description": "Where the new resource is",
                            "schema": {"type": "string"}}),
                        );
                    }
                    if status == "200" && name.starts_with("Page_") {
                        headers.insert("Link".into(), json!({
                            "description": "`<…>; rel=\"next\"` to the next page, when there is one",
                            "schema": {"type": "string"}}));
                    }
                    if !headers.is_empty() {
                        resp["headers"] = Value::Object(headers);
                    }
                }
            }
        }
    }
    from_value(v, doc)
}
