// RFC 7807 problem documents of the reference hub.
export const HUB_PROBLEM_BASE = 'https://hub.aktenfluss.example/problems/'
/** FITKO's namespace for Submission API problems (docs.fitko.de, "Fehlerverhalten und Statuscodes"). */
export const FITKO_PROBLEM_BASE = 'https://schema.fitko.de/fit-connect/submission-api/problems/'

export interface Problem {
  type: string
  title: string
  status: number
  detail?: string
  instance?: string
}

/** An error that the hub's error handler turns into an application/problem+json response. */
export class HttpProblem extends Error {
  readonly status: number
  readonly type: string
  readonly title: string
  readonly detail: string | undefined
  /** extra response headers (e.g. WWW-Authenticate on a refused bearer token) */
  readonly headers: Record<string, string>

  constructor(
    status: number,
    slug: string,
    title: string,
    detail?: string,
    headers: Record<string, string> = {},
  ) {
    super(detail ?? title)
    this.status = status
    // a full URI (FITKO's types) stays as it is; a slug is the hub's own namespace
    this.type = slug.startsWith('https://') ? slug : HUB_PROBLEM_BASE + slug
    this.title = title
    this.detail = detail
    this.headers = headers
  }

  toProblem(instance?: string): Problem {
    return {
      type: this.type,
      title: this.title,
      status: this.status,
      ...(this.detail !== undefined ? { detail: this.detail } : {}),
      ...(instance !== undefined ? { instance } : {}),
    }
  }
}

export const badRequest = (detail: string) =>
  new HttpProblem(400, 'validation', 'Invalid request', detail)
export const unauthorized = (detail: string) =>
  new HttpProblem(401, 'unauthorized', 'Unauthorized', detail)
export const forbidden = (detail: string) => new HttpProblem(403, 'forbidden', 'Forbidden', detail)
export const notFound = (detail: string) => new HttpProblem(404, 'not-found', 'Not found', detail)
export const conflict = (detail: string) =>
  new HttpProblem(409, 'state-conflict', 'Conflict with the current state', detail)
export const invalidEvent = (detail: string) =>
  new HttpProblem(422, 'invalid-event', 'Security event token refused', detail)
/** 401: the X-Aktenfluss-Desk credential is missing or wrong. */
export const invalidDesk = (detail: string) =>
  new HttpProblem(401, 'invalid-desk', 'Desk credential refused', detail)
/** 401: the user's access token is refused (RFC 6750 `invalid_token`). */
export const invalidToken = (detail: string) =>
  new HttpProblem(401, 'invalid-token', 'Access token refused', detail, {
    'www-authenticate': `Bearer error="invalid_token", error_description="${detail.replace(/["\\]/g, '')}"`,
  })
/** 404 for a submission (FITKO's problem type). */
export const submissionNotFound = (detail: string) =>
  new HttpProblem(404, `${FITKO_PROBLEM_BASE}submission-not-found`, 'Submission not found', detail)
/** 422: well-formed, but not possible in the current state (FIT-Connect's Unprocessable Entity). */
export const unprocessable = (slug: string, detail: string) =>
  new HttpProblem(422, slug, 'Unprocessable entity', detail)
export const unsupportedMediaType = (detail: string) =>
  new HttpProblem(415, 'unsupported-media-type', 'Unsupported media type', detail)
