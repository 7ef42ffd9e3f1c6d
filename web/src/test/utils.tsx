// Renders the real route table in memory against the fake API of ./api (typed by path).
import { QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { makeQueryClient, routes } from '../App';
import type { Me, TokenResponse } from '../api/types';
import { AuthProvider } from '../auth/AuthContext';
import { mockRoutes, type Routes } from './api';

export { json, mockRoutes, problem, type Routes } from './api';

export const TOKENS: TokenResponse = { access_token: 'A', token_type: 'Bearer', expires_in: 900, refresh_token: 'R', refresh_expires_in: 3600 };

export const ME = {
  referrer: {
    id: 'u-ref', email: 'assistente.sociale@demo.test', full_name: 'Anna Rota', role: 'referrer',
    organization: { id: 'org-ss', name: 'Servizio sociale Bergamo', kind: 'social_service' },
    district: { id: 'd1', name: 'Ambito 1 – Bergamo' },
  },
  coordinator: {
    id: 'u-coord', email: 'coordinatore@demo.test', full_name: 'Carla Bianchi', role: 'coordinator',
    organization: { id: 'org-udp', name: 'Ufficio di Piano', kind: 'planning_office' },
    district: { id: 'd1', name: 'Ambito 1 – Bergamo' },
  },
  agency_operator: {
    id: 'u-op', email: 'operatore1@demo.test', full_name: 'Ugo Verdi', role: 'agency_operator',
    organization: { id: 'org-ag1', name: 'Agenzia Lavoro Uno', kind: 'accredited_agency' },
    district: { id: 'd1', name: 'Ambito 1 – Bergamo' },
  },
  observer: {
    id: 'u-obs', email: 'osservatorio@demo.test', full_name: 'Osservatorio', role: 'observer',
    organization: null, district: { id: 'd1', name: 'Ambito 1 – Bergamo' },
  },
  network_coordinator: {
    id: 'u-rete', email: 'rete@demo.test', full_name: 'Elena Ferrari', role: 'network_coordinator',
    organization: { id: 'org-soc', name: 'Agenzia Sociale Lavoro & Società', kind: 'social_service' },
    district: { id: 'd1', name: 'Ambito 1 – Bergamo' },
  },
  privacy_officer: {
    id: 'u-dpo', email: 'dpo@demo.test', full_name: 'Daniela Porta', role: 'privacy_officer',
    organization: null, district: { id: 'd1', name: 'Ambito 1 – Bergamo' },
  },
  admin: {
    id: 'u-admin', email: 'admin@demo.test', full_name: 'Amministratore', role: 'admin',
    organization: null, district: null,
  },
} satisfies Record<string, Me>;

export type Who = keyof typeof ME;

/**
 * The fake API for a session of `who`, restored at start-up (a refresh token in sessionStorage,
 * refreshed and followed by /me), plus the routes of the test.
 */
export function signedInAs(who: Who, routes: Routes) {
  window.sessionStorage.setItem('sl.refresh_token', 'R0');
  return mockRoutes({
    'POST /api/v1/auth/refresh': () => TOKENS,
    'GET /api/v1/me': () => ME[who],
    'GET /api/v1/notifications/unread-count': () => ({ unread: 0 }),
    ...routes,
  });
}

export function renderApp(path: string) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const queryClient = makeQueryClient();
  queryClient.setDefaultOptions({ queries: { retry: false, staleTime: 0 } });
  const utils = render(
    <QueryClientProvider client={queryClient}>
      <AuthProvider>
        <RouterProvider router={router} />
      </AuthProvider>
    </QueryClientProvider>,
  );
  return { ...utils, router, queryClient };
}
