import { Link } from 'react-router';
import { focusRing } from './button.js';

export interface TabLink {
  label: string;
  /** The link target (a path with its search string). */
  to: string;
  active: boolean;
}

/** Sections of one page as links, so each section has its own shareable URL. */
export function TabLinks({ label, tabs }: { label: string; tabs: readonly TabLink[] }) {
  return (
    <nav aria-label={label} className="mb-6 border-b border-slate-200">
      <ul className="-mb-px flex gap-6 overflow-x-auto">
        {tabs.map((tab) => (
          <li key={tab.to}>
            <Link
              to={tab.to}
              aria-current={tab.active ? 'page' : undefined}
              className={`inline-block whitespace-nowrap border-b-2 px-1 pb-3 text-sm font-medium ${focusRing} ${
                tab.active ? 'border-indigo-600 text-indigo-700' : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900'
              }`}
            >
              {tab.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
