// QR codes for the terminal through `qrcode` (its utf8 renderer: two modules per character cell with
// half blocks). Wrapped here for one defect: an odd `margin` throws a RangeError in that renderer
// (qrcode 1.5.4, lib/renderer/utf8.js computes Array(margin / 2 + 1)); test/ui/live-view.test.tsx pins it.

/** The QR code of `text` as lines of half-block characters (█ ▀ ▄ = dark), with a two-module margin. */
export async function qrLines(text: string): Promise<string[]> {
  // Loaded when a QR code is asked for, not with the live view.
  const { default: QRCode } = await import('qrcode');
  const art = await QRCode.toString(text, { type: 'utf8', errorCorrectionLevel: 'L', margin: 2 });
  return art.replace(/\n+$/, '').split('\n');
}
