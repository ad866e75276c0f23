import { ComingSoon } from '../../ui';

export default function Page() {
  return <ComingSoon title="Results">Charts, the responses table and exports.</ComingSoon>;
}
