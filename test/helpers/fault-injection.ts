/**
 * Preloaded into a real server process by test/server/main-faults.test.ts
 * (`node --import tsx --import ./test/helpers/fault-injection.ts server/main.ts`):
 * on SIGUSR2 it causes the fault named by CHARGEOPS_TEST_FAULT, as a bug in
 * any module would, so the entry point's process-level handlers meet the real
 * thing. It is never loaded by the server itself.
 */
const fault = process.env.CHARGEOPS_TEST_FAULT;

process.on('SIGUSR2', () => {
  if (fault === 'rejection') {
    // A promise dropped with `void`, as the upgrade path once did.
    void Promise.reject(new Error('injected: a dropped promise rejected'));
  } else if (fault === 'exception') {
    setImmediate(() => {
      throw new Error('injected: an exception nobody caught');
    });
  }
});
