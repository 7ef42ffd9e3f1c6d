//! Requests to join a network (from people without an account) and the agreements among a
//! network's members.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use sistema_lavoro_domain::agreements::{
    AgreementKind, AgreementStatus, JoinCapacity, JoinRequestStatus,
};
use sistema_lavoro_domain::ids::{AgreementId, JoinRequestId, MemberId, NetworkId};

use super::schema::{agreements, documents, join_requests};
use super::types::{JsonList, NullableText};
use super::{Db, DbConn, Result};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize)]
#[diesel(table_name = join_requests, treat_none_as_null = true)]
pub struct JoinRequest {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: JoinRequestId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub network_id: NetworkId,
    pub name: String,
    pub organization: Option<String>,
    #[diesel(deserialize_as = NullableText<JoinCapacity>, serialize_as = NullableText<JoinCapacity>)]
    pub capacity: Option<JoinCapacity>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub message: Option<String>,
    pub privacy_notice_version: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: JoinRequestStatus,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub decline_reason: Option<String>,
    pub organization_id: Option<String>,
    pub member_id: Option<String>,
    pub invited_meeting_id: Option<String>,
    pub invited_at: Option<NaiveDateTime>,
    pub notified_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl JoinRequest {
    pub fn find(conn: &mut DbConn, id: &JoinRequestId) -> Result<JoinRequest> {
        join_requests::table
            .find(id.as_str())
            .select(JoinRequest::as_select())
            .first(conn)
            .db()
    }

    pub fn insert(conn: &mut DbConn, r: &JoinRequest) -> Result<()> {
        diesel::insert_into(join_requests::table)
            .values(r.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn save_if(
        conn: &mut DbConn,
        r: &JoinRequest,
        expected: JoinRequestStatus,
    ) -> Result<bool> {
        let n = diesel::update(
            join_requests::table
                .find(r.id.as_str())
                .filter(join_requests::status.eq(expected.as_str())),
        )
        .set(r.clone())
        .execute(conn)
        .db()?;
        Ok(n == 1)
    }

    /// A network's requests in one state, by id, a page at a time.
    pub fn list(
        conn: &mut DbConn,
        network_id: &NetworkId,
        status: JoinRequestStatus,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<JoinRequest>> {
        let mut q = join_requests::table
            .filter(join_requests::network_id.eq(network_id.as_str()))
            .filter(join_requests::status.eq(status.as_str()))
            .select(JoinRequest::as_select())
            .order(join_requests::id)
            .into_boxed();
        if let Some(a) = after {
            q = q.filter(join_requests::id.gt(a));
        }
        q.limit(limit + 1).load(conn).db()
    }

    /// Deletes the requests in `status` made before `before`; how many.
    pub fn purge(
        conn: &mut DbConn,
        status: JoinRequestStatus,
        before: NaiveDateTime,
    ) -> Result<usize> {
        diesel::delete(
            join_requests::table
                .filter(join_requests::status.eq(status.as_str()))
                .filter(join_requests::created_at.lt(before)),
        )
        .execute(conn)
        .db()
    }

    /// Accepted requests with an e-mail address whose requester was not yet written to.
    pub fn to_notify(conn: &mut DbConn, limit: i64) -> Result<Vec<JoinRequest>> {
        join_requests::table
            .filter(join_requests::status.eq(JoinRequestStatus::Accepted.as_str()))
            .filter(join_requests::notified_at.is_null())
            .filter(join_requests::email.is_not_null())
            .select(JoinRequest::as_select())
            .order(join_requests::id)
            .limit(limit)
            .load(conn)
            .db()
    }

    /// Marks the requester as written to, once: `false` if another instance did it first.
    pub fn mark_notified(conn: &mut DbConn, id: &JoinRequestId, at: NaiveDateTime) -> Result<bool> {
        let n = diesel::update(
            join_requests::table
                .find(id.as_str())
                .filter(join_requests::notified_at.is_null()),
        )
        .set(join_requests::notified_at.eq(Some(at)))
        .execute(conn)
        .db()?;
        Ok(n == 1)
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize)]
#[diesel(table_name = agreements, treat_none_as_null = true)]
pub struct Agreement {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: AgreementId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub network_id: NetworkId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub kind: AgreementKind,
    pub subject: String,
    #[diesel(deserialize_as = JsonList<MemberId>, serialize_as = JsonList<MemberId>)]
    pub party_member_ids: Vec<MemberId>,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: AgreementStatus,
    pub signed_on: Option<NaiveDate>,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    #[diesel(deserialize_as = NullableText<AgreementId>, serialize_as = NullableText<AgreementId>)]
    pub renews_agreement_id: Option<AgreementId>,
    pub termination_reason: Option<String>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Agreement {
    pub fn find(conn: &mut DbConn, id: &AgreementId) -> Result<Agreement> {
        agreements::table
            .find(id.as_str())
            .select(Agreement::as_select())
            .first(conn)
            .db()
    }

    pub fn insert(conn: &mut DbConn, a: &Agreement) -> Result<()> {
        diesel::insert_into(agreements::table)
            .values(a.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn save_if(conn: &mut DbConn, a: &Agreement, expected: AgreementStatus) -> Result<bool> {
        let n = diesel::update(
            agreements::table
                .find(a.id.as_str())
                .filter(agreements::status.eq(expected.as_str())),
        )
        .set(a.clone())
        .execute(conn)
        .db()?;
        Ok(n == 1)
    }

    /// A network's agreements by id, a page at a time.
    pub fn list(
        conn: &mut DbConn,
        network_id: &NetworkId,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Agreement>> {
        let mut q = agreements::table
            .filter(agreements::network_id.eq(network_id.as_str()))
            .select(Agreement::as_select())
            .order(agreements::id)
            .into_boxed();
        if let Some(a) = after {
            q = q.filter(agreements::id.gt(a));
        }
        q.limit(limit + 1).load(conn).db()
    }

    /// The documents attached to these agreements: (agreement, document) ids, by upload.
    pub fn document_ids(conn: &mut DbConn, ids: &[&AgreementId]) -> Result<Vec<(String, String)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<(Option<String>, String)> = documents::table
            .filter(documents::agreement_id.eq_any(ids.iter().map(|i| i.as_str())))
            .order(documents::id)
            .select((documents::agreement_id, documents::id))
            .load(conn)
            .db()?;
        Ok(rows
            .into_iter()
            .filter_map(|(a, d)| a.map(|a| (a, d)))
            .collect())
    }
}

/// Networks that take requests to join now (forming or active, accepting), by id, with
/// their district's name; at most `limit`.
pub fn public_networks(
    conn: &mut DbConn,
    limit: i64,
) -> Result<Vec<(super::networks::Network, String)>> {
    use super::schema::{districts, networks};
    use sistema_lavoro_domain::networks::NetworkStatus;
    networks::table
        .inner_join(districts::table)
        .filter(networks::accepts_join_requests.eq(true))
        .filter(networks::status.eq_any([
            NetworkStatus::Forming.as_str(),
            NetworkStatus::Active.as_str(),
        ]))
        .order(networks::id)
        .limit(limit)
        .select((super::networks::Network::as_select(), districts::name))
        .load(conn)
        .db()
}

/// The network's next meeting not yet closed, on or after `today`: id and date.
pub fn next_meeting(
    conn: &mut DbConn,
    network_id: &NetworkId,
    today: NaiveDate,
) -> Result<Option<(String, NaiveDate)>> {
    use super::schema::meetings;
    use sistema_lavoro_domain::states::MeetingStatus;
    meetings::table
        .filter(meetings::network_id.eq(network_id.as_str()))
        .filter(meetings::status.ne(MeetingStatus::Closed.as_str()))
        .filter(meetings::scheduled_for.ge(today))
        .order((meetings::scheduled_for, meetings::id))
        .select((meetings::id, meetings::scheduled_for))
        .first(conn)
        .optional()
        .db()
}
