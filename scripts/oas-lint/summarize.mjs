// Reads one Spectral JSON report and prints the totals per severity and the
// count per rule. Usage: node summarize.mjs LABEL REPORT.json
// Exit status: 0 when the report has no error, 1 when it has, 2 when the
// report cannot be read.
import { readFileSync } from 'node:fs';

const [label, file] = process.argv.slice(2);
const SEVERITY = ['error', 'warning', 'info', 'hint'];

let results;
try {
  results = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(results)) throw new Error('not a list of results');
} catch (e) {
  console.error(`${label}: cannot read Spectral's report ${file}: ${e.message}`);
  process.exit(2);
}

const totals = [0, 0, 0, 0];
const perRule = new Map();
for (const r of results) {
  totals[r.severity] += 1;
  const key = `${r.severity}\u0000${r.code}`;
  perRule.set(key, (perRule.get(key) ?? 0) + 1);
}

console.log(
  `== ${label}: ${totals[0]} errors, ${totals[1]} warnings, ${totals[2]} infos, ${totals[3]} hints`,
);
const rows = [...perRule.entries()]
  .map(([key, n]) => {
    const [sev, code] = key.split('\u0000');
    return { sev: Number(sev), code, n };
  })
  .sort((a, b) => a.sev - b.sev || b.n - a.n || a.code.localeCompare(b.code));
for (const { sev, code, n } of rows) {
  console.log(`   ${SEVERITY[sev].padEnd(7)} ${String(n).padStart(5)}  ${code}`);
}
process.exit(totals[0] > 0 ? 1 : 0);
