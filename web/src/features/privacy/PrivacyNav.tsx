// The sections of the DPO's area: the audit log (/privacy), the register of processing activities
// (/privacy/register) and the data-breach register (/privacy/breaches). The coordinator reads the
// two registers too; their audit log is at /audit.
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { useMe } from '../../auth/AuthContext';

export function PrivacyNav() {
  const { t } = useTranslation();
  const me = useMe();
  const links = [
    { to: me.role === 'privacy_officer' ? '/privacy' : '/audit', label: t('privacy.area.audit') },
    { to: '/privacy/register', label: t('privacy.register.title') },
    { to: '/privacy/breaches', label: t('privacy.breaches.title') },
  ];
  return (
    <nav aria-label={t('privacy.area.sections')} className="mb-4">
      <ul className="nav nav-tabs">
        {links.map((l) => (
          <li className="nav-item" key={l.to}>
            <NavLink end to={l.to} className={({ isActive }) => `nav-link${isActive ? ' active' : ''}`}>
              {l.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
