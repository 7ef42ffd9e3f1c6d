import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { blocked, etagOf, person, referral, T0, T1, T2 } from '../../test/fixtures';
import { problem, renderApp, signedInAs } from '../../test/utils';

describe('correcting a person', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is offered on the referral to a referrer', async () => {
    signedInAs('referrer', { 'GET /api/v1/referrals/{id}': () => referral() });
    renderApp('/referrals/r1');
    const link = await screen.findByRole('link', { name: /Correggi dati anagrafici/ });
    expect(link).toHaveAttribute('href', `/persons/p1/edit?from=${encodeURIComponent('/referrals/r1')}`);
  });

  it('is not reachable for roles the API refuses', async () => {
    signedInAs('admin', {});
    renderApp('/persons/p1/edit');
    expect(await screen.findByRole('heading', { name: 'Accesso non consentito' })).toBeInTheDocument();
  });

  it('sends only the changed fields with If-Match and shows the API field errors at their fields', async () => {
    const { callsTo } = signedInAs('referrer', {
      'GET /api/v1/persons/{id}': () => person(),
      'PATCH /api/v1/persons/{id}': () => problem(422, {
        code: 'validation_failed', detail: '2 fields are invalid',
        errors: [{ field: 'email', code: 'email', message: 'must be a valid e-mail address' },
          { field: 'phone', code: 'length', message: 'must be between 3 and 40 characters' }],
      }),
    });
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
    const [patch] = callsTo('PATCH /api/v1/persons/{id}');
    expect(patch.req.headers.get('If-Match')).toBe(etagOf(T0));
    expect(await patch.req.json()).toEqual({ email: 'mario@', phone: '12' });
  }, 30_000);

  it('flags a name that no longer matches the codice fiscale, and an emptied required field, before calling the API', async () => {
    const { callsTo } = signedInAs('coordinator', {
      'GET /api/v1/persons/{id}': () => person({ sensitive: { has_disability: false, criminal_justice: false } }),
    });
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
    expect(callsTo('PATCH /api/v1/persons/{id}')).toHaveLength(0);
  }, 30_000);

  it('empties contacts, residence and profile values with null, which clears them', async () => {
    const current = person({
      email: 'mario.rossi@example.org', address: 'Via Roma 1',
      sensitive: { has_disability: true, disability_notes: 'L. 68/99, 46%', criminal_justice: false, criminal_justice_notes: null },
    });
    const { callsTo } = signedInAs('coordinator', {
      'GET /api/v1/persons/{id}': () => current,
      'PATCH /api/v1/persons/{id}': () => ({ ...current, updated_at: T1 }),
      'GET /api/v1/referrals/{id}': () => referral(),
    });
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
    const [patch] = callsTo('PATCH /api/v1/persons/{id}');
    expect(await patch.req.json()).toEqual({
      email: null, phone: null, citizenship: null, address: null, residence_municipality_code: null, cluster: null,
      employment_status: null, disability_notes: null,
    });
  }, 30_000);

  it('offers the special-category target groups only to those who see special-category data', async () => {
    const { callsTo } = signedInAs('referrer', {
      'GET /api/v1/persons/{id}': () => person(),
      'PATCH /api/v1/persons/{id}': () => person({ updated_at: T1 }),
      'GET /api/v1/referrals/{id}': () => referral(),
    });
    const { router } = renderApp(`/persons/p1/edit?from=${encodeURIComponent('/referrals/r1')}`);
    const groups = (await screen.findByText('Target', { selector: 'legend' })).closest('fieldset')!;
    expect(within(groups).getByLabelText('Over 50')).toBeInTheDocument();
    expect(within(groups).queryByLabelText('Persone con disabilità')).not.toBeInTheDocument();
    expect(within(groups).queryByLabelText('Area penale')).not.toBeInTheDocument();
    await userEvent.click(within(groups).getByLabelText('Over 50'));
    await userEvent.click(screen.getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/referrals/r1'));
    // The list sent lacks the hidden groups: the API keeps them as they are.
    expect(await callsTo('PATCH /api/v1/persons/{id}')[0].req.json()).toEqual({ target_groups: ['long_term_unemployed', 'over_50'] });
  }, 30_000);

  it('offers every target group to those who see special-category data', async () => {
    signedInAs('agency_operator', {
      'GET /api/v1/persons/{id}': () => person({ target_groups: ['disability'], sensitive: { has_disability: true, criminal_justice: false } }),
    });
    renderApp('/persons/p1/edit');
    const groups = (await screen.findByText('Target', { selector: 'legend' })).closest('fieldset')!;
    expect(within(groups).getByLabelText('Persone con disabilità')).toBeChecked();
    expect(within(groups).getByLabelText('Area penale')).not.toBeChecked();
  }, 30_000);

  it('on 412 keeps what was typed, reloads the current version on request and saves on top of it', async () => {
    let version = T0;
    const { callsTo } = signedInAs('agency_operator', {
      'GET /api/v1/persons/{id}': () => (version === T0 ? person() : person({ address: 'Via Roma 1', phone: '+39 035 111', updated_at: T1 })),
      'PATCH /api/v1/persons/{id}': ({ req }) => {
        if (req.headers.get('If-Match') !== etagOf(version)) {
          return problem(412, { code: 'precondition_failed', detail: 'the resource changed' });
        }
        return person({ address: 'Via Roma 1', phone: '333 1234567', updated_at: T2 });
      },
      'GET /api/v1/cases/{id}': () => new Response(null, { status: 404 }),
    });
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
    const patches = callsTo('PATCH /api/v1/persons/{id}');
    expect(patches).toHaveLength(2);
    expect(patches[0].req.headers.get('If-Match')).toBe(etagOf(T0));
    expect(patches[1].req.headers.get('If-Match')).toBe(etagOf(T1));
    expect(await patches[1].req.json()).toEqual({ phone: '333 1234567' });
  }, 30_000);

  it('shows no form where the person may not be edited, with the API reason', async () => {
    signedInAs('referrer', {
      'GET /api/v1/persons/{id}': () => person({ allowed_actions: [], blocked_actions: [blocked('edit', 'La persona è in revisione')] }),
    });
    renderApp('/persons/p1/edit');
    expect(await screen.findByText('La persona è in revisione')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Salva' })).not.toBeInTheDocument();
  }, 30_000);
});
