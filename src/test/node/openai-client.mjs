// Drives the gateway with the official openai npm client. Usage: node openai-client.mjs URL SCENARIO
// Prints one JSON object: what the client saw; OpenAiJsClientTest asserts on it.
import OpenAI from 'openai'

// the 'as' scenario also takes MODEL and an optional gateway KEY; maxRetries 0 so a 429 or 5xx
// is the error the client raises, not retried
const [base, scenario, model, key] = process.argv.slice(2)
const openai = new OpenAI({ baseURL: base + '/v1', apiKey: key || 'no-gateway-keys', maxRetries: 0 })
const out = {}

async function run() {
  switch (scenario) {
    case 'chat': {
      const r = await openai.chat.completions.create({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }] })
      out.content = r.choices[0].message.content
      out.finish_reason = r.choices[0].finish_reason
      out.usage = r.usage
      break
    }
    case 'stream': {
      const s = await openai.chat.completions.create({
        model: 'llama3.2',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
        stream_options: { include_usage: true },
      })
      out.parts = []
      for await (const chunk of s) {
        if (chunk.choices.length > 0) {
          const d = chunk.choices[0].delta
          if (d.content) out.parts.push(d.content)
          if (chunk.choices[0].finish_reason) out.finish_reason = chunk.choices[0].finish_reason
        }
        if (chunk.usage) out.usage = chunk.usage
      }
      break
    }
    case 'tools': {
      const r = await openai.chat.completions.create({
        model: 'tooly',
        messages: [{ role: 'user', content: 'weather in Paris?' }],
        tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
      })
      out.tool_calls = r.choices[0].message.tool_calls
      out.finish_reason = r.choices[0].finish_reason
      break
    }
    case 'structured': {
      const r = await openai.chat.completions.create({
        model: 'llama3.2',
        messages: [{ role: 'user', content: 'a city' }],
        response_format: { type: 'json_schema', json_schema: { name: 'city', schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } } },
      })
      out.content = r.choices[0].message.content
      break
    }
    case 'embed': {
      const r = await openai.embeddings.create({ model: 'nomic-embed-text', input: ['a', 'b'] })
      out.count = r.data.length
      out.dims = r.data[0].embedding.length
      break
    }
    case 'list': {
      const r = await openai.models.list()
      out.ids = r.data.map((m) => m.id)
      out.one = (await openai.models.retrieve(out.ids[0])).id
      try {
        await openai.models.retrieve('no-such-model')
        out.missing = 'none'
      } catch (e) {
        out.missing = e.constructor.name
      }
      break
    }
    case 'unknown-model': {
      try {
        await openai.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] })
        out.error = 'none'
      } catch (e) {
        out.error = e.constructor.name
        out.status = e.status
      }
      break
    }
    case 'abort': {
      const controller = new AbortController()
      const s = await openai.chat.completions.create(
        { model: 'slow', messages: [{ role: 'user', content: 'hi' }], stream: true },
        { signal: controller.signal },
      )
      out.parts = []
      try {
        for await (const chunk of s) {
          const d = chunk.choices[0]?.delta?.content
          if (d) out.parts.push(d)
          if (out.parts.length === 1) controller.abort()
        }
      } catch (e) {
        out.error = e.constructor.name
      }
      break
    }
    case 'as': {
      try {
        const r = await openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] })
        out.content = r.choices[0].message.content
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
