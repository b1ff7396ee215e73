import { z } from 'zod';
import { domainInputField, emailField, passwordField, personNameField, timeZoneField } from './fields.js';

export const registerBody = z
  .object({
    name: personNameField,
    email: emailField,
    password: passwordField,
    password_confirmation: z.string().max(128),
    tenant_name: z.string().trim().min(1, { message: 'is required' }).max(120),
    domain: domainInputField,
    /** The tenant's time zone (the registering browser's); UTC when not given. */
    timezone: timeZoneField.optional(),
  })
  .refine((b) => b.password === b.password_confirmation, {
    path: ['password_confirmation'],
    message: 'does not match the password',
  });
export type RegisterInput = z.infer<typeof registerBody>;

export const loginBody = z.object({
  email: emailField,
  password: z.string().min(1, { message: 'is required' }).max(128),
});
export type LoginInput = z.infer<typeof loginBody>;
