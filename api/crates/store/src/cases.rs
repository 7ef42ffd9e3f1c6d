//! Cases (prese in carico) and their outcome checks.

use diesel::prelude::*;
use sistema_lavoro_domain::ids::{
    CaseId, DistrictId, OrganizationId, OutcomeCheckId, PersonId, ReferralId, UserId,
};
use sistema_lavoro_domain::states::CaseStatus;
use sistema_lavoro_domain::vocabulary::{Outcome, OutcomeCheckStatus};

use super::counts::{self, Counted};
use super::persons::Person;
use super::schema::{cases, organizations, outcome_checks, persons};
use super::types::NullableText;
use super::{Db, DbConn, Result};
use crate::direct::direct;

#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, Identifiable, serde::Serialize,
)]
#[diesel(table_name = cases, treat_none_as_null = true)]
pub struct Case {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: CaseId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub district_id: DistrictId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub person_id: PersonId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub referral_id: ReferralId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub agency_id: OrganizationId,
    #[diesel(deserialize_as = NullableText<UserId>, serialize_as = NullableText<UserId>)]
    pub case_manager_id: Option<UserId>,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: CaseStatus,
    #[diesel(
        deserialize_as = NullableText<CaseStatus>,
        serialize_as = NullableText<CaseStatus>
    )]
    pub suspended_from: Option<CaseStatus>,
    pub first_meeting_date: Option<chrono::NaiveDate>,
    pub plan_goals: Option<String>,
    #[diesel(deserialize_as = NullableText<Outcome>, serialize_as = NullableText<Outcome>)]
    pub outcome: Option<Outcome>,
    /// JSON of the job found (`outcome = hired`).
    pub outcome_details: Option<String>,
    pub closed_at: Option<chrono::NaiveDateTime>,
    pub next_due_date: Option<chrono::NaiveDate>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize)]
#[diesel(table_name = outcome_checks, treat_none_as_null = true)]
pub struct OutcomeCheck {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: OutcomeCheckId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub case_id: CaseId,
    pub months: i32,
    pub due_date: chrono::NaiveDate,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: OutcomeCheckStatus,
    pub employed: Option<bool>,
    pub note: Option<String>,
    pub recorded_by: Option<String>,
    pub recorded_at: Option<chrono::NaiveDateTime>,
    pub created_at: chrono::NaiveDateTime,
    pub notified_at: Option<chrono::NaiveDateTime>,
}

#[derive(Debug, Default)]
pub struct CaseFilter {
    pub agency_id: Option<OrganizationId>,
    pub statuses: Vec<CaseStatus>,
    pub person_id: Option<PersonId>,
    /// Open cases whose next follow-up was due before this day.
    pub overdue_before: Option<chrono::NaiveDate>,
    /// Open cases whose next follow-up is due on or before this day.
    pub due_by: Option<chrono::NaiveDate>,
    /// Cases with an outcome check still due on or before this day.
    pub check_due_by: Option<chrono::NaiveDate>,
    /// Leave out the cases of restricted persons (art. 18): for all but the DPO and the
    /// coordinator.
    pub hide_restricted: bool,
}

/// The states in which a case can be overdue: open and not suspended.
fn followed_states() -> impl Iterator<Item = &'static str> {
    CaseStatus::ALL
        .iter()
        .filter(|s| s.is_followed())
        .map(|s| s.as_str())
}

/// The day a case in `status` due on `due` counts in `due_counts` (none if not followed).
fn due_if_followed(
    status: CaseStatus,
    due: Option<chrono::NaiveDate>,
) -> Option<chrono::NaiveDate> {
    due.filter(|_| status.is_followed())
}

/// `status IN ('assigned', …)` written out, not bound: the same predicate in every plan (and
/// no parameter for the planner to guess about).
fn followed_sql() -> diesel::expression::SqlLiteral<diesel::sql_types::Bool> {
    let list: Vec<String> = followed_states().map(|s| format!("'{s}'")).collect();
    diesel::dsl::sql::<diesel::sql_types::Bool>(&format!("status IN ({})", list.join(", ")))
}

impl Case {
    pub fn find(conn: &mut DbConn, id: &CaseId) -> Result<Case> {
        direct!(conn, |c| cases::table
            .find(id.as_str())
            .select(Case::as_select())
            .first(c))
        .db()
    }

    /// The case with its person and its agency's name, in one query.
    pub fn with_party(conn: &mut DbConn, id: &CaseId) -> Result<(Case, Person, String)> {
        direct!(conn, |c| cases::table
            .inner_join(persons::table)
            .inner_join(organizations::table)
            .filter(cases::id.eq(id.as_str()))
            .select((Case::as_select(), Person::as_select(), organizations::name))
            .first(c))
        .db()
    }

    pub fn find_by_referral(conn: &mut DbConn, referral_id: &ReferralId) -> Result<Option<Case>> {
        direct!(conn, |c| cases::table
            .filter(cases::referral_id.eq(referral_id.as_str()))
            .select(Case::as_select())
            .first(c)
            .optional())
        .db()
    }

    pub fn find_many(conn: &mut DbConn, ids: &[&CaseId]) -> Result<Vec<Case>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        direct!(conn, |c| cases::table
            .filter(cases::id.eq_any(ids.iter().map(|i| i.as_str())))
            .select(Case::as_select())
            .load(c))
        .db()
    }

    /// The cases the given referrals became.
    pub fn of_referrals(conn: &mut DbConn, referral_ids: &[&ReferralId]) -> Result<Vec<Case>> {
        if referral_ids.is_empty() {
            return Ok(Vec::new());
        }
        direct!(conn, |c| cases::table
            .filter(cases::referral_id.eq_any(referral_ids.iter().map(|i| i.as_str())))
            .select(Case::as_select())
            .load(c))
        .db()
    }

    pub fn insert(conn: &mut DbConn, c: &Case) -> Result<()> {
        diesel::insert_into(cases::table)
            .values(c.clone())
            .execute(conn)
            .db()?;
        counts::shift(
            conn,
            &c.district_id,
            Counted::Case,
            None,
            Some(c.status.as_str()),
        )?;
        counts::shift_due(conn, &c.district_id, None, c.counted_due())
    }

    /// The day this case counts as due in `due_counts`: its next due date while followed.
    fn counted_due(&self) -> Option<chrono::NaiveDate> {
        due_if_followed(self.status, self.next_due_date)
    }

    /// Saves the case if its status is still `expected` and its due date is still the one this
    /// transaction read, keeping the counts in step (a concurrent follow-up that moved the due
    /// date makes this save fail, instead of the two shifting the same day's count twice).
    pub fn save_if(conn: &mut DbConn, c: &Case, expected: CaseStatus) -> Result<bool> {
        let before: Option<Option<chrono::NaiveDate>> = direct!(conn, |k| cases::table
            .find(c.id.as_str())
            .filter(cases::status.eq(expected.as_str()))
            .select(cases::next_due_date)
            .first(k)
            .optional())
        .db()?;
        let Some(due_before) = before else {
            return Ok(false);
        };
        let target = cases::table
            .find(c.id.as_str())
            .filter(cases::status.eq(expected.as_str()));
        let n = match due_before {
            Some(d) => diesel::update(target.filter(cases::next_due_date.eq(d)))
                .set(c.clone())
                .execute(conn),
            None => diesel::update(target.filter(cases::next_due_date.is_null()))
                .set(c.clone())
                .execute(conn),
        }
        .db()?;
        if n == 1 {
            counts::shift_due(
                conn,
                &c.district_id,
                due_if_followed(expected, due_before),
                c.counted_due(),
            )?;
        }
        if n == 1 && expected != c.status {
            let (from, to) = (expected.as_str(), c.status.as_str());
            counts::shift(conn, &c.district_id, Counted::Case, Some(from), Some(to))?;
            // A case closes once (closed is final): count its outcome then.
            if c.status == CaseStatus::Closed {
                let outcome = c.outcome.map(|o| o.as_str()).unwrap_or_default();
                counts::shift(conn, &c.district_id, Counted::Outcome, None, Some(outcome))?;
            }
        }
        Ok(n == 1)
    }

    pub fn list(
        conn: &mut DbConn,
        district_id: &DistrictId,
        f: &CaseFilter,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Case>> {
        let mut q = cases::table
            .filter(cases::district_id.eq(district_id.as_str()))
            .select(Case::as_select())
            .order(cases::id)
            .into_boxed();
        if let Some(a) = &f.agency_id {
            q = q.filter(cases::agency_id.eq(a.as_str()));
        }
        match f.statuses.as_slice() {
            [] => {}
            [one] => q = q.filter(cases::status.eq(one.as_str())),
            many => q = q.filter(cases::status.eq_any(many.iter().map(|s| s.as_str()))),
        }
        if let Some(p) = &f.person_id {
            q = q.filter(cases::person_id.eq(p.as_str()));
        }
        if f.hide_restricted {
            q = q.filter(diesel::dsl::not(
                cases::person_id.eq_any(
                    super::schema::person_restrictions::table
                        .select(super::schema::person_restrictions::person_id),
                ),
            ));
        }
        if let Some(day) = f.overdue_before {
            q = q
                .filter(followed_sql())
                .filter(cases::next_due_date.lt(day));
        }
        if let Some(day) = f.due_by {
            q = q
                .filter(followed_sql())
                .filter(cases::next_due_date.le(day));
        }
        if let Some(day) = f.check_due_by {
            q = q.filter(
                cases::id.eq_any(
                    outcome_checks::table
                        .filter(outcome_checks::status.eq(OutcomeCheckStatus::Due.as_str()))
                        .filter(outcome_checks::due_date.le(day))
                        .select(outcome_checks::case_id),
                ),
            );
        }
        if let Some(a) = after {
            q = q.filter(cases::id.gt(a));
        }
        q.limit(limit + 1).load(conn).db()
    }

    pub fn open_of_person(conn: &mut DbConn, person_id: &PersonId) -> Result<Vec<Case>> {
        direct!(conn, |c| cases::table
            .filter(cases::person_id.eq(person_id.as_str()))
            .filter(cases::status.ne(CaseStatus::Closed.as_str()))
            .select(Case::as_select())
            .load(c))
        .db()
    }

    /// Followed cases of the district whose next follow-up is before `today` (kept counts).
    pub fn count_overdue(
        conn: &mut DbConn,
        district_id: &DistrictId,
        today: chrono::NaiveDate,
    ) -> Result<i64> {
        counts::due_before(conn, district_id, today)
    }

    /// How many cases of the district are in each state (kept counts, not a scan).
    pub fn count_by_status(
        conn: &mut DbConn,
        district_id: &DistrictId,
    ) -> Result<Vec<(CaseStatus, i64)>> {
        counts::of(conn, district_id, Counted::Case)?
            .into_iter()
            .map(|(s, n)| Ok((CaseStatus::from_db(&s)?, n)))
            .collect()
    }

    pub fn count_by_outcome(
        conn: &mut DbConn,
        district_id: &DistrictId,
    ) -> Result<Vec<(Option<Outcome>, i64)>> {
        counts::of(conn, district_id, Counted::Outcome)?
            .into_iter()
            .map(|(o, n)| {
                let outcome = (!o.is_empty()).then(|| Outcome::from_db(&o)).transpose()?;
                Ok((outcome, n))
            })
            .collect()
    }
}

/// An outcome check fallen due and not yet announced, with what its event names.
#[derive(Debug, Clone)]
pub struct DueCheck {
    pub id: OutcomeCheckId,
    pub case_id: CaseId,
    pub months: i32,
    pub due_date: chrono::NaiveDate,
    pub agency_id: OrganizationId,
    pub district_id: DistrictId,
}

impl OutcomeCheck {
    pub fn insert(conn: &mut DbConn, c: &OutcomeCheck) -> Result<()> {
        diesel::insert_into(outcome_checks::table)
            .values(c.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn of_case(conn: &mut DbConn, case_id: &CaseId) -> Result<Vec<OutcomeCheck>> {
        direct!(conn, |c| outcome_checks::table
            .filter(outcome_checks::case_id.eq(case_id.as_str()))
            .order(outcome_checks::months)
            .select(OutcomeCheck::as_select())
            .load(c))
        .db()
    }

    pub fn find(conn: &mut DbConn, id: &OutcomeCheckId) -> Result<OutcomeCheck> {
        direct!(conn, |c| outcome_checks::table
            .find(id.as_str())
            .select(OutcomeCheck::as_select())
            .first(c))
        .db()
    }

    pub fn save_if_due(conn: &mut DbConn, c: &OutcomeCheck) -> Result<bool> {
        let n = diesel::update(
            outcome_checks::table
                .find(c.id.as_str())
                .filter(outcome_checks::status.eq(OutcomeCheckStatus::Due.as_str())),
        )
        .set(c.clone())
        .execute(conn)
        .db()?;
        Ok(n == 1)
    }

    pub fn delete_due_of_case(conn: &mut DbConn, case_id: &CaseId) -> Result<usize> {
        diesel::delete(
            outcome_checks::table
                .filter(outcome_checks::case_id.eq(case_id.as_str()))
                .filter(outcome_checks::status.eq(OutcomeCheckStatus::Due.as_str())),
        )
        .execute(conn)
        .db()
    }

    /// Checks due by `today` whose event was not raised yet (at most `limit`).
    pub fn due_unannounced(
        conn: &mut DbConn,
        today: chrono::NaiveDate,
        limit: i64,
    ) -> Result<Vec<DueCheck>> {
        let rows: Vec<(String, String, i32, chrono::NaiveDate, String, String)> =
            outcome_checks::table
                .inner_join(cases::table)
                .filter(outcome_checks::status.eq(OutcomeCheckStatus::Due.as_str()))
                .filter(outcome_checks::due_date.le(today))
                .filter(outcome_checks::notified_at.is_null())
                .select((
                    outcome_checks::id,
                    outcome_checks::case_id,
                    outcome_checks::months,
                    outcome_checks::due_date,
                    cases::agency_id,
                    cases::district_id,
                ))
                .limit(limit)
                .load(conn)
                .db()?;
        Ok(rows
            .into_iter()
            .map(
                |(id, case_id, months, due_date, agency_id, district_id)| DueCheck {
                    id: id.into(),
                    case_id: case_id.into(),
                    months,
                    due_date,
                    agency_id: agency_id.into(),
                    district_id: district_id.into(),
                },
            )
            .collect())
    }

    /// Marks a check announced, if no other instance did first.
    pub fn mark_announced(
        conn: &mut DbConn,
        id: &OutcomeCheckId,
        at: chrono::NaiveDateTime,
    ) -> Result<bool> {
        let n = diesel::update(
            outcome_checks::table
                .find(id.as_str())
                .filter(outcome_checks::notified_at.is_null()),
        )
        .set(outcome_checks::notified_at.eq(Some(at)))
        .execute(conn)
        .db()?;
        Ok(n == 1)
    }
}
