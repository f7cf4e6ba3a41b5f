import { chromium, type Browser } from 'playwright-core';
import { chromiumPath, requirePrerequisites } from './prerequisites';

/** Headless Debian Chromium with the flags that keep it quiet on a closed network. */
export async function launchBrowser(): Promise<Browser> {
  requirePrerequisites({ browserOnly: true });
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
