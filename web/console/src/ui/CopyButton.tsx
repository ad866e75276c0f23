import { useEffect, useState } from 'preact/hooks';
import { useToast } from './Toast';

/** Copies `text` to the clipboard; says so on the button and in the live region. */
export function CopyButton({ text, label = 'Copy', what = 'Text' }: { text: string; label?: string; what?: string }) {
  const [done, setDone] = useState(false);
  const toast = useToast();
  useEffect(() => {
    if (!done) return;
    const t = setTimeout(() => setDone(false), 2000);
    return () => clearTimeout(t);
  }, [done]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setDone(true);
      toast(`${what} copied to the clipboard.`);
    } catch {
      toast('The browser refused to copy: select the text and copy it by hand.', 'error');
    }
  };
  return (
    <button type="button" class="btn btn-secondary btn-copy" onClick={copy}>
      {done ? 'Copied' : label}
    </button>
  );
}

/** A block of code with a copy button (snippets, secrets). */
export function CodeBlock({ code, label, what }: { code: string; label: string; what?: string }) {
  return (
    <div class="code-block">
      <pre tabIndex={0} aria-label={label}>
        <code>{code}</code>
      </pre>
      <CopyButton text={code} what={what ?? label} />
    </div>
  );
}
