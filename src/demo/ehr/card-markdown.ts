import { Marked, type Tokens } from 'marked';

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Only web and mail links: `javascript:`, `data:` and the like are dropped to plain text. */
function safeHref(href: string): string | undefined {
  try {
    const url = new URL(href);
    return ['https:', 'http:', 'mailto:'].includes(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * GitHub-flavoured Markdown as a CDS card's `detail` is written, rendered to HTML that is safe
 * to insert: the detail comes from a service, so raw HTML in it is shown as text, images become
 * their alt text, and links keep only http(s) and mailto targets and open in a new tab without
 * an opener. (The EHR page's CSP refuses inline scripts as a second line of defence.)
 * @see https://cds-hooks.hl7.org/2.0/#card-attributes
 */
const markdown = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(token.text);
    },
    image(token: Tokens.Image): string {
      return escapeHtml(token.text);
    },
    link(token: Tokens.Link): string {
      const text = this.parser.parseInline(token.tokens);
      const href = safeHref(token.href);
      if (!href) return text;
      const title = token.title ? ` title="${escapeHtml(token.title)}"` : '';
      return `<a href="${escapeHtml(href)}"${title} target="_blank" rel="noopener noreferrer">${text}</a>`;
    },
  },
});

/** A card detail (Markdown) as safe HTML. */
export function renderCardMarkdown(detail: string): string {
  return markdown.parse(detail, { async: false });
}
