/**
 * Charger admission cost by the stored fast check against scrypt
 * (server/ocpp/secret-verifier.ts), same run: the baseline is a full scrypt
 * check per handshake, as a reconnect storm would pay without the check.
 * Bounded: N handshakes each way, in-process, no network, no database.
 */
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { hashSecret, verifySecret } from '../server/auth/password.ts';
import { SecretVerifier, type SecretRow } from '../server/ocpp/secret-verifier.ts';

const N = Number(process.env.N ?? 20);
const secret = 'charger-secret-0123456789';
const row: SecretRow = { id: 'CP-1', secretHash: await hashSecret(secret), secretCheck: null };

let t0 = performance.now();
for (let i = 0; i < N; i++) if (!(await verifySecret(secret, row.secretHash!))) throw new Error('baseline failed');
const baseline = (performance.now() - t0) / N;

// The first handshake pays scrypt once and stores the check (here: in the row).
const verifier = new SecretVerifier(
  { recordSecretCheck: async (_id, _hash, check) => void (row.secretCheck = check) },
  pino({ level: 'silent' }),
);
await verifier.verify(secret, row);
t0 = performance.now();
for (let i = 0; i < N; i++) if ((await verifier.verify(secret, row)) !== 'ok') throw new Error('fast check failed');
const fast = (performance.now() - t0) / N;

console.log(`scrypt per handshake (baseline): ${baseline.toFixed(2)} ms`);
console.log(`fast check per handshake:        ${fast.toFixed(4)} ms`);
console.log(`speed-up: ${(baseline / fast).toFixed(0)}x over ${N} handshakes; scrypt runs: ${verifier.scryptChecks}`);
