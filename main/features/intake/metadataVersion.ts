// Which FIT-Connect metadata versions the desk reads (issue #16 point 1): metadata name their
// version with `$schema` (https://schema.fitko.de/fit-connect/metadata/<version>/metadata.schema.json).
// 1.0.0 and every later 1.x are read against the 1.0.0 schema: a minor version only adds optional
// members, and the 1.0.0 schema does not forbid unknown ones. Another major is refused.

const METADATA_SCHEMA_RE =
  /^https:\/\/schema\.fitko\.de\/fit-connect\/metadata\/(\d+)\.(\d+)\.(\d+)\/metadata\.schema\.json$/

export type MetadataVersionCheck =
  { ok: true; version: string } | { ok: false; detail: string; reasonDe: string }

/** Metadata without `$schema` are read as 1.0.0 (FITKO's 1.0.0 schema does not require it). */
export function checkMetadataVersion(metadata: unknown): MetadataVersionCheck {
  if (typeof metadata !== 'object' || metadata === null || !('$schema' in metadata))
    return { ok: true, version: '1.0.0' }
  const uri = metadata.$schema
  const m = typeof uri === 'string' ? METADATA_SCHEMA_RE.exec(uri) : null
  if (!m)
    return {
      ok: false,
      detail: `Metadata $schema ${JSON.stringify(uri).slice(0, 200)} is not a FIT-Connect metadata schema.`,
      reasonDe:
        'Die Metadaten verweisen nicht auf ein FIT-Connect-Metadatenschema. Bitte wenden Sie sich an den Betreiber des Onlinedienstes.',
    }
  const version = `${m[1]}.${m[2]}.${m[3]}`
  if (m[1] !== '1')
    return {
      ok: false,
      detail: `Metadata schema version ${version} is not supported (1.x only).`,
      reasonDe: `Das Metadatenschema in Version ${version} wird nicht unterstützt (nur 1.x). Bitte wenden Sie sich an den Betreiber des Onlinedienstes.`,
    }
  return { ok: true, version }
}
