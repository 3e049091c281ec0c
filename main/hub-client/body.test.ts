// Response caps (issue #14, bounded memory): a hub that sends an endless body does not grow the
// desk — the client stops reading at the cap and closes the stream.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHubClient } from './client'
import { HubResponseTooLargeError } from './body'

let server: Server
let url = ''
let sentBytes = 0
let closedEarly = false

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/token') {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ access_token: 't', token_type: 'Bearer', expires_in: 300 }))
      return
    }
    // an endless body, without Content-Length
    const chunk = Buffer.alloc(64 * 1024, 0x41)
    res.setHeader(
      'content-type',
      req.url?.includes('/attachments/') ? 'application/jose' : 'application/json',
    )
    res.on('close', () => {
      if (!res.writableFinished) closedEarly = true
    })
    const pump = () => {
      while (!res.destroyed && res.write(chunk)) sentBytes += chunk.length
      if (!res.destroyed) res.once('drain', pump)
    }
    pump()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((r) => server.close(r))
})

describe('hub response caps', () => {
  const client = () =>
    createHubClient({
      baseUrl: url,
      clientId: 'c',
      clientSecret: 's',
      maxJsonBytes: 2 * 1024 * 1024,
      maxAttachmentBytes: 4 * 1024 * 1024,
    })

  it('stops reading an endless JSON body at the cap and closes the stream', async () => {
    sentBytes = 0
    closedEarly = false
    const heapBefore = process.memoryUsage().heapUsed
    await expect(
      client().getSubmission('00000000-0000-4000-8000-000000000001'),
    ).rejects.toBeInstanceOf(HubResponseTooLargeError)
    await new Promise((r) => setTimeout(r, 100))
    expect(closedEarly).toBe(true)
    // the server could only push the cap plus what socket buffers hold
    expect(sentBytes).toBeLessThan(2 * 1024 * 1024 + 16 * 1024 * 1024)
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024)
  })

  it('stops reading an endless attachment body at its own cap', async () => {
    await expect(
      client().getAttachment('00000000-0000-4000-8000-000000000001', 'a'),
    ).rejects.toMatchObject({ name: 'HubProtocolError', maxBytes: 4 * 1024 * 1024 })
  })
})
