// "Cerca persona": one box for a surname or a codice fiscale; the persons the caller may see,
// each with the referrals and cases the caller may see, as links. The query lives in the URL
// (?q=), so a search can be shared and the back button returns to it. The server logs every
// person it answers as read.
import { useQuery } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';
import { useMe } from '../../auth/AuthContext';
import { TextField } from '../../components/Form';
import { Page } from '../../components/Page';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDate } from '../../lib/format';
import { personName } from '../common/workflow';

export function SearchPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [draft, setDraft] = useState(q);
  const [tooShort, setTooShort] = useState(false);
  const results = useQuery({
    queryKey: queryKeys.list('persons', { search: q }),
    queryFn: () => unwrap(api.GET('/api/v1/search', { params: { query: { q } } })),
    enabled: q.trim().length >= 2,
  });

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const next = draft.trim();
    setTooShort(next.length < 2);
    if (next.length >= 2) setParams({ q: next });
  }

  return (
    <Page title={t('search.title')} subtitle={t('search.subtitle')}>
      <form role="search" onSubmit={onSubmit} noValidate className="row align-items-start">
        <TextField id="q" label={t('search.label')} hint={t('search.hint')} value={draft} maxLength={100}
                   autoComplete="off" spellCheck={false} className="col-md-8"
                   error={tooShort ? t('search.tooShort') : undefined}
                   onChange={(e) => { setDraft(e.target.value); setTooShort(false); }} />
        <div className="col-md-4">
          <Button color="primary" type="submit" className="mt-md-4">{t('search.submit')}</Button>
        </div>
      </form>
      <div aria-live="polite">
        {q.trim().length >= 2 && (results.isPending ? <Loading /> : results.isError
          ? <ErrorState error={results.error} onRetry={() => void results.refetch()} />
          : results.data.items.length === 0 ? <EmptyState title={t('search.none', { q })} /> : (
            <>
              <p>{t('search.count', { count: results.data.items.length })}</p>
              <ul className="list-unstyled">
                {results.data.items.map((hit) => (
                  <li key={hit.person.id} className="card card-bg mb-3">
                    <div className="card-body">
                      <h2 className="h5 card-title">{personName(hit.person)}</h2>
                      <p className="mb-2 small">
                        <span className="font-monospace">{hit.person.tax_code}</span>
                        {' · '}{t('person.birthDate')} {formatDate(hit.person.birth_date)}
                      </p>
                      {hit.referrals.length > 0 && (
                        <>
                          <h3 className="h6">{t('search.referrals')}</h3>
                          <ul>
                            {hit.referrals.map((r) => (
                              <li key={r.id}>
                                <Link to={`/referrals/${r.id}`}>{r.organization.name}</Link>
                                {r.submitted_at && <> · {formatDate(r.submitted_at)}</>}{' '}
                                <StatusBadge kind="referral" status={r.status} />
                              </li>
                            ))}
                          </ul>
                        </>
                      )}
                      {hit.cases.length > 0 && (
                        <>
                          <h3 className="h6">{t('search.cases')}</h3>
                          <ul>
                            {hit.cases.map((c) => (
                              <li key={c.id}>
                                <Link to={`/cases/${c.id}`}>{c.agency.name}</Link>{' '}
                                <StatusBadge kind="case" status={c.status} />
                              </li>
                            ))}
                          </ul>
                        </>
                      )}
                      {hit.referrals.length === 0 && hit.cases.length === 0 && (
                        <p className="mb-0 small text-secondary">
                          {me.role === 'referrer' ? t('search.nothingYoursReferrer') : t('search.nothingYours')}
                        </p>
                      )}
                    </div>
                  </li>
                ))}
              </ul>
            </>
          ))}
      </div>
    </Page>
  );
}
