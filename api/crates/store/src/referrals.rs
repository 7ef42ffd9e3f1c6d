//! Referrals (segnalazioni).

use super::types::NullableText;
use diesel::prelude::*;
use sistema_lavoro_domain::ids::{DistrictId, MeetingId, OrganizationId, PersonId, ReferralId};
use sistema_lavoro_domain::states::ReferralStatus;
use sistema_lavoro_domain::vocabulary::{Need, ReceivedVia, ReferralSource, Urgency};

use super::counts::{self, Counted};
use super::schema::referrals;
use super::types::JsonList;
use super::{Db, DbConn, Result};
use crate::direct::direct;

#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, Identifiable, serde::Serialize,
)]
#[diesel(table_name = referrals, treat_none_as_null = true)]
pub struct Referral {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: ReferralId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub district_id: DistrictId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub person_id: PersonId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub organization_id: OrganizationId,
    pub created_by: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub source: ReferralSource,
    #[diesel(deserialize_as = JsonList<Need>, serialize_as = JsonList<Need>)]
    pub needs: Vec<Need>,
    pub reason: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub urgency: Urgency,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: ReferralStatus,
    #[diesel(deserialize_as = NullableText<MeetingId>, serialize_as = NullableText<MeetingId>)]
    pub meeting_id: Option<MeetingId>,
    pub status_note: Option<String>,
    pub submitted_at: Option<chrono::NaiveDateTime>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
    /// Set when the Ufficio di Piano recorded it on behalf of the sending service.
    #[diesel(deserialize_as = NullableText<ReceivedVia>, serialize_as = NullableText<ReceivedVia>)]
    pub received_via: Option<ReceivedVia>,
    /// Why it was sent although another referral of the person was open at the table.
    pub duplicate_reason: Option<String>,
}

#[derive(Debug, Default)]
pub struct ReferralFilter {
    pub organization_id: Option<OrganizationId>,
    pub statuses: Vec<ReferralStatus>,
    pub source: Option<ReferralSource>,
    pub person_id: Option<PersonId>,
    pub created_from: Option<chrono::NaiveDateTime>,
    pub created_to: Option<chrono::NaiveDateTime>,
    /// Drafts stay private to the referrer's organization.
    pub exclude_drafts: bool,
    /// Leave out the referrals of restricted persons (art. 18): for all but the DPO and the
    /// coordinator.
    pub hide_restricted: bool,
}

impl Referral {
    pub fn find(conn: &mut DbConn, id: &ReferralId) -> Result<Referral> {
        direct!(conn, |c| referrals::table
            .find(id.as_str())
            .select(Referral::as_select())
            .first(c))
        .db()
    }

    /// The person's referrals open at the table (submitted, scheduled, deferred or with
    /// information requested; drafts are private and do not count), other than `except`.
    pub fn open_of_person(
        conn: &mut DbConn,
        person_id: &PersonId,
        except: Option<&ReferralId>,
    ) -> Result<Vec<Referral>> {
        let open = [
            ReferralStatus::Submitted,
            ReferralStatus::Scheduled,
            ReferralStatus::Deferred,
            ReferralStatus::InfoRequested,
        ]
        .map(|s| s.as_str());
        let mut q = referrals::table
            .filter(referrals::person_id.eq(person_id.as_str()))
            .filter(referrals::status.eq_any(open))
            .select(Referral::as_select())
            .order(referrals::id)
            .into_boxed();
        if let Some(id) = except {
            q = q.filter(referrals::id.ne(id.as_str()));
        }
        q.load(conn).db()
    }

    pub fn insert(conn: &mut DbConn, r: &Referral) -> Result<()> {
        diesel::insert_into(referrals::table)
            .values(r.clone())
            .execute(conn)
            .db()?;
        counts::shift(
            conn,
            &r.district_id,
            Counted::Referral,
            None,
            Some(r.status.as_str()),
        )
    }

    /// Saves the row only if its status is still `expected`; `false` if someone moved it first.
    pub fn save_if(conn: &mut DbConn, r: &Referral, expected: ReferralStatus) -> Result<bool> {
        let n = diesel::update(
            referrals::table
                .find(r.id.as_str())
                .filter(referrals::status.eq(expected.as_str())),
        )
        .set(r.clone())
        .execute(conn)
        .db()?;
        if n == 1 {
            let (from, to) = (expected.as_str(), r.status.as_str());
            counts::shift(
                conn,
                &r.district_id,
                Counted::Referral,
                Some(from),
                Some(to),
            )?;
        }
        Ok(n == 1)
    }

    pub fn list(
        conn: &mut DbConn,
        district_id: &DistrictId,
        f: &ReferralFilter,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Referral>> {
        let mut q = referrals::table
            .filter(referrals::district_id.eq(district_id.as_str()))
            .select(Referral::as_select())
            .order(referrals::id)
            .into_boxed();
        if let Some(o) = &f.organization_id {
            q = q.filter(referrals::organization_id.eq(o.as_str()));
        }
        // One status is `=`, so a generic prepared plan can still use the status index.
        match f.statuses.as_slice() {
            [] => {}
            [one] => q = q.filter(referrals::status.eq(one.as_str())),
            many => q = q.filter(referrals::status.eq_any(many.iter().map(|s| s.as_str()))),
        }
        if f.exclude_drafts {
            q = q.filter(referrals::status.ne(ReferralStatus::Draft.as_str()));
        }
        if let Some(s) = f.source {
            q = q.filter(referrals::source.eq(s.as_str()));
        }
        if let Some(p) = &f.person_id {
            q = q.filter(referrals::person_id.eq(p.as_str()));
        }
        if f.hide_restricted {
            q = q.filter(diesel::dsl::not(
                referrals::person_id.eq_any(
                    super::schema::person_restrictions::table
                        .select(super::schema::person_restrictions::person_id),
                ),
            ));
        }
        if let Some(t) = f.created_from {
            q = q.filter(referrals::created_at.ge(t));
        }
        if let Some(t) = f.created_to {
            q = q.filter(referrals::created_at.lt(t));
        }
        if let Some(a) = after {
            q = q.filter(referrals::id.gt(a));
        }
        q.limit(limit + 1).load(conn).db()
    }

    /// Referrals waiting for a meeting: submitted, or deferred by a past one.
    pub fn waiting(conn: &mut DbConn, district_id: &DistrictId) -> Result<Vec<Referral>> {
        referrals::table
            .filter(referrals::district_id.eq(district_id.as_str()))
            .filter(referrals::status.eq_any([
                ReferralStatus::Submitted.as_str(),
                ReferralStatus::Deferred.as_str(),
            ]))
            .order(referrals::id)
            .select(Referral::as_select())
            .load(conn)
            .db()
    }

    pub fn find_many(conn: &mut DbConn, ids: &[&ReferralId]) -> Result<Vec<Referral>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        direct!(conn, |c| referrals::table
            .filter(referrals::id.eq_any(ids.iter().map(|i| i.as_str())))
            .select(Referral::as_select())
            .load(c))
        .db()
    }

    /// How many referrals of the district are in each state (kept counts, not a scan).
    pub fn count_by_status(
        conn: &mut DbConn,
        district_id: &DistrictId,
    ) -> Result<Vec<(ReferralStatus, i64)>> {
        counts::of(conn, district_id, Counted::Referral)?
            .into_iter()
            .map(|(s, n)| Ok((ReferralStatus::from_db(&s)?, n)))
            .collect()
    }
}
