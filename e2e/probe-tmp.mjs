import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox'] });
const c = await b.newContext({ javaScriptEnabled: false });
const p = await c.newPage();
await p.goto('http://127.0.0.1:18090/massnahmen/digitaltag-musterstadt');
try { await p.locator('#guest-name').evaluate((el) => el.removeAttribute('required')); console.log('evaluate ok', await p.locator('#guest-name').getAttribute('required')); } catch (e) { console.log('evaluate failed', e.message.split('\n')[0]); }
console.log(await p.locator('#diskussion form.guest-form').count(), await p.locator('#diskussion').getByRole('link', {name: 'Anmelden', exact: true}).count());
await b.close();
