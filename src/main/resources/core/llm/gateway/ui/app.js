// The gateway dashboard: polls the activity figures and the monitoring document every 2 s and
// renders them. Plain DOM, no framework and no network beyond this gateway. Every value from the
// server goes in as text (never as HTML), since model names and paths are chosen by callers.
'use strict'

const KEY_STORE = 'core-llm-gateway-key'
const PERIOD_MS = 2000
const $ = (id) => document.getElementById(id)

let timer = null

function key() {
  return sessionStorage.getItem(KEY_STORE) || ''
}

async function getJson(path) {
  const headers = { accept: 'application/json' }
  if (key()) headers.authorization = 'Bearer ' + key()
  const r = await fetch(path, { headers, cache: 'no-store' })
  if (r.status === 401 || r.status === 403) {
    const e = new Error('unauthorized')
    e.status = r.status
    throw e
  }
  if (!r.ok) throw new Error(path + ' answered ' + r.status)
  return r.json()
}

function notice(text, bad) {
  const n = $('notice')
  n.hidden = !text
  n.textContent = text || ''
  n.classList.toggle('bad', !!bad)
}

function number(n, digits) {
  if (n === null || n === undefined) return '–'
  return Number(n).toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: digits })
}

// a minute of a cheap model costs fractions of a cent: significant digits, not fixed decimals
function money(n) {
  return n === 0 ? '0' : Number(n).toLocaleString(undefined, { maximumSignificantDigits: 3 })
}

function setValue(id, value, digits) {
  const el = $(id)
  el.dataset.value = String(value)
  el.textContent = number(value, digits)
}

function cell(tr, text, cls) {
  const td = document.createElement('td')
  if (text instanceof Node) td.append(text)
  else td.textContent = text === null || text === undefined ? '–' : String(text)
  if (cls) td.className = cls
  tr.append(td)
  return td
}

function pill(state) {
  const s = document.createElement('span')
  s.className = 'pill ' + (state || 'UNKNOWN')
  s.textContent = state || 'UNKNOWN'
  return s
}

function fill(tbodyId, rows, emptyText, columns, render) {
  const body = $(tbodyId)
  body.replaceChildren()
  if (rows.length === 0) {
    const tr = document.createElement('tr')
    tr.className = 'empty'
    const td = cell(tr, emptyText)
    td.colSpan = columns
    body.append(tr)
    return
  }
  for (const row of rows) {
    const tr = document.createElement('tr')
    render(tr, row)
    body.append(tr)
  }
}

function renderTraffic(a) {
  setValue('rps', a.requestsPerSecond, 2)
  setValue('tin', a.tokensInPerSecond, 1)
  setValue('tout', a.tokensOutPerSecond, 1)
  const cost = $('cost')
  if (a.costLastMinute === null || a.costLastMinute === undefined) {
    cost.textContent = 'no prices'
  } else {
    cost.textContent = money(a.costLastMinute)
    if (a.currency) {
      const unit = document.createElement('span')
      unit.className = 'unit'
      unit.textContent = ' ' + a.currency
      cost.append(unit)
    }
  }
  $('totals').textContent = number(a.requests, 0) + ' · ' + number(a.errors, 0)
  $('window').textContent = 'averaged over the last ' + a.windowSeconds + ' s'
  const series = a.requestsPerSecondSeries || []
  const max = Math.max(1, ...series)
  const spark = $('spark')
  spark.replaceChildren(
    ...series.map((n) => {
      const bar = document.createElement('div')
      bar.style.height = Math.round((100 * n) / max) + '%'
      bar.title = n + ' requests'
      return bar
    }),
  )
  fill('models', a.models, 'No requests yet', 3, (tr, m) => {
    cell(tr, m.name)
    cell(tr, m.requests, 'num')
    cell(tr, m.errors, 'num')
  })
  fill('errors', a.recentErrors, 'No errors', 7, (tr, e) => {
    tr.className = 'error-row'
    cell(tr, new Date(e.time).toLocaleTimeString())
    cell(tr, e.method + ' ' + e.path)
    cell(tr, e.status, 'num')
    cell(tr, e.kind)
    cell(tr, e.model)
    cell(tr, e.provider)
    cell(tr, e.key)
  })
}

function renderProviders(m, a) {
  const hosts = new Map((m.hosts || []).map((h) => [h.provider, h]))
  const counts = new Map((a ? a.providers : []).map((p) => [p.name, p]))
  fill('providers', m.providers || [], 'No providers configured', 8, (tr, p) => {
    tr.className = 'provider-row'
    tr.dataset.provider = p.name
    cell(tr, p.name)
    cell(tr, p.type)
    cell(tr, pill(p.health && p.health.state))
    cell(tr, pill(p.breaker))
    const c = counts.get(p.name)
    cell(tr, c ? c.requests : 0, 'num')
    cell(tr, c ? c.errors : 0, 'num')
    const h = hosts.get(p.name)
    cell(tr, h ? h.inFlight + (h.capacity ? ' / ' + h.capacity : '') : '–', 'num')
    const models = document.createElement('span')
    for (const l of h ? h.loaded : []) {
      const tag = document.createElement('span')
      tag.className = 'model'
      tag.textContent = l.model + (l.contextLength ? ' · ctx ' + l.contextLength : '')
      models.append(tag)
    }
    if (!h) models.textContent = p.type === 'ollama' ? 'not polled yet' : 'not an Ollama host'
    else if (h.loaded.length === 0) models.textContent = 'none loaded'
    cell(tr, models)
  })
}

function renderCluster(m) {
  const c = m.cluster || {}
  const members = c.members || []
  $('cluster').textContent = c.shared
    ? 'Cluster: ' + members.length + (members.length === 1 ? ' member' : ' members') + ' · ' + members.join(', ')
    : 'Cluster: off (this instance alone)'
}

async function refresh() {
  clearTimeout(timer)
  try {
    const [a, m] = await Promise.all([getJson('/api/v1/activity'), getJson('/api/v1/monitoring/providers')])
    notice('')
    renderTraffic(a)
    renderProviders(m, a)
    renderCluster(m)
    $('status').textContent = 'Updated ' + new Date().toLocaleTimeString() + ' · refreshes every 2 s'
    document.dispatchEvent(new CustomEvent('dashboard:refreshed'))
  } catch (e) {
    if (e.status) {
      notice(
        key()
          ? 'The gateway refused this key (' + e.status + '). Check it against gateway.keys in the configuration and enter it again above.'
          : 'This gateway has keys configured: enter a gateway key above to see its activity.',
        true,
      )
    } else {
      notice('Could not reach the gateway: ' + e.message + '. Retrying every 2 s.', true)
    }
    $('status').textContent = 'Last attempt ' + new Date().toLocaleTimeString()
  } finally {
    // the next poll starts when this one has ended, so a slow gateway is never asked twice at once
    timer = setTimeout(refresh, PERIOD_MS)
  }
}

$('key-form').addEventListener('submit', (ev) => {
  ev.preventDefault()
  const value = $('key').value.trim()
  if (value) sessionStorage.setItem(KEY_STORE, value)
  else sessionStorage.removeItem(KEY_STORE)
  $('key').value = ''
  $('key').placeholder = value ? 'key set for this tab' : 'only when keys are configured'
  refresh()
})

$('forget').addEventListener('click', () => {
  sessionStorage.removeItem(KEY_STORE)
  $('key').placeholder = 'only when keys are configured'
  refresh()
})

if (key()) $('key').placeholder = 'key set for this tab'
refresh()
