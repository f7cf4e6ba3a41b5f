// The generation form: prompt, model, size, quality, format, count, the other options the model takes and the cost estimate.
import { estimateCost, getModel, MODELS, type ModelInfo, type PriceTable } from '../src/core/catalog';
import {
  BACKGROUNDS,
  COMPRESSIBLE,
  INPUT_FIDELITIES,
  MODERATIONS,
  OUTPUT_FORMATS,
  PREVIEWS,
  streams,
  WITH_ALPHA,
  type ExtraOption,
} from '../src/core/options';
import { cleanText, formSchema, MAX_PROMPT, type FormState } from '../src/protocol';
import { h, icon, iconButton } from './dom';
import type { ReferencePanel } from './references';
import { SizePicker } from './sizePicker';
import { S } from './strings';
import { money } from './cost';
import { send } from './vscodeApi';

function field(label: string, forId: string, control: HTMLElement, extra?: HTMLElement): HTMLDivElement {
  // The title shows a label cut short in a narrow sidebar.
  return h('div', { class: 'field' }, [h('label', { text: label, title: label, attrs: { for: forId } }), control, extra]);
}

function choice(id: string, values: readonly string[], name: (value: string) => string): HTMLSelectElement {
  return h(
    'select',
    { id },
    values.map((v) => h('option', { text: name(v), attrs: { value: v } })),
  );
}

export class GenerateForm {
  readonly el: HTMLFormElement;
  private readonly prompt = h('textarea', {
    id: 'prompt',
    attrs: { rows: '5', placeholder: S.promptPlaceholder, 'aria-describedby': 'prompt-count', spellcheck: 'true' },
  });
  private readonly count = h('span', { id: 'prompt-count', class: 'count', attrs: { 'aria-live': 'polite' } });
  private readonly improveProblem = h('p', { id: 'improve-problem', class: 'hint error', attrs: { role: 'alert' } });
  private readonly improve = h(
    'button',
    { id: 'improve-prompt', class: 'secondary', title: S.improvePromptHint, attrs: { type: 'button' } },
    [icon('sparkle'), S.improvePrompt],
  );
  private readonly modelInput = h('input', {
    id: 'model',
    class: 'text-input',
    attrs: { type: 'text', list: 'model-options', spellcheck: 'false', autocomplete: 'off' },
  });
  private readonly modelList = h('datalist', { id: 'model-options' });
  private readonly modelNote = h('p', { id: 'model-note', class: 'hint' });
  private readonly quality = h('select', { id: 'quality' });
  private readonly format = h('select', { id: 'format' });
  private readonly n = h('input', { id: 'n', class: 'text-input', attrs: { type: 'number', min: '1', step: '1' } });
  private readonly background = choice('background', BACKGROUNDS, S.optionName);
  private readonly compression = h('input', {
    id: 'compression',
    class: 'text-input',
    title: S.compressionHint,
    attrs: { type: 'number', min: '0', max: '100', step: '1' },
  });
  private readonly moderation = choice('moderation', MODERATIONS, S.optionName);
  private readonly fidelity = choice('fidelity', INPUT_FIDELITIES, S.optionName);
  private readonly previews = choice('previews', PREVIEWS, S.previewsName);
  private readonly alphaNote = h('p', { id: 'alpha-note', class: 'hint error', text: S.transparentNeedsAlpha });
  /** Each option's field, shown only while the model (and the kind of call) takes it. */
  private readonly optionFields: Record<Exclude<ExtraOption, 'user'> | 'previews', HTMLDivElement>;
  /** Their row, hidden with them all (the provider's and DALL·E models). */
  private readonly optionsRow: HTMLDivElement;
  private readonly cost = h('p', { id: 'cost', class: 'cost', attrs: { 'aria-live': 'polite' } });
  private readonly generate = h('button', { id: 'generate', class: 'primary', attrs: { type: 'button' } });
  private readonly qualityField: HTMLDivElement;
  private readonly formatField: HTMLDivElement;
  private readonly sizes = new SizePicker(() => this.changed());
  private model: ModelInfo = getModel(MODELS[0]!.id);
  private prices: PriceTable = {};
  private gatewayModels: string[] = [];
  /** The user's `gptImage.streamingModels`: besides OpenAI's, the models whose previews are offered. */
  private streamingModels: string[] = [];
  /** The reference whose size the form last took, so it is taken once, not on every change. */
  private sizedFrom: string | undefined;

  constructor(
    private readonly onChange: (form: FormState) => void,
    private readonly onGenerate: (form: FormState) => void,
    /** With at least one reference image, the primary button edits them instead of generating. */
    private readonly references: ReferencePanel,
  ) {
    for (const f of OUTPUT_FORMATS) this.format.append(h('option', { text: f.toUpperCase(), attrs: { value: f } }));
    this.qualityField = field(S.quality, 'quality', this.quality);
    this.formatField = field(S.format, 'format', this.format);
    this.optionFields = {
      background: field(S.background, 'background', this.background),
      outputCompression: field(S.compression, 'compression', this.compression),
      moderation: field(S.moderation, 'moderation', this.moderation),
      inputFidelity: field(S.inputFidelity, 'fidelity', this.fidelity),
      previews: field(S.previews, 'previews', this.previews),
    };
    this.optionFields.previews.title = S.previewsHint;
    this.optionsRow = h('div', { class: 'row fields options' }, Object.values(this.optionFields));
    const useSelection = h('button', { id: 'use-selection', class: 'secondary', title: S.useSelectionHint, attrs: { type: 'button' } }, [
      icon('selection'),
      S.useSelection,
    ]);
    useSelection.addEventListener('click', () => send({ type: 'useSelection' }));
    this.improve.hidden = true;
    this.improveProblem.hidden = true;
    this.improve.addEventListener('click', () => {
      this.improve.disabled = true;
      send({ type: 'improvePrompt', prompt: cleanText(this.prompt.value, MAX_PROMPT), model: this.model.id });
    });
    const refresh = iconButton('refresh', S.refreshModels);
    refresh.id = 'refresh-models';
    refresh.addEventListener('click', () => send({ type: 'refreshModels' }));

    this.el = h('form', { id: 'generate-form', attrs: { 'aria-label': S.generate, novalidate: '' } }, [
      h('div', { class: 'field' }, [
        h('div', { class: 'label-row' }, [h('label', { text: S.prompt, attrs: { for: 'prompt' } }), this.count]),
        this.prompt,
        h('div', { class: 'row' }, [useSelection, this.improve]),
        this.improveProblem,
      ]),
      references.el,
      h('div', { class: 'field' }, [
        h('label', { text: S.model, attrs: { for: 'model' } }),
        h('div', { class: 'row' }, [this.modelInput, refresh]),
        this.modelList,
        this.modelNote,
      ]),
      h('div', { class: 'field' }, [h('span', { id: 'size-label', class: 'label', text: S.size }), this.sizes.el]),
      h('div', { class: 'row fields' }, [this.qualityField, this.formatField, field(S.count, 'n', this.n)]),
      this.optionsRow,
      this.alphaNote,
      this.cost,
      h('div', { class: 'row' }, [this.generate]),
    ]);

    this.prompt.addEventListener('input', () => this.changed());
    this.prompt.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        this.submit();
      }
    });
    this.modelInput.addEventListener('change', () => this.setModel(this.modelInput.value.trim() || this.model.id));
    for (const c of [this.quality, this.format, this.n, this.background, this.compression, this.moderation, this.fidelity, this.previews]) {
      c.addEventListener('change', () => this.changed());
    }
    this.n.addEventListener('input', () => this.changed(false));
    this.compression.addEventListener('input', () => this.changed(false));
    // A plain button, not a submit: Enter in the model or count field must not start a paid generation.
    this.generate.addEventListener('click', () => this.submit());
    this.el.addEventListener('submit', (e) => e.preventDefault());
  }

  /** Fills every control from a saved or reused form. */
  set(form: FormState): void {
    this.prompt.value = form.prompt;
    this.applyModel(getModel(form.model), form.size, form.quality, form.n);
    this.format.value = form.outputFormat;
    this.background.value = form.background;
    this.compression.value = String(form.outputCompression);
    this.moderation.value = form.moderation;
    this.fidelity.value = form.inputFidelity;
    this.previews.value = form.previews;
    this.refresh();
  }

  setStreamingModels(ids: readonly string[]): void {
    this.streamingModels = [...ids];
    this.refresh();
  }

  setPrices(prices: PriceTable): void {
    this.prices = prices;
    this.refresh();
  }

  setGatewayModels(ids: readonly string[]): void {
    this.gatewayModels = [...ids];
    const known = new Set(MODELS.map((m) => m.id));
    this.modelList.replaceChildren(
      ...MODELS.map((m) => h('option', { attrs: { value: m.id, label: S.modelLabel(m.label) } })),
      ...this.gatewayModels.filter((id) => !known.has(id)).map((id) => h('option', { attrs: { value: id } })),
    );
  }

  /** The Improve prompt button shows only while the host has a chat model. */
  setPromptHelp(available: boolean): void {
    this.improve.hidden = !available;
  }

  /** The host's answer to Improve prompt: the rewrite fills the box (not sent); without one the prompt stays. */
  improved(prompt: string | undefined, problem: string | undefined): void {
    this.improve.disabled = false;
    this.improveProblem.textContent = problem ?? '';
    this.improveProblem.hidden = problem === undefined;
    if (prompt !== undefined) this.setPrompt(prompt);
  }

  setPrompt(text: string): void {
    this.prompt.value = text;
    this.prompt.focus();
    this.changed();
  }

  /** The form as sent, or undefined while some field is not usable. */
  value(): FormState | undefined {
    const size = this.sizes.value;
    const n = Number(this.n.value);
    if (size === undefined || !Number.isInteger(n) || n < 1 || n > this.model.maxN) return undefined;
    const compression = Number(this.compression.value);
    if (this.compression.value === '' || !Number.isInteger(compression) || compression < 0 || compression > 100) return undefined;
    return {
      // Control characters (from a paste) would get the whole message refused by the host.
      prompt: cleanText(this.prompt.value, Infinity),
      model: this.model.id,
      size,
      quality: this.model.qualities.length ? this.quality.value : '',
      outputFormat: this.format.value as FormState['outputFormat'],
      n,
      background: this.background.value as FormState['background'],
      moderation: this.moderation.value as FormState['moderation'],
      outputCompression: compression,
      inputFidelity: this.fidelity.value as FormState['inputFidelity'],
      previews: this.previews.value as FormState['previews'],
    };
  }

  private submit(): void {
    const form = this.value();
    if (!form || !this.canGenerate(form)) return;
    this.onGenerate(form);
  }

  private canGenerate(form: FormState): boolean {
    if (this.references.size && this.references.blocked()) return false;
    if (this.transparentWithoutAlpha(form)) return false;
    return form.prompt.trim().length > 0 && form.prompt.length <= this.model.promptLimit;
  }

  /** The reference list changed: the button's label and state follow it. */
  /**
   * A new first reference brings its own size when the model's table has it, so an edit keeps the
   * picture's shape; the user can still pick another size afterwards.
   */
  referencesChanged(first?: { uri: string; width: number; height: number }): void {
    if (first && first.uri !== this.sizedFrom) {
      const own = `${first.width}x${first.height}`;
      if (this.model.sizes.some((s) => s.size === own) && this.sizes.value !== own) {
        this.sizes.set(this.model, own);
        this.sizedFrom = first.uri;
        return this.changed();
      }
    }
    this.sizedFrom = first?.uri;
    this.refresh();
  }

  /** The model chosen elsewhere (GPT Image: Choose Model). */
  chooseModel(id: string): void {
    this.setModel(id);
  }

  private setModel(id: string): void {
    // `change` fires again on blur; re-rendering then would swallow a click on the size buttons.
    if (id === this.model.id) {
      this.modelInput.value = id;
      return;
    }
    const form = this.value();
    this.applyModel(getModel(id), this.sizes.value ?? form?.size ?? '', this.quality.value, Number(this.n.value) || 1);
    this.changed();
  }

  private applyModel(model: ModelInfo, size: string, quality: string, n: number): void {
    this.model = model;
    this.modelInput.value = model.id;
    this.modelNote.textContent = model.known ? S.modelLabel(model.label) : S.unknownModel;
    this.sizes.set(model, size);
    this.quality.replaceChildren(...model.qualities.map((q) => h('option', { text: S.qualityName(q), attrs: { value: q } })));
    this.quality.value = model.qualities.includes(quality)
      ? quality
      : model.qualities.includes('medium')
        ? 'medium'
        : (model.qualities[0] ?? '');
    this.qualityField.hidden = model.qualities.length === 0;
    this.formatField.hidden = model.formats.length === 0;
    this.n.max = String(model.maxN);
    this.n.value = String(Math.min(Math.max(1, Math.floor(n) || 1), model.maxN));
  }

  private changed(save = true): void {
    this.refresh();
    const form = this.value();
    if (form && save && formSchema.safeParse(form).success) this.onChange(form);
  }

  /** Counter, cost and the Generate button's state follow the current values. */
  private refresh(): void {
    const length = this.prompt.value.length;
    const limit = this.model.promptLimit;
    this.count.textContent = S.promptCount(length, limit);
    const tooLong = length > limit;
    this.count.classList.toggle('error', tooLong);
    this.count.title = tooLong ? S.promptTooLong(limit) : '';
    this.prompt.setAttribute('aria-invalid', String(tooLong));
    const form = this.value();
    const partials = form && streams(this.model, this.streamingModels) ? Number(form.previews) || 0 : 0;
    const cost = form ? estimateCost(form.model, form.size, form.n, this.prices, partials, form.quality || undefined) : undefined;
    this.cost.textContent = cost === undefined ? '' : S.cost(money.format(cost));
    this.cost.hidden = cost === undefined;
    this.references.setModel(this.model.id);
    const editing = this.references.size > 0;
    this.showOptions(editing);
    this.alphaNote.hidden = !form || !this.transparentWithoutAlpha(form);
    this.generate.replaceChildren(icon(editing ? 'edit' : 'sparkle'), editing ? S.edit : S.generate);
    this.generate.title = editing ? S.editHint : S.generateHint;
    this.generate.dataset.mode = editing ? 'edit' : 'generate';
    this.generate.disabled = !form || !this.canGenerate(form);
  }

  /** The options the model takes for this kind of call; the rest are hidden (and left out by the host anyway). */
  private showOptions(editing: boolean): void {
    const takes = (o: ExtraOption) => this.model.takes.includes(o);
    const fields = this.optionFields;
    fields.background.hidden = !takes('background');
    fields.outputCompression.hidden = !takes('outputCompression') || !COMPRESSIBLE.includes(this.format.value as FormState['outputFormat']);
    fields.moderation.hidden = !takes('moderation') || editing;
    fields.inputFidelity.hidden = !takes('inputFidelity') || !editing;
    fields.previews.hidden = !streams(this.model, this.streamingModels);
    this.optionsRow.hidden = Object.values(fields).every((f) => f.hidden);
  }

  /** A transparent background asked for a format without transparency: the host would refuse it, so the button waits. */
  private transparentWithoutAlpha(form: FormState): boolean {
    return this.model.takes.includes('background') && form.background === 'transparent' && !WITH_ALPHA.includes(form.outputFormat);
  }
}
