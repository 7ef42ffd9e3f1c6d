// What each role sees first after login.
import type { Role } from '../api/types';

export function homeFor(role: Role): string {
  switch (role) {
    case 'referrer':
      return '/referrals';
    case 'coordinator':
      return '/dashboard';
    case 'agency_operator':
      return '/agency';
    case 'admin':
      return '/admin/organizations';
    case 'observer':
      return '/overview';
    case 'network_coordinator':
      return '/networks';
    case 'privacy_officer':
      return '/privacy';
  }
}

/** Roles the API lets correct a person's record (PATCH /persons/{id}; others get 403). */
export const PERSON_EDITORS: Role[] = ['referrer', 'coordinator', 'agency_operator'];

export function canEditPersons(role: Role): boolean {
  return PERSON_EDITORS.includes(role);
}

/** Roles the API lets manage webhook subscriptions (admin: any organization's; coordinator: their own). */
export const WEBHOOK_MANAGERS: Role[] = ['coordinator', 'admin'];

/** Roles the API lets manage the district's plans and funded projects (the Ufficio di Piano). */
export const PLAN_MANAGERS: Role[] = ['coordinator'];

/** Roles that read the plans and projects (they hold no personal data; the administrator gets 403). */
export const PLAN_READERS: Role[] = ['coordinator', 'observer', 'agency_operator', 'referrer', 'network_coordinator'];

/** Roles of a district that read the opportunity board (the administrator has no district). */
export const OPPORTUNITY_READERS: Role[] = ['coordinator', 'observer', 'agency_operator', 'referrer', 'network_coordinator'];

/**
 * Who is offered "Nuova opportunità": the coordinator (for any organization), and the users of an
 * organization (the API lets only a network member's publish, and says so otherwise).
 */
export function mayPublishOpportunities(me: { role: Role; organization?: unknown }): boolean {
  return me.role === 'coordinator' || (me.role !== 'observer' && me.role !== 'admin' && !!me.organization);
}
