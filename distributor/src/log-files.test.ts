import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readTail } from './log-files';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-log-files-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('readTail', () => {
  it('does not start a tail in the middle of a UTF-8 character', () => {
    const file = path.join(dir, 'utf8.txt');
    fs.writeFileSync(file, 'é'.repeat(10)); // 20 bytes
    expect(readTail(file, 5)).toBe('éé'); // 5 bytes back is inside a character: start at the next one
    expect(readTail(path.join(dir, 'missing.txt'))).toBe('');
  });
});
