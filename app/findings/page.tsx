import { redirect } from 'next/navigation';

export default function FindingsPage() {
  redirect('/findings/placeholder');
}
