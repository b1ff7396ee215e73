import { z } from 'zod';
import { emailField, passwordField, personNameField } from './fields.js';
import { roleField } from './user.js';

/** Who may create a tenant over HTTP, and whether the forgotten-password email can be sent. */
export const signupPolicyView = z.object({
  signup: z.enum(['first', 'open', 'closed']),
  /** Whether POST /api/auth/register would be accepted now. */
  registration_open: z.boolean(),
  /** Whether "forgot password" sends an email (SMTP_URL and PUBLIC_URL are set). */
  password_reset_email: z.boolean(),
});
export type SignupPolicyView = z.infer<typeof signupPolicyView>;

/** A link token from an invitation or reset email: opaque, prefixed, base64url. */
export const linkTokenField = z
  .string()
  .trim()
  .min(20, { message: 'is not a valid link' })
  .max(100, { message: 'is not a valid link' })
  .regex(/^[a-z]+_[A-Za-z0-9_-]+$/, { message: 'is not a valid link' });

const confirmed = <T extends { password: string; password_confirmation: string }>(b: T) => b.password === b.password_confirmation;
const mismatch = { path: ['password_confirmation'], message: 'does not match the password' };

export const createInvitationBody = z.object({
  email: emailField,
  name: personNameField.optional(),
  role: roleField.default('analyst'),
});
export type CreateInvitationInput = z.infer<typeof createInvitationBody>;

export const invitationView = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string().nullable(),
  role: roleField,
  invited_by: z.number().int().nullable(),
  expires_at: z.string(),
  created_at: z.string(),
});
export type InvitationView = z.infer<typeof invitationView>;

/** What the admin gets back: the link itself only when no email could carry it. */
export const createdInvitationView = invitationView.extend({
  emailed: z.boolean(),
  accept_url: z.string().nullable(),
});
export type CreatedInvitationView = z.infer<typeof createdInvitationView>;

/** What the accept page shows before the password is set. */
export const invitationPreview = z.object({
  email: z.string(),
  name: z.string().nullable(),
  role: roleField,
  tenant_name: z.string(),
  expires_at: z.string(),
});
export type InvitationPreview = z.infer<typeof invitationPreview>;

export const acceptInvitationBody = z
  .object({
    token: linkTokenField,
    name: personNameField,
    password: passwordField,
    password_confirmation: z.string().max(128),
  })
  .refine(confirmed, mismatch);
export type AcceptInvitationInput = z.infer<typeof acceptInvitationBody>;

export const changePasswordBody = z
  .object({
    current_password: z.string().min(1, { message: 'is required' }).max(128),
    password: passwordField,
    password_confirmation: z.string().max(128),
  })
  .refine(confirmed, mismatch);
export type ChangePasswordInput = z.infer<typeof changePasswordBody>;

export const forgotPasswordBody = z.object({ email: emailField });
export type ForgotPasswordInput = z.infer<typeof forgotPasswordBody>;

export const resetPasswordBody = z
  .object({
    token: linkTokenField,
    password: passwordField,
    password_confirmation: z.string().max(128),
  })
  .refine(confirmed, mismatch);
export type ResetPasswordInput = z.infer<typeof resetPasswordBody>;

/** An admin's forced reset: the link is returned only when no email could carry it. */
export const forcedResetView = z.object({
  emailed: z.boolean(),
  reset_url: z.string().nullable(),
  expires_at: z.string(),
});
export type ForcedResetView = z.infer<typeof forcedResetView>;
