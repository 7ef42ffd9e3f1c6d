// "Opportunità": the district's board — the members' courses, job offers, internships, services
// and events beside the catalogue's open measures and the granted projects — filtered by kind or
// source, area, municipality and who it is for (age, employment status, group), the filters kept
// in the URL. The coordinator and the publishing organization also see drafts, expired and
// withdrawn items, with their state.
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EMPLOYMENT_STATUSES, TARGET_GROUPS } from '../../api/types';
import { useMe } from '../../auth/AuthContext';
import { mayPublishOpportunities } from '../../auth/roles';
import { SelectField, TextField } from '../../components/Form';
import { Page } from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import { useFilters } from '../../components/useFilters';
import { AREAS, boardKey, FILTER_KEYS, fetchBoard, KINDS, STATUSES, type BoardFilters } from './data';
import { OpportunityCard } from './OpportunityViews';

export function OpportunitiesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [filters, setFilters] = useFilters(FILTER_KEYS);
  const board = useQuery({ queryKey: boardKey(filters), queryFn: () => fetchBoard(filters) });
  // The municipalities to filter by: those of the whole board.
  const everything = useQuery({ queryKey: boardKey(), queryFn: () => fetchBoard({}), staleTime: 60_000 });
  const municipalities = useMemo(() => {
    const byCode = new Map<string, string>();
    for (const o of everything.data ?? []) if (o.municipality) byCode.set(o.municipality.code, o.municipality.name);
    return [...byCode].sort((a, b) => a[1].localeCompare(b[1], 'it')).map(([value, label]) => ({ value, label }));
  }, [everything.data]);
  const set = (k: keyof BoardFilters) => (v: string) => setFilters({ [k]: v });
  const filtered = FILTER_KEYS.some((k) => filters[k]);
  return (
    <Page title={t('opportunities.title')} subtitle={t('opportunities.subtitle')}
          actions={mayPublishOpportunities(me) && <Link to="/opportunities/new" className="btn btn-primary">{t('opportunities.new')}</Link>}>
      <section aria-labelledby="opp-filters-h" className="mb-3" data-testid="opportunity-filters">
        <h2 className="visually-hidden" id="opp-filters-h">{t('opportunities.filters.title')}</h2>
        <div className="row">
          <div className="col-12 col-sm-6 col-lg-4">
            <SelectField id="opp-filter-type" label={t('opportunities.filters.kind')} value={filters.type} placeholder={t('opportunities.filters.anyKind')}
                         options={[...KINDS.map((k) => ({ value: k, label: t(`opportunities.kindOf.${k}`) })),
                           { value: 'measure', label: t('opportunities.filters.measures') }, { value: 'project', label: t('opportunities.filters.projects') }]}
                         onChange={(e) => set('type')(e.target.value)} />
          </div>
          <div className="col-12 col-sm-6 col-lg-4">
            <SelectField id="opp-filter-area" label={t('opportunities.filters.area')} value={filters.area} placeholder={t('opportunities.filters.anyArea')}
                         options={AREAS.map((a) => ({ value: a, label: t(`responses.area.${a}`) }))} onChange={(e) => set('area')(e.target.value)} />
          </div>
          <div className="col-12 col-sm-6 col-lg-4">
            <SelectField id="opp-filter-municipality" label={t('opportunities.filters.municipality')} value={filters.municipality}
                         placeholder={t('opportunities.filters.anyMunicipality')} options={municipalities}
                         onChange={(e) => set('municipality')(e.target.value)} />
          </div>
          <div className="col-12 col-sm-6 col-lg-3">
            <TextField id="opp-filter-age" type="number" min={14} max={100} inputMode="numeric" label={t('opportunities.filters.age')}
                       hint={t('opportunities.filters.ageHint')} value={filters.age} onChange={(e) => set('age')(e.target.value)} />
          </div>
          <div className="col-12 col-sm-6 col-lg-3">
            <SelectField id="opp-filter-employment" label={t('opportunities.filters.employment')} value={filters.employment_status}
                         placeholder={t('opportunities.filters.anyEmployment')}
                         options={EMPLOYMENT_STATUSES.map((s) => ({ value: s, label: t(`employment.${s}`) }))}
                         onChange={(e) => set('employment_status')(e.target.value)} />
          </div>
          <div className="col-12 col-sm-6 col-lg-3">
            <SelectField id="opp-filter-group" label={t('opportunities.filters.group')} value={filters.target_group}
                         placeholder={t('opportunities.filters.anyGroup')}
                         options={TARGET_GROUPS.map((g) => ({ value: g, label: t(`targetGroup.${g}`) }))}
                         onChange={(e) => set('target_group')(e.target.value)} />
          </div>
          <div className="col-12 col-sm-6 col-lg-3">
            <SelectField id="opp-filter-status" label={t('opportunities.filters.status')} value={filters.status}
                         placeholder={t('opportunities.filters.anyStatus')}
                         options={STATUSES.map((s) => ({ value: s, label: t(`status.opportunity.${s}`) }))}
                         onChange={(e) => set('status')(e.target.value)} />
          </div>
        </div>
        {filtered && (
          <button type="button" className="btn btn-link px-0" onClick={() => setFilters(Object.fromEntries(FILTER_KEYS.map((k) => [k, ''])))}>
            {t('opportunities.filters.reset')}
          </button>
        )}
      </section>
      {board.isPending && <Loading />}
      {board.isError && <ErrorState error={board.error} onRetry={() => void board.refetch()} />}
      {board.data && (board.data.length === 0 ? <p>{t('opportunities.empty')}</p> : (
        <>
          <p aria-live="polite" data-testid="opportunity-count">{t('opportunities.count', { count: board.data.length })}</p>
          <ul className="list-unstyled row" data-testid="opportunity-board">
            {board.data.map((o) => (
              <li key={o.id} className="col-12 col-lg-6">
                <OpportunityCard o={o} to={`/opportunities/${encodeURIComponent(o.id)}`} headingLevel={2} />
              </li>
            ))}
          </ul>
        </>
      ))}
    </Page>
  );
}
