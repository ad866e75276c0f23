import { ComingSoon } from '../../ui';

export default function Page() {
  return <ComingSoon title="Surveys">Surveys and polls of this site, with status and response counts.</ComingSoon>;
}
