//! What the product tells integrators: webhook event types and the states of a delivery.

crate::string_enum! {
    /// Types of webhook events.
    EventType {
        /// A referral was sent to the table (to the referring organization and the Ufficio di Piano).
        ReferralSubmitted => "referral.submitted",
        /// The table decided a referral (to the referring organization).
        ReferralDecided => "referral.decided",
        /// A case was assigned to an agency, by acceptance or reassignment (to the agency and the referrer).
        CaseAssigned => "case.assigned",
        /// A case changed state (to the agency and the referrer).
        CaseStatusChanged => "case.status_changed",
        /// A measure was approved and its budget reserved (to the agency).
        ActivationApproved => "activation.approved",
        /// A case was closed with an outcome (to the agency and the referrer).
        CaseClosed => "case.closed",
        /// An outcome check (3, 6, 12 months) fell due (to the agency).
        OutcomeCheckDue => "outcome_check.due",
        /// The agency wrote a new version of a case's service pact (to the agency and the referrer).
        ServicePactRevised => "service_pact.revised",
    }
}

crate::string_enum! {
    /// Where a webhook delivery stands.
    DeliveryStatus {
        /// Waiting for its (next) attempt.
        Pending => "pending",
        /// The receiver answered 2xx.
        Delivered => "delivered",
        /// Given up after the last retry, or refused for good (destination, subscription stopped).
        Failed => "failed",
    }
}
