// The referral's own fields (needs, reason, urgency, channel), shared by "new" and "edit".
import { useTranslation } from 'react-i18next';
import { NEEDS, REFERRAL_SOURCES, URGENCIES, type Need, type ReferralSource, type Urgency } from '../../api/types';
import { CheckboxGroup, RadioGroup, SelectField, TextAreaField } from '../../components/Form';

export interface ReferralForm {
  needs: Need[];
  reason: string;
  urgency: Urgency;
  source: ReferralSource | '';
}

export const EMPTY_REFERRAL: ReferralForm = { needs: [], reason: '', urgency: 'normal', source: '' };

export function validateReferral(f: ReferralForm, t: (k: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.needs.length === 0) out.needs = t('validation.empty');
  if (!f.reason.trim()) out.reason = t('validation.required');
  return out;
}

export function ReferralFields({ form, set, errors }: {
  form: ReferralForm;
  set: <K extends keyof ReferralForm>(k: K, v: ReferralForm[K]) => void;
  errors: Record<string, string>;
}) {
  const { t } = useTranslation();
  return (
    <>
      <CheckboxGroup id="needs" legend={t('referrals.needs')} required value={form.needs} error={errors.needs}
                     hint={t('referrals.needsHint')} onChange={(v) => set('needs', v as Need[])}
                     options={NEEDS.map((n) => ({ value: n, label: t(`need.${n}`) }))} />
      <TextAreaField id="reason" label={t('referrals.reason')} required value={form.reason} error={errors.reason}
                     hint={t('referrals.reasonHint')} onChange={(e) => set('reason', e.target.value)} />
      <RadioGroup id="urgency" legend={t('referrals.urgency')} value={form.urgency} error={errors.urgency}
                  onChange={(v) => set('urgency', v as Urgency)}
                  options={URGENCIES.map((u) => ({ value: u, label: t(`status.urgency.${u}`) }))} />
      <SelectField id="source" label={t('referrals.source')} value={form.source} error={errors.source}
                   placeholder={t('referrals.sourceDefault')} hint={t('referrals.sourceHint')}
                   onChange={(e) => set('source', e.target.value as ReferralSource | '')}
                   options={REFERRAL_SOURCES.map((s) => ({ value: s, label: t(`source.${s}`) }))} />
    </>
  );
}
