/**
 * A value now, or a promise of it. The routing path's steps answer this way: the embedded plane
 * answers at once, so a decision over it runs from the request to its answer without a promise
 * (or a microtask) per step; a scaled plane answers later, and the same steps carry on when it
 * does. A step checks `value instanceof Promise` and goes on at once, or in `then` (a closure is
 * made only on that path).
 */
export type Eventually<T> = T | Promise<T>;
