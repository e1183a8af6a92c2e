// Drives the gateway with the official @anthropic-ai/sdk client. Usage: node anthropic-client.mjs URL SCENARIO
// Prints one JSON object: what the client saw; AnthropicJsClientTest asserts on it.
import Anthropic from '@anthropic-ai/sdk'

// the 'as' scenario also takes MODEL and an optional gateway KEY; maxRetries 0 so a 429 or 5xx
// is the error the client raises, not retried
const [base, scenario, model, key] = process.argv.slice(2)
const client = new Anthropic({ baseURL: base, apiKey: key || 'no-gateway-keys', maxRetries: 0 })
const out = {}
const hi = [{ role: 'user', content: 'hi' }]
const weather = [{ name: 'get_weather', description: 'weather of a city', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }]

function text(message) {
  return message.content.filter((b) => b.type === 'text').map((b) => b.text).join('')
}

async function run() {
  switch (scenario) {
    case 'chat': {
      const r = await client.messages.create({ model: 'llama3.2', max_tokens: 256, system: 'be brief', messages: hi })
      out.content = text(r)
      out.stop_reason = r.stop_reason
      out.usage = r.usage
      out.id = r.id
      break
    }
    case 'stream': {
      const s = client.messages.stream({ model: 'llama3.2', max_tokens: 256, messages: hi })
      out.parts = []
      out.events = []
      s.on('text', (t) => out.parts.push(t))
      for await (const e of s) out.events.push(e.type)
      const m = await s.finalMessage()
      out.content = text(m)
      out.stop_reason = m.stop_reason
      out.usage = m.usage
      break
    }
    case 'thinking': {
      const s = client.messages.stream({ model: 'qwen3', max_tokens: 2048, thinking: { type: 'adaptive' }, messages: hi })
      out.thinking_parts = []
      s.on('thinking', (t) => out.thinking_parts.push(t))
      const m = await s.finalMessage()
      out.blocks = m.content.map((b) => b.type)
      out.thinking = m.content.find((b) => b.type === 'thinking')?.thinking
      out.content = text(m)
      break
    }
    case 'tools': {
      const r = await client.messages.create({ model: 'tooly', max_tokens: 256, tools: weather, messages: [{ role: 'user', content: 'weather in Paris?' }] })
      out.tool_use = r.content.find((b) => b.type === 'tool_use')
      out.stop_reason = r.stop_reason
      // the streamed form, accumulated by the SDK from input_json_delta events
      const m = await client.messages.stream({ model: 'tooly', max_tokens: 256, tools: weather, messages: [{ role: 'user', content: 'weather in Paris?' }] }).finalMessage()
      out.streamed_tool_use = m.content.find((b) => b.type === 'tool_use')
      // and the result sent back
      const back = await client.messages.create({
        model: 'tooly',
        max_tokens: 256,
        tools: weather,
        messages: [
          { role: 'user', content: 'weather in Paris?' },
          { role: 'assistant', content: [out.tool_use] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: out.tool_use.id, content: 'sunny' }] },
        ],
      })
      out.after_result = text(back)
      break
    }
    case 'structured': {
      const r = await client.messages.create({
        model: 'llama3.2',
        max_tokens: 256,
        messages: [{ role: 'user', content: 'a city' }],
        output_config: { format: { type: 'json_schema', schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false } } },
      })
      out.content = text(r)
      break
    }
    case 'count': {
      const r = await client.messages.countTokens({ model: 'llama3.2', messages: [{ role: 'user', content: 'a'.repeat(400) }] })
      out.input_tokens = r.input_tokens
      break
    }
    case 'list': {
      out.ids = []
      for await (const m of client.models.list({ limit: 1 })) out.ids.push(m.id)
      out.one = (await client.models.retrieve(out.ids[0])).id
      break
    }
    case 'unknown-model': {
      try {
        await client.messages.create({ model: 'no-such-model', max_tokens: 5, messages: hi })
        out.error = 'none'
      } catch (e) {
        out.error = e.constructor.name
        out.status = e.status
        out.type = e.error?.error?.type
      }
      break
    }
    case 'abort': {
      const s = client.messages.stream({ model: 'slow', max_tokens: 256, messages: hi })
      out.parts = []
      s.on('text', (t) => {
        out.parts.push(t)
        if (out.parts.length === 1) s.abort()
      })
      try {
        await s.finalMessage()
      } catch (e) {
        out.error = e.constructor.name
      }
      break
    }
    case 'as': {
      try {
        const r = await client.messages.create({ model, max_tokens: 64, messages: hi })
        out.content = text(r)
      } catch (e) {
        out.error = e.constructor.name
        out.status = e.status
        out.message = e.message
        out.body = e.error
        out.retry_after = e.headers?.get('retry-after') ?? null
      }
      break
    }
    default:
      throw new Error('unknown scenario ' + scenario)
  }
}

run()
  .then(() => console.log(JSON.stringify(out)))
  .catch((e) => {
    console.log(JSON.stringify({ failed: String(e), name: e.constructor.name, status: e.status }))
    process.exitCode = 1
  })
