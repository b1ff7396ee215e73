import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { ZodType } from 'zod';

type SearchValue = string | number | undefined;

/**
 * Page state kept in the URL (filters, sort, page, open drawer), so a view can be
 * shared and survives a reload. The schema gives every key a `.catch()` default,
 * so a hand-edited URL never breaks the page.
 */
export function useSearchState<T extends object>(schema: ZodType<T>) {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => schema.parse(Object.fromEntries(params)), [params, schema]);

  /** Sets or clears keys; any change but a page change goes back to page 1. */
  const update = useCallback(
    (patch: Partial<Record<Extract<keyof T, string>, SearchValue>>, options: { replace?: boolean } = {}) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [key, value] of Object.entries(patch) as [string, SearchValue][]) {
            if (value === undefined || value === '') next.delete(key);
            else next.set(key, String(value));
          }
          if (!('page' in patch)) next.delete('page');
          return next;
        },
        { replace: options.replace ?? false },
      );
    },
    [setParams],
  );

  return [state, update] as const;
}
