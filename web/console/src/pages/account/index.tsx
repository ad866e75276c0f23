import { ComingSoon } from '../../ui';

export default function Page() {
  return <ComingSoon title="Account">Your password, two-factor authentication and sessions.</ComingSoon>;
}
