import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Page } from '../../components/Page';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('errors.notFoundTitle')}>
      <p>{t('errors.notFoundText')}</p>
      <Link to="/" className="btn btn-primary">{t('common.backHome')}</Link>
    </Page>
  );
}
