/**
 * Why a string cannot be stored as sent, or undefined when it can. Shared by
 * the OCPP pre-write check and the REST input guard, so both refuse the same
 * strings with the same words.
 *
 * - U+0000: PostgreSQL's text and jsonb cannot hold it (SQLSTATE 22021 for
 *   text, 22P05 for a jsonb "\u0000" escape), on PGlite as on a server.
 * - An unpaired UTF-16 surrogate: jsonb refuses its escape (22P02) and the
 *   UTF-8 encoder of the drivers silently turns it into U+FFFD in text, so
 *   what is stored would not be what was sent.
 */
export function textProblem(s: string): string | undefined {
  if (s.includes('\u0000')) return 'must not contain a NUL character';
  // With the u flag a well-formed pair is one code point, so \p{Cs} matches only a surrogate left alone.
  if (/\p{Cs}/u.test(s)) return 'must be valid Unicode (it holds an unpaired surrogate)';
  return undefined;
}

/**
 * Field path → problem for every string (and object key) in `value` that
 * cannot be stored; `prefix` names the root. Iterative, so a deeply nested
 * body cannot overflow the stack.
 */
export function textProblems(value: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  const stack: [unknown, string][] = [[value, prefix]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) out[path || 'value'] ??= problem;
    } else if (v !== null && typeof v === 'object') {
      for (const [key, child] of Object.entries(v)) {
        const keyProblem = textProblem(key);
        const name = keyProblem ? visibleKey(key) : key;
        const childPath = path ? `${path}.${name}` : name;
        if (keyProblem) out[childPath] ??= `has a name that ${keyProblem}`;
        stack.push([child, childPath]);
      }
    }
  }
  return out;
}

/** A key that cannot be stored is named with its bad characters escaped, so the answer itself can be. */
function visibleKey(key: string): string {
  return key.replaceAll('\u0000', '\\u0000').replace(/\p{Cs}/gu, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}
