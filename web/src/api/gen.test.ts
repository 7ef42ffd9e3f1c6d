// The option lists are generated from openapi.yaml: an enum changed there changes them.
import { describe, expect, it } from 'vitest';
import { enumsModule, operationsModule } from '../../scripts/gen-lib.mjs';
import { ENUMS } from './enums.gen';

const doc = (statuses: string[]) => ({
  paths: {
    '/api/v1/things/{id}': {
      get: { responses: { 200: { headers: { ETag: { schema: { type: 'string' } } } } } },
      post: { responses: { 201: {} } },
    },
  },
  components: { schemas: { ThingStatus: { type: 'string', description: 'State of a thing.', enum: statuses }, Thing: { type: 'object' } } },
});

describe('generated from openapi.yaml', () => {
  it('writes each enum as the list of its values, in the document order', () => {
    expect(enumsModule(doc(['draft', 'sent']))).toContain("export const ThingStatus = ['draft', 'sent'] as const satisfies readonly S['ThingStatus'][];");
    // A value added to the contract is in the list the screens offer.
    expect(enumsModule(doc(['draft', 'sent', 'archived']))).toContain("['draft', 'sent', 'archived']");
    expect(enumsModule(doc(['draft']))).toContain('export const ENUMS = { ThingStatus } as const;');
  });

  it('refuses an enum written inline, which the SPA could not name', () => {
    const inline = doc(['a']);
    (inline.components.schemas.Thing as Record<string, unknown>).properties = { kind: { type: 'string', enum: ['x', 'y'] } };
    expect(() => enumsModule(inline)).toThrow(/inline at: components\.schemas\.Thing\.properties\.kind/);
  });

  it("records each operation's success status and ETag", () => {
    const out = operationsModule(doc([]));
    expect(out).toContain("'GET /api/v1/things/{id}': { status: 200, etag: true },");
    expect(out).toContain("'POST /api/v1/things/{id}': { status: 201, etag: false },");
  });

  it('the lists in use are those of this openapi.yaml', () => {
    expect(ENUMS.ReferralStatus).toContain('info_requested');
    expect(ENUMS.Action).toEqual(expect.arrayContaining(['edit', 'delete', 'withdraw', 'add_decision', 'redeliver']));
  });
});
