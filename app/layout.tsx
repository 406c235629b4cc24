import type { Metadata } from 'next';
import './globals.css';
import { publicConfig } from '@/lib/config.ts';
import { currentActor } from '@/lib/auth/actor.ts';
import { SignOutButton } from './_components/sign-out-button.tsx';
import { Nav } from './_components/nav.tsx';
import { Providers } from './providers.tsx';

export const metadata: Metadata = { title: 'Reconcile', description: 'Review and apply file reconciliation' };
// Every page, the not-found page too, shows the sign-in mode the server runs in: rendered per request,
// never at build time (where no RECONCILE_AUTH is set and a baked-in banner would be wrong).
export const dynamic = 'force-dynamic';

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const config = publicConfig();
  // Who is signed in (Entra mode); people without a role see only the access-denied page's own sign-out.
  const actor = config.authMode === 'entra' ? await currentActor() : null;
  const signedIn = actor && actor.roles.length > 0 ? actor : null;
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
          Skip to content
        </a>
        {config.authMode === 'local' && (
          <div role="status" data-testid="local-mode-banner" className="bg-amber-300 px-4 py-1 text-center text-sm font-medium text-amber-950">
            Local mode — no sign-in, loopback only
          </div>
        )}
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto flex max-w-7xl flex-wrap items-end gap-x-6 px-4 pt-3">
            <a href="/" className="pb-2 text-lg font-semibold">Reconcile</a>
            <Nav />
            <div className="ml-auto flex items-center gap-3 pb-2 text-xs text-slate-600">
              {signedIn && (
                <>
                  <span data-testid="signed-in-as" title={signedIn.roles.join(', ')}>
                    {signedIn.email} · {signedIn.roles.at(-1)}
                  </span>
                  <SignOutButton compact />
                </>
              )}
              <span className="hidden sm:inline">v{config.version}</span>
            </div>
          </div>
        </header>
        <main id="main" className="mx-auto max-w-7xl px-4 py-6">
          <Providers space={config.space}>{children}</Providers>
        </main>
      </body>
    </html>
  );
}
