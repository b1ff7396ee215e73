import { useSyncExternalStore } from 'react';

/**
 * The signed-in user's bearer token, kept in localStorage so a reload stays
 * signed in. Components read it with `useToken()`; writes notify subscribers,
 * and a sign-out in another tab reaches this one through the `storage` event.
 */
const storageKey = 'vlb.token';
/** Set at the first sign-in: a browser that never signed in is sent to registration, not to sign-in. */
const seenKey = 'vlb.signed-in-before';
const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) listener();
}

export function getToken(): string | null {
  try {
    return window.localStorage.getItem(storageKey);
  } catch {
    // Storage can be blocked (private mode, strict settings): behave as signed out.
    return null;
  }
}

export function setToken(token: string): void {
  try {
    window.localStorage.setItem(storageKey, token);
    window.localStorage.setItem(seenKey, '1');
  } finally {
    notify();
  }
}

/** Whether anyone ever signed in from this browser (first run → the registration page). */
export function hasSignedInBefore(): boolean {
  try {
    return window.localStorage.getItem(seenKey) !== null;
  } catch {
    return true;
  }
}

export function clearToken(): void {
  try {
    window.localStorage.removeItem(storageKey);
  } finally {
    notify();
  }
}

function onStorage(event: StorageEvent): void {
  if (event.key === storageKey || event.key === null) notify();
}

export function subscribe(listener: () => void): () => void {
  if (listeners.size === 0) window.addEventListener('storage', onStorage);
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) window.removeEventListener('storage', onStorage);
  };
}

/** The current token, re-rendering when it changes. */
export function useToken(): string | null {
  return useSyncExternalStore(subscribe, getToken, () => null);
}
