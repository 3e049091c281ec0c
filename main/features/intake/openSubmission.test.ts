import { beforeAll, describe, expect, it } from 'vitest'
import { generateKeyPair } from 'jose'
import type { CryptoKey } from 'jose'
import {
  createRng,
  encryptApplication,
  generateApplication,
  loadProcedures,
} from '../../../hub/seed/seed'
import type { Application, Tamper } from '../../../hub/seed/seed'
import { loadOpenerConfig } from './openConfig'
import { openSubmission, openSubmissions } from './openSubmission'
import type { OpenResult } from './openSubmission'
import { sanitizeFilename, sniffMimeType } from './openFiles'

const KID = 'enc-test-kid'
let pub: CryptoKey
let priv: CryptoKey
let otherPub: CryptoKey
const config = loadOpenerConfig()
const procs = loadProcedures()
const REF = new Date('2026-11-27T12:00:00Z')

beforeAll(async () => {
  ;[{ publicKey: pub, privateKey: priv }, { publicKey: otherPub }] = await Promise.all([
    generateKeyPair('RSA-OAEP-256', { modulusLength: 4096 }),
    generateKeyPair('RSA-OAEP-256', { modulusLength: 2048 }),
  ])
})

async function app(procId = 'wohngeld', seed = 'x'): Promise<Application> {
  const proc = procs.find((p) => p.id === procId)!
  return generateApplication(proc, createRng(`${procId}:${seed}`), REF, 0)
}

async function open(
  a: Application,
  tamper: Tamper = {},
  opts: { dropAttachment?: string; limits?: Parameters<typeof loadOpenerConfig>[1] } = {},
): Promise<OpenResult> {
  const enc = await encryptApplication({ kid: KID, key: pub }, a, tamper)
  const attachments: Record<string, string> = {}
  for (const x of enc.attachments)
    if (x.attachmentId !== opts.dropAttachment) attachments[x.attachmentId] = x.jwe
  return openSubmission({
    submission: {
      submissionId: '00000000-0000-4000-8000-000000000001',
      caseId: '00000000-0000-4000-8000-000000000002',
      serviceType: {
        name: a.procedure.name,
        identifier: `urn:de:fim:leika:leistung:${a.procedure.leika}`,
      },
      attachments: enc.attachments.map((x) => x.attachmentId),
      encryptedMetadata: enc.encryptedMetadata,
      encryptedData: enc.encryptedData,
    },
    attachments,
    decryptionKey: { kid: KID, key: priv },
    config: opts.limits ? loadOpenerConfig(undefined, opts.limits) : config,
  })
}

function expectProblem(r: OpenResult, kind: string) {
  expect(r.ok, JSON.stringify(!r.ok && r.problem)).toBe(false)
  if (r.ok) return
  expect(r.problem.type).toBe(`https://schema.fitko.de/fit-connect/events/problems/${kind}`)
  expect(r.problem.title.length).toBeGreaterThan(0)
  expect(r.reasonDe.length).toBeGreaterThan(0)
}

describe('openSubmission', () => {
  it('opens generated applications of all five procedures (data valid against the schemas, metadata against FIT-Connect 1.0.0)', async () => {
    const apps = await Promise.all(procs.flatMap((p) => [0, 1, 2].map((i) => app(p.id, String(i)))))
    const results = await Promise.all(apps.map((a) => open(a)))
    for (const [i, r] of results.entries()) {
      expect(r.ok, JSON.stringify(!r.ok && r.problem)).toBe(true)
      if (!r.ok) continue
      const a = apps[i]!
      expect(r.procedureId).toBe(a.procedure.id)
      expect(r.data).toEqual(a.data)
      expect(r.attachments.map((x) => x.attachmentId)).toEqual(
        a.attachments.map((x) => x.attachmentId),
      )
      for (const [j, att] of r.attachments.entries()) {
        expect(Buffer.from(att.bytes!).equals(Buffer.from(a.attachments[j]!.bytes))).toBe(true)
        expect(att.sha256).toMatch(/^[0-9a-f]{64}$/)
      }
      expect(Object.keys(r.authenticationTags.attachments)).toHaveLength(a.attachments.length)
    }
  })

  it('undecryptable parts → encryption-issue', async () => {
    const a = await app()
    expectProblem(
      await open(a, { wrongKey: { key: otherPub, parts: ['metadata'] } }),
      'encryption-issue',
    )
    expectProblem(
      await open(a, { wrongKey: { key: otherPub, parts: ['data'] } }),
      'encryption-issue',
    )
    expectProblem(
      await open(a, { wrongKey: { key: otherPub, parts: ['attachments'] } }),
      'encryption-issue',
    )
    expectProblem(await open(a, { corrupt: ['data'] }), 'encryption-issue')
    expectProblem(await open(a, { corrupt: [a.attachments[0]!.attachmentId] }), 'encryption-issue')
  })

  it('bad metadata → invalid-metadata', async () => {
    const a = await app('kfz')
    expectProblem(
      await open(a, { rawMetadata: new TextEncoder().encode('{not json') }),
      'invalid-metadata',
    )
    expectProblem(
      await open(a, {
        metadata: (m) => ({ ...m, contentStructure: { ...m.contentStructure, attachments: 'x' } }),
      }),
      'invalid-metadata',
    )
    expectProblem(
      await open(a, {
        metadata: (m) => ({
          ...m,
          contentStructure: {
            ...m.contentStructure,
            data: { ...m.contentStructure.data, hash: { type: 'md5', content: 'abc' } },
          },
        }),
      }),
      'invalid-metadata',
    )
    // attachment announced but not described
    expectProblem(
      await open(a, {
        metadata: (m) => ({ ...m, contentStructure: { ...m.contentStructure, attachments: [] } }),
      }),
      'invalid-metadata',
    )
    // service of another procedure
    expectProblem(
      await open(a, {
        metadata: (m) => ({
          ...m,
          publicServiceType: {
            identifier: 'urn:de:fim:leika:leistung:99107004017000',
            name: 'Wohngeld',
          },
        }),
      }),
      'invalid-metadata',
    )
  })

  it('hostile nesting and huge arrays are refused by limits, without crashing', async () => {
    const a = await app('bussgeld')
    const deep = '['.repeat(200_000) + ']'.repeat(200_000)
    expectProblem(
      await open(a, {
        metadata: (m) => ({
          ...m,
          x: JSON.parse(
            '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]',
          ) as unknown,
        }),
      }),
      'invalid-metadata',
    )
    expectProblem(await open(a, { rawData: new TextEncoder().encode(deep) }), 'invalid-data')
    const huge = new TextEncoder().encode(
      JSON.stringify({
        ...(a.data as object),
        stellungnahme: 'x',
        extra: new Array(200_000).fill(0),
      }),
    )
    expectProblem(await open(a, { rawData: huge }), 'invalid-data')
    const manyMembers = await app('wohngeld')
    const d = manyMembers.data as { haushaltsmitglieder: unknown[] }
    expectProblem(
      await open({
        ...manyMembers,
        data: { ...d, haushaltsmitglieder: new Array(500).fill(d.haushaltsmitglieder[0]) },
      }),
      'invalid-data',
    )
  })

  it('hash mismatches of data and attachments → hash-mismatch', async () => {
    const a = await app('sondernutzung')
    expectProblem(
      await open(a, {
        metadata: (m) => ({
          ...m,
          contentStructure: {
            ...m.contentStructure,
            data: {
              ...m.contentStructure.data,
              hash: { type: 'sha512', content: 'a'.repeat(128) },
            },
          },
        }),
      }),
      'hash-mismatch',
    )
    const tampered = new Uint8Array(a.attachments[0]!.bytes)
    tampered[tampered.length - 20] = (tampered[tampered.length - 20] ?? 0) ^ 1
    expectProblem(
      await open(a, { replaceAttachment: { [a.attachments[0]!.attachmentId]: tampered } }),
      'hash-mismatch',
    )
  })

  it('attachment described but not delivered → missing-attachment', async () => {
    const a = await app('baugenehmigung')
    expectProblem(
      await open(a, {}, { dropAttachment: a.attachments[0]!.attachmentId }),
      'missing-attachment',
    )
  })

  it('data that do not match the schema → invalid-data; unknown schema → unsupported-schema', async () => {
    const a = await app('wohngeld')
    expectProblem(
      await open({ ...a, data: { ...(a.data as object), unbekannt: 1 } }),
      'invalid-data',
    )
    expectProblem(
      await open({ ...a, data: { ...(a.data as object), monatlicheMiete: 'viel' } }),
      'invalid-data',
    )
    expectProblem(await open(a, { rawData: new TextEncoder().encode('<xml/>') }), 'invalid-data')
    const longName = { ...(a.data as { antragsteller: object }) }
    longName.antragsteller = { ...longName.antragsteller, nachname: 'ä'.repeat(5000) }
    expectProblem(await open({ ...a, data: longName }), 'invalid-data')
    expectProblem(
      await open({
        ...a,
        procedure: { ...a.procedure, schemaUri: 'urn:de:example:unknown:1.0.0' },
      }),
      'unsupported-schema',
    )
  })

  it('checks MIME types against magic bytes and the size limit', async () => {
    const a = await app('kfz')
    const exe = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0, 0, 0, 4, 0, 0, 0])
    const first = a.attachments[0]!
    const withExe: Application = {
      ...a,
      attachments: [{ ...first, bytes: exe, mimeType: 'application/pdf', filename: 'antrag.pdf' }],
    }
    expectProblem(await open(withExe), 'invalid-attachment')
    const asExe: Application = {
      ...a,
      attachments: [{ ...first, bytes: exe, mimeType: 'application/x-msdownload' }],
    }
    expectProblem(await open(asExe), 'invalid-attachment')
    expectProblem(await open(a, {}, { limits: { maxAttachmentBytes: 500 } }), 'invalid-attachment')
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])
    const r = await open({
      ...a,
      attachments: [
        { ...first, bytes: png, mimeType: 'image/png', filename: '../../etc/\u202Egnp.exe\u0000' },
      ],
    })
    expect(r.ok).toBe(true)
    if (r.ok) expect(r.attachments[0]!.filename).toBe('gnp.exe')
  })

  it('opens concurrently with the same results', async () => {
    const apps = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => app(procs[i % 5]!.id, `c${i}`)))
    const inputs = await Promise.all(
      apps.map(async (a) => {
        const enc = await encryptApplication({ kid: KID, key: pub }, a)
        return {
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
        }
      }),
    )
    const results = await openSubmissions(inputs, 4)
    expect(results.every((r) => r.ok)).toBe(true)
  })
})

describe('sanitizeFilename', () => {
  it('strips paths, control and bidi characters and caps the length', () => {
    expect(sanitizeFilename('C:\\Users\\x\\Müller Antrag.pdf', 'f')).toBe('Müller Antrag.pdf')
    expect(sanitizeFilename('../../etc/passwd', 'f')).toBe('passwd')
    expect(sanitizeFilename('..', 'fallback.pdf')).toBe('fallback.pdf')
    expect(sanitizeFilename('a\u0000b\u0007c.pdf', 'f')).toBe('abc.pdf')
    expect(sanitizeFilename('rechnung\u202Efdp.exe', 'f')).toBe('rechnungfdp.exe')
    expect(sanitizeFilename('CON.pdf', 'f')).toBe('_CON.pdf')
    expect(sanitizeFilename(undefined, 'anlage-1.pdf')).toBe('anlage-1.pdf')
    const long = sanitizeFilename(`${'ß'.repeat(400)}.pdf`, 'f')
    expect(Array.from(long)).toHaveLength(255)
    expect(long.endsWith('.pdf')).toBe(true)
  })
  it('sniffs MIME types', () => {
    expect(sniffMimeType(new TextEncoder().encode('%PDF-1.7'))).toBe('application/pdf')
    expect(sniffMimeType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg')
    expect(sniffMimeType(new Uint8Array([0x4d, 0x5a]))).toBe('application/x-msdownload')
    expect(sniffMimeType(new Uint8Array([1, 2, 3]))).toBeUndefined()
  })
})
