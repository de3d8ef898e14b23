/**
 * Preloaded into a benchmarked child (`node --require`): reports the child's own peak resident
 * memory on stderr as it exits, so the figure is the screener's and not the benchmark's.
 */
process.on('exit', () => {
  process.stderr.write(`\nbench-peak-rss-kib=${process.resourceUsage().maxRSS}\n`);
});
