// Size as tier → ratio → orientation → exact pixels, built from the catalog, with auto and custom
// sizes where the model takes them.
import { isValidCustomSize, parseSize, type ModelInfo, type Orientation } from '../src/core/catalog';
import { groupSizes, locateSize, ratioValue, resolveSelection, type SizeSelection, type TierGroup } from '../src/core/sizeChooser';
import { h, icon, ratioBox } from './dom';
import { focusedGroup, radioGroup, restoreFocus } from './radioGroup';
import { S } from './strings';

type Mode = 'preset' | 'auto' | 'custom';

const ORIENTATION_ICON: Record<Orientation, string> = {
  landscape: 'device-desktop',
  portrait: 'device-mobile',
  square: 'primitive-square',
};

export class SizePicker {
  readonly el = h('div', { id: 'size', class: 'size-picker', attrs: { role: 'group', 'aria-labelledby': 'size-label' } });
  private model!: ModelInfo;
  private groups: TierGroup[] = [];
  private mode: Mode = 'preset';
  private selection: SizeSelection | undefined;
  private custom = '';

  constructor(private readonly onChange: () => void) {}

  /** The size to send, or undefined while a custom size is not valid. */
  get value(): string | undefined {
    if (this.mode === 'auto') return 'auto';
    if (this.mode === 'custom') return isValidCustomSize(this.custom) ? this.custom.trim().toLowerCase() : undefined;
    return this.selection?.size;
  }

  /** Shows the model's sizes, keeping `size` when the model takes it and the nearest choice otherwise. */
  set(model: ModelInfo, size: string): void {
    this.model = model;
    this.groups = groupSizes(model.sizes);
    const modes = this.modes();
    const located = locateSize(this.groups, size);
    if (located) {
      this.mode = 'preset';
      this.selection = located;
    } else if (size === 'auto' && model.allowsAuto) {
      this.mode = 'auto';
    } else if (model.allowsCustomSize && parseSize(size)) {
      this.mode = 'custom';
      this.custom = size;
    } else {
      this.mode = modes.includes(this.mode) ? this.mode : modes[0]!;
    }
    this.selection = resolveSelection(this.groups, this.selection ?? {});
    this.render();
  }

  private modes(): Mode[] {
    const modes: Mode[] = [];
    if (this.groups.length) modes.push('preset');
    if (this.model.allowsAuto) modes.push('auto');
    if (this.model.allowsCustomSize) modes.push('custom');
    return modes.length ? modes : ['auto'];
  }

  private choose(change: Partial<SizeSelection>): void {
    this.selection = resolveSelection(this.groups, this.selection ?? {}, change);
    this.render();
    this.onChange();
  }

  private render(): void {
    const focus = focusedGroup(this.el);
    const rows: HTMLElement[] = [];
    const modes = this.modes();
    if (modes.length > 1) {
      const labels: Record<Mode, string> = { preset: S.sizePreset, auto: S.sizeAuto, custom: S.sizeCustom };
      rows.push(
        radioGroup({
          label: S.sizeMode,
          key: 'size-mode',
          // `data-size="auto"` lets a test pick auto the same way as any other size.
          options: modes.map((m) => ({ value: m, content: [labels[m]], attrs: m === 'auto' ? { 'data-size': 'auto' } : undefined })),
          selected: this.mode,
          onSelect: (m) => {
            this.mode = m as Mode;
            this.render();
            this.onChange();
          },
        }),
      );
    }
    if (this.mode === 'preset') rows.push(...this.presetRows());
    else if (this.mode === 'auto') rows.push(h('p', { class: 'hint', text: S.autoHint }));
    else rows.push(...this.customRows());
    this.el.replaceChildren(...rows);
    restoreFocus(this.el, focus);
  }

  private presetRows(): HTMLElement[] {
    const sel = this.selection;
    if (!sel) return [];
    const tier = this.groups.find((t) => t.tier === sel.tier)!;
    const ratio = tier.ratios.find((r) => r.ratio === sel.ratio)!;
    const orientation = ratio.orientations.find((o) => o.orientation === sel.orientation)!;
    const rows: HTMLElement[] = [];
    if (this.groups.length > 1) {
      rows.push(
        radioGroup({
          label: S.tier,
          key: 'tier',
          options: this.groups.map((t) => ({ value: t.tier, content: [t.tier === 'other' ? S.tierOther : t.tier] })),
          selected: sel.tier,
          onSelect: (v) => this.choose({ tier: v as SizeSelection['tier'] }),
        }),
      );
    }
    rows.push(
      radioGroup({
        label: S.ratio,
        key: 'ratio',
        options: tier.ratios.map((r) => {
          const wide = ratioValue(r.ratio);
          return { value: r.ratio, content: [ratioBox(wide, 1), r.ratio] };
        }),
        selected: sel.ratio,
        onSelect: (v) => this.choose({ ratio: v }),
      }),
      radioGroup({
        label: S.orientation,
        key: 'orientation',
        options: ratio.orientations.map((o) => ({
          value: o.orientation,
          content: [icon(ORIENTATION_ICON[o.orientation]), S[o.orientation]],
        })),
        selected: sel.orientation,
        onSelect: (v) => this.choose({ orientation: v as Orientation }),
      }),
      radioGroup({
        label: S.pixels,
        key: 'size',
        options: orientation.sizes.map((s) => ({
          value: s.size,
          content: [ratioBox(s.width, s.height), `${s.width} × ${s.height}`],
          title: s.size,
        })),
        selected: sel.size,
        onSelect: (v) => this.choose({ size: v }),
      }),
    );
    return rows;
  }

  private customRows(): HTMLElement[] {
    const input = h('input', {
      id: 'size-custom',
      class: 'text-input',
      attrs: {
        type: 'text',
        inputmode: 'numeric',
        spellcheck: 'false',
        placeholder: '1536x1024',
        'aria-label': S.customSize,
        'aria-describedby': 'size-custom-hint',
      },
    });
    input.value = this.custom;
    const hint = h('p', { id: 'size-custom-hint', class: 'hint', text: S.customSizeHint });
    const check = () => {
      const ok = isValidCustomSize(input.value);
      input.setAttribute('aria-invalid', String(!ok));
      hint.classList.toggle('error', !ok && input.value.trim() !== '');
    };
    input.addEventListener('input', () => {
      this.custom = input.value;
      check();
      this.onChange();
    });
    check();
    return [input, hint];
  }
}
