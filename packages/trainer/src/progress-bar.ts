import cliProgress from 'cli-progress';
import type { ProgressReporter } from './progress';

/** A bar per epoch (cli-progress: a maintained, dependency-light bar for Node TTYs). */
export function barReporter(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  let bar: cliProgress.SingleBar | undefined;
  return {
    startEpoch(epoch, total, steps) {
      bar = new cliProgress.SingleBar(
        {
          format: `epoch ${epoch + 1}/${total} [{bar}] {value}/{total} loss {loss} | {duration_formatted} eta {eta_formatted}`,
          stream,
          hideCursor: true,
          clearOnComplete: true,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(steps, 0, { loss: '-' });
    },
    step(done, values) {
      bar?.update(done, { loss: Number.isFinite(values.loss) ? values.loss!.toFixed(4) : '-' });
    },
    endEpoch(line) {
      bar?.stop();
      bar = undefined;
      stream.write(`${line}\n`);
    },
    stop() {
      bar?.stop();
    },
  };
}
