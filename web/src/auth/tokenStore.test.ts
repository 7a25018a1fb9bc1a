/** @jest-environment jsdom */
import { SESSION_ENDED_MESSAGE, TOKEN_STORAGE_KEY, TokenStore } from './tokenStore';

beforeEach(() => localStorage.clear());

describe('TokenStore', () => {
  it('keeps the token in localStorage across page loads and forgets it on sign-out', () => {
    const tokens = new TokenStore();
    tokens.signIn('jm_a');
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBe('jm_a');
    expect(new TokenStore().token).toBe('jm_a');
    tokens.signOut();
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    expect(new TokenStore().token).toBeNull();
  });

  it('ends the session of the refused token only, and says why', () => {
    const tokens = new TokenStore();
    const changes = jest.fn();
    tokens.subscribe(changes);
    tokens.signIn('jm_new');
    // A late answer to a request sent with the previous token ends nothing.
    tokens.endSession('jm_old');
    expect(tokens.getState()).toEqual({ token: 'jm_new', notice: null });
    tokens.endSession('jm_new');
    expect(tokens.getState()).toEqual({ token: null, notice: SESSION_ENDED_MESSAGE });
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    expect(changes).toHaveBeenCalledTimes(2);
    // The notice goes with the next sign-in.
    tokens.signIn('jm_again');
    expect(tokens.getState().notice).toBeNull();
  });

  it('follows a sign-out in another tab (the storage event) while someone listens', () => {
    const tokens = new TokenStore();
    tokens.signIn('jm_a');
    const changes = jest.fn();
    const unsubscribe = tokens.subscribe(changes);
    localStorage.removeItem(TOKEN_STORAGE_KEY);
    window.dispatchEvent(new StorageEvent('storage', { key: TOKEN_STORAGE_KEY }));
    expect(tokens.token).toBeNull();
    expect(changes).toHaveBeenCalledTimes(1);
    unsubscribe();
  });

  it('keeps the token in memory when there is no storage', () => {
    const tokens = new TokenStore(null);
    tokens.signIn('jm_a');
    expect(tokens.token).toBe('jm_a');
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });
});
