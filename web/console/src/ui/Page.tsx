import type { ComponentChildren } from 'preact';
import { useTitle } from '../hooks';

/** A page's heading (its one h1), optional intro and actions on the right. */
export function PageHeader({ title, children, actions }: { title: string; children?: ComponentChildren; actions?: ComponentChildren }) {
  useTitle(title);
  return (
    <div class="page-header">
      <div>
        <h1>{title}</h1>
        {children ? <p class="page-intro">{children}</p> : null}
      </div>
      {actions ? <div class="page-actions">{actions}</div> : null}
    </div>
  );
}

/** A titled block of a page (h2). */
export function Section({ title, id, children, description }: { title: string; id?: string; children: ComponentChildren; description?: ComponentChildren }) {
  return (
    <section class="section" aria-labelledby={id ? `${id}-title` : undefined}>
      <h2 id={id ? `${id}-title` : undefined}>{title}</h2>
      {description ? <p class="section-intro">{description}</p> : null}
      {children}
    </section>
  );
}

/** The placeholder of a page another part of the console will fill. */
export function ComingSoon({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <>
      <PageHeader title={title} />
      <div class="empty">
        <h2>Coming soon</h2>
        <p>{children ?? 'This page is being built.'}</p>
      </div>
    </>
  );
}
