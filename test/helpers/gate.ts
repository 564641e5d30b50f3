/** A promise the test settles by hand (`open`), to order concurrent work exactly. */
export function gate<T = void>() {
  let open!: (v: T) => void;
  const promise = new Promise<T>((r) => (open = r));
  return { promise, open };
}
