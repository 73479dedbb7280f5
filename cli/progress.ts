import cliProgress from 'cli-progress';

export interface Progress {
  /** Switches to a new phase ('reading', 'importing') with its own total. */
  phase(label: string, total: number, unit: string): void;
  update(done: number): void;
  stop(): void;
}

const silent: Progress = { phase() {}, update() {}, stop() {} };

/**
 * A progress bar on stderr, drawn only when stderr is a terminal and the work is large enough to wait
 * for: piped output and logs stay clean, and stdout keeps only the result.
 */
export function createProgress(opts: { stream?: NodeJS.WriteStream; minimum?: number } = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  if (!stream.isTTY) return silent;
  const minimum = opts.minimum ?? 2000;
  let bar: cliProgress.SingleBar | undefined;
  return {
    phase(label, total, unit) {
      bar?.stop();
      bar = undefined;
      if (total < minimum) return;
      bar = new cliProgress.SingleBar(
        {
          stream,
          format: `${label.padEnd(10)} {bar} {percentage}% | {value}/{total} ${unit} | {eta_formatted} left`,
          hideCursor: true,
          clearOnComplete: false,
          etaBuffer: 50,
          fps: 10,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
    },
    update(done) {
      bar?.update(done);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
