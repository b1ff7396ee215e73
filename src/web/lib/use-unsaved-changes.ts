import { useCallback, useEffect, useRef, useState } from 'react';
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
 * Call `release` once the changes are saved, before navigating on (a new group opens its page):
 * the state update would come too late for that navigation.
 * Only one mounted form should use it at a time: the router supports one blocker.
 */
export function useUnsavedChanges(dirty: boolean): { prompt: UnsavedChangesPrompt; confirmLeave: (leave: () => void) => void; release: () => void } {
  // Read when a navigation happens, not when the page last rendered.
  const released = useRef(false);
  // Same-page changes (a filter in the query string) leave the form where it is, so only a new path asks.
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && !released.current && currentLocation.pathname !== nextLocation.pathname);
  const [pending, setPending] = useState<(() => void) | null>(null);

  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (released.current) return;
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
  // A form that stays on screen after a save (and says it is clean again) guards its next edits anew.
  useEffect(() => {
    if (!dirty) released.current = false;
  }, [dirty]);

  const release = useCallback(() => {
    released.current = true;
  }, []);
  return { prompt, confirmLeave, release };
}
