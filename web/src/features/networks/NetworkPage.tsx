// One network: what it is for, who coordinates it, whether it meets its kind's rules (each rule
// with its reason, as the API says), its members with their adhesion history, the resources
// they pledged with the totals, and the state moves the API allows (activate, suspend, resume,
// close — the last two with a reason).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { isApiError } from '../../api/problem';
import { queryKeys } from '../../api/queryKeys';
import type { components } from '../../api/schema';
import { ActionBar } from '../../components/Actions';
import { DataList } from '../../components/DataList';
import { TextAreaField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { Page } from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import { StatusBadge } from '../../components/StatusBadge';
import { useFormErrors } from '../../components/useFormErrors';
import { formatCents, formatDate } from '../../lib/format';
import { ComplianceBadge, type Network } from './NetworksPage';

type Member = components['schemas']['MemberOut'];
type Amounts = components['schemas']['Amounts'];

function useNetworkInvalidate() {
  const qc = useQueryClient();
  // ['networks'] covers the list, each network and what hangs under it.
  return () => qc.invalidateQueries({ queryKey: queryKeys.all('networks') });
}

export function NetworkPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const [dialog, setDialog] = useState<'suspend' | 'close' | null>(null);
  const network = useQuery({
    queryKey: queryKeys.detail('networks', id),
    queryFn: () => unwrap(api.GET('/api/v1/networks/{id}', { params: { path: { id } } })),
  });
  const invalidate = useNetworkInvalidate();
  const move = useMutation({
    mutationFn: (to: 'activate' | 'resume') => unwrap(to === 'activate'
      ? api.POST('/api/v1/networks/{id}/activate', { params: { path: { id } }, body: null })
      : api.POST('/api/v1/networks/{id}/resume', { params: { path: { id } }, body: null })),
    onSuccess: invalidate,
  });
  if (network.isPending) return <Page title={t('networks.title')}><Loading /></Page>;
  if (network.isError) return <Page title={t('networks.title')}><ErrorState error={network.error} onRetry={() => void network.refetch()} /></Page>;
  const n = network.data;
  const refused = move.error && isApiError(move.error) ? move.error : null;
  return (
    <Page title={n.name} subtitle={t(`networks.kind.${n.kind}`)}
          crumbs={[{ to: '/networks', label: t('networks.title') }]}>
      <div className="d-flex flex-wrap gap-2 align-items-center mb-3">
        <StatusBadge kind="network" status={n.status} />
        <ComplianceBadge compliant={n.compliance.compliant} />
      </div>
      <ActionBar record={n} label={t('networks.actions')} items={[
        { action: 'activate', label: t('networks.activate'), onClick: () => move.mutate('activate') },
        { action: 'resume', label: t('networks.resume'), onClick: () => move.mutate('resume') },
        { action: 'suspend', label: t('networks.suspend'), color: 'secondary', onClick: () => setDialog('suspend') },
        { action: 'close', label: t('networks.close'), color: 'danger', onClick: () => setDialog('close') },
      ]} />
      {refused && (
        <div className="alert alert-danger mt-2" role="alert">
          {refused.problem?.detail ?? refused.message}
        </div>
      )}
      <DataList items={[
        [t('networks.purpose'), n.purpose],
        [t('networks.coordinator'), n.coordinating_organization?.name],
        [t('networks.promoter'), n.promoter_organization?.name],
        [t('networks.objectives'), [...n.objectives.map((o) => t(`networks.objective.${o}`)), n.objectives_other].filter(Boolean).join('; ') || null],
        [t('networks.joinRequests'), n.accepts_join_requests ? t('common.yes') : t('common.no')],
      ]} />
      <Compliance n={n} />
      <Members id={id} />
      <Resources id={id} />
      {dialog && <ReasonDialog id={id} to={dialog} onClose={() => setDialog(null)} />}
    </Page>
  );
}

function Compliance({ n }: { n: Network }) {
  const { t } = useTranslation();
  return (
    <section className="mb-4" aria-labelledby="compliance-h" data-testid="compliance">
      <h2 className="h4" id="compliance-h">{t('networks.rulesTitle')}</h2>
      <ul className="list-unstyled">
        {n.compliance.reasons.map((r) => (
          <li key={r.rule} className="mb-1" data-met={r.met}>
            <span className={r.met ? 'text-success fw-semibold' : 'text-danger fw-semibold'}>
              {r.met ? t('networks.ruleMet') : t('networks.ruleNotMet')}
            </span>{' '}{r.message}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Members({ id }: { id: string }) {
  const { t } = useTranslation();
  const [history, setHistory] = useState(false);
  const members = useQuery({
    queryKey: queryKeys.sub('networks', id, 'members', { history }),
    queryFn: () => unwrap(api.GET('/api/v1/networks/{id}/members', {
      params: { path: { id }, query: { limit: 200, ...(history ? { include: 'history' as const } : {}) } },
    })),
  });
  return (
    <section className="mb-4" aria-labelledby="members-h" data-testid="members">
      <div className="d-flex flex-wrap justify-content-between align-items-center gap-2">
        <h2 className="h4 mb-0" id="members-h">{t('networks.membersTitle')}</h2>
        <Button color="primary" outline size="sm" aria-pressed={history} onClick={() => setHistory((h) => !h)}>
          {history ? t('networks.currentOnly') : t('networks.showHistory')}
        </Button>
      </div>
      {members.isPending && <Loading />}
      {members.isError && <ErrorState error={members.error} />}
      {members.data && (members.data.items.length === 0
        ? <p className="mt-2">{t('networks.noMembers')}</p>
        : (
          <div className="table-responsive">
            <table className="table app-stack-table mt-2">
              <caption className="visually-hidden">{t('networks.membersTitle')}</caption>
              <thead><tr>
                <th scope="col">{t('networks.organization')}</th><th scope="col">{t('networks.roleLabel')}</th>
                <th scope="col">{t('networks.joinedOn')}</th><th scope="col">{t('networks.act')}</th>
                <th scope="col">{t('networks.withdrawnOn')}</th>
              </tr></thead>
              <tbody>
                {members.data.items.map((m: Member) => (
                  <tr key={m.id} data-active={m.active}>
                    <th scope="row" data-label={t('networks.organization')}>{m.organization.name}
                      <div className="small text-secondary fw-normal">{t(`orgKind.${m.organization_kind}`)}</div></th>
                    <td data-label={t('networks.roleLabel')}>{t(`networks.role.${m.role}`)}</td>
                    <td data-label={t('networks.joinedOn')}>{formatDate(m.joined_on)}</td>
                    <td data-label={t('networks.act')}>{m.approval_act
                      ? t('networks.actText', { number: m.approval_act.number, date: formatDate(m.approval_act.date) }) : '—'}</td>
                    <td data-label={t('networks.withdrawnOn')}>{m.withdrawn_on ? `${formatDate(m.withdrawn_on)}${m.withdrawal_reason ? ` — ${m.withdrawal_reason}` : ''}` : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}

function useAmount() {
  const { t } = useTranslation();
  return (a: Amounts) => [a.amount_cents ? formatCents(a.amount_cents) : null, a.hours ? t('networks.hours', { count: a.hours }) : null]
    .filter(Boolean).join(' + ') || '—';
}

function Resources({ id }: { id: string }) {
  const { t } = useTranslation();
  const amount = useAmount();
  const resources = useQuery({
    queryKey: queryKeys.sub('networks', id, 'resources'),
    queryFn: () => unwrap(api.GET('/api/v1/networks/{id}/resources', { params: { path: { id }, query: { limit: 200 } } })),
  });
  return (
    <section className="mb-4" aria-labelledby="resources-h" data-testid="resources">
      <h2 className="h4" id="resources-h">{t('networks.resourcesTitle')}</h2>
      {resources.isPending && <Loading />}
      {resources.isError && <ErrorState error={resources.error} />}
      {resources.data && (
        <>
          <p data-testid="resources-total"><strong>{t('networks.total')}</strong> {amount(resources.data.totals.network)}</p>
          {resources.data.totals.by_kind.length > 0 && (
            <ul>
              {resources.data.totals.by_kind.map((k) => (
                <li key={k.kind}>{t(`networks.resourceKind.${k.kind}`)}: {amount(k)}</li>
              ))}
            </ul>
          )}
          {resources.data.items.length === 0 ? <p>{t('networks.noResources')}</p> : (
            <div className="table-responsive">
              <table className="table app-stack-table">
                <caption className="visually-hidden">{t('networks.resourcesTitle')}</caption>
                <thead><tr>
                  <th scope="col">{t('networks.organization')}</th><th scope="col">{t('networks.resourceKindLabel')}</th>
                  <th scope="col">{t('networks.amount')}</th><th scope="col">{t('networks.period')}</th>
                  <th scope="col">{t('referrals.status')}</th>
                </tr></thead>
                <tbody>
                  {resources.data.items.map((r) => (
                    <tr key={r.id}>
                      <th scope="row" data-label={t('networks.organization')}>{r.organization.name}
                        {r.description && <div className="small text-secondary fw-normal">{r.description}</div>}</th>
                      <td data-label={t('networks.resourceKindLabel')}>{t(`networks.resourceKind.${r.kind}`)}</td>
                      <td data-label={t('networks.amount')}>{amount({ amount_cents: r.amount_cents ?? 0, hours: r.hours ?? 0, count: 1 })}</td>
                      <td data-label={t('networks.period')}>{[r.valid_from, r.valid_to].map((d) => (d ? formatDate(d) : '…')).join(' – ')}</td>
                      <td data-label={t('referrals.status')}><StatusBadge kind="resource" status={r.status} /></td>
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

function ReasonDialog({ id, to, onClose }: { id: string; to: 'suspend' | 'close'; onClose: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const errors = useFormErrors();
  const invalidate = useNetworkInvalidate();
  const m = useMutation({
    mutationFn: () => unwrap(to === 'suspend'
      ? api.POST('/api/v1/networks/{id}/suspend', { params: { path: { id } }, body: { reason: reason.trim() } })
      : api.POST('/api/v1/networks/{id}/close', { params: { path: { id } }, body: { reason: reason.trim() } })),
    onSuccess: async () => { await invalidate(); onClose(); },
    onError: (e) => errors.fromError(e),
  });
  return (
    <FormDialog isOpen title={t(`networks.${to}`)} submitLabel={t(`networks.${to}`)} pending={m.isPending} general={errors.general}
                onCancel={onClose} onSubmit={() => {
                  if (!reason.trim()) { errors.setFields({ reason: t('validation.required') }); return; }
                  m.mutate();
                }}>
      <TextAreaField id="reason" label={t('networks.reason')} required value={reason} error={errors.fields.reason}
                     onChange={(e) => { setReason(e.target.value); errors.clearField('reason'); }} />
    </FormDialog>
  );
}
