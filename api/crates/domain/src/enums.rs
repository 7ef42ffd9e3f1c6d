//! Closed sets of values with stable string names: the [`string_enum!`](crate::string_enum)
//! macro that defines them (serde names, `as_str`, `parse`, the OpenAPI enum, what storage
//! reads and writes) and the [`StrEnum`] trait they share.

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
