import { BookOpen, Menu } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { NavLink, useNavigation } from 'react-router';
import { Button, focusRing } from '../ui/button.js';
import { Brand } from './brand.js';
import { ConnectionIndicator } from './connection-indicator.js';
import { NavDrawer } from './nav-drawer.js';
import type { NavItem } from './nav-items.js';

interface AppShellProps {
  /** The sections this user may open. */
  items: readonly NavItem[];
  /** A count shown beside a section's link (firing alerts), by its path; 0 shows none. */
  badges?: Readonly<Record<string, number>>;
  /** Left of the top bar from xl up (the tenant); narrower screens leave the room to topBarEnd. */
  topBarStart: ReactNode;
  /** Right of the top bar (the signed-in user and sign out). */
  topBarEnd: ReactNode;
  children: ReactNode;
}

function linkClass({ isActive }: { isActive: boolean }): string {
  const state = isActive ? 'bg-indigo-50 text-indigo-700' : 'text-slate-600 hover:bg-slate-100 hover:text-slate-900';
  return `flex items-center gap-2.5 rounded-md px-3 py-2 text-sm font-medium transition-colors ${focusRing} ${state}`;
}

/** The sections and the API reference: the sidebar's content, and the menu sheet's. */
function Navigation({ items, badges = {}, onNavigate }: { items: readonly NavItem[]; badges?: Readonly<Record<string, number>>; onNavigate?: () => void }) {
  return (
    <>
      <nav aria-label="Main" className="flex flex-1 flex-col gap-1 overflow-y-auto p-3">
        {items.map(({ to, label, icon: Icon }) => (
          <NavLink key={to} to={to} end={to === '/'} className={linkClass} onClick={onNavigate}>
            <Icon className="size-4 shrink-0" aria-hidden="true" />
            {label}
            {(badges[to] ?? 0) > 0 && (
              <span className="ml-auto rounded-full bg-red-600 px-1.5 py-0.5 text-xs font-semibold tabular-nums leading-none text-white" data-nav-badge={to}>
                {badges[to]}
                <span className="sr-only"> open</span>
              </span>
            )}
          </NavLink>
        ))}
      </nav>
      <div className="border-t border-slate-200 p-3">
        <a href="/docs" target="_blank" rel="noreferrer" className={linkClass({ isActive: false })}>
          <BookOpen className="size-4 shrink-0" aria-hidden="true" />
          API reference
        </a>
      </div>
    </>
  );
}

const drawerId = 'main-menu';

/** The signed-in frame: a sidebar from lg (1024 px) up; tablets and phones get a menu button that opens it as a sheet. */
export function AppShell({ items, badges, topBarStart, topBarEnd, children }: AppShellProps) {
  const navigation = useNavigation();
  const [menuOpen, setMenuOpen] = useState(false);
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className={`sr-only focus:not-sr-only focus:fixed focus:left-3 focus:top-3 focus:z-50 focus:rounded-md focus:bg-white focus:px-4 focus:py-2 focus:text-sm focus:font-semibold focus:text-indigo-700 focus:shadow-lg ${focusRing}`}
      >
        Skip to content
      </a>
      {navigation.state === 'loading' && <div className="fixed inset-x-0 top-0 z-30 h-0.5 animate-pulse bg-indigo-500" aria-hidden="true" />}
      <aside className="fixed inset-y-0 left-0 hidden w-60 flex-col border-r border-slate-200 bg-white lg:flex">
        <div className="flex h-16 items-center border-b border-slate-200 px-5">
          <Brand />
        </div>
        <Navigation items={items} {...(badges ? { badges } : {})} />
      </aside>
      <NavDrawer id={drawerId} open={menuOpen} onClose={() => setMenuOpen(false)}>
        <Navigation items={items} {...(badges ? { badges } : {})} onNavigate={() => setMenuOpen(false)} />
      </NavDrawer>
      <div className="flex min-h-screen flex-col lg:pl-60">
        <header className="sticky top-0 z-20 bg-white/95 backdrop-blur">
          {/* 64px including its border, like the sidebar's brand row beside it. */}
          <div className="flex h-16 items-center gap-2 border-b border-slate-200 px-3 sm:gap-4 sm:px-6 lg:px-8">
            <Button
              variant="ghost"
              className="px-2 lg:hidden"
              onClick={() => setMenuOpen(true)}
              aria-label="Menu"
              aria-expanded={menuOpen}
              aria-controls={drawerId}
              aria-haspopup="dialog"
              icon={<Menu className="size-5" aria-hidden="true" />}
            />
            <div className="lg:hidden">
              <Brand nameHidden />
            </div>
            <div className="hidden min-w-0 xl:block">{topBarStart}</div>
            <div className="ml-auto flex min-w-0 items-center gap-2 sm:gap-3">
              <ConnectionIndicator />
              {topBarEnd}
            </div>
          </div>
        </header>
        <main id="main" tabIndex={-1} className="flex-1 px-4 py-6 focus:outline-none sm:px-6 lg:px-8 lg:py-8">
          {children}
        </main>
      </div>
    </div>
  );
}
