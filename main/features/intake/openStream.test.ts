// The opener with an attachment source and a sink (issue #14, bounded memory): attachments are
// fetched one at a time and handed on, the result keeps no bytes, and the caps reject.
import { createHash } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { generateKeyPair } from 'jose'
import type { CryptoKey } from 'jose'
import {
  createRng,
  encryptApplication,
  generateApplication,
  loadProcedures,
} from '../../../hub/seed/seed'
import { loadOpenerConfig } from './openConfig'
import { AttachmentTooLarge, openSubmission, type AttachmentSource } from './openSubmission'

const KID = 'enc-stream-kid'
let pub: CryptoKey
let priv: CryptoKey
const REF = new Date('2026-11-27T12:00:00Z')

beforeAll(async () => {
  ;({ publicKey: pub, privateKey: priv } = await generateKeyPair('RSA-OAEP-256', {
    modulusLength: 2048,
  }))
})

async function encrypted(seed: string) {
  const proc = loadProcedures().find((p) => p.id === 'wohngeld')!
  let a = await generateApplication(proc, createRng(`stream:${seed}`), REF, 0)
  for (let i = 1; a.attachments.length < 2; i++)
    a = await generateApplication(proc, createRng(`stream:${seed}:${i}`), REF, 0)
  const enc = await encryptApplication({ kid: KID, key: pub }, a)
  return { a, enc }
}

const input = (
  enc: Awaited<ReturnType<typeof encrypted>>['enc'],
  a: Awaited<ReturnType<typeof encrypted>>['a'],
) => ({
  submission: {
    submissionId: '00000000-0000-4000-8000-000000000011',
    caseId: '00000000-0000-4000-8000-000000000012',
    serviceType: {
      name: a.procedure.name,
      identifier: `urn:de:fim:leika:leistung:${a.procedure.leika}`,
    },
    attachments: enc.attachments.map((x) => x.attachmentId),
    encryptedMetadata: enc.encryptedMetadata,
    encryptedData: enc.encryptedData,
  },
  decryptionKey: { kid: KID, key: priv },
})

describe('openSubmission with an attachment source and a sink', () => {
  it('fetches one attachment at a time, hands each to the sink and keeps no bytes itself', async () => {
    const { a, enc } = await encrypted('sink')
    let inFlight = 0
    let maxInFlight = 0
    const fetched: string[] = []
    const source: AttachmentSource = async (id) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight)
      await new Promise((r) => setTimeout(r, 5))
      inFlight--
      fetched.push(id)
      return enc.attachments.find((x) => x.attachmentId === id)?.jwe
    }
    const sunk: { id: string; sha: string; jwe: string }[] = []
    const r = await openSubmission({
      ...input(enc, a),
      attachments: source,
      sink: ({ attachmentId, bytes, sha256, jwe }) => {
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha256)
        sunk.push({ id: attachmentId, sha: sha256, jwe })
      },
      config: loadOpenerConfig(),
    })
    expect(r.ok, JSON.stringify(!r.ok && r.problem)).toBe(true)
    if (!r.ok) return
    expect(maxInFlight).toBe(1)
    expect(fetched).toEqual(enc.attachments.map((x) => x.attachmentId))
    expect(sunk.map((s) => s.id)).toEqual(enc.attachments.map((x) => x.attachmentId))
    expect(sunk.map((s) => s.jwe)).toEqual(enc.attachments.map((x) => x.jwe))
    for (const [i, att] of r.attachments.entries()) {
      expect(att.bytes).toBeUndefined()
      expect(att.sha256).toBe(sunk[i]!.sha)
      expect(att.size).toBe(a.attachments[i]!.bytes.byteLength)
    }
  })

  it('rejects with invalid-attachment when the hub body of an attachment exceeds the cap', async () => {
    const { a, enc } = await encrypted('cap')
    const r = await openSubmission({
      ...input(enc, a),
      attachments: (id) => Promise.reject(new AttachmentTooLarge(id)),
      config: loadOpenerConfig(),
    })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.kind).toBe('invalid-attachment')
    expect(r.reasonDe).toMatch(/Anlage 1 ist größer als 20 MB/)
  })

  it('rejects with invalid-attachment and a German reason when the submission total exceeds its cap', async () => {
    const { a, enc } = await encrypted('total')
    const first = a.attachments[0]!.bytes.byteLength
    const sunk: string[] = []
    const r = await openSubmission({
      ...input(enc, a),
      attachments: Object.fromEntries(enc.attachments.map((x) => [x.attachmentId, x.jwe])),
      sink: ({ attachmentId }) => void sunk.push(attachmentId),
      // data + first attachment fit, the second does not
      config: loadOpenerConfig(undefined, {
        maxSubmissionBytes: Buffer.byteLength(JSON.stringify(a.data)) + first + 1,
      }),
    })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.kind).toBe('invalid-attachment')
    expect(r.reasonDe).toMatch(/^Die Einreichung ist insgesamt größer als .*mehrere Einreichungen/)
    expect(sunk).toHaveLength(1)
  })
})
