import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';

@ObjectType({ description: 'Relay page information.' })
export class PageInfo {
  @Field(() => Boolean, { description: 'More items follow: ask again with after: endCursor.' })
  hasNextPage!: boolean;
  @Field(() => Boolean, { description: 'Items precede this page.' }) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true, description: 'The cursor of the first item.' }) startCursor!:
    string | null;
  @Field(() => String, { nullable: true, description: 'The cursor of the last item (pass it as after).' })
  endCursor!: string | null;
}

/** The arguments of every paged list: `first` items after the cursor `after`. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: 'Page size (default 50).' })
  first?: number | null;
  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;
}

export interface ConnectionShape<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  /** Read lazily: the COUNT query runs only when a client asks for it. */
  readonly totalCount: Promise<number>;
}

/** A Relay connection type `<Name>Connection` with its `<Name>Edge`. */
export function Connection<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, { description: `A ${name} with its cursor.` })
  class EdgeType {
    @Field(() => String, { description: 'Pass it as after to list what follows this item.' })
    cursor!: string;
    @Field(() => node, { description: `The ${name}.` }) node!: T;
  }

  @ObjectType(`${name}Connection`, {
    description: `A page of ${name} items (Relay connection): nodes, or edges with cursors, and the total.`,
  })
  class ConnectionType implements ConnectionShape<T> {
    @Field(() => [EdgeType], { description: 'The items of the page, each with its cursor.' })
    edges!: EdgeType[];
    @Field(() => [node], { description: 'The items of the page.' }) nodes!: T[];
    @Field(() => PageInfo, { description: 'Whether more pages follow, and the cursors.' })
    pageInfo!: PageInfo;
    @Field(() => Int, { description: 'How many items match, over every page (counted only when asked).' })
    totalCount!: Promise<number>;
  }
  return ConnectionType;
}
