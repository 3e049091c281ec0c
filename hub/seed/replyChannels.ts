// Reply channels of seeded applicants (issue #16): the reference hub plays the applicants' portal,
// so one portal key pair stands for the online service's FIT-Connect reply key (FITKO: the sender
// names its public encryption key in `replyChannel.fitConnect`). Its private half is kept beside
// hub.json (portal-key.json, 0600) so the portal side can decrypt what the desk sends.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { exportJWK, generateKeyPair, type JWK } from 'jose'
import { ensureSecureHubFile } from '../secureFs'

export interface PortalKey {
  kid: string
  publicJwk: JWK
  privateJwk: JWK
}

/** The portal key at `path`, created on first use. */
export async function portalKeyAt(path: string): Promise<PortalKey> {
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as PortalKey
  const pair = await generateKeyPair('RSA-OAEP-256', { modulusLength: 2048, extractable: true })
  const kid = `portal-${Date.now().toString(36)}`
  const key: PortalKey = {
    kid,
    publicJwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'RSA-OAEP-256', use: 'enc' },
    privateJwk: { ...(await exportJWK(pair.privateKey)), kid, alg: 'RSA-OAEP-256' },
  }
  ensureSecureHubFile(path)
  writeFileSync(path, JSON.stringify(key, null, 2))
  return key
}

export type SeedReplyChannel = 'fitConnect' | 'eMail' | 'none'

/** Every third applicant names the FIT-Connect reply channel, every third an e-mail address. */
export function replyChannelFor(i: number): SeedReplyChannel {
  return (['fitConnect', 'eMail', 'none'] as const)[i % 3]!
}

/** Rewrites the metadata's `replyChannel` (FIT-Connect allows exactly one channel) to `channel`. */
export function withReplyChannel(
  metadata: Record<string, unknown>,
  channel: SeedReplyChannel,
  address: string,
  key: PortalKey,
): Record<string, unknown> {
  const { replyChannel: _given, ...rest } = metadata
  if (channel === 'fitConnect')
    return { ...rest, replyChannel: { fitConnect: { encryptionPublicKey: key.publicJwk } } }
  if (channel === 'eMail') return { ...rest, replyChannel: { eMail: { address } } }
  return rest
}
