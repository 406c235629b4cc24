'use client';
import { signOut } from 'next-auth/react';

export function SignOutButton({ compact = false }: { compact?: boolean }) {
  return (
    <button
      type="button"
      onClick={() => void signOut({ callbackUrl: '/signin' })}
      className={`rounded border border-slate-300 font-medium hover:bg-slate-100 focus:outline-none focus:ring-2 focus:ring-blue-400 ${compact ? 'px-2 py-0.5 text-xs' : 'px-4 py-2 text-sm'}`}
    >
      Sign out
    </button>
  );
}
