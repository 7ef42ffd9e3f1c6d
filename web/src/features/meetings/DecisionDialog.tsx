// Records (or changes) the table's decision on an agenda item. The measures an acceptance can
// assign, and whether the person meets each one's rules, come with the agenda item.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';
import type { AgendaItem, AgendaItemKind, DecisionKind, Measure, Meeting, Threshold } from '../../api/types';
import { RadioGroup, SelectField, TextAreaField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { useFormErrors } from '../../components/useFormErrors';
import { formatCents } from '../../lib/format';
import { personName } from '../common/workflow';

/** The decisions for each kind of item, as DecisionInput documents them. */
export const DECISIONS: Record<AgendaItemKind, readonly DecisionKind[]> = {
  referral: ['accept', 'reject', 'redirect', 'defer', 'request_info'],
  case_review: ['confirm', 'reassign'],
};

export function DecisionDialog({ meeting, item, measures, thresholds, agencies, onClose }: {
  meeting: Meeting;
  item: AgendaItem;
  measures: Measure[];
  thresholds: Threshold[];
  agencies: { id: string; name: string }[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const isCase = item.kind === 'case_review';
  const person = item.referral?.person ?? item.case?.person;
  const d = item.decision;
  const [kind, setKind] = useState<DecisionKind | ''>(d?.decision ?? '');
  const [agencyId, setAgencyId] = useState(d?.agency?.id ?? '');
  const [measureIds, setMeasureIds] = useState<string[]>(d?.measure_ids ?? []);
  const [reason, setReason] = useState(d?.reason ?? '');
  const errors = useFormErrors();
  const needsAgency = kind === 'accept' || kind === 'reassign';
  const needsReason = kind !== '' && kind !== 'accept' && kind !== 'confirm';

  const save = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/meetings/{id}/decisions', {
      params: { path: { id: meeting.id } },
      body: {
        ...(isCase ? { case_id: item.case!.id } : { referral_id: item.referral!.id }),
        decision: kind as DecisionKind,
        agency_id: needsAgency ? agencyId : null,
        measure_ids: kind === 'accept' ? measureIds : [],
        reason: reason.trim() || null,
      },
    })),
    onSuccess: (agenda) => {
      qc.setQueryData(queryKeys.sub('meetings', meeting.id, 'agenda'), agenda);
      void qc.invalidateQueries({ queryKey: queryKeys.everything('meetings') });
      onClose();
    },
    onError: (e) => errors.fromError(e),
  });

  function submit() {
    const missing: Record<string, string> = {};
    if (!kind) missing.decision = t('validation.required');
    if (needsAgency && !agencyId) missing.agency_id = t('validation.required');
    if (needsReason && !reason.trim()) missing.reason = t('validation.required');
    if (Object.keys(missing).length) { errors.setFields(missing); return; }
    save.mutate();
  }

  const remainingFor = (measureId: string) => thresholds.find((th) => th.agency_id === agencyId && th.measure_id === measureId);
  // What an acceptance could assign: every active measure, with the person's eligibility today.
  const offered = item.eligibility.map((fit) => ({ fit, measure: measures.find((m) => m.id === fit.measure_id) }));

  return (
    <FormDialog isOpen size="lg" title={t('meetings.decisionFor', { name: person ? personName(person) : '' })}
                submitLabel={t('meetings.saveDecision')} pending={save.isPending} general={errors.general}
                onCancel={onClose} onSubmit={submit}>
      <RadioGroup id="decision" legend={t('meetings.decision')} required value={kind} error={errors.fields.decision} inline={false}
                  onChange={(v) => { setKind(v as DecisionKind); errors.clearField('decision'); }}
                  options={DECISIONS[item.kind].map((k) => ({ value: k, label: t(`decisionAction.${k}`) }))} />
      {needsAgency && (
        <SelectField id="agency_id" label={t('cases.agency')} required value={agencyId} error={errors.fields.agency_id}
                     placeholder={t('admin.choose')} onChange={(e) => { setAgencyId(e.target.value); errors.clearField('agency_id'); }}
                     options={agencies.map((a) => ({ value: a.id, label: a.name }))} />
      )}
      {kind === 'accept' && (
        <fieldset className="mb-4 app-field" id="measure_ids" aria-describedby={errors.fields.measure_ids ? 'measure_ids-error' : undefined}>
          <legend className="app-label fs-6 fw-semibold">{t('meetings.measures')}</legend>
          <p className="small">{t('meetings.measuresHint')}</p>
          {offered.map(({ fit: el, measure: m }) => {
            const id = el.measure_id;
            const th = agencyId ? remainingFor(id) : undefined;
            const cid = `measure-${id}`;
            return (
              <div className="form-check" key={id}>
                <input id={cid} type="checkbox" checked={measureIds.includes(id)}
                       onChange={(e) => setMeasureIds((ids) => e.target.checked ? [...ids, id] : ids.filter((x) => x !== id))} />
                <label htmlFor={cid}>
                  {el.measure_code}{m ? ` – ${m.name}` : ''}
                  <span className="d-block small fw-normal">
                    {el.eligible ? t('meetings.eligible') : `${t('meetings.notEligible')}: ${el.reasons.filter((r) => !r.met).map((r) => r.message).join('; ')}`}
                    {agencyId && ` · ${th ? t('meetings.remainingFor', { amount: formatCents(th.remaining_cents), default: formatCents(m?.default_amount_cents ?? 0) }) : t('meetings.noThreshold')}`}
                  </span>
                </label>
              </div>
            );
          })}
          {errors.fields.measure_ids && <div id="measure_ids-error" className="invalid-feedback d-block" role="alert">{errors.fields.measure_ids}</div>}
        </fieldset>
      )}
      <TextAreaField id="reason" label={needsReason ? t('meetings.reason') : t('common.reasonOptional')} required={needsReason}
                     value={reason} error={errors.fields.reason} onChange={(e) => { setReason(e.target.value); errors.clearField('reason'); }} />
    </FormDialog>
  );
}
