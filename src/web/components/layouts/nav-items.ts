import { Bot, FileText, LayoutDashboard, ListOrdered, PhoneCall, Settings, Users, type LucideIcon } from 'lucide-react';

export interface NavItem {
  to: string;
  label: string;
  icon: LucideIcon;
  /** What the page will do, shown on its "coming soon" placeholder until it exists. */
  description: string;
}

/** The sidebar, in order. Placeholder pages reuse the descriptions. */
export const navItems: readonly NavItem[] = [
  { to: '/', label: 'Dashboard', icon: LayoutDashboard, description: 'An overview of your tenant.' },
  { to: '/agents', label: 'Agents', icon: Bot, description: 'Add the voice AI agents calls are sent to, and switch them on or off.' },
  { to: '/groups', label: 'Groups', icon: Users, description: 'Pool agents into groups that share calls by round robin, priority or load.' },
  { to: '/rules', label: 'Rules', icon: ListOrdered, description: 'Decide which agent or group answers each inbound number, and how outbound calls leave.' },
  { to: '/live-calls', label: 'Live calls', icon: PhoneCall, description: 'Watch calls ringing and connected right now.' },
  { to: '/call-records', label: 'Call records', icon: FileText, description: 'Search past calls, their routing decisions and timelines, and export them.' },
  { to: '/settings', label: 'Settings', icon: Settings, description: 'Your organisation, users and the webhook URLs to paste into Cloudonix.' },
];
