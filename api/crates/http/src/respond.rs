//! Responses that say more than their body: a resource's version (`ETag`, from the version
//! its use case returned, never by re-reading the JSON), where a new one lives (`Location`),
//! where a list goes on (`Link: rel="next"`).

use actix_web::body::BoxBody;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, Responder};
use serde::Serialize;
use sistema_lavoro_app::workflow::Page;
use sistema_lavoro_domain::Version;
use utoipa::ToSchema;

/// Something with a version: what its `ETag` says.
pub trait Versioned {
    fn version(&self) -> Version;
}

fn of(t: chrono::DateTime<chrono::Utc>) -> Version {
    Version::of(t.naive_utc())
}

/// Declares the `updated_at` that versions each resource.
macro_rules! versioned {
    ($($ty:path => |$v:ident| $e:expr),+ $(,)?) => {
        $(
            impl Versioned for $ty {
                fn version(&self) -> Version {
                    let $v = self;
                    of($e)
                }
            }
        )+

        /// The schemas whose responses carry an `ETag`.
        pub fn versioned_schemas() -> Vec<String> {
            let mut names: Vec<String> =
                vec![$(<$ty as utoipa::ToSchema>::name().into_owned(),)+];
            names.push("DistrictMunicipalities".into());
            names.push("Preferences".into());
            names.push("ProcessingActivityOut".into());
            names
        }
    };
}

use sistema_lavoro_app::{admin, integration, workflow as wf};
versioned! {
    wf::privacy::NoticeOut => |n| n.created_at,
    wf::privacy::ConsentOut => |c| c.withdrawn_at.unwrap_or(c.given_at),
    wf::referrals::ReferralOut => |r| r.updated_at,
    wf::persons::PersonOut => |p| p.updated_at,
    wf::cases::CaseDetail => |c| c.case.updated_at,
    wf::activations::ActivationOut => |a| a.updated_at,
    wf::catalogue::MeasureOut => |m| m.updated_at,
    wf::catalogue::ThresholdOut => |t| t.updated_at,
    wf::meetings::MeetingOut => |m| m.updated_at,
    wf::networks::NetworkOut => |n| n.updated_at,
    wf::plans::PlanOut => |p| p.updated_at,
    wf::plans::PlanActionOut => |a| a.updated_at,
    wf::projects::ProjectOut => |p| p.updated_at,
    wf::opportunities::OpportunityOut => |o| o.updated_at,
    wf::collective::CollectiveActionOut => |a| a.updated_at,
    wf::networks::MemberOut => |m| m.updated_at,
    wf::networks::ResourceOut => |r| r.updated_at,
    wf::agreements::AgreementOut => |a| a.updated_at,
    wf::responses::WorkingGroupOut => |g| g.updated_at,
    wf::responses::SharedResponseOut => |r| r.updated_at,
    wf::meetings::network::ActionItemOut => |a| a.updated_at,
    wf::service_pact::ServicePactOut => |p| p.created_at,
    admin::DistrictOut => |d| d.updated_at,
    admin::OrganizationOut => |o| o.updated_at,
    admin::UserOut => |u| u.updated_at,
    integration::clients::ClientOut => |c| c.updated_at,
    integration::webhooks::SubscriptionOut => |s| s.updated_at,
    wf::erasure::AnonymisationRequestOut => |r| r.decided_at.unwrap_or(r.requested_at),
    wf::privacy_registers::BreachOut => |b| b.updated_at,
}

impl Versioned for wf::privacy_registers::ProcessingActivityOut {
    fn version(&self) -> Version {
        wf::privacy_registers::ProcessingActivityOut::version(self)
    }
}

impl Versioned for sistema_lavoro_app::notifications::inbox::Preferences {
    fn version(&self) -> Version {
        sistema_lavoro_app::notifications::inbox::Preferences::version(self)
    }
}

impl Versioned for wf::catalogue::DistrictMunicipalities {
    fn version(&self) -> Version {
        self.updated_at.map(of).unwrap_or(Version(0))
    }
}

/// `200` with the resource and its `ETag`.
pub struct Tagged<T>(pub T);

impl<T: Serialize + Versioned> Responder for Tagged<T> {
    type Body = BoxBody;
    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        HttpResponse::Ok()
            .insert_header((header::ETAG, self.0.version().etag()))
            .json(&self.0)
    }
}

/// `201 Created` with `Location`, the resource and its `ETag`.
pub struct Created<T>(pub String, pub T);

impl<T: Serialize + Versioned> Responder for Created<T> {
    type Body = BoxBody;
    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        let etag = self.1.version().etag();
        HttpResponse::Created()
            .insert_header((header::LOCATION, self.0))
            .insert_header((header::ETAG, etag))
            .json(&self.1)
    }
}

/// `201 Created` with `Location`, for records without a version of their own.
pub struct CreatedAt<T>(pub String, pub T);

impl<T: Serialize> Responder for CreatedAt<T> {
    type Body = BoxBody;
    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        HttpResponse::Created()
            .insert_header((header::LOCATION, self.0))
            .json(&self.1)
    }
}

/// `200` with a page, and `Link: <…>; rel="next"` to the following one.
pub struct Listed<T: ToSchema>(pub Page<T>);

impl<T: Serialize + ToSchema> Responder for Listed<T> {
    type Body = BoxBody;
    fn respond_to(self, req: &HttpRequest) -> HttpResponse {
        let mut r = HttpResponse::Ok();
        if let Some(next) = &self.0.next {
            let mut params: Vec<(String, String)> =
                serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
            params.retain(|(k, _)| k != "after");
            params.push(("after".into(), next.clone()));
            let q = serde_urlencoded::to_string(&params).unwrap_or_default();
            if let Ok(v) = HeaderValue::from_str(&format!("<{}?{q}>; rel=\"next\"", req.path())) {
                r.insert_header((header::LINK, v));
            }
        }
        r.json(&self.0)
    }
}
