import { BACKEND_NAMES, createBackend, type BackendName } from './by-name';

describe('createBackend', () => {
  it('makes each named backend, of that kind', () => {
    for (const name of BACKEND_NAMES) expect(createBackend(name, { slots: 2 }).kind).toBe(name);
  });

  it('refuses an unknown name, listing the known ones', () => {
    expect(() => createBackend('slurm' as BackendName)).toThrow(
      'unknown backend "slurm" (one of local, sequential, dummy)',
    );
  });
});
