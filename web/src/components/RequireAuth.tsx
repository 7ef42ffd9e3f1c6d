// Guards the app's screens: no session → login (remembering where the user was going);
// wrong role → "not allowed".
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import type { Role } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { Page } from './Page';
import { Loading } from './States';

export function RequireAuth({ roles, children }: { roles?: Role[]; children: ReactNode }) {
  const { status, me } = useAuth();
  const location = useLocation();
  const { t } = useTranslation();
  if (status === 'loading') return <div className="container py-4"><Loading label={t('auth.restoring')} /></div>;
  if (status === 'anonymous' || !me) {
    const next = location.pathname + location.search;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (roles && !roles.includes(me.role)) return <Forbidden />;
  return <>{children}</>;
}

export function Forbidden() {
  const { t } = useTranslation();
  return (
    <Page title={t('errors.forbiddenTitle')}>
      <p>{t('errors.forbiddenText')}</p>
    </Page>
  );
}
