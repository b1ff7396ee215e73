import { useCallback, useEffect, useState } from 'react';
import { useBlocker } from 'react-router';

/** What a page shows while it asks "leave without saving?" (see `UnsavedChangesDialog`). */
export interface UnsavedChangesPrompt {
  /** True while the question is on screen. */
  open: boolean;
  /** Keep editing: the navigation or close that was asked for does not happen. */
  stay: () => void;
  /** Throw the changes away and go where the user was going. */
  leave: () => void;
}

/**
 * Guards a form with unsaved changes: a link or Back to another page is held until the user
 * says to leave (React Router's blocker), closing or reloading the tab gets the browser's own
 * question (beforeunload), and `confirmLeave` runs a close action (a dialog's Cancel) at once
 * when nothing is unsaved, otherwise after the same question.
 * Only one mounted form should use it at a time: the router supports one blocker.
 */
export function useUnsavedChanges(dirty: boolean): { prompt: UnsavedChangesPrompt; confirmLeave: (leave: () => void) => void } {
  // Same-page changes (a filter in the query string) leave the form where it is, so only a new path asks.
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);
  const [pending, setPending] = useState<(() => void) | null>(null);

  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);

  const confirmLeave = useCallback(
    (leave: () => void) => {
      if (dirty) setPending(() => leave);
      else leave();
    },
    [dirty],
  );

  const blocked = blocker.state === 'blocked';
  const prompt: UnsavedChangesPrompt = {
    open: blocked || pending !== null,
    stay: () => {
      if (blocked) blocker.reset();
      setPending(null);
    },
    leave: () => {
      if (blocked) blocker.proceed();
      const run = pending;
      setPending(null);
      run?.();
    },
  };
  return { prompt, confirmLeave };
}
