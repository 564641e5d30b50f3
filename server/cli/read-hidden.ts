import { createInterface } from 'node:readline';

/**
 * Asks each prompt in turn and reads one line per prompt without echoing it
 * when stdin is a terminal (for passwords). One interface serves all prompts,
 * so piped input with several lines is not lost between them.
 */
export async function readHiddenLines(prompts: string[]): Promise<string[]> {
  const tty = process.stdin.isTTY === true;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: tty });
  const out = rl as unknown as { _writeToOutput: (s: string) => void };
  let prompt = '';
  if (tty) out._writeToOutput = (s: string) => void (s.startsWith(prompt) && process.stdout.write(prompt));
  const answers: string[] = [];
  const lines = rl[Symbol.asyncIterator]();
  for (const p of prompts) {
    prompt = p;
    process.stdout.write(p);
    const next = await lines.next();
    if (tty) process.stdout.write('\n');
    answers.push(next.done ? '' : next.value);
  }
  rl.close();
  return answers;
}
