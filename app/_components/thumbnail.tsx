'use client';
import { useState } from 'react';
import { fileViewUrl, type FileRef } from '@/lib/files/file-ref.ts';

/** Names worth a thumbnail: pictures and PDFs (the server sniffs the bytes; this only avoids asking for the rest). */
const thumbnailed = /\.(png|jpe?g|gif|webp|bmp|avif|heic|heif|pdf)$/i;

export function hasThumbnail(name: string): boolean {
  return thumbnailed.test(name);
}

/**
 * A small picture of an image or a PDF's first page, made on demand by the server and cached by
 * content hash; hidden when the file cannot be pictured (too large, unreadable, not a picture).
 */
export function Thumbnail({ file, name, size = 48 }: { file: FileRef; name: string; size?: number }) {
  const [failed, setFailed] = useState(false);
  if (failed || !hasThumbnail(name)) return null;
  return (
    <img
      src={fileViewUrl('thumbnail', file)}
      alt=""
      width={size}
      height={size}
      loading="lazy"
      decoding="async"
      onError={() => setFailed(true)}
      className="shrink-0 rounded border border-slate-200 bg-white object-contain"
      style={{ width: size, height: size }}
      data-testid="thumbnail"
    />
  );
}
