import { classify } from './classify';

describe('classify', () => {
  it.each([
    [{ exitCode: 0 }, 'DONE', null],
    [{ exitCode: 1 }, 'ERROR', null],
    [{ exitCode: 143 }, 'ERROR', null],
    [{ exitCode: 137 }, 'RESOURCE_ERROR', 'OUT_OF_MEMORY'],
    [{ exitCode: null, signal: 'SIGKILL' as const }, 'RESOURCE_ERROR', 'OUT_OF_MEMORY'],
    [{ exitCode: null, signal: 'SIGTERM' as const }, 'ERROR', null],
    [{ exitCode: null }, 'UNKNOWN_ERROR', 'EXIT_STATUS_UNKNOWN'],
    [{ exitCode: 0, killReason: 'OUT_OF_MEMORY' as const }, 'RESOURCE_ERROR', 'OUT_OF_MEMORY'],
    [
      { exitCode: null, signal: 'SIGTERM' as const, killReason: 'TIMEOUT' as const },
      'RESOURCE_ERROR',
      'TIMEOUT',
    ],
    [{ exitCode: 143, killReason: 'KILLED' as const }, 'KILLED', null],
    [{ exitCode: 143, killReason: 'SHUTDOWN' as const }, 'UNKNOWN_ERROR', 'DISTRIBUTOR_STOPPED'],
  ])('%j → %s %s', (input, outcome, errorKind) => {
    expect(classify(input)).toMatchObject({ outcome, errorKind });
  });

  it('names the signal of a 128+N exit', () => {
    expect(classify({ exitCode: 143 }).errorMessage).toBe('exit code 143 (SIGTERM)');
    expect(classify({ exitCode: null, signal: 'SIGTERM' }).exitCode).toBe(143);
  });
});
