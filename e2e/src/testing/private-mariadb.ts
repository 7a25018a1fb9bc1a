import { execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './e2e';
import { freePort, kill9, spawnTracked } from './processes';

// A MariaDB server of a test's own (its own data directory and port), for tests that kill the database:
// the shared server on :3306 is never touched. root with an empty password, over TCP on 127.0.0.1.
// Whatever happens, the server is killed when the test process exits.

const INSTALL_DB = '/usr/bin/mariadb-install-db';
const MARIADBD = '/usr/sbin/mariadbd';

/** Whether a private server can be started here (the MariaDB server package is installed). */
export function privateMariaDbAvailable(): boolean {
  return fs.existsSync(INSTALL_DB) && fs.existsSync(MARIADBD);
}

/** Resolves once something on `port` sends the MySQL protocol greeting (the server is ready). */
function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const done = (ready: boolean) => {
      socket.destroy();
      resolve(ready);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once('data', () => done(true));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}

export class PrivateMariaDb {
  private child: ChildProcess | undefined;
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  /** Creates a data directory, starts the server and waits until it accepts connections. */
  static async start(): Promise<PrivateMariaDb> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-mariadb-'));
    const server = new PrivateMariaDb(dir, await freePort());
    try {
      await promisify(execFile)(
        INSTALL_DB,
        [
          '--no-defaults',
          `--datadir=${path.join(dir, 'data')}`,
          `--user=${os.userInfo().username}`,
          '--auth-root-authentication-method=normal',
          '--skip-test-db',
          '--skip-name-resolve',
        ],
        { timeout: 60_000 },
      );
      await server.startServer();
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  /** A URL of a database on this server (created on first connect by the API). */
  url(database: string): string {
    return `mysql://root@127.0.0.1:${this.port}/${database}`;
  }

  /** SIGKILL, as a crash would: waits until the process is gone. */
  async kill9(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await kill9(child);
  }

  /** Starts the server again on the same data directory (InnoDB recovers) and waits until it is ready. */
  async restart(): Promise<void> {
    await this.kill9();
    await this.startServer();
  }

  /** Kills the server and deletes its data. */
  async stop(): Promise<void> {
    await this.kill9();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private async startServer(): Promise<void> {
    const child = spawnTracked(
      MARIADBD,
      [
        '--no-defaults',
        `--datadir=${path.join(this.dir, 'data')}`,
        `--port=${this.port}`,
        `--socket=${path.join(this.dir, 'mysqld.sock')}`,
        `--pid-file=${path.join(this.dir, 'mysqld.pid')}`,
        `--log-error=${path.join(this.dir, 'error.log')}`,
        '--bind-address=127.0.0.1',
        `--user=${os.userInfo().username}`,
        '--skip-name-resolve',
        '--innodb-buffer-pool-size=64M',
      ],
      { stdio: 'ignore' },
    );
    this.child = child;
    await waitFor(
      `the private MariaDB on port ${this.port} to accept connections`,
      async () => {
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(
            `mariadbd exited (${child.exitCode ?? child.signalCode}): see ${this.dir}/error.log`,
          );
        return (await greets(this.port)) ? true : undefined;
      },
      60_000,
    );
  }
}
