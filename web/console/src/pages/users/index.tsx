import { ComingSoon } from '../../ui';

export default function Page() {
  return <ComingSoon title="Users">Identified users of this site.</ComingSoon>;
}
