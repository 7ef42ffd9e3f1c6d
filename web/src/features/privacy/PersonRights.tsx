// The data subject's rights on the person's page, for the coordinator (and the DPO): export
// everything held (art. 15, JSON or the Italian PDF), restrict processing and lift it (art. 18),
// ask for anonymisation (art. 17) — which another person, the DPO, approves.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { queryKeys } from '../../api/queryKeys';
import { TextAreaField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { useErrorMessage } from '../../components/errors';
import { downloadPersonExport, privacyApi } from './api';

export function PersonRightsSection({ personId, restricted, canRequestAnonymisation }: {
  personId: string;
  restricted: boolean;
  canRequestAnonymisation: boolean;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const message = useErrorMessage();
  const [done, setDone] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'restrict' | 'anonymise' | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  const exportData = useMutation({ mutationFn: (format: 'json' | 'pdf') => downloadPersonExport(personId, format) });
  const act = useMutation({
    mutationFn: async (what: 'restrict' | 'lift' | 'anonymise') => {
      if (what === 'restrict') await privacyApi.restrict(personId, reason.trim());
      else if (what === 'lift') await privacyApi.liftRestriction(personId);
      else await privacyApi.requestAnonymisation(personId, reason.trim());
      return what;
    },
    onSuccess: async (what) => {
      setDialog(null);
      setReason('');
      setDone(t(`privacy.rights.done.${what}`));
      await qc.invalidateQueries({ queryKey: queryKeys.detail('persons', personId) });
    },
  });
  function confirm() {
    if (reason.trim().length < 3) { setReasonError(t('privacy.reasonRequired')); return; }
    act.mutate(dialog === 'restrict' ? 'restrict' : 'anonymise');
  }
  const open = (which: 'restrict' | 'anonymise') => { setDialog(which); setReason(''); setReasonError(undefined); act.reset(); };
  return (
    <section aria-labelledby="rights-title" className="mt-5" data-testid="person-rights">
      <h2 id="rights-title" className="h4">{t('privacy.rights.title')}</h2>
      {restricted && <p className="fw-semibold" data-testid="restricted">{t('privacy.rights.restrictedNow')}</p>}
      {done && <div className="alert alert-success" role="status">{done}</div>}
      {(exportData.isError || (act.isError && !dialog)) && (
        <div className="alert alert-danger" role="alert">{message(exportData.error ?? act.error)}</div>
      )}
      <div className="d-flex flex-wrap gap-2">
        <Button color="primary" outline size="sm" type="button" disabled={exportData.isPending} onClick={() => exportData.mutate('json')}>
          {t('privacy.rights.exportJson')}
        </Button>
        <Button color="primary" outline size="sm" type="button" disabled={exportData.isPending} onClick={() => exportData.mutate('pdf')}>
          {t('privacy.rights.exportPdf')}
        </Button>
        {restricted ? (
          <Button color="primary" outline size="sm" type="button" disabled={act.isPending} onClick={() => act.mutate('lift')}>
            {t('privacy.rights.lift')}
          </Button>
        ) : (
          <Button color="primary" outline size="sm" type="button" onClick={() => open('restrict')}>{t('privacy.rights.restrict')}</Button>
        )}
        {canRequestAnonymisation && (
          <Button color="danger" outline size="sm" type="button" onClick={() => open('anonymise')}>{t('privacy.rights.anonymise')}</Button>
        )}
      </div>
      <FormDialog isOpen={!!dialog} danger={dialog === 'anonymise'}
                  title={dialog === 'anonymise' ? t('privacy.rights.anonymiseTitle') : t('privacy.rights.restrictTitle')}
                  submitLabel={dialog === 'anonymise' ? t('privacy.rights.anonymise') : t('privacy.rights.restrict')}
                  pending={act.isPending} general={act.isError ? message(act.error) : null}
                  onCancel={() => setDialog(null)} onSubmit={confirm}>
        <p>{dialog === 'anonymise' ? t('privacy.rights.anonymiseText') : t('privacy.rights.restrictText')}</p>
        <TextAreaField id="rights_reason" label={t('privacy.reason')} required rows={3} maxLength={2000} value={reason} error={reasonError}
                       onChange={(e) => { setReason(e.target.value); setReasonError(undefined); }} />
      </FormDialog>
    </section>
  );
}
