//! Extractors: the caller (token claims, checked against the route's [`Permit`] before
//! anything else), the caller's language, validated JSON bodies with their limit, pagination.
//!
//! The token is only verified here (signature, expiry, role, scope: no I/O); that its grant
//! still holds is confirmed by [`crate::state::AppState::run`] on the connection the use case then
//! uses — one pool checkout and one blocking hop per request.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::{web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use sistema_lavoro_app::security::{JwtKeys, TokenError};
use sistema_lavoro_app::workflow::PageRequest;
use sistema_lavoro_domain::i18n::Lang;
use sistema_lavoro_domain::{text, Actor, Error, ErrorCode, FieldError, Role, Scope};
use utoipa::IntoParams;
use validator::Validate;

use super::problem::{flatten_validation, serde_text, ApiError};

/// Largest request body accepted anywhere; each body type has its own, lower one
/// ([`Body::LIMIT`]), published as the `413` response of the operations that take it.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// A JSON request body: parsed, validated, and refused past its own size.
pub trait Body: DeserializeOwned + Validate {
    /// The largest body accepted: well above the longest valid one, even with every text
    /// at its maximum length written as JSON `\u` escapes.
    const LIMIT: usize;
}

/// Declares the body types and their limits, and the table the OpenAPI document reads.
macro_rules! bodies {
    ($($limit:expr => [$($ty:path),+ $(,)?]),+ $(,)?) => {
        $($(impl Body for $ty { const LIMIT: usize = $limit; })+)+

        /// The body limit of a request schema, by its name in the OpenAPI document.
        pub fn limit_of_schema(name: &str) -> Option<usize> {
            $($(
                if name == <$ty as utoipa::ToSchema>::name() {
                    return Some($limit);
                }
            )+)+
            None
        }
    };
}

use sistema_lavoro_app::{admin, integration, notifications, sessions, workflow as wf};

bodies! {
    // Credentials and refresh tokens only.
    8 * 1024 => [sessions::LoginRequest, sessions::RefreshRequest, integration::clients::TokenRequest],
    // Names, e-mail addresses, scopes.
    16 * 1024 => [admin::CreateUser, admin::UpdateUser, integration::clients::ClientInput],
    // A URL of up to 2000 characters and a list of event types.
    32 * 1024 => [integration::webhooks::SubscriptionInput],
    // Eight kinds, each with a mode.
    4 * 1024 => [notifications::inbox::Preferences],
    // Districts: up to 500 ISTAT codes.
    64 * 1024 => [admin::CreateDistrict, admin::UpdateDistrict, wf::catalogue::DistrictMunicipalities],
    // Persons, referrals, cases, activations, catalogue, organizations: texts of up to 4000
    // characters.
    128 * 1024 => [
        admin::CreateOrganization, admin::UpdateOrganization,
        wf::persons::PersonInput, wf::persons::PersonPatch,
        wf::referrals::ReferralInput, wf::referrals::ReferralPatch, wf::referrals::ActionNote,
        wf::cases::TakeChargeInput, wf::cases::ReasonInput, wf::cases::OptionalReason,
        wf::cases::CloseInput, wf::cases::FollowUpInput, wf::cases::OutcomeCheckInput,
        wf::activations::ActivationInput, wf::activations::ActivationPatch,
        wf::activations::SettleInput,
        wf::catalogue::MeasureInput, wf::catalogue::MeasurePatch, wf::catalogue::EligibilityDraft,
        wf::catalogue::ThresholdInput, wf::catalogue::ThresholdPatch,
    ],
    // Meetings: up to 100 participants, agenda decisions with reasons; the service pact: its
    // texts and up to 30 actions.
    // Networks: names, purposes and reasons of up to 4000 characters.
    64 * 1024 => [
        wf::networks::NetworkInput, wf::networks::NetworkPatch, wf::networks::MemberInput,
        wf::networks::WithdrawInput, wf::networks::ResourceInput,
        wf::meetings::network::ActionItemInput, wf::meetings::network::ActionItemPatch,
    ],
    // Collective actions: a title, a description of up to 4000 characters, dates; ids.
    32 * 1024 => [
        wf::collective::CollectiveActionInput, wf::collective::CollectiveActionPatch,
        wf::collective::ParticipantInput, wf::collective::EmployerInput,
        wf::collective::BeneficiaryInput,
    ],
    // Plans: titles and texts of up to 4000 characters, up to 12 axes and 20 indicators.
    128 * 1024 => [
        wf::plans::PlanInput, wf::plans::PlanPatch, wf::plans::ApproveInput, wf::plans::AxisInput,
        wf::plans::PlanActionInput, wf::plans::PlanActionPatch,
    ],
    // Projects: texts of up to 4000 characters, up to 50 partners and actions, 20 thresholds.
    128 * 1024 => [
        wf::projects::ProjectInput, wf::projects::ProjectPatch, wf::projects::SubmitInput,
        wf::projects::GrantInput, wf::projects::RejectInput, wf::projects::ProjectMeasureInput,
    ],
    // Requests to join (a message of up to 2000 characters), their decision; agreements.
    32 * 1024 => [
        wf::join_requests::JoinRequestInput, wf::join_requests::AcceptJoinInput,
        wf::join_requests::DeclineJoinInput,
        wf::agreements::AgreementInput, wf::agreements::AgreementPatch,
        wf::agreements::SignInput, wf::agreements::TerminateInput,
    ],
    // Working groups (a purpose of up to 4000 characters), shared responses (texts of up to
    // 4000 and 2000 characters), proposals on cases.
    64 * 1024 => [
        wf::responses::WorkingGroupInput, wf::responses::WorkingGroupPatch,
        wf::responses::GroupMemberInput, wf::responses::LeaveGroupInput,
        wf::responses::SharedResponseInput, wf::responses::SharedResponsePatch,
        wf::responses::ProposalInput,
    ],
    // Opportunities: a description of up to 4000 characters and texts of up to 2000; proposals
    // and answers on cases.
    64 * 1024 => [
        wf::opportunities::OpportunityInput, wf::opportunities::OpportunityPatch,
        wf::opportunities::WithdrawOpportunityInput, wf::opportunities::OpportunityProposalInput,
        wf::opportunities::ProposalAnswerInput,
    ],
    // Privacy notices: a text of up to 20,000 characters; notices given and consents: ids.
    128 * 1024 => [wf::privacy::NoticeInput],
    8 * 1024 => [wf::privacy::ConsentInput, wf::privacy::WithdrawConsentInput],
    // An export: a list, a format and its filters (ids, codes, dates, a search).
    16 * 1024 => [sistema_lavoro_app::exports::ExportInput],
    // The registers of processing and of breaches: texts of up to 4000 characters.
    64 * 1024 => [
        wf::privacy_registers::ActivityNotePatch, wf::privacy_registers::BreachInput,
        wf::privacy_registers::BreachPatch,
    ],
    // Restriction and anonymisation: a legal ground and a reason of up to 2000 characters.
    16 * 1024 => [
        wf::erasure::RestrictionInput, wf::erasure::AnonymisationInput,
        wf::erasure::AnonymisationDecisionInput,
    ],
    MAX_BODY_BYTES => [
        wf::service_pact::ServicePactInput,
        wf::meetings::MeetingInput, wf::meetings::MeetingPatch,
        wf::meetings::agenda::AgendaInput, wf::meetings::decisions::DecisionInput,
    ],
}

/// Whether (and with which scope) integration clients may call an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clients {
    /// Never: people only.
    Never,
    /// With any granted scope (reference data: catalogue, organizations, places, who am I).
    AnyScope,
    /// With this scope.
    Scope(Scope),
}

/// Who may call an operation: people by role, integration clients by scope. Declared by
/// each route's extractor type, checked on the token's claims before the body is read.
pub trait Permit {
    const ROLES: &'static [Role];
    const CLIENTS: Clients;
    /// A person whose role is not admitted is told the record does not exist (`404`) rather
    /// than forbidden: reads of single records that role never sees.
    const HIDES: bool = false;
}

/// `P` for a single record's read: other roles get `404`, as for any record they may not see.
#[derive(Debug)]
pub struct Hidden<P>(PhantomData<P>);

impl<P: Permit> Permit for Hidden<P> {
    const ROLES: &'static [Role] = P::ROLES;
    const CLIENTS: Clients = P::CLIENTS;
    const HIDES: bool = true;
}

macro_rules! permits {
    ($($(#[$m:meta])* $name:ident: [$($role:ident),*], $clients:expr;)+) => {$(
        $(#[$m])*
        #[derive(Debug)]
        pub struct $name;
        impl Permit for $name {
            const ROLES: &'static [Role] = &[$(Role::$role),*];
            const CLIENTS: Clients = $clients;
        }
    )+};
}

permits! {
    /// Anyone signed in; clients with any scope.
    Anyone: [Admin, Coordinator, Referrer, AgencyOperator, Observer, NetworkCoordinator, PrivacyOfficer], Clients::AnyScope;
    /// Anyone signed in; no clients.
    People: [Admin, Coordinator, Referrer, AgencyOperator, Observer, NetworkCoordinator, PrivacyOfficer], Clients::Never;
    /// The administrator.
    AdminOnly: [Admin], Clients::Never;
    /// The administrator or a coordinator.
    AdminOrCoordinator: [Admin, Coordinator], Clients::Never;
    /// The coordinator (Ufficio di Piano): the table, the catalogue, thresholds.
    CoordinatorOnly: [Coordinator], Clients::Never;
    /// Observatory and coordinator: reports.
    Figures: [Observer, Coordinator], Clients::Never;
    /// Who reads the catalogue: everyone working in a district.
    CatalogueReaders: [Coordinator, Referrer, AgencyOperator, Observer], Clients::AnyScope;
    /// Who reads thresholds.
    ThresholdReaders: [Coordinator, AgencyOperator], Clients::AnyScope;
    /// Who reads referrals.
    ReadReferrals: [Coordinator, Referrer], Clients::Scope(Scope::ReferralsRead);
    /// Who writes and sends referrals.
    WriteReferrals: [Referrer], Clients::Scope(Scope::ReferralsWrite);
    /// Who creates referrals: referrers, and the coordinator recording one on behalf of a service.
    CreateReferrals: [Referrer, Coordinator], Clients::Scope(Scope::ReferralsWrite);
    /// Who reads persons.
    ReadPersons: [Coordinator, Referrer, AgencyOperator], Clients::Scope(Scope::ReferralsRead);
    /// Who registers and corrects persons.
    WritePersons: [Coordinator, Referrer, AgencyOperator], Clients::Scope(Scope::ReferralsWrite);
    /// Who reads cases and their measures.
    ReadCases: [Coordinator, AgencyOperator], Clients::Scope(Scope::CasesRead);
    /// Who works on cases and their measures.
    WorkCases: [Coordinator, AgencyOperator], Clients::Scope(Scope::CasesWrite);
    /// Who attaches documents to referrals and cases (the policy decides on which record;
    /// clients need the write scope of the record).
    AttachDocuments: [Coordinator, Referrer, AgencyOperator, NetworkCoordinator], Clients::AnyScope;
    /// Who reads documents (as the record they are attached to; clients need its read scope).
    ReadDocuments: [Coordinator, Referrer, AgencyOperator, NetworkCoordinator], Clients::AnyScope;
    /// Who manages webhooks: administrator, coordinator, clients with the scope.
    ManageWebhooks: [Admin, Coordinator], Clients::Scope(Scope::WebhooksManage);
    /// Who reads networks (the policy decides which: coordinated, member of, or figures only).
    ReadNetworks: [Coordinator, NetworkCoordinator, Referrer, AgencyOperator, Observer], Clients::Scope(Scope::NetworksRead);
    /// Who changes networks (the policy decides which: managers, or members pledging their own).
    WriteNetworks: [Coordinator, NetworkCoordinator, Referrer, AgencyOperator], Clients::Scope(Scope::NetworksWrite);
    /// Who reads the district's plans: every role of the district but the administrator.
    ReadPlans: [Coordinator, NetworkCoordinator, Referrer, AgencyOperator, Observer], Clients::Scope(Scope::PlansRead);
    /// Who reads the opportunity board: every role of the district but the administrator.
    ReadOpportunities: [Coordinator, NetworkCoordinator, Referrer, AgencyOperator, Observer], Clients::Scope(Scope::OpportunitiesRead);
    /// Who publishes opportunities (the policy decides for which organization: members their
    /// own, the coordinator any) and withdraws them (the coordinator).
    WriteOpportunities: [Coordinator, NetworkCoordinator, Referrer, AgencyOperator], Clients::Scope(Scope::OpportunitiesWrite);
    /// Who writes plans: the coordinator (Ufficio di Piano), in person.
    WritePlans: [Coordinator], Clients::Never;
    /// Who reads meetings (the policy decides which: the table's are the coordinator's, other
    /// networks' are read by their members).
    MeetingReaders: [Coordinator, NetworkCoordinator, Referrer, AgencyOperator], Clients::Never;
    /// Who runs meetings (the policy decides which: the table, or networks one coordinates).
    HoldMeetings: [Coordinator, NetworkCoordinator], Clients::Never;
    /// Who reads the district's privacy notices: every role of a district.
    ReadNotices: [Coordinator, NetworkCoordinator, Referrer, AgencyOperator, Observer, PrivacyOfficer], Clients::AnyScope;
    /// Who exports everything held about a person (art. 15): the DPO and the coordinator.
    ExportPersonData: [Coordinator, PrivacyOfficer], Clients::Never;
    /// Who reads a person's legal basis (notices given, consents): who reads persons, and the DPO.
    ReadLegalBasis: [Coordinator, Referrer, AgencyOperator, PrivacyOfficer], Clients::Scope(Scope::ReferralsRead);
    /// Who reads the audit log: the district's DPO, and the coordinator for its district.
    ReadAudit: [PrivacyOfficer, Coordinator], Clients::Never;
    /// Who verifies the audit log's chain over HTTP: the DPO.
    VerifyAudit: [PrivacyOfficer], Clients::Never;
    /// Who reads the registers of processing and of breaches: the DPO, and the coordinator.
    ReadPrivacyRegisters: [PrivacyOfficer, Coordinator], Clients::Never;
    /// Who adapts the register of processing and keeps the breach register: the DPO.
    KeepPrivacyRegisters: [PrivacyOfficer], Clients::Never;
    /// Who reads one person's record: who reads persons, and the DPO (the record itself, to
    /// handle the person's requests; never the lists).
    ReadPersonRecord: [Coordinator, Referrer, AgencyOperator, PrivacyOfficer], Clients::Scope(Scope::ReferralsRead);
    /// Who handles restriction (art. 18), the anonymisation requests' list and the retention
    /// preview: the DPO and the coordinator.
    HandleSubjectRights: [PrivacyOfficer, Coordinator], Clients::Never;
    /// Who decides an anonymisation (art. 17): the DPO.
    DecideAnonymisation: [PrivacyOfficer], Clients::Never;
}

fn bearer(req: &HttpRequest) -> Result<&str, Error> {
    let header = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .ok_or_else(|| {
            Error::unauthenticated(
                ErrorCode::Unauthenticated,
                text!(
                    "è necessario un token nell'intestazione Authorization: Bearer",
                    "an Authorization: Bearer token is required"
                ),
            )
        })?;
    let value = header.to_str().map_err(|_| {
        Error::unauthenticated(
            ErrorCode::InvalidToken,
            text!(
                "l'intestazione Authorization non è testo",
                "the Authorization header is not text"
            ),
        )
    })?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim())
        }
        _ => Err(Error::unauthenticated(
            ErrorCode::InvalidToken,
            text!(
                "l'intestazione Authorization deve essere 'Bearer <token>'",
                "the Authorization header must be 'Bearer <token>'"
            ),
        )),
    }
}

pub use super::origin::{client_address, Origin, RequestId};

/// The caller, from a valid Bearer access token whose claims `P` admits; the grant is
/// confirmed with the request's database work ([`crate::state::AppState::run`]).
pub struct Caller<P: Permit> {
    pub actor: Actor,
    /// The token's credential stamp.
    pub stamp: Option<String>,
    /// The token's session (users only).
    pub session: Option<String>,
    pub lang: Lang,
    /// Where the request comes from (for the audit log).
    pub origin: Origin,
    _permit: PhantomData<P>,
}

impl<P: Permit> std::fmt::Debug for Caller<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Caller")
            .field("actor", &self.actor.id)
            .finish()
    }
}

/// The caller's language, from `Accept-Language` (Italian by default).
pub use super::problem::lang_of;

/// A token that is not valid is `Err((e, None))`; a valid one that `P` refuses is
/// `Err((e, Some(actor)))`, a refused authorization the audit log records.
fn claimed<P: Permit>(req: &HttpRequest) -> Result<Caller<P>, Box<(Error, Option<Actor>)>> {
    let claims = verified(req).map_err(|e| Box::new((e, None)))?;
    let (actor, stamp, session) = claims;
    permitted::<P>(&actor).map_err(|e| Box::new((e, Some(actor.clone()))))?;
    Ok(Caller {
        actor,
        stamp,
        session,
        lang: lang_of(req),
        origin: Origin::of(req),
        _permit: PhantomData,
    })
}

/// The actor a valid token names, its credential stamp and its session.
fn verified(req: &HttpRequest) -> Result<(Actor, Option<String>, Option<String>), Error> {
    let keys = req
        .app_data::<web::Data<JwtKeys>>()
        .ok_or_else(|| Error::Internal("token keys missing".into()))?;
    let invalid = || {
        Error::unauthenticated(
            ErrorCode::InvalidToken,
            text!(
                "il token di accesso non è valido",
                "the access token is not valid"
            ),
        )
    };
    let claims = keys.verify(bearer(req)?).map_err(|e| match e {
        TokenError::Expired => Error::unauthenticated(
            ErrorCode::TokenExpired,
            text!(
                "il token di accesso è scaduto; rinnovarlo",
                "the access token has expired; refresh it"
            ),
        ),
        TokenError::Invalid => invalid(),
    })?;
    let role = Role::parse(&claims.role).ok_or_else(invalid)?;
    let scopes = match &claims.scp {
        None => None,
        Some(list) => Some(
            list.iter()
                .map(|s| Scope::parse(s).ok_or_else(invalid))
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    Ok((
        Actor {
            id: claims.sub,
            role,
            organization_id: claims.org.map(Into::into),
            district_id: claims.dst.map(Into::into),
            scopes,
        },
        claims.cst,
        claims.sid,
    ))
}

/// Whether `P` admits the actor: its role, or a client's scopes.
pub(crate) fn permitted<P: Permit>(actor: &Actor) -> Result<(), Error> {
    let role = actor.role;
    match &actor.scopes {
        Some(granted) => match P::CLIENTS {
            Clients::AnyScope if !granted.is_empty() => {}
            Clients::Scope(s) if granted.contains(&s) => {}
            Clients::Scope(s) => {
                return Err(Error::Forbidden(text!(
                    "a questo client manca lo scope {s}",
                    "this client lacks the {s} scope"
                )))
            }
            _ => {
                return Err(Error::Forbidden(text!(
                    "i client di integrazione non possono usare questa operazione",
                    "integration clients may not use this operation"
                )))
            }
        },
        None if !P::ROLES.contains(&role) && P::HIDES => return Err(Error::NotFound),
        None if !P::ROLES.contains(&role) => {
            let (en, it) = (role.as_str(), role.label_it());
            return Err(Error::Forbidden(text!(
                "il ruolo {it} non può eseguire questa operazione",
                "the {en} role may not do this"
            )));
        }
        None => {}
    }
    Ok(())
}

impl<P: Permit> FromRequest for Caller<P> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(claimed(req).map_err(|refused| {
            let (e, actor) = *refused;
            // A role or scope refused: the `record_denials` middleware writes it to the audit
            // log before the answer leaves (other extractors still fail first, as before).
            if let Some(actor) = actor {
                let denied = super::origin::Denied {
                    actor,
                    origin: Origin::of(req),
                    code: e.code(),
                };
                actix_web::HttpMessage::extensions_mut(req).insert(denied);
            }
            ApiError::of(req, e)
        }))
    }
}

/// The caller's language, for operations without a caller.
pub struct Language(pub Lang);

impl FromRequest for Language {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(Language(lang_of(req))))
    }
}

/// A JSON body, parsed (type errors name the field) and validated (all field errors at once).
#[derive(Debug)]
pub struct ValidJson<T>(pub T);

fn is_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| {
            // JSON, or a JSON Merge Patch (RFC 7396: what every PATCH is).
            let m = m.trim().to_ascii_lowercase();
            m == "application/json" || m == "application/merge-patch+json"
        })
        .unwrap_or(false)
}

/// Parses a body already read into bytes; shared by `ValidJson` and tests.
pub fn parse_json<T: DeserializeOwned + Validate>(bytes: &[u8]) -> Result<T, Error> {
    let mut value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        let (line, column) = (e.line(), e.column());
        let why = match e.classify() {
            serde_json::error::Category::Eof => "il testo finisce prima del previsto",
            _ => "errore di sintassi",
        };
        Error::MalformedBody(text!(
            "il corpo non è un JSON valido: {why} alla riga {line}, colonna {column}",
            "the body is not valid JSON: {e}"
        ))
    })?;
    if !value.is_object() {
        return Err(Error::MalformedBody(text!(
            "il corpo deve essere un oggetto JSON",
            "the body must be a JSON object"
        )));
    }
    // One place for what no field of any body may hold (control characters, format characters
    // in names, dates outside 1900–2200) and for trimming and deduplicating, before the
    // field rules run on the normalised values.
    // What it refuses is told together with the field rules' findings, every field at once.
    // A `maxLength` or `maxItems` is published for the value as sent: a string of blanks longer
    // than the limit is refused although trimming would shorten it (as a list with repeats is
    // although deduplicating would). The limits are read on the body as sent, the rest after.
    let over_limit: Vec<FieldError> = serde_json::from_value::<T>(value.clone())
        .ok()
        .and_then(|raw| raw.validate().err())
        .map(|e| {
            flatten_validation(&e)
                .into_iter()
                .filter(|f| f.code == "length")
                .collect()
        })
        .unwrap_or_default();
    let mut refused = sistema_lavoro_domain::values::normalise_body(&mut value);
    refused.extend(over_limit);
    let refuse = |mut found: Vec<FieldError>, mut more: Vec<FieldError>| {
        found.append(&mut more);
        found.sort();
        found.dedup();
        Error::Validation(found)
    };
    let parsed: T = serde_path_to_error::deserialize(value).map_err(|e| {
        if !refused.is_empty() {
            return refuse(std::mem::take(&mut refused), Vec::new());
        }
        let field = e.path().to_string();
        let inner = e.into_inner().to_string();
        let (code, message) = if inner.starts_with("missing field") {
            let name = inner.split('`').nth(1).unwrap_or("");
            return Error::Validation(vec![FieldError::new(
                if field == "." {
                    name.to_string()
                } else {
                    format!("{field}.{name}")
                },
                "required",
                text!("campo obbligatorio", "is required"),
            )]);
        } else if inner.starts_with(sistema_lavoro_domain::values::NOT_CLEARABLE) {
            return Error::Validation(vec![FieldError::new(
                field,
                "not_clearable",
                text!(
                    "non può essere cancellato: ometti il campo per lasciarlo com'è",
                    "cannot be cleared: leave the field out to keep it as it is"
                ),
            )]);
        } else if inner.starts_with("unknown variant") {
            (
                "enum",
                inner.split(" at line").next().unwrap_or(&inner).to_string(),
            )
        } else {
            (
                "type",
                inner.split(" at line").next().unwrap_or(&inner).to_string(),
            )
        };
        Error::Validation(vec![FieldError::new(
            if field == "." {
                "body".to_string()
            } else {
                field
            },
            code,
            serde_text(&message),
        )])
    })?;
    match parsed.validate() {
        Err(e) => Err(refuse(refused, flatten_validation(&e))),
        Ok(()) if !refused.is_empty() => Err(refuse(refused, Vec::new())),
        Ok(()) => Ok(parsed),
    }
}

impl<T: Body + 'static> FromRequest for ValidJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let lang = lang_of(req);
        if !is_json(req) {
            let ct = req
                .headers()
                .get(actix_web::http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("none")
                .to_string();
            return Box::pin(async move {
                Err(ApiError::new(
                    Error::UnsupportedMediaType(text!(
                        "{ct}; inviare Content-Type: application/json",
                        "{ct}; send Content-Type: application/json"
                    )),
                    lang,
                ))
            });
        }
        let mut payload = payload.take();
        let limit = T::LIMIT;
        Box::pin(in_lang(lang, async move {
            use futures_util::StreamExt;
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| match e {
                    PayloadError::Overflow => Error::PayloadTooLarge(limit),
                    other => unreadable(other),
                })?;
                if body.len() + chunk.len() > limit {
                    return Err(Error::PayloadTooLarge(limit).into());
                }
                body.extend_from_slice(&chunk);
            }
            Ok(parse_json(&body).map(ValidJson)?)
        }))
    }
}

/// An extractor's future, its error told in `lang`.
async fn in_lang<T>(
    lang: Lang,
    f: impl Future<Output = Result<T, ApiError>>,
) -> Result<T, ApiError> {
    f.await.map_err(|e| e.in_lang(lang))
}

/// A body that could not be read to its end.
fn unreadable(e: impl std::fmt::Display) -> Error {
    Error::MalformedBody(text!(
        "impossibile leggere il corpo della richiesta: {e}",
        "cannot read the body: {e}"
    ))
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, req| {
        let why = serde_text(&inner_message(&err));
        let e = Error::BadParameter(why.map(|lang, why| match lang {
            Lang::It => format!("parametro della query non valido: {why}"),
            Lang::En => format!("invalid query parameter: {err}"),
        }));
        ApiError::of(req, e).into()
    })
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, req| {
        let why = serde_text(&inner_message(&err));
        let e = Error::BadParameter(why.map(|lang, why| match lang {
            Lang::It => format!("parametro del percorso non valido: {why}"),
            Lang::En => format!("invalid path parameter: {err}"),
        }));
        ApiError::of(req, e).into()
    })
}

/// What serde said, without actix's prefix ("Query deserialize error: …").
fn inner_message(err: &impl std::fmt::Display) -> String {
    let text = err.to_string();
    match text.split_once(" error: ") {
        Some((_, inner)) => inner.to_string(),
        None => text,
    }
}

/// Pagination of every list: `limit` (1–200, default 50) and the cursor `after`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page, 1 to 200. Default 50.
    #[param(minimum = 1, maximum = 200, example = 50)]
    pub limit: Option<i64>,
    /// The `next` cursor of the previous page.
    #[param(max_length = 64)]
    pub after: Option<String>,
}

impl PageQuery {
    pub fn request(&self) -> Result<PageRequest, Error> {
        let max = crate::params::PAGE_MAX_LIMIT;
        let limit = match self.limit {
            None => 50,
            Some(n) if !(1..=max).contains(&n) => {
                return Err(Error::validation(
                    "limit",
                    "range",
                    text!(
                        "deve essere compreso tra 1 e {max}",
                        "must be between 1 and {max}"
                    ),
                ))
            }
            Some(n) => n,
        };
        Ok(PageRequest {
            limit,
            after: self.after.clone().filter(|a| !a.is_empty()),
        })
    }
}

/// An optional JSON body (actions with an optional reason): an empty body means `T::default()`.
#[derive(Debug)]
pub struct OptionalJson<T>(pub T);

impl<T: Body + Default + 'static> FromRequest for OptionalJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let empty = req
            .headers()
            .get(actix_web::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() == "0")
            || (req
                .headers()
                .get(actix_web::http::header::CONTENT_TYPE)
                .is_none()
                && req
                    .headers()
                    .get(actix_web::http::header::TRANSFER_ENCODING)
                    .is_none());
        if empty {
            return Box::pin(async { Ok(OptionalJson(T::default())) });
        }
        let json = is_json(req);
        let mut payload = payload.take();
        let limit = T::LIMIT;
        Box::pin(in_lang(lang_of(req), async move {
            use futures_util::StreamExt;
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(unreadable)?;
                if body.len() + chunk.len() > limit {
                    return Err(Error::PayloadTooLarge(limit).into());
                }
                body.extend_from_slice(&chunk);
            }
            let text = std::str::from_utf8(&body)
                .map_err(|_| {
                    Error::MalformedBody(text!(
                        "il corpo non è testo UTF-8 valido",
                        "the body is not valid UTF-8"
                    ))
                })?
                .trim();
            if text.is_empty() || text == "null" {
                return Ok(OptionalJson(T::default()));
            }
            if !json {
                return Err(Error::UnsupportedMediaType(text!(
                    "inviare Content-Type: application/json",
                    "send Content-Type: application/json"
                ))
                .into());
            }
            Ok(parse_json(&body).map(OptionalJson)?)
        }))
    }
}

/// What a verified token grants, for work done before a route's own extractor runs (the
/// idempotency replay): the actor, the credential stamp and the session, to confirm the grant
/// with [`sistema_lavoro_app::sessions::confirm_grant`]. `None` for a token that is not valid.
pub fn granted_by(
    claims: sistema_lavoro_app::security::Claims,
) -> Option<(Actor, Option<String>, Option<String>)> {
    let role = Role::parse(&claims.role)?;
    let scopes = match &claims.scp {
        None => None,
        Some(list) => Some(
            list.iter()
                .map(|s| Scope::parse(s))
                .collect::<Option<Vec<_>>>()?,
        ),
    };
    Some((
        Actor {
            id: claims.sub,
            role,
            organization_id: claims.org.map(Into::into),
            district_id: claims.dst.map(Into::into),
            scopes,
        },
        claims.cst,
        claims.sid,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, Validate)]
    struct Patch {
        #[serde(default, deserialize_with = "sistema_lavoro_domain::values::clearable")]
        #[validate(length(max = 5))]
        note: Option<Option<String>>,
        #[serde(default)]
        #[validate(length(max = 2))]
        tags: Vec<String>,
    }

    fn codes(body: &str) -> Vec<(String, String)> {
        match parse_json::<Patch>(body.as_bytes()) {
            Ok(_) => Vec::new(),
            Err(Error::Validation(list)) => list.into_iter().map(|f| (f.field, f.code)).collect(),
            Err(other) => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn a_published_max_length_holds_for_the_value_as_sent() {
        // Six no-break spaces trim to nothing, but the schema says at most five characters.
        assert_eq!(
            codes(r#"{"note": "\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0"}"#),
            vec![("note".to_string(), "length".to_string())]
        );
        // Three tags that deduplicate to two are still three.
        assert_eq!(
            codes(r#"{"tags": ["a", "a", "b"]}"#),
            vec![("tags".to_string(), "length".to_string())]
        );
        // Within the limits as sent, trimming still applies and nothing is refused.
        assert!(codes(r#"{"note": " ab ", "tags": ["a", "b"]}"#).is_empty());
        let p: Patch = parse_json(br#"{"note": " ab "}"#).unwrap();
        assert_eq!(p.note, Some(Some("ab".to_string())));
    }
}
