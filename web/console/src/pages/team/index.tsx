import { ComingSoon } from '../../ui';

export default function Page() {
  return <ComingSoon title="Team">Members, roles and invites.</ComingSoon>;
}
