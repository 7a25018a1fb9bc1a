/** Where the browser keeps the signed-in API token. */
export const TOKEN_STORAGE_KEY = 'jobmon.token';

export const SESSION_ENDED_MESSAGE = 'Your session ended: the token was revoked or expired.';

export interface AuthState {
  /** The bearer token sent with every operation; null when signed out (or in open mode). */
  readonly token: string | null;
  /** Why the last session ended, shown on the sign-in page; null after a sign-in or a sign-out. */
  readonly notice: string | null;
}

/**
 * The API token, kept in localStorage so that a reload or a new tab stays signed in. Listeners (the
 * Apollo links and React, through useSyncExternalStore) read it per request; a sign-out in another tab
 * reaches this one through the storage event.
 */
export class TokenStore {
  private state: AuthState;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly storage: Storage | null = browserStorage()) {
    this.state = { token: read(storage), notice: null };
  }

  /** The current state; the same object until it changes (useSyncExternalStore needs that). */
  readonly getState = (): AuthState => this.state;

  get token(): string | null {
    return this.state.token;
  }

  signIn(token: string): void {
    write(this.storage, token);
    this.set({ token, notice: null });
  }

  signOut(): void {
    write(this.storage, null);
    this.set({ token: null, notice: null });
  }

  /**
   * The server refused `usedToken` (revoked, expired): sign out with `notice`, unless the token has
   * changed since the request was sent (a late answer to an earlier session ends nothing).
   */
  endSession(usedToken: string, notice: string = SESSION_ENDED_MESSAGE): void {
    if (usedToken !== this.state.token) return;
    write(this.storage, null);
    this.set({ token: null, notice });
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    if (this.listeners.size === 0 && typeof window !== 'undefined')
      window.addEventListener('storage', this.onOtherTab);
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && typeof window !== 'undefined')
        window.removeEventListener('storage', this.onOtherTab);
    };
  };

  private readonly onOtherTab = (event: StorageEvent) => {
    if (event.key !== TOKEN_STORAGE_KEY && event.key !== null) return;
    const token = read(this.storage);
    if (token !== this.state.token) this.set({ token, notice: null });
  };

  private set(state: AuthState): void {
    if (state.token === this.state.token && state.notice === this.state.notice) return;
    this.state = state;
    for (const listener of [...this.listeners]) listener();
  }
}

// localStorage can be missing or throw (storage disabled, some private modes): the token then lives
// only as long as the page.
function browserStorage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}

function read(storage: Storage | null): string | null {
  try {
    return storage?.getItem(TOKEN_STORAGE_KEY) || null;
  } catch {
    return null;
  }
}

function write(storage: Storage | null, token: string | null): void {
  try {
    if (token === null) storage?.removeItem(TOKEN_STORAGE_KEY);
    else storage?.setItem(TOKEN_STORAGE_KEY, token);
  } catch {
    // Kept in memory only (see browserStorage).
  }
}
