// "Opportunità adatte": the board's open items that fit the person of a case (or of a referral),
// each with the rules checked and why — "mostra anche le non adatte" lists the others too, with
// the rules not met. On a case, whoever works it proposes one ("Proponi", when the case allows
// `add_opportunity_proposal`); one already proposed says "Proposta". The case's proposals list
// the answer and the result, and "Registra risposta" records them. A referral's list is read-only.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';
import type { CaseDetail } from '../../api/types';
import { allows } from '../../components/Actions';
import { DateField, isIsoDate } from '../../components/DateField';
import { ErrorSummary, RadioGroup, TextAreaField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { useFormErrors } from '../../components/useFormErrors';
import { formatDate, todayISO } from '../../lib/format';
import { showProblem } from '../networks/formErrors';
import {
  ANSWERS, caseMatchesKey, caseProposalsKey, fetchCaseProposals, referralMatchesKey, type OpportunityMatch, type Proposal, type ProposalAnswer,
} from './data';
import { Closing, Period } from './OpportunityViews';

function MatchItem({ m, children }: { m: OpportunityMatch; children?: ReactNode }) {
  const { t } = useTranslation();
  const headingId = useId();
  const o = m.opportunity;
  return (
    <li className="list-group-item" data-testid="opportunity-match" data-eligible={m.eligible ? 'true' : 'false'} aria-labelledby={headingId}>
      <div className="d-flex flex-wrap justify-content-between gap-2 align-items-start">
        <div>
          <h3 className="h6 mb-1 text-break" id={headingId}>{o.title}</h3>
          <p className="small mb-1">
            <span className={`badge ${m.eligible ? 'bg-success' : 'bg-secondary'} badge-status me-1`}>
              {m.eligible ? t('opportunities.match.fits') : t('opportunities.match.notFit')}
            </span>
            {o.kind_label} · {o.publisher}
          </p>
          <p className="small mb-1"><span className="me-3 d-inline-block"><Period o={o} /></span><span className="d-inline-block"><Closing o={o} /></span></p>
        </div>
        {children}
      </div>
      {m.reasons.length > 0 && (
        <ul className="list-unstyled small mb-0" aria-label={t('opportunities.match.reasons')}>
          {m.reasons.map((r) => (
            <li key={r.rule} data-rule={r.rule} data-met={r.met ? 'true' : 'false'} className={r.met ? 'text-success' : 'text-danger'}>
              <span aria-hidden="true">{r.met ? '✓' : '✗'}</span>{' '}
              <span className="visually-hidden">{r.met ? t('opportunities.match.fits') : t('opportunities.match.notFit')}: </span>
              <span className="text-body">{t(`eligibilityRule.${r.rule}`, { defaultValue: r.rule })} — {r.message}</span>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

function ShowAll({ id, value, onChange }: { id: string; value: boolean; onChange: (v: boolean) => void }) {
  const { t } = useTranslation();
  return (
    <div className="form-check form-switch mb-2">
      <input id={id} type="checkbox" role="switch" checked={value} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{t('opportunities.match.showAll')}</label>
    </div>
  );
}

export function CaseOpportunities({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  const [everything, setEverything] = useState(false);
  const [proposing, setProposing] = useState<OpportunityMatch | null>(null);
  const matches = useQuery({
    queryKey: caseMatchesKey(c.id, everything),
    queryFn: () => unwrap(api.GET('/api/v1/cases/{id}/opportunities', { params: { path: { id: c.id }, query: { all: everything } } })),
  });
  const mayPropose = allows(c, 'add_opportunity_proposal');
  const items = matches.data?.items ?? [];
  return (
    <section aria-labelledby="case-opportunities-h" className="mb-4" data-testid="case-opportunities">
      <h2 id="case-opportunities-h" className="h4">{t('opportunities.match.title')}</h2>
      <ShowAll id="case-opportunities-all" value={everything} onChange={setEverything} />
      {matches.isPending ? <Loading /> : matches.isError ? <ErrorState error={matches.error} onRetry={() => void matches.refetch()} /> :
        items.length === 0 ? <EmptyState title={everything ? t('opportunities.match.noneAll') : t('opportunities.match.none')} /> : (
          <ul className="list-group">
            {items.map((m) => (
              <MatchItem key={m.opportunity.id} m={m}>
                {m.proposal_id ? <span className="badge bg-info text-dark badge-status" data-testid="proposed">{t('opportunities.match.proposed')}</span>
                  : mayPropose && (
                    <Button size="sm" color="primary" outline onClick={() => setProposing(m)}>
                      {t('opportunities.match.propose')}{' '}<span className="visually-hidden">— {m.opportunity.title}</span>
                    </Button>
                  )}
              </MatchItem>
            ))}
          </ul>
        )}
      <CaseProposals caseId={c.id} />
      {proposing && <ProposeDialog caseId={c.id} m={proposing} onClose={() => setProposing(null)} />}
    </section>
  );
}

function useProposalsInvalidate(caseId: string) {
  const qc = useQueryClient();
  return () => Promise.all([
    qc.invalidateQueries({ queryKey: queryKeys.sub('cases', caseId, 'opportunities') }),
    qc.invalidateQueries({ queryKey: caseProposalsKey(caseId) }),
    qc.invalidateQueries({ queryKey: queryKeys.sub('cases', caseId, 'timeline') }),
  ]);
}

function ProposeDialog({ caseId, m, onClose }: { caseId: string; m: OpportunityMatch; onClose: () => void }) {
  const { t } = useTranslation();
  const invalidate = useProposalsInvalidate(caseId);
  const errors = useFormErrors();
  const [note, setNote] = useState('');
  const propose = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/cases/{id}/opportunity-proposals', {
      params: { path: { id: caseId } }, body: { opportunity_id: m.opportunity.id, note: note.trim() || null },
    })),
    onSuccess: async () => { await invalidate(); onClose(); },
    onError: async (e) => { showProblem(t, errors, e, (f) => (f === 'note' ? 'proposal-note' : null)); await invalidate(); },
  });
  return (
    <FormDialog isOpen title={t('opportunities.match.proposeTitle', { title: m.opportunity.title })} submitLabel={t('opportunities.match.propose')}
                pending={propose.isPending} general={errors.general} onCancel={onClose} onSubmit={() => propose.mutate()}>
      <ErrorSummary errors={errors.fields} />
      <p>{t('opportunities.match.proposeText')}</p>
      <TextAreaField id="proposal-note" label={t('opportunities.match.note')} value={note} maxLength={2000} rows={3}
                     error={errors.fields['proposal-note']} onChange={(e) => { setNote(e.target.value); errors.clearField('proposal-note'); }} />
    </FormDialog>
  );
}

function CaseProposals({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const [answering, setAnswering] = useState<Proposal | null>(null);
  const q = useQuery({ queryKey: caseProposalsKey(caseId), queryFn: () => fetchCaseProposals(caseId) });
  return (
    <div className="mt-3" data-testid="opportunity-proposals">
      <h3 className="h5">{t('opportunities.proposals.title')}</h3>
      {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> :
        q.data.length === 0 ? <p className="small">{t('opportunities.proposals.none')}</p> : (
          <ul className="list-group">
            {q.data.map((p) => (
              <li key={p.id} className="list-group-item d-flex flex-wrap justify-content-between gap-2 align-items-start" data-testid="opportunity-proposal"
                  data-answer={p.answer ?? ''}>
                <div>
                  <strong className="text-break">{p.title}</strong>
                  <div className="small text-secondary">{t('opportunities.proposals.proposedOn', { date: formatDate(p.created_at) })}</div>
                  {p.note && <div className="small text-pre-line">{p.note}</div>}
                  <div className="small">
                    {p.answer ? (
                      <>
                        <span className="fw-semibold">{t(`opportunities.answer.${p.answer}`)}</span>
                        {p.answered_on && <> · {t('opportunities.proposals.answeredAt', { date: formatDate(p.answered_on) })}</>}
                        {p.result && <> — {t('opportunities.proposals.result')}: {p.result}</>}
                      </>
                    ) : <span className="text-secondary">{t('opportunities.proposals.waiting')}</span>}
                  </div>
                </div>
                {p.allowed_actions.includes('answer') && (
                  <Button size="sm" color="primary" outline onClick={() => setAnswering(p)}>
                    {t('opportunities.proposals.record')}{' '}<span className="visually-hidden">— {p.title}</span>
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
      {answering && <AnswerDialog caseId={caseId} p={answering} onClose={() => setAnswering(null)} />}
    </div>
  );
}

function AnswerDialog({ caseId, p, onClose }: { caseId: string; p: Proposal; onClose: () => void }) {
  const { t } = useTranslation();
  const invalidate = useProposalsInvalidate(caseId);
  const errors = useFormErrors();
  const [answer, setAnswer] = useState<ProposalAnswer | ''>(p.answer ?? '');
  const [on, setOn] = useState(p.answered_on ?? todayISO());
  const [result, setResult] = useState(p.result ?? '');
  const m = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/opportunity-proposals/{id}/answer', {
      params: { path: { id: p.id } }, body: { answer: answer as ProposalAnswer, answered_on: on || null, result: result.trim() || null },
    })),
    onSuccess: async () => { await invalidate(); onClose(); },
    onError: (e) => showProblem(t, errors, e, (f) => (f === 'answer' ? 'proposal-answer' : f === 'answered_on' ? 'proposal-answered-on' : f === 'result' ? 'proposal-result' : null)),
  });
  return (
    <FormDialog isOpen title={t('opportunities.proposals.recordTitle', { title: p.title })} submitLabel={t('common.save')} pending={m.isPending}
                general={errors.general} onCancel={onClose} onSubmit={() => {
                  const bad: Record<string, string> = {};
                  if (!answer) bad['proposal-answer'] = t('validation.required');
                  if (on && !isIsoDate(on)) bad['proposal-answered-on'] = t('validation.invalid_date');
                  else if (on && on > todayISO()) bad['proposal-answered-on'] = t('validation.future');
                  if (Object.keys(bad).length) { errors.setGeneral(null); errors.setFields(bad); return; }
                  m.mutate();
                }}>
      <ErrorSummary errors={errors.fields} />
      <RadioGroup id="proposal-answer" legend={t('opportunities.proposals.answer')} required value={answer} error={errors.fields['proposal-answer']}
                  inline={false} options={ANSWERS.map((a) => ({ value: a, label: t(`opportunities.answer.${a}`) }))}
                  onChange={(v) => { setAnswer(v as ProposalAnswer); errors.clearField('proposal-answer'); }} />
      <DateField id="proposal-answered-on" label={t('opportunities.proposals.answeredOn')} value={on} error={errors.fields['proposal-answered-on']}
                 onChange={(v) => { setOn(v); errors.clearField('proposal-answered-on'); }} />
      <TextAreaField id="proposal-result" label={t('opportunities.proposals.result')} hint={t('opportunities.proposals.resultHint')} value={result}
                     maxLength={2000} rows={3} error={errors.fields['proposal-result']}
                     onChange={(e) => { setResult(e.target.value); errors.clearField('proposal-result'); }} />
    </FormDialog>
  );
}

/** On a referral: the same list, to read (proposals are made on the case). */
export function ReferralOpportunities({ referralId }: { referralId: string }) {
  const { t } = useTranslation();
  const [everything, setEverything] = useState(false);
  const q = useQuery({
    queryKey: [...referralMatchesKey(referralId), { all: everything }],
    queryFn: () => unwrap(api.GET('/api/v1/referrals/{id}/opportunities', { params: { path: { id: referralId }, query: { all: everything } } })),
  });
  const items = q.data?.items ?? [];
  return (
    <section aria-labelledby="referral-opportunities-h" className="mb-4" data-testid="referral-opportunities">
      <h2 id="referral-opportunities-h" className="h4">{t('opportunities.match.title')}</h2>
      <p className="small">{t('opportunities.match.readOnly')} <Link to="/opportunities">{t('opportunities.title')}</Link></p>
      <ShowAll id="referral-opportunities-all" value={everything} onChange={setEverything} />
      {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> :
        items.length === 0 ? <EmptyState title={everything ? t('opportunities.match.noneAll') : t('opportunities.match.none')} /> : (
          <ul className="list-group">{items.map((m) => <MatchItem key={m.opportunity.id} m={m} />)}</ul>
        )}
    </section>
  );
}
