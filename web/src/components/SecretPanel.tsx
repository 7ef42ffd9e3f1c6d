// A secret the API returns once (an integration's client_secret, a webhook's signing secret):
// shown in a clear panel with copy buttons and the warning that it will not be shown again.
// The heading takes focus when the panel appears, so screen readers announce it.
import { Button } from 'design-react-kit';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface SecretItem {
  /** The field's id (also its test id). */
  id: string;
  label: string;
  value: string;
}

export function SecretPanel({ title, items, children, onDone, doneLabel }: {
  title: string;
  items: SecretItem[];
  /** How to use it (below the values). */
  children?: ReactNode;
  /** Shown as the closing button when given (e.g. on a list, after a rotation). */
  onDone?: () => void;
  doneLabel?: string;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  useEffect(() => {
    heading.current?.focus();
  }, [title]);

  async function copy(item: SecretItem) {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(item.value);
      setCopied(t('secret.copied', { what: item.label }));
    } catch {
      const input = document.getElementById(item.id) as HTMLInputElement | null;
      input?.select();
      setCopied(t('secret.copyFailed'));
    }
  }

  return (
    <section className="secret-panel mb-4" aria-labelledby={headingId} data-testid="secret-panel">
      <h2 id={headingId} ref={heading} tabIndex={-1} className="h4">{title}</h2>
      <p className="fw-semibold" data-testid="secret-warning">{t('secret.warning')}</p>
      {items.map((item) => (
        <div className="mb-3" key={item.id}>
          <label htmlFor={item.id} className="fw-semibold d-block mb-1">{item.label}</label>
          <div className="d-flex flex-wrap align-items-center gap-2">
            <input id={item.id} data-testid={item.id} className="form-control secret-value flex-grow-1 w-auto" readOnly
                   value={item.value} onFocus={(e) => e.currentTarget.select()} style={{ minWidth: '12rem' }} />
            <Button color="primary" outline size="sm" type="button" onClick={() => void copy(item)}
                    aria-label={t('secret.copyLabel', { what: item.label })}>
              {t('secret.copy')}
            </Button>
          </div>
        </div>
      ))}
      <p role="status" aria-live="polite" className="small mb-3">{copied ?? ''}</p>
      {children}
      {onDone && (
        <Button color="primary" type="button" onClick={onDone}>{doneLabel ?? t('secret.saved')}</Button>
      )}
    </section>
  );
}
