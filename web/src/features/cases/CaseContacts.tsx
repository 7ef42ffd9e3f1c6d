// Whom to call and why the person was referred: the person's contacts and situation, and the
// referral that started the case with the table's decision — what the agency needs on the case
// page without opening the person's edit form.
import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '../../api/types';
import { DataList } from '../../components/DataList';
import { formatDate } from '../../lib/format';

/** "+39 035 123456" → "+39035123456": what a `tel:` link dials. */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, '')}`;
}

export function CaseContacts({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  const k = c.contacts;
  const residence = k.residence ? `${k.residence.name}${k.residence.province ? ` (${k.residence.province})` : ''}` : '—';
  return (
    <section aria-labelledby="case-contacts" className="mb-4" data-testid="case-contacts">
      <h2 id="case-contacts" className="h4">{t('caseInfo.contactsTitle')}</h2>
      <DataList items={[
        [t('caseInfo.phone'), k.phone ? <a href={telHref(k.phone)}>{k.phone}</a> : '—'],
        [t('caseInfo.email'), k.email ? <a href={`mailto:${k.email}`} className="text-break">{k.email}</a> : '—'],
        [t('caseInfo.address'), k.address || '—'],
        [t('caseInfo.residence'), residence],
        [t('caseInfo.employmentStatus'), k.employment_status ? t(`employment.${k.employment_status}`) : '—'],
        [t('caseInfo.educationLevel'), k.education_level ? t(`education.${k.education_level}`) : '—'],
      ]} />
    </section>
  );
}

export function CaseReferral({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  const r = c.referral;
  const by = [r.organization.name, r.referred_by_name].filter(Boolean).join(' · ');
  return (
    <section aria-labelledby="case-referral" className="mb-4" data-testid="case-referral">
      <h2 id="case-referral" className="h4">{t('caseInfo.referralTitle')}</h2>
      <DataList items={[
        [t('caseInfo.needs'), r.needs.length ? r.needs.map((n) => t(`need.${n}`)).join(', ') : '—'],
        [t('caseInfo.urgency'), t(`status.urgency.${r.urgency}`)],
        [t('caseInfo.sentBy'), by],
        [t('caseInfo.submittedAt'), formatDate(r.submitted_at)],
        [t('caseInfo.decidedAt'), formatDate(r.decided_at)],
      ]} />
      <h3 className="h6">{t('caseInfo.reason')}</h3>
      <p className="text-pre-line">{r.reason}</p>
      <h3 className="h6">{t('caseInfo.decisionReason')}</h3>
      <p className="text-pre-line">{r.decision_reason || t('caseInfo.noDecisionReason')}</p>
    </section>
  );
}
