// A headless Chromium for the browser tests: a system browser when there is one, else the one inside @sparticuz/chromium.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const SYSTEM_BROWSERS = ['/usr/bin/chromium', '/usr/lib/chromium/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Flags that keep Chromium off the closed network of this machine (it would retry Google's hosts at every start). */
const QUIET_FLAGS = ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export async function launchBrowser(): Promise<Browser> {
  const system = [process.env.CHROME_PATH, ...SYSTEM_BROWSERS].find((path): path is string => Boolean(path) && existsSync(path!));
  if (system) {
    return chromium.launch({ executablePath: system, headless: true, args: ['--no-sandbox', '--disable-gpu', ...QUIET_FLAGS] });
  }
  const packaged = packagedChromium();
  return chromium.launch({ executablePath: packaged.executablePath, headless: true, args: [...packaged.args, ...QUIET_FLAGS] });
}

/**
 * The package ships a Linux build and unpacks it to /tmp on first use (~2 s). It is ESM-only,
 * which Jest's CommonJS runtime cannot import, so a child Node process asks it for the path.
 */
function packagedChromium(): { executablePath: string; args: string[] } {
  const script =
    "const { default: c } = await import('@sparticuz/chromium'); console.log(JSON.stringify({ executablePath: await c.executablePath(), args: c.args }));";
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: __dirname });
  return JSON.parse(output.trim().split('\n').at(-1)!) as { executablePath: string; args: string[] };
}
