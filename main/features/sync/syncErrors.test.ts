// The status bar's sync message is German, whatever the network layer threw.
import { describe, expect, it } from 'vitest'
import { syncErrorMessage } from './engine'
import { ApiFailure } from '../../core/errors'
import { HubProblemError, HubProtocolError } from '../../hub-client/errors'

describe('sync error messages', () => {
  it('says in German what went wrong, without the English of the network layer', () => {
    const english = /\b(fetch|failed|Internal|Server|Error|Unauthorized|expected)\b/
    const cases = [
      new HubProblemError(500, 'about:blank', 'Internal Server Error', undefined, 'http://hub/x'),
      new HubProblemError(401, 'about:blank', 'Unauthorized', 'token expired', 'http://hub/x'),
      new HubProblemError(409, 'about:blank', 'Conflict', undefined, 'http://hub/x'),
      new HubProtocolError('Expected string, received number at changes[0].id', 'http://hub/x'),
      new TypeError("Cannot read properties of undefined (reading 'map')"),
      'boom',
    ]
    for (const err of cases) {
      const m = syncErrorMessage(err)
      expect(m).not.toMatch(english)
      expect(m).toMatch(/Hub|Synchronisation/)
    }
    expect(
      syncErrorMessage(new HubProblemError(503, 'x', 'Service Unavailable', undefined, 'u')),
    ).toContain('HTTP 503')
    expect(syncErrorMessage(new ApiFailure('storage', 'Der Datenträger ist voll.'))).toBe(
      'Der Datenträger ist voll.',
    )
  })
})
