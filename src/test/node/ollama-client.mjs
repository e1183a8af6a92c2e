// Drives the gateway with the official ollama-js client. Usage: node ollama-client.mjs URL SCENARIO
// Prints one JSON object: what the client saw. The Java test (OllamaJsClientTest) asserts on it
// and on what the fake back end saw.
import { Ollama } from 'ollama'

// the 'as' scenario also takes MODEL and an optional gateway KEY, sent as a bearer token
const [host, scenario, model, key] = process.argv.slice(2)
const ollama = new Ollama({ host, headers: key ? { Authorization: 'Bearer ' + key } : {} })
const out = {}

async function run() {
  switch (scenario) {
    case 'chat': {
      const r = await ollama.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }] })
      out.content = r.message.content
      out.done = r.done
      out.eval_count = r.eval_count
      break
    }
    case 'stream': {
      const s = await ollama.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }], stream: true })
      out.parts = []
      for await (const part of s) {
        out.parts.push(part.message.content)
        if (part.done) out.done_reason = part.done_reason
      }
      break
    }
    case 'generate': {
      const r = await ollama.generate({ model: 'llama3.2', prompt: 'hi' })
      out.response = r.response
      break
    }
    case 'tools': {
      const r = await ollama.chat({
        model: 'tooly',
        messages: [{ role: 'user', content: 'weather in Paris?' }],
        tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }],
      })
      out.tool_calls = r.message.tool_calls
      break
    }
    case 'structured': {
      const r = await ollama.chat({
        model: 'llama3.2',
        messages: [{ role: 'user', content: 'a city' }],
        format: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
      })
      out.content = r.message.content
      break
    }
    case 'embed': {
      const r = await ollama.embed({ model: 'nomic-embed-text', input: ['a', 'b'] })
      out.count = r.embeddings.length
      out.dims = r.embeddings[0].length
      break
    }
    case 'list': {
      const r = await ollama.list()
      out.names = r.models.map((m) => m.name)
      break
    }
    case 'unknown-model': {
      try {
        await ollama.chat({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] })
        out.error = 'none'
      } catch (e) {
        out.error = e.name
        out.status = e.status_code
        out.message = e.error
      }
      break
    }
    case 'as': {
      // one chat as the given key: what came back, or the error the client raised
      try {
        const r = await ollama.chat({ model, messages: [{ role: 'user', content: 'hi' }] })
        out.content = r.message.content
      } catch (e) {
        out.error = e.name
        out.status = e.status_code
        out.message = e.error
      }
      break
    }
    case 'abort': {
      const s = await ollama.chat({ model: 'slow', messages: [{ role: 'user', content: 'hi' }], stream: true })
      out.parts = []
      try {
        for await (const part of s) {
          out.parts.push(part.message.content)
          if (out.parts.length === 1) s.abort()
        }
      } catch (e) {
        out.error = e.name
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
    console.log(JSON.stringify({ failed: String(e), name: e.name, status: e.status_code }))
    process.exitCode = 1
  })
