import Fastify from 'fastify'
import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'
import { afterAll, describe, expect, it } from 'vitest'
import { DemoTsa } from './demoTsa'
import { registerDemoTsa } from './http'

// Hub-seitig ohne App-Code: eine minimale TimeStampReq von Hand (SHA-256 über 32 × 0x07, Nonce 0x0102)
const REQ = Buffer.concat([
  Buffer.from('30', 'hex'),
  Buffer.from([0x3b]),
  Buffer.from('020101', 'hex'),
  Buffer.from('302f300b0609608648016503040201', 'hex'),
  Buffer.from('0420', 'hex'),
  Buffer.alloc(32, 7),
  Buffer.from('020201020101ff', 'hex'),
])

const app = Fastify()
afterAll(() => app.close())

describe('Demo-TSA im Referenz-Hub', () => {
  it('POST /tsa beantwortet eine TimeStampReq (granted, TSTInfo mit Hash und Nonce); GET /pki/demo-ca.crl liefert eine CRL', async () => {
    registerDemoTsa(app, await DemoTsa.load())
    await app.ready()
    const res = await app.inject({
      method: 'POST',
      url: '/tsa',
      headers: { 'content-type': 'application/timestamp-query' },
      payload: REQ,
    })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/timestamp-reply')
    const resp = new pkijs.TimeStampResp({
      schema: asn1js.fromBER(new Uint8Array(res.rawPayload)).result,
    })
    expect(resp.status.status).toBe(0)
    const sd = new pkijs.SignedData({ schema: resp.timeStampToken?.content })
    const tst = new pkijs.TSTInfo({
      schema: asn1js.fromBER(sd.encapContentInfo.eContent?.getValue() ?? new ArrayBuffer(0)).result,
    })
    expect(
      Buffer.from(tst.messageImprint.hashedMessage.valueBlock.valueHexView).equals(
        Buffer.alloc(32, 7),
      ),
    ).toBe(true)
    expect(tst.nonce?.valueBlock.valueDec).toBe(0x0102)

    const wrong = await app.inject({
      method: 'POST',
      url: '/tsa',
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    })
    expect(wrong.statusCode).toBe(415)
    const crl = await app.inject({ method: 'GET', url: '/pki/demo-ca.crl' })
    expect(crl.headers['content-type']).toBe('application/pkix-crl')
    const parsed = new pkijs.CertificateRevocationList({
      schema: asn1js.fromBER(new Uint8Array(crl.rawPayload)).result,
    })
    expect(parsed.nextUpdate?.value.getTime()).toBeGreaterThan(Date.now())
  })
})
