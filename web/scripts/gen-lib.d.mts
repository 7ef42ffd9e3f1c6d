// Types of gen-lib.mjs for the tests that import it.
export function enumsModule(doc: unknown): string;
export function operationsModule(doc: unknown): string;
