// The DPO's side of anonymisation and retention on /privacy: the requests waiting for her
// ("Richieste di anonimizzazione", approve or reject with confirmation — the API refuses her own
// requests) and "Conservazione", the persons the retention job anonymises at today's date.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { queryKeys } from '../../api/queryKeys';
import { allows } from '../../components/Actions';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { TextAreaField } from '../../components/Form';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { useErrorMessage } from '../../components/errors';
import { formatDate, formatDateTime } from '../../lib/format';
import { privacyApi, type AnonymisationRequest } from './api';

type Decision = { request: AnonymisationRequest; approve: boolean } | null;

export function AnonymisationRequestsSection() {
  const { t } = useTranslation();
  const message = useErrorMessage();
  const qc = useQueryClient();
  const [deciding, setDeciding] = useState<Decision>(null);
  const [note, setNote] = useState('');
  const q = useQuery({
    queryKey: queryKeys.list('anonymisation-requests', { state: 'pending' }),
    queryFn: () => privacyApi.anonymisationRequests('pending'),
    retry: false,
  });
  const decide = useMutation({
    mutationFn: (d: NonNullable<Decision>) =>
      d.approve ? privacyApi.approveAnonymisation(d.request.id) : privacyApi.rejectAnonymisation(d.request.id, note),
    onSettled: () => {
      setDeciding(null);
      setNote('');
      void qc.invalidateQueries({ queryKey: queryKeys.all('anonymisation-requests') });
      void qc.invalidateQueries({ queryKey: queryKeys.all('retention') });
    },
  });
  const rows = q.data?.items ?? [];
  return (
    <section aria-labelledby="anon-title" className="mb-5" id="anonymisation" data-testid="anonymisation-requests">
      <h2 id="anon-title" className="h4">{t('privacy.anonymisation.title')}</h2>
      <p>{t('privacy.anonymisation.intro')}</p>
      {decide.isError && <div className="alert alert-danger" role="alert">{message(decide.error)}</div>}
      {decide.isSuccess && <div className="alert alert-success" role="status">{t(`privacy.anonymisation.done.${decide.data.status}`)}</div>}
      {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : rows.length === 0 ? (
        <EmptyState title={t('privacy.anonymisation.empty')} />
      ) : (
        <div className="table-responsive">
          <table className="table table-sm">
            <caption className="visually-hidden">{t('privacy.anonymisation.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('privacy.anonymisation.requestedAt')}</th>
                <th scope="col">{t('privacy.anonymisation.person')}</th>
                <th scope="col">{t('privacy.rights.ground')}</th>
                <th scope="col">{t('privacy.rights.reason')}</th>
                <th scope="col"><span className="visually-hidden">{t('common.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-testid="anonymisation-row">
                  <td className="text-nowrap">{formatDateTime(r.requested_at)}</td>
                  <td><Link to={`/persons/${r.person_id}/edit?from=/privacy`}>{t('privacy.anonymisation.open')}</Link></td>
                  <td>{t(`privacy.legalGround.${r.legal_ground}`)}</td>
                  <td className="text-break">{r.reason}</td>
                  <td className="text-nowrap">
                    {allows(r, 'approve') && (
                      <Button color="danger" size="sm" type="button" className="me-2" onClick={() => setDeciding({ request: r, approve: true })}>
                        {t('privacy.anonymisation.approve')}
                      </Button>
                    )}
                    {allows(r, 'reject') && (
                      <Button color="secondary" outline size="sm" type="button" onClick={() => setDeciding({ request: r, approve: false })}>
                        {t('privacy.anonymisation.reject')}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        isOpen={deciding !== null}
        title={deciding?.approve ? t('privacy.anonymisation.confirmApproveTitle') : t('privacy.anonymisation.confirmRejectTitle')}
        confirmLabel={deciding?.approve ? t('privacy.anonymisation.approve') : t('privacy.anonymisation.reject')}
        danger={deciding?.approve}
        onCancel={() => setDeciding(null)}
        onConfirm={() => deciding && decide.mutate(deciding)}
      >
        {deciding?.approve ? (
          <p>{t('privacy.anonymisation.confirmApprove')}</p>
        ) : (
          <TextAreaField id="reject_note" label={t('privacy.anonymisation.note')} value={note} onChange={(e) => setNote(e.target.value)} />
        )}
      </ConfirmDialog>
    </section>
  );
}

export function RetentionSection() {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: queryKeys.all('retention'), queryFn: () => privacyApi.retentionPreview(), retry: false });
  return (
    <section aria-labelledby="retention-title" className="mb-5" id="retention" data-testid="retention">
      <h2 id="retention-title" className="h4">{t('privacy.retention.title')}</h2>
      {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : (
        <>
          <p>{t('privacy.retention.intro', { years: q.data.retention_years, today: formatDate(q.data.today) })}</p>
          {q.data.items.length === 0 ? <EmptyState title={t('privacy.retention.empty')} /> : (
            <div className="table-responsive">
              <table className="table table-sm">
                <caption className="visually-hidden">{t('privacy.retention.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('privacy.anonymisation.person')}</th>
                    <th scope="col">{t('privacy.retention.lastClosed')}</th>
                    <th scope="col">{t('privacy.retention.dueOn')}</th>
                  </tr>
                </thead>
                <tbody>
                  {q.data.items.map((d) => (
                    <tr key={d.person_id} data-testid="retention-row">
                      <td className="text-break">{d.name ?? d.person_id}</td>
                      <td>{formatDate(d.last_case_closed_on)}</td>
                      <td>{formatDate(d.due_on)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
