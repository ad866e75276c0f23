import { ComingSoon } from '../../ui';

export default function Page() {
  return <ComingSoon title="Survey builder">Questions, logic, targeting and a live preview.</ComingSoon>;
}
