import type { ApiTokenRecord, ApiTokenRole } from '@jobmon/core';
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  CliApiTokensDocument,
  CliCreateApiTokenDocument,
  CliRevokeApiTokenDocument,
  Role,
  type CliApiTokenFragment,
} from '../generated/graphql';
import { action, addConnectionOptions, CliContext, EXIT, formatTime, parseId } from './output';
import { loadServerModule } from './server-package';

// `jobmon token create|list|revoke`. Two ways in: through the server with JOBMON_TOKEN (an admin, or a
// person managing their own tokens), or with --database-url straight on the database: the operator's way
// to make the first admin token, on the server's host, before any token exists.

type Token = Omit<CliApiTokenFragment, 'role'> & { role: string };

const ROLES = Object.values(Role).map((role) => role.toLowerCase());

const databaseOption = () =>
  new Option(
    '--database-url <url>',
    "work on the server's database directly (the first admin token); default: through the server",
  );

/** The server package's token functions, for --database-url (loaded only then). */
const offlineTokens = () => loadServerModule('offline-tokens', 'jobmon token … --database-url');

const fromInfo = (info: ApiTokenRecord): Token => ({
  id: String(info.id),
  user: info.user,
  role: info.role.toUpperCase(),
  name: info.name,
  prefix: info.prefix,
  createdAt: info.createdAt.toISOString(),
  expiresAt: info.expiresAt?.toISOString() ?? null,
  lastUsedAt: info.lastUsedAt?.toISOString() ?? null,
  revokedAt: info.revokedAt?.toISOString() ?? null,
});

function parseDays(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('expected a number of days (1 or more)');
  return Number(value);
}

const create = addConnectionOptions(
  new Command('create').description(
    'Create a token; the token alone goes to stdout (shown once), what it is to stderr',
  ),
)
  .option('--user <name>', "whose token (default: the caller's own)")
  .addOption(new Option('--role <role>', 'what it may do').choices(ROLES).default('user'))
  .option('--name <text>', 'what it is for (shown in `jobmon token list`)')
  .option('--expires-in-days <n>', 'expires after this many days (default: never)', parseDays)
  .addOption(databaseOption())
  .action(
    action(
      async (
        context,
        options: { user?: string; role: string; name?: string; expiresInDays?: number; databaseUrl?: string },
      ) => {
        let token: string;
        let info: Token;
        if (options.databaseUrl) {
          if (!options.user) throw new InvalidArgumentError('--user is required with --database-url');
          const created = await offlineTokens().createToken(options.databaseUrl, {
            user: options.user,
            role: options.role as ApiTokenRole,
            name: options.name ?? null,
            expiresAt: options.expiresInDays
              ? new Date(Date.now() + options.expiresInDays * 86_400_000)
              : null,
          });
          token = created.token;
          info = fromInfo(created.info);
        } else {
          const { createApiToken: created } = await context.client.query(CliCreateApiTokenDocument, {
            user: options.user ?? null,
            role: options.role.toUpperCase() as Role,
            name: options.name ?? null,
            expiresInDays: options.expiresInDays ?? null,
          });
          token = created.token;
          info = created.apiToken;
        }
        if (context.json) context.printJson({ token, apiToken: info });
        else {
          process.stderr.write(
            `token ${info.id} for ${info.user} (${info.role.toLowerCase()})` +
              `${info.expiresAt ? `, expires ${formatTime(info.expiresAt)}` : ''}; it is shown only once:\n`,
          );
          context.print(token);
        }
        return EXIT.OK;
      },
    ),
  );

function printTokens(context: CliContext, tokens: readonly Token[]): void {
  if (context.json) return context.printJson(tokens);
  if (tokens.length === 0) return context.print('no tokens');
  context.print(
    context.table(
      ['id', 'user', 'role', 'name', 'prefix', 'created', 'expires', 'last used', 'revoked'],
      tokens.map((token) => [
        token.id,
        token.user,
        token.role.toLowerCase(),
        token.name ?? '-',
        `${token.prefix}…`,
        formatTime(token.createdAt),
        formatTime(token.expiresAt),
        formatTime(token.lastUsedAt),
        formatTime(token.revokedAt),
      ]),
    ),
  );
}

const list = addConnectionOptions(
  new Command('list').description("List tokens (an admin sees everyone's; a person their own)"),
)
  .option('--user <name>', "only this user's")
  .option('--all', 'revoked ones too')
  .addOption(databaseOption())
  .action(
    action(async (context, options: { user?: string; all?: boolean; databaseUrl?: string }) => {
      const tokens = options.databaseUrl
        ? (
            await offlineTokens().listTokens(options.databaseUrl, {
              user: options.user ?? null,
              includeRevoked: Boolean(options.all),
            })
          ).map(fromInfo)
        : (
            await context.client.query(CliApiTokensDocument, {
              user: options.user ?? null,
              includeRevoked: Boolean(options.all),
            })
          ).apiTokens;
      printTokens(context, tokens);
      return EXIT.OK;
    }),
  );

const revoke = addConnectionOptions(
  new Command('revoke').description('Revoke a token at once (its user or an admin)'),
)
  .argument('<id>', 'the token id (jobmon token list)', parseId)
  .addOption(databaseOption())
  .action(
    action(async (context, id: string, options: { databaseUrl?: string }) => {
      const token = options.databaseUrl
        ? fromInfo(await offlineTokens().revokeToken(options.databaseUrl, Number(id)))
        : (await context.client.query(CliRevokeApiTokenDocument, { id })).revokeApiToken;
      if (context.json) context.printJson(token);
      else context.print(`token ${token.id} of ${token.user} revoked`);
      return EXIT.OK;
    }),
  );

export const tokenCommand = new Command('token')
  .description('API tokens: create, list, revoke (see docs/operations.md)')
  .addCommand(create)
  .addCommand(list)
  .addCommand(revoke);
