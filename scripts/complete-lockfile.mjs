// Completes package-lock.json with entries for platform-specific optional packages (e.g.
// @duckdb/node-bindings-darwin-arm64) that npm left out because the registry it used does not serve
// them. Without those entries `npm ci` refuses the lock file ("Missing: ... from lock file"). Each stub
// names its os/cpu (inferred from the package name), so npm skips it on other platforms.
// Run after every `npm install` that changes dependencies: node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const OSES = ['android', 'darwin', 'linux', 'win32', 'freebsd', 'openbsd', 'netbsd', 'sunos', 'aix'];
const CPUS = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el'];

function platformOf(name) {
  const tokens = name.split('/').pop().split('-');
  const os = OSES.find((o) => tokens.includes(o));
  const cpu = CPUS.find((c) => tokens.includes(c));
  if (!os || !cpu) return undefined;
  const libc = tokens.includes('musl') ? 'musl' : tokens.includes('gnu') ? 'glibc' : undefined;
  return { os, cpu, libc };
}

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;
let added = 0;
for (const [key, entry] of Object.entries({ ...packages })) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    if (packages[`node_modules/${name}`] || packages[`${key}/node_modules/${name}`]) continue;
    const platform = platformOf(name);
    if (!platform) continue;
    const stub = { version, cpu: [platform.cpu], optional: true, os: [platform.os] };
    if (entry.dev) stub.dev = true;
    if (platform.libc) stub.libc = [platform.libc];
    packages[`node_modules/${name}`] = stub;
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} platform stub(s)`);
