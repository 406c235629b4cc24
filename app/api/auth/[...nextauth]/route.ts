// next-auth's own endpoints (sign-in, callback, session, sign-out, CSRF token). The only handler
// not built with route(): it is how a session comes to exist. Local mode has no sign-in.
import NextAuth from 'next-auth';
import { errorResponse } from '@/lib/api/respond.ts';
import { authOptions } from '@/lib/auth/options.ts';
import { accessSettings } from '@/lib/auth/settings.ts';

type Context = { params: Promise<{ nextauth: string[] }> };

async function handler(request: Request, context: Context): Promise<Response> {
  if (accessSettings().mode === 'local') return errorResponse('not_found', 'local mode has no sign-in');
  return NextAuth(request as never, context as never, authOptions()) as Promise<Response>;
}

export { handler as GET, handler as POST };
