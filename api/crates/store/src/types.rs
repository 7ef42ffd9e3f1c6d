//! Thin wrappers that let rows hold the domain's types while diesel stays out of the domain.
//!
//! A row field of a domain enum is read and written through `String`
//! (`#[diesel(deserialize_as = String, serialize_as = String)]`: the domain gives
//! `TryFrom<String>` and `Into<String>`); a nullable one through [`NullableText`]; a JSON list
//! through [`JsonList`]. A value this program did not write fails the read, as a bug.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::expression::AsExpression;
use diesel::sql_types::{Nullable, Text};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A nullable text column holding a `T` (an enum or an id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NullableText<T>(pub Option<T>);

impl<T, DB> FromSql<Nullable<Text>, DB> for NullableText<T>
where
    DB: Backend,
    String: FromSql<Text, DB>,
    T: TryFrom<String>,
    T::Error: std::error::Error + Send + Sync + 'static,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        let s = <String as FromSql<Text, DB>>::from_sql(bytes)?;
        Ok(NullableText(Some(T::try_from(s)?)))
    }

    fn from_nullable_sql(bytes: Option<DB::RawValue<'_>>) -> deserialize::Result<Self> {
        match bytes {
            None => Ok(NullableText(None)),
            Some(b) => Self::from_sql(b),
        }
    }
}

impl<T, DB> diesel::deserialize::Queryable<Nullable<Text>, DB> for NullableText<T>
where
    DB: Backend,
    NullableText<T>: FromSql<Nullable<Text>, DB>,
{
    type Row = Self;
    fn build(row: Self) -> deserialize::Result<Self> {
        Ok(row)
    }
}

impl<T: Into<String>> AsExpression<Nullable<Text>> for NullableText<T> {
    type Expression = <Option<String> as AsExpression<Nullable<Text>>>::Expression;
    fn as_expression(self) -> Self::Expression {
        <Option<String> as AsExpression<Nullable<Text>>>::as_expression(self.0.map(Into::into))
    }
}

impl<T> From<Option<T>> for NullableText<T> {
    fn from(v: Option<T>) -> Self {
        NullableText(v)
    }
}

impl<T> From<NullableText<T>> for Option<T> {
    fn from(v: NullableText<T>) -> Self {
        v.0
    }
}

/// A text column holding a JSON list of `T` (`["work","training"]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonList<T>(pub Vec<T>);

impl<T, DB> FromSql<Text, DB> for JsonList<T>
where
    DB: Backend,
    String: FromSql<Text, DB>,
    T: DeserializeOwned,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        let s = <String as FromSql<Text, DB>>::from_sql(bytes)?;
        Ok(JsonList(serde_json::from_str(&s)?))
    }
}

impl<T, DB> diesel::deserialize::Queryable<Text, DB> for JsonList<T>
where
    DB: Backend,
    JsonList<T>: FromSql<Text, DB>,
{
    type Row = Self;
    fn build(row: Self) -> deserialize::Result<Self> {
        Ok(row)
    }
}

impl<T: Serialize> AsExpression<Text> for JsonList<T> {
    type Expression = <String as AsExpression<Text>>::Expression;
    fn as_expression(self) -> Self::Expression {
        let text = serde_json::to_string(&self.0).unwrap_or_else(|_| "[]".into());
        <String as AsExpression<Text>>::as_expression(text)
    }
}

impl<T> From<Vec<T>> for JsonList<T> {
    fn from(v: Vec<T>) -> Self {
        JsonList(v)
    }
}

impl<T> From<JsonList<T>> for Vec<T> {
    fn from(v: JsonList<T>) -> Self {
        v.0
    }
}

/// A nullable amount column (`Option<Cents>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NullableCents(pub Option<sistema_lavoro_domain::values::Cents>);

impl<DB> FromSql<Nullable<diesel::sql_types::BigInt>, DB> for NullableCents
where
    DB: Backend,
    i64: FromSql<diesel::sql_types::BigInt, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        let v = <i64 as FromSql<diesel::sql_types::BigInt, DB>>::from_sql(bytes)?;
        Ok(NullableCents(Some(v.try_into()?)))
    }

    fn from_nullable_sql(bytes: Option<DB::RawValue<'_>>) -> deserialize::Result<Self> {
        match bytes {
            None => Ok(NullableCents(None)),
            Some(b) => Self::from_sql(b),
        }
    }
}

impl<DB> diesel::deserialize::Queryable<Nullable<diesel::sql_types::BigInt>, DB> for NullableCents
where
    DB: Backend,
    NullableCents: FromSql<Nullable<diesel::sql_types::BigInt>, DB>,
{
    type Row = Self;
    fn build(row: Self) -> deserialize::Result<Self> {
        Ok(row)
    }
}

impl AsExpression<Nullable<diesel::sql_types::BigInt>> for NullableCents {
    type Expression =
        <Option<i64> as AsExpression<Nullable<diesel::sql_types::BigInt>>>::Expression;
    fn as_expression(self) -> Self::Expression {
        <Option<i64> as AsExpression<Nullable<diesel::sql_types::BigInt>>>::as_expression(
            self.0.map(i64::from),
        )
    }
}

impl From<Option<sistema_lavoro_domain::values::Cents>> for NullableCents {
    fn from(v: Option<sistema_lavoro_domain::values::Cents>) -> Self {
        NullableCents(v)
    }
}

impl From<NullableCents> for Option<sistema_lavoro_domain::values::Cents> {
    fn from(v: NullableCents) -> Self {
        v.0
    }
}
