/**
 * @module QR codes for pairing: drawn as an SVG path (crisp at any size, on the round display and
 * on a phone), and read from the camera or from a photo — with the browser's BarcodeDetector where
 * there is one, else a small decoder in JavaScript (loaded only when needed).
 */
import qrcode from "qrcode-generator";

/** The QR code of `text` as an SVG path over a square of `size` modules (a 4-module quiet zone included). */
export function qrPath(text: string): { size: number; d: string } {
  const q = qrcode(0, "M");
  q.addData(text);
  q.make();
  const n = q.getModuleCount();
  let d = "";
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (q.isDark(r, c)) d += `M${c + 4} ${r + 4}h1v1h-1z`;
  return { size: n + 8, d };
}

interface Detector {
  detect(source: CanvasImageSource | ImageBitmap): Promise<{ rawValue: string }[]>;
}

function nativeDetector(): Detector | null {
  const B = (globalThis as { BarcodeDetector?: new (o: { formats: string[] }) => Detector }).BarcodeDetector;
  try {
    return B ? new B({ formats: ["qr_code"] }) : null;
  } catch {
    return null;
  }
}

/** The text of the first QR code in an image (a bitmap, or a video frame drawn to a canvas); null if none. */
export async function readQr(source: ImageBitmap | HTMLVideoElement): Promise<string | null> {
  const native = nativeDetector();
  if (native) {
    try {
      const found = await native.detect(source);
      if (found[0]) return found[0].rawValue;
    } catch {
      // fall through to the decoder
    }
  }
  const w = source instanceof HTMLVideoElement ? source.videoWidth : source.width;
  const h = source instanceof HTMLVideoElement ? source.videoHeight : source.height;
  if (!w || !h) return null;
  const scale = Math.min(1, 1024 / Math.max(w, h));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(w * scale);
  canvas.height = Math.round(h * scale);
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  if (!ctx) return null;
  ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
  const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height);
  const { default: jsQR } = await import("jsqr");
  return jsQR(pixels.data, pixels.width, pixels.height)?.data ?? null;
}

/** Reads a QR code from a photo the person chose. */
export async function readQrFromFile(file: Blob): Promise<string | null> {
  const bitmap = await createImageBitmap(file);
  try {
    return await readQr(bitmap);
  } finally {
    bitmap.close();
  }
}

/** Whether this page may use the camera (browsers allow it only on HTTPS or localhost). */
export function cameraAvailable(): boolean {
  return typeof navigator !== "undefined" && Boolean(navigator.mediaDevices?.getUserMedia) && window.isSecureContext;
}
