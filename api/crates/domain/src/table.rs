//! A decision of the monthly table (esito del tavolo), parsed once from what the coordinator
//! sent, with every field error at once: once parsed, it cannot be inconsistent (an accept
//! without an agency, a reassignment of a referral, a rejection without a reason).

use crate::ids::{CaseId, MeasureId, OrganizationId, ReferralId};
use crate::states::DecisionKind;
use crate::{text, FieldError};

/// What was sent, as it was sent.
#[derive(Debug, Clone, Default)]
pub struct DecisionFields {
    pub referral_id: Option<ReferralId>,
    pub case_id: Option<CaseId>,
    pub decision: Option<DecisionKind>,
    pub agency_id: Option<OrganizationId>,
    pub measure_ids: Vec<MeasureId>,
    pub reason: Option<String>,
}

/// What the table decided about a referral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferralDecision {
    /// Accolta: the case goes to `agency_id`, with these measures proposed.
    Accept {
        agency_id: OrganizationId,
        measure_ids: Vec<MeasureId>,
        reason: Option<String>,
    },
    /// Respinta, reindirizzata, rinviata, integrazioni richieste: always with a reason.
    Other { kind: DecisionKind, reason: String },
}

/// What the table decided about a case under review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseDecision {
    /// The case moves to another agency.
    Reassign {
        agency_id: OrganizationId,
        reason: String,
    },
    /// The case goes on as it is.
    Confirm { reason: Option<String> },
}

/// One decision on one agenda item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableDecision {
    Referral {
        referral_id: ReferralId,
        decision: ReferralDecision,
    },
    Case {
        case_id: CaseId,
        decision: CaseDecision,
    },
}

impl TableDecision {
    pub fn kind(&self) -> DecisionKind {
        match self {
            TableDecision::Referral {
                decision: ReferralDecision::Accept { .. },
                ..
            } => DecisionKind::Accept,
            TableDecision::Referral {
                decision: ReferralDecision::Other { kind, .. },
                ..
            } => *kind,
            TableDecision::Case {
                decision: CaseDecision::Reassign { .. },
                ..
            } => DecisionKind::Reassign,
            TableDecision::Case {
                decision: CaseDecision::Confirm { .. },
                ..
            } => DecisionKind::Confirm,
        }
    }

    pub fn reason(&self) -> Option<&str> {
        match self {
            TableDecision::Referral { decision, .. } => match decision {
                ReferralDecision::Accept { reason, .. } => reason.as_deref(),
                ReferralDecision::Other { reason, .. } => Some(reason),
            },
            TableDecision::Case { decision, .. } => match decision {
                CaseDecision::Reassign { reason, .. } => Some(reason),
                CaseDecision::Confirm { reason } => reason.as_deref(),
            },
        }
    }

    pub fn agency_id(&self) -> Option<&OrganizationId> {
        match self {
            TableDecision::Referral {
                decision: ReferralDecision::Accept { agency_id, .. },
                ..
            }
            | TableDecision::Case {
                decision: CaseDecision::Reassign { agency_id, .. },
                ..
            } => Some(agency_id),
            _ => None,
        }
    }

    pub fn measure_ids(&self) -> &[MeasureId] {
        match self {
            TableDecision::Referral {
                decision: ReferralDecision::Accept { measure_ids, .. },
                ..
            } => measure_ids,
            _ => &[],
        }
    }

    pub fn referral_id(&self) -> Option<&ReferralId> {
        match self {
            TableDecision::Referral { referral_id, .. } => Some(referral_id),
            TableDecision::Case { .. } => None,
        }
    }

    pub fn case_id(&self) -> Option<&CaseId> {
        match self {
            TableDecision::Case { case_id, .. } => Some(case_id),
            TableDecision::Referral { .. } => None,
        }
    }

    /// Parses what was sent, naming every field that does not fit.
    pub fn parse(f: DecisionFields) -> Result<TableDecision, Vec<FieldError>> {
        let mut errors = Vec::new();
        let reason = f
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        let Some(kind) = f.decision else {
            errors.push(FieldError::required("decision"));
            return Err(errors);
        };
        let target = match (&f.referral_id, &f.case_id) {
            (Some(_), None) if !kind.for_referrals() => {
                errors.push(FieldError::new(
                    "decision",
                    "enum",
                    text!(
                        "per una segnalazione: accept, reject, redirect, defer o request_info",
                        "for a referral: accept, reject, redirect, defer or request_info"
                    ),
                ));
                None
            }
            (None, Some(_)) if kind.for_referrals() => {
                errors.push(FieldError::new(
                    "decision",
                    "enum",
                    text!(
                        "per il riesame di un caso: reassign o confirm",
                        "for a case review: reassign or confirm"
                    ),
                ));
                None
            }
            (Some(r), None) => Some((Some(r.clone()), None)),
            (None, Some(c)) => Some((None, Some(c.clone()))),
            _ => {
                errors.push(FieldError::new(
                    "referral_id",
                    "one_of",
                    text!(
                        "indicare uno solo tra referral_id e case_id",
                        "give exactly one of referral_id and case_id"
                    ),
                ));
                None
            }
        };
        let needs_agency = matches!(kind, DecisionKind::Accept | DecisionKind::Reassign);
        match (&f.agency_id, needs_agency) {
            (None, true) => errors.push(FieldError::new(
                "agency_id",
                "required",
                text!(
                    "obbligatorio per assegnare il caso",
                    "is required to assign the case"
                ),
            )),
            (Some(_), false) => errors.push(FieldError::new(
                "agency_id",
                "not_allowed",
                text!(
                    "solo accept e reassign indicano un ente",
                    "only accept and reassign take an agency"
                ),
            )),
            _ => {}
        }
        if !f.measure_ids.is_empty() && kind != DecisionKind::Accept {
            errors.push(FieldError::new(
                "measure_ids",
                "not_allowed",
                text!("solo accept indica le misure", "only accept takes measures"),
            ));
        }
        if reason.is_none() && !matches!(kind, DecisionKind::Accept | DecisionKind::Confirm) {
            errors.push(FieldError::new(
                "reason",
                "required",
                text!(
                    "indicare la motivazione della decisione: sarà riportata nel verbale",
                    "give the reason for this decision: it goes in the minutes"
                ),
            ));
        }
        match target {
            Some(_) if !errors.is_empty() => Err(errors),
            None => Err(errors),
            Some((Some(referral_id), _)) => {
                let decision = match (kind, f.agency_id, reason) {
                    (DecisionKind::Accept, Some(agency_id), reason) => ReferralDecision::Accept {
                        agency_id,
                        measure_ids: f.measure_ids,
                        reason,
                    },
                    (kind, _, Some(reason)) => ReferralDecision::Other { kind, reason },
                    _ => return Err(errors),
                };
                Ok(TableDecision::Referral {
                    referral_id,
                    decision,
                })
            }
            Some((_, Some(case_id))) => {
                let decision = match (kind, f.agency_id, reason) {
                    (DecisionKind::Reassign, Some(agency_id), Some(reason)) => {
                        CaseDecision::Reassign { agency_id, reason }
                    }
                    (DecisionKind::Confirm, _, reason) => CaseDecision::Confirm { reason },
                    _ => return Err(errors),
                };
                Ok(TableDecision::Case { case_id, decision })
            }
            Some((None, None)) => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(kind: DecisionKind) -> DecisionFields {
        DecisionFields {
            referral_id: Some("r".into()),
            decision: Some(kind),
            ..Default::default()
        }
    }

    #[test]
    fn an_accept_takes_an_agency_and_measures() {
        let d = TableDecision::parse(DecisionFields {
            agency_id: Some("ag".into()),
            measure_ids: vec!["m".into()],
            ..fields(DecisionKind::Accept)
        });
        assert_eq!(
            d,
            Ok(TableDecision::Referral {
                referral_id: "r".into(),
                decision: ReferralDecision::Accept {
                    agency_id: "ag".into(),
                    measure_ids: vec!["m".into()],
                    reason: None
                }
            })
        );
    }

    #[test]
    fn every_wrong_field_is_named_at_once() {
        let errors = TableDecision::parse(DecisionFields {
            measure_ids: vec!["m".into()],
            agency_id: Some("ag".into()),
            reason: Some("  ".into()),
            ..fields(DecisionKind::Reject)
        })
        .unwrap_err();
        let named: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(named, vec!["agency_id", "measure_ids", "reason"]);
        let errors = TableDecision::parse(DecisionFields {
            case_id: Some("c".into()),
            ..fields(DecisionKind::Reassign)
        })
        .unwrap_err();
        assert_eq!(errors[0].code, "one_of");
        let errors = TableDecision::parse(DecisionFields {
            referral_id: None,
            case_id: Some("c".into()),
            decision: Some(DecisionKind::Accept),
            agency_id: Some("a".into()),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(errors[0].field, "decision");
    }

    #[test]
    fn a_case_review_reassigns_with_a_reason_or_confirms() {
        let base = DecisionFields {
            case_id: Some("c".into()),
            ..Default::default()
        };
        assert!(TableDecision::parse(DecisionFields {
            decision: Some(DecisionKind::Reassign),
            agency_id: Some("a".into()),
            ..base.clone()
        })
        .is_err());
        assert_eq!(
            TableDecision::parse(DecisionFields {
                decision: Some(DecisionKind::Confirm),
                ..base
            })
            .map(|d| d.kind()),
            Ok(DecisionKind::Confirm)
        );
    }
}
