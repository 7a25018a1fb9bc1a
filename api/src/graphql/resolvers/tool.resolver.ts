import { Ctx, Query, Resolver } from 'type-graphql';
import { readAllTools } from '../../db/ops/reads';
import type { Context } from '../context';
import { Tool } from '../types/models.type';

@Resolver(() => Tool)
export class ToolResolver {
  @Query(() => [Tool], { description: 'Every tool.' })
  async tools(@Ctx() ctx: Context) {
    return readAllTools(ctx.db);
  }
}
