//! Does a measure fit a person? Every rule answers with a reason, met or not.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use super::i18n::{cluster_it, employment_status_it, target_group_it, Lang, Text};
use super::text;
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
    /// `true` only if every rule of the measure is met (ammissibile).
    pub eligible: bool,
    /// One entry per rule checked, met or not, with its reason.
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

/// A day as it reads in Italian (`31/12/2026`).
fn giorno(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// One rule's verdict, its explanation in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub rule: &'static str,
    pub met: bool,
    pub message: Text,
}

/// Every rule's verdict, before it is told in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub eligible: bool,
    pub verdicts: Vec<Verdict>,
}

impl Assessment {
    /// As responses carry it, reasons in `lang`.
    pub fn render(&self, lang: Lang) -> Eligibility {
        Eligibility {
            eligible: self.eligible,
            reasons: self
                .verdicts
                .iter()
                .map(|v| Reason {
                    rule: v.rule.into(),
                    met: v.met,
                    message: v.message.get(lang).to_string(),
                })
                .collect(),
        }
    }

    /// The rules not met, explained in both languages and joined by `; `.
    pub fn unmet(&self) -> Text {
        let unmet: Vec<&Verdict> = self.verdicts.iter().filter(|v| !v.met).collect();
        let join = |lang: Lang| {
            unmet
                .iter()
                .map(|v| v.message.get(lang))
                .collect::<Vec<_>>()
                .join("; ")
        };
        Text::owned(join(Lang::It), join(Lang::En))
    }
}

/// The verdict, each reason in `lang`.
pub fn evaluate(
    rules: &MeasureRules,
    person: &PersonFacts,
    today: NaiveDate,
    lang: Lang,
) -> Eligibility {
    assess(rules, person, today).render(lang)
}

/// The verdict, each reason in both languages.
pub fn assess(rules: &MeasureRules, person: &PersonFacts, today: NaiveDate) -> Assessment {
    let mut verdicts = Vec::new();
    let mut add = |rule: &'static str, met: bool, message: Text| {
        verdicts.push(Verdict { rule, met, message })
    };

    let in_window =
        rules.active && rules.valid_from <= today && rules.valid_to.is_none_or(|to| today <= to);
    add("validity", in_window, {
        let from = rules.valid_from;
        let dal = giorno(from);
        match (rules.active, rules.valid_to) {
            (false, _) => text!("la misura non è attiva", "the measure is not active"),
            (true, Some(to)) if in_window => {
                let al = giorno(to);
                text!("aperta dal {dal} al {al}", "open from {from} to {to}")
            }
            (true, None) if in_window => text!("aperta dal {dal}", "open since {from}"),
            (true, Some(to)) => {
                let al = giorno(to);
                text!(
                    "aperta solo dal {dal} al {al}",
                    "open only from {from} to {to}"
                )
            }
            (true, None) => text!("apre il {dal}", "opens on {from}"),
        }
    });

    if rules.min_age.is_some() || rules.max_age.is_some() {
        let age = age_on(person.birth_date, today);
        let (met, message) = match (rules.min_age, rules.max_age) {
            (Some(min), _) if age < min => (
                false,
                text!(
                    "l'età {age} è inferiore al minimo di {min} anni",
                    "age {age} is below the minimum of {min}"
                ),
            ),
            (_, Some(max)) if age > max => (
                false,
                text!(
                    "l'età {age} è superiore al massimo di {max} anni",
                    "age {age} is above the maximum of {max}"
                ),
            ),
            (Some(min), Some(max)) => (
                true,
                text!(
                    "l'età {age} è compresa tra {min} e {max} anni",
                    "age {age} is between {min} and {max}"
                ),
            ),
            (Some(min), None) => (
                true,
                text!(
                    "l'età {age} è di almeno {min} anni",
                    "age {age} is at least {min}"
                ),
            ),
            (None, Some(max)) => (
                true,
                text!(
                    "l'età {age} è al massimo di {max} anni",
                    "age {age} is at most {max}"
                ),
            ),
            (None, None) => (true, text!("", "")),
        };
        add("age", met, message);
    }

    if !rules.employment_statuses.is_empty() {
        let wanted = names(&rules.employment_statuses, EmploymentStatus::as_str);
        let richieste = names(&rules.employment_statuses, employment_status_it);
        match person.employment_status {
            Some(s) if rules.employment_statuses.contains(&s) => {
                let it = employment_status_it(s);
                add(
                    "employment_status",
                    true,
                    text!(
                        "la condizione occupazionale ({it}) è tra quelle richieste: {richieste}",
                        "employment status {s} is one of: {wanted}"
                    ),
                )
            }
            Some(s) => {
                let it = employment_status_it(s);
                add(
                    "employment_status",
                    false,
                    text!(
                        "la condizione occupazionale ({it}) non è tra quelle richieste: \
                         {richieste}",
                        "employment status {s} is not one of: {wanted}"
                    ),
                )
            }
            None => add(
                "employment_status",
                false,
                text!(
                    "condizione occupazionale non indicata; è richiesta una tra: {richieste}",
                    "employment status unknown; needed one of: {wanted}"
                ),
            ),
        }
    }

    if rules.residence_required {
        add(
            "residence",
            person.resident_in_district,
            if person.resident_in_district {
                text!("residente nell'Ambito", "resident in the district")
            } else {
                text!(
                    "non residente nell'Ambito (o residenza non indicata)",
                    "not resident in the district (or residence unknown)"
                )
            },
        );
    }

    if !rules.target_groups.is_empty() {
        let wanted = names(&rules.target_groups, TargetGroup::as_str);
        let richiesti = names(&rules.target_groups, target_group_it);
        let hit = rules
            .target_groups
            .iter()
            .find(|g| person.target_groups.contains(g));
        match hit {
            Some(g) => {
                let it = target_group_it(*g);
                add(
                    "target_group",
                    true,
                    text!("appartiene al target: {it}", "belongs to target group {g}"),
                )
            }
            None => add(
                "target_group",
                false,
                text!(
                    "non appartiene a nessuno dei target richiesti: {richiesti}",
                    "belongs to none of the target groups: {wanted}"
                ),
            ),
        }
    }

    if !rules.clusters.is_empty() {
        let wanted = names(&rules.clusters, Cluster::as_str);
        let richiesti = names(&rules.clusters, cluster_it);
        match person.cluster {
            Some(c) if rules.clusters.contains(&c) => {
                let it = cluster_it(c);
                add(
                    "cluster",
                    true,
                    text!(
                        "il profilo ({it}) è tra quelli richiesti: {richiesti}",
                        "cluster {c} is one of: {wanted}"
                    ),
                )
            }
            Some(c) => {
                let it = cluster_it(c);
                add(
                    "cluster",
                    false,
                    text!(
                        "il profilo ({it}) non è tra quelli richiesti: {richiesti}",
                        "cluster {c} is not one of: {wanted}"
                    ),
                )
            }
            None => add(
                "cluster",
                false,
                text!(
                    "profilo (cluster) non ancora valutato; è richiesto uno tra: {richiesti}",
                    "cluster not assessed; needed one of: {wanted}"
                ),
            ),
        }
    }

    Assessment {
        eligible: verdicts.iter().all(|v| v.met),
        verdicts,
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
        let e = evaluate(&gg(), &young(), d(2026, 11, 22), Lang::En);
        assert!(e.eligible, "{e:?}");
        assert_eq!(e.reasons.len(), 4);
    }

    #[test]
    fn each_failed_rule_says_why() {
        let mut p = young();
        p.birth_date = d(1990, 1, 1);
        p.employment_status = Some(EmploymentStatus::Employed);
        p.resident_in_district = false;
        let e = evaluate(&gg(), &p, d(2026, 11, 22), Lang::En);
        assert!(!e.eligible);
        let failed: Vec<&str> = e
            .reasons
            .iter()
            .filter(|r| !r.met)
            .map(|r| r.rule.as_str())
            .collect();
        assert_eq!(failed, vec!["age", "employment_status", "residence"]);
        assert!(e.reasons[1].message.contains("above the maximum of 29"));
        let it = evaluate(&gg(), &p, d(2026, 11, 22), Lang::It);
        assert_eq!(
            it.reasons[1].message,
            "l'età 36 è superiore al massimo di 29 anni"
        );
        assert_eq!(
            it.reasons[2].message,
            "la condizione occupazionale (occupato/a) non è tra quelle richieste: \
             disoccupato/a, inattivo/a"
        );
        assert_eq!(it.reasons[0].message, "aperta dal 01/01/2026 al 31/12/2026");
    }

    #[test]
    fn validity_window_and_birthday_edge() {
        let e = evaluate(&gg(), &young(), d(2027, 1, 1), Lang::En);
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
        let e = evaluate(&rules, &young(), d(2026, 5, 1), Lang::En);
        let failed: Vec<&str> = e
            .reasons
            .iter()
            .filter(|r| !r.met)
            .map(|r| r.rule.as_str())
            .collect();
        assert_eq!(failed, vec!["target_group", "cluster"]);
    }
}
