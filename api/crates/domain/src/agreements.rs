//! Around a network (issue 12, items 3 and 7): the requests to join it from people without
//! an account, and the agreements (conventions, protocols) among its members.

use chrono::NaiveDate;

use crate::states::Refused;
use crate::string_enum;

string_enum! {
    /// In what capacity someone asks to join (seed 000).
    JoinCapacity {
        /// Consigliere comunale.
        Councillor => "councillor",
        /// Assessore.
        Assessor => "assessor",
        /// Privato cittadino.
        Citizen => "citizen",
        /// A nome di un ente o un'impresa.
        Organization => "organization",
    }
}

string_enum! {
    /// State of a request to join.
    JoinRequestStatus {
        /// In attesa: the network's coordinators have not decided.
        Pending => "pending",
        /// Accolta: the organization is a member and invited to the next meeting.
        Accepted => "accepted",
        /// Respinta, with a reason.
        Declined => "declined",
    }
}

impl JoinRequestStatus {
    fn refuse(self, action: &'static str) -> Refused {
        Refused {
            entity: "join_request",
            action,
            from: self.as_str(),
        }
    }

    pub fn accept(self) -> Result<JoinRequestStatus, Refused> {
        match self {
            Self::Pending => Ok(Self::Accepted),
            s => Err(s.refuse("accept")),
        }
    }

    pub fn decline(self) -> Result<JoinRequestStatus, Refused> {
        match self {
            Self::Pending => Ok(Self::Declined),
            s => Err(s.refuse("decline")),
        }
    }
}

string_enum! {
    /// What kind of agreement.
    AgreementKind {
        /// Convenzione.
        Convention => "convention",
        /// Protocollo d'intesa.
        Protocol => "protocol",
    }
}

string_enum! {
    /// State of an agreement.
    AgreementStatus {
        /// Bozza: its text and parties change.
        Draft => "draft",
        /// Firmato, in force until `valid_until`.
        Signed => "signed",
        /// Scaduto: signed, and `valid_until` has passed (by the clock).
        Expired => "expired",
        /// Risolto (terminated) before its end, with a reason.
        Terminated => "terminated",
    }
}

impl AgreementStatus {
    fn refuse(self, action: &'static str) -> Refused {
        Refused {
            entity: "agreement",
            action,
            from: self.as_str(),
        }
    }

    /// The state as of `today`: a signed agreement past its `valid_until` is expired.
    pub fn on(self, valid_until: Option<NaiveDate>, today: NaiveDate) -> AgreementStatus {
        match self {
            Self::Signed if valid_until.is_some_and(|u| u < today) => Self::Expired,
            s => s,
        }
    }

    pub fn edit(self) -> Result<AgreementStatus, Refused> {
        match self {
            Self::Draft => Ok(Self::Draft),
            s => Err(s.refuse("edit")),
        }
    }

    pub fn sign(self) -> Result<AgreementStatus, Refused> {
        match self {
            Self::Draft => Ok(Self::Signed),
            s => Err(s.refuse("sign")),
        }
    }

    pub fn terminate(self) -> Result<AgreementStatus, Refused> {
        match self {
            Self::Signed => Ok(Self::Terminated),
            s => Err(s.refuse("terminate")),
        }
    }

    /// Its signed text is attached while draft or in force.
    pub fn attach(self) -> Result<AgreementStatus, Refused> {
        match self {
            Self::Draft | Self::Signed => Ok(self),
            s => Err(s.refuse("attach")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agreements_move_draft_signed_then_expired_or_terminated() {
        use AgreementStatus as A;
        let d = |m, day| NaiveDate::from_ymd_opt(2027, m, day).unwrap_or_default();
        assert_eq!(A::Draft.sign(), Ok(A::Signed));
        assert_eq!(A::Signed.terminate(), Ok(A::Terminated));
        assert!(A::Draft.terminate().is_err() && A::Signed.sign().is_err());
        assert_eq!(A::Signed.on(Some(d(1, 31)), d(1, 31)), A::Signed);
        assert_eq!(A::Signed.on(Some(d(1, 31)), d(2, 1)), A::Expired);
        assert_eq!(A::Signed.on(None, d(2, 1)), A::Signed);
        assert_eq!(A::Draft.on(Some(d(1, 1)), d(2, 1)), A::Draft);
        assert!(A::Expired.terminate().is_err() && A::Expired.attach().is_err());
        use JoinRequestStatus as J;
        assert_eq!(J::Pending.accept(), Ok(J::Accepted));
        assert!(J::Declined.accept().is_err() && J::Accepted.decline().is_err());
    }
}
