import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { assertMayManageIdentities, BadUserInputError, Role as DomainRole } from '../../domain';
import { createApiToken, listApiTokens, revokeApiToken, setUserDisabled } from '../../services/auth.service';
import type { Context } from '../context';
import { parseId } from '../pagination';
import { Role } from '../types/enums';

@ObjectType({ description: 'Who is asking, and whether this server asks at all.' })
export class Viewer {
  @Field(() => Boolean, { description: 'False in open mode (JOBMON_AUTH=off): no token is needed.' })
  authRequired!: boolean;
  @Field(() => String, { nullable: true, description: "The token's user; null without a token." })
  user!: string | null;
  @Field(() => Role, { nullable: true, description: "The token's role; null without a token." })
  role!: DomainRole | null;
}

@ObjectType({ description: 'An API token. The token itself is shown once, when it is created.' })
export class ApiToken {
  @Field(() => ID, { description: 'The token id.' }) id!: number;
  @Field(() => String, { description: 'Whose token it is.' }) user!: string;
  @Field(() => Role, { description: 'What it may do.' }) role!: DomainRole;
  @Field(() => String, { nullable: true, description: 'What it is for.' }) name!: string | null;
  @Field(() => String, { description: 'Its first characters, to tell tokens apart.' }) prefix!: string;
  @Field(() => DateTimeISOResolver, { description: 'When it was made.' }) createdAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When it stops working (null: never).' })
  expiresAt!: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Updated at most once a minute.' })
  lastUsedAt!: Date | null;
  @Field(() => DateTimeISOResolver, {
    nullable: true,
    description: 'When it was revoked (null: it was not).',
  })
  revokedAt!: Date | null;
}

@ObjectType({ description: 'A user of tokens.' })
export class ApiUser {
  @Field(() => String, { description: 'The user name.' }) name!: string;
  @Field(() => DateTimeISOResolver, {
    nullable: true,
    description: 'Set while the user is disabled: every token of theirs is refused.',
  })
  disabledAt!: Date | null;
}

@ObjectType({ description: 'A token just made: the only time the token itself is shown.' })
export class CreatedApiToken {
  @Field(() => String, { description: 'The bearer token: store it now, it cannot be read again.' })
  token!: string;
  @Field(() => ApiToken, { description: 'The token as listed.' }) apiToken!: ApiToken;
}

const MAX_EXPIRY_DAYS = 3650;

@Resolver()
export class AuthResolver {
  @Query(() => Viewer, { description: 'Answers without a token too, so that a client knows to ask for one.' })
  viewer(@Ctx() ctx: Context): Viewer {
    return {
      authRequired: ctx.authRequired,
      user: ctx.principal?.user ?? null,
      role: ctx.principal?.role ?? null,
    };
  }

  @Query(() => [ApiToken], { description: "Tokens, newest first: an admin's view has everyone's." })
  async apiTokens(
    @Ctx() ctx: Context,
    @Arg('user', () => String, { nullable: true, description: "Only this user's tokens (an admin's view)." })
    user?: string | null,
    @Arg('includeRevoked', () => Boolean, { defaultValue: false, description: 'Also list revoked tokens.' })
    includeRevoked?: boolean,
  ) {
    return listApiTokens(ctx.db, ctx.principal, { user, includeRevoked });
  }

  @Mutation(() => CreatedApiToken, {
    description:
      'Creates a token. A person creates USER tokens for themselves; an admin any token for anyone.',
  })
  async createApiToken(
    @Ctx() ctx: Context,
    @Arg('user', () => String, { nullable: true, description: "Default: the caller's user." })
    user?: string | null,
    @Arg('role', () => Role, { defaultValue: DomainRole.USER, description: 'What it may do (default USER).' })
    role?: DomainRole,
    @Arg('name', () => String, { nullable: true, description: 'What it is for.' }) name?: string | null,
    @Arg('expiresInDays', () => Int, {
      nullable: true,
      description: 'Days until it expires (default: never).',
    })
    expiresInDays?: number | null,
  ) {
    assertMayManageIdentities(ctx.authRequired);
    const owner = user ?? ctx.principal?.user;
    if (!owner) throw new BadUserInputError('user is required without a token', ['user']);
    if (expiresInDays != null && (expiresInDays < 1 || expiresInDays > MAX_EXPIRY_DAYS))
      throw new BadUserInputError(`expiresInDays must be between 1 and ${MAX_EXPIRY_DAYS}`, [
        'expiresInDays',
      ]);
    const expiresAt = expiresInDays == null ? null : new Date(Date.now() + expiresInDays * 86_400_000);
    const created = await createApiToken(ctx.db, { user: owner, role, name, expiresAt }, ctx.principal);
    return { token: created.token, apiToken: created.info };
  }

  @Mutation(() => ApiToken, { description: 'Revokes a token at once (its own user or an admin).' })
  async revokeApiToken(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { description: 'The token id.' }) id: string,
  ) {
    assertMayManageIdentities(ctx.authRequired);
    return revokeApiToken(ctx.db, parseId(id, 'token'), ctx.principal, ctx.tokens);
  }

  @Mutation(() => ApiUser, {
    description: 'An admin disables a user (every token of theirs is refused at once) or enables them again.',
  })
  async setUserDisabled(
    @Ctx() ctx: Context,
    @Arg('user', () => String, { description: 'The user.' }) user: string,
    @Arg('disabled', () => Boolean, { description: 'True disables, false enables.' }) disabled: boolean,
  ) {
    assertMayManageIdentities(ctx.authRequired);
    return setUserDisabled(ctx.db, user, disabled, ctx.principal, ctx.tokens);
  }
}
