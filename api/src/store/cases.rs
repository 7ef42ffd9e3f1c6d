//! Cases (prese in carico) and their outcome checks.

use diesel::prelude::*;

use super::schema::{cases, outcome_checks};
use super::DbConn;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, Identifiable)]
#[diesel(table_name = cases, treat_none_as_null = true)]
pub struct Case {
    pub id: String,
    pub district_id: String,
    pub person_id: String,
    pub referral_id: String,
    pub agency_id: String,
    pub case_manager_id: Option<String>,
    pub status: String,
    pub suspended_from: Option<String>,
    pub first_meeting_date: Option<chrono::NaiveDate>,
    pub plan_goals: Option<String>,
    pub outcome: Option<String>,
    pub outcome_details: Option<String>,
    pub closed_at: Option<chrono::NaiveDateTime>,
    pub next_due_date: Option<chrono::NaiveDate>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = outcome_checks, treat_none_as_null = true)]
pub struct OutcomeCheck {
    pub id: String,
    pub case_id: String,
    pub months: i32,
    pub due_date: chrono::NaiveDate,
    pub status: String,
    pub employed: Option<bool>,
    pub note: Option<String>,
    pub recorded_by: Option<String>,
    pub recorded_at: Option<chrono::NaiveDateTime>,
    pub created_at: chrono::NaiveDateTime,
    pub notified_at: Option<chrono::NaiveDateTime>,
}

#[derive(Debug, Default)]
pub struct CaseFilter {
    pub agency_id: Option<String>,
    pub statuses: Vec<String>,
    pub person_id: Option<String>,
    /// Open cases whose next follow-up was due before this day.
    pub overdue_before: Option<chrono::NaiveDate>,
}

pub const OPEN_STATES: [&str; 5] = ["assigned", "in_charge", "active", "monitoring", "suspended"];

impl Case {
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Case> {
        cases::table.find(id).select(Case::as_select()).first(conn)
    }

    pub fn find_by_referral(conn: &mut DbConn, referral_id: &str) -> QueryResult<Option<Case>> {
        cases::table
            .filter(cases::referral_id.eq(referral_id))
            .select(Case::as_select())
            .first(conn)
            .optional()
    }

    pub fn insert(conn: &mut DbConn, c: &Case) -> QueryResult<()> {
        diesel::insert_into(cases::table)
            .values(c)
            .execute(conn)
            .map(|_| ())
    }

    pub fn save_if(conn: &mut DbConn, c: &Case, expected: &str) -> QueryResult<bool> {
        let n = diesel::update(cases::table.find(&c.id).filter(cases::status.eq(expected)))
            .set(c)
            .execute(conn)?;
        Ok(n == 1)
    }

    pub fn list(
        conn: &mut DbConn,
        district_id: &str,
        f: &CaseFilter,
        after: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<Case>> {
        let mut q = cases::table
            .filter(cases::district_id.eq(district_id.to_string()))
            .select(Case::as_select())
            .order(cases::id)
            .into_boxed();
        if let Some(a) = &f.agency_id {
            q = q.filter(cases::agency_id.eq(a.clone()));
        }
        match f.statuses.as_slice() {
            [] => {}
            [one] => q = q.filter(cases::status.eq(one.clone())),
            many => q = q.filter(cases::status.eq_any(many.to_vec())),
        }
        if let Some(p) = &f.person_id {
            q = q.filter(cases::person_id.eq(p.clone()));
        }
        if let Some(day) = f.overdue_before {
            q = q
                .filter(cases::status.eq_any(["assigned", "in_charge", "active", "monitoring"]))
                .filter(cases::next_due_date.lt(day));
        }
        if let Some(a) = after {
            q = q.filter(cases::id.gt(a.to_string()));
        }
        q.limit(limit + 1).load(conn)
    }

    pub fn open_of_person(conn: &mut DbConn, person_id: &str) -> QueryResult<Vec<Case>> {
        cases::table
            .filter(cases::person_id.eq(person_id))
            .filter(cases::status.ne("closed"))
            .select(Case::as_select())
            .load(conn)
    }

    pub fn count_overdue(
        conn: &mut DbConn,
        district_id: &str,
        agency_id: Option<&str>,
        today: chrono::NaiveDate,
    ) -> QueryResult<i64> {
        let mut q = cases::table
            .filter(cases::district_id.eq(district_id.to_string()))
            .filter(cases::status.eq_any(["assigned", "in_charge", "active", "monitoring"]))
            .filter(cases::next_due_date.lt(today))
            .into_boxed();
        if let Some(a) = agency_id {
            q = q.filter(cases::agency_id.eq(a.to_string()));
        }
        q.count().get_result(conn)
    }

    pub fn count_by_status(
        conn: &mut DbConn,
        district_id: &str,
    ) -> QueryResult<Vec<(String, i64)>> {
        cases::table
            .filter(cases::district_id.eq(district_id))
            .group_by(cases::status)
            .select((cases::status, diesel::dsl::count_star()))
            .load(conn)
    }

    pub fn count_by_outcome(
        conn: &mut DbConn,
        district_id: &str,
    ) -> QueryResult<Vec<(Option<String>, i64)>> {
        cases::table
            .filter(cases::district_id.eq(district_id))
            .filter(cases::status.eq("closed"))
            .group_by(cases::outcome)
            .select((cases::outcome, diesel::dsl::count_star()))
            .load(conn)
    }
}

impl OutcomeCheck {
    pub fn insert(conn: &mut DbConn, c: &OutcomeCheck) -> QueryResult<()> {
        diesel::insert_into(outcome_checks::table)
            .values(c)
            .execute(conn)
            .map(|_| ())
    }

    pub fn of_case(conn: &mut DbConn, case_id: &str) -> QueryResult<Vec<OutcomeCheck>> {
        outcome_checks::table
            .filter(outcome_checks::case_id.eq(case_id))
            .order(outcome_checks::months)
            .select(OutcomeCheck::as_select())
            .load(conn)
    }

    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<OutcomeCheck> {
        outcome_checks::table
            .find(id)
            .select(OutcomeCheck::as_select())
            .first(conn)
    }

    pub fn save_if_due(conn: &mut DbConn, c: &OutcomeCheck) -> QueryResult<bool> {
        let n = diesel::update(
            outcome_checks::table
                .find(&c.id)
                .filter(outcome_checks::status.eq("due")),
        )
        .set(c)
        .execute(conn)?;
        Ok(n == 1)
    }

    pub fn delete_due_of_case(conn: &mut DbConn, case_id: &str) -> QueryResult<usize> {
        diesel::delete(
            outcome_checks::table
                .filter(outcome_checks::case_id.eq(case_id))
                .filter(outcome_checks::status.eq("due")),
        )
        .execute(conn)
    }
}
