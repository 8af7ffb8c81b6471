/**
 * Reads a PDF back the way a viewer would, without poppler: pdf.js (pdfjs-dist's legacy build, the
 * one for Node) parses it, and page 1 is rasterised onto an @napi-rs/canvas canvas (pdf.js's Node
 * canvas factory) to count the pixels that are not white. Throws when the bytes are not a PDF
 * pdf.js can open.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfCheck {
  pages: number;
  /** Page 1's size in PostScript points (1/72 in), from its view box. */
  widthPt: number;
  heightPt: number;
  /** Page 1 rasterised at `scale`: pixel size and the fraction of pixels that are not (near) white. */
  render: { width: number; height: number; inkFraction: number };
}

/** A4 is 210 × 297 mm = 595.28 × 841.89 pt; Chromium rounds to whole CSS pixels (595.92 × 842.88). */
export const A4_PT = { width: 595.28, height: 841.89 };

export function isA4(check: Pick<PdfCheck, 'widthPt' | 'heightPt'>, tolerancePt = 2): boolean {
  return Math.abs(check.widthPt - A4_PT.width) <= tolerancePt && Math.abs(check.heightPt - A4_PT.height) <= tolerancePt;
}

export async function checkPdf(bytes: Uint8Array, scale = 0.5): Promise<PdfCheck> {
  // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
  const task = getDocument({ data: new Uint8Array(bytes), verbosity: 0, isEvalSupported: false, disableFontFace: true });
  const doc = await task.promise;
  try {
    const page = await doc.getPage(1);
    const [x0, y0, x1, y1] = page.view as [number, number, number, number];
    const viewport = page.getViewport({ scale });
    // pdf.js's own canvas factory: in Node, an @napi-rs/canvas canvas (typed loosely by pdf.js).
    const factory = doc.canvasFactory as { create(width: number, height: number): { canvas: HTMLCanvasElement; context: CanvasRenderingContext2D } };
    const { canvas, context } = factory.create(Math.ceil(viewport.width), Math.ceil(viewport.height));
    await page.render({ canvas, canvasContext: context, viewport }).promise;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3]! > 0 && (data[i]! < 240 || data[i + 1]! < 240 || data[i + 2]! < 240)) ink++;
    }
    return { pages: doc.numPages, widthPt: x1 - x0, heightPt: y1 - y0, render: { width: canvas.width, height: canvas.height, inkFraction: ink / (canvas.width * canvas.height) } };
  } finally {
    await doc.destroy();
  }
}
