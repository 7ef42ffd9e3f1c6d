//! The territory's networks (seeds 000–003): their kinds, objectives, states, members' roles,
//! pledged resources, and the rules each kind must meet to be active (compliance).

pub use crate::error::{RuleCheck, RuleOut};
use crate::states::Refused;
use crate::{string_enum, text, OrganizationKind};

string_enum! {
    /// What kind of network (tipo di rete).
    NetworkKind {
        /// Patto territoriale per il lavoro (seed 000): municipalities and other actors adhere,
        /// a social agency coordinates.
        TerritorialPact => "territorial_pact",
        /// Partenariato territoriale (seed 001): at least three members, one an accredited
        /// agency that took charge of beneficiaries.
        TerritorialPartnership => "territorial_partnership",
        /// Patto per l'inclusione sociale / Forum permanente (seed 003).
        InclusionPact => "inclusion_pact",
        /// Tavolo Sistema Lavoro (seed 002): the district's monthly table, one per district.
        CoordinationTable => "coordination_table",
    }
}

string_enum! {
    /// What a network is for (obiettivi, from seeds 000 and 001).
    NetworkObjective {
        /// Creare opportunità lavorative.
        JobCreation => "job_creation",
        /// Promuovere il reinserimento nel mercato del lavoro.
        Reinsertion => "reinsertion",
        /// Contrastare l'esclusione sociale attraverso il reinserimento lavorativo.
        SocialExclusion => "social_exclusion",
        /// Favorire l'incontro domanda/offerta di lavoro.
        LabourMatching => "labour_matching",
        /// Progetti territoriali innovativi sul lavoro.
        InnovativeProjects => "innovative_projects",
        /// Fund raising, pubblico e privato.
        FundRaising => "fund_raising",
        /// Partecipazione a progetti finanziati dal FSE.
        EsfProjects => "esf_projects",
        /// Outplacement e ricollocazione.
        Outplacement => "outplacement",
        /// Analisi dei fabbisogni e skills shortage.
        NeedsAnalysis => "needs_analysis",
        /// Marketing territoriale dei lavoratori.
        TerritorialMarketing => "territorial_marketing",
    }
}

string_enum! {
    /// State of a network.
    NetworkStatus {
        /// In costituzione: members adhere, the rules are shown, not enforced.
        Forming => "forming",
        /// Attiva: it met the rules of its kind when activated.
        Active => "active",
        /// Sospesa.
        Suspended => "suspended",
        /// Chiusa: kept for the record, nothing changes any more.
        Closed => "closed",
    }
}

impl NetworkStatus {
    fn refuse(self, action: &'static str) -> Refused {
        Refused {
            entity: "network",
            action,
            from: self.as_str(),
        }
    }

    pub fn activate(self) -> Result<NetworkStatus, Refused> {
        match self {
            Self::Forming => Ok(Self::Active),
            s => Err(s.refuse("activate")),
        }
    }

    pub fn suspend(self) -> Result<NetworkStatus, Refused> {
        match self {
            Self::Active => Ok(Self::Suspended),
            s => Err(s.refuse("suspend")),
        }
    }

    pub fn resume(self) -> Result<NetworkStatus, Refused> {
        match self {
            Self::Suspended => Ok(Self::Active),
            s => Err(s.refuse("resume")),
        }
    }

    pub fn close(self) -> Result<NetworkStatus, Refused> {
        match self {
            Self::Forming | Self::Active | Self::Suspended => Ok(Self::Closed),
            s => Err(s.refuse("close")),
        }
    }

    /// Details, members and resources change until the network is closed.
    pub fn edit(self) -> Result<NetworkStatus, Refused> {
        match self {
            Self::Closed => Err(self.refuse("edit")),
            s => Ok(s),
        }
    }
}

string_enum! {
    /// A member's role in the network (ruolo nella rete).
    MemberRole {
        /// Promotore.
        Promoter => "promoter",
        /// Coordinatore (ente coordinatore, Agenzia Sociale, Ufficio di Piano).
        Coordinator => "coordinator",
        /// Aderente.
        Member => "member",
        /// Osservatore.
        Observer => "observer",
    }
}

string_enum! {
    /// What a member pledges (risorse proprie, seed 001, and more).
    ResourceKind {
        /// Formazione.
        Training => "training",
        /// Sostegno al reddito.
        IncomeSupport => "income_support",
        /// Conciliazione tra vita professionale e familiare.
        WorkLifeBalance => "work_life_balance",
        /// Supporto socio-assistenziale.
        SocialAssistance => "social_assistance",
        /// Finanziamento.
        Funding => "funding",
        /// Tempo del personale.
        StaffTime => "staff_time",
        /// Locali e spazi.
        Premises => "premises",
        /// Servizi.
        Services => "services",
    }
}

string_enum! {
    /// State of a pledged resource.
    ResourceStatus {
        /// Promessa dall'aderente.
        Pledged => "pledged",
        /// Disponibile: can be used now.
        Available => "available",
        /// Utilizzata.
        Used => "used",
        /// Ritirata dall'aderente.
        Withdrawn => "withdrawn",
    }
}

impl ResourceStatus {
    fn refuse(self, action: &'static str) -> Refused {
        Refused {
            entity: "resource",
            action,
            from: self.as_str(),
        }
    }

    pub fn make_available(self) -> Result<ResourceStatus, Refused> {
        match self {
            Self::Pledged => Ok(Self::Available),
            s => Err(s.refuse("make available")),
        }
    }

    pub fn use_up(self) -> Result<ResourceStatus, Refused> {
        match self {
            Self::Available => Ok(Self::Used),
            s => Err(s.refuse("use")),
        }
    }

    pub fn withdraw(self) -> Result<ResourceStatus, Refused> {
        match self {
            Self::Pledged | Self::Available => Ok(Self::Withdrawn),
            s => Err(s.refuse("withdraw")),
        }
    }

    /// Withdrawn pledges do not count in the totals.
    pub fn counts(self) -> bool {
        self != Self::Withdrawn
    }
}

/// An active member, as the rules see it.
#[derive(Debug, Clone)]
pub struct MemberFacts {
    pub organization_id: String,
    pub kind: OrganizationKind,
    /// An accredited agency that has taken charge of beneficiaries in the district (a case
    /// in charge or later).
    pub took_charge: bool,
}

/// What a network's compliance depends on.
#[derive(Debug, Clone)]
pub struct NetworkFacts<'a> {
    pub kind: NetworkKind,
    pub coordinating_organization_id: Option<&'a str>,
    pub coordinating_kind: Option<OrganizationKind>,
    /// Members today (joined, not withdrawn).
    pub members: &'a [MemberFacts],
}

/// A partnership needs at least this many members (seed 001).
pub const PARTNERSHIP_MIN_MEMBERS: usize = 3;

/// Every rule of the network's kind, met or not.
pub fn compliance(f: &NetworkFacts) -> Vec<RuleCheck> {
    let agencies = f
        .members
        .iter()
        .filter(|m| m.kind == OrganizationKind::AccreditedAgency);
    match f.kind {
        NetworkKind::TerritorialPartnership => {
            let n = f.members.len();
            let min = PARTNERSHIP_MIN_MEMBERS;
            let in_charge = agencies.filter(|m| m.took_charge).count();
            vec![
                RuleCheck {
                    rule: "min_members",
                    met: n >= min,
                    message: match n {
                        _ if n >= min => text!(
                            "{n} aderenti attivi (almeno {min})",
                            "{n} active members (at least {min})"
                        ),
                        0 => text!(
                            "nessun aderente attivo: ne servono almeno {min}",
                            "no active members: at least {min} are needed"
                        ),
                        1 => text!(
                            "1 aderente attivo: ne servono almeno {min}",
                            "1 active member: at least {min} are needed"
                        ),
                        n => text!(
                            "{n} aderenti attivi: ne servono almeno {min}",
                            "{n} active members: at least {min} are needed"
                        ),
                    },
                },
                RuleCheck {
                    rule: "agency_in_charge",
                    met: in_charge > 0,
                    message: if in_charge > 0 {
                        text!(
                            "tra gli aderenti c'è un ente accreditato che ha preso in carico destinatari",
                            "an accredited agency among the members has taken beneficiaries in charge"
                        )
                    } else {
                        text!(
                            "serve tra gli aderenti un ente accreditato che abbia preso in carico destinatari",
                            "an accredited agency that has taken beneficiaries in charge must be a member"
                        )
                    },
                },
            ]
        }
        NetworkKind::TerritorialPact | NetworkKind::InclusionPact => {
            let among = f
                .coordinating_organization_id
                .is_some_and(|c| f.members.iter().any(|m| m.organization_id == c));
            let message = match (f.coordinating_organization_id, among) {
                (None, _) => text!(
                    "manca l'ente coordinatore",
                    "there is no coordinating organization"
                ),
                (Some(_), false) => text!(
                    "l'ente coordinatore non è tra gli aderenti attivi",
                    "the coordinating organization is not an active member"
                ),
                (Some(_), true) => text!(
                    "l'ente coordinatore è tra gli aderenti",
                    "the coordinating organization is a member"
                ),
            };
            vec![RuleCheck {
                rule: "coordinator_member",
                met: among,
                message,
            }]
        }
        NetworkKind::CoordinationTable => {
            let udp = f.coordinating_kind == Some(OrganizationKind::PlanningOffice);
            let any_agency = agencies.count() > 0;
            vec![
                RuleCheck {
                    rule: "planning_office_coordinates",
                    met: udp,
                    message: if udp {
                        text!(
                            "l'Ufficio di Piano coordina il tavolo",
                            "the Ufficio di Piano coordinates the table"
                        )
                    } else {
                        text!(
                            "il tavolo deve essere coordinato dall'Ufficio di Piano",
                            "the table must be coordinated by the Ufficio di Piano"
                        )
                    },
                },
                RuleCheck {
                    rule: "agency_member",
                    met: any_agency,
                    message: if any_agency {
                        text!(
                            "al tavolo aderisce un ente accreditato",
                            "an accredited agency is a member"
                        )
                    } else {
                        text!(
                            "al tavolo deve aderire almeno un ente accreditato",
                            "at least one accredited agency must be a member"
                        )
                    },
                },
            ]
        }
    }
}

/// Whether every rule is met.
pub fn compliant(rules: &[RuleCheck]) -> bool {
    rules.iter().all(|r| r.met)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: &str, kind: OrganizationKind, took_charge: bool) -> MemberFacts {
        MemberFacts {
            organization_id: id.into(),
            kind,
            took_charge,
        }
    }

    #[test]
    fn a_partnership_needs_three_members_and_an_agency_that_took_charge() {
        let two = [
            member("a", OrganizationKind::AccreditedAgency, true),
            member("m", OrganizationKind::Municipality, false),
        ];
        let f = NetworkFacts {
            kind: NetworkKind::TerritorialPartnership,
            coordinating_organization_id: None,
            coordinating_kind: None,
            members: &two,
        };
        let rules = compliance(&f);
        assert!(!compliant(&rules));
        assert_eq!(
            rules
                .iter()
                .filter(|r| !r.met)
                .map(|r| r.rule)
                .collect::<Vec<_>>(),
            vec!["min_members"]
        );
        let three = [
            member("a", OrganizationKind::AccreditedAgency, false),
            member("m", OrganizationKind::Municipality, false),
            member("u", OrganizationKind::Union, false),
        ];
        let rules = compliance(&NetworkFacts {
            members: &three,
            ..f.clone()
        });
        assert_eq!(
            rules
                .iter()
                .filter(|r| !r.met)
                .map(|r| r.rule)
                .collect::<Vec<_>>(),
            vec!["agency_in_charge"],
            "an agency without cases in charge does not count"
        );
    }

    #[test]
    fn a_pact_needs_its_coordinator_among_the_members() {
        let ms = [member("m", OrganizationKind::Municipality, false)];
        let f = NetworkFacts {
            kind: NetworkKind::TerritorialPact,
            coordinating_organization_id: Some("agency"),
            coordinating_kind: Some(OrganizationKind::ThirdSector),
            members: &ms,
        };
        assert!(!compliant(&compliance(&f)));
        let ms = [member("agency", OrganizationKind::ThirdSector, false)];
        assert!(compliant(&compliance(&NetworkFacts { members: &ms, ..f })));
    }

    #[test]
    fn the_table_is_the_ufficio_di_piano_s_with_an_agency() {
        let ms = [member("a", OrganizationKind::AccreditedAgency, false)];
        let f = NetworkFacts {
            kind: NetworkKind::CoordinationTable,
            coordinating_organization_id: Some("u"),
            coordinating_kind: Some(OrganizationKind::PlanningOffice),
            members: &ms,
        };
        assert!(compliant(&compliance(&f)));
        let f = NetworkFacts {
            coordinating_kind: Some(OrganizationKind::ThirdSector),
            ..f
        };
        assert!(!compliant(&compliance(&f)));
    }

    #[test]
    fn states_move_as_the_issue_says() {
        use NetworkStatus as S;
        assert_eq!(S::Forming.activate(), Ok(S::Active));
        assert_eq!(S::Active.suspend(), Ok(S::Suspended));
        assert_eq!(S::Suspended.resume(), Ok(S::Active));
        assert!(S::Active.activate().is_err() && S::Forming.suspend().is_err());
        assert_eq!(S::Suspended.close(), Ok(S::Closed));
        assert!(S::Closed.close().is_err() && S::Closed.edit().is_err());
        use ResourceStatus as R;
        assert_eq!(R::Pledged.make_available(), Ok(R::Available));
        assert_eq!(R::Available.use_up(), Ok(R::Used));
        assert!(R::Pledged.use_up().is_err() && R::Used.withdraw().is_err());
        assert!(!R::Withdrawn.counts());
    }
}
