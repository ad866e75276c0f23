import { ComingSoon } from '../../ui';

export default function Page() {
  return <ComingSoon title="User">A person's attributes, sessions, responses and recordings.</ComingSoon>;
}
