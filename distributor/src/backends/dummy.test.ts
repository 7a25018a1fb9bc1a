import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeBackendConformance } from './conformance';
import { DummyBackend } from './dummy';
import { EventRecorder, claimedInstance } from './testing';

describeBackendConformance('dummy', () => new DummyBackend(), {
  runsCommands: false,
  outOfMemory: false,
  timeout: false,
  adoption: false,
});

describe('DummyBackend', () => {
  it('completes every instance at once without running anything', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-dummy-'));
    try {
      const backend = new DummyBackend({ slots: 50 });
      const events = new EventRecorder();
      backend.start(events);
      expect(backend.freeSlots()).toBe(50);
      const marker = path.join(dir, 'dummy-ran');
      const batch = Array.from({ length: 5 }, () => claimedInstance(`touch ${marker}`));
      await backend.submit(batch);
      // At once: reported before submit returned.
      expect(events.finishedReports.size).toBe(5);
      expect(fs.existsSync(marker)).toBe(false);
      expect(backend.queues).toEqual([{ name: 'dummy' }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
