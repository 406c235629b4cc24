import { describe, expect, it } from 'vitest';
import { appleDoubleDataName, copyName, copySuffixBase, icloudStubName, isCleanName, litterRule, oneDriveConflictMatcher, partialNameRule, trashFolderRule, windowsNameRule } from './names.ts';

describe('name rules', () => {
  it('recognises copy suffixes and leaves ordinary parentheses alone', () => {
    expect(copySuffixBase('report (1).docx')).toBe('report.docx');
    expect(copySuffixBase('report - Copy (2).docx')).toBe('report.docx');
    expect(copySuffixBase('report copy.docx')).toBe('report.docx');
    expect(copySuffixBase('report copy 2.docx')).toBe('report.docx');
    expect(copySuffixBase('Makefile (3)')).toBe('Makefile');
    expect(copySuffixBase('Report (final).docx')).toBeNull();
    expect(copySuffixBase('copy.pdf')).toBeNull();
  });

  it('names the original of every sync-tool conflict copy', () => {
    expect(copyName('ideas.sync-conflict-20251012-101500-7QXJ2ZK.md')).toEqual({ rule: 'syncthing-conflict', original: 'ideas.md' });
    expect(copyName('Todo (conflicted copy 2025-09-14 101500).md')).toEqual({ rule: 'nextcloud-conflicted-copy', original: 'Todo.md' });
    expect(copyName("Todo (Mike's conflicted copy 2025-09-14).md")).toEqual({ rule: 'nextcloud-conflicted-copy', original: 'Todo.md' });
    expect(copyName('Checklist.md.conflict1')).toEqual({ rule: 'rclone-bisync-conflict', original: 'Checklist.md' });
    expect(copyName('Checklist.conflict2.md')).toEqual({ rule: 'rclone-bisync-conflict', original: 'Checklist.md' });
    expect(copyName('Checklist.md..path1')).toEqual({ rule: 'rclone-bisync-conflict', original: 'Checklist.md' });
    expect(copyName('NDA (1).pdf')).toEqual({ rule: 'copy-suffix', original: 'NDA.pdf' });
    expect(copyName('NDA.pdf')).toBeNull();
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

  it('calls only content-free files litter, where the type and size fit', () => {
    expect(litterRule('THUMBS.DB', 'file', 6000)).toBe('windows-thumbs-db');
    expect(litterRule('.DS_Store', 'file', 6148)).toBe('macos-ds-store');
    expect(litterRule('~$Ledger.xlsx', 'file', 162)).toBe('office-lock-file');
    expect(litterRule('~$Ledger.xlsx', 'file', 40_000)).toBeNull();
    expect(litterRule('a.pdf:Zone.Identifier', 'file', 26)).toBe('windows-zone-identifier');
    expect(litterRule('.Spotlight-V100', 'dir', 0)).toBe('macos-volume-index');
    // Names that used to be litter and carry user content or belong to another file.
    for (const name of ['._report.docx', 'report (1).docx', 'notes.sync-conflict-20260101-101010-ABCDEFG.txt']) expect(litterRule(name, 'file', 10), name).toBeNull();
    expect(litterRule('.Trashes', 'dir', 0)).toBeNull();
  });

  it('knows trash folders, AppleDouble forks and clean names', () => {
    expect(trashFolderRule('.Trashes', 'dir')).toBe('macos-volume-trash');
    expect(trashFolderRule('.Trashes', 'file')).toBeNull();
    expect(trashFolderRule('$RECYCLE.BIN', 'dir')).toBe('windows-recycle-bin');
    expect(trashFolderRule('.Trash-1000', 'dir')).toBe('freedesktop-trash');
    expect(trashFolderRule('.Trash', 'dir')).toBe('macos-user-trash');
    expect(appleDoubleDataName('._spec.pdf')).toBe('spec.pdf');
    expect(appleDoubleDataName('._')).toBeNull();
    expect(isCleanName('report.docx', 'file', 10)).toBe(true);
    expect(isCleanName('report (1).docx', 'file', 10)).toBe(false);
    expect(isCleanName('._report.docx', 'file', 10)).toBe(false);
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
