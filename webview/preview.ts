// The preview panel's page: the image being drawn (a streamed partial image, then the saved result)
// and one line saying which; in the compare panel, an edit's source and result under a slider. Only checked messages are shown; partial images live as blob: URLs,
// one at a time, and are never kept.
import './jitless';
import './preview.css';
import { parseToPreview, type CompareView, type FileView, type PreviewView } from '../src/protocol';
import { compareSlider } from './compareSlider';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

const MIME = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const;
const stage = document.getElementById('stage')!;
const caption = document.getElementById('caption')!;
let blobUrl: string | undefined;

function image(src: string, alt: string, width: number, height: number): HTMLImageElement {
  const img = document.createElement('img');
  img.src = src;
  img.alt = alt;
  img.decoding = 'async';
  if (width && height) img.style.aspectRatio = `${width} / ${height}`;
  return img;
}

function dropBlob(): void {
  if (blobUrl) URL.revokeObjectURL(blobUrl);
  blobUrl = undefined;
}

function showPreview(preview: PreviewView, text: string): void {
  const url = URL.createObjectURL(new Blob([preview.bytes as Uint8Array<ArrayBuffer>], { type: MIME[preview.format] }));
  stage.replaceChildren(image(url, text, preview.width, preview.height));
  stage.dataset.state = 'preview';
  dropBlob();
  blobUrl = url;
}

function showFinal(files: readonly FileView[]): void {
  dropBlob();
  stage.replaceChildren(...files.map((f) => image(f.src, f.name, f.width, f.height)));
  stage.dataset.state = 'final';
}

function showCompare(compare: CompareView, sliderLabel: string): void {
  dropBlob();
  stage.replaceChildren(compareSlider(compare, sliderLabel).el);
  stage.dataset.state = 'compare';
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const msg = parseToPreview(event.data);
  if (!msg) return console.warn('GPT Image preview: ignored an invalid message from the extension');
  if (msg.type === 'preview') showPreview(msg.preview, msg.caption);
  else if (msg.type === 'final') showFinal(msg.files);
  else if (msg.type === 'compare') showCompare(msg.compare, msg.sliderLabel);
  else {
    dropBlob();
    stage.replaceChildren();
    stage.dataset.state = 'ended';
  }
  caption.textContent = msg.caption;
});

acquireVsCodeApi().postMessage({ type: 'ready' });
