// "Partecipa": anyone — a councillor, an assessor, a citizen, an organization — reads which
// networks of the territory accept new adherents and what each is for, and asks to join one
// without an account (seed 000: "sarà contattato e invitato ai prossimi incontri"). The form
// shows the privacy notice whose version is sent with the request; the answer never echoes
// what was sent. A hidden field that people never see (the honeypot) stays empty.
import { useMutation, useQuery } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { isApiError } from '../../api/problem';
import { ErrorSummary, SelectField, TextAreaField, TextField } from '../../components/Form';
import { Page } from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import { errorMessage } from '../../components/errors';
import { useFormErrors } from '../../components/useFormErrors';
import { CAPACITIES, listPublicNetworks, retryAfterOf, sendJoinRequest, type Capacity, type PublicNetwork } from './publicApi';

const PUBLIC_NETWORKS = ['public', 'networks'] as const;

function usePublicNetworks() {
  return useQuery({ queryKey: PUBLIC_NETWORKS, queryFn: listPublicNetworks, staleTime: 60_000 });
}

function NetworkFacts({ n }: { n: PublicNetwork }) {
  const { t } = useTranslation();
  return (
    <>
      {n.purpose && <p className="mb-2">{n.purpose}</p>}
      {n.objectives.length > 0 && (
        <p className="mb-2"><strong>{t('join.objectives')}</strong> {n.objectives.map((o) => t(`networks.objective.${o}`)).join('; ')}</p>
      )}
      <p className="small text-secondary mb-2">
        {[n.district_name, n.coordinating_organization_name ? t('join.coordinatedBy', { name: n.coordinating_organization_name }) : null]
          .filter(Boolean).join(' · ')}
      </p>
    </>
  );
}

export function JoinNetworksPage() {
  const { t } = useTranslation();
  const q = usePublicNetworks();
  return (
    <Page title={t('join.title')} subtitle={t('join.subtitle')}>
      {q.isPending && <Loading />}
      {q.isError && <ErrorState error={q.error} onRetry={() => void q.refetch()} />}
      {q.data && (q.data.items.length === 0 ? <p>{t('join.empty')}</p> : (
        <>
          <p>{t('join.count', { count: q.data.items.length })}</p>
          <ul className="list-unstyled" data-testid="public-networks">
            {q.data.items.map((n) => (
              <li key={n.id} className="card card-bg mb-3">
                <div className="card-body">
                  <h2 className="h5 card-title">{n.name}</h2>
                  <p className="small text-secondary mb-2">{t(`networks.kind.${n.kind}`)}</p>
                  <NetworkFacts n={n} />
                  <Link to={`/partecipa/${encodeURIComponent(n.id)}`} className="btn btn-primary btn-sm">
                    {t('join.ask')}{' '}<span className="visually-hidden">— {n.name}</span>
                  </Link>
                </div>
              </li>
            ))}
          </ul>
        </>
      ))}
    </Page>
  );
}

interface Form {
  name: string;
  organization: string;
  capacity: Capacity | '';
  email: string;
  phone: string;
  message: string;
  website: string;
  privacy: boolean;
}

const EMPTY: Form = { name: '', organization: '', capacity: '', email: '', phone: '', message: '', website: '', privacy: false };
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function JoinRequestPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const q = usePublicNetworks();
  const network = q.data?.items.find((n) => n.id === id);
  const crumbs = [{ label: t('join.title'), to: '/partecipa' }];
  if (q.isPending) return <Page title={t('join.formTitle')} crumbs={crumbs}><Loading /></Page>;
  if (q.isError) return <Page title={t('join.formTitle')} crumbs={crumbs}><ErrorState error={q.error} onRetry={() => void q.refetch()} /></Page>;
  if (!network) {
    return (
      <Page title={t('join.formTitle')} crumbs={crumbs}>
        <p>{t('join.notOpen')}</p>
        <Link to="/partecipa">{t('join.back')}</Link>
      </Page>
    );
  }
  return (
    <Page title={t('join.formTitleOf', { name: network.name })} subtitle={t(`networks.kind.${network.kind}`)} crumbs={crumbs}>
      <NetworkFacts n={network} />
      <JoinForm network={network} notice={q.data!.privacy_notice} />
    </Page>
  );
}

function JoinForm({ network, notice }: { network: PublicNetwork; notice: { version: string; text: string } }) {
  const { t } = useTranslation();
  const [form, setForm] = useState<Form>(EMPTY);
  const errors = useFormErrors();
  const set = <K extends keyof Form>(k: K, v: Form[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    errors.clearField(k);
    if (k === 'email' || k === 'phone') { errors.clearField('email'); errors.clearField('phone'); errors.clearField('contact'); }
  };
  const send = useMutation({
    mutationFn: () => sendJoinRequest(network.id, {
      name: form.name.trim(), organization: form.organization.trim() || null, capacity: form.capacity || null,
      email: form.email.trim() || null, phone: form.phone.trim() || null, message: form.message.trim() || null,
      privacy_notice_version: notice.version, website: form.website,
    }),
    onError: (e) => {
      if (isApiError(e) && e.status === 429) {
        const seconds = retryAfterOf(e);
        errors.setFields({});
        errors.setGeneral(seconds ? t('join.tooManyIn', { count: Math.max(1, Math.ceil(seconds / 60)) }) : t('join.tooMany'));
      } else if (isApiError(e) && e.status === 404) {
        errors.setFields({});
        errors.setGeneral(t('join.notOpen'));
      } else if (!errors.fromError(e)) {
        errors.setGeneral(errorMessage(t, e));
      }
    },
  });

  if (send.isSuccess) {
    return (
      <div className="alert alert-success" role="status" data-testid="join-received">
        <h2 className="h5">{t('join.receivedTitle')}</h2>
        <p className="mb-2">{t('join.receivedText')}</p>
        <Link to="/partecipa">{t('join.back')}</Link>
      </div>
    );
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (form.name.trim().length < 2) missing.name = form.name.trim() ? t('validation.too_short') : t('validation.required');
    if (!form.email.trim() && !form.phone.trim()) missing.email = t('join.contactRequired');
    else if (form.email.trim() && !EMAIL.test(form.email.trim())) missing.email = t('validation.invalid_email');
    if (form.phone.trim() && !/^[\d\s+\-/.()]{6,30}$/.test(form.phone.trim())) missing.phone = t('validation.format');
    if (!form.privacy) missing.privacy = t('join.privacyRequired');
    if (Object.keys(missing).length) {
      errors.setGeneral(null);
      errors.setFields(missing);
      return;
    }
    send.mutate();
  }

  return (
    <form onSubmit={onSubmit} noValidate className="col-lg-8 px-0" data-testid="join-form">
      <ErrorSummary errors={errors.fields} general={errors.general} fieldIds={{ contact: 'email', privacy_notice_version: 'privacy' }} />
      <TextField id="name" label={t('join.name')} required autoComplete="name" maxLength={200} value={form.name}
                 error={errors.fields.name} onChange={(e) => set('name', e.target.value)} />
      <SelectField id="capacity" label={t('join.capacity')} value={form.capacity} error={errors.fields.capacity}
                   placeholder={t('join.capacityNone')} onChange={(e) => set('capacity', e.target.value as Capacity | '')}
                   options={CAPACITIES.map((c) => ({ value: c, label: t(`join.capacities.${c}`) }))} />
      <TextField id="organization" label={t('join.organization')} hint={t('join.organizationHint')} autoComplete="organization"
                 maxLength={200} value={form.organization} error={errors.fields.organization}
                 onChange={(e) => set('organization', e.target.value)} />
      <p id="contact-hint" className="small mb-2">{t('join.contactHint')}</p>
      <div className="row">
        <div className="col-12 col-md-6">
          <TextField id="email" type="email" label={t('join.email')} autoComplete="email" maxLength={254} value={form.email}
                     error={errors.fields.email ?? errors.fields.contact} onChange={(e) => set('email', e.target.value)} />
        </div>
        <div className="col-12 col-md-6">
          <TextField id="phone" type="tel" label={t('join.phone')} autoComplete="tel" maxLength={30} value={form.phone}
                     error={errors.fields.phone} onChange={(e) => set('phone', e.target.value)} />
        </div>
      </div>
      <TextAreaField id="message" label={t('join.message')} maxLength={2000} value={form.message} error={errors.fields.message}
                     onChange={(e) => set('message', e.target.value)} />
      {/* The honeypot: hidden from people and from assistive technology, never reached by Tab. */}
      <div className="visually-hidden" aria-hidden="true">
        <label htmlFor="website">{t('join.website')}</label>
        <input id="website" name="website" type="text" tabIndex={-1} autoComplete="off" value={form.website}
               onChange={(e) => setForm((f) => ({ ...f, website: e.target.value }))} />
      </div>
      <section className="border rounded p-3 mb-3" aria-labelledby="privacy-h" data-testid="privacy-notice">
        <h2 className="h6" id="privacy-h">{t('join.privacyTitle')}</h2>
        <p className="small mb-0" style={{ whiteSpace: 'pre-line' }}>{notice.text}</p>
      </section>
      <div className="form-check mb-4">
        <input id="privacy" type="checkbox" checked={form.privacy} aria-invalid={errors.fields.privacy ? true : undefined}
               aria-describedby={errors.fields.privacy ? 'privacy-error' : undefined}
               onChange={(e) => set('privacy', e.target.checked)} />
        <label htmlFor="privacy">{t('join.privacyRead')}</label>
        {(errors.fields.privacy ?? errors.fields.privacy_notice_version) && (
          <div id="privacy-error" className="invalid-feedback d-block" role="alert">{errors.fields.privacy ?? errors.fields.privacy_notice_version}</div>
        )}
      </div>
      <Button color="primary" type="submit" disabled={send.isPending}>{send.isPending ? t('join.sending') : t('join.send')}</Button>
    </form>
  );
}
