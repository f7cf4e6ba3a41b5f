// Mocha's browser build defines a global `mocha`, and describe/it once set up. Its own reporters expect a
// page or a terminal; this one prints a line per test to the console, which the workbench forwards to
// the runner, and the line the runner ends the pass on.
import 'mocha/mocha';
import { WEB_EXIT_LINE } from '../tooling/webExitLine';

interface Test {
  fullTitle(): string;
  duration?: number;
}
interface Runner {
  on(event: 'pass', listener: (test: Test) => void): void;
  on(event: 'fail', listener: (test: Test, err: unknown) => void): void;
  on(event: 'end', listener: () => void): void;
}
interface BrowserMocha {
  setup(options: { ui: 'bdd'; reporter: new (runner: Runner) => unknown; timeout: number }): void;
  run(): void;
}

class ConsoleReporter {
  constructor(runner: Runner) {
    let passed = 0;
    let failed = 0;
    runner.on('pass', (test) => {
      passed++;
      console.log(`  ✔ ${test.fullTitle()} (${test.duration ?? 0} ms)`);
    });
    runner.on('fail', (test, err) => {
      failed++;
      console.error(`  ✘ ${test.fullTitle()}\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    });
    runner.on('end', () => {
      console.log(`  ${passed} passing, ${failed} failing`);
      console.log(`${WEB_EXIT_LINE} ${failed}`);
    });
  }
}

export const mocha = (globalThis as unknown as { mocha: BrowserMocha }).mocha;
mocha.setup({ ui: 'bdd', reporter: ConsoleReporter, timeout: 60_000 });
