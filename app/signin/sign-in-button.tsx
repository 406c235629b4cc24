'use client';
import { signIn } from 'next-auth/react';
import { useState } from 'react';

export function SignInButton({ providerId, callbackUrl }: { providerId: string; callbackUrl: string }) {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signIn(providerId, { callbackUrl });
      }}
      className="w-full rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 focus:outline-none focus:ring-2 focus:ring-blue-400 disabled:opacity-60"
    >
      {pending ? 'Redirecting…' : 'Sign in with Microsoft'}
    </button>
  );
}
