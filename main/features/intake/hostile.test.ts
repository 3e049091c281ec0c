// Hostile input: a corpus of crafted submissions sent through a real reference hub and taken in
// by runIntakePass on a real desk; fuzzing of the submission opener and of the API's input schemas.
// The corpus is built here, not read from files.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, type Dirent } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import fc from 'fast-check'
import { generateKeyPair } from 'jose'
import type { CryptoKey } from 'jose'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startHub, type RunningHub } from '../../../hub/server'
import {
  buildMetadata,
  createRng,
  createSender,
  encryptApplication,
  generateApplication,
  loadProcedures,
  submitApplication,
} from '../../../hub/seed/seed'
import type {
  Application,
  ApplicationAttachment,
  EncryptedSubmission,
  Sender,
  SubmitResult,
  Tamper,
} from '../../../hub/seed/seed'
import { contract, methods, type IntakeLogEntry } from '../../../preload/contract/index'
import { createDesk, type Desk } from '../../desk'
import { createHubClient, loadDestinationKeys, type DestinationKeys } from '../../hub-client'
import { manualClock } from '../../core/clock'
import { runIntakePass } from './intake'
import { loadOpenerConfig } from './openConfig'
import { openSubmission, PROBLEM_BASE, type OpenInput, type ProblemKind } from './openSubmission'

const NOW = '2026-11-27T09:00:00Z'
const procs = loadProcedures()
const proc = (id: string) => procs.find((p) => p.id === id)!
let n = 0
const app = (procId = 'wohngeld'): Promise<Application> =>
  generateApplication(proc(procId), createRng(`hostile:${n++}`), new Date(NOW), n)
const utf8 = (s: string) => new TextEncoder().encode(s)
const MARKER = `aktenfluss-hostile-${randomBytes(4).toString('hex')}`
const HTML = `<img src=x onerror=alert(1)><script>alert("${MARKER}")</script>`
const pdf = (size: number) =>
  new Uint8Array(
    Buffer.concat([
      Buffer.from('%PDF-1.7\n'),
      Buffer.alloc(Math.max(0, size - 16), 0x20),
      Buffer.from('\n%%EOF\n'),
    ]),
  )
const EXE = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0])

/** German text: no English error phrases, no stack frames, no source paths. */
function expectGermanAndClean(message: string): void {
  expect(typeof message).toBe('string')
  expect(message.length).toBeGreaterThan(0)
  expect(message).not.toMatch(
    /\n\s+at |\.ts:\d+|\/work\/|node_modules|TypeError|ReferenceError|SyntaxError|SqliteError|Cannot read|is not a function|undefined is|Expected |Invalid input|Required$/,
  )
  // English from libraries (ajv, JSON.parse) must not reach the clerk
  expect(message).not.toMatch(
    /\bmust\b|\bnot JSON\b|\bnested deeper\b|\bmore than\b|\bUnexpected\b|\binvalid\b|\bshould\b/,
  )
}

function listFiles(root: string): Map<string, number> {
  const out = new Map<string, number>()
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else out.set(relative(root, p), statSync(p).size)
    }
  }
  if (existsSync(root)) walk(root)
  return out
}

/** Finds files named after the marker anywhere below `dir` (bounded depth). */
function findMarker(dir: string, depth = 3): string[] {
  if (depth < 0 || !existsSync(dir)) return []
  let entries: Dirent[]
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return []
  }
  return entries.flatMap((e) => {
    const p = join(dir, e.name)
    if (e.name.includes(MARKER)) return [p]
    return e.isDirectory() && e.name !== 'node_modules' && e.name !== 'proc'
      ? findMarker(p, depth - 1)
      : []
  })
}

/** Encrypts like the sender does, lets the test mangle the JWE strings, then announces, uploads and submits. */
async function submitMangled(
  sender: Sender,
  a: Application,
  mangle: (enc: EncryptedSubmission) => EncryptedSubmission,
): Promise<SubmitResult> {
  const enc = mangle(
    await encryptApplication({ kid: sender.encryptionKid, key: sender.encryptionKey }, a),
  )
  const ok = async (r: Response) => {
    if (!r.ok) throw new Error(`hub refused: ${r.status} ${await r.text()}`)
    return r
  }
  const announced = (await (
    await ok(
      await sender.request('/v1/submissions', {
        method: 'POST',
        contentType: 'application/json',
        body: JSON.stringify({
          destinationId: sender.destinationId,
          announcedAttachments: enc.attachments.map((x) => x.attachmentId),
          serviceType: {
            name: a.procedure.name,
            identifier: `urn:de:fim:leika:leistung:${a.procedure.leika}`,
          },
        }),
      }),
    )
  ).json()) as SubmitResult
  for (const x of enc.attachments)
    await ok(
      await sender.request(
        `/v1/submissions/${announced.submissionId}/attachments/${x.attachmentId}`,
        { method: 'PUT', contentType: 'application/jose', body: x.jwe },
      ),
    )
  await ok(
    await sender.request(`/v1/submissions/${announced.submissionId}`, {
      method: 'PUT',
      contentType: 'application/json',
      body: JSON.stringify({
        encryptedMetadata: enc.encryptedMetadata,
        encryptedData: enc.encryptedData,
      }),
    }),
  )
  return announced
}

/** Shortens the ciphertext and the tag of a compact JWE, keeping its five segments (the hub checks the shape). */
const truncateJwe = (jwe: string) => {
  const p = jwe.split('.')
  p[3] = p[3]!.slice(0, Math.floor(p[3]!.length / 2))
  p[4] = p[4]!.slice(0, 5)
  return p.join('.')
}

/** Replaces every string in the data with HTML/script where the procedure's schema still accepts it. */
function htmlEverywhere(
  a: Application,
  validate: (d: unknown) => boolean,
): { data: unknown; replaced: number } {
  const data = structuredClone(a.data) as Record<string, unknown>
  let replaced = 0
  const visit = (node: Record<string, unknown> | unknown[]) => {
    for (const key of Object.keys(node)) {
      const v = (node as Record<string, unknown>)[key]
      if (typeof v === 'string') {
        for (const candidate of [`${HTML} ${v}`, `<b>${v}</b>`, `${v}<i>`]) {
          ;(node as Record<string, unknown>)[key] = candidate
          if (validate(data)) {
            replaced++
            break
          }
          ;(node as Record<string, unknown>)[key] = v
        }
      } else if (v && typeof v === 'object') visit(v as Record<string, unknown>)
    }
  }
  visit(data)
  return { data, replaced }
}

describe('hostile submissions through a real hub into a real desk', () => {
  let base: string
  let hub: RunningHub
  let desk: Desk
  let sender: Sender
  let keys: DestinationKeys
  let otherKey: CryptoKey
  const clock = () => Date.parse(NOW)
  const ATTACHMENT_LIMIT = 256 * 1024
  const expected = new Map<
    string,
    {
      label: string
      outcome: 'accepted' | 'rejected'
      kind?: ProblemKind
      check?: (e: IntakeLogEntry) => Promise<void> | void
    }
  >()

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'hostile-'))
    hub = await startHub({ dataDir: join(base, 'hub'), clock })
    const d = hub.config.destinations[0]!
    keys = await loadDestinationKeys(d.privateKeysFile)
    const snd = hub.config.clients.find((c) => c.role === 'sender')!
    sender = await createSender({
      hubUrl: hub.url,
      clientId: snd.clientId,
      clientSecret: snd.clientSecret,
      destinationId: d.destinationId,
    })
    otherKey = (await generateKeyPair('RSA-OAEP-256', { modulusLength: 2048 })).publicKey
    desk = createDesk({ dataDir: join(base, 'desk'), mode: 'browser', clock: manualClock(NOW) })
  })
  afterAll(async () => {
    await desk?.close()
    await hub?.close()
    rmSync(base, { recursive: true, force: true })
  })

  const add = async (
    label: string,
    submit: Promise<SubmitResult>,
    outcome: 'accepted' | 'rejected',
    kind?: ProblemKind,
    check?: (e: IntakeLogEntry) => Promise<void> | void,
  ) => {
    const s = await submit
    expected.set(s.submissionId, {
      label,
      outcome,
      ...(kind ? { kind } : {}),
      ...(check ? { check } : {}),
    })
  }
  const tampered = async (
    label: string,
    procId: string,
    tamper: (a: Application) => Tamper,
    kind: ProblemKind,
  ) => {
    const a = await app(procId)
    await add(label, submitApplication(sender, a, tamper(a)), 'rejected', kind)
  }
  const withAttachment = async (
    label: string,
    att: Partial<ApplicationAttachment>,
    outcome: 'accepted' | 'rejected',
    kind?: ProblemKind,
    check?: (e: IntakeLogEntry) => Promise<void> | void,
  ) => {
    const a = await app('kfz')
    const first = a.attachments[0]!
    await add(
      label,
      submitApplication(sender, {
        ...a,
        attachments: [{ ...first, ...att }, ...a.attachments.slice(1)],
      }),
      outcome,
      kind,
      check,
    )
  }

  it('refuses each hostile submission with the right problem type, stores harmless text inertly, writes only into the data folder', async () => {
    const dataDir = join(base, 'desk')
    const validateData = (procId: string) =>
      loadOpenerConfig().procedures.get(proc(procId).schemaUri)!.validate as (d: unknown) => boolean
    const caseOf = async (e: IntakeLogEntry) => {
      const r = await desk.dispatch('cases.get', { id: e.caseId })
      expect(r.ok).toBe(true)
      return (
        r as {
          value: {
            documents: { filename: string; title: string }[]
            applicantName: string
            subject: string
            formData: unknown
          }
        }
      ).value
    }

    // a valid control submission
    await add('gültiger Antrag', submitApplication(sender, await app('wohngeld')), 'accepted')
    // cryptography
    await tampered(
      'JWE beschädigt (Metadaten)',
      'kfz',
      () => ({ corrupt: ['metadata'] }),
      'encryption-issue',
    )
    await tampered(
      'falscher Schlüssel (Fachdaten)',
      'kfz',
      () => ({ wrongKey: { key: otherKey, parts: ['data'] } }),
      'encryption-issue',
    )
    await tampered(
      'falscher Schlüssel (Anlagen)',
      'sondernutzung',
      () => ({ wrongKey: { key: otherKey, parts: ['attachments'] } }),
      'encryption-issue',
    )
    await add(
      'Token abgeschnitten (Metadaten)',
      submitMangled(sender, await app('bussgeld'), (e) => ({
        ...e,
        encryptedMetadata: truncateJwe(e.encryptedMetadata),
      })),
      'rejected',
      'encryption-issue',
    )
    await add(
      'Token abgeschnitten (Anlage)',
      submitMangled(sender, await app('wohngeld'), (e) => ({
        ...e,
        attachments: e.attachments.map((x, i) => (i === 0 ? { ...x, jwe: truncateJwe(x.jwe) } : x)),
      })),
      'rejected',
      'encryption-issue',
    )
    // hashes
    await tampered(
      'Anlage ausgetauscht',
      'wohngeld',
      (a) => ({ replaceAttachment: { [a.attachments[0]!.attachmentId]: pdf(900) } }),
      'hash-mismatch',
    )
    await tampered(
      'Fachdaten-Hash falsch',
      'kfz',
      () => ({
        metadata: (m) => ({
          ...m,
          contentStructure: {
            ...m.contentStructure,
            data: {
              ...m.contentStructure.data,
              hash: { type: 'sha512', content: 'b'.repeat(128) },
            },
          },
        }),
      }),
      'hash-mismatch',
    )
    // schemas
    await tampered(
      'Metadaten schemawidrig',
      'kfz',
      () => ({ metadata: (m) => ({ ...m, contentStructure: { attachments: 'keine' } }) }),
      'invalid-metadata',
    )
    await tampered(
      'Metadaten kein JSON',
      'kfz',
      () => ({ rawMetadata: utf8('{"contentStructure": ') }),
      'invalid-metadata',
    )
    {
      const a = await app('wohngeld')
      await add(
        'Fachdaten schemawidrig',
        submitApplication(sender, {
          ...a,
          data: { ...(a.data as object), monatlicheMiete: 'sehr viel', unbekannt: HTML },
        }),
        'rejected',
        'invalid-data',
      )
    }
    // limits: nesting and huge arrays
    await tampered(
      'Fachdaten 100.000 Ebenen tief',
      'bussgeld',
      () => ({ rawData: utf8('['.repeat(100_000) + ']'.repeat(100_000)) }),
      'invalid-data',
    )
    await tampered(
      'Metadaten tief verschachtelt',
      'bussgeld',
      (a) => ({
        rawMetadata: utf8(
          JSON.stringify({ ...buildMetadata(a, utf8(JSON.stringify(a.data))), x: 0 }).replace(
            '"x":0',
            `"x":${'['.repeat(50_000)}${']'.repeat(50_000)}`,
          ),
        ),
      }),
      'invalid-metadata',
    )
    {
      const a = await app('baugenehmigung')
      await add(
        'Fachdaten mit 100.000-Element-Array',
        submitApplication(sender, a, {
          rawData: utf8(
            JSON.stringify({ ...(a.data as object), liste: new Array(100_000).fill(1) }),
          ),
        }),
        'rejected',
        'invalid-data',
      )
    }
    await tampered(
      'Metadaten mit 100.000-Element-Array',
      'sondernutzung',
      () => ({
        metadata: (m) => ({
          ...m,
          additionalReferenceInfo: {
            ...m.additionalReferenceInfo,
            x: new Array(100_000).fill('a'),
          },
        }),
      }),
      'invalid-metadata',
    )
    // attachments: size, type lies, file names
    await withAttachment(
      'Anlage über der Größengrenze',
      { bytes: pdf(4 * ATTACHMENT_LIMIT), mimeType: 'application/pdf' },
      'rejected',
      'invalid-attachment',
    )
    await withAttachment(
      'EXE als PDF deklariert',
      { bytes: EXE, mimeType: 'application/pdf', filename: `rechnung-${MARKER}.pdf` },
      'rejected',
      'invalid-attachment',
    )
    await withAttachment(
      'EXE als EXE deklariert',
      { bytes: EXE, mimeType: 'application/x-msdownload', filename: `setup-${MARKER}.exe` },
      'rejected',
      'invalid-attachment',
    )
    const names: [string, string, (name: string) => void][] = [
      [
        'Dateiname mit ../',
        `../../../../../../tmp/${MARKER}-traversal.pdf`,
        (f) => expect(f).toBe(`${MARKER}-traversal.pdf`),
      ],
      [
        'Dateiname mit Windows-Pfad',
        `..\\..\\..\\Windows\\System32\\${MARKER}-win.pdf`,
        (f) => expect(f).toBe(`${MARKER}-win.pdf`),
      ],
      [
        'Dateiname mit NUL',
        `bescheid\u0000${MARKER}-nul.pdf`,
        (f) => expect(f).not.toContain('\u0000'),
      ],
      [
        'Dateiname mit RTL-Override',
        `rechnung-${MARKER}\u202Efdp.exe`,
        (f) => expect(f).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/),
      ],
      [
        'Dateiname mit 300 Zeichen',
        `${'ä'.repeat(300)}-${MARKER}.pdf`,
        (f) => expect(Array.from(f).length).toBeLessThanOrEqual(255),
      ],
      [
        'Dateiname als HTML',
        `<img src=x onerror=alert(1)>${MARKER}.pdf`,
        (f) => expect(f).not.toMatch(/[\\/]/),
      ],
    ]
    for (const [label, filename, checkName] of names) {
      await withAttachment(
        label,
        {
          bytes: pdf(1200),
          mimeType: 'application/pdf',
          filename,
          description: `${HTML} ${label}`,
        },
        'accepted',
        undefined,
        async (e) => {
          const c = await caseOf(e)
          const doc = c.documents.find((d) => d.title.includes(label))
          expect(
            doc,
            `${label}: ${JSON.stringify(c.documents.map((d) => [d.title, d.filename]))}`,
          ).toBeDefined()
          checkName(doc!.filename)
          expect(doc!.filename).not.toMatch(/[\\/]/)
          expect(
            [...doc!.filename].filter((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f),
          ).toEqual([])
        },
      )
    }
    // HTML/script in every text field the schemas allow: accepted, stored as the literal text
    for (const procId of procs.map((p) => p.id)) {
      const a = await app(procId)
      const { data, replaced } = htmlEverywhere(a, validateData(procId))
      expect(replaced, `${procId}: no text field took HTML`).toBeGreaterThan(0)
      const hostileApp: Application = {
        ...a,
        data,
        senderReference: `${HTML}`,
        attachments: a.attachments.map((x) => ({
          ...x,
          description: `${HTML} Beschreibung`,
          filename: `${HTML}.pdf`,
        })),
      }
      await add(
        `HTML in allen Textfeldern (${procId})`,
        submitApplication(sender, hostileApp),
        'accepted',
        undefined,
        async (e) => {
          const c = await caseOf(e)
          expect(JSON.stringify(c.formData)).toBe(JSON.stringify(data)) // stored verbatim, not escaped, not stripped
          expect(c.documents.some((d) => d.title.startsWith('<img src=x onerror=alert(1)>'))).toBe(
            true,
          )
        },
      )
    }

    const before = listFiles(base)
    const logSpy = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const deps = {
      client: createHubClient({
        baseUrl: hub.url,
        clientId: hub.config.clients.find((c) => c.role === 'subscriber')!.clientId,
        clientSecret: hub.config.clients.find((c) => c.role === 'subscriber')!.clientSecret,
        clock,
      }),
      keys,
      opener: loadOpenerConfig(undefined, { maxAttachmentBytes: ATTACHMENT_LIMIT }),
    }
    const counts = await runIntakePass(desk.ctx, deps)
    logSpy.mockRestore()
    const rejected = [...expected.values()].filter((x) => x.outcome === 'rejected').length
    expect(counts).toMatchObject({
      total: expected.size,
      accepted: expected.size - rejected,
      rejected,
    })

    // every submission has the outcome and problem type it deserves
    const log = await desk.dispatch('intake.log', { limit: 1000 })
    expect(log.ok).toBe(true)
    const entries = (log as { value: { entries: IntakeLogEntry[] } }).value.entries
    for (const [submissionId, want] of expected) {
      const e = entries.find((x) => x.submissionId === submissionId)
      expect(e, want.label).toBeDefined()
      expect({ label: want.label, outcome: e!.outcome, problem: e!.problemType }).toEqual({
        label: want.label,
        outcome: want.outcome,
        problem: want.kind ? PROBLEM_BASE + want.kind : null,
      })
      expectGermanAndClean(e!.reason)
      await want.check?.(e!)
      if (want.outcome === 'rejected') expect(await hub.submissionState(submissionId)).toBe('rejected')
    }

    // the desk is still up and answers
    expect((await desk.dispatch('app.info', {})).ok).toBe(true)
    const list = await desk.dispatch('cases.list', {})
    expect(list.ok).toBe(true)

    // nothing outside the data folder: the hub's folder is the hub's business, every new file of the
    // desk lies under its data folder and is named by the desk (database, blobs by hash), never by a submission
    const after = listFiles(base)
    const changed = [...after].filter(([p, size]) => before.get(p) !== size).map(([p]) => p)
    const outside = changed.filter((p) => !p.startsWith(`desk/`) && !p.startsWith(`hub/`))
    expect(outside).toEqual([])
    const deskFiles = [...listFiles(dataDir).keys()]
    const foreign = deskFiles.filter(
      (p) =>
        !/^(aktenfluss\.db(-wal|-shm|-journal)?|aktenfluss\.lock|aktenfluss\.keys\.json|aktenfluss\.recovery\.jwe|secrets\.sealed|blobs\/[0-9a-f]{2}\/[0-9a-f]{64})$/.test(
          p,
        ),
    )
    expect(foreign).toEqual([])
    expect([
      ...findMarker(base, 6),
      ...findMarker(tmpdir(), 1),
      ...findMarker(process.cwd(), 2),
      ...findMarker('/', 1),
      ...findMarker('/etc', 1),
    ]).toEqual([])

    // a second pass is quiet: nothing pending, nothing stored twice
    const again = await runIntakePass(desk.ctx, deps)
    expect(again).toMatchObject({ accepted: 0, rejected: 0 })
  })
})

describe('fuzzing the submission opener with mutations of a valid submission', () => {
  const KID = 'fuzz-kid'
  let valid: OpenInput
  let original: unknown
  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RSA-OAEP-256', { modulusLength: 2048 })
    const a = await app('kfz')
    original = a.data
    const enc = await encryptApplication({ kid: KID, key: publicKey }, a)
    valid = {
      submission: {
        submissionId: '00000000-0000-4000-8000-00000000000a',
        caseId: '00000000-0000-4000-8000-00000000000b',
        serviceType: {
          name: a.procedure.name,
          identifier: `urn:de:fim:leika:leistung:${a.procedure.leika}`,
        },
        attachments: enc.attachments.map((x) => x.attachmentId),
        encryptedMetadata: enc.encryptedMetadata,
        encryptedData: enc.encryptedData,
      },
      attachments: Object.fromEntries(enc.attachments.map((x) => [x.attachmentId, x.jwe])),
      decryptionKey: { kid: KID, key: privateKey },
      config: loadOpenerConfig(),
    }
    expect((await openSubmission(valid)).ok).toBe(true)
  })

  type Target = 'metadata' | 'data' | 'attachment' | 'announced' | 'service'
  const mutation = fc.record({
    target: fc.constantFrom<Target>(
      'metadata',
      'data',
      'attachment',
      'metadata',
      'data',
      'announced',
      'service',
    ),
    op: fc.constantFrom(
      'flip',
      'truncate',
      'insert',
      'swapSegments',
      'dropSegment',
      'replace',
      'empty',
    ),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    text: fc.string({ maxLength: 40 }),
  })
  const mutate = (s: string, m: { op: string; at: number; text: string }): string => {
    const i = Math.floor(m.at * s.length)
    switch (m.op) {
      case 'flip':
        return s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1)
      case 'truncate':
        return s.slice(0, i)
      case 'insert':
        return s.slice(0, i) + m.text + s.slice(i)
      case 'swapSegments': {
        const p = s.split('.')
        const j = Math.floor(m.at * p.length)
        ;[p[j], p[(j + 1) % p.length]] = [p[(j + 1) % p.length]!, p[j]!]
        return p.join('.')
      }
      case 'dropSegment': {
        const p = s.split('.')
        p.splice(Math.floor(m.at * p.length), 1)
        return p.join('.')
      }
      case 'replace':
        return m.text
      default:
        return ''
    }
  }

  it('never throws; every result is a valid opening or a refusal with a known problem type and a German reason', async () => {
    const kinds = new Set([
      'encryption-issue',
      'invalid-metadata',
      'hash-mismatch',
      'missing-attachment',
      'invalid-data',
      'unsupported-schema',
      'invalid-attachment',
    ])
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (ms) => {
        const input: OpenInput = {
          ...valid,
          submission: { ...valid.submission },
          attachments: { ...valid.attachments },
        }
        for (const m of ms) {
          const firstId = valid.submission.attachments[0]!
          if (m.target === 'metadata')
            input.submission.encryptedMetadata = mutate(input.submission.encryptedMetadata, m)
          else if (m.target === 'data')
            input.submission.encryptedData = mutate(input.submission.encryptedData ?? '', m)
          else if (m.target === 'attachment')
            (input.attachments as Record<string, string | undefined>)[firstId] = mutate(
              (input.attachments as Record<string, string | undefined>)[firstId] ?? '',
              m,
            )
          else if (m.target === 'announced')
            input.submission.attachments =
              m.op === 'empty' ? [] : [...input.submission.attachments, m.text]
          else
            input.submission.serviceType = {
              identifier: mutate(input.submission.serviceType?.identifier ?? '', m),
            }
        }
        const r = await openSubmission(input)
        if (r.ok) {
          expect(r.data).toEqual(original) // a mutation that changed nothing that matters
        } else {
          expect(kinds.has(r.kind)).toBe(true)
          expect(r.problem.type).toBe(PROBLEM_BASE + r.kind)
          expectGermanAndClean(r.reasonDe)
        }
      }),
      { numRuns: 300, seed: 4711 },
    )
  })

  it('refuses tokens that are not JWEs at all (as a hub that does not check would hand them over)', async () => {
    for (const bad of [
      '',
      '.',
      '....',
      'eyJhbGciOiJub25lIn0',
      'a.b.c.d.e',
      '\u0000'.repeat(10),
      'x'.repeat(100_000),
      valid.submission.encryptedMetadata.split('.').slice(0, 2).join('.'),
    ]) {
      const r = await openSubmission({
        ...valid,
        submission: { ...valid.submission, encryptedMetadata: bad },
      })
      expect(r.ok).toBe(false)
      if (!r.ok) expect(['encryption-issue', 'invalid-metadata']).toContain(r.kind)
    }
  })
})

describe('fuzzing the API input schemas (desk.dispatch, the one entry of IPC and the bridge)', () => {
  let desk: Desk
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dispatch-fuzz-'))
    desk = createDesk({ dataDir: dir, mode: 'browser', clock: manualClock(NOW) })
  })
  afterAll(async () => {
    await desk.close()
    rmSync(dir, { recursive: true, force: true })
  })

  /** Arbitrary JSON, plus objects shaped like the method's input with arbitrary values. */
  const inputFor = (method: string) => {
    const shape =
      (
        contract[method as keyof typeof contract].input as unknown as {
          shape?: Record<string, unknown>
        }
      ).shape ?? {}
    const keys = Object.keys(shape)
    const shaped = keys.length
      ? fc.dictionary(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 3 }), {
          maxKeys: keys.length,
        })
      : fc.constant({})
    return fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      shaped,
      shaped,
      fc.constantFrom(
        undefined,
        null,
        '__proto__',
        { __proto__: { id: 'x' } },
        { constructor: { prototype: 1 } },
      ),
    )
  }

  it('for every method in preload/contract/: never throws, always an envelope, errors are German without internals', async () => {
    const logSpy = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const codes = new Map<string, number>()
    try {
      for (const method of methods) {
        await fc.assert(
          fc.asyncProperty(inputFor(method), async (input) => {
            const r = await desk.dispatch(method, input)
            expect(typeof r).toBe('object')
            if (r.ok) {
              expect(Object.keys(r).sort()).toEqual(['ok', 'value'])
              return
            }
            expect(Object.keys(r).sort()).toEqual(['error', 'ok'])
            expect(Object.keys(r.error).sort()).toEqual(['code', 'message'])
            expect(r.error.code).toMatch(/^[a-z_]+$/)
            codes.set(r.error.code, (codes.get(r.error.code) ?? 0) + 1)
            expectGermanAndClean(r.error.message)
            if (r.error.code === 'internal')
              expect(r.error.message).toBe(
                'Interner Fehler. Der Vorgang wurde nicht ausgeführt; Details stehen im Protokoll.',
              )
          }),
          { numRuns: 60, seed: 42 },
        )
      }
      // unknown methods, hostile method names
      for (const m of [
        '',
        'constructor',
        '__proto__',
        'toString',
        'cases',
        'cases.list.x',
        '../../etc/passwd',
        'x'.repeat(10_000),
      ]) {
        const r = await desk.dispatch(m, {})
        expect(r.ok).toBe(false)
        if (!r.ok) {
          expect(r.error.code).toBe('unknown_method')
          expect(r.error.message.length).toBeLessThan(200)
        }
      }
    } finally {
      logSpy.mockRestore()
    }
    expect(codes.get('invalid_input') ?? 0).toBeGreaterThan(0)
    expect((await desk.dispatch('app.info', {})).ok).toBe(true)
  })
})
