import { ComingSoon } from '../../ui';

export default function Page() {
  return <ComingSoon title="Sites"></ComingSoon>;
}
