// Export of the connectivity graph as a standalone SVG file or a PNG image.
// The page's stylesheet does not travel with an exported file, so the clone
// carries the graph's own rules in a <style> element.

const EXPORT_CSS = `
  svg { font-family: system-ui, sans-serif; font-size: 11px; background: #ffffff; }
  .graph-frame--0 { fill: #f3f6fb; } .graph-frame--1 { fill: #eaf0f8; }
  .edge { fill: none; stroke: #b9c1cc; stroke-width: 1; }
  .edge--exit { stroke: #efc77a; }
  .edge[data-reuse] { stroke: var(--reuse); }
  .graph-baseline { stroke: #9aa5b5; }
  .graph-node circle { fill: #0072b2; stroke: #ffffff; stroke-width: 1.5; }
  .graph-node--transition circle { fill: #d55e00; }
  .graph-node--stem circle, .graph-node--classifier circle { fill: #1f2937; }
  .graph-node--collapsed rect { fill: #cfe0f1; stroke: #0072b2; }
  .graph-toggle text, .graph-node__label { fill: #1f2937; font-weight: 600; }
`;

function standaloneSvg(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const style = document.createElementNS('http://www.w3.org/2000/svg', 'style');
  style.textContent = EXPORT_CSS;
  clone.insertBefore(style, clone.firstChild);
  for (const element of clone.querySelectorAll('[tabindex]')) element.removeAttribute('tabindex');
  return new XMLSerializer().serializeToString(clone);
}

function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function exportSvg(svg: SVGSVGElement, filename: string): void {
  download(new Blob([standaloneSvg(svg)], { type: 'image/svg+xml' }), filename);
}

/** Rasterises the graph at twice its size (for sharp slides) and downloads it as PNG. */
export async function exportPng(svg: SVGSVGElement, filename: string, scale = 2): Promise<void> {
  const width = Number(svg.getAttribute('width'));
  const height = Number(svg.getAttribute('height'));
  const url = URL.createObjectURL(new Blob([standaloneSvg(svg)], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(width * scale);
    canvas.height = Math.ceil(height * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('2D canvas context is not available');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('PNG encoding failed');
    download(blob, filename);
  } finally {
    URL.revokeObjectURL(url);
  }
}
