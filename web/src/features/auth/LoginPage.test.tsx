import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getRefreshToken } from '../../auth/session';
import { EMPTY_PAGE } from '../../test/fixtures';
import { ME, mockRoutes, problem, renderApp, TOKENS } from '../../test/utils';

describe('login', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('asks for both fields, in Italian, before calling the API', async () => {
    const { calls } = mockRoutes({});
    renderApp('/login');
    await userEvent.click(screen.getByRole('button', { name: 'Accedi' }));
    expect(await screen.findByText('Inserisci Indirizzo email.', { selector: '.invalid-feedback' })).toBeInTheDocument();
    expect(screen.getByLabelText(/Indirizzo email/)).toHaveAttribute('aria-invalid', 'true');
    expect(calls).toHaveLength(0);
  });

  it('says the credentials are wrong on 401', async () => {
    mockRoutes({ 'POST /api/v1/auth/login': () => problem(401, { code: 'invalid_credentials' }) });
    renderApp('/login');
    await userEvent.type(screen.getByLabelText(/Indirizzo email/), 'x@demo.test');
    await userEvent.type(screen.getByLabelText(/Password/), 'nope');
    await userEvent.click(screen.getByRole('button', { name: 'Accedi' }));
    expect(await screen.findByText('Email o password non corretti.')).toBeInTheDocument();
  });

  it('takes a referrer to their referrals and keeps the refresh token in sessionStorage', async () => {
    mockRoutes({
      'POST /api/v1/auth/login': () => TOKENS,
      'GET /api/v1/me': () => ME.referrer,
      'GET /api/v1/referrals': () => EMPTY_PAGE,
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
    mockRoutes({
      'POST /api/v1/auth/login': () => TOKENS,
      'GET /api/v1/me': () => ME.agency_operator,
      'GET /api/v1/cases': () => EMPTY_PAGE,
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
    mockRoutes({
      'POST /api/v1/auth/refresh': () => TOKENS,
      'GET /api/v1/me': () => ME.coordinator,
      'GET /api/v1/referrals': () => EMPTY_PAGE,
      'GET /api/v1/meetings': () => EMPTY_PAGE,
      'GET /api/v1/cases': () => EMPTY_PAGE,
      'GET /api/v1/thresholds': () => EMPTY_PAGE,
    });
    const { router } = renderApp('/');
    await waitFor(() => expect(router.state.location.pathname).toBe('/dashboard'));
  });

  it('after a revoked token whose refresh is refused, lands on the sign-in page saying the session has ended', async () => {
    window.sessionStorage.setItem('sl.refresh_token', 'R0');
    let refreshes = 0;
    mockRoutes({
      'POST /api/v1/auth/refresh': () => {
        refreshes += 1;
        return refreshes === 1 ? TOKENS : problem(401, { code: 'session_revoked' });
      },
      'GET /api/v1/me': () => ME.agency_operator,
      'GET /api/v1/cases': () => problem(401, { code: 'token_revoked', detail: 'this token was revoked' }),
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
    mockRoutes({ 'POST /api/v1/auth/refresh': () => problem(401, { code }) });
    const { router } = renderApp('/cases');
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(await screen.findByTestId('session-ended')).toHaveTextContent(text);
    expect(getRefreshToken()).toBeNull();
  });

  it('a server that cannot be reached on reload ends nothing and says nothing about the session', async () => {
    window.sessionStorage.setItem('sl.refresh_token', 'R0');
    mockRoutes({ 'POST /api/v1/auth/refresh': () => problem(503, { code: 'unavailable' }) });
    const { router } = renderApp('/cases');
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(screen.queryByTestId('session-ended')).not.toBeInTheDocument();
  });
});
