import { useEffect, useState } from 'react';

/**
 * `value` once it has stopped changing for `ms`: a search box bound to it asks
 * the server once per pause, not once per keystroke. The first value is taken
 * at once, so a page's first load is not delayed.
 */
export function useDebounced<T>(value: T, ms = 250): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return settled;
}
