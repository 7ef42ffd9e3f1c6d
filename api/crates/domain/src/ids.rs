//! Typed ids: a case id is not a person id, and the compiler says so.
//!
//! Ids are opaque strings (UUIDv7 for records this program creates; the demo's fixed ids for
//! its districts and organizations). Any string may be *looked up* — an unknown id is a `404`,
//! not a malformed request — so building one from a `String` cannot fail; what the type adds
//! is that a `CaseId` goes only where a case id is expected. The wire format stays a plain
//! string (`#[serde(transparent)]`), and the store reads and writes them through `String`
//! (`#[diesel(deserialize_as = String, serialize_as = String)]`, ARCHITECTURE.md).
//!
//! Responses keep plain strings (`*Out` types are the wire format); requests deserialize
//! straight into ids, so a use case never sees an untyped one.
//!
//! ```
//! use sistema_lavoro_domain::ids::CaseId;
//! fn read(_: &CaseId) {}
//! read(&CaseId::from("0190"));
//! ```
//!
//! A person id where a case id is expected does not compile:
//!
//! ```compile_fail
//! use sistema_lavoro_domain::ids::{CaseId, PersonId};
//! fn read(_: &CaseId) {}
//! read(&PersonId::from("0190"));
//! ```

/// No id is longer: UUIDs have 36 characters, the demo's fixed ids fewer.
pub const MAX_LEN: usize = 64;

macro_rules! ids {
    ($($(#[$meta:meta])* $name:ident;)*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        /// From a request: any string up to [`MAX_LEN`] characters (longer is no id of ours).
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                if s.chars().count() > MAX_LEN {
                    return Err(serde::de::Error::custom(format!(
                        "must be at most {MAX_LEN} characters"
                    )));
                }
                Ok($name(s))
            }
        }

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name(s)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_owned())
            }
        }

        impl From<&$name> for $name {
            fn from(id: &$name) -> Self {
                id.clone()
            }
        }

        impl From<$name> for serde_json::Value {
            fn from(id: $name) -> Self {
                serde_json::Value::String(id.0)
            }
        }

        /// An id reads as the string it is (`&*id`, `as_deref()`, a `&str` argument); what
        /// it cannot do is pass for another kind of id.
        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    )*};
}

ids! {
    /// An Ambito territoriale.
    DistrictId;
    /// An organization: Ufficio di Piano, agency, CPI, municipality, third sector.
    OrganizationId;
    /// A user account.
    UserId;
    /// A person taken in charge (persona).
    PersonId;
    /// A referral (segnalazione).
    ReferralId;
    /// A case (presa in carico).
    CaseId;
    /// An activated measure (attivazione).
    ActivationId;
    /// A measure of the catalogue (misura).
    MeasureId;
    /// An agency's budget threshold for a measure (soglia).
    ThresholdId;
    /// A meeting of the table (incontro del tavolo).
    MeetingId;
    /// An item of a meeting's agenda (punto all'ordine del giorno).
    AgendaItemId;
    /// A decision recorded on an agenda item.
    DecisionId;
    /// A follow-up of a case (colloquio di monitoraggio).
    FollowUpId;
    /// An outcome check of a closed case (verifica degli esiti).
    OutcomeCheckId;
    /// An integration client of an organization.
    ClientId;
    /// A webhook subscription.
    WebhookId;
    /// A delivery of an event to a webhook.
    DeliveryId;
    /// An event of the outbox.
    EventId;
    /// A refresh token (its family row).
    TokenId;
    /// A document attached to a referral or a case (allegato).
    DocumentId;
    /// A notification (notifica) in one person's inbox.
    NotificationId;
    /// An e-mail of the notification outbox.
    EmailId;
    /// A version of a case's service pact (patto di servizio).
    ServicePactId;
    /// An action (job search, training) of a service pact version.
    PactActionId;
    /// A network of the territory (rete: patto, partenariato, forum, the table itself).
    NetworkId;
    /// An organization's adhesion to a network (adesione), from one date to another.
    MemberId;
    /// A resource a member pledges to a network (risorsa messa a disposizione).
    ResourceId;
    /// The district's integrated local plan (Piano Locale Integrato).
    PlanId;
    /// An axis of a plan (asse).
    PlanAxisId;
    /// An action of a plan (azione), under one axis.
    PlanActionId;
    /// A funded project (progettualità: a call's grant, with its CUP).
    ProjectId;
    /// A request to join a network from someone without an account.
    JoinRequestId;
    /// An agreement (convention, protocol) among a network's members.
    AgreementId;
    /// An action item (impegno) recorded at a meeting, followed up at the next.
    ActionItemId;
    /// A collective action of a partnership (azione collettiva: outplacement, target
    /// employers…).
    CollectiveActionId;
    /// A working group of a network, on one response area (gruppo di lavoro).
    WorkingGroupId;
    /// A membership of a working group (a network member, from one date to another).
    GroupMemberId;
    /// A shared response a member offers in an area (risposta condivisa).
    SharedResponseId;
    /// A shared response proposed to the person of a case.
    ProposalId;
    /// An opportunity a member publishes (course, job offer, internship, service, event).
    OpportunityId;
    /// An opportunity of the board proposed to the person of a case.
    OpportunityProposalId;
    /// A version of a privacy notice (informativa) of a district, for one purpose.
    PrivacyNoticeId;
    /// A notice given to a person, or a consent the person gave (GDPR art. 6, 7, 13).
    ConsentId;
    /// An export of a list to CSV or XLSX, running or done.
    ExportId;
    /// An entry of the district's data-breach register (GDPR art. 33.5).
    DataBreachId;
    /// A request to anonymise a person (GDPR art. 17), approved or rejected by the DPO.
    AnonymisationRequestId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_travel_as_plain_strings() {
        let id = CaseId::from("0190-abc");
        assert_eq!(
            serde_json::to_string(&id).ok().as_deref(),
            Some("\"0190-abc\"")
        );
        let back: Result<CaseId, _> = serde_json::from_str("\"0190-abc\"");
        assert_eq!(back.ok(), Some(id.clone()));
        assert_eq!(id, "0190-abc");
        assert_eq!(String::from(id), "0190-abc");
        let long = format!("\"{}\"", "x".repeat(MAX_LEN + 1));
        assert!(serde_json::from_str::<CaseId>(&long).is_err());
    }
}
