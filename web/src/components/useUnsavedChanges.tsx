// Warns before leaving a form with unsaved changes: in-app navigation (a dialog) and
// closing/reloading the tab (the browser's own prompt).
import { useCallback, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useBlocker } from 'react-router';
import { ConfirmDialog } from './ConfirmDialog';

export function useUnsavedChanges(dirty: boolean) {
  const { t } = useTranslation();
  const bypassed = useRef(false);
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;

  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirtyRef.current && !bypassed.current && currentLocation.pathname !== nextLocation.pathname,
  );

  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (bypassed.current) return;
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);

  /** Call before navigating away on purpose (after a successful save). */
  const bypass = useCallback(() => {
    bypassed.current = true;
  }, []);

  const dialog = (
    <ConfirmDialog
      isOpen={blocker.state === 'blocked'}
      title={t('form.unsavedTitle')}
      confirmLabel={t('form.unsavedLeave')}
      cancelLabel={t('form.unsavedStay')}
      danger
      onConfirm={() => blocker.proceed?.()}
      onCancel={() => blocker.reset?.()}
    >
      {t('form.unsavedText')}
    </ConfirmDialog>
  );
  return { dialog, bypass };
}
