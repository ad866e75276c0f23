import { ComingSoon } from '../../ui';

export default function Page() {
  return <ComingSoon title="Segments">Saved groups of users of this site.</ComingSoon>;
}
