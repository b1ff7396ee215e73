import { BookOpen } from 'lucide-react';
import type { ReactNode } from 'react';
import { NavLink, useNavigation } from 'react-router';
import { focusRing } from '../ui/button.js';
import { Brand } from './brand.js';
import { ConnectionIndicator } from './connection-indicator.js';
import type { NavItem } from './nav-items.js';

interface AppShellProps {
  /** The sections this user may open. */
  items: readonly NavItem[];
  /** Left of the top bar from xl up (the tenant); narrower screens leave the room to topBarEnd. */
  topBarStart: ReactNode;
  /** Right of the top bar (the signed-in user and sign out). */
  topBarEnd: ReactNode;
  children: ReactNode;
}

function linkClass({ isActive }: { isActive: boolean }, layout: string): string {
  const state = isActive ? 'bg-indigo-50 text-indigo-700' : 'text-slate-600 hover:bg-slate-100 hover:text-slate-900';
  return `flex items-center gap-2.5 rounded-md text-sm font-medium transition-colors ${focusRing} ${layout} ${state}`;
}

function NavLinks({ items, layout }: { items: readonly NavItem[]; layout: string }) {
  return items.map(({ to, label, icon: Icon }) => (
    <NavLink key={to} to={to} end={to === '/'} className={(state) => linkClass(state, layout)}>
      <Icon className="size-4 shrink-0" aria-hidden="true" />
      {label}
    </NavLink>
  ));
}

/** The signed-in frame: a sidebar from lg (1024 px) up; tablets and phones get a scrolling top nav and the full width. */
export function AppShell({ items, topBarStart, topBarEnd, children }: AppShellProps) {
  const navigation = useNavigation();
  return (
    <div className="min-h-screen">
      {navigation.state === 'loading' && <div className="fixed inset-x-0 top-0 z-30 h-0.5 animate-pulse bg-indigo-500" aria-hidden="true" />}
      <aside className="fixed inset-y-0 left-0 hidden w-60 flex-col border-r border-slate-200 bg-white lg:flex">
        <div className="flex h-16 items-center border-b border-slate-200 px-5">
          <Brand />
        </div>
        <nav aria-label="Main" className="flex flex-1 flex-col gap-1 overflow-y-auto p-3">
          <NavLinks items={items} layout="px-3 py-2" />
        </nav>
        <div className="border-t border-slate-200 p-3">
          <a href="/docs" target="_blank" rel="noreferrer" className={linkClass({ isActive: false }, 'px-3 py-2')}>
            <BookOpen className="size-4 shrink-0" aria-hidden="true" />
            API reference
          </a>
        </div>
      </aside>
      <div className="flex min-h-screen flex-col lg:pl-60">
        <header className="sticky top-0 z-20 bg-white/95 backdrop-blur">
          {/* 64px including its border, like the sidebar's brand row beside it. */}
          <div className="flex h-16 items-center gap-4 border-b border-slate-200 px-4 sm:px-6 lg:px-8">
            <div className="lg:hidden">
              <Brand nameFrom="sm" />
            </div>
            <div className="hidden min-w-0 xl:block">{topBarStart}</div>
            <div className="ml-auto flex min-w-0 items-center gap-3">
              <ConnectionIndicator />
              {topBarEnd}
            </div>
          </div>
          <nav aria-label="Main" className="flex gap-1 overflow-x-auto border-b border-slate-200 px-2 py-2 lg:hidden">
            <NavLinks items={items} layout="shrink-0 whitespace-nowrap px-3 py-1.5" />
          </nav>
        </header>
        <main className="flex-1 px-4 py-6 sm:px-6 lg:px-8 lg:py-8">{children}</main>
      </div>
    </div>
  );
}
