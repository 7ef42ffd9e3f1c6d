import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../i18n';
import { mockRoutes } from '../test/api';
import { api, unwrap } from './client';

describe('the API client', () => {
  afterEach(async () => {
    await setLanguage('it');
  });

  it('asks for answers in the language the UI is in', async () => {
    const { callsTo } = mockRoutes({ 'GET /api/v1/health': () => ({ status: 'ok', version: '0', database: { backend: 'sqlite', status: 'ok' } }) });
    await unwrap(api.GET('/api/v1/health'));
    await setLanguage('en');
    await unwrap(api.GET('/api/v1/health'));
    expect(callsTo('GET /api/v1/health').map((c) => c.req.headers.get('Accept-Language'))).toEqual(['it', 'en']);
  });
});
