//! Restriction (GDPR art. 18), anonymisation (art. 17) and retention: the rows, the erasure
//! statements and the retention scan, for both backends.
//!
//! The freeze of a restricted person is not here but in the database: triggers of migration
//! `000023` refuse every change of her record, referrals, cases, activations, follow-ups,
//! documents and consents (`RAISE … 'person_restricted'`, read by [`crate::db_error`] as
//! `409 person_restricted`), whatever the use case.

use std::collections::{BTreeMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use sistema_lavoro_domain::ids::{AnonymisationRequestId, DistrictId, PersonId};
use sistema_lavoro_domain::states::CaseStatus;
use sistema_lavoro_domain::subject_rights::{AnonymisationStatus, LegalGround};

use super::schema::{
    activations, anonymisation_requests, cases, decisions, documents, follow_ups, meetings,
    notifications, opportunity_proposals, outcome_checks, person_consents, person_restrictions,
    persons, referrals, service_pact_actions, service_pacts, shared_response_proposals,
    state_changes,
};
use super::{Db, DbConn, Result};

/// A person whose processing is restricted, while she is.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = person_restrictions)]
pub struct Restriction {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub person_id: PersonId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub district_id: DistrictId,
    pub reason: String,
    pub restricted_by: String,
    pub restricted_at: NaiveDateTime,
}

impl Restriction {
    pub fn find(conn: &mut DbConn, person: &PersonId) -> Result<Option<Restriction>> {
        person_restrictions::table
            .find(person.as_str())
            .select(Restriction::as_select())
            .first(conn)
            .optional()
            .db()
    }

    pub fn insert(conn: &mut DbConn, r: &Restriction) -> Result<()> {
        diesel::insert_into(person_restrictions::table)
            .values(r.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    /// Ends the restriction; whether there was one.
    pub fn delete(conn: &mut DbConn, person: &PersonId) -> Result<bool> {
        diesel::delete(person_restrictions::table.find(person.as_str()))
            .execute(conn)
            .map(|n| n > 0)
            .db()
    }

    /// Which of these persons are restricted (one query for a page).
    pub fn among(conn: &mut DbConn, ids: &[&str]) -> Result<HashSet<String>> {
        if ids.is_empty() {
            return Ok(HashSet::new());
        }
        let rows: Vec<String> = person_restrictions::table
            .filter(person_restrictions::person_id.eq_any(ids))
            .select(person_restrictions::person_id)
            .load(conn)
            .db()?;
        Ok(rows.into_iter().collect())
    }

    pub fn is_restricted(conn: &mut DbConn, person: &PersonId) -> Result<bool> {
        Ok(Self::find(conn, person)?.is_some())
    }
}

/// A request to anonymise a person.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = anonymisation_requests, treat_none_as_null = true)]
pub struct AnonymisationRequest {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: AnonymisationRequestId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub district_id: DistrictId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub person_id: PersonId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: AnonymisationStatus,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub legal_ground: LegalGround,
    pub reason: Option<String>,
    pub requested_by: String,
    pub requested_at: NaiveDateTime,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub decision_note: Option<String>,
}

impl AnonymisationRequest {
    pub fn insert(conn: &mut DbConn, r: &AnonymisationRequest) -> Result<()> {
        diesel::insert_into(anonymisation_requests::table)
            .values(r.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn find(conn: &mut DbConn, id: &AnonymisationRequestId) -> Result<AnonymisationRequest> {
        anonymisation_requests::table
            .find(id.as_str())
            .select(AnonymisationRequest::as_select())
            .first(conn)
            .db()
    }

    /// Saves the decided request if it was still `expected` when read: of two approvals at
    /// once, one wins.
    pub fn save_if(
        conn: &mut DbConn,
        r: &AnonymisationRequest,
        expected: AnonymisationStatus,
    ) -> Result<bool> {
        diesel::update(
            anonymisation_requests::table
                .find(r.id.as_str())
                .filter(anonymisation_requests::status.eq(expected.as_str())),
        )
        .set(r.clone())
        .execute(conn)
        .map(|n| n == 1)
        .db()
    }

    pub fn pending_of(
        conn: &mut DbConn,
        person: &PersonId,
    ) -> Result<Option<AnonymisationRequest>> {
        anonymisation_requests::table
            .filter(anonymisation_requests::person_id.eq(person.as_str()))
            .filter(anonymisation_requests::status.eq(AnonymisationStatus::Pending.as_str()))
            .select(AnonymisationRequest::as_select())
            .first(conn)
            .optional()
            .db()
    }

    /// Which of these persons have a request waiting (one query for a page).
    pub fn pending_among(conn: &mut DbConn, ids: &[&str]) -> Result<HashSet<String>> {
        if ids.is_empty() {
            return Ok(HashSet::new());
        }
        let rows: Vec<String> = anonymisation_requests::table
            .filter(anonymisation_requests::person_id.eq_any(ids))
            .filter(anonymisation_requests::status.eq(AnonymisationStatus::Pending.as_str()))
            .select(anonymisation_requests::person_id)
            .load(conn)
            .db()?;
        Ok(rows.into_iter().collect())
    }

    pub fn list(
        conn: &mut DbConn,
        district: &DistrictId,
        status: Option<AnonymisationStatus>,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<AnonymisationRequest>> {
        let mut q = anonymisation_requests::table
            .filter(anonymisation_requests::district_id.eq(district.as_str()))
            .select(AnonymisationRequest::as_select())
            .order(anonymisation_requests::id)
            .into_boxed();
        if let Some(s) = status {
            q = q.filter(anonymisation_requests::status.eq(s.as_str()));
        }
        if let Some(a) = after {
            q = q.filter(anonymisation_requests::id.gt(a));
        }
        q.limit(limit + 1).load(conn).db()
    }

    /// Empties the free text of every request of the person (it may name her).
    pub fn clear_texts_of(conn: &mut DbConn, person: &PersonId) -> Result<()> {
        diesel::update(
            anonymisation_requests::table
                .filter(anonymisation_requests::person_id.eq(person.as_str())),
        )
        .set((
            anonymisation_requests::reason.eq(None::<String>),
            anonymisation_requests::decision_note.eq(None::<String>),
        ))
        .execute(conn)
        .map(drop)
        .db()
    }
}

/// What statistics keep of the person's record.
#[derive(Debug, Clone)]
pub struct Kept {
    pub tax_code: String,
    pub first_name: String,
    pub last_name: String,
    pub name_key: String,
    pub birth_date: NaiveDate,
    pub citizenship: Option<String>,
}

/// What the erasure removed, for the audit row (counts, no content).
#[derive(Debug, Clone, Default)]
pub struct Erased {
    pub referrals: usize,
    pub cases: usize,
    pub documents: usize,
}

/// The ids of the records an erasure reaches.
struct Reach {
    referrals: Vec<String>,
    cases: Vec<String>,
    activations: Vec<String>,
    consents: Vec<String>,
    documents: Vec<String>,
}

fn reach(conn: &mut DbConn, person: &PersonId) -> Result<Reach> {
    let referrals: Vec<String> = referrals::table
        .filter(referrals::person_id.eq(person.as_str()))
        .select(referrals::id)
        .load(conn)
        .db()?;
    let cases: Vec<String> = cases::table
        .filter(cases::person_id.eq(person.as_str()))
        .select(cases::id)
        .load(conn)
        .db()?;
    let activations: Vec<String> = activations::table
        .filter(activations::case_id.eq_any(&cases))
        .select(activations::id)
        .load(conn)
        .db()?;
    let consents: Vec<String> = person_consents::table
        .filter(person_consents::person_id.eq(person.as_str()))
        .select(person_consents::id)
        .load(conn)
        .db()?;
    let documents: Vec<String> = documents::table
        .filter(
            documents::referral_id
                .eq_any(
                    referrals
                        .iter()
                        .map(|s| Some(s.as_str()))
                        .collect::<Vec<_>>(),
                )
                .or(documents::case_id
                    .eq_any(cases.iter().map(|s| Some(s.as_str())).collect::<Vec<_>>())),
        )
        .select(documents::id)
        .load(conn)
        .db()?;
    Ok(Reach {
        referrals,
        cases,
        activations,
        consents,
        documents,
    })
}

/// Removes everything that names or describes the person and keeps what statistics need
/// (the states, measures and outcomes of her cases; `kept`). Run inside the caller's
/// transaction: either all of it happens or none. A restricted person's records refuse it
/// (the triggers): the restriction is lifted first.
pub fn erase(
    conn: &mut DbConn,
    person: &PersonId,
    kept: &Kept,
    at: NaiveDateTime,
) -> Result<Erased> {
    let r = reach(conn, person)?;
    let no_text = None::<String>;
    // The signed papers and the pact's signed copy point at documents about to go.
    diesel::update(person_consents::table.filter(person_consents::person_id.eq(person.as_str())))
        .set((
            person_consents::document_id.eq(&no_text),
            person_consents::withdrawal_reason.eq(&no_text),
        ))
        .execute(conn)
        .db()?;
    let pacts: Vec<String> = service_pacts::table
        .filter(service_pacts::case_id.eq_any(&r.cases))
        .select(service_pacts::id)
        .load(conn)
        .db()?;
    diesel::update(service_pacts::table.filter(service_pacts::id.eq_any(&pacts)))
        .set((
            service_pacts::signed_document_id.eq(&no_text),
            service_pacts::profile_value.eq(&no_text),
            service_pacts::assessment.eq(&no_text),
            service_pacts::meeting_frequency.eq(&no_text),
            service_pacts::job_search_proof.eq(&no_text),
            service_pacts::summary.eq(""),
        ))
        .execute(conn)
        .db()?;
    diesel::update(
        service_pact_actions::table.filter(service_pact_actions::pact_id.eq_any(&pacts)),
    )
    .set(service_pact_actions::description.eq(""))
    .execute(conn)
    .db()?;
    let documents = diesel::delete(documents::table.filter(documents::id.eq_any(&r.documents)))
        .execute(conn)
        .db()?;
    diesel::update(referrals::table.filter(referrals::id.eq_any(&r.referrals)))
        .set((
            referrals::reason.eq(""),
            referrals::status_note.eq(&no_text),
            referrals::duplicate_reason.eq(&no_text),
        ))
        .execute(conn)
        .db()?;
    diesel::update(cases::table.filter(cases::id.eq_any(&r.cases)))
        .set((
            cases::plan_goals.eq(&no_text),
            cases::outcome_details.eq(&no_text),
        ))
        .execute(conn)
        .db()?;
    diesel::update(activations::table.filter(activations::id.eq_any(&r.activations)))
        .set(activations::note.eq(&no_text))
        .execute(conn)
        .db()?;
    diesel::update(follow_ups::table.filter(follow_ups::case_id.eq_any(&r.cases)))
        .set(follow_ups::note.eq(""))
        .execute(conn)
        .db()?;
    diesel::update(outcome_checks::table.filter(outcome_checks::case_id.eq_any(&r.cases)))
        .set(outcome_checks::note.eq(&no_text))
        .execute(conn)
        .db()?;
    diesel::update(
        decisions::table.filter(
            decisions::referral_id
                .eq_any(
                    r.referrals
                        .iter()
                        .map(|s| Some(s.as_str()))
                        .collect::<Vec<_>>(),
                )
                .or(decisions::case_id
                    .eq_any(r.cases.iter().map(|s| Some(s.as_str())).collect::<Vec<_>>())),
        ),
    )
    .set(decisions::reason.eq(&no_text))
    .execute(conn)
    .db()?;
    diesel::update(
        shared_response_proposals::table
            .filter(shared_response_proposals::case_id.eq_any(&r.cases)),
    )
    .set(shared_response_proposals::note.eq(&no_text))
    .execute(conn)
    .db()?;
    diesel::update(
        opportunity_proposals::table.filter(opportunity_proposals::case_id.eq_any(&r.cases)),
    )
    .set((
        opportunity_proposals::note.eq(&no_text),
        opportunity_proposals::answer.eq(&no_text),
    ))
    .execute(conn)
    .db()?;
    // The history keeps who did what and when, by ids; its free text goes.
    let mut entities: Vec<&str> = vec![person.as_str()];
    let requests: Vec<String> = anonymisation_requests::table
        .filter(anonymisation_requests::person_id.eq(person.as_str()))
        .select(anonymisation_requests::id)
        .load(conn)
        .db()?;
    for ids in [
        &r.referrals,
        &r.cases,
        &r.activations,
        &r.consents,
        &r.documents,
        &requests,
    ] {
        entities.extend(ids.iter().map(|s| s.as_str()));
    }
    for chunk in entities.chunks(500) {
        diesel::update(state_changes::table.filter(state_changes::entity_id.eq_any(chunk)))
            .set(state_changes::reason.eq(&no_text))
            .execute(conn)
            .db()?;
    }
    AnonymisationRequest::clear_texts_of(conn, person)?;
    diesel::update(persons::table.find(person.as_str()))
        .set((
            persons::tax_code.eq(&kept.tax_code),
            persons::first_name.eq(&kept.first_name),
            persons::last_name.eq(&kept.last_name),
            persons::name_key.eq(&kept.name_key),
            persons::birth_date.eq(kept.birth_date),
            persons::birth_place_code.eq(&no_text),
            persons::citizenship.eq(&kept.citizenship),
            persons::email.eq(&no_text),
            persons::phone.eq(&no_text),
            persons::address.eq(&no_text),
            persons::education_level.eq(&no_text),
            persons::cluster.eq(&no_text),
            persons::disability_notes.eq(&no_text),
            persons::criminal_justice_notes.eq(&no_text),
            persons::has_disability.eq(false),
            persons::criminal_justice.eq(false),
            persons::anonymised_at.eq(Some(at)),
            persons::updated_at.eq(at),
        ))
        .execute(conn)
        .db()?;
    Ok(Erased {
        referrals: r.referrals.len(),
        cases: r.cases.len(),
        documents,
    })
}

/// The table's reasons on the person's referrals and cases (the minutes repeat them).
pub fn decision_reasons(conn: &mut DbConn, person: &PersonId) -> Result<Vec<String>> {
    let r = reach(conn, person)?;
    let rows: Vec<Option<String>> = decisions::table
        .filter(
            decisions::referral_id
                .eq_any(
                    r.referrals
                        .iter()
                        .map(|s| Some(s.as_str()))
                        .collect::<Vec<_>>(),
                )
                .or(decisions::case_id
                    .eq_any(r.cases.iter().map(|s| Some(s.as_str())).collect::<Vec<_>>())),
        )
        .select(decisions::reason)
        .load(conn)
        .db()?;
    Ok(rows
        .into_iter()
        .flatten()
        .filter(|r| !r.trim().is_empty())
        .collect())
}

/// The notifications about these referrals and cases (by their link), with their parameters.
pub fn notifications_about(conn: &mut DbConn, links: &[String]) -> Result<Vec<(String, String)>> {
    if links.is_empty() {
        return Ok(Vec::new());
    }
    notifications::table
        .filter(notifications::link.eq_any(links))
        .select((notifications::id, notifications::params))
        .load(conn)
        .db()
}

pub fn set_notification_params(conn: &mut DbConn, id: &str, params: &str) -> Result<()> {
    diesel::update(notifications::table.find(id))
        .set(notifications::params.eq(params))
        .execute(conn)
        .map(drop)
        .db()
}

/// A meeting's id with its minutes, Markdown and HTML.
pub type Minutes = (String, Option<String>, Option<String>);

/// The meetings whose minutes name this text (a tax code), with their minutes.
pub fn minutes_naming(
    conn: &mut DbConn,
    district: &DistrictId,
    needle: &str,
) -> Result<Vec<Minutes>> {
    meetings::table
        .filter(meetings::district_id.eq(district.as_str()))
        // A tax code is letters and digits only: nothing to escape in the pattern.
        .filter(meetings::minutes_md.like(format!("%{needle}%")))
        .select((meetings::id, meetings::minutes_md, meetings::minutes_html))
        .load(conn)
        .db()
}

pub fn set_minutes(
    conn: &mut DbConn,
    id: &str,
    md: Option<String>,
    html: Option<String>,
) -> Result<()> {
    diesel::update(meetings::table.find(id))
        .set((meetings::minutes_md.eq(md), meetings::minutes_html.eq(html)))
        .execute(conn)
        .map(drop)
        .db()
}

/// A person of the district due for anonymisation by retention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub person_id: PersonId,
    /// The day her last case closed.
    pub last_closed: NaiveDate,
}

/// The persons of the district not yet anonymised whose every case is closed, with the day the
/// last one closed (the caller adds the retention period).
pub fn closed_persons(conn: &mut DbConn, district: &DistrictId) -> Result<Vec<Due>> {
    let rows: Vec<(String, String, Option<NaiveDateTime>)> = cases::table
        .inner_join(persons::table)
        .filter(cases::district_id.eq(district.as_str()))
        .filter(persons::anonymised_at.is_null())
        .select((cases::person_id, cases::status, cases::closed_at))
        .order((cases::person_id, cases::id))
        .load(conn)
        .db()?;
    let mut by_person: BTreeMap<String, (bool, Option<NaiveDate>)> = BTreeMap::new();
    for (person, status, closed_at) in rows {
        let e = by_person.entry(person).or_insert((false, None));
        if status != CaseStatus::Closed.as_str() || closed_at.is_none() {
            e.0 = true;
        } else if let Some(at) = closed_at {
            let day = at.date();
            e.1 = Some(e.1.map_or(day, |d: NaiveDate| d.max(day)));
        }
    }
    Ok(by_person
        .into_iter()
        .filter_map(|(p, (open, last))| match (open, last) {
            (false, Some(d)) => Some(Due {
                person_id: p.into(),
                last_closed: d,
            }),
            _ => None,
        })
        .collect())
}
