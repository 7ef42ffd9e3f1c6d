import { Button, Modal, ModalBody, ModalFooter, ModalHeader } from 'design-react-kit';
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function ConfirmDialog({ isOpen, title, children, confirmLabel, cancelLabel, onConfirm, onCancel, danger }: {
  isOpen: boolean;
  title: string;
  children: ReactNode;
  confirmLabel?: string;
  cancelLabel?: string;
  onConfirm: () => void;
  onCancel: () => void;
  danger?: boolean;
}) {
  const { t } = useTranslation();
  const titleId = useId();
  return (
    <Modal isOpen={isOpen} toggle={onCancel} labelledBy={titleId} centered returnFocusAfterClose>
      <ModalHeader toggle={onCancel} id={titleId} closeAriaLabel={t('common.close')}>{title}</ModalHeader>
      <ModalBody>{children}</ModalBody>
      <ModalFooter>
        <Button color="secondary" outline onClick={onCancel}>{cancelLabel ?? t('common.cancel')}</Button>
        <Button color={danger ? 'danger' : 'primary'} onClick={onConfirm}>{confirmLabel ?? t('common.confirm')}</Button>
      </ModalFooter>
    </Modal>
  );
}
