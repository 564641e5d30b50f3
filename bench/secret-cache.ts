/**
 * Charger admission cost with and without the verified-secret cache
 * (server/ocpp/admission.ts), same run: the baseline is a full scrypt check
 * per handshake, as a reconnect storm would pay without the cache.
 * Bounded: N handshakes each way, in-process, no network.
 */
import { performance } from 'node:perf_hooks';
import { hashSecret, verifySecret } from '../server/auth/password.ts';
import { VerifiedSecretCache } from '../server/ocpp/admission.ts';

const N = Number(process.env.N ?? 20);
const secret = 'charger-secret-1';
const hash = await hashSecret(secret);

let t0 = performance.now();
for (let i = 0; i < N; i++) if (!(await verifySecret(secret, hash))) throw new Error('baseline failed');
const baseline = (performance.now() - t0) / N;

const cache = new VerifiedSecretCache();
await cache.verify(secret, hash); // the first handshake pays scrypt once
t0 = performance.now();
for (let i = 0; i < N; i++) if (!(await cache.verify(secret, hash))) throw new Error('cached failed');
const cached = (performance.now() - t0) / N;

console.log(`scrypt per handshake (baseline): ${baseline.toFixed(2)} ms`);
console.log(`cached per handshake:            ${cached.toFixed(4)} ms`);
console.log(`speed-up: ${(baseline / cached).toFixed(0)}x over ${N} handshakes; scrypt runs with cache: ${cache.scryptChecks}`);
