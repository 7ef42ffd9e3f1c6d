//! Does a measure fit a person? Every rule answers with a reason, met or not.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use super::vocabulary::{Cluster, EmploymentStatus, TargetGroup};

/// What eligibility looks at in a person.
#[derive(Debug, Clone)]
pub struct PersonFacts {
    pub birth_date: NaiveDate,
    pub employment_status: Option<EmploymentStatus>,
    pub cluster: Option<Cluster>,
    /// Declared groups plus those implied by flags (disability, criminal justice).
    pub target_groups: Vec<TargetGroup>,
    /// Resident in one of the district's municipalities.
    pub resident_in_district: bool,
}

/// A measure's rules (empty lists mean "any").
#[derive(Debug, Clone)]
pub struct MeasureRules {
    pub active: bool,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub min_age: Option<i32>,
    pub max_age: Option<i32>,
    pub employment_statuses: Vec<EmploymentStatus>,
    pub target_groups: Vec<TargetGroup>,
    pub clusters: Vec<Cluster>,
    pub residence_required: bool,
}

/// One rule's verdict.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct Reason {
    /// Which rule: `validity`, `age`, `employment_status`, `residence`, `target_group`, `cluster`.
    #[schema(example = "age")]
    pub rule: String,
    /// Whether the person meets it.
    pub met: bool,
    /// Explanation, e.g. "age 34 is above the maximum of 29".
    pub message: String,
}

/// The verdict: eligible only if every rule is met.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct Eligibility {
    pub eligible: bool,
    pub reasons: Vec<Reason>,
}

pub fn age_on(birth: NaiveDate, day: NaiveDate) -> i32 {
    let mut age = day.year() - birth.year();
    if (day.month(), day.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

fn names<T: Copy>(items: &[T], name: impl Fn(T) -> &'static str) -> String {
    items
        .iter()
        .map(|i| name(*i))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn evaluate(rules: &MeasureRules, person: &PersonFacts, today: NaiveDate) -> Eligibility {
    let mut reasons = Vec::new();
    let mut add = |rule: &str, met: bool, message: String| {
        reasons.push(Reason {
            rule: rule.into(),
            met,
            message,
        })
    };

    let in_window =
        rules.active && rules.valid_from <= today && rules.valid_to.is_none_or(|to| today <= to);
    add(
        "validity",
        in_window,
        match (rules.active, rules.valid_to) {
            (false, _) => "the measure is not active".into(),
            (true, Some(to)) if in_window => format!("open from {} to {to}", rules.valid_from),
            (true, None) if in_window => format!("open since {}", rules.valid_from),
            (true, Some(to)) => format!("open only from {} to {to}", rules.valid_from),
            (true, None) => format!("opens on {}", rules.valid_from),
        },
    );

    if rules.min_age.is_some() || rules.max_age.is_some() {
        let age = age_on(person.birth_date, today);
        let (met, message) = match (rules.min_age, rules.max_age) {
            (Some(min), _) if age < min => {
                (false, format!("age {age} is below the minimum of {min}"))
            }
            (_, Some(max)) if age > max => {
                (false, format!("age {age} is above the maximum of {max}"))
            }
            (Some(min), Some(max)) => (true, format!("age {age} is between {min} and {max}")),
            (Some(min), None) => (true, format!("age {age} is at least {min}")),
            (None, Some(max)) => (true, format!("age {age} is at most {max}")),
            (None, None) => (true, String::new()),
        };
        add("age", met, message);
    }

    if !rules.employment_statuses.is_empty() {
        let wanted = names(&rules.employment_statuses, EmploymentStatus::as_str);
        match person.employment_status {
            Some(s) if rules.employment_statuses.contains(&s) => add(
                "employment_status",
                true,
                format!("employment status {s} is one of: {wanted}"),
            ),
            Some(s) => add(
                "employment_status",
                false,
                format!("employment status {s} is not one of: {wanted}"),
            ),
            None => add(
                "employment_status",
                false,
                format!("employment status unknown; needed one of: {wanted}"),
            ),
        }
    }

    if rules.residence_required {
        add(
            "residence",
            person.resident_in_district,
            if person.resident_in_district {
                "resident in the district".into()
            } else {
                "not resident in the district (or residence unknown)".into()
            },
        );
    }

    if !rules.target_groups.is_empty() {
        let wanted = names(&rules.target_groups, TargetGroup::as_str);
        let hit = rules
            .target_groups
            .iter()
            .find(|g| person.target_groups.contains(g));
        match hit {
            Some(g) => add("target_group", true, format!("belongs to target group {g}")),
            None => add(
                "target_group",
                false,
                format!("belongs to none of the target groups: {wanted}"),
            ),
        }
    }

    if !rules.clusters.is_empty() {
        let wanted = names(&rules.clusters, Cluster::as_str);
        match person.cluster {
            Some(c) if rules.clusters.contains(&c) => {
                add("cluster", true, format!("cluster {c} is one of: {wanted}"))
            }
            Some(c) => add(
                "cluster",
                false,
                format!("cluster {c} is not one of: {wanted}"),
            ),
            None => add(
                "cluster",
                false,
                format!("cluster not assessed; needed one of: {wanted}"),
            ),
        }
    }

    Eligibility {
        eligible: reasons.iter().all(|r| r.met),
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn gg() -> MeasureRules {
        MeasureRules {
            active: true,
            valid_from: d(2026, 1, 1),
            valid_to: Some(d(2026, 12, 31)),
            min_age: Some(15),
            max_age: Some(29),
            employment_statuses: vec![EmploymentStatus::Unemployed, EmploymentStatus::Inactive],
            target_groups: vec![],
            clusters: vec![],
            residence_required: true,
        }
    }

    fn young() -> PersonFacts {
        PersonFacts {
            birth_date: d(2003, 6, 15),
            employment_status: Some(EmploymentStatus::Unemployed),
            cluster: Some(Cluster::Band2),
            target_groups: vec![TargetGroup::YouthNeet],
            resident_in_district: true,
        }
    }

    #[test]
    fn a_young_unemployed_resident_fits_garanzia_giovani() {
        let e = evaluate(&gg(), &young(), d(2026, 11, 22));
        assert!(e.eligible, "{e:?}");
        assert_eq!(e.reasons.len(), 4);
    }

    #[test]
    fn each_failed_rule_says_why() {
        let mut p = young();
        p.birth_date = d(1990, 1, 1);
        p.employment_status = Some(EmploymentStatus::Employed);
        p.resident_in_district = false;
        let e = evaluate(&gg(), &p, d(2026, 11, 22));
        assert!(!e.eligible);
        let failed: Vec<&str> = e
            .reasons
            .iter()
            .filter(|r| !r.met)
            .map(|r| r.rule.as_str())
            .collect();
        assert_eq!(failed, vec!["age", "employment_status", "residence"]);
        assert!(e.reasons[1].message.contains("above the maximum of 29"));
    }

    #[test]
    fn validity_window_and_birthday_edge() {
        let e = evaluate(&gg(), &young(), d(2027, 1, 1));
        assert!(!e.eligible);
        assert_eq!(e.reasons[0].rule, "validity");
        assert_eq!(age_on(d(2000, 11, 23), d(2026, 11, 22)), 25);
        assert_eq!(age_on(d(2000, 11, 22), d(2026, 11, 22)), 26);
    }

    #[test]
    fn target_groups_and_clusters_need_one_match() {
        let mut rules = gg();
        rules.min_age = None;
        rules.max_age = None;
        rules.target_groups = vec![TargetGroup::CriminalJustice];
        rules.clusters = vec![Cluster::Band3, Cluster::Band4];
        let e = evaluate(&rules, &young(), d(2026, 5, 1));
        let failed: Vec<&str> = e
            .reasons
            .iter()
            .filter(|r| !r.met)
            .map(|r| r.rule.as_str())
            .collect();
        assert_eq!(failed, vec!["target_group", "cluster"]);
    }
}
