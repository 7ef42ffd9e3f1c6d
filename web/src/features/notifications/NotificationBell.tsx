// The header's link to the inbox, with the unread count ("3 notifiche non lette" to screen readers).
import { Icon } from 'design-react-kit';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useUnreadCount } from './queries';

export function NotificationBell() {
  const { t } = useTranslation();
  const unread = useUnreadCount(true);
  const count = unread.data?.unread ?? 0;
  return (
    <Link to="/notifiche" className="btn btn-sm btn-outline-light py-1 position-relative d-inline-flex align-items-center gap-1"
          aria-label={t('notifications.bell', { count })} data-testid="notification-bell">
      <Icon icon="it-mail" color="white" size="sm" aria-hidden="true" />
      {count > 0 && (
        <span className="badge bg-danger" aria-hidden="true" data-testid="notification-count">
          {count > 99 ? '99+' : count}
        </span>
      )}
    </Link>
  );
}
