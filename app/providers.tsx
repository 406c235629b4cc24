'use client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { SpaceProvider } from './_components/space.tsx';

export function Providers({ space, children }: { space: string; children: React.ReactNode }) {
  const [client] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, retry: 1, refetchOnWindowFocus: false } } }),
  );
  return (
    <QueryClientProvider client={client}>
      <SpaceProvider value={space}>{children}</SpaceProvider>
    </QueryClientProvider>
  );
}
