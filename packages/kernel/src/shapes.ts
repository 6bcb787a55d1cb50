/**
 * A new object: `base`'s keys, then `added`'s, made so that objects made alike share one hidden
 * class.
 *
 * Not `{ ...base, ...added }` where `added` has a key `base` lacks: on Node 20's V8 an object
 * spread followed by a new key gives every object made there a hidden class of its own. The
 * lab's 3,000 interfaces then had 3,000 classes, every loop over them (the plan's, the diff's, the
 * sample's) went megamorphic, and a plan at 1,000 namespaces took 3x as long on the live state as
 * on a copy of it (docs/benchmarks.md, "One hidden class per interface"). `Object.assign` onto a
 * fresh object adds the keys by the shared transitions.
 */
export function withKeys<T extends object, U extends object>(base: T, added: U): Omit<T, keyof U> & U {
  return Object.assign({}, base, added);
}
