'use client';
import { useEffect, useRef } from 'react';

/** A <dialog> shown as a modal while `open` is true (focus trapped, Escape closes it). */
export function useModal(open: boolean) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (open && !dialog.current?.open) dialog.current?.showModal();
    if (!open && dialog.current?.open) dialog.current.close();
  }, [open]);
  return dialog;
}
