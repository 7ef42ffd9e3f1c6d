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
pub const UNLIMITED_PATHS: &[&str] = &["/api/v1/health", "/api/v1/status", "/status"];

/// The public answers without personal data that caches may keep (they set their own
/// `Cache-Control` and a strong `ETag`): the opportunities told to the territory. Every other
/// `/api/v1` answer is `no-store` (`middleware::security_headers`).
pub const PUBLIC_CACHEABLE: &[&str] = &["/api/v1/public/opportunities", "/api/v1/public/bulletin"];

pub fn is_public_cacheable(path: &str) -> bool {
    PUBLIC_CACHEABLE.iter().any(|p| path.starts_with(p))
}

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
                .description(Some(
                    "Access token from `POST /api/v1/auth/login`: a JWT following RFC8725 \
                     (JSON Web Token Best Current Practices): one algorithm, HS256, pinned; \
                     `exp`, `nbf`, `iat`, `iss` and `aud` required and checked; 15 minutes",
                ))
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
                    (
                        "referrals:read",
                        "Read the organization's referrals and persons",
                    ),
                    (
                        "referrals:write",
                        "Register persons, write and submit referrals",
                    ),
                    ("cases:read", "Read the organization's cases (agencies)"),
                    ("cases:write", "Work on the organization's cases (agencies)"),
                    (
                        "webhooks:manage",
                        "Manage the organization's webhook subscriptions",
                    ),
                ]),
            ))],
            "Integration clients: OAuth2 client credentials; the token is then sent as a Bearer \
             token. It is a JWT following RFC8725 (JSON Web Token Best Current Practices), \
             checked as the users' tokens are",
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
    components.schemas.insert(
        crate::audit::AuditExportFormat::name().into_owned(),
        crate::audit::AuditExportFormat::schema(),
    );
    components.schemas.insert(
        crate::workflow::networks::MemberInclude::name().into_owned(),
        crate::workflow::networks::MemberInclude::schema(),
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
        "415" => "The body is not `application/json` (or, for `PATCH`, `application/merge-patch+json`)",
        "422" => "Invalid fields: every one is listed in `errors`",
        "412" => "`If-Match` names another version: the resource changed since you read it (the response has the current `ETag`)",
        "428" => "This edit needs `If-Match` with the `ETag` you read",
        "429" => "Too many requests: wait `Retry-After` seconds",
        "500" => "Unexpected server error: nothing of the request was stored; details are logged, never sent",
        "503" => "The database or a service the request needs is unreachable: retry after `Retry-After` seconds",
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
                statuses.extend(["500", "503"]);
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

// ------------------------------------------------------------------ publication

/// The host every published URL uses unless an administration publishes under its own.
pub const PUBLISHED_HOST: &str = "sistema-lavoro.example.it";

/// What the published document adds to the collected one, on the JSON value (utoipa's types
/// cannot hold shared `components/headers`, `info.x-summary` or server variables): the
/// frame a public administration's catalogue asks for (contact, summary, terms, https
/// servers, described tags), the headers every answer carries (rate limit, `Retry-After`,
/// `Cache-Control`, CORS) and the bounds of every string, number and array.
pub fn publish(mut v: Value) -> Value {
    frame(&mut v);
    root_status(&mut v);
    merge_patch(&mut v);
    shared_headers(&mut v);
    downloads(&mut v);
    bounds(&mut v);
    v
}

/// A document's download answers the bytes as the kind recognised at upload: every kind the
/// server accepts is listed, each a binary string of at most the upload limit.
fn downloads(v: &mut Value) {
    let Some(ok) = v.pointer_mut("/paths/~1api~1v1~1documents~1{id}/get/responses/200") else {
        return;
    };
    let max = sistema_lavoro_app::workflow::documents::MAX_DOCUMENT_BYTES;
    let content: serde_json::Map<String, Value> = sistema_lavoro_app::file_kind::FileKind::ALL
        .iter()
        .map(|k| {
            (
                k.media_type().to_string(),
                json!({"schema": {"type": "string", "format": "binary", "maxLength": max}}),
            )
        })
        .collect();
    ok["content"] = Value::Object(content);
    let extra = json!({
        "Content-Disposition": {
            "description": "`attachment; filename=\"…\"; filename*=UTF-8''…`: the kept file name",
            "schema": {"type": "string", "maxLength": 1024}
        },
        "X-Content-Type-Options": {
            "description": "`nosniff`: the browser keeps the declared type",
            "schema": {"type": "string", "pattern": "^nosniff$", "maxLength": 7}
        }
    });
    if !ok["headers"].is_object() {
        ok["headers"] = json!({});
    }
    if let (Some(h), Some(extra)) = (ok["headers"].as_object_mut(), extra.as_object()) {
        for (k, x) in extra {
            h.insert(k.clone(), x.clone());
        }
    }
}

fn frame(v: &mut Value) {
    let info = &mut v["info"];
    info["summary"] = json!(SUMMARY);
    info["x-summary"] = json!(SUMMARY);
    info["contact"] = json!({
        "name": "Sistema Lavoro — manutentori del progetto",
        "url": "https://example.invalid/sistema-lavoro",
        "email": "sistema-lavoro@example.invalid"
    });
    info["termsOfService"] =
        json!("https://example.invalid/sistema-lavoro/blob/main/README.md#condizioni-duso");
    v["servers"] = json!([{
        "url": "https://{host}",
        "description": "Production: the Ambito territoriale's installation (https only)",
        "x-internal": false,
        "variables": {"host": {
            "default": PUBLISHED_HOST,
            "description": "Host name where the district publishes Sistema Lavoro"
        }}
    }]);
    v["tags"] = Value::Array(
        TAGS.iter()
            .map(|(name, description)| json!({"name": name, "description": description}))
            .collect(),
    );
    if let Some(flow) =
        v.pointer_mut("/components/securitySchemes/client_credentials/flows/clientCredentials")
    {
        flow["tokenUrl"] = json!(format!("https://{PUBLISHED_HOST}/api/v1/auth/token"));
    }
}

/// `/status` is also served at the root, where ModI's checker looks for it.
fn root_status(v: &mut Value) {
    let Some(mut item) = v.pointer("/paths/~1api~1v1~1status").cloned() else {
        return;
    };
    item["get"]["operationId"] = json!("root_status");
    item["get"]["summary"] = json!("Is the service up? (the same probe as `/api/v1/status`)");
    if let Some(paths) = v["paths"].as_object_mut() {
        paths.insert("/status".into(), item);
    }
}

/// Every `PATCH` is a JSON Merge Patch (RFC 7396: a field sent replaces, `null` clears, a
/// field left out stays): declared as `application/merge-patch+json`; the server also takes
/// `application/json` bodies, as before.
fn merge_patch(v: &mut Value) {
    let Some(paths) = v.get_mut("paths").and_then(|p| p.as_object_mut()) else {
        return;
    };
    for item in paths.values_mut() {
        let Some(content) = item
            .pointer_mut("/patch/requestBody/content")
            .and_then(|c| c.as_object_mut())
        else {
            continue;
        };
        if let Some(media) = content.remove("application/json") {
            content.insert("application/merge-patch+json".into(), media);
        }
    }
}

const SUMMARY: &str = "Referrals, the monthly table, take-charge and measures of an Ambito \
    territoriale's employment-inclusion network (Tavolo Sistema Lavoro)";

/// Every tag the operations use, with what it groups (Italian term first where there is one).
pub const TAGS: &[(&str, &str)] = &[
    ("system", "Service status (ModI `/status`) and health probe"),
    ("auth", "Sign-in, token refresh and sign-out of users; OAuth2 client credentials for integration clients"),
    ("districts", "Ambiti territoriali (districts): the tenants, and the comuni (municipalities) each is made of"),
    ("organizations", "Enti (organizations): Ufficio di Piano, operatori accreditati (accredited agencies), CPI, comuni, third sector"),
    ("users", "User accounts (utenti), each with one role in one organization and district"),
    ("persons", "Persone (persons) signalled or taken in charge: personal data, special categories only for who works with them"),
    ("privacy", "Protezione dei dati (data protection): informative (privacy notices) per purpose, the notices given and consents collected per person; the register of processing activities (art. 30) and the data-breach register (art. 33)"),
    ("referrals", "Segnalazioni (referrals): a referrer's request that the table take a person in charge"),
    ("meetings", "Tavolo Sistema Lavoro (the monthly table): ordine del giorno (agenda), esiti (decisions), verbale (minutes)"),
    ("networks", "Reti del territorio (networks): patti territoriali, partenariati, patto per l'inclusione, the Tavolo Sistema Lavoro; aderenti (members) with their history, conformità (compliance), risorse messe a disposizione (pledged resources)"),
    ("plans", "Piano Locale Integrato (the district's integrated local plan, seed 004): assi (axes) with their expected results, azioni (actions) with dates, fonte di finanziamento (funding source), budget and dipartimento responsabile, indicators, and what each still lacks (completeness)"),
    ("opportunities", "Opportunità: what members publish (courses, job offers, internships, services, events) beside the catalogue's open measures and the granted projects, matched to the persons of cases and referrals, proposed with their answers; told to the territory without an account as JSON, RSS, iCalendar, flyers and the monthly bulletin"),
    ("projects", "Progettualità (funded projects): funder and call (bando), CUP, amounts requested, granted by year and co-financed, deadlines the clock raises, lead and partners, the plan actions they fund, and the catalogue measures a granted project makes with thresholds per agency"),
    ("cases", "Prese in carico (cases): a person followed by an agency, colloqui di monitoraggio (follow-ups), verifiche degli esiti (outcome checks)"),
    ("documents", "Allegati (documents: curriculum, attestati) of a referral or a case, kept in the database; PDF, PNG, JPEG, TIFF, DOCX, XLSX, ODT, ODS up to 20 MiB"),
    ("activations", "Attivazioni (activated measures) of a case, within the agency's soglia (threshold)"),
    ("measures", "Catalogo delle misure (measures: Dote Unica Lavoro, Garanzia Giovani, district projects) and who is eligible"),
    ("thresholds", "Soglie operatori (budget thresholds) per agency, measure and period"),
    ("municipalities", "Comuni italiani (municipalities) by ISTAT code, to search"),
    ("reports", "Cruscotto (district figures): counts and budget, aggregated"),
    ("integration", "Integration clients (client credentials) of an organization"),
    ("webhooks", "Webhook subscriptions of an organization, and their deliveries"),
    ("notifications", "Notifiche: each person's inbox, the unread count, and how each kind is e-mailed"),
    ("audit", "Registro degli accessi (audit log): every read of personal data, change, refused authorization and sign-in; append-only and sealed by a hash chain; for the DPO and the coordinator"),
    ("exports", "Esportazioni (exports): any list to CSV for Italian Excel or XLSX with typed cells, without blocking — `202` and `Location`, progress, then `303` to the file, which expires after 24 hours"),
];

/// Headers the server sends on every answer, declared once and referenced by each response.
fn shared_headers(v: &mut Value) {
    let int = |min: i64, max: i64| json!({"type": "integer", "format": "int32", "minimum": min, "maximum": max});
    v["components"]["headers"] = json!({
        "X-RateLimit-Limit": {"description": "Requests a caller may make per minute (a user or client; an address when signed out)", "schema": int(0, 1_000_000)},
        "X-RateLimit-Remaining": {"description": "Requests the caller has left now", "schema": int(0, 1_000_000)},
        "X-RateLimit-Reset": {"description": "Seconds until the caller's quota is whole again (on `429`: until the next request is allowed)", "schema": int(0, 86_400)},
        "Retry-After": {"description": "Seconds to wait before retrying", "schema": int(1, 86_400)},
        "Cache-Control": {"description": "Always `no-store`: answers hold personal data and are never cached", "schema": {"type": "string", "enum": ["no-store"]}},
        "Cache-Control-Public": {"description": "Public answers without personal data: cacheable by anyone for five minutes, then revalidated with the `ETag`", "schema": {"type": "string", "enum": [crate::workflow::opportunities::PUBLIC_CACHE]}},
        "Access-Control-Allow-Origin": {"description": "Sent when the request's `Origin` is one the installation accepts (`CORS_ORIGINS`); absent otherwise", "schema": {"type": "string", "maxLength": 2048, "format": "uri"}},
    });
    let header = |name: &str| json!({"$ref": format!("#/components/headers/{name}")});
    let Some(paths) = v["paths"].as_object_mut() else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let counted = !UNLIMITED_PATHS.contains(&path.as_str());
        for op in item
            .as_object_mut()
            .into_iter()
            .flat_map(|o| o.values_mut())
        {
            let Some(responses) = op.get_mut("responses").and_then(|r| r.as_object_mut()) else {
                continue;
            };
            for (status, resp) in responses.iter_mut() {
                let headers = resp
                    .as_object_mut()
                    .map(|r| r.entry("headers").or_insert_with(|| json!({})));
                let Some(headers) = headers.and_then(|h| h.as_object_mut()) else {
                    continue;
                };
                if counted {
                    for name in [
                        "X-RateLimit-Limit",
                        "X-RateLimit-Remaining",
                        "X-RateLimit-Reset",
                    ] {
                        headers.insert(name.into(), header(name));
                    }
                }
                if status == "429" || status == "503" {
                    headers.insert("Retry-After".into(), header("Retry-After"));
                }
                let cache =
                    if is_public_cacheable(path) && (status.starts_with('2') || status == "304") {
                        json!({"$ref": "#/components/headers/Cache-Control-Public"})
                    } else {
                        header("Cache-Control")
                    };
                headers.insert("Cache-Control".into(), cache);
                headers.insert(
                    "Access-Control-Allow-Origin".into(),
                    header("Access-Control-Allow-Origin"),
                );
            }
        }
    }
}

/// Quotes the scalars a YAML 1.1 reader (PyYAML, many generators) would not keep as strings:
/// dates and times (`2026-11-22` → `'2026-11-22'`) and the old booleans (`off`, `yes`, `n` …
/// → `'off'`), so every reader sees the strings the JSON has.
pub fn quote_dates(yaml: &str) -> String {
    let prefix = r"^(\s*(?:- )*(?:[A-Za-z0-9_$.-]+: )?)";
    let (Ok(date), Ok(boolean)) = (
        regex::Regex::new(&format!(
            r"{prefix}(\d{{4}}-\d{{2}}-\d{{2}}(?:[Tt ]\d{{2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?(?:Z|[+-]\d{{2}}:\d{{2}})?)?)$"
        )),
        regex::Regex::new(&format!(
            r"{prefix}(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$"
        )),
    ) else {
        return yaml.to_string();
    };
    let mut out = String::with_capacity(yaml.len() + 256);
    for line in yaml.lines() {
        let line = date.replace(line, "$1'$2'");
        out.push_str(&boolean.replace(&line, "$1'$2'"));
        out.push('\n');
    }
    out
}

/// Bounds of every string, number and array (OWASP API4: unrestricted resource consumption).
/// What a client sends is bounded at its source — the input type's `#[schema]` and
/// `#[validate]` attributes, which the server enforces (a test lists any request value left
/// unbounded); what the server answers is bounded here by what it ever returns: ids 64
/// characters, names 200, texts 4000, pages `limit` items.
fn bounds(v: &mut Value) {
    let requests = request_schemas(v);
    if let Some(schemas) = v
        .pointer_mut("/components/schemas")
        .and_then(|s| s.as_object_mut())
    {
        for (name, schema) in schemas.iter_mut() {
            let page = name.starts_with("Page_");
            bound_schema(schema, "", requests.contains(name), page);
        }
    }
    let Some(paths) = v["paths"].as_object_mut() else {
        return;
    };
    for item in paths.values_mut() {
        for op in item
            .as_object_mut()
            .into_iter()
            .flat_map(|o| o.values_mut())
        {
            if let Some(params) = op.get_mut("parameters").and_then(|p| p.as_array_mut()) {
                for p in params {
                    let name = p["name"].as_str().unwrap_or_default().to_string();
                    let place = p["in"].as_str().unwrap_or_default().to_string();
                    let Some(s) = p.get_mut("schema") else {
                        continue;
                    };
                    if is_type(s, "string")
                        && s.get("maxLength").is_none()
                        && s.get("enum").is_none()
                    {
                        let max = match place.as_str() {
                            "path" => crate::params::PATH_ID_MAX_LEN,
                            "query" => crate::params::query_max_len(&name),
                            _ if name == "If-Match" => crate::params::IF_MATCH_MAX_LEN,
                            _ => 255,
                        };
                        s["maxLength"] = json!(max);
                    }
                }
            }
            if let Some(content) = op
                .pointer_mut("/requestBody/content")
                .and_then(|c| c.as_object_mut())
            {
                for media in content.values_mut() {
                    if let Some(schema) = media.get_mut("schema") {
                        bound_schema(schema, "", true, false);
                    }
                }
            }
            let Some(responses) = op.get_mut("responses").and_then(|r| r.as_object_mut()) else {
                continue;
            };
            for resp in responses.values_mut() {
                if let Some(content) = resp.get_mut("content").and_then(|c| c.as_object_mut()) {
                    for media in content.values_mut() {
                        if let Some(schema) = media.get_mut("schema") {
                            bound_schema(schema, "", false, false);
                        }
                    }
                }
                if let Some(headers) = resp.get_mut("headers").and_then(|h| h.as_object_mut()) {
                    for (name, h) in headers.iter_mut() {
                        let Some(s) = h.get_mut("schema") else {
                            continue;
                        };
                        if is_type(s, "string")
                            && s.get("maxLength").is_none()
                            && s.get("enum").is_none()
                        {
                            s["maxLength"] = json!(if name == "ETag" { 32 } else { 2048 });
                        }
                    }
                }
            }
        }
    }
}

/// The component schemas a request body reaches (directly or through other schemas).
fn request_schemas(v: &Value) -> std::collections::HashSet<String> {
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(o) => {
                if let Some(name) = ref_name(v) {
                    out.push(name.to_string());
                }
                o.values().for_each(|x| refs(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    let mut todo = Vec::new();
    for item in v["paths"].as_object().into_iter().flat_map(|p| p.values()) {
        for op in item.as_object().into_iter().flat_map(|o| o.values()) {
            refs(&op["requestBody"], &mut todo);
        }
    }
    let mut seen = std::collections::HashSet::new();
    while let Some(name) = todo.pop() {
        if seen.insert(name.clone()) {
            refs(&v["components"]["schemas"][&name], &mut todo);
        }
    }
    seen
}

fn is_type(s: &Value, t: &str) -> bool {
    match &s["type"] {
        Value::String(x) => x == t,
        Value::Array(a) => a.iter().any(|x| x == t),
        _ => false,
    }
}

/// Bounds one schema and what it contains; `request` schemas are left as declared (their
/// bounds must come from the input type, which the server enforces).
fn bound_schema(s: &mut Value, name: &str, request: bool, page: bool) {
    if !s.is_object() || s.get("$ref").is_some() {
        return;
    }
    // Bounds a request value has by its type, whoever sent it: a date or time longer than
    // these does not parse, an id longer than 64 characters is refused (`ids.rs`).
    let unbounded_string = |s: &Value| {
        is_type(s, "string")
            && ["maxLength", "enum", "const"]
                .iter()
                .all(|k| s.get(*k).is_none())
    };
    if request && unbounded_string(s) {
        let by_type = match s["format"].as_str() {
            // Checked by the use case, each name at once (`participants[2]`).
            _ if name == "participants" || name == "people" => {
                Some(sistema_lavoro_app::workflow::meetings::PARTICIPANT_MAX_LEN)
            }
            Some("date") => Some(10),
            Some("date-time") => Some(35),
            _ if name == "id" || name.ends_with("_id") || name.ends_with("_ids") => {
                Some(sistema_lavoro_domain::ids::MAX_LEN)
            }
            _ => None,
        };
        if let Some(max) = by_type {
            s["maxLength"] = json!(max);
        }
    }
    if !request {
        if is_type(s, "string")
            && ["maxLength", "enum", "const"]
                .iter()
                .all(|k| s.get(*k).is_none())
        {
            let max = match s["format"].as_str() {
                Some("date") => 10,
                Some("date-time") => 35,
                Some("email") => 254,
                Some("uri") | Some("uri-reference") => 2048,
                _ if name == "id" || name.ends_with("_id") || name == "next" => 64,
                _ if name.ends_with("name") || name == "title" || name == "code" => 200,
                _ => 4000,
            };
            s["maxLength"] = json!(max);
        }
        if is_type(s, "integer") {
            let format = s["format"].as_str().unwrap_or("int64").to_string();
            s["format"] = json!(format);
            let (lo, hi) = if format == "int32" {
                (i64::from(i32::MIN), i64::from(i32::MAX))
            } else {
                (i64::MIN, i64::MAX)
            };
            if s.get("minimum").is_none() {
                s["minimum"] = json!(lo);
            }
            if s.get("maximum").is_none() {
                s["maximum"] = json!(hi);
            }
        }
        if is_type(s, "number") {
            if s.get("format").is_none() {
                s["format"] = json!("double");
            }
            if s.get("minimum").is_none() {
                s["minimum"] = json!(-1e15);
            }
            if s.get("maximum").is_none() {
                s["maximum"] = json!(1e15);
            }
        }
        if is_type(s, "array") && s.get("maxItems").is_none() {
            s["maxItems"] = json!(if page && name == "items" {
                crate::params::PAGE_MAX_LIMIT
            } else {
                1000
            });
        }
    }
    if let Some(props) = s.get_mut("properties").and_then(|p| p.as_object_mut()) {
        for (k, p) in props.iter_mut() {
            bound_schema(p, k, request, page);
        }
    }
    if let Some(items) = s.get_mut("items") {
        bound_schema(items, name, request, false);
    }
    for k in ["oneOf", "anyOf", "allOf"] {
        if let Some(list) = s.get_mut(k).and_then(|l| l.as_array_mut()) {
            for x in list {
                bound_schema(x, name, request, page);
            }
        }
    }
    if let Some(extra) = s.get_mut("additionalProperties") {
        bound_schema(extra, name, request, false);
    }
}

#[cfg(test)]
mod yaml_tests {
    use crate::openapi::quote_dates;

    #[test]
    fn yaml_1_1_readers_keep_dates_and_old_booleans_as_strings() {
        let text = "a: 2026-11-22\nenum:\n- immediate\n- off\n- 'on'\nb: offline\nc: no\n";
        assert_eq!(
            quote_dates(text),
            "a: '2026-11-22'\nenum:\n- immediate\n- 'off'\n- 'on'\nb: offline\nc: 'no'\n"
        );
    }
}
