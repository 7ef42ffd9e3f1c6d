// The API names a bad field by its path in the body (`party_member_ids[1]`, `attendees[0].people[2]`,
// `topics[1].title`); a form shows it on the control that holds it, under its own id. What the
// form has no control for is said above the form, so that no server message is ever lost.
// The message shown is the server's own (it answers in the UI's language, `Accept-Language`).
import type { TFunction } from 'i18next';
import { isApiError } from '../../api/problem';
import { fieldErrorMessage } from '../../components/errors';
import type { useFormErrors } from '../../components/useFormErrors';

type FormErrors = ReturnType<typeof useFormErrors>;

/**
 * Puts the problem's field errors on the form's fields: `rename` maps the API's field to the
 * form's key (null: the form has no such field — the message goes to the top). Other errors
 * (409, 412, network) go to the top as `fromError` says them.
 */
export function showProblem(t: TFunction, errors: FormErrors, error: unknown, rename: (field: string) => string | null) {
  if (!isApiError(error) || !error.problem?.errors?.length) {
    errors.fromError(error);
    return;
  }
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  for (const e of error.problem.errors) {
    const key = rename(e.field);
    // The server's sentence, in the UI's language, says more than its code ("not an active member").
    const message = e.message || fieldErrorMessage(t, e);
    if (key === null) rest.push(message);
    else fields[key] ??= message;
  }
  errors.setFields(fields);
  errors.setGeneral(rest.length ? rest.join(' ') : null);
}

/** `party_member_ids[3]` → `party_member_ids`: a list's item errors shown on the list. */
export function listField(field: string): string {
  return field.replace(/\[\d+\]$/, '');
}
