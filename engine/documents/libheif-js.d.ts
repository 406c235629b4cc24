// libheif-js ships no types; image.ts describes the little of it that it calls (LibHeif).
declare module 'libheif-js/wasm-bundle.js';
