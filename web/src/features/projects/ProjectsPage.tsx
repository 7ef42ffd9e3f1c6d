// "Progetti": the district's funded projects as a pipeline — one group per state, from the idea
// to the close (rejected ones last) — each card with its funder, the amounts requested, granted
// and co-financed, the CUP and the deadlines falling due (passed ones in red, and said so).
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';
import type { components } from '../../api/schema';
import { useMe } from '../../auth/AuthContext';
import { PLAN_MANAGERS } from '../../auth/roles';
import { Page } from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import { formatCents } from '../../lib/format';
import { all } from '../common/workflow';

export type Project = components['schemas']['ProjectOut'];
type Status = components['schemas']['ProjectStatus'];
type Due = components['schemas']['DueOut'];

/** The pipeline's order: the way a project goes, the refused ones at the end. */
export const PIPELINE: Status[] = ['idea', 'submitted', 'granted', 'running', 'reported', 'closed', 'rejected'];

export function fetchAllProjects(): Promise<Project[]> {
  return all<Project>((after) => unwrap(api.GET('/api/v1/projects', { params: { query: { limit: 200, after } } })));
}

export function DueList({ due }: { due: Due[] }) {
  const { t } = useTranslation();
  if (due.length === 0) return null;
  return (
    <ul className="list-unstyled small mb-0" data-testid="due">
      {due.map((d) => (
        <li key={`${d.kind}-${d.date}`} data-overdue={d.overdue} className={d.overdue ? 'text-danger fw-semibold' : undefined}>
          {d.overdue && <span className="badge bg-danger badge-status me-1">{t('projects.overdue')}</span>}
          {d.message}
        </li>
      ))}
    </ul>
  );
}

export function Amounts({ p }: { p: Project }) {
  const { t } = useTranslation();
  return (
    <dl className="small mb-1 app-amounts">
      <div><dt className="d-inline fw-normal text-secondary">{t('projects.requested')}:</dt> <dd className="d-inline">{formatCents(p.requested_cents)}</dd></div>
      <div><dt className="d-inline fw-normal text-secondary">{t('projects.granted')}:</dt> <dd className="d-inline">{formatCents(p.granted_cents)}</dd></div>
      <div><dt className="d-inline fw-normal text-secondary">{t('projects.cofinanced')}:</dt> <dd className="d-inline">{formatCents(p.cofinanced_cents)}</dd></div>
    </dl>
  );
}

export function ProjectsPage() {
  const { t } = useTranslation();
  const manages = PLAN_MANAGERS.includes(useMe().role);
  const q = useQuery({ queryKey: queryKeys.everything('projects'), queryFn: fetchAllProjects });
  return (
    <Page title={t('projects.title')} subtitle={t('projects.subtitle')}
          actions={manages && <Link to="/projects/new" className="btn btn-primary">{t('projects.new')}</Link>}>
      {q.isPending && <Loading />}
      {q.isError && <ErrorState error={q.error} onRetry={() => void q.refetch()} />}
      {q.data && (q.data.length === 0 ? <p>{t('projects.empty')}</p> : (
        <div className="row" data-testid="pipeline">
          {PIPELINE.map((status) => {
            const items = q.data.filter((p) => p.status === status);
            const hid = `pipeline-${status}`;
            return (
              <section key={status} className="col-12 col-md-6 col-xl-4 mb-4" aria-labelledby={hid} data-testid="pipeline-stage" data-status={status}>
                <h2 className="h5" id={hid}>{t(`status.project.${status}`)} <span className="badge bg-secondary">{items.length}</span></h2>
                {items.length === 0 ? <p className="small text-secondary">{t('projects.none')}</p> : (
                  <ul className="list-unstyled mb-0">
                    {items.map((p) => (
                      <li key={p.id} className="card card-bg mb-2" data-testid="project-card">
                        <div className="card-body p-3">
                          <h3 className="h6 mb-1"><Link to={`/projects/${p.id}`}>{p.title}</Link></h3>
                          <p className="small mb-1">{p.funder}{p.call_title ? ` — ${p.call_title}` : ''}</p>
                          <Amounts p={p} />
                          <p className="small mb-1">{t('projects.cup')}: {p.cup ?? '—'}</p>
                          <DueList due={p.due} />
                        </div>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            );
          })}
        </div>
      ))}
    </Page>
  );
}
