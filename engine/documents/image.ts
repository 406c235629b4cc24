/**
 * Pictures: facts (dimensions from the header, EXIF: taken at, camera), decoding to RGBA (Skia
 * through @napi-rs/canvas; HEIC/HEIF through libheif's WebAssembly build), thumbnails, and a
 * pixel comparison at one scale (pixelmatch) with an overlay of what differs.
 */
import { createCanvas, ImageData, loadImage, type Canvas } from '@napi-rs/canvas';
import exifr from 'exifr';
import { imageSize } from 'image-size';
import pixelmatch from 'pixelmatch';
import { limits } from './limits.ts';
import { DocumentRefused, unreadable } from './refused.ts';
import type { ContentType } from './sniff.ts';

export interface ImageFacts {
  width: number;
  height: number;
  /** EXIF DateTimeOriginal (or CreateDate), ISO, as the camera's clock had it. */
  takenAt: string | null;
  camera: string | null;
  lens: string | null;
  /** EXIF orientation 1–8 when not 1 (the picture is shown as stored). */
  orientation: number | null;
}

export interface PixelComparison {
  width: number;
  height: number;
  /** Pixels that differ beyond pixelmatch's colour threshold (anti-aliasing not counted). */
  differing: number;
  total: number;
  /** Both were scaled to width × height first (different sizes, or larger than the compare limit). */
  scaled: boolean;
  sameDimensions: boolean;
}

interface Rgba {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

function dimensions(bytes: Uint8Array): { width: number; height: number } {
  let size: { width?: number; height?: number };
  try {
    size = imageSize(bytes);
  } catch (error) {
    throw unreadable(error, 'picture');
  }
  const { width = 0, height = 0 } = size;
  if (width <= 0 || height <= 0) throw new DocumentRefused('unreadable', 'could not read the picture: no dimensions in its header');
  if (width * height > limits.imagePixels) {
    throw new DocumentRefused('too-large', `the picture is ${width} × ${height} pixels; pictures of up to ${limits.imagePixels / 1e6} megapixels are decoded`);
  }
  return { width, height };
}

export async function imageFacts(bytes: Uint8Array): Promise<ImageFacts> {
  const { width, height } = dimensions(bytes);
  let tags: Record<string, unknown> | undefined;
  try {
    tags = await exifr.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      pick: ['DateTimeOriginal', 'CreateDate', 'Make', 'Model', 'LensModel', 'Orientation'],
      translateValues: false,
      reviveValues: true,
    });
  } catch {
    tags = undefined; // no EXIF, or EXIF exifr cannot read: the picture still has its dimensions
  }
  const date = tags?.DateTimeOriginal ?? tags?.CreateDate;
  const make = typeof tags?.Make === 'string' ? tags.Make.trim() : '';
  const model = typeof tags?.Model === 'string' ? tags.Model.trim() : '';
  const orientation = typeof tags?.Orientation === 'number' && tags.Orientation !== 1 ? tags.Orientation : null;
  return {
    width,
    height,
    // exifr reads EXIF's local time as if it were this machine's: print it back the same way, without a zone.
    takenAt: date instanceof Date && !Number.isNaN(date.getTime()) ? localIso(date) : null,
    camera: [make, model.startsWith(make) ? model.slice(make.length).trim() : model].filter(Boolean).join(' ') || null,
    lens: typeof tags?.LensModel === 'string' ? tags.LensModel : null,
    orientation,
  };
}

function localIso(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

async function decodeHeif(bytes: Uint8Array): Promise<Rgba> {
  const { default: libheif } = (await import('libheif-js/wasm-bundle.js')) as unknown as { default: LibHeif };
  const images = new libheif.HeifDecoder().decode(bytes);
  const image = images[0];
  if (!image) throw new DocumentRefused('unreadable', 'could not read the picture: no image in the HEIF file');
  const width = image.get_width();
  const height = image.get_height();
  if (width * height > limits.imagePixels) throw new DocumentRefused('too-large', `the picture is ${width} × ${height} pixels`);
  const data = new Uint8ClampedArray(width * height * 4);
  await new Promise<void>((resolve, reject) =>
    image.display({ data, width, height }, (shown) => (shown ? resolve() : reject(new DocumentRefused('unreadable', 'could not decode the HEIF picture')))),
  );
  for (const item of images) item.free?.();
  return { data, width, height };
}

interface LibHeif {
  HeifDecoder: new () => {
    decode(bytes: Uint8Array): {
      get_width(): number;
      get_height(): number;
      display(target: { data: Uint8ClampedArray; width: number; height: number }, done: (shown: unknown) => void): void;
      free?(): void;
    }[];
  };
}

/** The picture drawn at width × height (scaled when they differ from its own). */
async function drawn(bytes: Uint8Array, type: ContentType, width?: number, height?: number): Promise<Rgba> {
  try {
    if (type === 'heic') {
      const decoded = await decodeHeif(bytes);
      if (width === undefined || height === undefined || (width === decoded.width && height === decoded.height)) return decoded;
      const source = createCanvas(decoded.width, decoded.height);
      source.getContext('2d').putImageData(new ImageData(decoded.data, decoded.width, decoded.height), 0, 0);
      return scaleCanvas(source, width, height);
    }
    dimensions(bytes);
    const image = await loadImage(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    const canvas = createCanvas(width ?? image.width, height ?? image.height);
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return { data: context.getImageData(0, 0, canvas.width, canvas.height).data, width: canvas.width, height: canvas.height };
  } catch (error) {
    throw unreadable(error, 'picture');
  }
}

function scaleCanvas(source: Canvas, width: number, height: number): Rgba {
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.drawImage(source, 0, 0, width, height);
  return { data: context.getImageData(0, 0, width, height).data, width, height };
}

function png({ data, width, height }: Rgba): Buffer {
  const canvas = createCanvas(width, height);
  canvas.getContext('2d').putImageData(new ImageData(data, width, height), 0, 0);
  return canvas.toBuffer('image/png');
}

/** Fits width × height into `side` × `side` (never enlarging). */
function fit(width: number, height: number, side: number): { width: number; height: number } {
  const scale = Math.min(1, side / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

async function naturalSize(bytes: Uint8Array, type: ContentType): Promise<{ width: number; height: number }> {
  if (type !== 'heic') return dimensions(bytes);
  const decoded = await decodeHeif(bytes);
  return { width: decoded.width, height: decoded.height };
}

export async function imageThumbnail(bytes: Uint8Array, type: ContentType): Promise<Buffer> {
  const size = await naturalSize(bytes, type);
  const target = fit(size.width, size.height, limits.thumbnailSide);
  return png(await drawn(bytes, type, target.width, target.height));
}

/**
 * Both pictures at one size — the smaller width and height of the two, within the compare limit —
 * then compared pixel by pixel. The overlay shows the first picture faded, differing pixels in red.
 */
export async function comparePixels(a: Uint8Array, aType: ContentType, b: Uint8Array, bType: ContentType): Promise<{ comparison: PixelComparison; overlay: Buffer }> {
  const [left, right] = await Promise.all([naturalSize(a, aType), naturalSize(b, bType)]);
  let width = Math.min(left.width, right.width);
  let height = Math.min(left.height, right.height);
  const shrink = Math.min(1, Math.sqrt(limits.comparePixels / (width * height)));
  width = Math.max(1, Math.round(width * shrink));
  height = Math.max(1, Math.round(height * shrink));
  const [first, second] = [await drawn(a, aType, width, height), await drawn(b, bType, width, height)];
  const output = new Uint8ClampedArray(width * height * 4);
  const differing = pixelmatch(first.data, second.data, output, width, height, { threshold: 0.1 });
  const sameDimensions = left.width === right.width && left.height === right.height;
  return {
    comparison: { width, height, differing, total: width * height, scaled: !sameDimensions || shrink < 1, sameDimensions },
    overlay: png({ data: output, width, height }),
  };
}
