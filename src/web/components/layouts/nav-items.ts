import { BellRing, Bot, ClipboardList, Download, FileText, Layers, LayoutDashboard, ListOrdered, PhoneCall, Settings, UserCog, Users, type LucideIcon } from 'lucide-react';

export interface NavItem {
  to: string;
  label: string;
  icon: LucideIcon;
  /** Shown to admins only (the API refuses analysts there anyway). */
  adminOnly?: boolean;
}

/** The sidebar, in order: watching calls first, configuration after. */
export const navItems: readonly NavItem[] = [
  { to: '/', label: 'Dashboard', icon: LayoutDashboard },
  { to: '/live-calls', label: 'Live calls', icon: PhoneCall },
  { to: '/call-records', label: 'Call records', icon: FileText },
  { to: '/alerts', label: 'Alerts', icon: BellRing },
  { to: '/agents', label: 'Agents', icon: Bot },
  { to: '/groups', label: 'Groups', icon: Users },
  { to: '/pools', label: 'Pools', icon: Layers },
  { to: '/rules', label: 'Rules', icon: ListOrdered },
  { to: '/exports', label: 'Exports', icon: Download },
  { to: '/audit', label: 'Audit', icon: ClipboardList },
  { to: '/users', label: 'Users', icon: UserCog, adminOnly: true },
  { to: '/settings', label: 'Settings', icon: Settings },
];
