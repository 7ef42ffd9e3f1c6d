// Field errors for a form: from the API's problem (mapped to i18n) and from client-side checks.
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/problem';
import { errorMessage, fieldErrorMessage } from './errors';

export function useFormErrors() {
  const { t } = useTranslation();
  const [fields, setFields] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);

  /** Takes an error from a mutation; returns true when it carried field errors. */
  const fromError = useCallback((error: unknown): boolean => {
    if (isApiError(error) && error.problem?.errors?.length) {
      const next: Record<string, string> = {};
      for (const e of error.problem.errors) next[e.field] ??= fieldErrorMessage(t, e);
      setFields(next);
      setGeneral(null);
      return true;
    }
    setFields({});
    setGeneral(errorMessage(t, error));
    return false;
  }, [t]);

  const clear = useCallback(() => {
    setFields({});
    setGeneral(null);
  }, []);

  const clearField = useCallback((name: string) => {
    setFields((f) => {
      if (!(name in f)) return f;
      const { [name]: _omit, ...rest } = f;
      return rest;
    });
  }, []);

  return useMemo(
    () => ({ fields, general, setFields, setGeneral, fromError, clear, clearField }),
    [fields, general, fromError, clear, clearField],
  );
}
