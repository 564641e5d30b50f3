/**
 * Preloaded into a real server process by test/server/main-faults.test.ts
 * (`node --import tsx --import ./test/helpers/fault-injection.ts server/main.ts`):
 * on SIGUSR2 it causes the fault named by CHARGEOPS_TEST_FAULT, as a bug in
 * any module would, so the entry point's process-level handlers meet the real
 * thing. With CHARGEOPS_TEST_FAULT=kill-after-meter-commit it kills the
 * process itself (SIGKILL) between a MeterValues commit and its answer. It is
 * never loaded by the server itself.
 */
const fault = process.env.CHARGEOPS_TEST_FAULT;

if (fault === 'kill-after-meter-commit') {
  // The process dies the instant the Nth MeterValues has committed, before its
  // handler can answer: a crash between write and answer (server/ocpp/meter-writes.ts).
  const { Batcher } = await import('../../db/batcher.ts');
  const killAt = Number(process.env.CHARGEOPS_TEST_KILL_AT ?? '1');
  let committed = 0;
  const submit = Batcher.prototype.submit;
  Batcher.prototype.submit = function (this: InstanceType<typeof Batcher>, item: unknown) {
    return submit.call(this, item).then((result) => {
      if (typeof item === 'object' && item !== null && 'samples' in item && ++committed === killAt)
        process.kill(process.pid, 'SIGKILL');
      return result;
    });
  } as typeof submit;
}

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
