import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  bootedCharger,
  createOcppTestApp,
  rawExchange,
  registerCharger,
  SECRET,
  type OcppTestApp,
} from '../helpers/ocpp.ts';

// A third-party OCPP-J client against the real server: ocpp-ws-cli's `test`
// command (transport, RPC, security and chaos checks) and its `fuzz` command.
// It runs as a child process, non-interactively: every option is given (it
// prompts only for missing ones), stdin is closed, CI=true, NO_COLOR for plain
// output. Its results are read from the JSON report it writes.
const require = createRequire(import.meta.url);
const CLI = join(dirname(require.resolve('ocpp-ws-cli/package.json')), 'dist/index.js');
const ID = 'CONF0001';
/** Its checks wait 1–5 s each; the whole suite takes ~30 s. Far above that, something is wedged. */
const CLI_LIMIT_MS = 120_000;

interface CheckResult {
  name: string;
  passed: boolean;
  severity?: string;
  issue?: string;
}

/**
 * Checks that do not apply to an OCPP 1.6J Central System like ours, each
 * allowed to fail only with the issue text given (any other failure of it
 * still fails the test).
 */
const NOT_APPLICABLE: { name: string; issue: RegExp; why: string }[] = [
  {
    // The check expects the socket closed after a 200 KB DataTransfer. OCPP-J 1.6 sets no frame limit; ours answers a
    // frame above 64 KiB with CALLERROR FormationViolation and keeps the charger connected (server/ocpp/dispatch.ts),
    // and only a frame above 1 MiB closes the socket (1009). Dropping a charger for one big message would cost a
    // reconnect and resend of its queued transaction messages. The test below asserts our answer instead.
    name: 'Server rejects oversized frames (>128KB)',
    issue: /^Server did not close connection after oversized payload$/,
    why: 'answers CALLERROR FormationViolation and keeps the connection (asserted below)',
  },
  {
    // The check sends MessageId 12345 (a number) and accepts only OCPP 2.0.1's "FormatViolation" (or ProtocolError)
    // with the id echoed. OCPP-J 1.6 §4.2.3 spells the code "FormationViolation", and a number is no valid UniqueId
    // to echo: the answer carries "-1" (ocpp-rpc) so that the CALLERROR itself stays a valid 1.6 frame.
    name: 'Server enforces MessageId is a string',
    issue: /got: \[4,"-1","FormationViolation",/,
    why: 'OCPP 1.6 spells it FormationViolation; an invalid id cannot be echoed',
  },
  {
    // The check sends [2,id,"Heartbeat"] and accepts only OCPP 2.0.1's "FormatViolation" (or ProtocolError). A CALL
    // without its payload element does not conform to the PDU structure, which OCPP-J 1.6 §4.2.3 names
    // FormationViolation (server/ocpp/connection.ts); the test below asserts it.
    name: 'Server rejects missing payload in CALL',
    issue: /got: \[4,"[^"]+","FormationViolation",/,
    why: 'OCPP 1.6 names it FormationViolation (asserted below)',
  },
];

let t: OcppTestApp;
let workDir: string;

before(async () => {
  t = await createOcppTestApp();
  await registerCharger(t, ID);
  workDir = mkdtempSync(join(tmpdir(), 'chargeops-conformance-'));
});
after(async () => {
  await t.close();
  rmSync(workDir, { recursive: true, force: true });
});

/** ws://ID:SECRET@127.0.0.1:PORT/ocpp: ws sends the user info as HTTP Basic auth (security profile 1). */
const endpointWithCredentials = (user: string) =>
  t.endpoint.replace('ws://', `ws://${encodeURIComponent(user)}:${encodeURIComponent(SECRET)}@`);

interface Run {
  code: number | null;
  stdout: string;
  report: Record<string, unknown>;
}

/**
 * Runs the CLI to its end (or until `stopWhen` sees enough output, then
 * SIGINT, which it answers by writing its report), killed if it outlives the limit.
 */
function runCli(args: string[], reportDir: string, stopWhen?: (stdout: string) => boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args, '--report', 'json', '--report-dir', reportDir], {
      env: { ...process.env, CI: 'true', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let interrupted = false;
    const killer = setTimeout(() => child.kill('SIGKILL'), CLI_LIMIT_MS);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (stopWhen && !interrupted && stopWhen(stdout)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      if (signal === 'SIGKILL')
        return reject(
          new Error(`ocpp-ws-cli ${args[0]} did not finish within ${CLI_LIMIT_MS} ms:\n${stdout.slice(-2000)}`),
        );
      const files = readdirSync(reportDir).filter((f) => f.endsWith('.json'));
      if (files.length !== 1)
        return reject(
          new Error(`expected one JSON report in ${reportDir}, found ${files.length}:\n${stdout.slice(-2000)}`),
        );
      resolve({
        code,
        stdout,
        report: JSON.parse(readFileSync(join(reportDir, files[0]!), 'utf8')) as Record<string, unknown>,
      });
    });
  });
}

/** The tool's own fixed waits (3–5 s of wall-clock time each) running out, e.g. "No pong received within 5s". */
const TOOL_TIMEOUT = /timed? ?out|within \d+s/i;

async function conformanceRun(): Promise<CheckResult[]> {
  const dir = mkdtempSync(join(workDir, 'test-'));
  const run = await runCli(
    ['test', '-e', endpointWithCredentials(ID), '-i', ID, '-p', 'ocpp1.6', '--suite', 'all'],
    dir,
  );
  assert.equal(run.code, 0, run.stdout.slice(-2000));
  return run.report.testResults as CheckResult[];
}

const unexpectedFailures = (results: CheckResult[]) =>
  results.filter((r) => !r.passed && !NOT_APPLICABLE.some((a) => a.name === r.name && a.issue.test(r.issue ?? '')));

test('ocpp-ws-cli conformance suite: every check passes but the commented ones that do not apply', async () => {
  const results = await conformanceRun();
  assert.ok(results.length >= 20, `the four suites ran (${results.length} checks)`);
  for (const name of [
    'Heartbeat round-trip',
    'Server requires subprotocol',
    'Server rejects unknown action (NotImplemented)',
    'Server rejects missing payload in CALL',
  ]) {
    assert.ok(
      results.some((r) => r.name === name),
      `check "${name}" ran`,
    );
  }
  let unexpected = unexpectedFailures(results);
  // On a starved CI machine the tool's wall-clock waits can run out with nothing wrong on the wire. Only then, one
  // more run, which must pass whole; any other failure fails at once.
  if (unexpected.length > 0 && unexpected.every((r) => TOOL_TIMEOUT.test(r.issue ?? ''))) {
    unexpected = unexpectedFailures(await conformanceRun());
  }
  assert.deepEqual(unexpected, [], 'failed checks');
  // Each allowance still names a check the tool runs (a renamed check must be looked at again).
  for (const a of NOT_APPLICABLE)
    assert.ok(
      results.some((r) => r.name === a.name),
      `allow-listed check "${a.name}" still exists`,
    );

  // What we do instead of closing on a big frame: a CALLERROR, and the charger stays connected.
  const cp = await bootedCharger(t, 'CONF0002');
  const big = await rawExchange(
    cp,
    JSON.stringify([2, 'big-1', 'DataTransfer', { vendorId: 'x', data: 'x'.repeat(200_000) }]),
  );
  assert.deepEqual(big.slice(0, 3), [4, 'big-1', 'FormationViolation']);
  assert.equal(((await cp.call('Heartbeat', {})) as { currentTime: string }).currentTime, t.clock.now().toISOString());
});

test('a CALL without a payload is answered FormationViolation (OCPP-J 1.6 §4.2.3: not the PDU structure), not TypeConstraintViolation', async () => {
  const cp = await bootedCharger(t, 'CONF0003');
  assert.deepEqual((await rawExchange(cp, '[2,"np-1","Heartbeat"]')).slice(0, 3), [4, 'np-1', 'FormationViolation']);
  // A payload of the wrong type keeps its own code.
  assert.deepEqual((await rawExchange(cp, '[2,"np-2","Heartbeat","x"]')).slice(0, 3), [
    4,
    'np-2',
    'TypeConstraintViolation',
  ]);
  assert.ok(await cp.call('Heartbeat', {}));
});

test('ocpp-ws-cli fuzzer: hundreds of malformed frames are answered, and the server keeps serving chargers and the API', async () => {
  // Worker n connects as Fuzzer-n; security profile 1 wants the Basic-auth user to be the identity, and the URL has
  // room for one user, so one worker.
  await registerCharger(t, 'Fuzzer-1');
  const dir = mkdtempSync(join(workDir, 'fuzz-'));
  const sent = (out: string) => Math.max(0, ...[...out.matchAll(/Anomalies Sent:\s+(\d+)/g)].map((m) => Number(m[1])));
  const run = await runCli(
    ['fuzz', '-e', endpointWithCredentials('Fuzzer-1'), '-w', '1', '--flood'],
    dir,
    (out) => sent(out) >= 300,
  );
  const metrics = run.report.metrics as {
    anomaliesSent: number;
    serverErrors: number;
    serverTolerated: number;
    serverDrops: number;
  };
  assert.ok(metrics.anomaliesSent >= 300, JSON.stringify(metrics));
  assert.ok(metrics.serverErrors > 0, `malformed frames got CALLERRORs: ${JSON.stringify(metrics)}`);

  // Still serving: a charger boots, the API answers, logins work.
  const cp = await bootedCharger(t, 'CONF0004');
  assert.ok(await cp.call('Heartbeat', {}));
  const health = await t.app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(health.statusCode, 200, health.body);
  const chargers = await t.app.inject({ method: 'GET', url: '/api/chargers', headers: await t.as('viewer') });
  assert.equal(chargers.statusCode, 200);
  // The fuzzer's "idTag: admin'; DROP TABLE users--" was only ever a string: the users are there.
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'viewer-user', password: 'correct-horse' },
  });
  assert.equal(login.statusCode, 200);
});
