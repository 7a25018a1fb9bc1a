import { CliViewerDocument } from '../generated/graphql';
import { DEFAULT_SERVER_URL, graphqlEndpoint, JobmonRequestError } from '../sdk';
import { action, clientCommand, EXIT } from './output';
import { defaultUser } from './status';

// `jobmon config`: what this shell would use, and where each setting comes from, then what the server
// makes of it. The first thing to run when a command answers something unexpected.

interface Setting {
  value: string | null;
  from: string;
}

/** A token shown by its first characters only: enough to tell two apart, not to use one. */
function redact(token: string): string {
  return token.length > 10 ? `${token.slice(0, 7)}…` : '…';
}

export const configCommand = clientCommand(
  'config',
  'Show the server, token and output settings in use and where each comes from, and what the server says of them',
).action(
  action(async (context) => {
    const env = process.env;
    // The client in use already chose (--server, else JOBMON_SERVER_URL, else the default): say which.
    const endpoint = context.client.endpoint;
    const server: Setting = {
      value: endpoint,
      from: env.JOBMON_SERVER_URL
        ? endpoint === graphqlEndpoint(env.JOBMON_SERVER_URL)
          ? 'JOBMON_SERVER_URL'
          : '--server'
        : endpoint === graphqlEndpoint(DEFAULT_SERVER_URL)
          ? 'default'
          : '--server',
    };
    const token: Setting = env.JOBMON_TOKEN
      ? { value: redact(env.JOBMON_TOKEN), from: 'JOBMON_TOKEN' }
      : { value: null, from: 'JOBMON_TOKEN is not set' };
    const color: Setting = process.argv.includes('--no-color')
      ? { value: 'off', from: '--no-color' }
      : env.NO_COLOR
        ? { value: 'off', from: 'NO_COLOR' }
        : process.stdout.isTTY
          ? { value: 'on', from: 'stdout is a terminal' }
          : { value: 'off', from: 'stdout is not a terminal' };

    let answer: {
      reachable: boolean;
      authRequired?: boolean;
      user?: string | null;
      role?: string | null;
      error?: string;
    };
    try {
      const { viewer } = await context.client.query(CliViewerDocument, {});
      answer = { reachable: true, ...viewer };
    } catch (error) {
      const refused = error instanceof JobmonRequestError && !error.unreachable;
      answer = { reachable: refused, error: error instanceof Error ? error.message : String(error) };
    }

    // Whom `jobmon status` lists by default: known once the server has said who the token is.
    const user: Setting = answer.error
      ? { value: null, from: 'unknown: the server did not say who you are' }
      : defaultUser(answer.user);

    if (context.json) {
      context.printJson({ server, token, color, defaultUser: user, answer });
      return answer.error ? (answer.reachable ? EXIT.REFUSED : EXIT.UNREACHABLE) : EXIT.OK;
    }
    const from = (setting: Setting) => context.colors.dim(`(${setting.from})`);
    const says = answer.error
      ? `${answer.reachable ? 'refused' : 'unreachable'}: ${answer.error}`
      : `${answer.authRequired ? 'tokens required' : 'open mode (no token needed)'}; you are ${
          answer.user ? `${answer.user} (${String(answer.role).toLowerCase()})` : 'anonymous'
        }`;
    context.print(
      context.fields([
        ['server', `${server.value} ${from(server)}`],
        ['token', `${token.value ?? 'none'} ${from(token)}`],
        ['colour', `${color.value} ${from(color)}`],
        ['default user', `${user.value ?? 'unknown'} ${from(user)}; jobmon status lists theirs`],
        ['server says', says],
      ]),
    );
    return answer.error ? (answer.reachable ? EXIT.REFUSED : EXIT.UNREACHABLE) : EXIT.OK;
  }),
);
