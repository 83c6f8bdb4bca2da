/**
 * Terminal cells: how wide text shows, and making text safe to show. Approximate, as terminals
 * disagree at the edges: East Asian wide and fullwidth characters and most emoji take 2 cells,
 * combining marks and zero-width characters none, everything else 1.
 */

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\u200b-\u200f\u2060\ufeff]$/u;
const EMOJI = /^\p{Extended_Pictographic}$/u;

const WIDE_RANGES: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

/** The cells one code point takes. */
export function charWidth(char: string): number {
  const code = char.codePointAt(0)!;
  if (code < 0x300) return 1;
  if (ZERO_WIDTH.test(char)) return 0;
  if (WIDE_RANGES.some(([from, to]) => code >= from && code <= to)) return 2;
  // Pictographs below U+1F000 (☀, ✈) mostly show narrow unless a selector asks otherwise.
  return code >= 0x1f000 && EMOJI.test(char) ? 2 : 1;
}

export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char);
  return width;
}

/** Cuts text to at most `width` cells, ending in "…" when it was cut. */
export function truncateToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let kept = "";
  let used = 0;
  for (const char of text) {
    const cells = charWidth(char);
    if (used + cells > width - 1) break;
    kept += char;
    used += cells;
  }
  return `${kept}…`;
}

/**
 * Replaces control characters, which a terminal would act on (ESC starts a sequence that can
 * recolour or rewrite the screen, CR returns to the line's start): line breaks and tabs by a
 * space, the others by their visible symbol (␛ for ESC) or, past ASCII, by U+FFFD.
 */
export function replaceControls(text: string): string {
  // deno-lint-ignore no-control-regex -- control characters are what this replaces
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, (char) => {
    const code = char.charCodeAt(0);
    if (code >= 0x09 && code <= 0x0d) return " ";
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    return code === 0x7f ? "\u2421" : "\ufffd";
  });
}
