// "Richieste di adesione": the requests people sent from the public page, as the network's
// coordinators see them — who, in what capacity, how to reach them, what they wrote — with
// accept (the organization joins: an existing one, or one made from the request with its kind)
// and decline (with a reason), as each request's `allowed_actions` say.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ENUMS } from '../../api/enums.gen';
import { isApiError } from '../../api/problem';
import { queryKeys } from '../../api/queryKeys';
import type { components } from '../../api/schema';
import type { JoinRequest } from '../../api/types';
import { ActionBar } from '../../components/Actions';
import { ErrorSummary, SelectField, TextAreaField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { ErrorState, Loading } from '../../components/States';
import { useFormErrors } from '../../components/useFormErrors';
import { formatDateTime } from '../../lib/format';
import { useAllOrganizations } from '../admin/queries';
import { useNetworkInvalidate } from './NetworkDialogs';

type Role = components['schemas']['MemberRole'];
type OrgKind = components['schemas']['OrganizationKind'];

export function JoinRequests({ networkId }: { networkId: string }) {
  const { t } = useTranslation();
  const [deciding, setDeciding] = useState<{ request: JoinRequest; to: 'accept' | 'decline' } | null>(null);
  const q = useQuery({
    queryKey: queryKeys.sub('networks', networkId, 'join-requests'),
    queryFn: () => unwrap(api.GET('/api/v1/networks/{id}/join-requests', {
      params: { path: { id: networkId }, query: { limit: 200, status: 'pending' } },
    })),
  });
  // Not theirs to see (the API answers 404 to anyone who does not manage the network): nothing shown.
  if (q.isError && isApiError(q.error) && q.error.status === 404) return null;
  return (
    <section className="mb-4" aria-labelledby="join-requests-h" data-testid="join-requests">
      <h2 className="h4" id="join-requests-h">{t('networks.requestsTitle')}</h2>
      {q.isPending && <Loading />}
      {q.isError && <ErrorState error={q.error} onRetry={() => void q.refetch()} />}
      {q.data && (q.data.items.length === 0 ? <p>{t('networks.noRequests')}</p> : (
        <ul className="list-unstyled">
          {q.data.items.map((r) => (
            <li key={r.id} className="border rounded p-3 mb-2" data-testid="join-request">
              <p className="fw-semibold mb-1">{r.name}
                {r.capacity && <span className="fw-normal"> — {t(`join.capacities.${r.capacity}`)}</span>}</p>
              {r.organization && <p className="mb-1">{r.organization}</p>}
              <p className="small mb-1">{[r.email, r.phone].filter(Boolean).join(' · ')}</p>
              {r.message && <p className="mb-1" style={{ whiteSpace: 'pre-line' }}>{r.message}</p>}
              <p className="small text-secondary mb-2">{t('networks.requestReceived', { when: formatDateTime(r.created_at) })}</p>
              <ActionBar record={r} size="sm" items={[
                { action: 'accept', label: t('networks.accept'), context: r.name, onClick: () => setDeciding({ request: r, to: 'accept' }) },
                { action: 'decline', label: t('networks.decline'), context: r.name, color: 'danger', outline: true,
                  onClick: () => setDeciding({ request: r, to: 'decline' }) },
              ]} />
            </li>
          ))}
        </ul>
      ))}
      {deciding?.to === 'accept' && <AcceptDialog request={deciding.request} onClose={() => setDeciding(null)} />}
      {deciding?.to === 'decline' && <DeclineDialog request={deciding.request} onClose={() => setDeciding(null)} />}
    </section>
  );
}

function AcceptDialog({ request, onClose }: { request: JoinRequest; onClose: () => void }) {
  const { t } = useTranslation();
  const organizations = useAllOrganizations();
  const invalidate = useNetworkInvalidate();
  const errors = useFormErrors();
  const [organization, setOrganization] = useState('');
  const [kind, setKind] = useState<OrgKind | ''>('');
  const [role, setRole] = useState<Role>('member');
  const m = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/join-requests/{id}/accept', {
      params: { path: { id: request.id } },
      body: { organization_id: organization || null, kind: organization ? null : (kind || null), role },
    })),
    onSuccess: async () => { await invalidate(); onClose(); },
    onError: (e) => errors.fromError(e),
  });
  function submit() {
    if (!organization && !kind) {
      errors.setGeneral(null);
      errors.setFields({ kind: t('networks.kindOrExisting') });
      return;
    }
    m.mutate();
  }
  return (
    <FormDialog isOpen title={t('networks.acceptTitle', { name: request.name })} submitLabel={t('networks.accept')} pending={m.isPending}
                general={errors.general} onCancel={onClose} onSubmit={submit}>
      <ErrorSummary errors={errors.fields} />
      <SelectField id="organization_id" label={t('networks.existingOrganization')} value={organization} error={errors.fields.organization_id}
                   placeholder={t('networks.newOrganization', { name: request.organization || request.name })}
                   options={(organizations.data ?? []).filter((o) => o.active).map((o) => ({ value: o.id, label: o.name }))}
                   onChange={(e) => { setOrganization(e.target.value); errors.clearField('organization_id'); errors.clearField('kind'); }} />
      {!organization && (
        <SelectField id="kind" label={t('networks.newOrganizationKind')} required value={kind} error={errors.fields.kind}
                     placeholder={t('networks.choose')}
                     options={(ENUMS.OrganizationKind as readonly OrgKind[]).map((k) => ({ value: k, label: t(`orgKind.${k}`) }))}
                     onChange={(e) => { setKind(e.target.value as OrgKind); errors.clearField('kind'); }} />
      )}
      <SelectField id="role" label={t('networks.roleLabel')} value={role}
                   options={(ENUMS.MemberRole as readonly Role[]).map((r) => ({ value: r, label: t(`networks.role.${r}`) }))}
                   onChange={(e) => setRole(e.target.value as Role)} />
    </FormDialog>
  );
}

function DeclineDialog({ request, onClose }: { request: JoinRequest; onClose: () => void }) {
  const { t } = useTranslation();
  const invalidate = useNetworkInvalidate();
  const errors = useFormErrors();
  const [reason, setReason] = useState('');
  const m = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/join-requests/{id}/decline', { params: { path: { id: request.id } }, body: { reason: reason.trim() } })),
    onSuccess: async () => { await invalidate(); onClose(); },
    onError: (e) => errors.fromError(e),
  });
  return (
    <FormDialog isOpen danger title={t('networks.declineTitle', { name: request.name })} submitLabel={t('networks.decline')}
                pending={m.isPending} general={errors.general} onCancel={onClose}
                onSubmit={() => {
                  if (!reason.trim()) { errors.setGeneral(null); errors.setFields({ reason: t('validation.required') }); return; }
                  m.mutate();
                }}>
      <ErrorSummary errors={errors.fields} />
      <TextAreaField id="reason" label={t('networks.reason')} required value={reason} error={errors.fields.reason} maxLength={2000}
                     onChange={(e) => { setReason(e.target.value); errors.clearField('reason'); }} />
    </FormDialog>
  );
}
