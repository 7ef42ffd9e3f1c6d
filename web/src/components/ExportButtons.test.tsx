import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EMPTY_PAGE, T0 } from '../test/fixtures';
import { json, renderApp, signedInAs } from '../test/utils';
import { fileNameOf } from './ExportButtons';

describe('fileNameOf', () => {
  it('reads the UTF-8 name first, then the plain one, else the fallback', () => {
    expect(fileNameOf(`attachment; filename="prese-in-carico-2026-12-03.csv"; filename*=UTF-8''prese-in-carico-2026-12-03.csv`, 'x'))
      .toBe('prese-in-carico-2026-12-03.csv');
    expect(fileNameOf(`attachment; filename*=UTF-8''opportunit%C3%A0-2026-12-03.xlsx`, 'x')).toBe('opportunità-2026-12-03.xlsx');
    expect(fileNameOf('attachment; filename="a.csv"', 'x')).toBe('a.csv');
    expect(fileNameOf(null, 'cases.csv')).toBe('cases.csv');
  });
});

describe('exporting a list', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends the filters on screen, shows the progress, then offers the file', async () => {
    const exportOut = {
      id: 'e1', list: 'cases' as const, format: 'xlsx' as const, filters: { overdue: true }, state: 'running' as const, rows_done: 0,
      error: null, file_url: null, file_name: null, bytes: null, created_at: T0, finished_at: null, expires_at: T0,
    };
    let polls = 0;
    const { callsTo } = signedInAs('coordinator', {
      'GET /api/v1/cases': () => EMPTY_PAGE,
      'GET /api/v1/organizations': () => EMPTY_PAGE,
      'POST /api/v1/exports': () => json(202, exportOut),
      'GET /api/v1/exports/{id}': () => {
        polls += 1;
        if (polls === 1) return { ...exportOut, rows_done: 200 };
        return new Response(new Blob(['PK']), {
          status: 200,
          headers: {
            'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            'Content-Disposition': `attachment; filename="prese-in-carico-2026-12-03.xlsx"`,
          },
        });
      },
    });
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:e1'), revokeObjectURL: vi.fn() }));
    renderApp('/cases?overdue=true');
    await userEvent.click(await screen.findByRole('button', { name: 'Esporta in Excel' }, { timeout: 5000 }));
    const link = await screen.findByRole('link', { name: 'Scarica prese-in-carico-2026-12-03.xlsx' }, { timeout: 4000 });
    expect(link).toHaveAttribute('href', 'blob:e1');
    expect(link).toHaveAttribute('download', 'prese-in-carico-2026-12-03.xlsx');
    const sent = await callsTo('POST /api/v1/exports')[0].req.json();
    expect(sent).toEqual({ list: 'cases', format: 'xlsx', filters: { overdue: true } });
    await waitFor(() => expect(polls).toBe(2));
  });

  it('says why an export is refused', async () => {
    signedInAs('coordinator', {
      'GET /api/v1/cases': () => EMPTY_PAGE,
      'GET /api/v1/organizations': () => EMPTY_PAGE,
      'POST /api/v1/exports': () => new Response(JSON.stringify({ type: 'about:blank', title: 'Forbidden', status: 403, code: 'forbidden', detail: 'no' }),
        { status: 403, headers: { 'Content-Type': 'application/problem+json' } }),
    });
    renderApp('/cases');
    await userEvent.click(await screen.findByRole('button', { name: 'Esporta in CSV' }, { timeout: 5000 }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Non hai i permessi per questa operazione.');
  });
});
