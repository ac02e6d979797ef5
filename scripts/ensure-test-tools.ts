/**
 * Makes sure the tools the tests need are on this machine: Debian's Chromium (browser and end-to-end tests —
 * a browser is never downloaded) and poppler's pdftotext (PDFs are read back). Installs them with apt when
 * running as root, as CI does; otherwise says what to install.
 */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const TOOLS = [
  { binary: '/usr/bin/chromium', pkg: 'chromium' },
  { binary: '/usr/bin/pdftotext', pkg: 'poppler-utils' },
];

export function ensureTestTools(): void {
  const missing = TOOLS.filter((tool) => !existsSync(tool.binary));
  if (missing.length === 0) return;
  const packages = missing.map((tool) => tool.pkg);
  if (process.getuid?.() !== 0) {
    throw new Error(`missing ${packages.join(', ')}: install with "sudo apt-get install -y ${packages.join(' ')}"`);
  }
  console.log(`Installing ${packages.join(', ')} with apt-get …`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env });
}

if (import.meta.url === `file://${process.argv[1]}`) ensureTestTools();
