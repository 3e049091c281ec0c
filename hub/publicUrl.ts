// --public-url: the address a load balancer exposes for several hub processes. The embedded IdP's
// issuer (`<public URL>/oidc`), the `iss` of the hub's SETs, the links in mails and idp.json use
// it instead of the process's own loopback address, so every process behind it issues and
// accepts the same tokens (docs/operations.md, "Several hub processes, one office").

/** The environment variable for --public-url. */
export const PUBLIC_URL_ENV = 'AKTENFLUSS_HUB_PUBLIC_URL'

export class PublicUrlError extends Error {}

/** An absolute http(s) URL without query, fragment or credentials; no trailing slash. */
export function parsePublicUrl(value: string): string {
  let u: URL
  try {
    u = new URL(value)
  } catch {
    throw new PublicUrlError(
      `Die öffentliche Adresse „${value}“ ist keine gültige URL. Bitte z. B. https://hub.example.de angeben. / --public-url is not a valid URL.`,
    )
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new PublicUrlError(
      `Die öffentliche Adresse „${value}“ muss mit https:// (oder http:// für Tests) beginnen. / --public-url must be http(s).`,
    )
  if (u.search || u.hash || u.username || u.password)
    throw new PublicUrlError(
      `Die öffentliche Adresse „${value}“ darf weder Zugangsdaten noch ?… oder #… enthalten. Bitte nur Schema, Host, Port und Pfad angeben. / --public-url must not carry credentials, a query or a fragment.`,
    )
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`
}
