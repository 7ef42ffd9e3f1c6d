// A modal holding a small form (an action with inputs: take charge, close, decide…).
// Errors from the API show inside it; Escape and the close button cancel.
import { Button, Modal, ModalBody, ModalFooter, ModalHeader } from 'design-react-kit';
import { useId, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function FormDialog({ isOpen, title, children, submitLabel, onSubmit, onCancel, pending, general, danger, size }: {
  isOpen: boolean;
  title: string;
  children: ReactNode;
  submitLabel: string;
  onSubmit: () => void;
  onCancel: () => void;
  pending?: boolean;
  general?: string | null;
  danger?: boolean;
  size?: 'lg' | 'sm';
}) {
  const { t } = useTranslation();
  const titleId = useId();
  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit();
  }
  return (
    <Modal isOpen={isOpen} toggle={onCancel} labelledBy={titleId} centered returnFocusAfterClose size={size}>
      <form onSubmit={submit} noValidate>
        <ModalHeader toggle={onCancel} id={titleId} closeAriaLabel={t('common.close')}>{title}</ModalHeader>
        <ModalBody>
          {general && <div className="alert alert-danger" role="alert">{general}</div>}
          {children}
        </ModalBody>
        <ModalFooter>
          <Button color="secondary" outline type="button" onClick={onCancel}>{t('common.cancel')}</Button>
          <Button color={danger ? 'danger' : 'primary'} type="submit" disabled={pending}>
            {pending ? t('common.saving') : submitLabel}
          </Button>
        </ModalFooter>
      </form>
    </Modal>
  );
}
