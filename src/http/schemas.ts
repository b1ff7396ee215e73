import { z } from 'zod';

/** Response schemas shared by every route file. */
export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
    requestId: z.string(),
  }),
});

/** Spread into a route's `response` so the OpenAPI document lists the errors it can answer. */
export const errorResponses = {
  400: errorBody,
  401: errorBody,
  403: errorBody,
  404: errorBody,
  409: errorBody,
  413: errorBody,
  415: errorBody,
  422: errorBody,
  429: errorBody,
} as const;

/** Routes that call the Cloudonix REST API can also answer 424 cloudonix_failed (Cloudonix unreachable or refusing). */
export const cloudonixErrorResponses = { ...errorResponses, 424: errorBody } as const;

export const pageMetaSchema = z.object({
  current_page: z.number().int(),
  per_page: z.number().int(),
  total: z.number().int(),
  last_page: z.number().int(),
  /** Lists of calls, CDRs and webhooks count up to 10,000 matches; true when there are more. */
  total_capped: z.boolean().optional(),
});

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), meta: pageMetaSchema });
}

/** `?active=true` style flags: only the literal words, anything else is a 422. */
export const queryBoolean = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
