// Runs the real match server as a separate process (the built `sluis-server` CLI) on a
// temporary data directory and a random loopback port, and the real CLIs (`sluis`,
// `sluis-server admin`) as processes — so end-to-end tests talk to sluis only as
// organisations and the municipality would. Every byte the server writes to stdout and
// stderr is kept for the leak scan.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const SERVER_CLI = join(ROOT, 'packages', 'server', 'bin', 'sluis-server.js');
export const ORG_CLI = join(ROOT, 'packages', 'client-sdk', 'bin', 'sluis.js');

export interface ServerProcess {
  readonly url: string;
  readonly dataDir: string;
  readonly adminKeyFile: string;
  readonly process: ChildProcess;
  /** Everything written so far (stdout and stderr). */
  output(): string;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait (a crash). */
  kill(): Promise<void>;
}

/** Extra Node.js flags for the server process, e.g. SLUIS_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'. */
const NODE_ARGS = process.env.SLUIS_NODE_ARGS?.split(' ').filter((a) => a !== '') ?? [];

export interface StartOptions {
  /** Reuse a data directory (restart); a fresh temporary one by default. */
  readonly dataDir?: string;
  readonly testClock?: boolean;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Node.js flags for this process, after SLUIS_NODE_ARGS (e.g. an `--import` hook). */
  readonly nodeArgs?: readonly string[];
  /** Collects the output of every process started, across restarts. */
  readonly sink?: string[];
}

export function tempDir(prefix = 'sluis-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startServer(options: StartOptions = {}): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? tempDir();
  const args = [
    ...NODE_ARGS,
    ...(options.nodeArgs ?? []),
    SERVER_CLI,
    'start',
    '--data-dir',
    dataDir,
    '--host',
    '127.0.0.1',
    '--port',
    '0',
  ];
  if (options.testClock) args.push('--test-clock');
  args.push(...(options.args ?? []));
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'test', ...options.env },
  });
  let out = '';
  const collect = (d: Buffer) => {
    out += d.toString('utf8');
    options.sink?.push(d.toString('utf8'));
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 20_000);
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        // Not again on every later chunk: a server logging each request (`info`) would have
        // the whole output scanned per chunk (docs/performance.md "Eighteenth pass").
        child.stdout!.off('data', check);
        child.stderr!.off('data', check);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${out}`));
    });
  });
  return {
    url,
    dataDir,
    adminKeyFile: join(dataDir, 'keys', 'admin.key'),
    process: child,
    output: () => out,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A `sluis-server` command running as its own process, its output read while it runs. */
export interface CliRun {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Once the process has ended and its output is read (`close`). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `sluis-server <args>` (the built CLI) in `cwd` as an operator runs it, NODE_ENV=production
 * unless `env` says otherwise, for a test that signals it mid-way; `onStderr` is given all of
 * stderr so far after each chunk.
 */
export function spawnServerCli(
  cwd: string,
  args: readonly string[],
  onStderr?: (stderr: string) => void,
  env: Readonly<Record<string, string>> = {},
): CliRun {
  const child = spawn(process.execPath, [SERVER_CLI, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    onStderr?.(stderr);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a CLI (`SERVER_CLI` or `ORG_CLI`) as a process; `input` goes to stdin (e.g. a BSN). */
export function runCli(
  cli: string,
  args: readonly string[],
  options: { input?: string; env?: Readonly<Record<string, string>>; sink?: string[] } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [cli, ...args],
      {
        env: { ...process.env, NODE_ENV: 'test', ...options.env },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 120_000,
      },
      (error, stdout, stderr) => {
        options.sink?.push(stdout, stderr);
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin!.end(options.input);
    else child.stdin!.end();
  });
}
