import { ButtonLink, EmptyState, PageHeader } from '../../ui';

export default function NotFound() {
  return (
    <>
      <PageHeader title="Page not found" />
      <EmptyState title="There is no page at this address" action={<ButtonLink href="/sites">Go to your sites</ButtonLink>}>
        The link may be old or mistyped.
      </EmptyState>
    </>
  );
}
