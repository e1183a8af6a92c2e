// Drives the gateway's dashboard (/ui) in headless Chromium with playwright-core.
// Usage: node dashboard.mjs URL KEY [SCREENSHOT.png]
// Prints one JSON object: what the page showed; DashboardBrowserTest asserts on it.
import { chromium } from 'playwright-core'

const [base, key, screenshot] = process.argv.slice(2)
const out = { pageErrors: [] }
let browser

async function run() {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless=new', '--no-sandbox'],
  })
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  // shorter than the 30 s NodeClients allows the script, so a missing element is reported
  page.setDefaultTimeout(15_000)
  page.on('pageerror', (e) => out.pageErrors.push(String(e)))
  // the page must work offline: anything but this gateway is a failure
  const foreign = []
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) foreign.push(r.url()) })

  await page.goto(base + '/ui')
  // keys configured and none entered yet: the page says so
  await page.locator('#notice:not([hidden])').waitFor()
  out.noticeWithoutKey = await page.locator('#notice').textContent()

  await page.fill('#key', key)
  await page.click('#key-form button[type=submit]')
  await page.locator('#notice').waitFor({ state: 'hidden' })
  await page.waitForFunction(() => Number(document.getElementById('rps').dataset.value) > 0)
  await page.waitForFunction(() => Number(document.getElementById('tout').dataset.value) > 0)
  await page.locator('tr.provider-row .model').first().waitFor()
  await page.locator('tr.error-row').first().waitFor()

  out.requestsPerSecond = await page.locator('#rps').textContent()
  out.tokensInPerSecond = await page.locator('#tin').textContent()
  out.tokensOutPerSecond = await page.locator('#tout').textContent()
  out.cost = await page.locator('#cost').textContent()
  out.providers = await page.locator('tr.provider-row').allInnerTexts()
  out.errors = await page.locator('tr.error-row').allInnerTexts()
  out.keyStored = await page.evaluate(() => sessionStorage.getItem('core-llm-gateway-key') !== null)
  out.bodyText = await page.locator('body').innerText()
  out.foreignRequests = foreign
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true })
}

try {
  await run()
} catch (e) {
  out.failed = String(e && e.message ? e.message : e)
} finally {
  if (browser) await browser.close()
}
console.log(JSON.stringify(out))
