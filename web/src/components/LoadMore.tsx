import { Button } from 'design-react-kit';
import { useTranslation } from 'react-i18next';

export function LoadMore({ hasNextPage, isFetchingNextPage, fetchNextPage }: {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}) {
  const { t } = useTranslation();
  if (!hasNextPage) return null;
  return (
    <div className="text-center my-3">
      <Button color="primary" outline onClick={() => void fetchNextPage()} disabled={isFetchingNextPage}>
        {isFetchingNextPage ? t('common.loading') : t('common.loadMore')}
      </Button>
    </div>
  );
}
