import { describe, expect, it } from 'vitest';
import { buildProgram, commandsFor } from './main.ts';

const argv = (...args: string[]) => ['node', 'reconcile', ...args];

describe('commandsFor', () => {
  it('loads only the command a command line names, skipping global options and their values', () => {
    expect(commandsFor(argv('scan', '--full'))).toEqual(['scan']);
    expect(commandsFor(argv('--config', 'plan.yaml', '--json', 'plan'))).toEqual(['plan']);
    expect(commandsFor(argv('-c', 'x.yaml', 'check-invariants'))).toEqual(['check-invariants']);
    expect(commandsFor(argv('--config=x.yaml', 'verify', 'latest'))).toEqual(['verify']);
  });

  it('loads none for --version, and all for help, no command or an unknown word', () => {
    expect(commandsFor(argv('--version'))).toEqual([]);
    expect(commandsFor(argv('-c', 'x.yaml', '-V'))).toEqual([]);
    expect(commandsFor(argv('--help'))).toBeUndefined();
    expect(commandsFor(argv())).toBeUndefined();
    expect(commandsFor(argv('help', 'scan'))).toBeUndefined();
    expect(commandsFor(argv('frobnicate'))).toBeUndefined();
    expect(commandsFor(argv('constructor'))).toBeUndefined();
  });

  it('registers exactly the commands asked for', async () => {
    expect((await buildProgram(['scan'])).commands.map((command) => command.name())).toEqual(['scan']);
    const all = (await buildProgram()).commands.map((command) => command.name());
    expect(all).toContain('serve');
    expect(all).toHaveLength(18);
  });
});
