// Two-factor sign-in: start (secret + otpauth URI for the authenticator app), confirm with a
// code, then the ten recovery codes shown once (copy / download); turning it off needs the password.
import { useState } from 'preact/hooks';
import { ApiError } from '../../api';
import { graphql } from '../../gql';
import type { StartTwoFactorMutation } from '../../gql/graphql';
import { useMutation } from '../../hooks';
import { Badge, Button, CopyButton, Dialog, FormError, Section, TextInput, useToast } from '../../ui';
import { groupSecret, recoveryCodesFile } from '../signin/lib';
import type { AccountPageQuery } from '../../gql/graphql';

type AccountData = NonNullable<AccountPageQuery['viewer']['account']>;

const StartTwoFactor = graphql(`
  mutation StartTwoFactor {
    startTwoFactor { secret otpauthUri }
  }
`);

const ConfirmTwoFactor = graphql(`
  mutation ConfirmTwoFactor($code: String!) {
    confirmTwoFactor(code: $code)
  }
`);

const DisableTwoFactor = graphql(`
  mutation DisableTwoFactor($password: String!) {
    disableTwoFactor(password: $password)
  }
`);

type Setup = StartTwoFactorMutation['startTwoFactor'];

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function RecoveryCodesDialog({ codes, email, onClose }: { codes: string[] | null; email: string; onClose: () => void }) {
  const text = codes ? recoveryCodesFile(email, codes, new Date()) : '';
  return (
    <Dialog
      open={codes != null}
      title="Save your recovery codes"
      onClose={onClose}
      actions={
        <Button variant="primary" onClick={onClose}>
          I have saved them
        </Button>
      }
    >
      <p class="callout callout-warn">
        These codes are shown only this once. Each one signs you in once if you lose your phone. Keep them somewhere safe, apart from your
        password.
      </p>
      <ul class="recovery-codes" aria-label="Recovery codes">
        {codes?.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <div class="row">
        <CopyButton text={codes?.join('\n') ?? ''} label="Copy codes" what="Recovery codes" />
        <Button onClick={() => download('loupe-recovery-codes.txt', text)}>Download as a file</Button>
      </div>
    </Dialog>
  );
}

export function TwoFactorSection({ account, reload }: { account: AccountData; reload: () => void }) {
  const [setup, setSetup] = useState<Setup | null>(null);
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const [disabling, setDisabling] = useState(false);
  const [password, setPassword] = useState('');
  const start = useMutation(StartTwoFactor);
  const confirm = useMutation(ConfirmTwoFactor);
  const disable = useMutation(DisableTwoFactor);
  const toast = useToast();

  const onConfirm = async (e: Event) => {
    e.preventDefault();
    if (!/^\d{6}$/.test(code.replace(/\s/g, ''))) {
      confirm.clearError();
      setCodeProblem('Enter the 6-digit code your app shows now.');
      return;
    }
    setCodeProblem(null);
    const r = await confirm.run({ code: code.replace(/\s/g, '') });
    if (r) {
      setSetup(null);
      setCode('');
      setCodes(r.confirmTwoFactor);
      reload();
    }
  };
  const [codeProblem, setCodeProblem] = useState<string | null>(null);
  const confirmErr = confirm.error instanceof ApiError && confirm.error.code === 'BAD_USER_INPUT' ? confirm.error.message : null;
  const disableErr = disable.error instanceof ApiError && disable.error.code === 'BAD_USER_INPUT' ? 'The password is wrong.' : null;

  return (
    <Section
      title="Two-factor sign-in"
      id="two-factor"
      description="With two-factor sign-in on, signing in also asks for a code from an authenticator app on your phone (or a recovery code)."
    >
      <p>
        Status: {account.twoFactorEnabled ? <Badge tone="good">On</Badge> : <Badge tone="warn">Off</Badge>}
      </p>
      {account.twoFactorEnabled ? (
        disabling ? (
          <form
            class="inline-form"
            noValidate
            onSubmit={async (e) => {
              e.preventDefault();
              const r = await disable.run({ password });
              if (r !== undefined) {
                setDisabling(false);
                setPassword('');
                toast('Two-factor sign-in is off.');
                reload();
              }
            }}
          >
            <TextInput
              label="Your password"
              type="password"
              autocomplete="current-password"
              value={password}
              onValue={setPassword}
              error={disableErr}
              autofocus
            />
            <Button type="submit" variant="danger" busy={disable.pending}>
              Turn off two-factor
            </Button>
            <Button
              onClick={() => {
                setDisabling(false);
                disable.clearError();
              }}
            >
              Cancel
            </Button>
            {disable.error && !disableErr ? <FormError error={disable.error} /> : null}
          </form>
        ) : (
          <Button onClick={() => setDisabling(true)}>Turn off…</Button>
        )
      ) : setup ? (
        <ol class="steps">
          <li>
            <p>Add Loupe to your authenticator app (1Password, Google Authenticator, Aegis, …): type this key, or paste the setup link into an app that accepts one.</p>
            <dl class="facts">
              <dt>Key</dt>
              <dd class="row">
                <code class="secret-groups" aria-label={`Key: ${setup.secret.split('').join(' ')}`}>
                  {groupSecret(setup.secret)}
                </code>
                <CopyButton text={setup.secret} what="Key" label="Copy key" />
              </dd>
              <dt>Setup link</dt>
              <dd class="row">
                <code class="secret">{setup.otpauthUri}</code>
                <CopyButton text={setup.otpauthUri} what="Setup link" label="Copy link" />
              </dd>
            </dl>
          </li>
          <li>
            <form class="inline-form" noValidate onSubmit={onConfirm}>
              <TextInput
                label="The 6-digit code your app shows"
                inputMode="numeric"
                autocomplete="one-time-code"
                value={code}
                onValue={setCode}
                maxLength={7}
                error={codeProblem ?? confirmErr}
              />
              <Button type="submit" variant="primary" busy={confirm.pending}>
                Turn on two-factor
              </Button>
              <Button onClick={() => setSetup(null)}>Cancel</Button>
            </form>
            {confirm.error && !confirmErr ? <FormError error={confirm.error} /> : null}
          </li>
        </ol>
      ) : (
        <>
          <Button
            variant="primary"
            busy={start.pending}
            onClick={async () => {
              const r = await start.run({});
              if (r) setSetup(r.startTwoFactor);
            }}
          >
            Set up two-factor sign-in
          </Button>
          <FormError error={start.error} />
        </>
      )}
      <RecoveryCodesDialog
        codes={codes}
        email={account.email}
        onClose={() => {
          setCodes(null);
          toast('Two-factor sign-in is on.');
        }}
      />
    </Section>
  );
}
