//! Service pacts (patti di servizio): one row per version of a case's pact, with its actions.

use diesel::prelude::*;
use sistema_lavoro_domain::ids::{
    CaseId, DocumentId, FollowUpId, PactActionId, ServicePactId, UserId,
};
use sistema_lavoro_domain::vocabulary::{
    MeetingFrequency, PactActionKind, PactProfileKind, PactProfileValue,
};

use super::schema::{service_pact_actions, service_pacts};
use super::types::NullableText;
use super::{Db, DbConn, Result};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = service_pacts)]
pub struct ServicePact {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: ServicePactId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub case_id: CaseId,
    pub version: i32,
    #[diesel(deserialize_as = NullableText<UserId>, serialize_as = NullableText<UserId>)]
    pub responsible_user_id: Option<UserId>,
    #[diesel(
        deserialize_as = NullableText<PactProfileKind>,
        serialize_as = NullableText<PactProfileKind>
    )]
    pub profile_kind: Option<PactProfileKind>,
    #[diesel(
        deserialize_as = NullableText<PactProfileValue>,
        serialize_as = NullableText<PactProfileValue>
    )]
    pub profile_value: Option<PactProfileValue>,
    pub assessment: Option<String>,
    #[diesel(
        deserialize_as = NullableText<MeetingFrequency>,
        serialize_as = NullableText<MeetingFrequency>
    )]
    pub meeting_frequency: Option<MeetingFrequency>,
    pub job_search_proof: Option<String>,
    pub summary: String,
    #[diesel(deserialize_as = NullableText<DocumentId>, serialize_as = NullableText<DocumentId>)]
    pub signed_document_id: Option<DocumentId>,
    pub created_by: String,
    pub created_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = service_pact_actions)]
pub struct PactAction {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: PactActionId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub pact_id: ServicePactId,
    pub position: i32,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub kind: PactActionKind,
    pub description: String,
    pub due_date: Option<chrono::NaiveDate>,
    pub timing: Option<String>,
    pub done_at: Option<chrono::NaiveDateTime>,
    #[diesel(deserialize_as = NullableText<FollowUpId>, serialize_as = NullableText<FollowUpId>)]
    pub done_follow_up_id: Option<FollowUpId>,
}

impl ServicePact {
    /// Writes a version with its actions (a version is never changed afterwards, but for
    /// its actions' done marks). Two writers of the same version: the second gets the
    /// unique `(case_id, version)` conflict.
    pub fn insert(conn: &mut DbConn, p: &ServicePact, actions: &[PactAction]) -> Result<()> {
        diesel::insert_into(service_pacts::table)
            .values(p.clone())
            .execute(conn)
            .db()?;
        // One statement each: batch inserts do not compile on the multi-backend connection.
        for a in actions {
            diesel::insert_into(service_pact_actions::table)
                .values(a.clone())
                .execute(conn)
                .db()?;
        }
        Ok(())
    }

    /// The version in force (the highest), if the case has a pact.
    pub fn current(conn: &mut DbConn, case_id: &CaseId) -> Result<Option<ServicePact>> {
        service_pacts::table
            .filter(service_pacts::case_id.eq(case_id.as_str()))
            .order(service_pacts::version.desc())
            .select(ServicePact::as_select())
            .first(conn)
            .optional()
            .db()
    }

    /// Versions newest first, below `before` (the cursor: a version number).
    pub fn versions(
        conn: &mut DbConn,
        case_id: &CaseId,
        before: Option<i32>,
        limit: i64,
    ) -> Result<Vec<ServicePact>> {
        let mut q = service_pacts::table
            .filter(service_pacts::case_id.eq(case_id.as_str()))
            .order(service_pacts::version.desc())
            .select(ServicePact::as_select())
            .into_boxed();
        if let Some(b) = before {
            q = q.filter(service_pacts::version.lt(b));
        }
        q.limit(limit + 1).load(conn).db()
    }

    /// The actions of these versions, in order.
    pub fn actions_of(conn: &mut DbConn, pact_ids: &[&ServicePactId]) -> Result<Vec<PactAction>> {
        let ids: Vec<&str> = pact_ids.iter().map(|i| i.as_str()).collect();
        service_pact_actions::table
            .filter(service_pact_actions::pact_id.eq_any(ids))
            .order((
                service_pact_actions::pact_id,
                service_pact_actions::position,
            ))
            .select(PactAction::as_select())
            .load(conn)
            .db()
    }

    /// Marks an action done by a follow-up, unless it already is; `false` if it was.
    pub fn tick(
        conn: &mut DbConn,
        id: &PactActionId,
        follow_up: &FollowUpId,
        at: chrono::NaiveDateTime,
    ) -> Result<bool> {
        diesel::update(
            service_pact_actions::table
                .filter(service_pact_actions::id.eq(id.as_str()))
                .filter(service_pact_actions::done_at.is_null()),
        )
        .set((
            service_pact_actions::done_at.eq(Some(at)),
            service_pact_actions::done_follow_up_id.eq(Some(follow_up.as_str())),
        ))
        .execute(conn)
        .map(|n| n > 0)
        .db()
    }
}
