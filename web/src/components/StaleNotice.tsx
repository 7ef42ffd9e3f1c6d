// What a form shows when its save got 412 (someone else saved first): the user's text is
// still in the form; "reload" takes the current version and keeps the user's changes.
import { Button } from 'design-react-kit';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

export function StaleNotice({ stale, reloading, reloadError, onReload, conflicts, fieldLabel }: {
  stale: boolean;
  reloading: boolean;
  reloadError?: string | null;
  onReload: () => void;
  /** After a reload: fields both sides changed (null: no reload yet). */
  conflicts: string[] | null;
  fieldLabel: (field: string) => string;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (stale) ref.current?.focus();
  }, [stale]);
  if (stale) {
    return (
      <div ref={ref} tabIndex={-1} className="alert alert-warning" role="alert" data-testid="stale-notice">
        <p className="fw-semibold mb-1">{t('stale.title')}</p>
        <p className="mb-2">{t('stale.text')}</p>
        {reloadError && <p className="text-danger mb-2">{reloadError}</p>}
        <Button color="primary" size="sm" type="button" disabled={reloading} onClick={onReload}>
          {reloading ? t('common.loading') : t('stale.reload')}
        </Button>
      </div>
    );
  }
  if (conflicts) {
    return (
      <div className="alert alert-info" role="status" data-testid="rebased-notice">
        <p className="mb-0">{t('stale.reloaded')}</p>
        {conflicts.length > 0 && (
          <p className="mb-0 mt-1">{t('stale.conflicts', { fields: conflicts.map(fieldLabel).join(', ') })}</p>
        )}
      </div>
    );
  }
  return null;
}
