import type { ComponentChildren, JSX } from 'preact';

type Variant = 'primary' | 'secondary' | 'danger' | 'link';

export interface ButtonProps extends Omit<JSX.ButtonHTMLAttributes<HTMLButtonElement>, 'type' | 'loading'> {
  variant?: Variant;
  type?: 'button' | 'submit' | 'reset';
  /** Shows a busy state and blocks clicks (the label stays, so the width does not jump). */
  busy?: boolean;
  disabled?: boolean;
  children?: ComponentChildren;
}

export function Button({ variant = 'secondary', type = 'button', busy, disabled, children, class: cls, ...rest }: ButtonProps) {
  return (
    <button
      {...rest}
      type={type}
      class={`btn btn-${variant}${cls ? ' ' + String(cls) : ''}`}
      disabled={disabled || busy}
      aria-busy={busy ? 'true' : undefined}
    >
      {children}
    </button>
  );
}

/** A link that looks like a button (navigation, not an action). */
export function ButtonLink({ href, variant = 'secondary', children }: { href: string; variant?: Variant; children: ComponentChildren }) {
  return (
    <a href={href} class={`btn btn-${variant}`}>
      {children}
    </a>
  );
}
