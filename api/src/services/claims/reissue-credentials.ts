import type { Database } from '../../db';
import {
  lockResubmittableAttempts,
  replaceAttemptCredentialHashes,
} from '../../db/ops/reissue-attempt-credentials';
import { generateAttemptTokens, hashToken } from '../auth.service';

export interface IssuedCredential {
  taskInstanceId: number;
  reportToken: string;
}

/**
 * A fresh credential for each attempt a restarted distributor submits again. Why: the server keeps only
 * each credential's hash, so the adopter cannot give the attempt the one issued at its claim, and without
 * one its worker could not report live (it must never fall back to the distributor's own token). Attempts
 * no longer the distributor's to start (given up, ended) are left out: they must not be submitted.
 */
export async function reissueAttemptCredentials(
  db: Database,
  distributorId: number,
  instanceIds: readonly number[],
): Promise<IssuedCredential[]> {
  if (instanceIds.length === 0) return [];
  return db.transaction(async (transaction) => {
    const ids = await lockResubmittableAttempts(db, transaction, distributorId, instanceIds);
    const issued = generateAttemptTokens(ids.length);
    const tokens = new Map(ids.map((id, i) => [id, issued[i]!]));
    await replaceAttemptCredentialHashes(
      db,
      transaction,
      new Map([...tokens].map(([id, token]) => [id, hashToken(token)])),
    );
    return [...tokens].map(([taskInstanceId, reportToken]) => ({ taskInstanceId, reportToken }));
  });
}
