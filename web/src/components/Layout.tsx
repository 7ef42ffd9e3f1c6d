// The app shell: Bootstrap Italia header (slim + brand + role navigation), main landmark, footer.
import { Icon } from 'design-react-kit';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import type { Role } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { homeFor } from '../auth/roles';
import { NotificationBell } from '../features/notifications/NotificationBell';
import { LanguageSwitcher } from './LanguageSwitcher';

/** `ownOrganization`: only for users attached to an organization (a coordinator manages their own webhooks). */
const NAV: Record<Role, { to: string; key: string; end?: boolean; ownOrganization?: boolean }[]> = {
  referrer: [
    { to: '/referrals', key: 'nav.myReferrals', end: true },
    { to: '/referrals/new', key: 'nav.newReferral' },
    { to: '/search', key: 'nav.search' },
    { to: '/opportunities', key: 'nav.opportunities' },
    { to: '/plans', key: 'nav.plans' },
    { to: '/projects', key: 'nav.projects' },
  ],
  coordinator: [
    { to: '/dashboard', key: 'nav.dashboard' },
    { to: '/meetings', key: 'nav.meetings' },
    { to: '/referrals', key: 'nav.referrals', end: true },
    { to: '/referrals/new', key: 'nav.recordReferral' },
    { to: '/cases', key: 'nav.cases' },
    { to: '/search', key: 'nav.search' },
    { to: '/catalogue', key: 'nav.catalogue' },
    { to: '/networks', key: 'nav.networks' },
    { to: '/opportunities', key: 'nav.opportunities' },
    { to: '/plans', key: 'nav.plans' },
    { to: '/projects', key: 'nav.projects' },
    { to: '/webhooks', key: 'nav.webhooks', ownOrganization: true },
    { to: '/audit', key: 'nav.audit' },
  ],
  agency_operator: [
    { to: '/agency', key: 'nav.agencyHome' }, { to: '/cases', key: 'nav.myCases' }, { to: '/search', key: 'nav.search' },
    { to: '/networks', key: 'nav.networks' }, { to: '/opportunities', key: 'nav.opportunities' }, { to: '/plans', key: 'nav.plans' },
    { to: '/projects', key: 'nav.projects' },
  ],
  admin: [
    { to: '/admin/organizations', key: 'nav.organizations' },
    { to: '/admin/users', key: 'nav.users' },
    { to: '/admin/integrations', key: 'nav.integrations' },
    { to: '/webhooks', key: 'nav.webhooks' },
  ],
  observer: [
    { to: '/overview', key: 'nav.overview' }, { to: '/networks', key: 'nav.networks' }, { to: '/opportunities', key: 'nav.opportunities' },
    { to: '/plans', key: 'nav.plans' }, { to: '/projects', key: 'nav.projects' },
  ],
  network_coordinator: [
    { to: '/networks', key: 'nav.networks' }, { to: '/opportunities', key: 'nav.opportunities' }, { to: '/plans', key: 'nav.plans' }, { to: '/projects', key: 'nav.projects' },
  ],
  privacy_officer: [{ to: '/privacy', key: 'nav.privacy' }],
};

/** After client-side navigation, move focus to the new page's heading (screen readers announce it). */
function useFocusOnNavigate() {
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const id = window.setTimeout(() => {
      const target = document.getElementById('page-title') ?? document.getElementById('main-content');
      target?.focus({ preventScroll: false });
    }, 0);
    return () => window.clearTimeout(id);
  }, [pathname]);
}

export function Layout() {
  const { t } = useTranslation();
  const { me, logout } = useAuth();
  const [menuOpen, setMenuOpen] = useState(false);
  const { pathname } = useLocation();
  useFocusOnNavigate();
  useEffect(() => setMenuOpen(false), [pathname]);

  const items = me ? NAV[me.role].filter((item) => !item.ownOrganization || !!me.organization) : [];
  const home = me ? homeFor(me.role) : '/';

  return (
    <>
      <nav className="skiplinks" aria-label={t('nav.skiplinks')}>
        <a className="visually-hidden-focusable" href="#main-content">{t('nav.skipToContent')}</a>
        {items.length > 0 && (
          <a className="visually-hidden-focusable" href="#main-nav">{t('nav.skipToNav')}</a>
        )}
      </nav>
      <header className="it-header-wrapper">
        <div className="it-header-slim-wrapper">
          <div className="container">
            <div className="row">
              <div className="col-12">
                <div className="it-header-slim-wrapper-content">
                  <span className="d-lg-block navbar-brand text-white text-truncate me-2" style={{ minWidth: 0 }}>
                    {me?.district?.name ?? t('app.districtFallback')}
                  </span>
                  <div className="it-header-slim-right-zone flex-shrink-0 gap-2 gap-md-3">
                    <LanguageSwitcher />
                    {me && me.role !== 'admin' && me.role !== 'observer' && <NotificationBell />}
                    {me && (
                      <div className="d-flex align-items-center gap-2 text-white">
                        <Icon icon="it-user" color="white" size="sm" aria-hidden="true" />
                        <span className="d-none d-md-inline" data-testid="current-user">
                          {me.full_name}
                          <span className="visually-hidden">, </span>
                          <small className="ms-1 opacity-75">({t(`roles.${me.role}`)})</small>
                        </span>
                        <button type="button" className="btn btn-sm btn-outline-light ms-2 py-1"
                                onClick={() => void logout()}>
                          {t('auth.logout')}
                        </button>
                      </div>
                    )}
                  </div>
                </div>
              </div>
            </div>
          </div>
        </div>
        <div className="it-nav-wrapper">
          <div className="it-header-center-wrapper it-small-header">
            <div className="container">
              <div className="row">
                <div className="col-12">
                  <div className="it-header-center-content-wrapper">
                    <div className="it-brand-wrapper">
                      <Link to={home}>
                        <div className="it-brand-text">
                          <div className="it-brand-title">{t('app.name')}</div>
                          <div className="it-brand-tagline d-none d-md-block">
                            {t('app.tagline')}
                            {me?.organization ? ` — ${me.organization.name}` : ''}
                          </div>
                        </div>
                      </Link>
                    </div>
                  </div>
                </div>
              </div>
            </div>
          </div>
          {items.length > 0 && (
            <div className="it-header-navbar-wrapper">
              <div className="container">
                <div className="row">
                  <div className="col-12">
                    <nav className="navbar navbar-expand-lg" aria-label={t('nav.main')} id="main-nav" tabIndex={-1}>
                      <button className="custom-navbar-toggler" type="button" aria-controls="main-nav-list"
                              aria-expanded={menuOpen} aria-label={t('nav.toggle')}
                              onClick={() => setMenuOpen(true)}>
                        <Icon icon="it-burger" aria-hidden="true" />
                      </button>
                      <div className={`navbar-collapsable${menuOpen ? ' expanded' : ''}`} id="main-nav-list"
                           style={menuOpen ? { display: 'block' } : undefined}>
                        <div className="overlay" style={menuOpen ? { display: 'block' } : undefined}
                             onClick={() => setMenuOpen(false)} aria-hidden="true" />
                        <div className="close-div">
                          <button className="btn close-menu" type="button" onClick={() => setMenuOpen(false)}>
                            <span className="visually-hidden">{t('nav.close')}</span>
                            <Icon icon="it-close-big" aria-hidden="true" />
                          </button>
                        </div>
                        <div className="menu-wrapper">
                          <ul className="navbar-nav">
                            {items.map((item) => (
                              <li className="nav-item" key={item.to}>
                                <NavLink to={item.to} end={item.end}
                                         className={({ isActive }) => `nav-link${isActive ? ' active' : ''}`}>
                                  <span>{t(item.key)}</span>
                                </NavLink>
                              </li>
                            ))}
                          </ul>
                        </div>
                      </div>
                    </nav>
                  </div>
                </div>
              </div>
            </div>
          )}
        </div>
      </header>
      <main id="main-content" tabIndex={-1} className="app-main">
        <Outlet />
      </main>
      <footer className="it-footer" aria-label={t('footer.label')}>
        <div className="it-footer-small-prints clearfix">
          <div className="container">
            <p className="text-white small py-3 mb-0">
              {t('footer.text')} · <Link className="text-white" to="/opportunita">{t('footer.opportunities')}</Link>
              {' · '}<a className="text-white" href="/docs">{t('footer.apiDocs')}</a>
            </p>
          </div>
        </div>
      </footer>
    </>
  );
}
