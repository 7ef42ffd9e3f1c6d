//! What a caller may do with a record now (`allowed_actions`), and what its role could do
//! but the record's state or the budget forbids (`blocked_actions`, with the reason).

use serde::Serialize;
use utoipa::ToSchema;

use crate::i18n::{entity_label, state_label, Lang};
use crate::values::Cents;

crate::string_enum! {
    /// An action on a record: the action endpoint's last path segment with `-` as `_`;
    /// `edit` is `PATCH`, `delete` is `DELETE`, `add_<child>` creates under the record.
    Action {
        Edit => "edit",
        Delete => "delete",
        Submit => "submit",
        Withdraw => "withdraw",
        TakeCharge => "take_charge",
        Suspend => "suspend",
        Resume => "resume",
        Close => "close",
        AddFollowUp => "add_follow_up",
        AddActivation => "add_activation",
        Record => "record",
        Approve => "approve",
        Start => "start",
        Complete => "complete",
        Interrupt => "interrupt",
        Cancel => "cancel",
        Open => "open",
        AddAgendaItem => "add_agenda_item",
        AddDecision => "add_decision",
        SetMunicipalities => "set_municipalities",
        RotateSecret => "rotate_secret",
        Revoke => "revoke",
        Redeliver => "redeliver",
        UploadDocument => "upload_document",
        EditServicePact => "edit_service_pact",
        Activate => "activate",
        AddMember => "add_member",
        AddResource => "add_resource",
        MakeAvailable => "make_available",
        Use => "use",
        /// Add an action to a plan.
        AddAction => "add_action",
        /// Drop a plan's action (it will not be done).
        Drop => "drop",
        Accept => "accept",
        Decline => "decline",
        Sign => "sign",
        Terminate => "terminate",
        AddActionItem => "add_action_item",
        /// Add a participating member to a collective action.
        AddParticipant => "add_participant",
        /// Add a target employer to a collective action.
        AddEmployer => "add_employer",
        /// Add a beneficiary (a case) to a collective action.
        AddBeneficiary => "add_beneficiary",
        /// Start a working group of the network.
        AddWorkingGroup => "add_working_group",
        /// Offer a shared response in the network.
        AddSharedResponse => "add_shared_response",
        /// A member leaves a working group.
        Leave => "leave",
        /// Propose a shared response to the person of a case.
        AddSharedResponseProposal => "add_shared_response_proposal",
        /// Record that a submitted project was granted.
        Grant => "grant",
        /// Record that a submitted project was not granted.
        Reject => "reject",
        /// Record that a running project's report was sent.
        Report => "report",
        /// Make a measure of the catalogue from a granted project.
        AddMeasure => "add_measure",
        /// Publish a draft opportunity to the district and the territory.
        Publish => "publish",
        /// Propose an opportunity of the board to the person of a case.
        AddOpportunityProposal => "add_opportunity_proposal",
        /// Record the person's answer to a proposed opportunity, and its result.
        Answer => "answer",
        /// Restrict the processing of a person's data (GDPR art. 18).
        Restrict => "restrict",
        /// Lift the restriction of a person's data.
        LiftRestriction => "lift_restriction",
        /// Ask for the person's anonymisation (GDPR art. 17).
        RequestAnonymisation => "request_anonymisation",
    }
}

crate::string_enum! {
    /// The stable code of why an action is blocked (the `reason` beside it is its text).
    ReasonCode {
        State => "state",
        ThresholdExhausted => "threshold_exhausted",
        NoThreshold => "no_threshold",
        NotEligible => "not_eligible",
        MeasuresOpen => "measures_open",
        AnotherMeetingOpen => "another_meeting_open",
        NotCompliant => "not_compliant",
        PersonRestricted => "person_restricted",
        PersonAnonymised => "person_anonymised",
        RequestPending => "request_pending",
    }
}

/// Why an action the caller's role could take is not possible now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The record (or the one it belongs to) is in a state that does not allow it.
    State {
        entity: &'static str,
        state: &'static str,
    },
    /// What is left of the agency's threshold is less than the amount.
    ThresholdExhausted { remaining: Cents },
    /// No threshold of the agency covers the measure today.
    NoThreshold,
    /// The person does not meet the measure's rules today.
    NotEligible,
    /// Measures are still proposed, approved or running.
    MeasuresOpen(usize),
    /// Another meeting of the district is open.
    AnotherMeetingOpen,
    /// The network does not meet the rules of its kind (see its `compliance`).
    NotCompliant,
    /// The person's processing is restricted (art. 18): her record is frozen.
    PersonRestricted,
    /// The person was anonymised (art. 17).
    PersonAnonymised,
    /// An anonymisation request of the person already waits for the DPO.
    RequestPending,
}

impl Reason {
    pub fn state(entity: &'static str, state: &'static str) -> Reason {
        Reason::State { entity, state }
    }

    pub fn code(&self) -> ReasonCode {
        match self {
            Reason::State { .. } => ReasonCode::State,
            Reason::ThresholdExhausted { .. } => ReasonCode::ThresholdExhausted,
            Reason::NoThreshold => ReasonCode::NoThreshold,
            Reason::NotEligible => ReasonCode::NotEligible,
            Reason::MeasuresOpen(_) => ReasonCode::MeasuresOpen,
            Reason::AnotherMeetingOpen => ReasonCode::AnotherMeetingOpen,
            Reason::NotCompliant => ReasonCode::NotCompliant,
            Reason::PersonRestricted => ReasonCode::PersonRestricted,
            Reason::PersonAnonymised => ReasonCode::PersonAnonymised,
            Reason::RequestPending => ReasonCode::RequestPending,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Reason::State { entity, state }, Lang::It) => {
                let (e, s) = (entity_label(entity, lang), state_label(entity, state, lang));
                let mut chars = e.chars();
                let cap: String = chars
                    .next()
                    .map(|c| c.to_uppercase().collect::<String>())
                    .unwrap_or_default()
                    + chars.as_str();
                format!("{cap} è {s}")
            }
            (Reason::State { entity, state }, Lang::En) => {
                let e = entity_label(entity, lang);
                let mut chars = e.chars();
                let cap: String = chars
                    .next()
                    .map(|c| c.to_uppercase().collect::<String>())
                    .unwrap_or_default()
                    + chars.as_str();
                format!("{cap} is {}", state_label(entity, state, lang))
            }
            (Reason::ThresholdExhausted { remaining }, Lang::It) => {
                format!("soglia esaurita: restano {remaining}")
            }
            (Reason::ThresholdExhausted { remaining }, Lang::En) => {
                format!("threshold used up: {remaining} left")
            }
            (Reason::NoThreshold, Lang::It) => {
                "nessuna soglia dell'ente copre la misura oggi".into()
            }
            (Reason::NoThreshold, Lang::En) => {
                "no threshold of the agency covers the measure today".into()
            }
            (Reason::NotEligible, Lang::It) => {
                "la persona non ha oggi i requisiti della misura".into()
            }
            (Reason::NotEligible, Lang::En) => {
                "the person does not meet the measure's rules today".into()
            }
            (Reason::MeasuresOpen(n), Lang::It) => match n {
                1 => "una misura è ancora proposta, approvata o in corso".into(),
                n => format!("{n} misure sono ancora proposte, approvate o in corso"),
            },
            (Reason::MeasuresOpen(n), Lang::En) => {
                format!("{n} measure(s) still proposed, approved or running")
            }
            (Reason::AnotherMeetingOpen, Lang::It) => {
                "un'altra seduta della stessa rete è aperta".into()
            }
            (Reason::NotCompliant, Lang::It) => {
                "la rete non rispetta ancora le regole del suo tipo (vedi conformità)".into()
            }
            (Reason::NotCompliant, Lang::En) => {
                "the network does not meet the rules of its kind yet (see compliance)".into()
            }
            (Reason::AnotherMeetingOpen, Lang::En) => {
                "another meeting of the same network is open".into()
            }
            (Reason::PersonRestricted, Lang::It) => {
                "il trattamento dei dati della persona è limitato (art. 18 GDPR)".into()
            }
            (Reason::PersonRestricted, Lang::En) => {
                "the processing of the person's data is restricted (GDPR art. 18)".into()
            }
            (Reason::PersonAnonymised, Lang::It) => "la persona è stata anonimizzata".into(),
            (Reason::PersonAnonymised, Lang::En) => "the person was anonymised".into(),
            (Reason::RequestPending, Lang::It) => {
                "una richiesta di anonimizzazione attende già il responsabile della protezione dei dati".into()
            }
            (Reason::RequestPending, Lang::En) => {
                "an anonymisation request already waits for the DPO".into()
            }
        }
    }
}

/// The actions of one record for one caller.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actions {
    pub allowed: Vec<Action>,
    pub blocked: Vec<(Action, Reason)>,
}

impl Actions {
    pub fn allow(&mut self, action: Action) {
        self.allowed.push(action);
    }

    pub fn block(&mut self, action: Action, reason: Reason) {
        self.blocked.push((action, reason));
    }

    /// Allowed when the state machine says so, else blocked by the state.
    pub fn by_state(
        &mut self,
        action: Action,
        entity: &'static str,
        state: &'static str,
        ok: bool,
    ) {
        if ok {
            self.allow(action);
        } else {
            self.block(action, Reason::state(entity, state));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.allowed.is_empty() && self.blocked.is_empty()
    }

    pub fn allows(&self, action: Action) -> bool {
        self.allowed.contains(&action)
    }

    pub fn allowed_names(&self) -> Vec<&'static str> {
        self.allowed.iter().map(|a| a.as_str()).collect()
    }

    /// As responses carry them, reasons in the caller's language.
    pub fn render(&self, lang: Lang) -> (Vec<Action>, Vec<BlockedAction>) {
        (
            self.allowed.clone(),
            self.blocked
                .iter()
                .map(|(action, reason)| BlockedAction {
                    action: *action,
                    code: reason.code(),
                    reason: reason.message(lang),
                })
                .collect(),
        )
    }
}

/// An action the caller's role could take but the record's state or the budget forbids now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(example = json!({"action": "approve", "code": "threshold_exhausted", "reason": "soglia esaurita: restano 0,00 €"}))]
pub struct BlockedAction {
    /// The action refused now.
    pub action: Action,
    /// Why, as a stable code (for programs).
    pub code: ReasonCode,
    /// Why, in the caller's language (`Accept-Language`; Italian by default), for people.
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_in_italian_and_english() {
        let r = Reason::state("referral", "scheduled");
        assert_eq!(
            r.message(Lang::It),
            "La segnalazione è all'ordine del giorno"
        );
        assert_eq!(r.message(Lang::En), "The referral is scheduled");
        assert_eq!(
            Reason::MeasuresOpen(2).message(Lang::It),
            "2 misure sono ancora proposte, approvate o in corso"
        );
    }
}
