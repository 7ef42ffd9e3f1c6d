//! The inclusion pact's answers by area (seed 003: "risposte condivise tra tutti gli attori
//! sociali interessati per specifiche aree"): the response areas, the working groups a network
//! runs per area, and the shared responses its members offer in an area.

use chrono::NaiveDate;

use crate::states::Refused;
use crate::string_enum;

string_enum! {
    /// Area di risposta (seed 003): where a working group works and a shared response helps.
    ResponseArea {
        /// Inserimento lavorativo.
        WorkPlacement => "work_placement",
        /// Casa (alloggio).
        Housing => "housing",
        /// Trasporti.
        Transport => "transport",
        /// Microcredito.
        Microcredit => "microcredit",
        /// Formazione.
        Training => "training",
        /// Cultura.
        Culture => "culture",
        /// Vita di relazione.
        RelationalLife => "relational_life",
    }
}

impl ResponseArea {
    /// The area as the product names it in Italian (the default name of its working group).
    pub fn label(self) -> &'static str {
        match self {
            Self::WorkPlacement => "Inserimento lavorativo",
            Self::Housing => "Casa",
            Self::Transport => "Trasporti",
            Self::Microcredit => "Microcredito",
            Self::Training => "Formazione",
            Self::Culture => "Cultura",
            Self::RelationalLife => "Vita di relazione",
        }
    }

    /// The default name of the area's working group.
    pub fn group_name(self) -> String {
        format!("Gruppo di lavoro {}", self.label())
    }
}

string_enum! {
    /// State of a working group.
    WorkingGroupStatus {
        /// Attivo: its members meet and work on the area.
        Active => "active",
        /// Chiuso: kept for the record; the area may get a new group.
        Closed => "closed",
    }
}

impl WorkingGroupStatus {
    fn refuse(self, action: &'static str) -> Refused {
        Refused {
            entity: "working_group",
            action,
            from: self.as_str(),
        }
    }

    /// Its details and members change while it is active.
    pub fn edit(self) -> Result<WorkingGroupStatus, Refused> {
        match self {
            Self::Active => Ok(self),
            s => Err(s.refuse("edit")),
        }
    }

    pub fn close(self) -> Result<WorkingGroupStatus, Refused> {
        match self {
            Self::Active => Ok(Self::Closed),
            s => Err(s.refuse("close")),
        }
    }
}

string_enum! {
    /// State of a shared response.
    SharedResponseStatus {
        /// Offerta: a member put it forward; the network's coordinators have not yet made it
        /// available to the network.
        Offered => "offered",
        /// Disponibile: it may be proposed on cases.
        Available => "available",
        /// Ritirata: no longer offered (kept for the record and the proposals made).
        Withdrawn => "withdrawn",
    }
}

impl SharedResponseStatus {
    fn refuse(self, action: &'static str) -> Refused {
        Refused {
            entity: "shared_response",
            action,
            from: self.as_str(),
        }
    }

    pub fn edit(self) -> Result<SharedResponseStatus, Refused> {
        match self {
            Self::Offered | Self::Available => Ok(self),
            s => Err(s.refuse("edit")),
        }
    }

    pub fn make_available(self) -> Result<SharedResponseStatus, Refused> {
        match self {
            Self::Offered => Ok(Self::Available),
            s => Err(s.refuse("make available")),
        }
    }

    pub fn withdraw(self) -> Result<SharedResponseStatus, Refused> {
        match self {
            Self::Offered | Self::Available => Ok(Self::Withdrawn),
            s => Err(s.refuse("withdraw")),
        }
    }

    /// Whether it may be proposed on a case on `today`: available, within its validity.
    pub fn proposable(
        self,
        valid_from: Option<NaiveDate>,
        valid_to: Option<NaiveDate>,
        today: NaiveDate,
    ) -> bool {
        self == Self::Available
            && valid_from.is_none_or(|f| f <= today)
            && valid_to.is_none_or(|t| t >= today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_are_the_seeds_seven_with_italian_names() {
        assert_eq!(ResponseArea::ALL.len(), 7);
        assert_eq!(ResponseArea::RelationalLife.label(), "Vita di relazione");
        assert_eq!(ResponseArea::Housing.group_name(), "Gruppo di lavoro Casa");
    }

    #[test]
    fn groups_close_once_and_responses_go_offered_available_withdrawn() {
        use SharedResponseStatus as R;
        use WorkingGroupStatus as G;
        assert_eq!(G::Active.close(), Ok(G::Closed));
        assert!(G::Closed.close().is_err() && G::Closed.edit().is_err());
        assert_eq!(R::Offered.make_available(), Ok(R::Available));
        assert_eq!(R::Available.withdraw(), Ok(R::Withdrawn));
        assert_eq!(R::Offered.withdraw(), Ok(R::Withdrawn));
        assert!(R::Available.make_available().is_err() && R::Withdrawn.withdraw().is_err());
        assert!(R::Withdrawn.edit().is_err());
        let d = |m, day| NaiveDate::from_ymd_opt(2027, m, day).unwrap_or_default();
        assert!(R::Available.proposable(None, Some(d(1, 31)), d(1, 31)));
        assert!(!R::Available.proposable(None, Some(d(1, 31)), d(2, 1)));
        assert!(!R::Available.proposable(Some(d(2, 2)), None, d(2, 1)));
        assert!(!R::Offered.proposable(None, None, d(2, 1)));
    }
}
