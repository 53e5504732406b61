// Small real PDFs for the mock's paper commands (dev only): A4 pages drawn with lines and the
// standard Helvetica font (ASCII only, so no font file is needed), written out with a correct
// cross-reference table so pdf.js opens them like the core's. `pdfBase64` is what `PdfDoc.base64` holds.

const A4 = { w: 595.28, h: 841.89 };
const MM = 72 / 25.4;

/** Drawing operators for one page, in points from the bottom left. */
export class Page {
  ops: string[] = [];
  text(x: number, y: number, size: number, s: string) {
    const esc = s.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, "?");
    this.ops.push(`BT /F1 ${size} Tf ${x.toFixed(2)} ${y.toFixed(2)} Td (${esc}) Tj ET`);
    return this;
  }
  rect(x: number, y: number, w: number, h: number, fill = false) {
    this.ops.push(`${x.toFixed(2)} ${y.toFixed(2)} ${w.toFixed(2)} ${h.toFixed(2)} re ${fill ? "f" : "S"}`);
    return this;
  }
  line(x1: number, y1: number, x2: number, y2: number) {
    this.ops.push(`${x1.toFixed(2)} ${y1.toFixed(2)} m ${x2.toFixed(2)} ${y2.toFixed(2)} l S`);
    return this;
  }
  gray(g: number) {
    this.ops.push(`${g} g ${g} G`);
    return this;
  }
}

/** A PDF of the given pages (A4 portrait, or landscape), as base64, and its size in bytes. */
export function pdfBase64(pages: Page[], landscape = false): { base64: string; bytes: number } {
  const size = landscape ? { w: A4.h, h: A4.w } : A4;
  const objects: string[] = [];
  const n = pages.length;
  // 1 catalog, 2 pages, 3 font, then per page: page object, content stream.
  objects.push("<< /Type /Catalog /Pages 2 0 R >>");
  const kids = pages.map((_, i) => `${4 + i * 2} 0 R`).join(" ");
  objects.push(`<< /Type /Pages /Kids [${kids}] /Count ${n} >>`);
  objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  for (let i = 0; i < n; i++) {
    const stream = `0.5 w\n${pages[i].ops.join("\n")}`;
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${size.w} ${size.h}] /Resources << /Font << /F1 3 0 R >> >> /Contents ${5 + i * 2} 0 R >>`);
    objects.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
  }
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return { base64: btoa(out), bytes: out.length };
}

/** One A4 document page: a title, a few lines of text and a table outline (invoice, delivery slip). */
export function documentPage(title: string, number: string, lines: string[]): Page {
  const p = new Page();
  p.text(60, 770, 22, title).text(400, 775, 10, `No. ${number}`);
  p.line(60, 760, 535, 760);
  lines.forEach((l, i) => p.text(60, 730 - i * 16, 11, l));
  const top = 600;
  p.rect(60, top - 200, 475, 200);
  for (let r = 1; r < 8; r++) p.line(60, top - r * 25, 535, top - r * 25);
  p.line(360, top, 360, top - 200).line(440, top, 440, top - 200);
  p.gray(0.92).rect(60, top - 25, 475, 25, true).gray(0);
  p.text(66, top - 17, 10, "Item").text(366, top - 17, 10, "Qty").text(446, top - 17, 10, "Amount");
  return p;
}

export interface SheetGeometry {
  columns: number;
  rows: number;
  label_width_mm: number;
  label_height_mm: number;
  margin_top_mm: number;
  margin_left_mm: number;
  gap_x_mm: number;
  gap_y_mm: number;
  offset_x_mm: number;
  offset_y_mm: number;
}

/** Label pages: `texts` in the sheet's cells from `start` (1-based) on, each cell outlined. */
export function labelPages(sheet: SheetGeometry, start: number, texts: string[][]): Page[] {
  const per = sheet.columns * sheet.rows;
  const pages: Page[] = [];
  let slot = start - 1;
  for (const t of texts) {
    const pageNo = Math.floor(slot / per);
    while (pages.length <= pageNo) pages.push(new Page());
    const p = pages[pageNo];
    const cell = slot % per;
    const c = cell % sheet.columns;
    const r = Math.floor(cell / sheet.columns);
    const x = (sheet.margin_left_mm + sheet.offset_x_mm + c * (sheet.label_width_mm + sheet.gap_x_mm)) * MM;
    const yTop = A4.h - (sheet.margin_top_mm + sheet.offset_y_mm + r * (sheet.label_height_mm + sheet.gap_y_mm)) * MM;
    const h = sheet.label_height_mm * MM;
    p.gray(0.75).rect(x + 1, yTop - h + 1, sheet.label_width_mm * MM - 2, h - 2).gray(0);
    t.forEach((line, i) => p.text(x + 8, yTop - 16 - i * 12, i === 0 ? 9 : 8, line));
    slot++;
  }
  return pages.length ? pages : [new Page()];
}
