// Turns API errors into Italian (or English) sentences: by machine code first, then status.
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { isChangedMeanwhile, isMissingVersion } from '../api/etag';
import { isApiError, type FieldError } from '../api/problem';

export function errorMessage(t: TFunction, error: unknown): string {
  if (isMissingVersion(error)) return t('errors.noVersion');
  if (isChangedMeanwhile(error)) return t('errors.changedMeanwhile');
  if (!isApiError(error)) return t('errors.unexpected');
  if (error.status === 0) return t('errors.network');
  const code = error.code;
  if (code && t(`errors.code.${code}`, { defaultValue: '' })) {
    const state = error.problem?.current_state;
    return t(`errors.code.${code}`, {
      detail: error.problem?.detail ?? '',
      state: state ? t(`status.any.${state}`, { defaultValue: state }) : '',
    });
  }
  const byStatus = t(`errors.status.${error.status}`, { defaultValue: '' });
  const detail = error.problem?.detail;
  if (error.status === 409 && detail) return `${byStatus} ${detail}`.trim();
  if (byStatus) return byStatus;
  return detail ?? t('errors.unexpected');
}

export function fieldErrorMessage(t: TFunction, e: FieldError): string {
  return t(`validation.${e.code}`, { defaultValue: e.message });
}

export function useErrorMessage() {
  const { t } = useTranslation();
  return useCallback((error: unknown) => errorMessage(t, error), [t]);
}
