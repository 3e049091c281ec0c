// Configuration of the submission opener: procedures, their data schemas and the FIT-Connect
// metadata schema, compiled once (ajv, draft 2020-12).
import { FORM_LIMITS } from '../../../common/text'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Ajv2020 from 'ajv/dist/2020.js'
import type { ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { locateShipped } from '../../../db/locate'
import type { WireOpenerSpec } from './openWire'

export interface ProcedureConfig {
  id: string
  name: string
  leika: string
  schemaUri: string
}

export interface OpenLimits {
  /** per attachment, decrypted; default 20 MiB */
  maxAttachmentBytes: number
  maxAttachments: number
  /** data plus all attachments, decrypted; default 500 MiB (21 × 20 MB fit) */
  maxSubmissionBytes: number
  maxMetadataBytes: number
  maxDataBytes: number
  /** nesting depth of decrypted JSON */
  maxJsonDepth: number
  /** values (objects, arrays, scalars) in decrypted JSON */
  maxJsonNodes: number
  /** declared MIME types accepted for attachments (magic bytes are checked for each) */
  allowedMimeTypes: string[]
}

export const DEFAULT_LIMITS: OpenLimits = {
  maxAttachmentBytes: 20 * 1024 * 1024,
  maxAttachments: 100,
  maxSubmissionBytes: 500 * 1024 * 1024,
  maxMetadataBytes: 1024 * 1024,
  maxDataBytes: FORM_LIMITS.maxBytes,
  maxJsonDepth: FORM_LIMITS.maxDepth,
  maxJsonNodes: 100_000,
  allowedMimeTypes: ['application/pdf', 'image/jpeg', 'image/png'],
}

export interface OpenerConfig {
  limits: OpenLimits
  validateMetadata: ValidateFunction
  /** by schemaUri */
  procedures: Map<
    string,
    { procedure: ProcedureConfig; validate: ValidateFunction; schema: unknown }
  >
  /** how a worker thread builds the same configuration (compiled validators do not travel) */
  spec?: WireOpenerSpec
}

export function createOpenerConfig(opts: {
  procedures: ProcedureConfig[]
  /** data schemas, each with $id = the procedure's schemaUri */
  schemas: unknown[]
  metadataSchema: unknown
  limits?: Partial<OpenLimits>
}): OpenerConfig {
  const ajv = new Ajv2020({
    strict: false,
    allErrors: false,
    multipleOfPrecision: 8,
    validateSchema: true,
  })
  addFormats(ajv)
  const validateMetadata = ajv.compile(opts.metadataSchema as object)
  const byId = new Map<string, unknown>()
  for (const s of opts.schemas) {
    const id = (s as { $id?: unknown }).$id
    if (typeof id === 'string') byId.set(id, s)
  }
  const procedures: OpenerConfig['procedures'] = new Map()
  for (const p of opts.procedures) {
    const schema = byId.get(p.schemaUri)
    if (!schema) throw new Error(`No data schema with $id ${p.schemaUri} for procedure ${p.id}`)
    procedures.set(p.schemaUri, { procedure: p, validate: ajv.compile(schema), schema })
  }
  return {
    limits: { ...DEFAULT_LIMITS, ...opts.limits },
    validateMetadata,
    procedures,
    spec: { inline: opts },
  }
}

/** The shipped assets/ folder, found by walking up (sources, the bundle in out/main, an asar). */
export const defaultAssetsDir = (): string => locateShipped('assets')

const cache = new Map<string, OpenerConfig>()

/** Reads assets/procedures.json, assets/procedures/schemas/<id>.schema.json and the metadata schema; cached per folder. */
export function loadOpenerConfig(
  assetsDir = defaultAssetsDir(),
  limits?: Partial<OpenLimits>,
): OpenerConfig {
  const key = `${assetsDir}\n${JSON.stringify(limits ?? {})}`
  const hit = cache.get(key)
  if (hit) return hit
  const read = (...p: string[]) =>
    JSON.parse(readFileSync(join(assetsDir, ...p), 'utf8')) as unknown
  const procedures = (read('procedures.json') as { procedures: ProcedureConfig[] }).procedures
  const config = createOpenerConfig({
    procedures,
    schemas: procedures.map((p) => read('procedures', 'schemas', `${p.id}.schema.json`)),
    metadataSchema: read('fit-connect', 'metadata.schema.v1.0.0.json'),
    ...(limits ? { limits } : {}),
  })
  config.spec = { assetsDir, ...(limits ? { limits } : {}) }
  cache.set(key, config)
  return config
}
