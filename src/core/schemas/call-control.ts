import { z } from 'zod';
import { callRecordView } from './call-records.js';

/** Whom a live call is handed to: an agent, a group (its strategy picks the agent), or a person's number. */
export const handOffTargetTypes = ['agent', 'group', 'number'] as const;

export const handOffBody = z
  .object({
    target_type: z.enum(handOffTargetTypes),
    /** The agent's or group's id (agent and group). */
    target_id: z.number().int().positive().max(2_147_483_647).optional(),
    /** The number to dial (number), e.g. +12125550187. */
    number: z.string().max(64).optional(),
  })
  .strict();
export type HandOffBody = z.infer<typeof handOffBody>;

export const handOffResult = z.object({
  call: callRecordView,
  /** Who has the call now: the agent (chosen from the group, for a group) or the number. */
  handed_to: z.object({
    type: z.enum(handOffTargetTypes),
    agent_id: z.number().int().nullable(),
    agent_name: z.string().nullable(),
    group_id: z.number().int().nullable(),
    number: z.string().nullable(),
  }),
});
export type HandOffResult = z.infer<typeof handOffResult>;
