// The data subject's rights on the person's page, for the coordinator: export everything the
// system holds about the person (art. 15), as JSON or as the Italian PDF. The export is audited.
import { useMutation } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../components/errors';
import { downloadPersonExport } from './api';

export function PersonRightsSection({ personId, restricted }: { personId: string; restricted: boolean }) {
  const { t } = useTranslation();
  const message = useErrorMessage();
  const exportData = useMutation({ mutationFn: (format: 'json' | 'pdf') => downloadPersonExport(personId, format) });
  return (
    <section aria-labelledby="rights-title" className="mt-5" data-testid="person-rights">
      <h2 id="rights-title" className="h4">{t('privacy.rights.title')}</h2>
      {restricted && <p className="fw-semibold" data-testid="restricted">{t('privacy.rights.restrictedNow')}</p>}
      {exportData.isError && <div className="alert alert-danger" role="alert">{message(exportData.error)}</div>}
      <div className="d-flex flex-wrap gap-2">
        <Button color="primary" outline size="sm" type="button" disabled={exportData.isPending} onClick={() => exportData.mutate('json')}>
          {t('privacy.rights.exportJson')}
        </Button>
        <Button color="primary" outline size="sm" type="button" disabled={exportData.isPending} onClick={() => exportData.mutate('pdf')}>
          {t('privacy.rights.exportPdf')}
        </Button>
      </div>
    </section>
  );
}
