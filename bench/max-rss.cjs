// Preloaded by the bench (`node -r`): writes the process's peak resident memory in KiB to the
// file named by BENCH_MAX_RSS_FILE when it exits.
const { writeFileSync } = require('node:fs');

const file = process.env.BENCH_MAX_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
