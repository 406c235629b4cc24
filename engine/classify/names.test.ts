import { describe, expect, it } from 'vitest';
import { artifactRule, copySuffixBase, icloudStubName, oneDriveConflictMatcher, partialNameRule, windowsNameRule } from './names.ts';

describe('name rules', () => {
  it('recognises copy suffixes and leaves ordinary parentheses alone', () => {
    expect(copySuffixBase('report (1).docx')).toBe('report.docx');
    expect(copySuffixBase('report - Copy (2).docx')).toBe('report.docx');
    expect(copySuffixBase('Makefile (3)')).toBe('Makefile');
    expect(copySuffixBase('Report (final).docx')).toBeNull();
    expect(copySuffixBase('Hard copy.pdf')).toBeNull();
  });

  it('matches OneDrive conflict copies only for the configured hosts', () => {
    const base = oneDriveConflictMatcher(['wintermute', 'count-zero']);
    expect(base('budget-WINTERMUTE.xlsx')).toBe('budget.xlsx');
    expect(base('notes-count-zero')).toBe('notes');
    expect(base('budget-final.xlsx')).toBeNull();
    expect(oneDriveConflictMatcher([])('budget-wintermute.xlsx')).toBeNull();
  });

  it('tells rsync temp files from dot files with a lowercase suffix', () => {
    expect(partialNameRule('.video.mp4.a1B2c3', 'file')).toBe('rsync-temp-file');
    expect(partialNameRule('.bashrc.backup', 'file')).toBeNull();
    expect(partialNameRule('.rsync-partial', 'dir')).toBe('rsync-partial-dir');
    expect(partialNameRule('.rsync-partial', 'file')).toBeNull();
  });

  it('knows OS litter only where the type fits', () => {
    expect(artifactRule('.Trashes', 'dir')).toBe('macos-volume-folder');
    expect(artifactRule('.Trashes', 'file')).toBeNull();
    expect(artifactRule('._', 'file')).toBeNull();
    expect(artifactRule('THUMBS.DB', 'file')).toBe('windows-thumbs-db');
  });

  it('reads the real name out of an iCloud stub name', () => {
    expect(icloudStubName('.Warranty.pdf.icloud')).toBe('Warranty.pdf');
    expect(icloudStubName('Warranty.pdf.icloud')).toBeNull();
  });

  it('flags names Windows cannot hold, not names that merely start like them', () => {
    expect(windowsNameRule('con.txt')).toBe('windows-reserved-name');
    expect(windowsNameRule('LPT1')).toBe('windows-reserved-name');
    expect(windowsNameRule('Console.txt')).toBeNull();
    expect(windowsNameRule('a?.txt')).toBe('windows-reserved-character');
    expect(windowsNameRule('line\nbreak')).toBe('windows-control-character');
    expect(windowsNameRule('trailing ')).toBe('windows-trailing-dot-or-space');
  });
});
