// Test helper: calls the hub over HTTP and validates every request and response against FITKO's
// Submission API 1.1.3 (openapi-backend + ajv-formats), recording each (operation, status) seen.
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import OpenAPIBackend from 'openapi-backend'
import addFormats from 'ajv-formats'

export const SPEC_FILE = join(dirname(fileURLToPath(import.meta.url)), 'submission-api-1.1.3.yaml')

export interface CallInit {
  method?: string
  token?: string
  headers?: Record<string, string>
  /** a string is sent as is, anything else as JSON */
  body?: unknown
  /** the request is deliberately outside the spec (an error path): it must fail validation */
  invalidRequest?: boolean
}

export interface CallResult {
  operationId: string
  status: number
  headers: Record<string, string>
  body: unknown
}

/**
 * (operation, status) pairs the hub answers although the spec does not list the status; each is
 * listed with its reason in hub/README.md ("Deliberate deviations").
 */
export const UNDECLARED_ALLOWED = new Set(['add-submission-attachment 404'])

export async function createConformance(baseUrl: string) {
  const api = new OpenAPIBackend({
    // openapi-backend reads and dereferences the YAML file itself
    definition: SPEC_FILE,
    strict: false,
    validate: true,
    customizeAjv: (ajv) => {
      addFormats(ajv, ['uuid', 'uri', 'email', 'int32'] as never)
      return ajv
    },
  })
  await api.init()
  const seen = new Map<string, Set<number>>()

  async function call(path: string, init: CallInit = {}): Promise<CallResult> {
    const method = (init.method ?? 'GET').toLowerCase()
    const url = new URL(path, baseUrl)
    const headers: Record<string, string> = { ...(init.headers ?? {}) }
    if (init.token) headers['authorization'] = `Bearer ${init.token}`
    let body: string | undefined
    if (init.body !== undefined) {
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body)
      headers['content-type'] ??=
        typeof init.body === 'string' ? 'application/jose' : 'application/json'
    }
    const req = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: init.body,
    }
    const op = api.matchOperation(req)
    if (!op) throw new Error(`${method.toUpperCase()} ${url.pathname} is no operation of the spec`)
    const operationId = op.operationId!
    const reqCheck = api.validateRequest(req, op)
    // openapi-backend does not compare the media type: a body type the spec does not list is invalid
    const bodyTypes = Object.keys(
      (op.requestBody as { content?: Record<string, unknown> } | undefined)?.content ?? {},
    )
    const sentType = (headers['content-type'] ?? '').split(';')[0]!.trim()
    const mediaOk = body === undefined || bodyTypes.length === 0 || bodyTypes.includes(sentType)
    if (!mediaOk) reqCheck.valid = false
    if (init.invalidRequest) {
      if (reqCheck.valid) throw new Error(`${operationId}: request was meant to be invalid`)
    } else if (!reqCheck.valid) {
      throw new Error(`${operationId}: request invalid: ${JSON.stringify(reqCheck.errors)}`)
    }
    const r = await fetch(url, { method: method.toUpperCase(), headers, body })
    const text = await r.text()
    const ct = r.headers.get('content-type') ?? ''
    // no body (204) validates as null
    const parsed: unknown = !text ? null : /json/.test(ct) ? JSON.parse(text) : text
    const responseHeaders = Object.fromEntries(r.headers.entries())
    const declared = Object.keys(op.responses ?? {})
    const key = `${operationId} ${r.status}`
    if (!declared.includes(String(r.status)) && !UNDECLARED_ALLOWED.has(key))
      throw new Error(
        `${operationId}: status ${r.status} is not in the spec (${declared.join(', ')}): ${text}`,
      )
    if (declared.includes(String(r.status))) {
      const resCheck = api.validateResponse(parsed, op, r.status)
      if (resCheck.errors?.length)
        throw new Error(`${key}: response invalid: ${JSON.stringify(resCheck.errors)}`)
      const headerCheck = api.validateResponseHeaders(responseHeaders, op, {
        statusCode: r.status,
        setMatchType: 'superset' as never,
      })
      if (headerCheck.errors?.length)
        throw new Error(`${key}: headers invalid: ${JSON.stringify(headerCheck.errors)}`)
      const media = ct.split(';')[0]!.trim()
      const content = (op.responses?.[String(r.status)] as { content?: Record<string, unknown> })
        ?.content
      if (content && text && !(media in content))
        throw new Error(`${key}: content type ${media}, spec: ${Object.keys(content).join(', ')}`)
    }
    if (!seen.has(operationId)) seen.set(operationId, new Set())
    seen.get(operationId)!.add(r.status)
    return { operationId, status: r.status, headers: responseHeaders, body: parsed }
  }

  const operations = () => api.getOperations().map((o) => o.operationId!)
  return { call, seen, operations }
}
