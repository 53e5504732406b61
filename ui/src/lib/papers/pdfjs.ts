//! pdf.js, loaded on first use (it is large) with its worker bundled by Vite: nothing remote.
//!
//! Each document gets its own worker, made here from the bundled file. pdf.js would otherwise make
//! it itself and, when it cannot tell that the worker file is same-origin (as under the app's own
//! `tauri://localhost` scheme, whose URL origin reads as "null"), wrap it in a `blob:` URL, which the
//! CSP refuses. Should a worker not start at all, pdf.js runs its worker code on the main thread
//! (imported from the same bundled file), which is slower but works.
import workerUrl from "pdfjs-dist/build/pdf.worker.min.mjs?url";
import type { PDFDocumentProxy, PDFWorker } from "pdfjs-dist";

type PdfJs = typeof import("pdfjs-dist");
let lib: Promise<PdfJs> | null = null;

function load(): Promise<PdfJs> {
  lib ??= import("pdfjs-dist").then((m) => {
    m.GlobalWorkerOptions.workerSrc = workerUrl;
    return m;
  });
  return lib;
}

export interface OpenPdf {
  pdf: PDFDocumentProxy;
  /** Ends the document and its worker. */
  close: () => void;
}

export async function openPdf(data: Uint8Array): Promise<OpenPdf> {
  const m = await load();
  let port: Worker | undefined;
  let worker: PDFWorker | undefined;
  try {
    port = new Worker(workerUrl, { type: "module" });
    // The typings say `port?: null`; the documented parameter is the Worker.
    worker = m.PDFWorker.create({ port } as unknown as Parameters<typeof m.PDFWorker.create>[0]);
  } catch {
    port?.terminate();
    port = worker = undefined;
  }
  const task = m.getDocument({ data, worker, enableXfa: false });
  const close = () => {
    void task.destroy().finally(() => {
      worker?.destroy();
      port?.terminate();
    });
  };
  try {
    return { pdf: await task.promise, close };
  } catch (e) {
    close();
    throw e;
  }
}
