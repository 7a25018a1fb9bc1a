import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { logger } from '../../logger';
import { ARRAY_FILE_VERSION, arrayJobIdPath, writeArrayFile } from './array-file';
import { SubmissionJournal } from './journal';

let stateDir: string;
beforeEach(() => {
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-journal-'));
});
afterEach(() => fs.rmSync(stateDir, { recursive: true, force: true }));

/** An array file of these instances (id and nonce of each element), as the backend writes before sbatch. */
function arrayFileOf(name: string, elements: readonly { id: string; nonce: string }[]): string {
  const file = path.join(stateDir, 'arrays', `${name}.json`);
  writeArrayFile(file, {
    version: ARRAY_FILE_VERSION,
    serverUrl: 'http://localhost:4000',
    logDir: stateDir,
    heartbeatSeconds: null,
    enforceMemory: true,
    tasks: elements.map(({ id, nonce }) => ({
      taskInstanceId: id,
      workflowId: '1',
      taskId: id,
      command: 'true',
      nonce,
      memoryMb: null,
      runtimeSeconds: null,
    })),
  });
  return file;
}

describe('SubmissionJournal', () => {
  it('names the job of each element of a submitted array, for this attempt only', () => {
    const file = arrayFileOf('a', [
      { id: '1', nonce: 'n1' },
      { id: '2', nonce: 'n2' },
    ]);
    new SubmissionJournal(logger).submitted(file, '4242', ['1', '2']);
    expect(fs.readFileSync(arrayJobIdPath(file), 'utf8')).toBe('4242\n');

    const adopter = new SubmissionJournal(logger);
    const entries = adopter.adopt(stateDir, [
      { id: '1', nonce: 'n1' },
      { id: '2', nonce: 'another attempt' },
      { id: '3', nonce: 'n3' },
    ]);
    expect(Object.fromEntries(entries)).toEqual({ '1': { jobId: '4242_0', arrayFile: file } });
    expect(adopter.keptArrayFiles()).toEqual([file]);
  });

  it('an attempt without a nonce takes no entry', () => {
    const file = arrayFileOf('a', [{ id: '1', nonce: '' }]);
    const journal = new SubmissionJournal(logger);
    journal.submitted(file, '7', ['1']);
    expect(journal.adopt(stateDir, [{ id: '1', nonce: '' }]).size).toBe(0);
  });

  it('deletes an array file and its job id file once all its instances are delivered', () => {
    const file = arrayFileOf('a', [
      { id: '1', nonce: 'n1' },
      { id: '2', nonce: 'n2' },
    ]);
    const journal = new SubmissionJournal(logger);
    journal.submitted(file, '9', ['1', '2']);
    journal.delivered(['1', 'unknown']);
    expect(fs.existsSync(file)).toBe(true);
    expect(journal.keptArrayFiles()).toEqual([file]);
    journal.delivered(['2']);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(arrayJobIdPath(file))).toBe(false);
    expect(journal.keptArrayFiles()).toEqual([]);
  });
});
