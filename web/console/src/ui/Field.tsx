// Form controls that always carry a label, an optional hint and an error, tied together with
// aria-describedby so screen readers read them with the control.
import type { ComponentChildren, JSX } from 'preact';
import { useId } from 'preact/hooks';

interface FieldShell {
  label: ComponentChildren;
  hint?: ComponentChildren;
  error?: string | null | undefined;
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function Help({ id, hint, error }: { id: string; hint?: ComponentChildren; error?: string | null | undefined }) {
  return (
    <>
      {hint ? (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </>
  );
}

/** A labelled slot for any control: `children(id, describedBy)`. */
export function Field({ label, hint, error, children }: FieldShell & { children: (id: string, describedBy?: string) => ComponentChildren }) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children(id, describedBy(id, hint, error))}
      <Help id={id} hint={hint} error={error} />
    </div>
  );
}

type InputProps = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'label' | 'value' | 'onInput'> & FieldShell & {
  value: string;
  onValue: (value: string) => void;
};

export function TextInput({ label, hint, error, value, onValue, type = 'text', ...rest }: InputProps) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(id, desc) => (
        <input
          {...rest}
          id={id}
          type={type}
          value={value}
          aria-describedby={desc}
          aria-invalid={error ? 'true' : undefined}
          onInput={(e) => onValue(e.currentTarget.value)}
        />
      )}
    </Field>
  );
}

type AreaProps = Omit<JSX.TextareaHTMLAttributes<HTMLTextAreaElement>, 'label' | 'value' | 'onInput'> & FieldShell & {
  value: string;
  onValue: (value: string) => void;
};

export function TextArea({ label, hint, error, value, onValue, rows = 4, ...rest }: AreaProps) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(id, desc) => (
        <textarea
          {...rest}
          id={id}
          rows={rows}
          value={value}
          aria-describedby={desc}
          aria-invalid={error ? 'true' : undefined}
          onInput={(e) => onValue(e.currentTarget.value)}
        />
      )}
    </Field>
  );
}

export interface Option<T extends string> {
  value: T;
  label: string;
}

type SelectProps<T extends string> = Omit<JSX.SelectHTMLAttributes<HTMLSelectElement>, 'label' | 'value' | 'onChange'> & FieldShell & {
  value: T;
  options: readonly Option<T>[];
  onValue: (value: T) => void;
};

export function Select<T extends string>({ label, hint, error, value, options, onValue, ...rest }: SelectProps<T>) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(id, desc) => (
        <select
          {...rest}
          id={id}
          value={value}
          aria-describedby={desc}
          aria-invalid={error ? 'true' : undefined}
          onChange={(e) => onValue(e.currentTarget.value as T)}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function Checkbox({
  label,
  hint,
  error,
  checked,
  onChecked,
  disabled,
}: FieldShell & { checked: boolean; onChecked: (checked: boolean) => void; disabled?: boolean }) {
  const id = useId();
  return (
    <div class="field field-check">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        disabled={disabled}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e) => onChecked(e.currentTarget.checked)}
      />
      <div>
        <label for={id}>{label}</label>
        <Help id={id} hint={hint} error={error} />
      </div>
    </div>
  );
}
