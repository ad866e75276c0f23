// A modal on the native <dialog>: showModal() makes the rest of the page inert (the focus
// stays inside) and Escape closes it; focus returns to whatever opened it.
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import { Button } from './Button';

export interface DialogProps {
  open: boolean;
  title: ComponentChildren;
  onClose: () => void;
  children: ComponentChildren;
  /** Buttons at the bottom (a Cancel/Close is not added for you). */
  actions?: ComponentChildren;
  /** Escape and the close button do nothing while true (a request is running). */
  locked?: boolean;
  wide?: boolean;
}

export function Dialog({ open, title, onClose, children, actions, locked, wide }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const titleId = useId();
  const close = useRef(onClose);
  close.current = onClose;
  const lockedRef = useRef(locked);
  lockedRef.current = locked;

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      opener.current = document.activeElement;
      d.showModal();
      // First the element marked autofocus, else the first control.
      const first = d.querySelector<HTMLElement>('[autofocus], input, select, textarea, button:not(.dialog-x)');
      first?.focus();
    } else if (!open && d.open) {
      d.close();
      (opener.current as HTMLElement | null)?.focus?.();
    }
  }, [open]);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    const onCancel = (e: Event) => {
      e.preventDefault(); // we close through state, so the component stays the source of truth
      if (!lockedRef.current) close.current();
    };
    d.addEventListener('cancel', onCancel);
    return () => d.removeEventListener('cancel', onCancel);
  }, []);

  return (
    <dialog ref={ref} class={wide ? 'dialog dialog-wide' : 'dialog'} aria-labelledby={titleId}>
      {open ? (
        <>
          <div class="dialog-head">
            <h2 id={titleId}>{title}</h2>
            <button type="button" class="dialog-x" aria-label="Close" disabled={locked} onClick={() => onClose()}>
              ×
            </button>
          </div>
          <div class="dialog-body">{children}</div>
          {actions ? <div class="dialog-actions">{actions}</div> : null}
        </>
      ) : null}
    </dialog>
  );
}

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}

/** "Are you sure?" with the consequence spelled out; Cancel is focused first. */
export function ConfirmDialog({ open, title, children, confirmLabel, danger, busy, error, onConfirm, onCancel }: ConfirmDialogProps) {
  return (
    <Dialog
      open={open}
      title={title}
      onClose={onCancel}
      locked={busy}
      actions={
        <>
          <Button autofocus onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
          <Button variant={danger ? 'danger' : 'primary'} busy={busy} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      {children}
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </Dialog>
  );
}
