//! Meetings of any network (sedute): their kinds, the attendance of members and the action
//! items (impegni) that record their outcomes, followed up at the next meeting.

use crate::networks::NetworkKind;
use crate::states::Refused;
use crate::string_enum;

string_enum! {
    /// What kind of meeting (tipo di seduta).
    MeetingKind {
        /// Seduta del Forum permanente per l'inclusione sociale (seed 003).
        ForumSession => "forum_session",
        /// Assemblea del patto (or of the partnership).
        PactAssembly => "pact_assembly",
        /// Consultazione degli stakeholder (seed 004: at least twice a year).
        StakeholderConsultation => "stakeholder_consultation",
        /// Riunione di un gruppo di lavoro.
        WorkingGroupMeeting => "working_group_meeting",
        /// Seduta mensile del Tavolo Sistema Lavoro: referrals and case reviews.
        MonthlyTable => "monthly_table",
    }
}

impl MeetingKind {
    /// The kind a meeting of this network has when none is given.
    pub fn default_for(network: NetworkKind) -> MeetingKind {
        match network {
            NetworkKind::CoordinationTable => MeetingKind::MonthlyTable,
            NetworkKind::InclusionPact => MeetingKind::ForumSession,
            NetworkKind::TerritorialPact | NetworkKind::TerritorialPartnership => {
                MeetingKind::PactAssembly
            }
        }
    }

    /// The monthly table's sessions are the table's only, and the table holds no other kind.
    pub fn fits(self, network: NetworkKind) -> bool {
        (self == MeetingKind::MonthlyTable) == (network == NetworkKind::CoordinationTable)
    }

    /// The Italian name, as the minutes print it.
    pub fn label(self) -> &'static str {
        match self {
            MeetingKind::ForumSession => "Seduta del Forum",
            MeetingKind::PactAssembly => "Assemblea",
            MeetingKind::StakeholderConsultation => "Consultazione degli stakeholder",
            MeetingKind::WorkingGroupMeeting => "Riunione del gruppo di lavoro",
            MeetingKind::MonthlyTable => "Seduta del Tavolo",
        }
    }
}

string_enum! {
    /// Whether a member's people attended (presenza).
    Attendance {
        /// Presente.
        Present => "present",
        /// Assente.
        Absent => "absent",
        /// Assente giustificato.
        Excused => "excused",
    }
}

impl Attendance {
    pub fn label(self) -> &'static str {
        match self {
            Attendance::Present => "presente",
            Attendance::Absent => "assente",
            Attendance::Excused => "assente giustificato",
        }
    }
}

string_enum! {
    /// State of an action item (impegno): `open → done | dropped`.
    ActionItemStatus {
        /// Aperto: to follow up at the next meeting.
        Open => "open",
        /// Svolto.
        Done => "done",
        /// Abbandonato (with a reason).
        Dropped => "dropped",
    }
}

impl ActionItemStatus {
    fn refuse(self, action: &'static str) -> Refused {
        Refused {
            entity: "action_item",
            action,
            from: self.as_str(),
        }
    }

    /// Moves to `to` (only from `open`, to `done` or `dropped`).
    pub fn move_to(self, to: ActionItemStatus) -> Result<ActionItemStatus, Refused> {
        match (self, to) {
            (Self::Open, Self::Done) => Ok(Self::Done),
            (Self::Open, Self::Dropped) => Ok(Self::Dropped),
            (s, Self::Done) => Err(s.refuse("complete")),
            (s, _) => Err(s.refuse("drop")),
        }
    }

    /// Title, owner and due date change while open.
    pub fn edit(self) -> Result<ActionItemStatus, Refused> {
        match self {
            Self::Open => Ok(self),
            s => Err(s.refuse("edit")),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "aperto",
            Self::Done => "svolto",
            Self::Dropped => "abbandonato",
        }
    }
}

/// A member at a meeting, as stored with it: the organization's membership, the people who
/// came on its behalf, and whether they attended.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Attendee {
    pub member_id: crate::ids::MemberId,
    pub organization_id: crate::ids::OrganizationId,
    pub people: Vec<String>,
    pub attendance: Attendance,
}

/// A topic on the agenda of a meeting (punto all'ordine del giorno).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Topic {
    pub title: String,
    pub notes: Option<String>,
}

/// Initials of a name, as a member's copy of the minutes shows a person it may not see:
/// "Rossi Mario" → "R. M.".
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().find(|c| c.is_alphabetic()))
        .map(|c| format!("{}.", c.to_uppercase()))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_action_item_is_done_or_dropped_once() {
        use ActionItemStatus as S;
        assert_eq!(S::Open.move_to(S::Done), Ok(S::Done));
        assert_eq!(S::Open.move_to(S::Dropped), Ok(S::Dropped));
        assert!(S::Done.move_to(S::Dropped).is_err());
        assert!(S::Dropped.move_to(S::Done).is_err());
        assert!(S::Open.move_to(S::Open).is_err());
        assert!(S::Done.edit().is_err());
    }

    #[test]
    fn the_monthly_table_holds_its_own_kind_only() {
        assert!(MeetingKind::MonthlyTable.fits(NetworkKind::CoordinationTable));
        assert!(!MeetingKind::ForumSession.fits(NetworkKind::CoordinationTable));
        assert!(!MeetingKind::MonthlyTable.fits(NetworkKind::InclusionPact));
        assert!(MeetingKind::StakeholderConsultation.fits(NetworkKind::TerritorialPact));
        assert_eq!(
            MeetingKind::default_for(NetworkKind::InclusionPact),
            MeetingKind::ForumSession
        );
    }

    #[test]
    fn initials_hide_a_name() {
        assert_eq!(initials("Rossi Mario"), "R. M.");
        assert_eq!(initials("  d'Amico   Èlena "), "D. È.");
        assert_eq!(initials(""), "");
    }
}
