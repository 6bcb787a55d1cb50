/**
 * A link as a QR code, as an SVG data URL (the agent's CSP allows `img-src data:`; no script or
 * canvas needed to show it). Error correction M: a phone reads it off a projector. The `qrcode`
 * library is a chunk of its own, fetched by the links page only.
 */
export async function qrDataUrl(text: string): Promise<string> {
  const { default: QRCode } = await import('qrcode');
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
