/**
 * HTTP-Anbindung des Demo-Zeitstempeldienstes (demoTsa.ts):
 *   POST /tsa               application/timestamp-query → application/timestamp-reply (RFC 3161, 3.4)
 *   GET  /pki/demo-ca.crl   application/pkix-crl (RFC 5280)
 *   GET  /pki/demo-ca.crt   application/pkix-cert
 * Im Referenz-Hub über {@link registerDemoTsa}, allein (Tests, Bench, cli.ts) über {@link startDemoTsaServer}.
 */
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { DemoTsa } from './demoTsa'
import type { DemoTsaOptions } from './demoTsa'

const MAX_REQUEST = 16 * 1024

/**
 * Hängt die Routen an eine Fastify-Instanz (eigener Kontext, der Parser gilt nur hier). Die
 * Demo-Schlüssel werden erst bei der ersten Anfrage geladen (kein Aufpreis beim Hub-Start).
 */
export function registerDemoTsa(app: FastifyInstance, tsa?: DemoTsa): void {
  let loading: Promise<DemoTsa> | undefined
  const get = () => (tsa ? Promise.resolve(tsa) : (loading ??= DemoTsa.load()))
  void app.register((scope, _opts, done) => {
    scope.addContentTypeParser(
      'application/timestamp-query',
      { parseAs: 'buffer', bodyLimit: MAX_REQUEST },
      (_req, body, done) => done(null, body),
    )
    scope.post('/tsa', async (req, reply) => {
      if (!Buffer.isBuffer(req.body))
        return reply.code(415).send('application/timestamp-query expected')
      const resp = await (await get()).respond(new Uint8Array(req.body))
      return reply.type('application/timestamp-reply').send(Buffer.from(resp))
    })
    scope.get('/pki/demo-ca.crl', async (_req, reply) =>
      reply.type('application/pkix-crl').send(Buffer.from(await (await get()).crl())),
    )
    scope.get('/pki/demo-ca.crt', async (_req, reply) =>
      reply.type('application/pkix-cert').send(Buffer.from((await get()).caCertificateDer)),
    )
    done()
  })
}

export interface RunningDemoTsa {
  url: string
  tsaUrl: string
  crlUrl: string
  tsa: DemoTsa
  close(): Promise<void>
}

async function handle(tsa: DemoTsa, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0]
  if (req.method === 'POST' && path === '/tsa') {
    if (!String(req.headers['content-type'] ?? '').startsWith('application/timestamp-query')) {
      res.writeHead(415).end('application/timestamp-query expected')
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    for await (const c of req as AsyncIterable<Buffer>) {
      size += c.length
      if (size > MAX_REQUEST) {
        res.writeHead(413).end()
        return
      }
      chunks.push(c)
    }
    const body = await tsa.respond(new Uint8Array(Buffer.concat(chunks)))
    res
      .writeHead(200, {
        'content-type': 'application/timestamp-reply',
        'content-length': body.length,
      })
      .end(Buffer.from(body))
    return
  }
  if (req.method === 'GET' && path === '/pki/demo-ca.crl') {
    const body = await tsa.crl()
    res
      .writeHead(200, { 'content-type': 'application/pkix-crl', 'content-length': body.length })
      .end(Buffer.from(body))
    return
  }
  if (req.method === 'GET' && path === '/pki/demo-ca.crt') {
    res
      .writeHead(200, { 'content-type': 'application/pkix-cert' })
      .end(Buffer.from(tsa.caCertificateDer))
    return
  }
  res.writeHead(404).end()
}

/** Eigenständiger Dienst auf 127.0.0.1 (Port 0 = frei wählen). */
export async function startDemoTsaServer(
  opts: DemoTsaOptions & { port?: number; tsa?: DemoTsa } = {},
): Promise<RunningDemoTsa> {
  const tsa = opts.tsa ?? (await DemoTsa.load(opts))
  const server = createServer((req, res) => {
    handle(tsa, req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500)
      res.end(e instanceof Error ? e.message : String(e))
    })
  })
  server.keepAliveTimeout = 5000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    tsaUrl: `${url}/tsa`,
    crlUrl: `${url}/pki/demo-ca.crl`,
    tsa,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
