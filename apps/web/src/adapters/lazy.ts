/**
 * `eager` with the fields of `make()` added as getters: `make` runs on the first read of any of
 * them, once, and its values are kept. The fields are enumerable, so equality, spreading and JSON
 * see them as plain values. What it is for: a large lab's canvas draws ~20 of its 2,000 cards at
 * first (canvas/use-staged.ts), and a card's rows, drift and firewall summary are worth working
 * out only when something reads them (docs/benchmarks.md, "First render at 2,000").
 */
export function withLazy<E extends object, L extends object>(
  eager: E,
  keys: readonly (keyof L & string)[],
  make: () => L,
): E & L {
  let made: L | undefined;
  const out = eager as E & L;
  for (const key of keys)
    Object.defineProperty(out, key, {
      get: () => (made ??= make())[key],
      enumerable: true,
      configurable: true,
    });
  return out;
}
