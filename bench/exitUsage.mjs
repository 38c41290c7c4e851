// Loaded with `node --import` into a measured process: at exit, writes the process's own peak
// RSS and CPU time (getrusage) as JSON to the file named by SNOWTORCH_BENCH_USAGE_FILE.
import { writeFileSync } from 'node:fs';

const file = process.env.SNOWTORCH_BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({ maxRssKb: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 }),
    );
  });
}
