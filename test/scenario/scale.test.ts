/**
 * The demo at scales that once crashed ("scenario bug: … desktop.ini repeats the content of …" from
 * scale 27 on, iCloud stubs from 67): every round's planted problems are drawn on a
 * disk that keeps nothing, so a hundred rounds run in seconds while the builder still checks every
 * content and name it is given.
 */
import { describe, expect, it } from 'vitest';
import { ScenarioBuilder, createRandom, plantProblems, roundFolder, type ScenarioDisk } from '../../engine/scenario/index.ts';

/** Keeps the paths it was asked to write, nothing else. */
function memoryDisk(): ScenarioDisk & { files: Set<string> } {
  const files = new Set<string>();
  return {
    files,
    mkdir() {},
    writeFile(file) {
      if (files.has(file)) throw new Error(`${file} written twice`);
      files.add(file);
    },
    symlink(_target, file) {
      files.add(file);
    },
    setTime() {},
    close() {},
  };
}

describe('demo scenario at scale', () => {
  it('plants 100 rounds of problems with no content repeated by accident', () => {
    const disk = memoryDisk();
    const builder = new ScenarioBuilder('/nowhere', createRandom(1).fork('space'), disk);
    plantProblems(builder, roundFolder(0));
    const perRound = { files: builder.files, findings: builder.findings.length };
    for (let index = 1; index < 100; index += 1) plantProblems(builder, roundFolder(index));
    expect(builder.findings.length).toBe(100 * perRound.findings);
    expect(builder.files).toBe(100 * perRound.files);
    // …and one symlink per round beside them (the origin trees beside the space are not counted).
    expect([...disk.files].filter((file) => file.startsWith(`${builder.spaceDir}/`)).length).toBe(builder.files + 100);
  });

});
