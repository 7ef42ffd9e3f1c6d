import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { vi } from 'vitest';
import { getRefreshToken } from '../../auth/session';
import { json, ME, mockApi, problem, renderApp } from '../../test/utils';

const TOKENS = { access_token: 'A', token_type: 'Bearer', expires_in: 900, refresh_token: 'R', refresh_expires_in: 3600 };

describe('login', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('asks for both fields, in Italian, before calling the API', async () => {
    const { calls } = mockApi(() => undefined);
    renderApp('/login');
    await userEvent.click(screen.getByRole('button', { name: 'Accedi' }));
    expect(await screen.findByText('Inserisci Indirizzo email.', { selector: '.invalid-feedback' })).toBeInTheDocument();
    expect(screen.getByLabelText(/Indirizzo email/)).toHaveAttribute('aria-invalid', 'true');
    expect(calls).toHaveLength(0);
  });

  it('says the credentials are wrong on 401', async () => {
    mockApi((_req, url) => (url.pathname === '/api/v1/auth/login' ? problem(401, { code: 'invalid_credentials' }) : undefined));
    renderApp('/login');
    await userEvent.type(screen.getByLabelText(/Indirizzo email/), 'x@demo.test');
    await userEvent.type(screen.getByLabelText(/Password/), 'nope');
    await userEvent.click(screen.getByRole('button', { name: 'Accedi' }));
    expect(await screen.findByText('Email o password non corretti.')).toBeInTheDocument();
  });

  it('takes a referrer to their referrals and keeps the refresh token in sessionStorage', async () => {
    mockApi((_req, url) => {
      if (url.pathname === '/api/v1/auth/login') return json(200, TOKENS);
      if (url.pathname === '/api/v1/me') return json(200, ME.referrer);
      return json(200, { items: [], next: null });
    });
    const { router } = renderApp('/login');
    await userEvent.type(screen.getByLabelText(/Indirizzo email/), ME.referrer.email);
    await userEvent.type(screen.getByLabelText(/Password/), 'Demo-2026!');
    await userEvent.click(screen.getByRole('button', { name: 'Accedi' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/referrals'));
    expect(getRefreshToken()).toBe('R');
    expect(screen.getByTestId('current-user')).toHaveTextContent('Anna Rota');
  });

  it('returns to the deep link it was sent from', async () => {
    mockApi((_req, url) => {
      if (url.pathname === '/api/v1/auth/login') return json(200, TOKENS);
      if (url.pathname === '/api/v1/me') return json(200, ME.agency_operator);
      return json(200, { items: [], next: null });
    });
    const { router } = renderApp('/cases?status=active');
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    await userEvent.type(screen.getByLabelText(/Indirizzo email/), ME.agency_operator.email);
    await userEvent.type(screen.getByLabelText(/Password/), 'Demo-2026!');
    await userEvent.click(screen.getByRole('button', { name: 'Accedi' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/cases'));
    expect(router.state.location.search).toBe('?status=active');
  });

  it('restores the session from the refresh token on reload', async () => {
    window.sessionStorage.setItem('sl.refresh_token', 'R0');
    mockApi((_req, url) => {
      if (url.pathname === '/api/v1/auth/refresh') return json(200, TOKENS);
      if (url.pathname === '/api/v1/me') return json(200, ME.coordinator);
      return json(200, { items: [], next: null });
    });
    const { router } = renderApp('/');
    await waitFor(() => expect(router.state.location.pathname).toBe('/dashboard'));
  });

  it('after a revoked token whose refresh is refused, lands on the sign-in page saying the session has ended', async () => {
    window.sessionStorage.setItem('sl.refresh_token', 'R0');
    let refreshes = 0;
    mockApi((_req, url) => {
      if (url.pathname === '/api/v1/auth/refresh') {
        refreshes += 1;
        return refreshes === 1 ? json(200, TOKENS) : problem(401, { code: 'session_revoked' });
      }
      if (url.pathname === '/api/v1/me') return json(200, ME.agency_operator);
      if (url.pathname === '/api/v1/cases') return problem(401, { code: 'token_revoked', detail: 'this token was revoked' });
      return json(200, { items: [], next: null });
    });
    const { router } = renderApp('/cases');
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(await screen.findByText('La sessione è terminata: accedi di nuovo.')).toBeInTheDocument();
    expect(router.state.location.search).toBe(`?next=${encodeURIComponent('/cases')}`);
    // One refresh at start-up, one after the revoked token: no loop.
    await new Promise((r) => setTimeout(r, 50));
    expect(refreshes).toBe(2);
  });
  it.each([
    ['session_revoked', 'La sessione è terminata: accedi di nuovo.'],
    ['refresh_token_reused', 'Per sicurezza la sessione è stata chiusa'],
    ['refresh_token_expired', 'La sessione è scaduta. Accedi di nuovo per continuare.'],
  ])('a session whose refresh is refused on reload (%s) says why on the sign-in page', async (code, text) => {
    window.sessionStorage.setItem('sl.refresh_token', 'R0');
    mockApi((_req, url) => (url.pathname === '/api/v1/auth/refresh' ? problem(401, { code }) : undefined));
    const { router } = renderApp('/cases');
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(await screen.findByTestId('session-ended')).toHaveTextContent(text);
    expect(getRefreshToken()).toBeNull();
  });

  it('a server that cannot be reached on reload ends nothing and says nothing about the session', async () => {
    window.sessionStorage.setItem('sl.refresh_token', 'R0');
    mockApi((_req, url) => (url.pathname === '/api/v1/auth/refresh' ? problem(503, { code: 'unavailable' }) : undefined));
    const { router } = renderApp('/cases');
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(screen.queryByTestId('session-ended')).not.toBeInTheDocument();
  });
});
