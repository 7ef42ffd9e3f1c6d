// "Richieste di adesione": the requests people sent from the public page, as the network's
// coordinators see them — who, in what capacity, how to reach them, what they wrote — with
// accept (the organization joins: an existing one, or one made from the request with its kind)
// and decline (with a reason), as each request's `allowed_actions` say.
// Typed by hand after the `join` branch's handlers (GET /networks/{id}/join-requests,
// POST /join-requests/{id}/accept|decline): openapi.yaml does not list them yet; switch to the
// generated types once it does.
import './messages';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { API_ORIGIN, API_PREFIX } from '../../api/base';
import { authFetch } from '../../api/authFetch';
import { ENUMS } from '../../api/enums.gen';
import { ApiError, isApiError } from '../../api/problem';
import { queryKeys } from '../../api/queryKeys';
import type { components } from '../../api/schema';
import i18n from '../../i18n';
import { ErrorSummary, SelectField, TextAreaField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { ErrorState, Loading } from '../../components/States';
import { useFormErrors } from '../../components/useFormErrors';
import { formatDateTime } from '../../lib/format';
import { useAllOrganizations } from '../admin/queries';
import type { Capacity } from '../join/publicApi';
import { useNetworkInvalidate } from './NetworkDialogs';

type Role = components['schemas']['MemberRole'];
type OrgKind = components['schemas']['OrganizationKind'];

export interface JoinRequest {
  id: string;
  network_id: string;
  name: string;
  organization?: string | null;
  capacity?: Capacity | null;
  email?: string | null;
  phone?: string | null;
  message?: string | null;
  status: 'pending' | 'accepted' | 'declined';
  created_at: string;
  allowed_actions: string[];
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await authFetch(new Request(`${API_ORIGIN}${API_PREFIX}${path}`, {
      method,
      headers: {
        Accept: 'application/json, application/problem+json', 'Accept-Language': i18n.language === 'en' ? 'en' : 'it',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    }));
  } catch (e) {
    throw ApiError.network(e);
  }
  const text = await res.text();
  let data: unknown = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!res.ok) throw ApiError.fromResponse(res, data);
  return data as T;
}

export function JoinRequests({ networkId }: { networkId: string }) {
  const { t } = useTranslation();
  const [deciding, setDeciding] = useState<{ request: JoinRequest; to: 'accept' | 'decline' } | null>(null);
  const q = useQuery({
    queryKey: queryKeys.sub('networks', networkId, 'join-requests'),
    queryFn: () => call<{ items: JoinRequest[] }>('GET', `/networks/${encodeURIComponent(networkId)}/join-requests?limit=200`),
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
              <div className="d-flex flex-wrap gap-2">
                {r.allowed_actions.includes('accept') && (
                  <Button color="primary" size="sm" onClick={() => setDeciding({ request: r, to: 'accept' })}>
                    {t('networks.accept')}{' '}<span className="visually-hidden">{r.name}</span>
                  </Button>
                )}
                {r.allowed_actions.includes('decline') && (
                  <Button color="danger" outline size="sm" onClick={() => setDeciding({ request: r, to: 'decline' })}>
                    {t('networks.decline')}{' '}<span className="visually-hidden">{r.name}</span>
                  </Button>
                )}
              </div>
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
    mutationFn: () => call('POST', `/join-requests/${encodeURIComponent(request.id)}/accept`, {
      organization_id: organization || null, kind: organization ? null : kind, role,
    }),
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
    mutationFn: () => call('POST', `/join-requests/${encodeURIComponent(request.id)}/decline`, { reason: reason.trim() }),
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
