//! The domain: values, states and rules of the workflow, the authorization policy and the one
//! error type. No HTTP, no SQL, no I/O: `cargo tree -p sistema-lavoro-domain` names neither
//! actix-web nor diesel (a test of the binary checks it).

pub mod actions;
pub mod actor;
pub mod agreements;
pub mod breaches;
pub mod clock;
pub mod collective;
pub mod eligibility;
pub mod enums;
pub mod error;
pub mod events;
pub mod exports;
pub mod i18n;
pub mod ids;
pub mod meetings;
pub mod monitoring;
pub mod municipality;
pub mod networks;
pub mod notifications;
pub mod opportunities;
pub mod plans;
pub mod policy;
pub mod privacy;
pub mod processing;
pub mod projects;
pub mod responses;
pub mod states;
pub mod subject_rights;
pub mod table;
pub mod tax_code;
pub mod values;
pub mod version;
pub mod vocabulary;

pub use actor::{Actor, Role, Scope};
pub use clock::{Clock, Now, ShiftedClock, SystemClock};
pub use enums::StrEnum;
pub use error::{Error, ErrorCode, FieldError};
pub use version::{Expected, Version};
pub use vocabulary::OrganizationKind;
