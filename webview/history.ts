// The history list: newest first, searched on the host, rendered a page at a time as it scrolls in.
import type { EntryView, ToWebview } from '../src/protocol';
import { h, icon, iconButton } from './dom';
import { costText, spentLines } from './cost';
import { imageCard } from './imageCard';
import { S } from './strings';
import { send } from './vscodeApi';

type HistoryPage = Omit<Extract<ToWebview, { type: 'history' }>, 'type'>;

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' });

export class HistoryList {
  readonly el: HTMLElement;
  private readonly search = h('input', {
    id: 'history-search',
    class: 'text-input',
    attrs: {
      type: 'search',
      placeholder: S.searchHistory,
      'aria-label': S.searchHistory,
      'aria-controls': 'history-list',
      spellcheck: 'false',
    },
  });
  private readonly summary = h('span', { id: 'history-count', class: 'count', attrs: { 'aria-live': 'polite' } });
  private readonly spent = h('div', { id: 'spent', class: 'spent', title: S.spentHint, attrs: { role: 'group', 'aria-label': S.spent } });
  private readonly list = h('ol', { id: 'history-list', class: 'history-list', attrs: { 'aria-label': S.history } });
  private readonly empty = h('p', { class: 'hint empty' });
  private readonly more = h('button', { id: 'history-more', class: 'secondary', attrs: { type: 'button' }, text: S.loadMore });
  private query = '';
  private shown = 0;
  private total = 0;
  private loading = false;
  private debounce: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.el = h('section', { id: 'history', class: 'history', attrs: { 'aria-labelledby': 'history-title' } }, [
      h('div', { class: 'label-row' }, [h('h2', { id: 'history-title', text: S.history }), this.summary]),
      this.spent,
      this.search,
      this.list,
      this.empty,
      this.more,
    ]);
    this.spent.hidden = true;
    this.search.addEventListener('input', () => {
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => this.setQuery(this.search.value), 200);
    });
    this.more.addEventListener('click', () => this.loadMore());
    // The button doubles as the sentinel: when it scrolls into view, the next page is asked for.
    new IntersectionObserver(
      (seen) => {
        if (seen.some((e) => e.isIntersecting)) this.loadMore();
      },
      { rootMargin: '200px' },
    ).observe(this.more);
  }

  /** Controls that act on the listed results (Compare…), beside the title, and a bar under the search. */
  addTools(toggle: HTMLElement, bar: HTMLElement): void {
    this.summary.after(toggle);
    this.search.after(bar);
  }

  /** After a second `init` (settings changed) the host is unfiltered again; a running search is re-sent. */
  resync(): void {
    if (!this.query) return;
    this.loading = true;
    send({ type: 'search', query: this.query });
  }

  private setQuery(query: string): void {
    if (query === this.query) return;
    this.query = query;
    this.loading = true;
    send({ type: 'search', query });
  }

  private loadMore(): void {
    if (this.loading || this.shown >= this.total) return;
    this.loading = true;
    send({ type: 'loadMore' });
  }

  /** Scrolls to the entry and highlights it; says so when it is not loaded yet. */
  showEntry(entryId: string): void {
    const li = [...this.list.children].find((el) => (el as HTMLElement).dataset.entryId === entryId) as HTMLElement | undefined;
    if (!li) {
      this.empty.textContent = S.parentNotLoaded;
      this.empty.hidden = false;
      return;
    }
    for (const old of this.list.querySelectorAll('.highlighted')) old.classList.remove('highlighted');
    li.classList.add('highlighted');
    li.tabIndex = -1;
    li.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    li.focus({ preventScroll: true });
  }

  apply(page: HistoryPage): void {
    // An answer to an older search is dropped; the newer one is on its way.
    if (page.query !== this.query) return;
    this.loading = false;
    if (page.spent) {
      this.spent.replaceChildren(...spentLines(page.spent));
      this.spent.hidden = page.spent.length === 0;
    }
    if (page.offset === 0) this.list.replaceChildren();
    else if (page.offset !== this.shown) return;
    this.list.append(...page.entries.map(entryItem));
    this.shown = page.offset + page.entries.length;
    this.total = page.total;
    this.summary.textContent = S.historyCount(this.shown, this.total);
    this.empty.textContent = this.total ? '' : this.query ? S.historyNoMatch : S.historyEmpty;
    this.empty.hidden = this.total > 0;
    this.more.hidden = this.shown >= this.total;
  }
}

/**
 * An entry's fixed parts, built once and cloned per entry (see imageCard.ts for why). Its prompt has an
 * `elementtiming` attribute, so `npm run bench` can read when the first entries were painted.
 */
let template: HTMLLIElement | undefined;

function entryTemplate(): HTMLLIElement {
  return h('li', {}, [
    h('div', { class: 'entry-head' }, [
      h('time'),
      h('span', { class: 'meta' }),
      iconButton('refresh', S.moreLikeThis, { action: 'moreLikeThis' }),
      iconButton('history', S.reusePrompt, { action: 'reusePrompt' }),
    ]),
    h('p', { class: 'entry-prompt', attrs: { elementtiming: 'history-entry' } }),
  ]);
}

/** What an edit was made from: its sources, and the entry it refined (a button that shows it). */
function lineageLine(e: EntryView): HTMLElement | undefined {
  if (!e.edit && !e.parent) return undefined;
  const parts: (HTMLElement | string)[] = [];
  if (e.edit) parts.push(h('span', { class: 'edit-of' }, [icon('edit'), S.editOf(e.edit.sources, e.edit.mask)]));
  if (e.parent) {
    parts.push(
      h('button', {
        class: 'link parent-link',
        text: S.refinedFrom(e.parent.prompt),
        title: S.refinedFromHint,
        attrs: { type: 'button' },
        data: { action: 'showParent', entry: e.parent.id },
      }),
    );
  }
  return h('p', { class: 'lineage' }, parts);
}

function setTime(el: HTMLElement, ms: number): void {
  const date = new Date(ms);
  // A corrupt time shows nothing rather than stopping the whole page from rendering.
  if (!Number.isFinite(date.getTime())) return;
  el.textContent = when.format(date);
  el.setAttribute('datetime', date.toISOString());
}

function entryItem(e: EntryView): HTMLLIElement {
  const li = (template ??= entryTemplate()).cloneNode(true) as HTMLLIElement;
  const [head, prompt] = li.children as unknown as [HTMLElement, HTMLElement];
  const [time, meta, more, reuse] = head.children as unknown as [HTMLElement, HTMLElement, HTMLElement, HTMLElement];
  li.className = `history-entry ${e.status}`;
  li.dataset.entryId = e.id;
  setTime(time, e.time);
  meta.textContent = [e.model, e.size, e.quality].filter(Boolean).join(' · ');
  more.dataset.entry = e.id;
  reuse.dataset.entry = e.id;
  prompt.textContent = e.prompt;
  if (e.prompt) prompt.title = e.prompt;
  const lineage = lineageLine(e);
  if (lineage) prompt.before(lineage);
  const cost = costText(e.cost);
  if (cost) prompt.after(h('p', { class: 'entry-cost meta', text: cost, title: S.costHint }));
  if (e.status !== 'succeeded') {
    li.append(
      h('p', { class: `status ${e.status}` }, [
        icon(e.status === 'failed' ? 'error' : 'circle-slash'),
        e.status === 'failed' ? S.failed(e.error ?? '') : S.cancelled,
      ]),
    );
  }
  if (e.files.length) {
    li.append(
      h(
        'div',
        { class: 'results' },
        e.files.map((f) => imageCard(f, e.prompt, 'history-image', e.parent !== undefined)),
      ),
    );
  }
  return li;
}
