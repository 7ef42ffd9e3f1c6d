// Loading, empty and error states shared by every screen.
import { Alert, Button, Spinner } from 'design-react-kit';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from './errors';

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="d-flex align-items-center gap-3 py-4" role="status" aria-live="polite">
      <Spinner active small />
      <span>{label ?? t('common.loading')}</span>
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="alert alert-info my-3" role="status">
      <p className="fw-semibold mb-1">{title}</p>
      {children && <div>{children}</div>}
    </div>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const message = useErrorMessage();
  return (
    <Alert color="danger" role="alert">
      <p className="mb-2">{message(error)}</p>
      {onRetry && (
        <Button color="primary" size="sm" outline onClick={onRetry}>
          {t('common.retry')}
        </Button>
      )}
    </Alert>
  );
}
