// What each role sees first after login.
import type { Role } from '../api/types';

export function homeFor(role: Role): string {
  switch (role) {
    case 'referrer':
      return '/referrals';
    case 'coordinator':
      return '/dashboard';
    case 'agency_operator':
      return '/cases';
    case 'admin':
      return '/admin/organizations';
    case 'observer':
      return '/overview';
  }
}
