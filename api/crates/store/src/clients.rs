//! Integration clients: an organization's machine credentials with scopes.

use diesel::prelude::*;
use sistema_lavoro_domain::ids::{ClientId, OrganizationId};
use sistema_lavoro_domain::Scope;

use super::schema::integration_clients;
use super::types::JsonList;
use super::{Db, DbConn, Result};
use crate::direct::direct;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = integration_clients, treat_none_as_null = true)]
pub struct ClientRow {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: ClientId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub organization_id: OrganizationId,
    pub name: String,
    /// The public OAuth identifier (`slcli_…`), not the row's id.
    pub client_id: String,
    pub secret_hash: String,
    #[diesel(deserialize_as = JsonList<Scope>, serialize_as = JsonList<Scope>)]
    pub scopes: Vec<Scope>,
    pub active: bool,
    pub last_used_at: Option<chrono::NaiveDateTime>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

impl ClientRow {
    pub fn find(conn: &mut DbConn, id: &ClientId) -> Result<ClientRow> {
        direct!(conn, |c| integration_clients::table
            .find(id.as_str())
            .select(ClientRow::as_select())
            .first(c))
        .db()
    }

    pub fn find_by_client_id(conn: &mut DbConn, client_id: &str) -> Result<Option<ClientRow>> {
        direct!(conn, |c| integration_clients::table
            .filter(integration_clients::client_id.eq(client_id))
            .select(ClientRow::as_select())
            .first(c)
            .optional())
        .db()
    }

    pub fn insert(conn: &mut DbConn, row: &ClientRow) -> Result<()> {
        diesel::insert_into(integration_clients::table)
            .values(row.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn save(conn: &mut DbConn, row: &ClientRow) -> Result<()> {
        diesel::update(integration_clients::table.find(row.id.as_str()))
            .set(row.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn list(
        conn: &mut DbConn,
        organization_id: Option<&OrganizationId>,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<ClientRow>> {
        let mut q = integration_clients::table
            .select(ClientRow::as_select())
            .order(integration_clients::id)
            .into_boxed();
        if let Some(o) = organization_id {
            q = q.filter(integration_clients::organization_id.eq(o.as_str()));
        }
        if let Some(a) = after {
            q = q.filter(integration_clients::id.gt(a));
        }
        q.limit(limit + 1).load(conn).db()
    }

    pub fn touch_used(conn: &mut DbConn, id: &ClientId, at: chrono::NaiveDateTime) -> Result<()> {
        diesel::update(integration_clients::table.find(id.as_str()))
            .set(integration_clients::last_used_at.eq(Some(at)))
            .execute(conn)
            .map(drop)
            .db()
    }
}
