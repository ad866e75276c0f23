import { ComingSoon } from '../../ui';

export default function Page() {
  return <ComingSoon title="Recordings">Session recordings of this site, filtered and ordered.</ComingSoon>;
}
