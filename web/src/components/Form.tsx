// Accessible form fields in Bootstrap Italia style: label, hint and error wired with aria-*.
import { forwardRef, useEffect, useRef, useState, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes,
  type TextareaHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';

interface FieldChrome {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  className?: string;
}

function describedBy(id: string, hint?: ReactNode, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function Chrome({ id, label, hint, error, required, className, children }: FieldChrome & { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className={`app-field mb-4 ${className ?? ''}`}>
      <label htmlFor={id} className="app-label">
        {label}
        {required && <span className="text-danger ms-1" aria-hidden="true">*</span>}
        {required && <span className="visually-hidden"> ({t('form.required')})</span>}
      </label>
      {children}
      {hint && <small id={`${id}-hint`} className="form-text d-block">{hint}</small>}
      {error && (
        <div id={`${id}-error`} className="invalid-feedback d-block" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

type TextFieldProps = FieldChrome & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'className'>;

export const TextField = forwardRef<HTMLInputElement, TextFieldProps>(function TextField(
  { id, label, hint, error, required, className, ...input }, ref) {
  return (
    <Chrome id={id} label={label} hint={hint} error={error} required={required} className={className}>
      <input ref={ref} id={id} className={`form-control${error ? ' is-invalid' : ''}`} required={required}
             aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} {...input} />
    </Chrome>
  );
});

type TextAreaProps = FieldChrome & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'className'>;

export function TextAreaField({ id, label, hint, error, required, className, ...input }: TextAreaProps) {
  return (
    <Chrome id={id} label={label} hint={hint} error={error} required={required} className={className}>
      <textarea id={id} className={`form-control${error ? ' is-invalid' : ''}`} required={required} rows={4}
                aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} {...input} />
    </Chrome>
  );
}

type SelectProps = FieldChrome & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'className'> & {
  options: { value: string; label: string }[];
  placeholder?: string;
};

export function SelectField({ id, label, hint, error, required, className, options, placeholder, ...select }: SelectProps) {
  return (
    <div className={`select-wrapper app-field mb-4 ${className ?? ''}`}>
      <label htmlFor={id} className="app-label">
        {label}
        {required && <span className="text-danger ms-1" aria-hidden="true">*</span>}
      </label>
      <select id={id} className={error ? 'is-invalid' : undefined} required={required}
              aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} {...select}>
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
      {hint && <small id={`${id}-hint`} className="form-text d-block">{hint}</small>}
      {error && <div id={`${id}-error`} className="invalid-feedback d-block" role="alert">{error}</div>}
    </div>
  );
}

export function CheckboxGroup({ id, legend, options, value, onChange, error, required, hint }: {
  id: string;
  legend: ReactNode;
  /** An option's `hint` explains it under its label (the options are then listed one per line). */
  options: { value: string; label: string; hint?: string }[];
  value: string[];
  onChange: (v: string[]) => void;
  error?: string;
  required?: boolean;
  hint?: ReactNode;
}) {
  return (
    <fieldset className="mb-4 app-field" id={id} aria-describedby={describedBy(id, hint, error)}
              aria-invalid={error ? true : undefined}>
      <legend className="app-label fs-6 fw-semibold">
        {legend}
        {required && <span className="text-danger ms-1" aria-hidden="true">*</span>}
      </legend>
      {hint && <small id={`${id}-hint`} className="form-text d-block mb-2">{hint}</small>}
      <div className={options.some((o) => o.hint) ? '' : 'd-flex flex-wrap column-gap-4'}>
        {options.map((o) => {
          const cid = `${id}-${o.value.replace(/[^A-Za-z0-9_-]/g, '_')}`;
          return (
            <div className="form-check" key={o.value}>
              <input id={cid} type="checkbox" checked={value.includes(o.value)}
                     aria-describedby={o.hint ? `${cid}-hint` : undefined}
                     onChange={(e) => onChange(e.target.checked ? [...value, o.value] : value.filter((v) => v !== o.value))} />
              <label htmlFor={cid}>{o.label}</label>
              {o.hint && <small id={`${cid}-hint`} className="form-text d-block app-option-hint">{o.hint}</small>}
            </div>
          );
        })}
      </div>
      {error && <div id={`${id}-error`} className="invalid-feedback d-block" role="alert">{error}</div>}
    </fieldset>
  );
}

export function RadioGroup({ id, legend, options, value, onChange, error, required, inline = true }: {
  id: string;
  legend: ReactNode;
  options: { value: string; label: string }[];
  value: string;
  onChange: (v: string) => void;
  error?: string;
  required?: boolean;
  inline?: boolean;
}) {
  return (
    <fieldset className="mb-4 app-field" id={id} aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="app-label fs-6 fw-semibold">
        {legend}
        {required && <span className="text-danger ms-1" aria-hidden="true">*</span>}
      </legend>
      <div className={inline ? 'd-flex flex-wrap column-gap-4' : ''}>
        {options.map((o) => {
          const rid = `${id}-${o.value}`;
          return (
            <div className="form-check" key={o.value}>
              <input id={rid} name={id} type="radio" value={o.value} checked={value === o.value}
                     onChange={() => onChange(o.value)} />
              <label htmlFor={rid}>{o.label}</label>
            </div>
          );
        })}
      </div>
      {error && <div id={`${id}-error`} className="invalid-feedback d-block" role="alert">{error}</div>}
    </fieldset>
  );
}

/**
 * Lists every error at the top of a form, each named by its field's label ("Motivazione: campo
 * obbligatorio", as the Designers Italia form pattern asks) and linked to it; takes focus when shown, and
 * again when a new error appears — not when one goes away as its field is corrected (that would
 * pull the focus out of the field being typed in).
 */
export function ErrorSummary({ errors, fieldIds, general }: {
  errors: Record<string, string>;
  fieldIds?: Record<string, string>;
  general?: string | null;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors);
  const show = entries.length > 0 || !!general;
  const signature = JSON.stringify([entries, general]);
  const shown = useRef<string[]>([]);
  const target = (field: string) => fieldIds?.[field] ?? field.replace(/\./g, '-');
  // The fields' labels, read from the form once it is drawn (a field's label, or its group's
  // legend), so that every form names its errors without repeating its labels here.
  const [labels, setLabels] = useState<Record<string, string>>({});
  useEffect(() => {
    const next: Record<string, string> = {};
    for (const [field] of entries) {
      const id = target(field);
      const el = document.getElementById(id);
      const label = Array.from(document.getElementsByTagName('label')).find((l) => l.htmlFor === id)
        ?? (el?.tagName === 'FIELDSET' ? el.querySelector('legend') : el?.closest('fieldset')?.querySelector('legend'));
      // The words of the label only: not the required mark nor its spoken "(obbligatorio)".
      const words = label?.cloneNode(true) as HTMLElement | undefined;
      words?.querySelectorAll('[aria-hidden="true"], .visually-hidden').forEach((n) => n.remove());
      const text = words?.textContent?.trim();
      if (text) next[field] = text;
    }
    setLabels((prev) => (JSON.stringify(prev) === JSON.stringify(next) ? prev : next));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [signature]);
  useEffect(() => {
    const now = [...entries.map(([f, m]) => `${f}\u0000${m}`), ...(general ? [`\u0000${general}`] : [])];
    const added = now.some((e) => !shown.current.includes(e));
    shown.current = now;
    if (show && added) ref.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [show, signature]);
  if (!show) return null;
  return (
    <div ref={ref} tabIndex={-1} className="alert alert-danger" role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title" className="h5">{general ?? t('form.errorSummary')}</h2>
      {entries.length > 0 && (
        <ul className="mb-0">
          {entries.map(([field, msg]) => (
            <li key={field}>
              <a href={`#${target(field)}`}>{labels[field] ? `${labels[field]}: ${lower(msg)}` : msg}</a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** "Campo obbligatorio" after a label reads "Motivazione: campo obbligatorio". */
function lower(msg: string): string {
  return msg.length > 1 && msg[1] === msg[1].toLowerCase() ? msg[0].toLowerCase() + msg.slice(1) : msg;
}
