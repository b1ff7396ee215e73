import { z } from 'zod';
import { roles } from '../roles.js';
import { emailField, passwordField, personNameField } from './fields.js';

export const roleField = z.enum(roles, { message: `must be one of: ${roles.join(', ')}` });

export const createUserBody = z.object({
  name: personNameField,
  email: emailField,
  password: passwordField,
  role: roleField.default('analyst'),
});
export type CreateUserInput = z.infer<typeof createUserBody>;

export const updateUserBody = z
  .object({
    name: personNameField.optional(),
    role: roleField.optional(),
    active: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'give at least one of name, role, active' });
export type UpdateUserInput = z.infer<typeof updateUserBody>;

export const userView = z.object({
  id: z.number().int(),
  tenant_id: z.number().int(),
  name: z.string(),
  email: z.string(),
  role: roleField,
  active: z.boolean(),
  last_login_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type UserView = z.infer<typeof userView>;

export const meView = userView.extend({
  tenant: z.object({ id: z.number().int(), name: z.string(), domain: z.string() }),
});
export type MeView = z.infer<typeof meView>;
