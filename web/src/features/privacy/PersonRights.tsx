// The data subject's rights on the person's page, for the coordinator and the DPO: export
// everything held about the person (art. 15), restrict or lift the restriction of processing
// (art. 18, with a reason) and — the coordinator — ask for anonymisation (art. 17), which the
// DPO approves on /privacy. Buttons follow the record's allowed_actions; every step is audited.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { queryKeys } from '../../api/queryKeys';
import type { Person } from '../../api/types';
import { allows, BlockedNotice } from '../../components/Actions';
import { SelectField, TextAreaField } from '../../components/Form';
import { useErrorMessage } from '../../components/errors';
import { downloadPersonExport, LEGAL_GROUNDS, privacyApi, type LegalGround } from './api';

type Open = 'restrict' | 'lift_restriction' | 'request_anonymisation' | null;

export function PersonRightsSection({ person }: { person: Person }) {
  const { t } = useTranslation();
  const message = useErrorMessage();
  const qc = useQueryClient();
  const [open, setOpen] = useState<Open>(null);
  const [reason, setReason] = useState('');
  const [ground, setGround] = useState<LegalGround | ''>('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const exportData = useMutation({ mutationFn: (format: 'json' | 'pdf') => downloadPersonExport(person.id, format) });
  const act = useMutation({
    mutationFn: async (what: Exclude<Open, null>) => {
      if (what === 'restrict') return privacyApi.restrict(person.id, reason);
      if (what === 'lift_restriction') return privacyApi.liftRestriction(person.id, reason);
      return privacyApi.requestAnonymisation(person.id, ground as LegalGround, reason);
    },
    onSuccess: (_, what) => {
      setDone(t(`privacy.rights.done.${what}`));
      setOpen(null);
      setReason('');
      setGround('');
      void qc.invalidateQueries({ queryKey: queryKeys.all('persons') });
      void qc.invalidateQueries({ queryKey: queryKeys.all('anonymisation-requests') });
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!open) return;
    if (reason.trim().length < 3) return setError(t('privacy.rights.reasonRequired'));
    if (open === 'request_anonymisation' && !ground) return setError(t('privacy.rights.groundRequired'));
    setError(null);
    act.mutate(open);
  }
  const start = (what: Open) => {
    setOpen(what);
    setDone(null);
    setError(null);
  };
  return (
    <section aria-labelledby="rights-title" className="mt-5" data-testid="person-rights">
      <h2 id="rights-title" className="h4">{t('privacy.rights.title')}</h2>
      {person.anonymised && <p className="fw-semibold" data-testid="anonymised">{t('privacy.rights.anonymisedNow')}</p>}
      {person.processing_restricted && <p className="fw-semibold" data-testid="restricted">{t('privacy.rights.restrictedNow')}</p>}
      {done && <div className="alert alert-success" role="status">{done}</div>}
      {(exportData.isError || act.isError) && (
        <div className="alert alert-danger" role="alert">{message(exportData.error ?? act.error)}</div>
      )}
      <div className="d-flex flex-wrap gap-2">
        <Button color="primary" outline size="sm" type="button" disabled={exportData.isPending} onClick={() => exportData.mutate('json')}>
          {t('privacy.rights.exportJson')}
        </Button>
        <Button color="primary" outline size="sm" type="button" disabled={exportData.isPending} onClick={() => exportData.mutate('pdf')}>
          {t('privacy.rights.exportPdf')}
        </Button>
        {(['restrict', 'lift_restriction', 'request_anonymisation'] as const).filter((a) => allows(person, a)).map((a) => (
          <Button key={a} color="primary" size="sm" type="button" onClick={() => start(a)} aria-expanded={open === a}>
            {t(`privacy.rights.${a}`)}
          </Button>
        ))}
      </div>
      <BlockedNotice record={person} action="request_anonymisation" label={t('privacy.rights.request_anonymisation')} />
      {open && (
        <form onSubmit={submit} noValidate className="mt-3" aria-label={t(`privacy.rights.${open}`)} data-testid="rights-form">
          {open === 'request_anonymisation' && (
            <>
              <p className="small">{t('privacy.rights.anonymisationHint')}</p>
              <SelectField id="rights_ground" label={t('privacy.rights.ground')} required value={ground}
                           placeholder={t('privacy.rights.choose')} onChange={(e) => setGround(e.target.value as LegalGround)}
                           options={LEGAL_GROUNDS.map((g) => ({ value: g, label: t(`privacy.legalGround.${g}`) }))} />
            </>
          )}
          <TextAreaField id="rights_reason" label={t('privacy.rights.reason')} required value={reason}
                         error={error ?? undefined} onChange={(e) => setReason(e.target.value)} />
          <div className="d-flex gap-2">
            <Button color="primary" type="submit" disabled={act.isPending}>{t('common.confirm')}</Button>
            <Button color="secondary" outline type="button" onClick={() => setOpen(null)}>{t('common.cancel')}</Button>
          </div>
        </form>
      )}
    </section>
  );
}
