import { redirect } from 'next/navigation';
import { getServerSession } from 'next-auth';
import { safeCallback } from '@/lib/auth/callback.ts';
import { authOptions, providerId } from '@/lib/auth/options.ts';
import { accessSettings } from '@/lib/auth/settings.ts';
import { SignInButton } from './sign-in-button.tsx';

export const dynamic = 'force-dynamic';

/** next-auth error codes worth explaining; anything else reads as a generic failure. */
const errorMessages: Record<string, string> = {
  AccessDenied: 'This account may not sign in to Reconcile.',
  OAuthCallback: 'Sign-in with Microsoft did not complete. Try again.',
  OAuthSignin: 'Could not start sign-in with Microsoft. Try again.',
  SessionRequired: 'Sign in to continue.',
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const settings = accessSettings();
  if (settings.mode === 'local') redirect('/');
  const params = await searchParams;
  const callbackUrl = safeCallback(params.callbackUrl, settings.origin);
  if ((await getServerSession(authOptions()))?.user.id) redirect(callbackUrl);
  const error = typeof params.error === 'string' ? (errorMessages[params.error] ?? 'Sign-in failed. Try again.') : undefined;
  return (
    <section className="mx-auto mt-16 max-w-sm rounded border border-slate-200 bg-white p-6 shadow-sm" aria-labelledby="signin-heading">
      <h1 id="signin-heading" className="mb-2 text-xl font-semibold">Sign in to Reconcile</h1>
      <p className="mb-4 text-sm text-slate-600">Use your Microsoft work account.</p>
      {error && (
        <p role="alert" className="mb-4 rounded bg-red-50 px-3 py-2 text-sm text-red-800">{error}</p>
      )}
      <SignInButton providerId={providerId} callbackUrl={callbackUrl} />
    </section>
  );
}
