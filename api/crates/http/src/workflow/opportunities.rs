//! `/opportunities`: the board of the territory's opportunities — what members publish and,
//! from their own records, the open measures and granted projects — with matching on cases
//! and referrals and the proposals made to persons; `/public/opportunities…`: the same,
//! published items told without an account (JSON, RSS, iCalendar, flyers, the monthly
//! bulletin), cacheable by `ETag`.

use actix_web::http::header;
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use sistema_lavoro_app::workflow::opportunities::{
    self as wf, BoardFilter, MatchList, OpportunityInput, OpportunityOut, OpportunityPatch,
    OpportunityProposalInput, OpportunityProposalOut, ProposalAnswerInput, PublicOpportunity,
    PublicOpportunityList, WithdrawOpportunityInput, FEED_ITEMS,
};
use sistema_lavoro_app::workflow::opportunity_feeds as feeds;
use sistema_lavoro_app::workflow::Page;
use sistema_lavoro_domain::i18n::Lang;
use sistema_lavoro_domain::ids::{
    CaseId, DistrictId, OpportunityId, OpportunityProposalId, ReferralId,
};
use sistema_lavoro_domain::opportunities::{OpportunityKind, OpportunitySource, OpportunityStatus};
use sistema_lavoro_domain::responses::ResponseArea;
use sistema_lavoro_domain::vocabulary::{EmploymentStatus, TargetGroup};
use sistema_lavoro_domain::{text, Error};
use utoipa::IntoParams;

use super::documents::disposition;
use crate::extract::{
    Caller, Hidden, PageQuery, ReadCases, ReadOpportunities, ReadReferrals, ValidJson, WorkCases,
    WriteOpportunities,
};
use crate::params::{path_id, ValidQuery};
use crate::precondition::{IdempotencyKey, IfMatch, RequireIfMatch};
use crate::problem::{lang_of, ApiError};
use crate::respond::{Created, CreatedAt, Listed, Tagged};
use crate::AppState;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(read)
        .service(update)
        .service(publish)
        .service(withdraw)
        .service(case_matches)
        .service(referral_matches)
        .service(list_proposals)
        .service(propose)
        .service(answer)
        .service(public_list)
        .service(public_rss)
        .service(public_ics)
        .service(public_read)
        .service(public_flyer)
        .service(bulletin_pdf)
        .service(bulletin_html);
}

/// How public answers may be cached: by anyone, five minutes, then revalidated by `ETag`.
pub const PUBLIC_CACHE: &str = "public, max-age=300";

/// Filters of the board.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BoardParams {
    /// Only items of this source: `published`, `measure`, `project`.
    pub source: Option<OpportunitySource>,
    /// Only published opportunities of this kind.
    pub kind: Option<OpportunityKind>,
    /// Only this area.
    pub area: Option<ResponseArea>,
    /// Only this municipality (ISTAT code); measures and projects of its district stay.
    #[param(max_length = 6, pattern = "^[0-9]{6}$")]
    pub municipality: Option<String>,
    /// Open to a person of this age.
    #[param(minimum = 14, maximum = 100)]
    pub age: Option<i32>,
    /// Open to a person in this employment status.
    pub employment_status: Option<EmploymentStatus>,
    /// Open to a person of this group.
    pub target_group: Option<TargetGroup>,
}

/// The states of published opportunities a signed-in list holds.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatusParams {
    /// Only opportunities in this state (measures and projects count as `published`).
    pub status: Option<OpportunityStatus>,
}

/// Which district the public answers speak of.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DistrictParams {
    /// Only this district's (default: every district's).
    #[param(max_length = 64)]
    pub district_id: Option<String>,
}

fn age_ok(age: Option<i32>) -> Result<(), Error> {
    match age {
        Some(a) if !(14..=100).contains(&a) => Err(Error::validation(
            "age",
            "range",
            text!(
                "deve essere compreso tra 14 e 100",
                "must be between 14 and 100"
            ),
        )),
        _ => Ok(()),
    }
}

fn municipality_ok(m: &Option<String>) -> Result<(), Error> {
    match m {
        Some(m) if m.len() != 6 || !m.bytes().all(|b| b.is_ascii_digit()) => {
            Err(Error::validation(
                "municipality",
                "pattern",
                text!("un codice ISTAT è di 6 cifre", "an ISTAT code has 6 digits"),
            ))
        }
        _ => Ok(()),
    }
}

impl BoardParams {
    pub const NAMES: &'static [&'static str] = &[
        "source",
        "kind",
        "area",
        "municipality",
        "age",
        "employment_status",
        "target_group",
    ];

    pub fn filter(&self) -> Result<BoardFilter, Error> {
        age_ok(self.age)?;
        municipality_ok(&self.municipality)?;
        Ok(BoardFilter {
            source: self.source,
            kind: self.kind,
            area: self.area,
            municipality: self.municipality.clone(),
            age: self.age,
            employment_status: self.employment_status,
            target_group: self.target_group,
        })
    }
}

fn district_of(p: &DistrictParams) -> Result<Option<DistrictId>, Error> {
    match &p.district_id {
        Some(d) if d.chars().count() > 64 => Err(Error::validation(
            "district_id",
            "length",
            text!(
                "deve avere al massimo 64 caratteri",
                "must be at most 64 characters"
            ),
        )),
        Some(d) => Ok(Some(DistrictId::from(d.as_str()))),
        None => Ok(None),
    }
}

// ------------------------------------------------------------------- signed in

/// The district's opportunity board, sorted by id.
///
/// Every role of the district (clients with `opportunities:read`): published opportunities of
/// members — with, for the coordinator and the publishing organization, drafts, expired and
/// withdrawn ones — beside the catalogue's open measures and the granted projects, each from
/// its own record with its text for operators (`for_operators`) and who it is for (`who_for`).
#[utoipa::path(tag = "opportunities", operation_id = "opportunities_list",
    params(PageQuery, BoardParams, StatusParams),
    responses((status = 200, body = Page<OpportunityOut>)),
    security(("bearer" = []), ("client_credentials" = ["opportunities:read"])))]
#[get("/opportunities")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller<ReadOpportunities>,
    pq: ValidQuery<PageQuery>,
    q: ValidQuery<BoardParams>,
    s: ValidQuery<StatusParams>,
) -> Result<Listed<OpportunityOut>, ApiError> {
    let page = pq.request()?;
    let filter = q.filter()?;
    let status: Vec<OpportunityStatus> = s.status.into_iter().collect();
    Ok(Listed(
        state
            .run(caller, move |conn, cx| {
                wf::list(conn, cx, &filter, &status, &page)
            })
            .await?,
    ))
}

/// Write an opportunity (a draft, or published at once with `publish: true`).
///
/// The users of a member organization (an active member of one of the district's networks)
/// for their own organization, and its `opportunities:write` clients; the coordinator for any
/// organization of the district. `422` naming the field for dates out of order, an unknown
/// municipality, a shared response of another district or on a kind other than `service`, and
/// — to publish — a missing `how_to_apply` or `contact` or a deadline passed.
#[utoipa::path(tag = "opportunities", operation_id = "opportunities_create",
    request_body = OpportunityInput, params(IdempotencyKey),
    responses((status = 201, body = OpportunityOut)),
    security(("bearer" = []), ("client_credentials" = ["opportunities:write"])))]
#[post("/opportunities")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller<WriteOpportunities>,
    body: ValidJson<OpportunityInput>,
) -> Result<Created<OpportunityOut>, ApiError> {
    let o = state
        .run(caller, move |conn, cx| wf::create(conn, cx, body.0))
        .await?;
    Ok(Created(
        format!("/api/v1/opportunities/{}", o.opportunity.id),
        o,
    ))
}

/// One item of the board: a published opportunity, a measure or a project, by its id.
///
/// Drafts, expired and withdrawn ones only for the coordinator and the publisher; `404`
/// otherwise, and for items of another district.
#[utoipa::path(tag = "opportunities", operation_id = "opportunities_read",
    params(("id" = String, Path, description = "Opportunity, measure or project id")),
    responses((status = 200, body = OpportunityOut)),
    security(("bearer" = []), ("client_credentials" = ["opportunities:read"])))]
#[get("/opportunities/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadOpportunities>>,
    id: web::Path<String>,
) -> Result<Tagged<OpportunityOut>, ApiError> {
    let id = path_id::<String>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| wf::read(conn, cx, &id))
            .await?,
    ))
}

/// Correct a draft or published opportunity.
///
/// JSON Merge Patch with `If-Match`; its publisher or the coordinator. A published one keeps
/// what publishing asks (how to apply, a contact, a deadline not passed). Measures and
/// projects are edited in the catalogue and in `/projects` (`404` here).
#[utoipa::path(tag = "opportunities", operation_id = "opportunities_update",
    request_body = OpportunityPatch,
    params(("id" = String, Path, description = "Opportunity id"), RequireIfMatch),
    responses((status = 200, body = OpportunityOut)),
    security(("bearer" = []), ("client_credentials" = ["opportunities:write"])))]
#[patch("/opportunities/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller<WriteOpportunities>,
    id: web::Path<String>,
    body: ValidJson<OpportunityPatch>,
    im: RequireIfMatch,
) -> Result<Tagged<OpportunityOut>, ApiError> {
    let id = path_id::<OpportunityId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::update(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

/// Publish a draft (`draft → published`).
///
/// Its publisher or the coordinator; `422` when how to apply or a contact is missing or the
/// deadline has passed; `409` from any other state.
#[utoipa::path(tag = "opportunities", operation_id = "opportunities_publish",
    params(("id" = String, Path, description = "Opportunity id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = OpportunityOut)),
    security(("bearer" = []), ("client_credentials" = ["opportunities:write"])))]
#[post("/opportunities/{id}/publish")]
pub async fn publish(
    state: web::Data<AppState>,
    caller: Caller<WriteOpportunities>,
    id: web::Path<String>,
    im: IfMatch,
) -> Result<Tagged<OpportunityOut>, ApiError> {
    let id = path_id::<OpportunityId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| wf::publish(conn, cx, &id, &im.0))
            .await?,
    ))
}

/// Withdraw a published opportunity (`published → withdrawn`), with the reason.
///
/// The coordinator (Ufficio di Piano) only; the reason is kept and shown to the publisher.
#[utoipa::path(tag = "opportunities", operation_id = "opportunities_withdraw",
    request_body = WithdrawOpportunityInput,
    params(("id" = String, Path, description = "Opportunity id"), IfMatch, IdempotencyKey),
    responses((status = 200, body = OpportunityOut)),
    security(("bearer" = [])))]
#[post("/opportunities/{id}/withdraw")]
pub async fn withdraw(
    state: web::Data<AppState>,
    caller: Caller<WriteOpportunities>,
    id: web::Path<String>,
    body: ValidJson<WithdrawOpportunityInput>,
    im: IfMatch,
) -> Result<Tagged<OpportunityOut>, ApiError> {
    let id = path_id::<OpportunityId>("id", id.into_inner())?;
    Ok(Tagged(
        state
            .run(caller, move |conn, cx| {
                wf::withdraw(conn, cx, &id, &im.0, body.0)
            })
            .await?,
    ))
}

/// Whether to list the items that do not fit too.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MatchParams {
    /// `true`: every open item, the unfit ones with the rules not met (default: those that fit).
    pub all: Option<bool>,
}

/// The opportunities that fit the person of a case, with the reasons.
///
/// The same eligibility engine as the measures, over the board's open items of the case's
/// district; fitting first, then by closing date. Whoever reads the case; the special
/// categories the caller may not see are left out of the check.
#[utoipa::path(tag = "opportunities", operation_id = "cases_opportunities",
    params(("id" = String, Path, description = "Case id"), MatchParams),
    responses((status = 200, body = MatchList)),
    security(("bearer" = []), ("client_credentials" = ["cases:read"])))]
#[get("/cases/{id}/opportunities")]
pub async fn case_matches(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadCases>>,
    id: web::Path<String>,
    q: ValidQuery<MatchParams>,
) -> Result<web::Json<MatchList>, ApiError> {
    let id = path_id::<CaseId>("id", id.into_inner())?;
    let all = q.all.unwrap_or(false);
    Ok(web::Json(
        state
            .run(caller, move |conn, cx| wf::for_case(conn, cx, &id, all))
            .await?,
    ))
}

/// The opportunities that fit the person of a referral, with the reasons.
///
/// As for a case, for whoever reads the referral.
#[utoipa::path(tag = "opportunities", operation_id = "referrals_opportunities",
    params(("id" = String, Path, description = "Referral id"), MatchParams),
    responses((status = 200, body = MatchList)),
    security(("bearer" = []), ("client_credentials" = ["referrals:read"])))]
#[get("/referrals/{id}/opportunities")]
pub async fn referral_matches(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadReferrals>>,
    id: web::Path<String>,
    q: ValidQuery<MatchParams>,
) -> Result<web::Json<MatchList>, ApiError> {
    let id = path_id::<ReferralId>("id", id.into_inner())?;
    let all = q.all.unwrap_or(false);
    Ok(web::Json(
        state
            .run(caller, move |conn, cx| wf::for_referral(conn, cx, &id, all))
            .await?,
    ))
}

/// The opportunities proposed on a case, with answers and results, by id.
///
/// Whoever reads the case (the agency following it, the coordinator; clients with
/// `cases:read`); `404` otherwise.
#[utoipa::path(tag = "opportunities", operation_id = "cases_opportunity_proposals",
    params(("id" = String, Path, description = "Case id"), PageQuery),
    responses((status = 200, body = Page<OpportunityProposalOut>)),
    security(("bearer" = []), ("client_credentials" = ["cases:read"])))]
#[get("/cases/{id}/opportunity-proposals")]
pub async fn list_proposals(
    state: web::Data<AppState>,
    caller: Caller<Hidden<ReadCases>>,
    id: web::Path<String>,
    pq: ValidQuery<PageQuery>,
) -> Result<Listed<OpportunityProposalOut>, ApiError> {
    let id = path_id::<CaseId>("id", id.into_inner())?;
    let page = pq.request()?;
    Ok(Listed(
        state
            .run(caller, move |conn, cx| wf::proposals(conn, cx, &id, &page))
            .await?,
    ))
}

/// Propose an opportunity of the board to the person of an open case.
///
/// Whoever works the case (the agency; `cases:write` clients); the item must be open today in
/// the case's district (`422 unknown` otherwise); once per case (`409 duplicate` with
/// `existing_id`). The case's timeline shows it.
#[utoipa::path(tag = "opportunities", operation_id = "cases_propose_opportunity",
    request_body = OpportunityProposalInput,
    params(("id" = String, Path, description = "Case id"), IdempotencyKey),
    responses((status = 201, body = OpportunityProposalOut)),
    security(("bearer" = []), ("client_credentials" = ["cases:write"])))]
#[post("/cases/{id}/opportunity-proposals")]
pub async fn propose(
    state: web::Data<AppState>,
    caller: Caller<WorkCases>,
    id: web::Path<String>,
    body: ValidJson<OpportunityProposalInput>,
) -> Result<CreatedAt<OpportunityProposalOut>, ApiError> {
    let id = path_id::<CaseId>("id", id.into_inner())?;
    let p = state
        .run(caller, move |conn, cx| wf::propose(conn, cx, &id, body.0))
        .await?;
    Ok(CreatedAt(
        format!("/api/v1/cases/{}/opportunity-proposals", p.case_id),
        p,
    ))
}

/// Record the person's answer to a proposal (`accepted`, `declined`, `no_answer`) and the
/// result.
///
/// Whoever works the case; again when it changes (each answer stays in the timeline).
#[utoipa::path(tag = "opportunities", operation_id = "opportunity_proposals_answer",
    request_body = ProposalAnswerInput,
    params(("id" = String, Path, description = "Proposal id"), IdempotencyKey),
    responses((status = 200, body = OpportunityProposalOut)),
    security(("bearer" = []), ("client_credentials" = ["cases:write"])))]
#[post("/opportunity-proposals/{id}/answer")]
pub async fn answer(
    state: web::Data<AppState>,
    caller: Caller<WorkCases>,
    id: web::Path<String>,
    body: ValidJson<ProposalAnswerInput>,
) -> Result<web::Json<OpportunityProposalOut>, ApiError> {
    let id = path_id::<OpportunityProposalId>("id", id.into_inner())?;
    Ok(web::Json(
        state
            .run(caller, move |conn, cx| wf::answer(conn, cx, &id, body.0))
            .await?,
    ))
}

// ---------------------------------------------------------------------- public

/// A public answer: its bytes, a strong `ETag` from them, cacheable for five minutes; `304`
/// when the caller already holds this version (`If-None-Match`).
fn cacheable(
    req: &HttpRequest,
    content_type: &str,
    body: Vec<u8>,
    file: Option<&str>,
) -> HttpResponse {
    let digest = Sha256::digest(&body);
    let etag = format!("\"{}\"", hex::encode(&digest[..12]));
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .map(|t| t.trim().trim_start_matches("W/"))
                .any(|t| t == etag || t == "*")
        });
    let mut res = if matches {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    res.insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, PUBLIC_CACHE))
        .insert_header(("X-Content-Type-Options", "nosniff"));
    if let Some(f) = file {
        res.insert_header((header::CONTENT_DISPOSITION, disposition(f)));
    }
    if matches {
        return res.finish();
    }
    res.insert_header((header::CONTENT_TYPE, content_type.to_string()))
        .body(body)
}

/// The items a public list or feed carries, from its query (`422` in the caller's language).
async fn feed_items(
    state: &AppState,
    lang: Lang,
    d: &DistrictParams,
    q: &BoardParams,
) -> Result<Vec<PublicOpportunity>, ApiError> {
    let district = district_of(d).map_err(|e| ApiError::new(e, lang))?;
    let filter = q.filter().map_err(|e| ApiError::new(e, lang))?;
    recent(state, lang, district, filter).await
}

async fn recent(
    state: &AppState,
    lang: Lang,
    district: Option<DistrictId>,
    filter: BoardFilter,
) -> Result<Vec<PublicOpportunity>, ApiError> {
    state
        .public_in(lang, move |conn, now| {
            wf::recent(
                conn,
                district.as_ref(),
                &filter,
                now.today,
                lang,
                FEED_ITEMS,
            )
        })
        .await
}

/// The published opportunities of the territory, newest first (at most 100; no sign-in).
///
/// Members' published opportunities still open, the catalogue's open measures and the granted
/// projects, of every district or of `district_id`, filterable by area, municipality and who
/// they are for. No personal data; cacheable (`ETag`, `If-None-Match` → `304`).
#[utoipa::path(tag = "opportunities", operation_id = "public_opportunities",
    params(DistrictParams, BoardParams),
    responses((status = 200, body = PublicOpportunityList,
            headers(("ETag" = String, description = "The version of this answer, for `If-None-Match`"))),
        (status = 304, description = "Not modified: the `ETag` sent is current")),
    security(()))]
#[get("/public/opportunities")]
pub async fn public_list(
    state: web::Data<AppState>,
    req: HttpRequest,
    d: ValidQuery<DistrictParams>,
    q: ValidQuery<BoardParams>,
) -> Result<HttpResponse, ApiError> {
    let lang = lang_of(&req);
    let items = feed_items(&state, lang, &d, &q).await?;
    let body = serde_json::to_vec(&PublicOpportunityList { items })
        .map_err(|e| ApiError::new(Error::Internal(e.to_string()), lang))?;
    Ok(cacheable(&req, "application/json", body, None))
}

fn self_path(req: &HttpRequest) -> String {
    match req.query_string() {
        "" => req.path().to_string(),
        q => format!("{}?{q}", req.path()),
    }
}

/// The same items as an RSS 2.0 feed (no sign-in; at most 100, newest first).
///
/// Each item links to the public page of the opportunity; the same filters as the JSON list.
/// No personal data; cacheable (`ETag`, `If-None-Match` → `304`).
#[utoipa::path(tag = "opportunities", operation_id = "public_opportunities_rss",
    params(DistrictParams, BoardParams),
    responses((status = 200, description = "RSS 2.0", body = String, content_type = "application/rss+xml",
            headers(("ETag" = String, description = "The version of this answer, for `If-None-Match`"))),
        (status = 304, description = "Not modified: the `ETag` sent is current")),
    security(()))]
#[get("/public/opportunities.rss")]
pub async fn public_rss(
    state: web::Data<AppState>,
    req: HttpRequest,
    d: ValidQuery<DistrictParams>,
    q: ValidQuery<BoardParams>,
) -> Result<HttpResponse, ApiError> {
    let lang = lang_of(&req);
    let items = feed_items(&state, lang, &d, &q).await?;
    let xml = feeds::rss(&items, &state.config.public_url, &self_path(&req), lang);
    Ok(cacheable(
        &req,
        "application/rss+xml; charset=utf-8",
        xml.into_bytes(),
        None,
    ))
}

/// Events and deadlines to apply as an iCalendar feed (no sign-in).
///
/// Each event on its days and each deadline to apply as an all-day entry ("Scadenza: …"), to
/// subscribe to from any calendar; the same filters as the JSON list; cacheable by `ETag`.
#[utoipa::path(tag = "opportunities", operation_id = "public_opportunities_ics",
    params(DistrictParams, BoardParams),
    responses((status = 200, description = "iCalendar (RFC 5545)", body = String, content_type = "text/calendar",
            headers(("ETag" = String, description = "The version of this answer, for `If-None-Match`"))),
        (status = 304, description = "Not modified: the `ETag` sent is current")),
    security(()))]
#[get("/public/opportunities.ics")]
pub async fn public_ics(
    state: web::Data<AppState>,
    req: HttpRequest,
    d: ValidQuery<DistrictParams>,
    q: ValidQuery<BoardParams>,
) -> Result<HttpResponse, ApiError> {
    let lang = lang_of(&req);
    let items = feed_items(&state, lang, &d, &q).await?;
    Ok(cacheable(
        &req,
        "text/calendar; charset=utf-8",
        feeds::ical(&items, lang).into_bytes(),
        Some("opportunita.ics"),
    ))
}

/// One published item (no sign-in).
///
/// A published opportunity still open, an open measure or a granted project; `404` for
/// drafts, expired and withdrawn ones. Cacheable by `ETag`.
#[utoipa::path(tag = "opportunities", operation_id = "public_opportunity",
    params(("id" = String, Path, description = "Opportunity, measure or project id")),
    responses((status = 200, body = PublicOpportunity,
            headers(("ETag" = String, description = "The version of this answer, for `If-None-Match`"))),
        (status = 304, description = "Not modified: the `ETag` sent is current")),
    security(()))]
#[get("/public/opportunities/{id}")]
pub async fn public_read(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let lang = lang_of(&req);
    let id = path_id::<String>("id", id.into_inner()).map_err(|e| ApiError::new(e, lang))?;
    let o = state
        .public_in(lang, move |conn, now| {
            wf::public_item(conn, &id, now.today, lang)
        })
        .await?;
    let body =
        serde_json::to_vec(&o).map_err(|e| ApiError::new(Error::Internal(e.to_string()), lang))?;
    Ok(cacheable(&req, "application/json", body, None))
}

/// A published item's one-page flyer (PDF, A4; no sign-in).
///
/// What it offers, for whom, when, where, how to apply and the contact, to print or share;
/// its language follows `Accept-Language`. `404` as for the item.
#[utoipa::path(tag = "opportunities", operation_id = "public_opportunity_flyer",
    params(("id" = String, Path, description = "Opportunity, measure or project id")),
    responses((status = 200, description = "The flyer", body = String, content_type = "application/pdf",
            headers(("ETag" = String, description = "The version of this answer, for `If-None-Match`"))),
        (status = 304, description = "Not modified: the `ETag` sent is current")),
    security(()))]
#[get("/public/opportunities/{id}/flyer.pdf")]
pub async fn public_flyer(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let lang = lang_of(&req);
    let id = path_id::<String>("id", id.into_inner()).map_err(|e| ApiError::new(e, lang))?;
    let o = state
        .public_in(lang, move |conn, now| {
            wf::public_item(conn, &id, now.today, lang)
        })
        .await?;
    let pdf = feeds::flyer(&o, lang);
    Ok(cacheable(
        &req,
        "application/pdf",
        pdf,
        Some("volantino.pdf"),
    ))
}

/// Which month's bulletin.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BulletinParams {
    /// `YYYY-MM` (default: this month).
    #[param(
        max_length = 7,
        pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$",
        example = "2026-12"
    )]
    pub month: Option<String>,
    /// Only this district's (default: every district's).
    #[param(max_length = 64)]
    pub district_id: Option<String>,
}

fn month_of(raw: Option<&str>, today: NaiveDate) -> Result<NaiveDate, Error> {
    let Some(raw) = raw else {
        return NaiveDate::from_ymd_opt(
            chrono::Datelike::year(&today),
            chrono::Datelike::month(&today),
            1,
        )
        .ok_or_else(|| Error::Internal("no first of the month".into()));
    };
    let bad = || {
        Error::validation(
            "month",
            "pattern",
            text!(
                "un mese si scrive AAAA-MM, per esempio 2026-12",
                "a month reads YYYY-MM, e.g. 2026-12"
            ),
        )
    };
    if raw.len() != 7 || raw.as_bytes().get(4) != Some(&b'-') {
        return Err(bad());
    }
    NaiveDate::parse_from_str(&format!("{raw}-01"), "%Y-%m-%d").map_err(|_| bad())
}

async fn bulletin_items(
    state: &AppState,
    lang: Lang,
    q: &BulletinParams,
) -> Result<(NaiveDate, Option<String>, Vec<PublicOpportunity>), ApiError> {
    let district = district_of(&DistrictParams {
        district_id: q.district_id.clone(),
    })
    .map_err(|e| ApiError::new(e, lang))?;
    let raw = q.month.clone();
    state
        .public_in(lang, move |conn, now| {
            let month = month_of(raw.as_deref(), now.today)?;
            let name = match &district {
                Some(d) => match sistema_lavoro_store::districts::District::find(conn, d) {
                    Ok(d) => Some(d.name),
                    Err(Error::NotFound) => {
                        return Err(Error::validation(
                            "district_id",
                            "unknown",
                            text!(
                                "nessun Ambito ha questo identificativo",
                                "no district has this id"
                            ),
                        ))
                    }
                    Err(e) => return Err(e),
                },
                None => None,
            };
            let items = wf::recent(
                conn,
                district.as_ref(),
                &BoardFilter::default(),
                now.today,
                lang,
                FEED_ITEMS,
            )?;
            Ok((month, name, items))
        })
        .await
}

/// The monthly bulletin as a PDF (no sign-in).
///
/// What was published in the month and what closes in it, of every district or of
/// `district_id`; `422` naming `month` when it is not `YYYY-MM`.
#[utoipa::path(tag = "opportunities", operation_id = "public_bulletin_pdf",
    params(BulletinParams),
    responses((status = 200, description = "The bulletin", body = String, content_type = "application/pdf",
            headers(("ETag" = String, description = "The version of this answer, for `If-None-Match`"))),
        (status = 304, description = "Not modified: the `ETag` sent is current")),
    security(()))]
#[get("/public/bulletin.pdf")]
pub async fn bulletin_pdf(
    state: web::Data<AppState>,
    req: HttpRequest,
    q: ValidQuery<BulletinParams>,
) -> Result<HttpResponse, ApiError> {
    let lang = lang_of(&req);
    let (month, name, items) = bulletin_items(&state, lang, &q).await?;
    let b = feeds::bulletin(&items, month, name.as_deref());
    let file = format!("bollettino-{}.pdf", month.format("%Y-%m"));
    Ok(cacheable(&req, "application/pdf", b.pdf(lang), Some(&file)))
}

/// The monthly bulletin as a web page (no sign-in).
///
/// The same content as the PDF, as a standalone page without scripts or outside resources, to
/// read, print or forward.
#[utoipa::path(tag = "opportunities", operation_id = "public_bulletin_html",
    params(BulletinParams),
    responses((status = 200, description = "The bulletin", body = String, content_type = "text/html",
            headers(("ETag" = String, description = "The version of this answer, for `If-None-Match`"))),
        (status = 304, description = "Not modified: the `ETag` sent is current")),
    security(()))]
#[get("/public/bulletin.html")]
pub async fn bulletin_html(
    state: web::Data<AppState>,
    req: HttpRequest,
    q: ValidQuery<BulletinParams>,
) -> Result<HttpResponse, ApiError> {
    let lang = lang_of(&req);
    let (month, name, items) = bulletin_items(&state, lang, &q).await?;
    let b = feeds::bulletin(&items, month, name.as_deref());
    let mut res = cacheable(
        &req,
        "text/html; charset=utf-8",
        b.html(lang).into_bytes(),
        None,
    );
    // The page runs nothing and loads nothing: its own inline style only.
    res.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
    );
    Ok(res)
}
