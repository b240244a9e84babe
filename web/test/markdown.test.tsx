import { describe, expect, it } from 'vitest';
import { render } from 'preact';
import { renderMarkdown } from '../src/browser/markdown';

function html(md: string) {
  const el = document.createElement('div');
  render(<div>{renderMarkdown(md)}</div>, el);
  return el;
}

describe('markdown', () => {
  it('renders the common blocks and inlines', () => {
    const el = html('# Title\n\nSome **bold** and `code` and [link](https://example.com).\n\n- one\n- two\n\n```\nx < y\n```');
    expect(el.querySelector('h1')!.textContent).toBe('Title');
    expect(el.querySelector('strong')!.textContent).toBe('bold');
    expect(el.querySelector('a')!.getAttribute('href')).toBe('https://example.com');
    expect(el.querySelectorAll('li').length).toBe(2);
    expect(el.querySelector('pre')!.textContent).toBe('x < y');
  });

  it('never turns the document into markup or script', () => {
    const el = html('<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1))\n\n<script>alert(1)</script>');
    expect(el.querySelector('img')).toBeNull();
    expect(el.querySelector('script')).toBeNull();
    expect(el.querySelector('a')!.hasAttribute('href')).toBe(false);
    expect(el.textContent).toContain('<img src=x onerror=alert(1)>');
  });
});
