/**
 * `npm run bench:ocpp [-- --storm | --saturate] [flags]`:
 *   (default) the fixed-rate bench with whole sessions (sessions.ts),
 *   `--saturate` the closed-loop ceiling against the bare server (saturate.ts),
 *   `--storm` the reconnect storm after a restart (storm/run.ts).
 * Each file documents its flags.
 */
const mode = process.argv.includes('--storm')
  ? await import('./storm/run.ts')
  : process.argv.includes('--saturate')
    ? await import('./saturate.ts')
    : await import('./sessions.ts');

mode.main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
