import { getServerSession } from 'next-auth';
import { redirect } from 'next/navigation';
import { authOptions } from '@/lib/auth/options.ts';
import { roles } from '@/lib/auth/roles.ts';
import { accessSettings } from '@/lib/auth/settings.ts';
import { SignOutButton } from '../_components/sign-out-button.tsx';

export const dynamic = 'force-dynamic';

export default async function AccessDeniedPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (accessSettings().mode === 'local') redirect('/');
  const session = await getServerSession(authOptions());
  if (!session?.user.id) redirect('/signin');
  const { need } = await searchParams;
  const needed = roles.find((role) => role === need);
  return (
    <section className="mx-auto mt-16 max-w-md rounded border border-slate-200 bg-white p-6 shadow-sm" aria-labelledby="denied-heading">
      <h1 id="denied-heading" className="mb-2 text-xl font-semibold">Access denied</h1>
      <p className="mb-2 text-sm text-slate-700">
        You are signed in as <strong data-testid="denied-email">{session.user.email}</strong>
        {session.user.roles.length > 0 ? <> with the role{session.user.roles.length > 1 ? 's' : ''} {session.user.roles.join(', ')}</> : <>, but no Reconcile role is assigned to this account</>}.
      </p>
      {needed && <p className="mb-2 text-sm text-slate-700">This page needs the <strong>{needed}</strong> role.</p>}
      <p className="mb-4 text-sm text-slate-600">Ask an administrator to add you to a Reconcile app role or group.</p>
      <SignOutButton />
    </section>
  );
}
