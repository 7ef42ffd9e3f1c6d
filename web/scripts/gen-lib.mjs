// What gen-api.mjs writes besides the types, as functions of the parsed openapi.yaml (tested in
// src/api/gen.test.ts): the enums' values and each operation's success status and ETag.

/** `'PATCH /api/v1/activations/{id}': { status: 200, etag: true }` for every operation. */
export function operationsModule(doc) {
  const lines = ['/** Success status of each operation and whether it carries an `ETag` (the resource\'s version). */',
    'export const OPERATIONS: Record<string, { status: number; etag: boolean }> = {'];
  for (const [path, item] of Object.entries(doc?.paths ?? {})) {
    for (const method of ['get', 'put', 'post', 'patch', 'delete']) {
      const op = item?.[method];
      if (!op) continue;
      const code = Object.keys(op.responses ?? {}).find((c) => /^2\d\d$/.test(c));
      if (!code) continue;
      const etag = Object.keys(op.responses[code]?.headers ?? {}).some((h) => h.toLowerCase() === 'etag');
      lines.push(`  '${method.toUpperCase()} ${path}': { status: ${Number(code)}, etag: ${etag} },`);
    }
  }
  lines.push('};');
  return lines.join('\n') + '\n';
}

/**
 * `export const ReferralStatus = ['draft', …] as const satisfies readonly S['ReferralStatus'][];`
 * for each string enum among the components' schemas. Enums written inline elsewhere (in a
 * path's parameter or inside a property) have no name the SPA could use: they are refused, so
 * that the contract names every list the SPA offers.
 */
export function enumsModule(doc) {
  const schemas = doc?.components?.schemas ?? {};
  const inline = [];
  const walk = (node, where, top) => {
    if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${where}[${i}]`, false));
    else if (node && typeof node === 'object') {
      if (Array.isArray(node.enum) && !top) inline.push(where);
      for (const [k, v] of Object.entries(node)) if (k !== 'enum' && k !== 'example') walk(v, `${where}.${k}`, false);
    }
  };
  for (const [name, schema] of Object.entries(schemas)) walk(schema, `components.schemas.${name}`, true);
  walk(doc?.paths ?? {}, 'paths', false);
  if (inline.length) {
    throw new Error(`gen:api: enums must be named schemas (components.schemas), found inline at: ${inline.join(', ')}`);
  }
  const lines = ["import type { components } from './schema';", '', "type S = components['schemas'];", ''];
  const names = [];
  for (const [name, schema] of Object.entries(schemas)) {
    if (!Array.isArray(schema?.enum)) continue;
    if (!schema.enum.every((v) => typeof v === 'string')) throw new Error(`gen:api: ${name} is not a string enum`);
    names.push(name);
    if (schema.description) lines.push(`/** ${String(schema.description).split('\n')[0].replace(/\*\//g, '* /')} */`);
    const values = schema.enum.map((v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ');
    lines.push(`export const ${name} = [${values}] as const satisfies readonly S['${name}'][];`);
    lines.push('');
  }
  lines.push('/** Every enum of the contract by its schema name (for the i18n label checks). */');
  lines.push(`export const ENUMS = { ${names.join(', ')} } as const;`);
  return lines.join('\n') + '\n';
}
