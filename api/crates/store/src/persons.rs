//! Persons (cittadini): one per tax code per district.

use diesel::prelude::*;
use sistema_lavoro_domain::ids::{DistrictId, OrganizationId, PersonId, UserId};
use sistema_lavoro_domain::policy::PersonScope;
use sistema_lavoro_domain::vocabulary::{
    Cluster, EducationLevel, EmploymentStatus, Gender, TargetGroup,
};

use super::schema::{cases, person_restrictions, persons, referrals};
use super::types::{JsonList, NullableText};
use super::{Db, DbConn, Result};
use crate::direct::direct;

#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, Identifiable, serde::Serialize,
)]
#[diesel(table_name = persons, treat_none_as_null = true)]
pub struct Person {
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: PersonId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub district_id: DistrictId,
    pub tax_code: String,
    pub first_name: String,
    pub last_name: String,
    pub name_key: String,
    pub birth_date: chrono::NaiveDate,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub gender: Gender,
    pub birth_place_code: Option<String>,
    pub residence_municipality_code: Option<String>,
    pub citizenship: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    #[diesel(
        deserialize_as = NullableText<EducationLevel>,
        serialize_as = NullableText<EducationLevel>
    )]
    pub education_level: Option<EducationLevel>,
    #[diesel(
        deserialize_as = NullableText<EmploymentStatus>,
        serialize_as = NullableText<EmploymentStatus>
    )]
    pub employment_status: Option<EmploymentStatus>,
    #[diesel(deserialize_as = NullableText<Cluster>, serialize_as = NullableText<Cluster>)]
    pub cluster: Option<Cluster>,
    #[diesel(deserialize_as = JsonList<TargetGroup>, serialize_as = JsonList<TargetGroup>)]
    pub target_groups: Vec<TargetGroup>,
    pub has_disability: bool,
    pub disability_notes: Option<String>,
    pub criminal_justice: bool,
    pub criminal_justice_notes: Option<String>,
    pub created_by: Option<String>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
    /// When the person was anonymised (art. 17); the record then holds statistics only.
    pub anonymised_at: Option<chrono::NaiveDateTime>,
}

/// A person's id and special-category notes as stored (sealed).
pub type StoredNotes = (PersonId, Option<String>, Option<String>);

/// Which persons one read reaches.
#[derive(Debug, Clone, Copy)]
enum Reach<'a> {
    All,
    ReferredBy(&'a OrganizationId),
    RegisteredBy(&'a OrganizationId),
    FollowedBy(&'a OrganizationId),
}

#[derive(Debug, Default)]
pub struct PersonFilter {
    /// Prefix of the normalised "last first" name.
    pub name_prefix: Option<String>,
    pub tax_code: Option<String>,
}

/// Lower-case, accents folded, single spaces: "last first", for prefix search.
pub fn name_key(last: &str, first: &str) -> String {
    fold(&format!("{} {}", last.trim(), first.trim()))
}

pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            '\'' | '’' => ' ',
            c => c,
        };
        if c == ' ' && out.ends_with(' ') {
            continue;
        }
        out.push(c);
    }
    out.trim().to_string()
}

impl Person {
    pub fn find(conn: &mut DbConn, id: &PersonId) -> Result<Person> {
        direct!(conn, |c| persons::table
            .find(id.as_str())
            .select(Person::as_select())
            .first(c))
        .db()
    }

    pub fn find_many(conn: &mut DbConn, ids: &[&PersonId]) -> Result<Vec<Person>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        direct!(conn, |c| persons::table
            .filter(persons::id.eq_any(ids.iter().map(|i| i.as_str())))
            .select(Person::as_select())
            .load(c))
        .db()
    }

    pub fn find_by_tax_code(
        conn: &mut DbConn,
        district_id: &DistrictId,
        code: &str,
    ) -> Result<Option<Person>> {
        direct!(conn, |c| persons::table
            .filter(persons::district_id.eq(district_id.as_str()))
            .filter(persons::tax_code.eq(code))
            .select(Person::as_select())
            .first(c)
            .optional())
        .db()
    }

    /// Persons of the district with this search key (surname and name folded) and birth date:
    /// the same person under another code.
    pub fn same_name_and_birth(
        conn: &mut DbConn,
        district_id: &DistrictId,
        name_key: &str,
        birth_date: chrono::NaiveDate,
    ) -> Result<Vec<Person>> {
        persons::table
            .filter(persons::district_id.eq(district_id.as_str()))
            .filter(persons::name_key.eq(name_key))
            .filter(persons::birth_date.eq(birth_date))
            .select(Person::as_select())
            .limit(20)
            .load(conn)
            .db()
    }

    /// Holds the person's row until the transaction ends, so that two transactions deciding on
    /// the same person (e.g. "is a referral already open?") run one after the other on
    /// PostgreSQL; SQLite's `BEGIN IMMEDIATE` already serializes every write. Changes nothing.
    pub fn lock(conn: &mut DbConn, id: &PersonId) -> Result<()> {
        diesel::update(persons::table.find(id.as_str()))
            .set(persons::id.eq(persons::id))
            .execute(conn)
            .db()
            .map(drop)
    }

    pub fn insert(conn: &mut DbConn, p: &Person) -> Result<()> {
        diesel::insert_into(persons::table)
            .values(p.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    pub fn save(conn: &mut DbConn, p: &Person) -> Result<()> {
        diesel::update(persons::table.find(p.id.as_str()))
            .set(p.clone())
            .execute(conn)
            .map(drop)
            .db()
    }

    /// The next `limit` persons after `after` (by id) that hold a special-category note, with
    /// their notes as stored: what re-sealing goes through. On PostgreSQL the rows stay locked
    /// until the transaction ends (SQLite's `BEGIN IMMEDIATE` already holds every write), so
    /// no edit lands between reading a note and replacing it.
    pub fn notes_after(
        conn: &mut DbConn,
        after: Option<&PersonId>,
        limit: i64,
    ) -> Result<Vec<StoredNotes>> {
        let after = after.map(|a| a.as_str().to_string()).unwrap_or_default();
        let rows: Vec<(String, Option<String>, Option<String>)> = match conn {
            DbConn::Sqlite(c) => persons::table
                .filter(persons::id.gt(after))
                .filter(
                    persons::disability_notes
                        .is_not_null()
                        .or(persons::criminal_justice_notes.is_not_null()),
                )
                .order(persons::id)
                .limit(limit)
                .select((
                    persons::id,
                    persons::disability_notes,
                    persons::criminal_justice_notes,
                ))
                .load(c),
            DbConn::Pg(c) => persons::table
                .filter(persons::id.gt(after))
                .filter(
                    persons::disability_notes
                        .is_not_null()
                        .or(persons::criminal_justice_notes.is_not_null()),
                )
                .order(persons::id)
                .limit(limit)
                .select((
                    persons::id,
                    persons::disability_notes,
                    persons::criminal_justice_notes,
                ))
                .for_update()
                .load(c),
        }
        .db()?;
        Ok(rows
            .into_iter()
            .map(|(id, d, c)| (id.into(), d, c))
            .collect())
    }

    /// Replaces the notes of the row read by [`Person::notes_after`] (its version stays: the
    /// text did not change, only how it is sealed).
    pub fn replace_notes(
        conn: &mut DbConn,
        id: &PersonId,
        disability: Option<String>,
        criminal_justice: Option<String>,
    ) -> Result<()> {
        diesel::update(persons::table.find(id.as_str()))
            .set((
                persons::disability_notes.eq(disability),
                persons::criminal_justice_notes.eq(criminal_justice),
            ))
            .execute(conn)
            .map(drop)
            .db()
    }

    /// Whether `scope` lets its holder see person `id`.
    /// A restricted person (art. 18) is outside every scope but the district's.
    pub fn visible(conn: &mut DbConn, scope: &PersonScope, person: &Person) -> Result<bool> {
        if !matches!(scope, PersonScope::District)
            && super::subject_rights::Restriction::is_restricted(conn, &person.id)?
        {
            return Ok(false);
        }
        match scope {
            PersonScope::District => Ok(true),
            PersonScope::Referrer { organization_id } => {
                let referred: i64 = referrals::table
                    .filter(referrals::person_id.eq(person.id.as_str()))
                    .filter(referrals::organization_id.eq(organization_id.as_str()))
                    .count()
                    .get_result(conn)
                    .db()?;
                if referred > 0 {
                    return Ok(true);
                }
                let creator_org = match &person.created_by {
                    Some(u) => {
                        super::users::User::organization_of(conn, &UserId::from(u.as_str()))?
                    }
                    None => None,
                };
                Ok(creator_org.as_ref() == Some(organization_id))
            }
            PersonScope::Agency { agency_id } => {
                let n: i64 = cases::table
                    .filter(cases::person_id.eq(person.id.as_str()))
                    .filter(cases::agency_id.eq(agency_id.as_str()))
                    .count()
                    .get_result(conn)
                    .db()?;
                Ok(n > 0)
            }
        }
    }

    /// Persons of `scope` matching `filter`, in list order — by id, or by `(name_key, id)`
    /// for a name search — from the cursor on (`limit + 1` rows).
    pub fn list(
        conn: &mut DbConn,
        district_id: &DistrictId,
        scope: &PersonScope,
        filter: &PersonFilter,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Person>> {
        // Where the previous page stopped, in list order.
        let cursor = match (after, &filter.name_prefix) {
            (None, _) => None,
            (Some(a), None) => Some((None, a.to_string())),
            (Some(a), Some(_)) => {
                let key: Option<String> = persons::table
                    .find(a)
                    .select(persons::name_key)
                    .first(conn)
                    .optional()
                    .db()?;
                // A cursor that names no person ends the list.
                let Some(k) = key else {
                    return Ok(Vec::new());
                };
                Some((Some(k), a.to_string()))
            }
        };
        match scope {
            // A referrer's persons are those it referred and those it registered: two
            // index-ordered reads that each stop at the page, merged — an `OR` of the two
            // would read all of the organization's referrals on every page.
            PersonScope::Referrer { organization_id } => {
                let referred = Self::page(
                    conn,
                    district_id,
                    Reach::ReferredBy(organization_id),
                    filter,
                    &cursor,
                    limit,
                )?;
                let registered = Self::page(
                    conn,
                    district_id,
                    Reach::RegisteredBy(organization_id),
                    filter,
                    &cursor,
                    limit,
                )?;
                let by_name = filter.name_prefix.is_some();
                let mut all: Vec<Person> = referred.into_iter().chain(registered).collect();
                all.sort_by(|a, b| {
                    if by_name {
                        (&a.name_key, &a.id).cmp(&(&b.name_key, &b.id))
                    } else {
                        a.id.cmp(&b.id)
                    }
                });
                all.dedup_by(|a, b| a.id == b.id);
                all.truncate(usize::try_from(limit + 1).unwrap_or(0));
                Ok(all)
            }
            PersonScope::District => {
                Self::page(conn, district_id, Reach::All, filter, &cursor, limit)
            }
            PersonScope::Agency { agency_id } => Self::page(
                conn,
                district_id,
                Reach::FollowedBy(agency_id),
                filter,
                &cursor,
                limit,
            ),
        }
    }

    fn page(
        conn: &mut DbConn,
        district_id: &DistrictId,
        reach: Reach,
        filter: &PersonFilter,
        cursor: &Option<(Option<String>, String)>,
        limit: i64,
    ) -> Result<Vec<Person>> {
        let mut q = persons::table
            .filter(persons::district_id.eq(district_id.as_str()))
            .select(Person::as_select())
            .into_boxed();
        if !matches!(reach, Reach::All) {
            // A restricted person (art. 18) is outside every scope but the district's.
            q = q.filter(diesel::dsl::not(persons::id.eq_any(
                person_restrictions::table.select(person_restrictions::person_id),
            )));
        }
        match reach {
            Reach::All => {}
            Reach::ReferredBy(org) => {
                let referred = referrals::table
                    .filter(referrals::organization_id.eq(org.as_str()))
                    .select(referrals::person_id);
                q = q.filter(persons::id.eq_any(referred));
            }
            Reach::RegisteredBy(org) => {
                let staff = super::schema::users::table
                    .filter(super::schema::users::organization_id.eq(org.as_str()))
                    .select(super::schema::users::id.nullable());
                q = q.filter(persons::created_by.eq_any(staff));
            }
            Reach::FollowedBy(agency) => {
                let with_case = cases::table
                    .filter(cases::agency_id.eq(agency.as_str()))
                    .select(cases::person_id);
                q = q.filter(persons::id.eq_any(with_case));
            }
        }
        if let Some(code) = &filter.tax_code {
            q = q.filter(persons::tax_code.eq(code));
        }
        if let Some(prefix) = &filter.name_prefix {
            // A name search reads in name order, (name_key, id), as a person looks through
            // results: a range, not LIKE, served by the (district_id, name_key) index.
            q = q
                .filter(persons::name_key.ge(prefix))
                .filter(persons::name_key.lt(format!("{prefix}\u{10FFFF}")))
                .order((persons::name_key, persons::id));
            if let Some((Some(k), a)) = cursor {
                q = q.filter(
                    persons::name_key
                        .gt(k)
                        .or(persons::name_key.eq(k).and(persons::id.gt(a))),
                );
            }
        } else {
            q = q.order(persons::id);
            if let Some((_, a)) = cursor {
                q = q.filter(persons::id.gt(a));
            }
        }
        q.limit(limit + 1).load(conn).db()
    }
}
