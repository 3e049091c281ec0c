import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { assetPath } from '../../core/procedures'

export type SigningChoice = 'personal' | 'seal'

/**
 * Which signing certificates exist (assets/certs/certificates.json — demo configuration; an
 * office replaces it with its own): the authority's seal for everyone, personal certificates
 * per user id.
 */
const schema = z.object({
  seal: z.object({ file: z.string().min(1), label: z.string().min(1) }),
  personal: z.record(z.string(), z.object({ file: z.string().min(1), label: z.string().min(1) })),
})
type Certificates = z.infer<typeof schema>
let cached: Certificates | undefined
const load = (): Certificates =>
  (cached ??= schema.parse(
    JSON.parse(readFileSync(assetPath('certs', 'certificates.json'), 'utf8')),
  ))

export function certificateFor(
  userId: string,
  choice: SigningChoice,
): { file: string; label: string } | undefined {
  const c = load()
  return choice === 'seal' ? c.seal : c.personal[userId]
}

/** The certificates a user may choose from, personal first. */
export function certificatesOf(userId: string): { value: SigningChoice; label: string }[] {
  const personal = certificateFor(userId, 'personal')
  return [
    ...(personal ? [{ value: 'personal' as const, label: personal.label }] : []),
    { value: 'seal' as const, label: load().seal.label },
  ]
}
