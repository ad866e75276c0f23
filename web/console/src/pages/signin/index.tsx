// Sign in with email and password; a second step asks for the authenticator code (or a
// recovery code) when the account has two-factor sign-in on. Then on to `next` or /sites.
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiError, errorMessage } from '../../api';
import { graphql } from '../../gql';
import { useMutation, useTitle } from '../../hooks';
import { Button, TextInput } from '../../ui';
import { safeNext, waitText } from './lib';

const SignIn = graphql(`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) { account { id } organization { id } }
  }
`);

/** The sign-in error as people read it (wrong password, throttled, …). */
function signInMessage(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === 'UNAUTHENTICATED') return 'Wrong email or password. Check both and try again.';
    if (e.code === 'RATE_LIMITED') {
      // The server's `extensions.retryAfter` (seconds), else the Retry-After header.
      const s = e.retryAfter;
      return s && s > 0
        ? `Too many attempts. For your account's safety, wait ${waitText(s)} before trying again.`
        : 'Too many attempts. Wait a few minutes before trying again.';
    }
    if (e.code === 'BAD_USER_INPUT' && e.field === 'twoFactorCode') return e.message;
  }
  return errorMessage(e);
}

export default function SignInPage() {
  useTitle('Sign in');
  const { query, route } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needCode, setNeedCode] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [sentCode, setSentCode] = useState(false);
  const signIn = useMutation(SignIn);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!email.trim() || !password) {
      setProblem('Enter your email and password.');
      return;
    }
    if (needCode && !code.trim()) {
      setProblem('Enter the code from your authenticator app, or one of your recovery codes.');
      return;
    }
    setProblem(null);
    setSentCode(needCode);
    const r = await signIn.run({
      input: { email: email.trim(), password, twoFactorCode: needCode ? code.trim() : null },
    });
    if (r) {
      route(safeNext(query.next), true);
      return;
    }
  };

  const err = signIn.error;
  // The server asks for the second factor: show the code field, keep email and password.
  const askCode = err instanceof ApiError && err.code === 'TWO_FACTOR_REQUIRED';
  useEffect(() => {
    if (askCode) setNeedCode(true);
  }, [askCode]);
  const message =
    problem ??
    (!err ? null : !askCode ? signInMessage(err) : sentCode ? 'That code is not right. Enter the current code from your app, or a recovery code.' : null);

  return (
    <>
      <h1>Sign in to Loupe</h1>
      <form onSubmit={submit} noValidate aria-describedby={message ? 'signin-error' : undefined}>
        <TextInput label="Email" type="email" autocomplete="username" value={email} onValue={setEmail} autofocus={!needCode} required />
        <TextInput label="Password" type="password" autocomplete="current-password" value={password} onValue={setPassword} required />
        {needCode ? (
          <TextInput
            label="Two-factor code"
            hint="The 6-digit code from your authenticator app, or one of your recovery codes."
            autocomplete="one-time-code"
            inputMode="text"
            value={code}
            onValue={setCode}
            autofocus
            maxLength={40}
          />
        ) : null}
        {message ? (
          <p class="form-error" id="signin-error" role="alert">
            {message}
          </p>
        ) : null}
        <div class="actions">
          <Button type="submit" variant="primary" busy={signIn.pending}>
            {needCode ? 'Verify and sign in' : 'Sign in'}
          </Button>
        </div>
      </form>
      <p class="muted auth-foot">
        No account yet? Ask an admin of your organization for an invite link. Forgot your password? An admin can invite you again, or an
        operator can run <code>loupe admin create-user</code>.
      </p>
    </>
  );
}
