import { ComingSoon } from '../../ui';

export default function Page() {
  return <ComingSoon title="Segment">A visual rule builder with a live count.</ComingSoon>;
}
