//! Refresh tokens: stored hashed, single use, grouped in families so a replay revokes them all.

use diesel::prelude::*;
use sistema_lavoro_domain::ids::{TokenId, UserId};

use super::schema::refresh_tokens;
use super::{Db, DbConn, Result};
use crate::direct::direct;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshToken {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: TokenId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub user_id: UserId,
    pub family_id: String,
    pub token_hash: String,
    pub expires_at: chrono::NaiveDateTime,
    pub used_at: Option<chrono::NaiveDateTime>,
    pub revoked_at: Option<chrono::NaiveDateTime>,
    pub created_at: chrono::NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = refresh_tokens)]
pub struct NewRefreshToken<'a> {
    pub id: &'a str,
    pub user_id: &'a str,
    pub family_id: &'a str,
    pub token_hash: &'a str,
    pub expires_at: chrono::NaiveDateTime,
    pub created_at: chrono::NaiveDateTime,
}

impl RefreshToken {
    pub fn insert(conn: &mut DbConn, new: &NewRefreshToken) -> Result<usize> {
        diesel::insert_into(refresh_tokens::table)
            .values(new)
            .execute(conn)
            .db()
    }

    pub fn find_by_hash(conn: &mut DbConn, hash: &str) -> Result<Option<RefreshToken>> {
        direct!(conn, |c| refresh_tokens::table
            .filter(refresh_tokens::token_hash.eq(hash))
            .select(RefreshToken::as_select())
            .first(c)
            .optional())
        .db()
    }

    /// Marks the token used if nobody did first; `false` means it was already spent (a replay).
    pub fn consume(conn: &mut DbConn, id: &TokenId, at: chrono::NaiveDateTime) -> Result<bool> {
        let n = diesel::update(
            refresh_tokens::table
                .find(id.as_str())
                .filter(refresh_tokens::used_at.is_null())
                .filter(refresh_tokens::revoked_at.is_null()),
        )
        .set(refresh_tokens::used_at.eq(Some(at)))
        .execute(conn)
        .db()?;
        Ok(n == 1)
    }

    /// Whether the session (family) was ended: signed out, or revoked after a replay.
    pub fn family_ended(conn: &mut DbConn, family_id: &str) -> Result<bool> {
        let n: i64 = direct!(conn, |c| refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_not_null())
            .count()
            .get_result(c))
        .db()?;
        Ok(n > 0)
    }

    pub fn revoke_family(
        conn: &mut DbConn,
        family_id: &str,
        at: chrono::NaiveDateTime,
    ) -> Result<usize> {
        diesel::update(
            refresh_tokens::table
                .filter(refresh_tokens::family_id.eq(family_id))
                .filter(refresh_tokens::revoked_at.is_null()),
        )
        .set(refresh_tokens::revoked_at.eq(Some(at)))
        .execute(conn)
        .db()
    }

    pub fn revoke_user(
        conn: &mut DbConn,
        user_id: &UserId,
        at: chrono::NaiveDateTime,
    ) -> Result<usize> {
        diesel::update(
            refresh_tokens::table
                .filter(refresh_tokens::user_id.eq(user_id.as_str()))
                .filter(refresh_tokens::revoked_at.is_null()),
        )
        .set(refresh_tokens::revoked_at.eq(Some(at)))
        .execute(conn)
        .db()
    }
}
