//! The legal basis of processing: the district's privacy notices (versioned per purpose) and,
//! per person, the notices given and the consents collected.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use sistema_lavoro_domain::ids::{ConsentId, DistrictId, PersonId, PrivacyNoticeId};
use sistema_lavoro_domain::privacy::{ConsentKind, ConsentMethod, PrivacyPurpose};

use super::schema::{
    cases, collective_action_beneficiaries as beneficiaries, person_consents, privacy_notices,
};
use super::types::NullableText;
use super::{Db, DbConn, Result};
use crate::collective::Beneficiary;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = privacy_notices)]
pub struct Notice {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: PrivacyNoticeId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub district_id: DistrictId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub purpose: PrivacyPurpose,
    pub version: i32,
    pub title: String,
    pub body: String,
    pub valid_from: NaiveDate,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

impl Notice {
    pub fn insert(conn: &mut DbConn, n: &Notice) -> Result<()> {
        diesel::insert_into(privacy_notices::table)
            .values(n.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn find(conn: &mut DbConn, id: &PrivacyNoticeId) -> Result<Notice> {
        privacy_notices::table
            .find(id.as_str())
            .select(Notice::as_select())
            .first(conn)
            .db()
    }

    /// The number the next version of this purpose takes.
    pub fn next_version(
        conn: &mut DbConn,
        district: &DistrictId,
        purpose: PrivacyPurpose,
    ) -> Result<i32> {
        let max: Option<i32> = privacy_notices::table
            .filter(privacy_notices::district_id.eq(district.as_str()))
            .filter(privacy_notices::purpose.eq(purpose.as_str()))
            .select(diesel::dsl::max(privacy_notices::version))
            .first(conn)
            .db()?;
        Ok(max.unwrap_or(0) + 1)
    }

    /// A district's notices by purpose, then version (a handful per purpose).
    pub fn of_district(conn: &mut DbConn, district: &DistrictId) -> Result<Vec<Notice>> {
        privacy_notices::table
            .filter(privacy_notices::district_id.eq(district.as_str()))
            .order((privacy_notices::purpose, privacy_notices::version))
            .select(Notice::as_select())
            .load(conn)
            .db()
    }
}

/// Of a district's notices (as [`Notice::of_district`] gives them), those in force on `today`:
/// per purpose, the highest version whose `valid_from` has come.
pub fn in_force(notices: &[Notice], today: NaiveDate) -> Vec<&Notice> {
    let mut out: Vec<&Notice> = Vec::new();
    for n in notices.iter().filter(|n| n.valid_from <= today) {
        match out.iter_mut().find(|o| o.purpose == n.purpose) {
            Some(o) if o.version < n.version => *o = n,
            Some(_) => {}
            None => out.push(n),
        }
    }
    out
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = person_consents, treat_none_as_null = true)]
pub struct Consent {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: ConsentId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub person_id: PersonId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub kind: ConsentKind,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub purpose: PrivacyPurpose,
    #[diesel(deserialize_as = NullableText<PrivacyNoticeId>, serialize_as = NullableText<PrivacyNoticeId>)]
    pub notice_id: Option<PrivacyNoticeId>,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub method: ConsentMethod,
    pub document_id: Option<String>,
    pub given_at: NaiveDateTime,
    pub given_by: String,
    pub expires_on: Option<NaiveDate>,
    pub withdrawn_at: Option<NaiveDateTime>,
    pub withdrawn_by: Option<String>,
    pub withdrawal_reason: Option<String>,
}

impl Consent {
    pub fn insert(conn: &mut DbConn, c: &Consent) -> Result<()> {
        diesel::insert_into(person_consents::table)
            .values(c.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn find(conn: &mut DbConn, id: &ConsentId) -> Result<Consent> {
        person_consents::table
            .find(id.as_str())
            .select(Consent::as_select())
            .first(conn)
            .db()
    }

    /// A person's notices and consents, oldest first.
    pub fn of_person(conn: &mut DbConn, person: &PersonId) -> Result<Vec<Consent>> {
        person_consents::table
            .filter(person_consents::person_id.eq(person.as_str()))
            .order(person_consents::id)
            .select(Consent::as_select())
            .load(conn)
            .db()
    }

    /// Whether the person was given a notice for this purpose (any version).
    pub fn notice_given(
        conn: &mut DbConn,
        person: &PersonId,
        purpose: PrivacyPurpose,
    ) -> Result<bool> {
        let n: i64 = person_consents::table
            .filter(person_consents::person_id.eq(person.as_str()))
            .filter(person_consents::kind.eq(ConsentKind::Notice.as_str()))
            .filter(person_consents::purpose.eq(purpose.as_str()))
            .filter(person_consents::withdrawn_at.is_null())
            .count()
            .get_result(conn)
            .db()?;
        Ok(n > 0)
    }

    /// Records the withdrawal, only if it was not withdrawn already.
    pub fn withdraw(
        conn: &mut DbConn,
        id: &ConsentId,
        by: &str,
        at: NaiveDateTime,
        reason: Option<&str>,
    ) -> Result<bool> {
        let n = diesel::update(
            person_consents::table
                .find(id.as_str())
                .filter(person_consents::withdrawn_at.is_null()),
        )
        .set((
            person_consents::withdrawn_at.eq(Some(at)),
            person_consents::withdrawn_by.eq(Some(by)),
            person_consents::withdrawal_reason.eq(reason),
        ))
        .execute(conn)
        .db()?;
        Ok(n == 1)
    }
}

/// The person's current places among collective actions' beneficiaries (through its cases).
pub fn current_beneficiaries(conn: &mut DbConn, person: &PersonId) -> Result<Vec<Beneficiary>> {
    beneficiaries::table
        .inner_join(cases::table)
        .filter(cases::person_id.eq(person.as_str()))
        .filter(beneficiaries::removed_at.is_null())
        .order(beneficiaries::id)
        .select(Beneficiary::as_select())
        .load(conn)
        .db()
}
