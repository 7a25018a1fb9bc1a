import { createContext, useContext } from 'react';
import { Role } from '../generated/graphql';

/** Who uses the UI (the `viewer` query). */
export interface Viewer {
  /** The server needs a token; false in open mode (anyone may do anything). */
  authRequired: boolean;
  user: string | null;
  role: Role | null;
}

export const OPEN_MODE: Viewer = { authRequired: false, user: null, role: null };

/** Set by AuthProvider once the viewer is known; open mode outside it (component tests of pages). */
export const ViewerContext = createContext<Viewer>(OPEN_MODE);

export function useViewer(): Viewer {
  return useContext(ViewerContext);
}

/**
 * Why the viewer may not stop, resume or change a workflow owned by `owner`, or null when they may: the
 * owner and admins may (the server's rule, SPEC §7), anyone in open mode.
 */
export function whyMayNotControl(viewer: Viewer, owner: string | null | undefined): string | null {
  if (!viewer.authRequired || viewer.role === Role.Admin) return null;
  if (viewer.user !== null && owner != null && viewer.user === owner) return null;
  const whose = owner ? `${owner}'s` : 'not your';
  return `This is ${whose} workflow: only its owner or an admin may stop, resume or change it.`;
}
