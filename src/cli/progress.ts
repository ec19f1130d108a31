import cliProgress from "cli-progress";

/** A progress bar on a terminal; plain periodic lines otherwise (CI logs). */
export function progressBar(label: string, total: number) {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {percentage}% {value}/{total} {eta_formatted}`, stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
    return { update: (n: number) => bar.update(n), stop: () => bar.stop() };
  }
  let last = -1;
  return {
    update(n: number) {
      const pct = total ? Math.floor((n / total) * 10) : 10;
      if (pct !== last) {
        last = pct;
        process.stderr.write(`${label}: ${n}/${total} (${pct * 10}%)\n`);
      }
    },
    stop() {},
  };
}
