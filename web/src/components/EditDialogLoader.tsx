// An edit dialog for a record the screen shows inside another response (an activation in the
// case, a meeting in its agenda, a row of a list): such copies carry no version, so the record
// itself is read when the dialog opens — the form starts from it and saves with its `ETag`.
// While it loads (or if it fails, or the API no longer allows the edit) the dialog says so.
import { useQuery } from '@tanstack/react-query';
import { Button, Modal, ModalBody, ModalFooter, ModalHeader } from 'design-react-kit';
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Versioned } from '../api/etag';
import { allows, BlockedNotice, blockedReason, type Actionable } from './Actions';
import { ErrorState, Loading } from './States';

export function EditDialogLoader<T extends Actionable>({ queryKey, read, title, onClose, children }: {
  queryKey: readonly unknown[];
  read: () => Promise<Versioned<T>>;
  title: string;
  onClose: () => void;
  /** The form, once the record is read and the API allows editing it. */
  children: (record: Versioned<T>) => ReactNode;
}) {
  const { t } = useTranslation();
  const titleId = useId();
  // Always the version now on the server: a cached copy could be an old one.
  const q = useQuery({ queryKey, queryFn: read, staleTime: 0, gcTime: 0, retry: false });
  if (q.isSuccess && allows(q.data.record, 'edit')) return <>{children(q.data)}</>;
  return (
    <Modal isOpen toggle={onClose} labelledBy={titleId} centered returnFocusAfterClose>
      <ModalHeader toggle={onClose} id={titleId} closeAriaLabel={t('common.close')}>{title}</ModalHeader>
      <ModalBody>
        {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> :
          blockedReason(q.data.record, 'edit') ? <BlockedNotice record={q.data.record} action="edit" label={title} /> :
            <p>{t('errors.status.403')}</p>}
      </ModalBody>
      <ModalFooter>
        <Button color="secondary" outline onClick={onClose}>{t('common.close')}</Button>
      </ModalFooter>
    </Modal>
  );
}
