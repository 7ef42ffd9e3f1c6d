// Editing a resource that others may change meanwhile (optimistic concurrency, If-Match).
// The form remembers the version it started from (the `ETag` of the read); only changed fields
// are sent. When the
// save gets 412 (someone else saved first) nothing the user typed is lost: "reload" takes the
// current version and keeps the user's changes on top of it (three-way merge), listing the
// fields that both changed.
import { useCallback, useMemo, useState } from 'react';
import { isApiError } from '../api/problem';

type Form = object;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The fields of `form` that differ from `base`. */
export function changedFields<F extends Form>(base: F, form: F): Partial<F> {
  const out: Partial<F> = {};
  for (const k of Object.keys(form) as (keyof F)[]) if (!same(base[k], form[k])) out[k] = form[k];
  return out;
}

/**
 * Three-way merge: a field the user changed keeps the user's value, any other field takes
 * the current version's. `conflicts`: fields both the user and someone else changed, differently.
 */
export function mergeForms<F extends Form>(base: F, mine: F, theirs: F): { merged: F; conflicts: (keyof F & string)[] } {
  const merged = { ...theirs };
  const conflicts: (keyof F & string)[] = [];
  for (const k of Object.keys(mine) as (keyof F & string)[]) {
    if (same(base[k], mine[k])) continue;
    merged[k] = mine[k];
    if (!same(base[k], theirs[k]) && !same(mine[k], theirs[k])) conflicts.push(k);
  }
  return { merged, conflicts };
}

export function isStale(e: unknown): boolean {
  return isApiError(e) && e.status === 412;
}

/**
 * `initialVersion`: the `ETag` the record was read with (sent back as `If-Match`); null when the
 * response had none — the form then refuses to save (MissingVersionError) rather than guess.
 */
export function useEditForm<F extends Form>(initial: F, initialVersion: string | null) {
  const [base, setBase] = useState({ form: initial, version: initialVersion });
  const [form, setForm] = useState<F>(initial);
  /** The last save got 412: the form is based on an old version. */
  const [stale, setStale] = useState(false);
  /** After a reload: the fields both sides changed (the user's value was kept). */
  const [rebased, setRebased] = useState<{ conflicts: (keyof F & string)[] } | null>(null);

  const changes = useMemo(() => changedFields(base.form, form), [base.form, form]);
  const dirty = Object.keys(changes).length > 0;

  const set = useCallback(<K extends keyof F>(k: K, v: F[K]) => setForm((f) => ({ ...f, [k]: v })), []);

  /** Takes the current version from the server, keeping what the user changed. */
  const rebase = useCallback((theirs: F, version: string | null) => {
    const { merged, conflicts } = mergeForms(base.form, form, theirs);
    setBase({ form: theirs, version });
    setForm(merged);
    setStale(false);
    setRebased({ conflicts });
  }, [base.form, form]);

  /**
   * After a refused save: a 412 marks the form stale (what was typed is kept, "reload" merges),
   * anything else goes to the fields and the summary.
   */
  const saveFailed = useCallback((e: unknown, errors: { clear: () => void; fromError: (e: unknown) => boolean }) => {
    if (isStale(e)) {
      errors.clear();
      setStale(true);
    } else errors.fromError(e);
  }, []);

  return { form, setForm, set, base: base.form, version: base.version, changes, dirty, stale, setStale, rebase, rebased, saveFailed };
}
