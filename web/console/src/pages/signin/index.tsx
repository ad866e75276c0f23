import { ComingSoon } from '../../ui';

export default function Page() {
  return <ComingSoon title="Sign in">Signing in with an account arrives with accounts and sessions.</ComingSoon>;
}
