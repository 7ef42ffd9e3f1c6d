// What the user may do with a record is the API's answer, never the SPA's guess: every detail
// response lists `allowed_actions` (what this caller may do now) and `blocked_actions` (what
// their role could do but the record's state, the person's eligibility or the budget forbids,
// with the reason in the user's language). The SPA keeps no copy of any state machine: buttons
// are rendered from those lists — allowed ones enabled, blocked ones disabled with their reason
// shown under them (and read as the button's description), the others not at all.
import { Button } from 'design-react-kit';
import { useId, type MouseEvent, type ReactNode } from 'react';
import type { Action, BlockedAction } from '../api/types';

/** A record as the API returns it, with what the caller may do with it. */
export interface Actionable {
  allowed_actions: Action[];
  blocked_actions?: BlockedAction[];
}

/** The caller may take this action now. */
export function allows(record: Actionable | null | undefined, action: Action): boolean {
  return !!record?.allowed_actions.includes(action);
}

/** Why the caller's role may not take this action now (undefined: allowed, or not theirs at all). */
export function blockedReason(record: Actionable | null | undefined, action: Action): string | undefined {
  if (!record || allows(record, action)) return undefined;
  return record.blocked_actions?.find((b) => b.action === action)?.reason;
}

/** Whether the action is shown: allowed (enabled) or blocked (disabled, with its reason). */
export function offers(record: Actionable | null | undefined, action: Action): boolean {
  return allows(record, action) || blockedReason(record, action) !== undefined;
}

export interface ActionItem {
  action: Action;
  /** The record the action is on, when not the bar's (an agenda item's removal beside the meeting's decision). */
  record?: Actionable;
  /** The button's text (also names it in the list of reasons). */
  label: string;
  /** Said to screen readers after the label, e.g. the record it acts on ("Approva GG"). */
  context?: string;
  onClick?: () => void;
  type?: 'button' | 'submit';
  color?: 'primary' | 'secondary' | 'danger';
  outline?: boolean;
  /** A request for it is running. */
  pending?: boolean;
  pendingLabel?: string;
  className?: string;
}

/**
 * The buttons of a record's actions, in the order given. An action the API neither allows nor
 * blocks for this caller is left out. `label` names the group for screen readers.
 */
export function ActionBar({ record, items, label, size, className, children }: {
  record: Actionable;
  items: ActionItem[];
  label?: string;
  size?: 'sm';
  className?: string;
  /** More controls after the buttons (links, always available commands). */
  children?: ReactNode;
}) {
  const base = useId();
  const reasons: { id: string; reason: string; labels: string[] }[] = [];
  const reasonId = (reason: string, label: string) => {
    let r = reasons.find((x) => x.reason === reason);
    if (!r) {
      r = { id: `${base}-why-${reasons.length}`, reason, labels: [] };
      reasons.push(r);
    }
    r.labels.push(label);
    return r.id;
  };
  const buttons = items.map((item) => {
    const on = item.record ?? record;
    const allowed = allows(on, item.action);
    const reason = blockedReason(on, item.action);
    if (!allowed && reason === undefined) return null;
    const describedBy = allowed ? undefined : reasonId(reason!, item.label);
    const busy = allowed && item.pending;
    return (
      <Button key={item.action} type={item.type ?? 'button'} size={size} color={item.color ?? 'primary'} outline={item.outline}
              className={`${allowed ? '' : 'disabled '}${item.className ?? ''}`.trim() || undefined}
              aria-disabled={allowed && !busy ? undefined : true} aria-describedby={describedBy}
              data-action={item.action} data-allowed={allowed ? 'true' : 'false'}
              onClick={(e: MouseEvent) => {
                if (!allowed || busy) {
                  e.preventDefault();
                  return;
                }
                item.onClick?.();
              }}>
        {busy && item.pendingLabel ? item.pendingLabel : item.label}
        {item.context && <>{' '}<span className="visually-hidden">{item.context}</span></>}
      </Button>
    );
  });
  if (buttons.every((b) => b === null) && !children) return null;
  return (
    <div className={`action-bar ${className ?? ''}`.trim()}>
      <div className="d-flex flex-wrap gap-2 align-items-center" role="group" aria-label={label}>
        {buttons}
        {children}
      </div>
      {reasons.length > 0 && (
        <ul className="action-reasons list-unstyled small text-secondary mb-0 mt-1">
          {reasons.map((r) => (
            <li key={r.id} id={r.id} data-testid="blocked-reason">
              <span className="fw-semibold">{r.labels.join(', ')}</span>: <span className="action-reason">{r.reason}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Why something the user's role could do is not possible now, shown where it would be. */
export function BlockedNotice({ record, action, label }: { record: Actionable; action: Action; label: string }) {
  const reason = blockedReason(record, action);
  if (!reason) return null;
  return (
    <p className="small text-secondary" data-testid="blocked-reason">
      <span className="fw-semibold">{label}</span>: <span className="action-reason">{reason}</span>
    </p>
  );
}
