// problem+json (RFC 9457) errors as the UI sees them: a status, a code and errors per field.
import type { components } from './schema';

export type Problem = components['schemas']['Problem'];
export type FieldError = NonNullable<Problem['errors']>[number];

function isProblem(body: unknown): body is Problem {
  return typeof body === 'object' && body !== null && 'status' in body && 'title' in body;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;

  constructor(status: number, problem: Problem | null, message?: string) {
    super(message ?? problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  static fromResponse(res: Response, body: unknown): ApiError {
    return new ApiError(res.status, isProblem(body) ? body : null);
  }

  static network(cause: unknown): ApiError {
    const err = new ApiError(0, null, cause instanceof Error ? cause.message : 'network error');
    return err;
  }

  get code(): string | undefined {
    return this.problem?.code ?? undefined;
  }

  /** Field errors keyed by the API's field path (`tax_code`, `person.first_name`). */
  get fieldErrors(): Record<string, FieldError[]> {
    const out: Record<string, FieldError[]> = {};
    for (const e of this.problem?.errors ?? []) (out[e.field] ??= []).push(e);
    return out;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}
