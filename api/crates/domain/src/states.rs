//! The workflow's state machines (DOMAIN.md, "The workflow"): each move is a method that
//! returns the next state or refuses, naming the state it was asked from.

use crate::string_enum;

/// A move not allowed from the current state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub entity: &'static str,
    pub action: &'static str,
    pub from: &'static str,
}

impl From<Refused> for crate::Error {
    fn from(r: Refused) -> Self {
        crate::Error::InvalidTransition {
            entity: r.entity,
            action: r.action,
            from: r.from.to_string(),
        }
    }
}

string_enum! {
    /// State of a referral (segnalazione).
    ReferralStatus {
        /// Bozza: being written by the referrer.
        Draft => "draft",
        /// Inviata: waiting for the next meeting.
        Submitted => "submitted",
        /// In agenda: on an open meeting's agenda.
        Scheduled => "scheduled",
        /// Accolta: taken in charge; a case exists.
        Accepted => "accepted",
        /// Respinta.
        Rejected => "rejected",
        /// Reindirizzata ad altro servizio.
        Redirected => "redirected",
        /// Rinviata alla seduta successiva.
        Deferred => "deferred",
        /// Integrazioni richieste: back to the referrer for more information.
        InfoRequested => "info_requested",
        /// Ritirata dal segnalante.
        Withdrawn => "withdrawn",
    }
}

impl ReferralStatus {
    fn refuse(self, action: &'static str) -> Refused {
        Refused {
            entity: "referral",
            action,
            from: self.as_str(),
        }
    }

    /// The referrer sends a draft (or a completed request for information) to the table.
    pub fn submit(self) -> Result<ReferralStatus, Refused> {
        match self {
            Self::Draft | Self::InfoRequested => Ok(Self::Submitted),
            s => Err(s.refuse("submit")),
        }
    }

    /// The referrer withdraws a referral the table has not taken up yet.
    pub fn withdraw(self) -> Result<ReferralStatus, Refused> {
        match self {
            Self::Draft | Self::Submitted | Self::InfoRequested => Ok(Self::Withdrawn),
            s => Err(s.refuse("withdraw")),
        }
    }

    /// Only drafts and referrals sent back for information can be edited.
    pub fn edit(self) -> Result<ReferralStatus, Refused> {
        match self {
            Self::Draft | Self::InfoRequested => Ok(self),
            s => Err(s.refuse("edit")),
        }
    }

    /// A meeting takes the referral on its agenda (submitted, or deferred from a past one).
    pub fn schedule(self) -> Result<ReferralStatus, Refused> {
        match self {
            Self::Submitted | Self::Deferred => Ok(Self::Scheduled),
            s => Err(s.refuse("schedule")),
        }
    }

    /// Removed from an open meeting's agenda: waits for the next one.
    pub fn unschedule(self) -> Result<ReferralStatus, Refused> {
        match self {
            Self::Scheduled => Ok(Self::Submitted),
            s => Err(s.refuse("unschedule")),
        }
    }

    /// Applies a table decision when the meeting closes.
    pub fn decide(self, decision: DecisionKind) -> Result<ReferralStatus, Refused> {
        if self != Self::Scheduled {
            return Err(self.refuse("decide"));
        }
        match decision {
            DecisionKind::Accept => Ok(Self::Accepted),
            DecisionKind::Reject => Ok(Self::Rejected),
            DecisionKind::Redirect => Ok(Self::Redirected),
            DecisionKind::Defer => Ok(Self::Deferred),
            DecisionKind::RequestInfo => Ok(Self::InfoRequested),
            DecisionKind::Reassign | DecisionKind::Confirm => Err(self.refuse("decide")),
        }
    }

    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Accepted | Self::Rejected | Self::Redirected | Self::Withdrawn
        )
    }
}

string_enum! {
    /// What the table decides about an agenda item (esito del tavolo).
    DecisionKind {
        /// Accolta: take in charge, assign to an agency, with measures.
        Accept => "accept",
        /// Respinta.
        Reject => "reject",
        /// Reindirizzata ad altro servizio.
        Redirect => "redirect",
        /// Rinviata alla seduta successiva.
        Defer => "defer",
        /// Richiesta di integrazioni al segnalante.
        RequestInfo => "request_info",
        /// Case review: move the case to another agency.
        Reassign => "reassign",
        /// Case review: the case goes on as it is.
        Confirm => "confirm",
    }
}

impl DecisionKind {
    pub fn for_referrals(self) -> bool {
        !matches!(self, Self::Reassign | Self::Confirm)
    }
}

string_enum! {
    /// What an agenda item brings to the table.
    AgendaItemKind {
        /// A referral to decide.
        Referral => "referral",
        /// A case to review (reassign or confirm).
        CaseReview => "case_review",
    }
}

string_enum! {
    /// State of a monthly table session (seduta).
    MeetingStatus {
        /// Convocata.
        Planned => "planned",
        /// In corso: agenda fixed, decisions being recorded.
        Open => "open",
        /// Chiusa: decisions applied, minutes frozen.
        Closed => "closed",
    }
}

impl MeetingStatus {
    fn refuse(self, action: &'static str) -> Refused {
        Refused {
            entity: "meeting",
            action,
            from: self.as_str(),
        }
    }

    pub fn open(self) -> Result<MeetingStatus, Refused> {
        match self {
            Self::Planned => Ok(Self::Open),
            s => Err(s.refuse("open")),
        }
    }

    /// Agenda and decisions change only while the meeting is open.
    pub fn record(self) -> Result<MeetingStatus, Refused> {
        match self {
            Self::Open => Ok(self),
            s => Err(s.refuse("change the agenda or decisions of")),
        }
    }

    pub fn close(self) -> Result<MeetingStatus, Refused> {
        match self {
            Self::Open => Ok(Self::Closed),
            s => Err(s.refuse("close")),
        }
    }

    /// Details (date, place, participants) can change until the meeting closes.
    pub fn edit(self) -> Result<MeetingStatus, Refused> {
        match self {
            Self::Planned | Self::Open => Ok(self),
            s => Err(s.refuse("edit")),
        }
    }
}

string_enum! {
    /// State of a case (presa in carico).
    CaseStatus {
        /// Assegnato: agency chosen, person not yet met.
        Assigned => "assigned",
        /// In carico: first meeting held, individual plan (patto di servizio) signed.
        InCharge => "in_charge",
        /// Attivo: at least one measure running.
        Active => "active",
        /// Monitoraggio: measures over, following up results.
        Monitoring => "monitoring",
        /// Sospeso.
        Suspended => "suspended",
        /// Chiuso, with an outcome.
        Closed => "closed",
    }
}

impl CaseStatus {
    fn refuse(self, action: &'static str) -> Refused {
        Refused {
            entity: "case",
            action,
            from: self.as_str(),
        }
    }

    pub fn is_open(self) -> bool {
        !matches!(self, Self::Closed)
    }

    /// Open and not suspended: follow-ups fall due, and the case can be overdue.
    pub fn is_followed(self) -> bool {
        self.is_open() && self != Self::Suspended
    }

    pub fn take_charge(self) -> Result<CaseStatus, Refused> {
        match self {
            Self::Assigned => Ok(Self::InCharge),
            s => Err(s.refuse("take charge of")),
        }
    }

    /// A measure started: the case becomes active (if it was not already).
    pub fn measure_started(self) -> Result<CaseStatus, Refused> {
        match self {
            Self::InCharge | Self::Active | Self::Monitoring => Ok(Self::Active),
            s => Err(s.refuse("start a measure for")),
        }
    }

    /// The last running measure ended: follow the results.
    pub fn measures_ended(self) -> CaseStatus {
        match self {
            Self::Active => Self::Monitoring,
            s => s,
        }
    }

    pub fn suspend(self) -> Result<CaseStatus, Refused> {
        match self {
            Self::Assigned | Self::InCharge | Self::Active | Self::Monitoring => {
                Ok(Self::Suspended)
            }
            s => Err(s.refuse("suspend")),
        }
    }

    /// Back to the state it was suspended from.
    pub fn resume(self, suspended_from: CaseStatus) -> Result<CaseStatus, Refused> {
        match (self, suspended_from) {
            (Self::Suspended, Self::Suspended | Self::Closed) => Ok(Self::InCharge),
            (Self::Suspended, previous) => Ok(previous),
            (s, _) => Err(s.refuse("resume")),
        }
    }

    pub fn close(self) -> Result<CaseStatus, Refused> {
        match self {
            Self::Closed => Err(self.refuse("close")),
            _ => Ok(Self::Closed),
        }
    }

    /// A meeting moves the case to another agency: it starts again from `assigned`.
    pub fn reassign(self) -> Result<CaseStatus, Refused> {
        match self {
            Self::Closed => Err(self.refuse("reassign")),
            _ => Ok(Self::Assigned),
        }
    }

    /// Measures can be proposed while the case is in charge, active or monitoring.
    pub fn propose_measure(self) -> Result<CaseStatus, Refused> {
        match self {
            Self::InCharge | Self::Active | Self::Monitoring => Ok(self),
            s => Err(s.refuse("propose a measure for")),
        }
    }

    /// Follow-ups are written on any open case.
    pub fn follow_up(self) -> Result<CaseStatus, Refused> {
        match self {
            Self::Closed => Err(self.refuse("add a follow-up to")),
            s => Ok(s),
        }
    }
}

string_enum! {
    /// State of a measure activation (attivazione misura).
    ActivationStatus {
        /// Proposta.
        Proposed => "proposed",
        /// Approvata: budget reserved on the agency's threshold.
        Approved => "approved",
        /// In corso.
        Running => "running",
        /// Conclusa: amount actually spent recorded, the rest released.
        Completed => "completed",
        /// Interrotta.
        Interrupted => "interrupted",
        /// Annullata: reservation released.
        Cancelled => "cancelled",
    }
}

impl ActivationStatus {
    fn refuse(self, action: &'static str) -> Refused {
        Refused {
            entity: "activation",
            action,
            from: self.as_str(),
        }
    }

    pub fn approve(self) -> Result<ActivationStatus, Refused> {
        match self {
            Self::Proposed => Ok(Self::Approved),
            s => Err(s.refuse("approve")),
        }
    }

    pub fn start(self) -> Result<ActivationStatus, Refused> {
        match self {
            Self::Approved => Ok(Self::Running),
            s => Err(s.refuse("start")),
        }
    }

    pub fn complete(self) -> Result<ActivationStatus, Refused> {
        match self {
            Self::Running => Ok(Self::Completed),
            s => Err(s.refuse("complete")),
        }
    }

    pub fn interrupt(self) -> Result<ActivationStatus, Refused> {
        match self {
            Self::Running => Ok(Self::Interrupted),
            s => Err(s.refuse("interrupt")),
        }
    }

    pub fn cancel(self) -> Result<ActivationStatus, Refused> {
        match self {
            Self::Proposed | Self::Approved => Ok(Self::Cancelled),
            s => Err(s.refuse("cancel")),
        }
    }

    /// Still holding, or about to hold, budget: blocks closing the case.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Proposed | Self::Approved | Self::Running)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_has_an_italian_label() {
        use crate::i18n::{state_label, Lang};
        for s in ReferralStatus::ALL {
            assert!(!state_label("referral", s.as_str(), Lang::It).contains('_'));
        }
        for s in CaseStatus::ALL {
            assert!(!state_label("case", s.as_str(), Lang::It).contains('_'));
        }
        for s in ActivationStatus::ALL {
            assert!(!state_label("activation", s.as_str(), Lang::It).is_empty());
        }
    }

    #[test]
    fn referral_happy_path_and_refusals() {
        use ReferralStatus as R;
        assert_eq!(R::Draft.submit(), Ok(R::Submitted));
        assert_eq!(R::Submitted.schedule(), Ok(R::Scheduled));
        assert_eq!(R::Scheduled.decide(DecisionKind::Accept), Ok(R::Accepted));
        assert_eq!(R::Scheduled.decide(DecisionKind::Defer), Ok(R::Deferred));
        assert_eq!(R::Deferred.schedule(), Ok(R::Scheduled));
        assert_eq!(
            R::Scheduled.decide(DecisionKind::RequestInfo),
            Ok(R::InfoRequested)
        );
        assert_eq!(R::InfoRequested.edit(), Ok(R::InfoRequested));
        assert_eq!(R::InfoRequested.submit(), Ok(R::Submitted));
        assert_eq!(R::Scheduled.unschedule(), Ok(R::Submitted));
        let refused = R::Accepted.submit().unwrap_err();
        assert_eq!((refused.action, refused.from), ("submit", "accepted"));
        assert!(R::Scheduled.withdraw().is_err());
        assert!(R::Submitted.edit().is_err());
        assert!(R::Submitted.decide(DecisionKind::Accept).is_err());
        assert!(R::Scheduled.decide(DecisionKind::Reassign).is_err());
    }

    #[test]
    fn every_referral_state_has_a_defined_answer_to_every_move() {
        for s in ReferralStatus::ALL {
            let moves = [
                s.submit(),
                s.withdraw(),
                s.edit(),
                s.schedule(),
                s.unschedule(),
            ];
            for m in moves {
                if let Err(r) = m {
                    assert_eq!(r.from, s.as_str());
                }
            }
            if s.is_final() {
                assert!(s.submit().is_err() && s.withdraw().is_err() && s.schedule().is_err());
            }
        }
    }

    #[test]
    fn case_lifecycle_with_suspension() {
        use CaseStatus as C;
        assert_eq!(C::Assigned.take_charge(), Ok(C::InCharge));
        assert_eq!(C::InCharge.measure_started(), Ok(C::Active));
        assert_eq!(C::Active.measures_ended(), C::Monitoring);
        assert_eq!(C::Monitoring.suspend(), Ok(C::Suspended));
        assert_eq!(C::Suspended.resume(C::Monitoring), Ok(C::Monitoring));
        assert_eq!(C::Monitoring.close(), Ok(C::Closed));
        assert!(C::Closed.close().is_err());
        assert!(C::Closed.suspend().is_err());
        assert!(C::Assigned.measure_started().is_err());
        assert!(C::Assigned.propose_measure().is_err());
        assert!(C::InCharge.take_charge().is_err());
        assert!(C::Active.resume(C::Active).is_err());
        assert_eq!(C::Active.reassign(), Ok(C::Assigned));
    }

    #[test]
    fn activation_lifecycle() {
        use ActivationStatus as A;
        assert_eq!(A::Proposed.approve(), Ok(A::Approved));
        assert_eq!(A::Approved.start(), Ok(A::Running));
        assert_eq!(A::Running.complete(), Ok(A::Completed));
        assert_eq!(A::Running.interrupt(), Ok(A::Interrupted));
        assert_eq!(A::Approved.cancel(), Ok(A::Cancelled));
        assert!(A::Running.cancel().is_err());
        assert!(A::Completed.complete().is_err());
        assert!(A::Proposed.start().is_err());
    }

    #[test]
    fn meeting_lifecycle() {
        use MeetingStatus as M;
        assert_eq!(M::Planned.open(), Ok(M::Open));
        assert_eq!(M::Open.close(), Ok(M::Closed));
        assert!(M::Planned.close().is_err());
        assert!(M::Planned.record().is_err());
        assert!(M::Closed.open().is_err());
        assert!(M::Closed.edit().is_err());
    }
}
