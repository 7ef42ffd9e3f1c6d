import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EMPTY_PAGE, T0, T1, etagOf } from '../../test/fixtures';
import { problem, renderApp, signedInAs } from '../../test/utils';
import type { Breach, ProcessingActivity, ProcessingRegister } from './api';
import { fromLocalInput, toLocalInput } from './BreachesPage';

function activity(extra: Partial<ProcessingActivity> = {}): ProcessingActivity {
  return {
    code: 'take_charge', name: 'Presa in carico delle persone segnalate', purpose: 'Ricevere le segnalazioni…',
    legal_basis: ['Art. 6.1.e GDPR'], special_categories_basis: ['Art. 9.2.g GDPR'],
    data_categories: [{ label: 'Disabilità', special: true, fields: ['persons.disability_notes'] }],
    data_subjects: ['Persone segnalate'], recipients: ['Ufficio di Piano'], recipients_extra: null,
    transfers: 'Nessun trasferimento', retention: '10 anni dalla chiusura del caso', retention_default: '10 anni dalla chiusura del caso',
    retention_override: null, security_measures: ['Note cifrate'], notes: null, updated_at: T0, updated_by: 'u-dpo',
    allowed_actions: ['edit'], blocked_actions: [], ...extra,
  };
}

function register(activities: ProcessingActivity[]): ProcessingRegister {
  return {
    district_id: 'd1', controller: 'Ambito 1 – Bergamo', dpo_contacts: [{ name: 'Daniela Porta', email: 'dpo@demo.test' }],
    generated_at: T0, activities,
  };
}

function breach(extra: Partial<Breach> = {}): Breach {
  return {
    id: 'b1', district_id: 'd1', title: 'Portatile smarrito', description: 'Smarrito in treno.',
    occurred_at: '2026-03-01T08:00:00Z', discovered_at: '2026-03-01T09:00:00Z',
    data_categories: ['identity', 'health'], subject_categories: ['beneficiaries'], subjects_affected: 40, records_affected: 55,
    consequences: 'Contatti indesiderati.', measures_taken: 'Password cambiate.', garante_notification: 'pending',
    garante_notified_at: null, notification_reason: null, notification_deadline: '2026-03-04T09:00:00Z',
    notified_late: false, overdue: false, subjects_informed_at: null, created_by: 'u-dpo', created_at: T0, updated_at: T0,
    allowed_actions: ['edit'], blocked_actions: [], ...extra,
  };
}

describe('the register of processing activities', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows every activity with its controller and DPO, and the DPO saves notes with the version read', async () => {
    const { calls, callsTo } = signedInAs('privacy_officer', {
      'GET /api/v1/privacy/register': () => register([activity(), activity({ code: 'security_and_audit', name: 'Sicurezza e registro degli accessi', special_categories_basis: [] })]),
      'GET /api/v1/privacy/register/activities/{code}': () => activity(),
      'PATCH /api/v1/privacy/register/activities/{code}': () => activity({ notes: 'Verificato.', updated_at: T1 }),
    });
    renderApp('/privacy/register');
    const section = await screen.findByTestId('privacy-register');
    await waitFor(() => expect(within(section).getAllByTestId('register-activity')).toHaveLength(2));
    expect(within(section).getByTestId('register-controller')).toHaveTextContent('Ambito 1 – Bergamo');
    expect(section).toHaveTextContent('Daniela Porta <dpo@demo.test>');
    expect(section).toHaveTextContent('persons.disability_notes');
    // The sections of the DPO's area.
    const nav = screen.getByRole('navigation', { name: 'Sezioni della protezione dei dati' });
    expect(within(nav).getByRole('link', { name: 'Registro dei trattamenti' })).toHaveAttribute('aria-current', 'page');

    await userEvent.click(within(section).getByRole('button', { name: 'Modifica note: Presa in carico delle persone segnalate' }));
    const form = await within(section).findByRole('form', { name: 'Modifica note: Presa in carico delle persone segnalate' });
    await userEvent.type(within(form).getByLabelText('Note del RPD'), 'Verificato.');
    await userEvent.type(within(form).getByLabelText(/^Conservazione per l'Ambito/), '  ');
    await userEvent.click(within(form).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(callsTo('PATCH /api/v1/privacy/register/activities/{code}')).toHaveLength(1));
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.url.pathname).toBe('/api/v1/privacy/register/activities/take_charge');
    expect(patch.req.headers.get('If-Match')).toBe(etagOf(T0));
    expect(await patch.req.json()).toEqual({ notes: 'Verificato.', retention_override: null, recipients_extra: null });
  }, 30_000);

  it('the coordinator reads it without editing, and downloads the PDF', async () => {
    const { calls } = signedInAs('coordinator', {
      'GET /api/v1/privacy/register': ({ query }) => (query.get('format') === 'pdf'
        ? new Response('%PDF-1.4', { status: 200, headers: { 'Content-Type': 'application/pdf' } }) as never
        : register([activity({ allowed_actions: [] })])),
    });
    URL.createObjectURL = vi.fn(() => 'blob:x');
    URL.revokeObjectURL = vi.fn();
    renderApp('/privacy/register');
    const section = await screen.findByTestId('privacy-register');
    await within(section).findByTestId('register-activity');
    expect(within(section).queryByRole('button', { name: /^Modifica note/ })).not.toBeInTheDocument();
    await userEvent.click(within(section).getByRole('button', { name: 'Scarica il registro (PDF)' }));
    await waitFor(() => expect(URL.createObjectURL).toHaveBeenCalled());
    const pdf = calls.find((c) => c.url.searchParams.get('format') === 'pdf')!;
    expect(pdf.req.headers.get('Accept')).toMatch(/^application\/pdf/);
    // The coordinator's audit log is at /audit.
    const nav = screen.getByRole('navigation', { name: 'Sezioni della protezione dei dati' });
    expect(within(nav).getByRole('link', { name: 'Registro degli accessi' })).toHaveAttribute('href', '/audit');
  }, 30_000);
});

describe('the data-breach register', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows a breach past its 72 hours clearly', async () => {
    signedInAs('privacy_officer', {
      'GET /api/v1/privacy/breaches': () => ({ items: [breach({ overdue: true }), breach({ id: 'b2', title: 'E-mail errata' })], next: null }),
    });
    renderApp('/privacy/breaches');
    const section = await screen.findByTestId('privacy-breaches');
    await waitFor(() => expect(within(section).getAllByTestId('breach-row')).toHaveLength(2));
    expect(within(section).getByTestId('breaches-overdue')).toHaveTextContent('1 violazione non è stata notificata al Garante entro 72 ore');
    const [late, fine] = within(section).getAllByTestId('breach-row');
    expect(within(late).getByTestId('breach-overdue')).toHaveTextContent('Termine di 72 ore scaduto');
    expect(within(fine).queryByTestId('breach-overdue')).not.toBeInTheDocument();
    expect(late).toHaveTextContent('Salute e disabilità (art. 9)');
  }, 30_000);

  it('records a breach, showing the API\'s field errors by the fields', async () => {
    let attempts = 0;
    const { calls } = signedInAs('privacy_officer', {
      'GET /api/v1/privacy/breaches': () => EMPTY_PAGE,
      'POST /api/v1/privacy/breaches': () => {
        attempts += 1;
        return attempts === 1
          ? problem(422, { code: 'validation', errors: [{ field: 'notification_reason', code: 'reason_required', message: 'indicare perché la violazione non va notificata al Garante' }] }) as never
          : breach({ garante_notification: 'not_required' });
      },
    });
    renderApp('/privacy/breaches');
    const section = await screen.findByTestId('privacy-breaches');
    await userEvent.click(await within(section).findByRole('button', { name: 'Registra una violazione' }));
    const form = within(section).getByTestId('breach-form');
    const w = within(form);
    await userEvent.type(w.getByLabelText(/^Titolo/), 'Portatile smarrito');
    await userEvent.type(w.getByLabelText(/^Che cosa è successo/), 'Smarrito in treno.');
    await userEvent.type(w.getByLabelText(/^Quando è avvenuta/), '2026-03-01T08:00');
    await userEvent.type(w.getByLabelText(/^Quando è stata scoperta/), '2026-03-01T09:00');
    await userEvent.click(w.getByLabelText('Dati anagrafici'));
    await userEvent.click(w.getByLabelText('Persone seguite'));
    await userEvent.type(w.getByLabelText(/^Numero approssimativo di interessati/), '40');
    await userEvent.type(w.getByLabelText(/^Numero approssimativo di registrazioni/), '55');
    await userEvent.type(w.getByLabelText(/^Probabili conseguenze/), 'Contatti indesiderati.');
    await userEvent.type(w.getByLabelText(/^Misure adottate/), 'Password cambiate.');
    await userEvent.click(w.getByLabelText('Non dovuta'));
    await userEvent.click(w.getByRole('button', { name: 'Salva' }));
    expect(await w.findByText('indicare perché la violazione non va notificata al Garante')).toBeInTheDocument();
    await userEvent.type(w.getByLabelText(/^Motivi/), 'Dati cifrati.');
    await userEvent.click(w.getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(screen.queryByTestId('breach-form')).not.toBeInTheDocument());
    const posts = calls.filter((c) => c.method === 'POST' && c.url.pathname === '/api/v1/privacy/breaches');
    expect(posts).toHaveLength(2);
    const body = await posts[1].req.json();
    expect(body).toMatchObject({
      title: 'Portatile smarrito', data_categories: ['identity'], subject_categories: ['beneficiaries'],
      subjects_affected: 40, records_affected: 55, garante_notification: 'not_required', garante_notified_at: null,
      notification_reason: 'Dati cifrati.', occurred_at: fromLocalInput('2026-03-01T08:00'),
    });
  }, 30_000);

  it('updates a breach with the version it read', async () => {
    const { calls, callsTo } = signedInAs('privacy_officer', {
      'GET /api/v1/privacy/breaches': () => ({ items: [breach()], next: null }),
      'GET /api/v1/privacy/breaches/{id}': () => breach(),
      'PATCH /api/v1/privacy/breaches/{id}': () => breach({ garante_notification: 'notified', garante_notified_at: T1, updated_at: T1 }),
    });
    renderApp('/privacy/breaches');
    const section = await screen.findByTestId('privacy-breaches');
    await userEvent.click(await within(section).findByRole('button', { name: 'Aggiorna la violazione: Portatile smarrito' }));
    const form = await within(section).findByTestId('breach-form');
    expect(within(form).getByLabelText(/^Titolo/)).toHaveValue('Portatile smarrito');
    await userEvent.click(within(form).getByLabelText('Notificata'));
    await userEvent.type(within(form).getByLabelText(/^Quando è stata notificata/), '2026-03-02T10:00');
    await userEvent.click(within(form).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(callsTo('PATCH /api/v1/privacy/breaches/{id}')).toHaveLength(1));
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.req.headers.get('If-Match')).toBe(etagOf(T0));
    expect(await patch.req.json()).toMatchObject({ garante_notification: 'notified', garante_notified_at: fromLocalInput('2026-03-02T10:00') });
  }, 30_000);

  it('the coordinator reads the register and records nothing', async () => {
    signedInAs('coordinator', {
      'GET /api/v1/privacy/breaches': () => ({ items: [breach({ allowed_actions: [] })], next: null }),
    });
    renderApp('/privacy/breaches');
    const section = await screen.findByTestId('privacy-breaches');
    await within(section).findByTestId('breach-row');
    expect(within(section).queryByRole('button', { name: 'Registra una violazione' })).not.toBeInTheDocument();
    expect(within(section).queryByRole('button', { name: /^Aggiorna la violazione/ })).not.toBeInTheDocument();
  }, 30_000);

  it('is not for other roles', async () => {
    signedInAs('referrer', { 'GET /api/v1/referrals': () => EMPTY_PAGE });
    renderApp('/privacy/breaches');
    expect(await screen.findByRole('heading', { level: 1 })).not.toHaveTextContent('Protezione dei dati');
  }, 30_000);
});

describe('date-time fields', () => {
  it('round-trip between RFC 3339 and the datetime-local value', () => {
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('nonsense')).toBeNull();
    const iso = fromLocalInput('2026-03-01T08:00')!;
    expect(iso).toMatch(/^2026-0[23]-\d{2}T\d{2}:00:00Z$/);
    expect(toLocalInput(iso)).toBe('2026-03-01T08:00');
    expect(toLocalInput(null)).toBe('');
  });
});
