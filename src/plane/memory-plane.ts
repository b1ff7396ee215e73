import type { Plane } from './plane.js';

/** The embedded-mode plane: everything in this process's memory. */
export function createMemoryPlane(): Plane {
  return {
    kind: 'memory',
    ping: async () => 0,
    close: async () => {},
  };
}
