import { ComingSoon } from '../../ui';

export default function Page() {
  return <ComingSoon title="Accept invite">Invites to join an organization are accepted here.</ComingSoon>;
}
