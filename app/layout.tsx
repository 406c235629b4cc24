import type { Metadata } from 'next';
import './globals.css';
import { publicConfig } from '@/lib/config.ts';

export const metadata: Metadata = { title: 'Reconcile', description: 'Review and apply file reconciliation' };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  const config = publicConfig();
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        {config.authMode === 'local' && (
          <div role="status" data-testid="local-mode-banner" className="bg-amber-300 px-4 py-1 text-center text-sm font-medium text-amber-950">
            Local mode — no sign-in, loopback only
          </div>
        )}
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto flex max-w-6xl items-center gap-6 px-4 py-3">
            <a href="/" className="text-lg font-semibold">Reconcile</a>
            <span className="ml-auto text-xs text-slate-500">v{config.version}</span>
          </div>
        </header>
        <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
      </body>
    </html>
  );
}
