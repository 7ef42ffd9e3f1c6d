// "Nuova segnalazione": the person by codice fiscale (found, or created inline), then the
// referral itself; saved as a draft or submitted at once. The coordinator uses the same page to
// record a referral that reached the Ufficio di Piano by phone, letter, e-mail or in person, on
// behalf of the sending service: it goes to the table at once. When the person already has a
// referral open at the table, the server answers 409 open_referral_exists: the page says so,
// links the open referral when the caller may see it, and sends another only with a reason.
// Before it goes to the table the person's privacy notice (informativa) for the services must be
// recorded: the page asks how it was given (fieldset "Informativa privacy") and records it first;
// the coordinator may send without it, with a reason the API audits.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button } from 'design-react-kit';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, unwrap, unwrapVersioned } from '../../api/client';
import { ifMatch, type Versioned } from '../../api/etag';
import { queryKeys } from '../../api/queryKeys';
import { isApiError } from '../../api/problem';
import type { Problem } from '../../api/problem';
import type { Person, PersonInput, ReceivedVia, Referral } from '../../api/types';
import { RECEIVED_VIAS } from '../../api/types';
import { ErrorSummary, SelectField, TextAreaField, TextField } from '../../components/Form';
import { useAuth } from '../../auth/AuthContext';
import { useAllOrganizations } from '../admin/queries';
import { Page } from '../../components/Page';
import { useFormErrors } from '../../components/useFormErrors';
import { useUnsavedChanges } from '../../components/useUnsavedChanges';
import { checkTaxCode, normalizeTaxCode } from '../../lib/taxCode';
import {
  EMPTY_PERSON, LookupStatus, NewPersonFields, PersonCard, prefillFromTaxCode, taxCodeMessage, usePersonByTaxCode,
  validatePerson, type NewPersonForm,
} from './PersonLookup';
import { EMPTY_REFERRAL, ReferralFields, validateReferral, type ReferralForm } from './ReferralFields';
import {
  EMPTY_NOTICE_CHOICE, NoticeFieldset, useServicesNotice, usePersonConsents, validateNotice, type NoticeChoice,
} from '../privacy/Consents';
import { privacyApi, servicesNotice } from '../privacy/api';
import {
  EligibilityFields, EligibilityPreview, eligibilityOf, eligibilityPatch, EMPTY_ELIGIBILITY, type EligibilityForm,
} from './Eligibility';

export function NewReferralPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [taxCode, setTaxCode] = useState('');
  const [person, setPerson] = useState<NewPersonForm>(EMPTY_PERSON);
  const [referral, setReferral] = useState<ReferralForm>(EMPTY_REFERRAL);
  const [createdPerson, setCreatedPerson] = useState<Person | null>(null);
  // Set once the referral exists (with the version it was created at), so that retrying after a
  // failed submit does not create another but changes this one.
  const [createdReferral, setCreatedReferral] = useState<Versioned<Referral> | null>(null);
  const errors = useFormErrors();
  const { me } = useAuth();
  const onBehalf = me?.role === 'coordinator';
  const services = useAllOrganizations({}, onBehalf);
  const [sender, setSender] = useState('');
  const [receivedVia, setReceivedVia] = useState<ReceivedVia | ''>('');
  // The server's 409 open_referral_exists, and the reason the caller then gives to send anyway.
  const [openElsewhere, setOpenElsewhere] = useState<Problem | null>(null);
  const [duplicateReason, setDuplicateReason] = useState('');
  const info = checkTaxCode(taxCode);
  const lookup = usePersonByTaxCode(taxCode);
  const found = createdPerson ?? (info.ok ? lookup.data ?? null : null);
  const isNew = info.ok && lookup.isSuccess && lookup.data === null && !createdPerson;
  const dirty = taxCode !== '' || JSON.stringify(referral) !== JSON.stringify(EMPTY_REFERRAL);
  const { dialog, bypass } = useUnsavedChanges(dirty);
  const liveTaxCodeError = taxCodeMessage(info, taxCode, t);
  // The notice in force (null: the district keeps none, nothing to record) and whether the person has it.
  const notice = useServicesNotice();
  const consents = usePersonConsents(found && !createdPerson ? found.id : undefined);
  const [noticeChoice, setNoticeChoice] = useState<NoticeChoice>(EMPTY_NOTICE_CHOICE);
  const [noticeRecorded, setNoticeRecorded] = useState(false);
  const givenNotice = servicesNotice(consents.data?.items);
  // A person the caller finds by code but whose legal basis it may not read (registered and
  // followed by another service): nothing is asked here, the API says whether the notice is missing.
  const consentsHidden = !!found && !createdPerson && consents.isError;
  const needsNotice = !!notice && !givenNotice && !noticeRecorded && !consentsHidden;
  // What decides eligibility, for a new person or the one found (prefilled from the record).
  const [elig, setElig] = useState<EligibilityForm>(EMPTY_ELIGIBILITY);
  const foundId = found?.id;
  useEffect(() => {
    setElig(found ? eligibilityOf(found) : EMPTY_ELIGIBILITY);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [foundId]);
  // Whoever registers a person sees its special categories; on record, the API says (`sensitive`).
  const seesSensitive = found ? !!found.sensitive : true;
  const setE = <K extends keyof EligibilityForm>(k: K, v: EligibilityForm[K]) => {
    setElig((f) => ({ ...f, [k]: v }));
    errors.clearField(k);
  };

  const setP = <K extends keyof NewPersonForm>(k: K, v: NewPersonForm[K]) => {
    setPerson((p) => ({ ...p, [k]: v }));
    errors.clearField(k);
  };
  const setR = <K extends keyof ReferralForm>(k: K, v: ReferralForm[K]) => {
    setReferral((r) => ({ ...r, [k]: v }));
    errors.clearField(k);
  };

  const save = useMutation({
    mutationFn: async (submit: boolean) => {
      let p = found;
      if (!p) {
        const body: PersonInput = {
          tax_code: normalizeTaxCode(taxCode), first_name: person.first_name.trim(), last_name: person.last_name.trim(),
          birth_date: person.birth_date, gender: person.gender as 'F' | 'M',
          residence_municipality_code: person.residence_municipality_code || null,
          employment_status: person.employment_status || null, education_level: person.education_level || null,
          email: person.email.trim() || null, phone: person.phone.trim() || null,
          citizenship: elig.citizenship.trim() || null, cluster: elig.cluster || null, target_groups: elig.target_groups,
          has_disability: elig.has_disability, criminal_justice: elig.criminal_justice,
        };
        try {
          p = await unwrap(api.POST('/api/v1/persons', { body }));
        } catch (e) {
          // Someone registered the same code meanwhile: use that person.
          if (isApiError(e) && e.status === 409 && e.problem?.existing_id) {
            p = await unwrap(api.GET('/api/v1/persons/{id}', { params: { path: { id: e.problem.existing_id } } }));
          } else throw e;
        }
        setCreatedPerson(p);
      } else {
        // The requirements changed in this form are saved on the person's record first.
        const changes = eligibilityPatch(p, elig, !!p.sensitive);
        if (Object.keys(changes).length > 0) {
          const current = await unwrapVersioned(api.GET('/api/v1/persons/{id}', { params: { path: { id: p.id } } }));
          p = (await unwrapVersioned(api.PATCH('/api/v1/persons/{id}', {
            params: { path: { id: p.id }, header: ifMatch(current.etag) }, body: changes,
          }))).record;
          await qc.invalidateQueries({ queryKey: queryKeys.all('persons') });
        }
      }
      // The notice as given now, recorded once (a retry after a failed submit does not repeat it).
      if (notice && needsNotice && noticeChoice.method && !noticeChoice.override) {
        await privacyApi.recordConsent(p.id, { kind: 'notice', notice_id: notice.id, method: noticeChoice.method });
        setNoticeRecorded(true);
      }
      const why = openElsewhere && duplicateReason.trim() ? { duplicate_reason: duplicateReason.trim() } : {};
      const fields = { needs: referral.needs, reason: referral.reason.trim(), urgency: referral.urgency, source: referral.source || undefined, ...why };
      if (onBehalf) {
        const override = needsNotice && noticeChoice.override ? { notice_override_reason: noticeChoice.reason.trim() } : {};
        // Recorded on behalf of the service: created already sent to the table.
        return unwrap(api.POST('/api/v1/referrals', {
          body: { person_id: p.id, ...fields, organization_id: sender, received_via: receivedVia as ReceivedVia, ...override },
        }));
      }
      const created = createdReferral
        ? await unwrapVersioned(api.PATCH('/api/v1/referrals/{id}', {
          params: { path: { id: createdReferral.record.id }, header: ifMatch(createdReferral.etag) }, body: fields,
        }))
        : await unwrapVersioned(api.POST('/api/v1/referrals', { body: { person_id: p.id, ...fields } }));
      setCreatedReferral(created);
      if (!submit) return created.record;
      return unwrap(api.POST('/api/v1/referrals/{id}/submit', { params: { path: { id: created.record.id } }, body: {} }));
    },
    onSuccess: async (r) => {
      bypass();
      await qc.invalidateQueries({ queryKey: queryKeys.all('referrals') });
      navigate(`/referrals/${r.id}`, { state: { saved: r.status } });
    },
    onError: (e) => {
      if (isApiError(e) && e.code === 'open_referral_exists') {
        setOpenElsewhere(e.problem);
        errors.setGeneral(null);
        errors.setFields({});
        return;
      }
      if (isApiError(e) && e.code === 'notice_missing' && needsNotice) {
        errors.setGeneral(null);
        errors.setFields({ notice_method: t('privacy.missingText') });
        return;
      }
      errors.fromError(e);
    },
  });

  function onSubmit(submit: boolean) {
    return (e?: FormEvent) => {
      e?.preventDefault();
      const missing: Record<string, string> = {};
      if (!info.ok) missing.tax_code = liveTaxCodeError ?? t(info.problem === 'empty' ? 'validation.required' : `taxCode.${info.problem}`);
      else if (isNew) Object.assign(missing, validatePerson(taxCode, person, t));
      else if (!found) missing.tax_code = t('person.lookupPending');
      Object.assign(missing, validateReferral(referral, t));
      if (onBehalf && !sender) missing.organization_id = t('validation.required');
      if (onBehalf && !receivedVia) missing.received_via = t('validation.required');
      if (openElsewhere && duplicateReason.trim().length < 3) missing.duplicate_reason = t('referrals.duplicateReasonRequired');
      // A draft may wait for the notice; what goes to the table needs it (or the coordinator's reason).
      if ((submit || onBehalf) && needsNotice && (isNew || found)) Object.assign(missing, validateNotice(noticeChoice, t));
      if (Object.keys(missing).length) {
        errors.setGeneral(null);
        errors.setFields(missing);
        return;
      }
      save.mutate(submit);
    };
  }

  return (
    <Page title={t('nav.newReferral')} crumbs={[{ label: t('nav.myReferrals'), to: '/referrals' }, { label: t('nav.newReferral') }]}>
      <form onSubmit={onSubmit(true)} noValidate className="col-lg-9 px-0">
        {dialog}
        <ErrorSummary errors={errors.fields} general={errors.general} />
        <h2 className="h4">{t('referrals.step1')}</h2>
        <TextField id="tax_code" label={t('person.taxCode')} required value={taxCode} disabled={!!createdPerson}
                   error={errors.fields.tax_code ?? liveTaxCodeError} maxLength={20} autoComplete="off" spellCheck={false}
                   hint={info.ok ? t('taxCode.valid') : t('taxCode.hint')} className="col-md-6 px-0"
                   onChange={(e) => {
                     setTaxCode(e.target.value.toUpperCase());
                     errors.clearField('tax_code');
                     const next = e.target.value;
                     if (checkTaxCode(next).ok) setPerson((p) => prefillFromTaxCode(next, p));
                   }} />
        <div aria-live="polite">
          {info.ok && <LookupStatus query={lookup} />}
          {found && (
            <>
              <p className="fw-semibold">{createdPerson ? t('person.created') : t('person.found')}</p>
              <PersonCard person={found} />
            </>
          )}
          {isNew && <p className="fw-semibold">{t('person.notFound')}</p>}
        </div>
        {isNew && <NewPersonFields taxCode={taxCode} form={person} set={setP} errors={errors.fields} />}
        {(isNew || found) && (
          <>
            <EligibilityFields form={elig} set={setE} errors={errors.fields} seesSensitive={seesSensitive} />
            <EligibilityPreview draft={{
              birth_date: found ? found.birth_date : person.birth_date,
              employment_status: found ? found.employment_status ?? null : person.employment_status,
              residence_municipality_code: found ? found.residence?.istat_code ?? null : person.residence_municipality_code || null,
              form: elig,
            }} />
            {notice && !consentsHidden && !(found && !createdPerson && consents.isPending) && (
              <NoticeFieldset notice={notice} given={givenNotice} choice={noticeChoice} canOverride={onBehalf} errors={errors.fields}
                              set={(next) => { setNoticeChoice(next); errors.clearField('notice_method'); errors.clearField('notice_override_reason'); }} />
            )}
          </>
        )}

        <h2 className="h4 mt-4">{t('referrals.step2')}</h2>
        {onBehalf && (
          <div className="row">
            <SelectField id="organization_id" label={t('referrals.sender')} required className="col-md-6"
                         value={sender} error={errors.fields.organization_id} placeholder={t('common.choose')}
                         hint={t('referrals.senderHint')}
                         options={(services.data ?? []).filter((o) => o.active && o.kind !== 'planning_office' && o.kind !== 'accredited_agency')
                           .map((o) => ({ value: o.id, label: o.name }))}
                         onChange={(e) => { setSender(e.target.value); errors.clearField('organization_id'); }} />
            <SelectField id="received_via" label={t('referrals.receivedVia')} required className="col-md-6"
                         value={receivedVia} error={errors.fields.received_via} placeholder={t('common.choose')}
                         options={RECEIVED_VIAS.map((v) => ({ value: v, label: t(`receivedVia.${v}`) }))}
                         onChange={(e) => { setReceivedVia(e.target.value as ReceivedVia); errors.clearField('received_via'); }} />
          </div>
        )}
        <ReferralFields form={referral} set={setR} errors={errors.fields} />
        {openElsewhere && (
          <Alert color="warning" role="alert" className="mb-4">
            <h3 className="h5">{t('referrals.openElsewhereTitle')}</h3>
            <p>{openElsewhere.detail}</p>
            {openElsewhere.existing_id && (
              <p><Link to={`/referrals/${openElsewhere.existing_id}`}>{t('referrals.openElsewhereGo')}</Link></p>
            )}
            <TextAreaField id="duplicate_reason" label={t('referrals.duplicateReason')} required rows={3} maxLength={2000}
                           hint={t('referrals.duplicateReasonHint')} value={duplicateReason} error={errors.fields.duplicate_reason}
                           onChange={(e) => { setDuplicateReason(e.target.value); errors.clearField('duplicate_reason'); }} />
          </Alert>
        )}
        <div className="d-flex flex-wrap gap-2">
          <Button color="primary" type="submit" disabled={save.isPending}>
            {save.isPending ? t('common.saving') : openElsewhere ? t('referrals.submitAnyway') : onBehalf ? t('referrals.recordAndSubmit') : t('referrals.saveAndSubmit')}
          </Button>
          {!onBehalf && (
            <Button color="primary" outline type="button" disabled={save.isPending} onClick={() => onSubmit(false)()}>
              {t('referrals.saveDraft')}
            </Button>
          )}
          <Link to="/referrals" className="btn btn-outline-secondary">{t('common.cancel')}</Link>
        </div>
      </form>
    </Page>
  );
}
