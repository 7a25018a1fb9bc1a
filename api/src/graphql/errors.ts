import { ErrorCode } from '@jobmon/core';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ValidationError as SequelizeValidationError } from 'sequelize';
import { isConnectionFailure } from '../db/connection';
import { JobmonError } from '../domain';
import { logger } from '../logger';

// Errors are mapped to stable `extensions.code` values in one place.

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof JobmonError) {
    return {
      ...formatted,
      message: original.message,
      extensions: { ...formatted.extensions, ...(original.details ?? {}), code: original.code },
    };
  }
  // Also a connection lost under a statement, which Sequelize types as a plain DatabaseError.
  if (isConnectionFailure(original)) {
    logger.error({ err: original }, 'database unavailable');
    return {
      message: 'Database unavailable, try again',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.SERVICE_UNAVAILABLE },
    };
  }
  if (original instanceof SequelizeValidationError) {
    return { ...formatted, message: original.message, extensions: { code: ErrorCode.BAD_USER_INPUT } };
  }
  const code = formatted.extensions?.code;
  if (original instanceof GraphQLError || (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR'))
    return formatted;
  logger.error({ err: original }, 'unexpected error in resolver');
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
