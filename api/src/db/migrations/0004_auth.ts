import { DataTypes, type QueryInterface } from 'sequelize';

// Migration 0004: users and their API tokens, and who owns a distributor (its reports are checked against it).

const id = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false };
const time = (allowNull = false) => ({ type: DataTypes.DATE(3), allowNull });

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('api_user', {
    id,
    name: { type: DataTypes.STRING(255), allowNull: false, unique: true },
    created_at: time(),
  });
  // Only a SHA-256 of a token is stored: tokens are random (256 bits), so a fast hash is enough and a
  // stolen database gives no usable token. The prefix lets a person tell their tokens apart.
  await qi.createTable('api_token', {
    id,
    user_id: {
      type: DataTypes.INTEGER,
      allowNull: false,
      references: { model: 'api_user', key: 'id' },
      onDelete: 'CASCADE',
    },
    name: { type: DataTypes.STRING(255), allowNull: true },
    role: { type: DataTypes.STRING(16), allowNull: false },
    token_hash: { type: DataTypes.CHAR(64), allowNull: false, unique: true },
    token_prefix: { type: DataTypes.STRING(16), allowNull: false },
    created_at: time(),
    expires_at: time(true),
    last_used_at: time(true),
    revoked_at: time(true),
  });
  await qi.addIndex('api_token', ['user_id']);
  await qi.addColumn('distributor', 'owner', { type: DataTypes.STRING(255), allowNull: true });
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.removeColumn('distributor', 'owner');
  await qi.dropTable('api_token');
  await qi.dropTable('api_user');
}
