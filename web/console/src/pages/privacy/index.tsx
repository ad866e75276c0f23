import { ComingSoon } from '../../ui';

export default function Page() {
  return <ComingSoon title="Privacy">GDPR lookups and deletion, purges and the audit log.</ComingSoon>;
}
