import { ConnectionError, DatabaseError } from 'sequelize';
import { formatError } from './errors';

// formatError maps what a resolver threw to the error a client sees. A lost database connection is
// SERVICE_UNAVAILABLE (clients try again); a socket error of anything else is not the database's.

const formatted = { message: 'original message', path: ['field'] };

/** An error as Node's net module raises it when the peer has gone. */
function socketError(code: string): Error {
  return Object.assign(new Error(`write ${code}`), { code, errno: -32, syscall: 'write' });
}

describe('formatError', () => {
  it('answers SERVICE_UNAVAILABLE for a database connection refused or lost under a statement', () => {
    const lost = new DatabaseError(Object.assign(socketError('EPIPE'), { sql: 'SELECT 1' }) as never);
    const refused = new ConnectionError(socketError('ECONNREFUSED'));
    const mysqlLost = Object.assign(new Error('Connection lost: The server closed the connection.'), {
      code: 'PROTOCOL_CONNECTION_LOST',
      fatal: true,
    });
    for (const error of [lost, refused, mysqlLost])
      expect(formatError(formatted, error).extensions?.code).toBe('SERVICE_UNAVAILABLE');
  });

  it("does not take a client's socket gone (EPIPE, ECONNRESET outside the database) for the database", () => {
    // A browser closed mid-subscription: the server's write to its WebSocket fails with EPIPE.
    for (const code of ['EPIPE', 'ECONNRESET']) {
      const answer = formatError(formatted, socketError(code));
      expect(answer.extensions?.code).not.toBe('SERVICE_UNAVAILABLE');
      expect(answer.message).not.toMatch(/database/i);
    }
  });
});
