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
  @Field(() => Role, { nullable: true }) role!: DomainRole | null;
}

@ObjectType({ description: 'An API token. The token itself is shown once, when it is created.' })
export class ApiToken {
  @Field(() => ID) id!: number;
  @Field(() => String) user!: string;
  @Field(() => Role) role!: DomainRole;
  @Field(() => String, { nullable: true, description: 'What it is for.' }) name!: string | null;
  @Field(() => String, { description: 'Its first characters, to tell tokens apart.' }) prefix!: string;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true }) expiresAt!: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Updated at most once a minute.' })
  lastUsedAt!: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) revokedAt!: Date | null;
}

@ObjectType({ description: 'A user of tokens.' })
export class ApiUser {
  @Field(() => String) name!: string;
  @Field(() => DateTimeISOResolver, {
    nullable: true,
    description: 'Set while the user is disabled: every token of theirs is refused.',
  })
  disabledAt!: Date | null;
}

@ObjectType()
export class CreatedApiToken {
  @Field(() => String, { description: 'The bearer token: store it now, it cannot be read again.' })
  token!: string;
  @Field(() => ApiToken) apiToken!: ApiToken;
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
    @Arg('user', () => String, { nullable: true }) user?: string | null,
    @Arg('includeRevoked', () => Boolean, { defaultValue: false }) includeRevoked?: boolean,
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
    @Arg('role', () => Role, { defaultValue: DomainRole.USER }) role?: DomainRole,
    @Arg('name', () => String, { nullable: true }) name?: string | null,
    @Arg('expiresInDays', () => Int, { nullable: true }) expiresInDays?: number | null,
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
  async revokeApiToken(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    assertMayManageIdentities(ctx.authRequired);
    return revokeApiToken(ctx.db, parseId(id, 'token'), ctx.principal, ctx.tokens);
  }

  @Mutation(() => ApiUser, {
    description: 'An admin disables a user (every token of theirs is refused at once) or enables them again.',
  })
  async setUserDisabled(
    @Ctx() ctx: Context,
    @Arg('user', () => String) user: string,
    @Arg('disabled', () => Boolean) disabled: boolean,
  ) {
    assertMayManageIdentities(ctx.authRequired);
    return setUserDisabled(ctx.db, user, disabled, ctx.principal, ctx.tokens);
  }
}
