// Renders the real route table in memory with a fake API (a function from request to response).
import { QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { vi } from 'vitest';
import { makeQueryClient, routes } from '../App';
import { AuthProvider } from '../auth/AuthContext';
import { setTokens } from '../auth/session';

export type Handler = (req: Request, url: URL) => Response | undefined | Promise<Response | undefined>;

export function json(status: number, body?: unknown, headers: Record<string, string> = {}) {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  });
}

export function problem(status: number, extra: Record<string, unknown> = {}) {
  return json(status, { type: 'about:blank', title: 'Error', status, ...extra });
}

export const ME = {
  referrer: {
    id: 'u-ref', email: 'assistente.sociale@demo.test', full_name: 'Anna Rota', role: 'referrer',
    organization: { id: 'org-ss', name: 'Servizio sociale Bergamo', kind: 'social_service' },
    district: { id: 'd1', name: 'Ambito 1 – Bergamo' },
  },
  coordinator: {
    id: 'u-coord', email: 'coordinatore@demo.test', full_name: 'Carla Bianchi', role: 'coordinator',
    organization: { id: 'org-udp', name: 'Ufficio di Piano', kind: 'municipality' },
    district: { id: 'd1', name: 'Ambito 1 – Bergamo' },
  },
  agency_operator: {
    id: 'u-op', email: 'operatore1@demo.test', full_name: 'Ugo Verdi', role: 'agency_operator',
    organization: { id: 'org-ag1', name: 'Agenzia Lavoro Uno', kind: 'accredited_agency' },
    district: { id: 'd1', name: 'Ambito 1 – Bergamo' },
  },
  admin: {
    id: 'u-admin', email: 'admin@demo.test', full_name: 'Amministratore', role: 'admin',
    organization: null, district: null,
  },
} as const;

export function mockApi(handler: Handler) {
  const calls: Request[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(new URL(String(input), 'http://localhost'), init);
    calls.push(req.clone());
    const url = new URL(req.url, 'http://localhost');
    const res = await handler(req, url);
    if (!res) return problem(404, { detail: `no mock for ${req.method} ${url.pathname}` });
    return res;
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls, fetchMock };
}

/** Starts logged in as `who` (the fake API must answer /me for it). */
export function loggedIn() {
  setTokens({ access_token: 'test-access', expires_in: 900, refresh_token: 'test-refresh' });
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
