import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { etagOf, person, referral, T0, T1, T2 } from '../../test/fixtures';
import { json, ME, mockApi, problem, renderApp } from '../../test/utils';

const TOKENS = { access_token: 'A', token_type: 'Bearer', expires_in: 900, refresh_token: 'R', refresh_expires_in: 3600 };
const signedIn = () => window.sessionStorage.setItem('sl.refresh_token', 'R0');

describe('correcting a person', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is offered on the referral to a referrer', async () => {
    mockApi((_req, url) => {
      if (url.pathname === '/api/v1/auth/refresh') return json(200, TOKENS);
      if (url.pathname === '/api/v1/me') return json(200, ME.referrer);
      if (url.pathname === '/api/v1/referrals/r1') return json(200, referral());
      return undefined;
    });
    signedIn();
    renderApp('/referrals/r1');
    const link = await screen.findByRole('link', { name: /Correggi dati anagrafici/ });
    expect(link).toHaveAttribute('href', `/persons/p1/edit?from=${encodeURIComponent('/referrals/r1')}`);
  });

  it('is not reachable for roles the API refuses', async () => {
    mockApi((_req, url) => {
      if (url.pathname === '/api/v1/auth/refresh') return json(200, TOKENS);
      if (url.pathname === '/api/v1/me') return json(200, ME.admin);
      return undefined;
    });
    signedIn();
    renderApp('/persons/p1/edit');
    expect(await screen.findByRole('heading', { name: 'Accesso non consentito' })).toBeInTheDocument();
  });

  it('sends only the changed fields with If-Match and shows the API field errors at their fields', async () => {
    const { calls } = mockApi((req, url) => {
      if (url.pathname === '/api/v1/auth/refresh') return json(200, TOKENS);
      if (url.pathname === '/api/v1/me') return json(200, ME.referrer);
      if (url.pathname === '/api/v1/persons/p1' && req.method === 'GET') return json(200, person());
      if (url.pathname === '/api/v1/persons/p1' && req.method === 'PATCH') {
        return problem(422, {
          code: 'validation_failed', detail: '2 fields are invalid',
          errors: [{ field: 'email', code: 'email', message: 'must be a valid e-mail address' },
            { field: 'phone', code: 'length', message: 'must be between 3 and 40 characters' }],
        });
      }
      return undefined;
    });
    signedIn();
    renderApp(`/persons/p1/edit?from=${encodeURIComponent('/referrals/r1')}`);
    const email = await screen.findByLabelText(/^Email/);
    // A referrer whose organization did not register the person does not see special-category data.
    expect(screen.getByTestId('sensitive-hidden')).toBeInTheDocument();
    expect(screen.queryByLabelText(/Persona con disabilità/)).not.toBeInTheDocument();
    await userEvent.type(email, 'mario@');
    await userEvent.clear(screen.getByLabelText(/^Telefono/));
    await userEvent.type(screen.getByLabelText(/^Telefono/), '12');
    await userEvent.click(screen.getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(screen.getByLabelText(/^Email/)).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getAllByText('Indirizzo email non valido.').length).toBeGreaterThan(0);
    expect(screen.getByLabelText(/^Telefono/)).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getAllByText('Lunghezza non valida.').length).toBeGreaterThan(0);
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.headers.get('If-Match')).toBe(etagOf(T0));
    expect(await patch.json()).toEqual({ email: 'mario@', phone: '12' });
  }, 30_000);

  it('flags a name that no longer matches the codice fiscale, and an emptied required field, before calling the API', async () => {
    const { calls } = mockApi((req, url) => {
      if (url.pathname === '/api/v1/auth/refresh') return json(200, TOKENS);
      if (url.pathname === '/api/v1/me') return json(200, ME.coordinator);
      if (url.pathname === '/api/v1/persons/p1' && req.method === 'GET') return json(200, person({ sensitive: { has_disability: false, criminal_justice: false } }));
      return undefined;
    });
    signedIn();
    renderApp('/persons/p1/edit');
    const last = await screen.findByLabelText(/^Cognome/);
    // The coordinator sees (and may change) the special-category data.
    expect(screen.getByLabelText(/Persona con disabilità/)).toBeInTheDocument();
    await userEvent.clear(last);
    await userEvent.type(last, 'Bianchi');
    await userEvent.clear(screen.getByLabelText(/^Nome/));
    await userEvent.click(screen.getByRole('button', { name: 'Salva' }));
    expect(await screen.findAllByText('Il dato non corrisponde al codice fiscale.')).not.toHaveLength(0);
    await waitFor(() => expect(screen.getByLabelText(/^Nome/)).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getAllByText('Campo obbligatorio.').length).toBeGreaterThan(0);
    expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(0);
  }, 30_000);

  it('empties contacts, residence and profile values with null, which clears them', async () => {
    const { calls } = mockApi((req, url) => {
      if (url.pathname === '/api/v1/auth/refresh') return json(200, TOKENS);
      if (url.pathname === '/api/v1/me') return json(200, ME.coordinator);
      const current = person({
        email: 'mario.rossi@example.org', address: 'Via Roma 1',
        sensitive: { has_disability: true, disability_notes: 'L. 68/99, 46%', criminal_justice: false, criminal_justice_notes: null },
      });
      if (url.pathname === '/api/v1/persons/p1' && req.method === 'GET') return json(200, current);
      if (url.pathname === '/api/v1/persons/p1' && req.method === 'PATCH') return json(200, { ...current, updated_at: T1 });
      if (url.pathname === '/api/v1/referrals/r1') return json(200, referral());
      return undefined;
    });
    signedIn();
    const { router } = renderApp(`/persons/p1/edit?from=${encodeURIComponent('/referrals/r1')}`);
    const email = await screen.findByLabelText(/^Email/);
    await userEvent.clear(email);
    await userEvent.clear(screen.getByLabelText(/^Telefono/));
    await userEvent.clear(screen.getByLabelText(/^Cittadinanza/));
    await userEvent.type(screen.getByLabelText(/^Indirizzo/), '   ', { initialSelectionStart: 0, initialSelectionEnd: 10 });
    await userEvent.selectOptions(screen.getByLabelText('Comune di residenza'), '');
    await userEvent.selectOptions(screen.getByLabelText(/^Cluster/), '');
    await userEvent.selectOptions(screen.getByLabelText('Condizione occupazionale'), '');
    await userEvent.clear(screen.getByLabelText('Note sulla disabilità'));
    await userEvent.click(screen.getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/referrals/r1'));
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(await patch.json()).toEqual({
      email: null, phone: null, citizenship: null, address: null, residence_municipality_code: null, cluster: null,
      employment_status: null, disability_notes: null,
    });
  }, 30_000);

  it('offers the special-category target groups only to those who see special-category data', async () => {
    const { calls } = mockApi((req, url) => {
      if (url.pathname === '/api/v1/auth/refresh') return json(200, TOKENS);
      if (url.pathname === '/api/v1/me') return json(200, ME.referrer);
      if (url.pathname === '/api/v1/persons/p1' && req.method === 'GET') return json(200, person());
      if (url.pathname === '/api/v1/persons/p1' && req.method === 'PATCH') return json(200, person({ updated_at: T1 }));
      if (url.pathname === '/api/v1/referrals/r1') return json(200, referral());
      return undefined;
    });
    signedIn();
    const { router } = renderApp(`/persons/p1/edit?from=${encodeURIComponent('/referrals/r1')}`);
    const groups = (await screen.findByText('Target', { selector: 'legend' })).closest('fieldset')!;
    expect(within(groups).getByLabelText('Over 50')).toBeInTheDocument();
    expect(within(groups).queryByLabelText('Persone con disabilità')).not.toBeInTheDocument();
    expect(within(groups).queryByLabelText('Area penale')).not.toBeInTheDocument();
    await userEvent.click(within(groups).getByLabelText('Over 50'));
    await userEvent.click(screen.getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/referrals/r1'));
    // The list sent lacks the hidden groups: the API keeps them as they are.
    expect(await calls.find((c) => c.method === 'PATCH')!.json()).toEqual({ target_groups: ['long_term_unemployed', 'over_50'] });
  }, 30_000);

  it('offers every target group to those who see special-category data', async () => {
    mockApi((req, url) => {
      if (url.pathname === '/api/v1/auth/refresh') return json(200, TOKENS);
      if (url.pathname === '/api/v1/me') return json(200, ME.agency_operator);
      if (url.pathname === '/api/v1/persons/p1' && req.method === 'GET') {
        return json(200, person({ target_groups: ['disability'], sensitive: { has_disability: true, criminal_justice: false } }));
      }
      return undefined;
    });
    signedIn();
    renderApp('/persons/p1/edit');
    const groups = (await screen.findByText('Target', { selector: 'legend' })).closest('fieldset')!;
    expect(within(groups).getByLabelText('Persone con disabilità')).toBeChecked();
    expect(within(groups).getByLabelText('Area penale')).not.toBeChecked();
  }, 30_000);

  it('on 412 keeps what was typed, reloads the current version on request and saves on top of it', async () => {
    let version = T0;
    const { calls } = mockApi((req, url) => {
      if (url.pathname === '/api/v1/auth/refresh') return json(200, TOKENS);
      if (url.pathname === '/api/v1/me') return json(200, ME.agency_operator);
      if (url.pathname === '/api/v1/persons/p1' && req.method === 'GET') {
        return json(200, version === T0 ? person() : person({ address: 'Via Roma 1', phone: '+39 035 111', updated_at: T1 }));
      }
      if (url.pathname === '/api/v1/persons/p1' && req.method === 'PATCH') {
        if (req.headers.get('If-Match') !== etagOf(version)) {
          return problem(412, { code: 'precondition_failed', detail: 'the resource changed' });
        }
        return json(200, person({ address: 'Via Roma 1', phone: '333 1234567', updated_at: T2 }));
      }
      return undefined;
    });
    signedIn();
    const { router } = renderApp(`/persons/p1/edit?from=${encodeURIComponent('/cases/c1')}`);
    const phone = await screen.findByLabelText(/^Telefono/);
    await userEvent.clear(phone);
    await userEvent.type(phone, '333 1234567');
    version = T1; // someone else saves meanwhile
    await userEvent.click(screen.getByRole('button', { name: 'Salva' }));
    const notice = await screen.findByTestId('stale-notice');
    expect(notice).toHaveTextContent('Nel frattempo qualcun altro ha modificato questi dati.');
    expect(screen.getByLabelText(/^Telefono/)).toHaveValue('333 1234567');
    await userEvent.click(within(notice).getByRole('button', { name: 'Carica la versione aggiornata' }));
    const rebased = await screen.findByTestId('rebased-notice');
    // The other change is taken, the user's value is kept and the clash is named.
    expect(screen.getByLabelText(/^Indirizzo/)).toHaveValue('Via Roma 1');
    expect(screen.getByLabelText(/^Telefono/)).toHaveValue('333 1234567');
    expect(rebased).toHaveTextContent('Telefono');
    await userEvent.click(screen.getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/cases/c1'));
    expect(await screen.findByText('Dati anagrafici salvati.')).toBeInTheDocument();
    const patches = calls.filter((c) => c.method === 'PATCH');
    expect(patches).toHaveLength(2);
    expect(patches[1].headers.get('If-Match')).toBe(etagOf(T1));
    expect(await patches[1].json()).toEqual({ phone: '333 1234567' });
  }, 30_000);
});
