// Metadata versions (issue #16 point 1): 1.0.0 and a backward-compatible 1.x are read, another
// major is refused with the FIT-Connect problem `unsupported-schema`.
import { beforeAll, describe, expect, it } from 'vitest'
import { exportJWK, generateKeyPair, type CryptoKey } from 'jose'
import {
  createRng,
  encryptApplication,
  generateApplication,
  loadProcedures,
  type Tamper,
} from '../../../hub/seed/seed'
import { checkMetadataVersion } from './metadataVersion'
import { loadOpenerConfig } from './openConfig'
import { openSubmission, type OpenResult } from './openSubmission'

const KID = 'enc-version-kid'
const config = loadOpenerConfig()
const wohngeld = loadProcedures().find((p) => p.id === 'wohngeld')!
const uri = (v: string) => `https://schema.fitko.de/fit-connect/metadata/${v}/metadata.schema.json`
let pub: CryptoKey
let priv: CryptoKey
let replyKey: Record<string, unknown>

beforeAll(async () => {
  ;({ publicKey: pub, privateKey: priv } = await generateKeyPair('RSA-OAEP-256', {
    modulusLength: 2048,
  }))
  const applicant = await generateKeyPair('RSA-OAEP-256', {
    modulusLength: 2048,
    extractable: true,
  })
  replyKey = { ...(await exportJWK(applicant.publicKey)), kid: 'applicant-1', alg: 'RSA-OAEP-256' }
})

async function open(tamper: Tamper): Promise<OpenResult> {
  const a = await generateApplication(wohngeld, createRng('version'), new Date('2026-11-27'), 0)
  const enc = await encryptApplication({ kid: KID, key: pub }, a, tamper)
  return openSubmission({
    submission: {
      submissionId: '00000000-0000-4000-8000-000000000001',
      caseId: '00000000-0000-4000-8000-000000000002',
      attachments: enc.attachments.map((x) => x.attachmentId),
      encryptedMetadata: enc.encryptedMetadata,
      encryptedData: enc.encryptedData,
    },
    attachments: Object.fromEntries(enc.attachments.map((x) => [x.attachmentId, x.jwe])),
    decryptionKey: { kid: KID, key: priv },
    config,
  })
}

describe('metadata versions', () => {
  it('reads metadata without $schema and with 1.0.0', async () => {
    expect((await open({})).ok).toBe(true)
    const r = await open({ metadata: (m) => ({ $schema: uri('1.0.0'), ...m }) })
    expect(r.ok, JSON.stringify(!r.ok && r.problem)).toBe(true)
  })

  it('reads a 1.2.x document with members 1.0.0 does not know, and keeps its reply channel', async () => {
    const r = await open({
      metadata: (m) => ({
        $schema: uri('1.2.1'),
        ...m,
        // later 1.x members: a FIT-Connect reply channel and extra optional reference data
        replyChannel: {
          fitConnect: { encryptionPublicKey: replyKey, processStandards: ['urn:xoev-de:xfall'] },
        },
        additionalReferenceInfo: {
          ...(m['additionalReferenceInfo'] as object),
          referencedSubmissionId: '00000000-0000-4000-8000-0000000000aa',
        },
        publicServiceType: { ...(m['publicServiceType'] as object), description: 'Wohngeld' },
      }),
    })
    expect(r.ok, JSON.stringify(!r.ok && r.problem)).toBe(true)
    if (!r.ok) return
    expect(r.metadata.replyChannel).toMatchObject({
      fitConnect: { encryptionPublicKey: { kid: 'applicant-1' } },
    })
  })

  it('a 1.x document still has to match the 1.0.0 rules it shares', async () => {
    const r = await open({
      metadata: (m) => ({ $schema: uri('1.3.0'), ...m, contentStructure: { attachments: 'x' } }),
    })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.kind).toBe('invalid-metadata')
  })

  it('refuses another major and a foreign $schema with the FIT-Connect problem unsupported-schema', async () => {
    for (const schema of [uri('2.0.0'), uri('0.9.0'), 'https://example.org/metadata.json', 7]) {
      const r = await open({ metadata: (m) => ({ $schema: schema, ...m }) })
      expect(r.ok, String(schema)).toBe(false)
      if (r.ok) continue
      expect(r.problem.type).toBe(
        'https://schema.fitko.de/fit-connect/events/problems/unsupported-schema',
      )
      expect(r.reasonDe).toMatch(/Metadatenschema/)
    }
    expect(checkMetadataVersion({ $schema: uri('2.0.0') })).toMatchObject({ ok: false })
    expect(checkMetadataVersion({ $schema: uri('1.2.0') })).toEqual({ ok: true, version: '1.2.0' })
  })
})
