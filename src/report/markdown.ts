/**
 * Escapes text from the record (condition names, notes) for GitHub-flavoured Markdown inside a
 * list item or table cell, so a display string cannot inject links, images, emphasis, table
 * cells or HTML into a card. Characters that only matter at the start of a line are left alone:
 * this text never starts one.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`).replace(/\s*\r?\n\s*/g, ' ');
}
