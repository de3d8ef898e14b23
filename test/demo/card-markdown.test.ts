import { renderCardMarkdown } from '../../src/demo/ehr/card-markdown';

describe('renderCardMarkdown', () => {
  it('renders a card detail as GitHub-flavoured Markdown', () => {
    const html = renderCardMarkdown(
      '**Likely candidate**\n\n- **met**: Age 20 to 80 years\n    - Age 71',
    );
    expect(html).toContain('<strong>Likely candidate</strong>');
    expect(html).toMatch(/<li><strong>met<\/strong>: Age 20 to 80 years\s*<ul>\s*<li>Age 71<\/li>/);
  });

  it('shows raw HTML from the service as text, never as markup', () => {
    const html = renderCardMarkdown('Hello <img src=x onerror=alert(1)> <script>alert(1)</script>');
    expect(html).not.toMatch(/<img|<script/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('keeps web links (new tab, no opener) and drops script and data links', () => {
    const html = renderCardMarkdown(
      '[registry](https://clinicaltrials.gov/study/NCT02112500) [x](javascript:alert(1)) [y](data:text/html,hi)',
    );
    expect(html).toContain(
      '<a href="https://clinicaltrials.gov/study/NCT02112500" target="_blank" rel="noopener noreferrer">registry</a>',
    );
    expect(html).not.toMatch(/javascript:|data:text/);
    expect(html).toContain('x');
  });

  it('turns images into their alt text', () => {
    expect(renderCardMarkdown('![a chart](https://example.org/c.png)')).toBe('<p>a chart</p>\n');
  });
});
