import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useAuth } from '../auth/auth-context.tsx';
import { Field } from '../components/field.tsx';
import { Logo } from '../components/layout.tsx';

export function SignInPage() {
  const { checkKey, signIn, signOutReason } = useAuth();
  const [error, setError] = useState<string | null>(null);
  const { register, handleSubmit, formState, setFocus } = useForm<{ key: string }>({
    defaultValues: { key: '' },
  });
  // The key field is the only thing to do on this page.
  useEffect(() => setFocus('key'), [setFocus]);

  const onSubmit = handleSubmit(async ({ key }) => {
    setError(null);
    const result = await checkKey(key);
    if (result.ok) signIn(key.trim());
    else setError(result.message);
  });

  return (
    <main className="sign-in">
      <form className="card sign-in-card" onSubmit={onSubmit} noValidate>
        <div className="brand brand-large">
          <Logo />
          <span>Warden</span>
        </div>
        <h1>Sign in</h1>
        <p className="muted">
          Use the master key or the key of a proxy_admin user. It is kept for this browser tab only.
        </p>
        {signOutReason && !error ? (
          <div className="notice" role="status">
            {signOutReason}
          </div>
        ) : null}
        <Field label="Admin key" error={error ?? undefined}>
          {(a) => (
            <input
              {...a}
              {...register('key')}
              type="password"
              autoComplete="current-password"
              placeholder="sk-…"
            />
          )}
        </Field>
        <button type="submit" className="btn btn-primary btn-block" disabled={formState.isSubmitting}>
          {formState.isSubmitting ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
