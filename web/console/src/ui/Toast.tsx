// Short confirmations ("Site saved.") in one polite live region; errors in an assertive one.
import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';

type Kind = 'info' | 'error';
type Toaster = (message: string, kind?: Kind) => void;
interface Item {
  id: number;
  message: string;
  kind: Kind;
}

const ToastContext = createContext<Toaster>(() => {});

export function useToast(): Toaster {
  return useContext(ToastContext);
}

export function ToastProvider({ children }: { children: ComponentChildren }) {
  const [items, setItems] = useState<Item[]>([]);
  const next = useRef(1);
  const timers = useRef<number[]>([]);
  useEffect(() => () => timers.current.forEach((t) => clearTimeout(t)), []);
  const toast = useCallback<Toaster>((message, kind = 'info') => {
    const id = next.current++;
    setItems((xs) => [...xs.slice(-2), { id, message, kind }]);
    timers.current.push(window.setTimeout(() => setItems((xs) => xs.filter((x) => x.id !== id)), kind === 'error' ? 8000 : 4000));
  }, []);
  return (
    <ToastContext.Provider value={toast}>
      {children}
      <div class="toasts">
        <div role="status" aria-live="polite">
          {items.filter((i) => i.kind === 'info').map((i) => (
            <p key={i.id} class="toast">
              {i.message}
            </p>
          ))}
        </div>
        <div role="alert" aria-live="assertive">
          {items.filter((i) => i.kind === 'error').map((i) => (
            <p key={i.id} class="toast toast-error">
              {i.message}
            </p>
          ))}
        </div>
      </div>
    </ToastContext.Provider>
  );
}
