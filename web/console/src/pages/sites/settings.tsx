import { ComingSoon } from '../../ui';

export default function Page() {
  return <ComingSoon title="Site settings"></ComingSoon>;
}
