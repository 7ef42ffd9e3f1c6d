// The codice fiscale as the SPA computes it: src/lib/taxCode.ts itself, turned into JavaScript
// with the TypeScript compiler the project already has (Node cannot import .ts), so the e2e
// suite and the app share one implementation (its unit tests pin it to the API's rules).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const source = resolve(dirname(fileURLToPath(import.meta.url)), '../src/lib/taxCode.ts');
const js = ts.transpileModule(readFileSync(source, 'utf8'), {
  compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  fileName: source,
}).outputText;
const lib = await import(`data:text/javascript;base64,${Buffer.from(js).toString('base64')}`);

/** `{ lastName, firstName, birthDate: 'YYYY-MM-DD', gender: 'F' | 'M', belfiore }` → a valid code. */
export const taxCode = lib.computeTaxCode;
export const checkTaxCode = lib.checkTaxCode;
