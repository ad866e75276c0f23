import { ComingSoon } from '../../ui';

export default function Page() {
  return <ComingSoon title="Recording">The replay of one session with its timeline.</ComingSoon>;
}
