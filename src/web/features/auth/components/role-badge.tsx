import type { Me } from '../api/get-me.js';

const styles: Record<Me['role'], string> = {
  admin: 'bg-indigo-50 text-indigo-700 ring-indigo-600/20',
  analyst: 'bg-slate-100 text-slate-700 ring-slate-500/20',
};

const labels: Record<Me['role'], string> = { admin: 'Admin', analyst: 'Analyst' };

/** What a role may do, in one sentence. */
export const roleSummaries: Record<Me['role'], string> = {
  admin: 'You can change everything in this tenant: agents, routing, users and settings.',
  analyst: 'You can see everything in this tenant and run exports, but not change configuration.',
};

export function RoleBadge({ role }: { role: Me['role'] }) {
  return (
    <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${styles[role]}`}>{labels[role]}</span>
  );
}
