// npm run hub:token -- --hub-config PATH/hub.json --user USERID [--desk DESKID]
// Prints one line of JSON: the headers with which a desk acting for that demo user calls the
// office API. Signs offline with the embedded IdP's key from the hub's data folder.
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { loadOfficeDirectory } from '../office/directory'
import { mintDemoAccessToken } from './mint'

const hubJson = z.object({
  desks: z.array(z.object({ deskId: z.string(), secret: z.string() })).optional(),
  identity: z.object({ issuer: z.string() }).loose().optional(),
})

function fail(message: string): never {
  console.error(message)
  process.exit(2)
}

const { values } = parseArgs({
  options: {
    'hub-config': { type: 'string' },
    user: { type: 'string' },
    desk: { type: 'string' },
  },
})
const configPath = values['hub-config']
const userId = values.user
if (!configPath || !userId)
  fail(
    'Aufruf: npm run hub:token -- --hub-config PFAD/hub.json --user BENUTZER [--desk ARBEITSPLATZ]',
  )

let config: z.infer<typeof hubJson>
try {
  config = hubJson.parse(JSON.parse(readFileSync(resolve(configPath), 'utf8')))
} catch (e) {
  fail(
    `Die Datei „${configPath}“ ist keine lesbare hub.json (${e instanceof Error ? e.message : String(e)}).`,
  )
}
if (config.identity)
  fail(
    `Dieser Hub nutzt einen externen Identitätsanbieter (${config.identity.issuer}); Zugriffstoken stellt nur dieser aus. hub:token arbeitet nur mit dem eingebauten Demo-Anbieter.`,
  )
if (!loadOfficeDirectory().users.some((u) => u.userId === userId))
  fail(
    `Die Person „${userId}“ steht nicht im Verzeichnis des Amtes. Bitte eine Kennung wie u-amueller angeben.`,
  )
const desk = values.desk ? config.desks?.find((d) => d.deskId === values.desk) : config.desks?.[0]
if (!desk)
  fail(
    values.desk
      ? `Der Arbeitsplatz „${values.desk}“ steht nicht in ${configPath}.`
      : `${configPath} enthält keinen Arbeitsplatz (desks). Bitte den Hub einmal starten.`,
  )
try {
  const token = await mintDemoAccessToken({ dataDir: dirname(resolve(configPath)), userId })
  console.log(
    JSON.stringify({
      authorization: `Bearer ${token}`,
      'x-aktenfluss-desk': `${desk.deskId}:${desk.secret}`,
    }),
  )
} catch (e) {
  fail(
    `Der Schlüssel des Demo-Anbieters fehlt (idp-keys.json/idp.json neben hub.json). Bitte den Hub einmal starten. (${e instanceof Error ? e.message : String(e)})`,
  )
}
