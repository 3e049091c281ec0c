// E-mail reply channel of the reference hub (issue #16 point 5): when the applicant named an
// e-mail address instead of a FIT-Connect reply key, the desk encrypts the letter to the portal's
// reply key (GET /v2/portal/reply-key) and names the address with the submit; the hub then writes
// a notification into the test mailbox `DIR/mailbox/<replyId>.eml` (a real operator would hand it
// to its mail relay). The mail says only that a letter is ready and where to retrieve it: no name,
// no file number, no content (the letter itself is retrieved in the portal).
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { portalKeyAt, type PortalKey } from './seed/replyChannels'
import { secureHubDir } from './secureFs'

export const notificationSchema = z
  .object({ eMail: z.string().email().max(254) })
  .strict()
  .optional()

export interface ReplyMailer {
  portalKey(): Promise<PortalKey>
  /** writes the notification once per reply (a repeated submit does not mail again) */
  notify(replyId: string, address: string, at: number): string
}

export function createReplyMailer(dataDir: string, portalUrl: () => string): ReplyMailer {
  let key: Promise<PortalKey> | undefined
  return {
    portalKey: () => (key ??= portalKeyAt(join(dataDir, 'portal-key.json'))),
    notify(replyId, address, at) {
      const dir = join(dataDir, 'mailbox')
      secureHubDir(dir)
      const file = join(dir, `${replyId}.eml`)
      const link = `${portalUrl()}/portal/replies/${replyId}`
      const mail = [
        `To: ${address}`,
        'From: noreply@aktenfluss.example',
        `Date: ${new Date(at).toUTCString()}`,
        'Subject: Neues Schreiben zu Ihrem Antrag',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
        '',
        'Guten Tag,',
        '',
        'zu Ihrem Antrag liegt ein neues Schreiben der Behörde für Sie bereit.',
        'Sie können es im Portal abrufen, nachdem Sie sich dort angemeldet haben:',
        '',
        link,
        '',
        'Bitte rufen Sie das Schreiben innerhalb von zehn Tagen ab; danach erhalten Sie es per Post.',
        'Diese Nachricht wurde automatisch erstellt. Bitte antworten Sie nicht darauf.',
        '',
      ].join('\r\n')
      writeFileSync(file, mail, { flag: 'wx', mode: 0o600 })
      return file
    },
  }
}
