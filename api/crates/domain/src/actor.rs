//! Who is asking: a person signed in with a role, or an organization's integration client.

use crate::ids::{DistrictId, OrganizationId};
use crate::{string_enum, Error};

string_enum! {
    /// What an integration client may do.
    Scope {
        /// Read referrals and persons of the organization.
        ReferralsRead => "referrals:read",
        /// Register persons, write and submit referrals.
        ReferralsWrite => "referrals:write",
        /// Read the organization's cases (agencies).
        CasesRead => "cases:read",
        /// Work on the organization's cases (agencies).
        CasesWrite => "cases:write",
        /// Manage the organization's webhook subscriptions.
        WebhooksManage => "webhooks:manage",
        /// Read the networks the organization coordinates or belongs to.
        NetworksRead => "networks:read",
        /// Manage the networks the organization coordinates; pledge its own resources.
        NetworksWrite => "networks:write",
        /// Read the district's integrated local plan, its axes and actions.
        PlansRead => "plans:read",
        /// Read the opportunities of the district (published ones; the organization's own drafts).
        OpportunitiesRead => "opportunities:read",
        /// Publish the organization's own opportunities (a member of one of the district's networks).
        OpportunitiesWrite => "opportunities:write",
    }
}

string_enum! {
    /// What a user may do (DOMAIN.md, Roles).
    Role {
        /// System administrator: organizations, users, districts.
        Admin => "admin",
        /// Ufficio di Piano: everything in its district.
        Coordinator => "coordinator",
        /// Assistente sociale, Segretariato/PASS, CPI operator: referrals of its organization.
        Referrer => "referrer",
        /// Operator of an accredited agency: the cases assigned to its agency.
        AgencyOperator => "agency_operator",
        /// Observatory / analyst: aggregated, de-identified figures only.
        Observer => "observer",
        /// A network's coordinating organization (e.g. the Agenzia Sociale): the networks
        /// its organization coordinates, and nothing else.
        NetworkCoordinator => "network_coordinator",
        /// Data protection officer (DPO, responsabile della protezione dei dati) of the
        /// district: the audit log, the registers, the data subjects' requests and the approval
        /// of anonymisation; no case contents otherwise.
        PrivacyOfficer => "privacy_officer",
    }
}

impl Role {
    /// The role as it reads in an Italian sentence ("il ruolo {…}").
    pub fn label_it(self) -> &'static str {
        match self {
            Role::Admin => "amministratore",
            Role::Coordinator => "Ufficio di Piano",
            Role::Referrer => "segnalante",
            Role::AgencyOperator => "operatore di ente accreditato",
            Role::Observer => "osservatorio",
            Role::NetworkCoordinator => "coordinatore di rete",
            Role::PrivacyOfficer => "responsabile della protezione dei dati",
        }
    }
}

/// The caller of a use case, as the access token says and the database confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The user's id, or `client:<id>` for an integration client (as recorded in audit rows).
    pub id: String,
    pub role: Role,
    pub organization_id: Option<OrganizationId>,
    pub district_id: Option<DistrictId>,
    /// Integration clients only: what they were granted.
    pub scopes: Option<Vec<Scope>>,
}

impl Actor {
    pub fn is(&self, role: Role) -> bool {
        self.role == role
    }

    /// An integration client acting for its organization.
    pub fn is_client(&self) -> bool {
        self.scopes.is_some()
    }

    /// The caller's district, required for every workflow record.
    pub fn district(&self) -> Result<&DistrictId, Error> {
        self.district_id.as_ref().ok_or_else(|| {
            Error::Forbidden(crate::text!(
                "l'account non è associato a un Ambito",
                "your account is not attached to a district"
            ))
        })
    }

    pub fn organization(&self) -> Result<&OrganizationId, Error> {
        self.organization_id.as_ref().ok_or_else(|| {
            Error::Forbidden(crate::text!(
                "l'account non è associato a un ente",
                "your account is not attached to an organization"
            ))
        })
    }

    /// The caller's organization, when it works as an accredited agency.
    pub fn agency(&self) -> Option<&OrganizationId> {
        if self.role == Role::AgencyOperator {
            self.organization_id.as_ref()
        } else {
            None
        }
    }

    /// Whether a record of `district_id` is in the caller's district.
    pub fn in_district(&self, district_id: &DistrictId) -> bool {
        self.district_id.as_ref() == Some(district_id)
    }
}
