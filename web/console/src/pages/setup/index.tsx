import { ComingSoon } from '../../ui';

export default function Page() {
  return <ComingSoon title="Set up Loupe">The first-start setup link creates the owner account here.</ComingSoon>;
}
