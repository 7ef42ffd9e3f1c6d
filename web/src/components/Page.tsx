// A screen: sets the document title and renders the page heading (the focus target on navigation).
// A screen reached after saving elsewhere shows that screen's confirmation (`state.flash`).
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';

export interface Crumb {
  label: string;
  to?: string;
}

export function Page({
  title,
  subtitle,
  actions,
  crumbs,
  children,
}: {
  title: string;
  subtitle?: ReactNode;
  actions?: ReactNode;
  crumbs?: Crumb[];
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const location = useLocation();
  const flash = (location.state as { flash?: string } | null)?.flash;
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title, t]);
  return (
    <div className="container py-4"><div className="row"><div className="col-12">
      {crumbs && crumbs.length > 0 && (
        <nav className="breadcrumb-container" aria-label={t('common.breadcrumb')}>
          <ol className="breadcrumb p-0 mb-2">
            {crumbs.map((c, i) => (
              <li key={i} className={`breadcrumb-item${i === crumbs.length - 1 ? ' active' : ''}`}
                  aria-current={i === crumbs.length - 1 ? 'page' : undefined}>
                {c.to ? <Link to={c.to}>{c.label}</Link> : c.label}
                {i < crumbs.length - 1 && <span className="separator">/</span>}
              </li>
            ))}
          </ol>
        </nav>
      )}
      <div className="d-flex flex-wrap align-items-start justify-content-between gap-3 mb-4">
        <div>
          <h1 className="h2 mb-1" tabIndex={-1} id="page-title">
            {title}
          </h1>
          {subtitle && <div className="text-secondary">{subtitle}</div>}
        </div>
        {actions && <div className="d-flex flex-wrap gap-2">{actions}</div>}
      </div>
      {flash && (
        <div className="alert alert-success" role="status" data-testid="flash">{t(`flash.${flash}`, { defaultValue: '' })}</div>
      )}
      {children}
    </div></div></div>
  );
}
