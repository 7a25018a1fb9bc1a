import { Command } from 'commander';
import { CliSetDistributorServesAllUsersDocument, CliSetUserDisabledDocument } from '../generated/graphql';
import { action, clientCommand, EXIT, formatTime, parseId } from './output';

// Admin switches (an admin's JOBMON_TOKEN): disabling a user refuses every token of theirs at once;
// letting a distributor serve every user makes it run their commands as its own operating-system user.

const userSwitch = (name: 'disable' | 'enable') =>
  clientCommand(
    name,
    name === 'disable'
      ? 'Disable a user: every token of theirs is refused at once (admin)'
      : 'Enable a disabled user again: their unrevoked tokens work again (admin)',
  )
    .argument('<user>', 'the user name')
    .action(
      action(async (context, user: string) => {
        const { setUserDisabled: changed } = await context.client.query(CliSetUserDisabledDocument, {
          user,
          disabled: name === 'disable',
        });
        if (context.json) context.printJson(changed);
        else
          context.print(
            changed.disabledAt
              ? `user ${changed.name} disabled since ${formatTime(changed.disabledAt)}`
              : `user ${changed.name} enabled`,
          );
        return EXIT.OK;
      }),
    );

/** `jobmon user disable|enable NAME`. */
export const userCommand = new Command('user')
  .description('Disable or enable a user (admin)')
  .addCommand(userSwitch('disable'))
  .addCommand(userSwitch('enable'));

const servesSwitch = (name: 'serve-all' | 'serve-owner') =>
  clientCommand(
    name,
    name === 'serve-all'
      ? "Let a distributor run every user's work, as its own operating-system user (admin)"
      : "Make a distributor run its owner's work only (admin)",
  )
    .argument('<distributor>', 'a distributor id', parseId)
    .action(
      action(async (context, distributorId: string) => {
        const { setDistributorServesAllUsers: changed } = await context.client.query(
          CliSetDistributorServesAllUsersDocument,
          { distributorId, servesAllUsers: name === 'serve-all' },
        );
        if (context.json) context.printJson(changed);
        else
          context.print(
            `distributor ${changed.id} (${changed.name}) runs ${
              changed.servesAllUsers
                ? "every user's work"
                : `the work of ${changed.owner ?? 'its owner'} only`
            }`,
          );
        return EXIT.OK;
      }),
    );

/** `jobmon distributor serve-all|serve-owner ID`. */
export const distributorCommand = new Command('distributor')
  .description('Whose work a distributor runs (admin)')
  .addCommand(servesSwitch('serve-all'))
  .addCommand(servesSwitch('serve-owner'));
