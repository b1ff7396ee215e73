/** Admins do everything in their tenant; analysts read everything and run exports. */
export const roles = ['admin', 'analyst'] as const;
export type Role = (typeof roles)[number];

export function canWrite(role: Role): boolean {
  return role === 'admin';
}
