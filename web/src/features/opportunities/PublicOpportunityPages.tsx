// "Opportunità del territorio", without sign-in: what the members published and is still open,
// the catalogue's open measures and the granted projects, filtered by area, municipality and
// kind; each with its page (`/opportunita/:id`, where the RSS feed's links lead) and its flyer;
// the RSS and iCalendar feeds and this month's bulletin. Plain `fetch`, never a token.
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { isApiError } from '../../api/problem';
import { API_PREFIX } from '../../api/base';
import { SelectField } from '../../components/Form';
import { Page } from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import { useFilters } from '../../components/useFilters';
import { AREAS, fetchPublicList, fetchPublicOne, KINDS, PUBLIC_FILTER_KEYS, thisMonth } from './data';
import { OpportunityCard, OpportunityFacts } from './OpportunityViews';

const PUBLIC = ['public', 'opportunities'] as const;

function Feeds() {
  const { t } = useTranslation();
  const month = thisMonth();
  return (
    <section aria-labelledby="public-feeds-h" className="mb-4" data-testid="public-feeds">
      <h2 className="h5" id="public-feeds-h">{t('opportunities.public.feeds')}</h2>
      <ul className="list-inline mb-0">
        <li className="list-inline-item me-3"><a href={`${API_PREFIX}/public/opportunities.rss`} type="application/rss+xml">{t('opportunities.public.rss')}</a></li>
        <li className="list-inline-item me-3"><a href={`${API_PREFIX}/public/opportunities.ics`} type="text/calendar">{t('opportunities.public.ics')}</a></li>
        <li className="list-inline-item me-3"><a href={`${API_PREFIX}/public/bulletin.pdf?month=${month}`} type="application/pdf">{t('opportunities.public.bulletin')}</a></li>
        <li className="list-inline-item"><a href={`${API_PREFIX}/public/bulletin.html?month=${month}`}>{t('opportunities.public.bulletinHtml')}</a></li>
      </ul>
    </section>
  );
}

export function PublicOpportunitiesPage() {
  const { t, i18n } = useTranslation();
  const [filters, setFilters] = useFilters(PUBLIC_FILTER_KEYS);
  // The API names kinds and writes "who it is for" in the page's language: one answer per language.
  const q = useQuery({ queryKey: [...PUBLIC, i18n.language, filters], queryFn: () => fetchPublicList(filters), staleTime: 60_000 });
  const unfiltered = useQuery({ queryKey: [...PUBLIC, i18n.language, {}], queryFn: () => fetchPublicList({}), staleTime: 60_000 });
  const municipalities = useMemo(() => {
    const byCode = new Map<string, string>();
    for (const o of unfiltered.data?.items ?? []) if (o.municipality) byCode.set(o.municipality.code, o.municipality.name);
    return [...byCode].sort((a, b) => a[1].localeCompare(b[1], 'it')).map(([value, label]) => ({ value, label }));
  }, [unfiltered.data]);
  return (
    <Page title={t('opportunities.public.title')} subtitle={t('opportunities.public.subtitle')}>
      <Feeds />
      <section aria-labelledby="public-filters-h" className="mb-2">
        <h2 className="visually-hidden" id="public-filters-h">{t('opportunities.public.filters')}</h2>
        <div className="row">
          <div className="col-12 col-md-4">
            <SelectField id="public-filter-area" label={t('opportunities.filters.area')} value={filters.area} placeholder={t('opportunities.filters.anyArea')}
                         options={AREAS.map((a) => ({ value: a, label: t(`responses.area.${a}`) }))} onChange={(e) => setFilters({ area: e.target.value })} />
          </div>
          <div className="col-12 col-md-4">
            <SelectField id="public-filter-municipality" label={t('opportunities.filters.municipality')} value={filters.municipality}
                         placeholder={t('opportunities.filters.anyMunicipality')} options={municipalities}
                         onChange={(e) => setFilters({ municipality: e.target.value })} />
          </div>
          <div className="col-12 col-md-4">
            <SelectField id="public-filter-type" label={t('opportunities.filters.kind')} value={filters.type} placeholder={t('opportunities.filters.anyKind')}
                         options={[...KINDS.map((k) => ({ value: k, label: t(`opportunities.kindOf.${k}`) })),
                           { value: 'measure', label: t('opportunities.filters.measures') }, { value: 'project', label: t('opportunities.filters.projects') }]}
                         onChange={(e) => setFilters({ type: e.target.value })} />
          </div>
        </div>
      </section>
      {q.isPending && <Loading />}
      {q.isError && <ErrorState error={q.error} onRetry={() => void q.refetch()} />}
      {q.data && (q.data.items.length === 0 ? <p>{t('opportunities.empty')}</p> : (
        <>
          <p aria-live="polite" data-testid="opportunity-count">{t('opportunities.count', { count: q.data.items.length })}</p>
          <ul className="list-unstyled row" data-testid="public-opportunities">
            {q.data.items.map((o) => (
              <li key={o.id} className="col-12 col-lg-6">
                <OpportunityCard o={o} to={`/opportunita/${encodeURIComponent(o.id)}`} headingLevel={2} />
              </li>
            ))}
          </ul>
        </>
      ))}
    </Page>
  );
}

export function PublicOpportunityPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const q = useQuery({ queryKey: [...PUBLIC, i18n.language, 'detail', id], queryFn: () => fetchPublicOne(id), staleTime: 60_000 });
  const crumbs = [{ label: t('opportunities.public.title'), to: '/opportunita' }];
  if (q.isPending) return <Page title={t('opportunities.public.title')} crumbs={crumbs}><Loading /></Page>;
  if (q.isError) {
    return (
      <Page title={t('opportunities.public.title')} crumbs={crumbs}>
        {isApiError(q.error) && q.error.status === 404 ? <p>{t('opportunities.public.notFound')}</p>
          : <ErrorState error={q.error} onRetry={() => void q.refetch()} />}
        <Link to="/opportunita">{t('opportunities.public.back')}</Link>
      </Page>
    );
  }
  const o = q.data;
  return (
    <Page title={o.title} subtitle={<>{o.kind_label} · {o.publisher}</>} crumbs={[...crumbs, { label: o.title }]}>
      <OpportunityFacts o={o} />
      <Link to="/opportunita">{t('opportunities.public.back')}</Link>
    </Page>
  );
}
