import type { ReactNode } from 'react';
import { Brand } from './brand.js';

interface AuthLayoutProps {
  title: string;
  subtitle: string;
  children: ReactNode;
  /** A line under the card, e.g. the link between sign-in and registration. */
  footer: ReactNode;
  wide?: boolean;
}

/** Centred card for the pages a signed-out visitor sees. */
export function AuthLayout({ title, subtitle, children, footer, wide = false }: AuthLayoutProps) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center bg-gradient-to-b from-slate-50 to-slate-100 dark:to-white px-4 py-12">
      <div className={`w-full ${wide ? 'max-w-lg' : 'max-w-sm'}`}>
        <div className="mb-8 flex justify-center">
          <Brand size="lg" />
        </div>
        <div className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
          <h1 className="text-xl font-semibold text-slate-900">{title}</h1>
          <p className="mt-1 text-sm text-slate-600">{subtitle}</p>
          <div className="mt-6">{children}</div>
        </div>
        <p className="mt-6 text-center text-sm text-slate-600">{footer}</p>
      </div>
    </main>
  );
}
