import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCommandLine } from '../../src/cli/usage.js';

const root = mkdtempSync(join(tmpdir(), 'vlb-help-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the CLI with a DATA_DIR that must stay absent: help opens nothing. A bad PORT proves config is not even read. */
function cli(args: string[], entry = 'src/cli/main.ts') {
  const dataDir = join(root, `data-${Math.random().toString(36).slice(2)}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], {
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: 'not-a-port', LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { ...r, opened: existsSync(dataDir) };
}

const COMMANDS = ['serve', 'migrate', 'create-tenant', 'create-user', 'reset-password', 'retention', 'seed'];

describe('voice-lb command line', () => {
  it('--help and -h exit 0 for every command with its usage, without opening the database or serving', () => {
    const top = cli(['--help']);
    expect(top.status).toBe(0);
    expect(top.stdout).toContain('usage: voice-lb <command>');
    for (const c of COMMANDS) expect(top.stdout).toContain(c);
    expect(top.opened).toBe(false);
    // One process per form keeps this quick; the parser decides the same for each command (below).
    for (const args of [['serve', '--help'], ['create-tenant', '-h'], ['help', 'reset-password']]) {
      const r = cli(args);
      expect(r.status, args.join(' ')).toBe(0);
      expect(r.stdout).toContain(`usage: voice-lb ${args[0] === 'help' ? args[1] : args[0]}`);
      expect(r.opened).toBe(false);
    }
  });

  it('no command prints the usage and exits 2 instead of serving; an unknown command or option exits 2', () => {
    const bare = cli([]);
    expect(bare.status).toBe(2);
    expect(bare.stderr).toContain('say which command to run (to serve: voice-lb serve)');
    expect(bare.stderr).toContain('usage: voice-lb <command>');
    expect(bare.opened).toBe(false);
    const unknown = cli(['srve']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command "srve"');
    const flags = cli(['serve', '--port', '8080']);
    expect(flags.status).toBe(2);
    expect(flags.stderr).toContain('takes no arguments');
    expect(flags.opened).toBe(false);
  });

  it('decides help, usage errors and commands before anything runs, for every command', () => {
    for (const c of COMMANDS) {
      expect(readCommandLine([c, '--help'])).toMatchObject({ kind: 'help', text: expect.stringContaining(`usage: voice-lb ${c}`) });
      expect(readCommandLine([c, '-h'])).toMatchObject({ kind: 'help' });
      expect(readCommandLine(['help', c])).toMatchObject({ kind: 'help' });
    }
    expect(readCommandLine([])).toMatchObject({ kind: 'usage-error' });
    expect(readCommandLine(['help', 'nope'])).toMatchObject({ kind: 'usage-error' });
    expect(readCommandLine(['create-user', '--domain', 'a.b', '--email', 'x@y.z'])).toEqual({ kind: 'run', command: 'create-user', args: ['--domain', 'a.b', '--email', 'x@y.z'] });
    // After `--`, -h is a value, not a request for help.
    expect(readCommandLine(['reset-password', '--', '-h'])).toMatchObject({ kind: 'run' });
  });

  it('npm run simulate -- --help exits 0', () => {
    for (const args of [['--help'], ['load', '-h']]) {
      const r = cli(args, 'src/cli/simulate.ts');
      expect(r.status, args.join(' ')).toBe(0);
      expect(r.stdout).toContain('usage: npm run simulate');
    }
  });
});
