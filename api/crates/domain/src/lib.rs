//! The domain: values, states and rules of the workflow, the authorization policy and the one
//! error type. No HTTP, no SQL, no I/O: `cargo tree -p sistema-lavoro-domain` names neither
//! actix-web nor diesel (a test of the binary checks it).

pub mod actions;
pub mod actor;
pub mod clock;
pub mod eligibility;
pub mod error;
pub mod events;
pub mod i18n;
pub mod municipality;
pub mod policy;
pub mod states;
pub mod table;
pub mod tax_code;
pub mod values;
pub mod version;
pub mod vocabulary;

pub use actor::{Actor, Scope};
pub use clock::{Clock, Now, ShiftedClock, SystemClock};
pub use error::{Error, ErrorCode, FieldError};
pub use version::{Expected, Version};

/// A closed set of values with stable string names (what [`string_enum!`] defines).
pub trait StrEnum: Copy + Eq + std::fmt::Debug {
    fn as_str(self) -> &'static str;
}

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
            pub fn from_db(s: &str) -> Result<$name, $crate::Error> {
                $name::parse(s).ok_or_else(|| $crate::Error::Internal(
                    format!("unknown {} in database: {s:?}", stringify!($name))))
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::error::UnknownValue;
            fn from_str(s: &str) -> Result<$name, Self::Err> {
                $name::parse(s).ok_or_else(|| $crate::error::UnknownValue {
                    of: stringify!($name),
                    value: s.to_string(),
                })
            }
        }

        /// How storage reads the value back (a stored value this program did not write fails).
        impl TryFrom<String> for $name {
            type Error = $crate::error::UnknownValue;
            fn try_from(s: String) -> Result<$name, Self::Error> { s.parse() }
        }

        /// How storage writes the value.
        impl From<$name> for String {
            fn from(v: $name) -> String { v.as_str().to_string() }
        }

        impl $crate::StrEnum for $name {
            fn as_str(self) -> &'static str { $name::as_str(self) }
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
