// One item of the board with all its fields and what the API lets the caller do with it now:
// edit, publish (at the version read, `If-Match`; a refusal names what is missing), withdraw
// with the reason (the coordinator). A measure or a project links to where it lives.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, unwrapVersioned } from '../../api/client';
import { ifMatch, type Versioned } from '../../api/etag';
import { isApiError } from '../../api/problem';
import { queryKeys } from '../../api/queryKeys';
import { useMe } from '../../auth/AuthContext';
import { ActionBar } from '../../components/Actions';
import { ErrorSummary, TextAreaField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { Page } from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import { StatusBadge } from '../../components/StatusBadge';
import { errorMessage } from '../../components/errors';
import { useFormErrors } from '../../components/useFormErrors';
import { showProblem } from '../networks/formErrors';
import { readOpportunity, type Opportunity } from './data';
import { OpportunityFacts } from './OpportunityViews';

export function OpportunityPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const q = useQuery({ queryKey: queryKeys.detail('opportunities', id), queryFn: () => readOpportunity(id) });
  const crumbs = [{ to: '/opportunities', label: t('opportunities.title') }];
  if (q.isPending) return <Page title={t('opportunities.title')} crumbs={crumbs}><Loading /></Page>;
  if (q.isError) return <Page title={t('opportunities.title')} crumbs={crumbs}><ErrorState error={q.error} onRetry={() => void q.refetch()} /></Page>;
  return <OpportunityView read={q.data} />;
}

function OpportunityView({ read }: { read: Versioned<Opportunity> }) {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const o = read.record;
  const [withdrawing, setWithdrawing] = useState(false);
  const publish = useMutation({
    mutationFn: () => unwrapVersioned(api.POST('/api/v1/opportunities/{id}/publish', { params: { path: { id: o.id }, header: ifMatch(read.etag) } })),
    onSuccess: async (next) => {
      qc.setQueryData(queryKeys.detail('opportunities', o.id), next);
      await qc.invalidateQueries({ queryKey: queryKeys.all('opportunities') });
    },
  });
  const refused = publish.error;
  const refusedFields = refused && isApiError(refused) ? refused.problem?.errors ?? [] : [];
  return (
    <Page title={o.title} subtitle={<>{o.kind_label} · {o.publisher}</>} crumbs={[{ to: '/opportunities', label: t('opportunities.title') }, { label: o.title }]}>
      <div className="d-flex flex-wrap gap-2 align-items-center mb-3">
        <StatusBadge kind="opportunity" status={o.status} />
      </div>
      <ActionBar record={o} label={t('opportunities.actions')} className="mb-3" items={[
        { action: 'edit', label: t('opportunities.edit'), outline: true, onClick: () => navigate(`/opportunities/${encodeURIComponent(o.id)}/edit`) },
        { action: 'publish', label: t('opportunities.publish'), pending: publish.isPending, onClick: () => publish.mutate() },
        { action: 'withdraw', label: t('opportunities.withdraw'), color: 'danger', outline: true, onClick: () => setWithdrawing(true) },
      ]}>
        {o.source === 'project' && <Link to={`/projects/${encodeURIComponent(o.id)}`} className="btn btn-outline-primary">{t('opportunities.openProject')}</Link>}
        {o.source === 'measure' && me.role === 'coordinator' && <Link to="/catalogue" className="btn btn-outline-primary">{t('opportunities.openMeasure')}</Link>}
      </ActionBar>
      {refused && (
        <div className="alert alert-danger" role="alert" data-testid="publish-refused">
          {refusedFields.length > 0 ? (
            <ul className="mb-0">{refusedFields.map((e) => <li key={`${e.field}-${e.code}`}>{e.message}</li>)}</ul>
          ) : errorMessage(t, refused)}
        </div>
      )}
      <OpportunityFacts o={o} />
      {withdrawing && <WithdrawDialog o={o} etag={read.etag} onClose={() => setWithdrawing(false)} />}
    </Page>
  );
}

function WithdrawDialog({ o, etag, onClose }: { o: Opportunity; etag: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const errors = useFormErrors();
  const [reason, setReason] = useState('');
  const m = useMutation({
    mutationFn: () => unwrapVersioned(api.POST('/api/v1/opportunities/{id}/withdraw', {
      params: { path: { id: o.id }, header: ifMatch(etag) }, body: { reason: reason.trim() },
    })),
    onSuccess: async (next) => {
      qc.setQueryData(queryKeys.detail('opportunities', o.id), next);
      await qc.invalidateQueries({ queryKey: queryKeys.all('opportunities') });
      onClose();
    },
    onError: (e) => showProblem(t, errors, e, (f) => (f === 'reason' ? 'opp-withdraw-reason' : null)),
  });
  return (
    <FormDialog isOpen danger title={t('opportunities.withdrawTitle')} submitLabel={t('opportunities.withdraw')} pending={m.isPending}
                general={errors.general} onCancel={onClose} onSubmit={() => {
                  if (reason.trim().length < 2) { errors.setGeneral(null); errors.setFields({ 'opp-withdraw-reason': reason.trim() ? t('opportunities.reasonTooShort') : t('validation.required') }); return; }
                  m.mutate();
                }}>
      <ErrorSummary errors={errors.fields} />
      <p>{t('opportunities.withdrawText')}</p>
      <TextAreaField id="opp-withdraw-reason" label={t('opportunities.withdrawReason')} required value={reason} maxLength={2000} rows={3}
                     error={errors.fields['opp-withdraw-reason']} onChange={(e) => { setReason(e.target.value); errors.clearField('opp-withdraw-reason'); }} />
    </FormDialog>
  );
}
