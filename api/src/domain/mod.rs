//! The domain: roles, states and rules of the workflow. No HTTP, no SQL.

pub mod eligibility;
pub mod municipality;
pub mod states;
pub mod tax_code;
pub mod values;
pub mod vocabulary;

/// A closed set of string values: serde names, `as_str`, `parse`, the OpenAPI enum.
#[macro_export]
macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident => $s:tt),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
                 serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        pub enum $name { $($(#[$vm])* #[serde(rename = $s)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $s),+ } }
            pub fn parse(s: &str) -> Option<$name> { match s { $($s => Some($name::$variant),)+ _ => None } }
            /// Reads a value stored by this program; an unknown one is a bug, not client input.
            pub fn from_db(s: &str) -> Result<$name, $crate::http::problem::ApiError> {
                $name::parse(s).ok_or_else(|| $crate::http::problem::ApiError::Internal(
                    format!("unknown {} in database: {s:?}", stringify!($name))))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

string_enum! {
    /// What a user may do (DOMAIN.md, Roles).
    Role {
        /// System administrator: organizations, users, districts.
        Admin => "admin",
        /// Ufficio di Piano: everything in its district.
        Coordinator => "coordinator",
        /// Assistente sociale, Segretariato/PASS, CPI operator: referrals of its organization.
        Referrer => "referrer",
        /// Operator of an accredited agency: the cases assigned to its agency.
        AgencyOperator => "agency_operator",
        /// Observatory / analyst: aggregated, de-identified figures only.
        Observer => "observer",
    }
}

string_enum! {
    /// Kind of member organization (ente / soggetto).
    OrganizationKind {
        /// Servizio sociale comunale.
        SocialService => "social_service",
        /// Segretariato Sociale / PASS.
        FrontDesk => "front_desk",
        /// Centro per l'Impiego.
        Cpi => "cpi",
        /// Ente accreditato ai servizi al lavoro.
        AccreditedAgency => "accredited_agency",
        /// Servizio Inserimento Lavorativo.
        Sil => "sil",
        /// Comune.
        Municipality => "municipality",
        /// Terzo settore.
        ThirdSector => "third_sector",
        /// Azienda / datore di lavoro.
        Employer => "employer",
        /// Sindacato.
        Union => "union",
        /// Camera di commercio.
        ChamberOfCommerce => "chamber_of_commerce",
        /// Fondazione.
        Foundation => "foundation",
        /// Ufficio di Piano.
        PlanningOffice => "planning_office",
        /// Altro.
        Other => "other",
    }
}
