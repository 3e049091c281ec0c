// The embedded IdP's German login page: labelled fields, the error in role="alert", no script,
// one hashed style block (strict CSP).
import { createHash } from 'node:crypto'

const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f5f7;color:#1b1f24;margin:0}
main{max-width:26rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:1.4rem;margin-top:0}label{display:block;margin-top:1rem;font-weight:600}
input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;margin-top:.25rem;border:1px solid #6b7280;border-radius:4px}
input:focus,button:focus{outline:3px solid #1d4ed8;outline-offset:2px}
button{margin-top:1.5rem;padding:.6rem 1.2rem;font-size:1rem;background:#1d4ed8;color:#fff;border:0;border-radius:4px;cursor:pointer}
.alert{background:#fde8e8;color:#7f1d1d;border:1px solid #b91c1c;padding:.75rem;border-radius:4px;margin-bottom:1rem}
.hint{color:#374151;font-size:.9rem;margin-top:1.5rem}`

const styleHash = createHash('sha256').update(STYLE).digest('base64')

/** CSP of the login page: nothing but the hashed style; the form may post here and be redirected to a loopback desk. */
export const LOGIN_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${styleHash}'`,
  "form-action 'self' http://127.0.0.1:* http://localhost:* http://[::1]:*",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ')

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  )

export function loginPage(opts: {
  action: string
  username?: string
  error?: string
  office: string
}) {
  const error = opts.error
    ? `<div class="alert" role="alert" id="fehler">${esc(opts.error)}</div>`
    : ''
  const described = opts.error ? ' aria-describedby="fehler" aria-invalid="true"' : ''
  return `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Anmelden – Aktenfluss</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>Anmelden bei Aktenfluss</h1>
<p>${esc(opts.office)}</p>
${error}
<form method="post" action="${esc(opts.action)}" autocomplete="off" novalidate>
<label for="username">Benutzername</label>
<input id="username" name="username" type="text" autocomplete="username" required value="${esc(opts.username ?? '')}"${opts.username ? '' : ' autofocus'}${described}>
<label for="password">Kennwort</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${opts.username ? ' autofocus' : ''}${described}>
<button type="submit">Anmelden</button>
</form>
<p class="hint">Demo: Das Kennwort aller Demo-Benutzer ist <strong>demo</strong>.</p>
</main>
</body>
</html>`
}
