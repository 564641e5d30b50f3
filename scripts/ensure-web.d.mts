/** Types of ensure-web.mjs for the TypeScript tests. */
export function webBuildStale(): boolean;
export function ensureWebBuilt(opts?: { quiet?: boolean }): Promise<boolean>;
