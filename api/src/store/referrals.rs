//! Referrals (segnalazioni).

use diesel::prelude::*;

use super::schema::referrals;
use super::DbConn;

#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, Identifiable, serde::Serialize,
)]
#[diesel(table_name = referrals, treat_none_as_null = true)]
pub struct Referral {
    pub id: String,
    pub district_id: String,
    pub person_id: String,
    pub organization_id: String,
    pub created_by: String,
    pub source: String,
    pub needs: String,
    pub reason: String,
    pub urgency: String,
    pub status: String,
    pub meeting_id: Option<String>,
    pub status_note: Option<String>,
    pub submitted_at: Option<chrono::NaiveDateTime>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(Debug, Default)]
pub struct ReferralFilter {
    pub organization_id: Option<String>,
    pub statuses: Vec<String>,
    pub source: Option<String>,
    pub person_id: Option<String>,
    pub created_from: Option<chrono::NaiveDateTime>,
    pub created_to: Option<chrono::NaiveDateTime>,
    /// Drafts stay private to the referrer's organization.
    pub exclude_drafts: bool,
}

impl Referral {
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Referral> {
        referrals::table
            .find(id)
            .select(Referral::as_select())
            .first(conn)
    }

    pub fn insert(conn: &mut DbConn, r: &Referral) -> QueryResult<()> {
        diesel::insert_into(referrals::table)
            .values(r)
            .execute(conn)
            .map(|_| ())
    }

    /// Saves the row only if its status is still `expected`; `false` if someone moved it first.
    pub fn save_if(conn: &mut DbConn, r: &Referral, expected: &str) -> QueryResult<bool> {
        let n = diesel::update(
            referrals::table
                .find(&r.id)
                .filter(referrals::status.eq(expected)),
        )
        .set(r)
        .execute(conn)?;
        Ok(n == 1)
    }

    pub fn list(
        conn: &mut DbConn,
        district_id: &str,
        f: &ReferralFilter,
        after: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<Referral>> {
        let mut q = referrals::table
            .filter(referrals::district_id.eq(district_id.to_string()))
            .select(Referral::as_select())
            .order(referrals::id)
            .into_boxed();
        if let Some(o) = &f.organization_id {
            q = q.filter(referrals::organization_id.eq(o.clone()));
        }
        // One status is `=`, so a generic prepared plan can still use the status index.
        match f.statuses.as_slice() {
            [] => {}
            [one] => q = q.filter(referrals::status.eq(one.clone())),
            many => q = q.filter(referrals::status.eq_any(many.to_vec())),
        }
        if f.exclude_drafts {
            q = q.filter(referrals::status.ne("draft"));
        }
        if let Some(s) = &f.source {
            q = q.filter(referrals::source.eq(s.clone()));
        }
        if let Some(p) = &f.person_id {
            q = q.filter(referrals::person_id.eq(p.clone()));
        }
        if let Some(t) = f.created_from {
            q = q.filter(referrals::created_at.ge(t));
        }
        if let Some(t) = f.created_to {
            q = q.filter(referrals::created_at.lt(t));
        }
        if let Some(a) = after {
            q = q.filter(referrals::id.gt(a.to_string()));
        }
        q.limit(limit + 1).load(conn)
    }

    /// Referrals waiting for a meeting: submitted, or deferred by a past one.
    pub fn waiting(conn: &mut DbConn, district_id: &str) -> QueryResult<Vec<Referral>> {
        referrals::table
            .filter(referrals::district_id.eq(district_id))
            .filter(referrals::status.eq_any(["submitted", "deferred"]))
            .order(referrals::id)
            .select(Referral::as_select())
            .load(conn)
    }

    pub fn count_by_status(
        conn: &mut DbConn,
        district_id: &str,
    ) -> QueryResult<Vec<(String, i64)>> {
        referrals::table
            .filter(referrals::district_id.eq(district_id))
            .group_by(referrals::status)
            .select((referrals::status, diesel::dsl::count_star()))
            .load(conn)
    }
}
