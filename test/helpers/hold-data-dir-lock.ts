// A process that takes the DATA_DIR lock, says so, and lives until killed.
import { lockDataDir } from '../../db/data-dir-lock.ts';

await lockDataDir(process.argv[2]!);
process.stdout.write('locked\n');
setInterval(() => {}, 60_000);
