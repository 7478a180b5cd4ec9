/**
 * Receives training progress. The trainer's default writes plain lines; the Node entry
 * (`@tailwise/trainer/node`) has a progress bar for terminals, `barReporter`.
 */
export interface ProgressReporter {
  startEpoch(epoch: number, totalEpochs: number, steps: number): void;
  step(done: number, values: Record<string, number>): void;
  endEpoch(line: string): void;
  stop(): void;
}

/** One line per epoch (and a heartbeat every `every` steps), for logs and CI. */
export function lineReporter(
  write: (line: string) => void = writeLine,
  every = 0,
): ProgressReporter {
  let current = { epoch: 0, total: 0, steps: 0 };
  return {
    startEpoch(epoch, total, steps) {
      current = { epoch, total, steps };
    },
    step(done, values) {
      if (every > 0 && done % every === 0)
        write(
          `epoch ${current.epoch + 1}/${current.total} step ${done}/${current.steps} loss ${values.loss?.toFixed(4)}`,
        );
    },
    endEpoch(line) {
      write(line);
    },
    stop() {},
  };
}

/** Reports nothing. */
export const silentReporter: ProgressReporter = {
  startEpoch() {},
  step() {},
  endEpoch() {},
  stop() {},
};

/** Standard error in Node, the console in a page. */
function writeLine(line: string): void {
  const stderr = (globalThis as { process?: { stderr?: { write(s: string): unknown } } }).process
    ?.stderr;
  if (stderr) stderr.write(`${line}\n`);
  else console.log(line);
}

/** `'auto'` and `true`: one line per epoch ({@link lineReporter}). */
export function resolveReporter(
  progress: boolean | 'auto' | ProgressReporter | undefined,
): ProgressReporter {
  if (progress === false) return silentReporter;
  if (typeof progress === 'object') return progress;
  return lineReporter();
}
