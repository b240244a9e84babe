// A small Markdown renderer that builds elements, never HTML strings, so a
// document cannot inject markup or script. Links keep only http(s) and
// mailto targets. Covers headings, paragraphs, lists, quotes, fenced code,
// rules, emphasis, inline code and links.
import type { ComponentChildren } from 'preact';

const safeHref = (href: string) => (/^(https?:|mailto:)/i.test(href) ? href : undefined);

export function inline(text: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  const re = /(`[^`]+`)|(\*\*[^*]+\*\*|__[^_]+__)|(\*[^*\s][^*]*\*|_[^_\s][^_]*_)|(\[[^\]]+\]\([^)\s]+\))/g;
  let last = 0;
  for (let m; (m = re.exec(text)); ) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const s = m[0];
    if (m[1]) out.push(<code>{s.slice(1, -1)}</code>);
    else if (m[2]) out.push(<strong>{inline(s.slice(2, -2))}</strong>);
    else if (m[3]) out.push(<em>{inline(s.slice(1, -1))}</em>);
    else {
      const [, label, href] = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(s)!;
      out.push(<a href={safeHref(href)} rel="noopener noreferrer nofollow" target="_blank">{inline(label)}</a>);
    }
    last = m.index + s.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function renderMarkdown(src: string): ComponentChildren[] {
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  const out: ComponentChildren[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (/^```/.test(line)) {
      const body: string[] = [];
      for (i++; i < lines.length && !/^```/.test(lines[i]); i++) body.push(lines[i]);
      i++;
      out.push(<pre class="code"><code>{body.join('\n')}</code></pre>);
      continue;
    }
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    if (h) {
      const Tag = ('h' + h[1].length) as 'h1';
      out.push(<Tag>{inline(h[2])}</Tag>);
      i++;
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      out.push(<hr />);
      i++;
      continue;
    }
    if (/^\s*([-*+]|\d+\.)\s+/.test(line)) {
      const ordered = /^\s*\d+\./.test(line);
      const items: ComponentChildren[] = [];
      for (; i < lines.length && /^\s*([-*+]|\d+\.)\s+/.test(lines[i]); i++) items.push(<li>{inline(lines[i].replace(/^\s*([-*+]|\d+\.)\s+/, ''))}</li>);
      out.push(ordered ? <ol>{items}</ol> : <ul>{items}</ul>);
      continue;
    }
    if (/^>\s?/.test(line)) {
      const body: string[] = [];
      for (; i < lines.length && /^>\s?/.test(lines[i]); i++) body.push(lines[i].replace(/^>\s?/, ''));
      out.push(<blockquote>{renderMarkdown(body.join('\n'))}</blockquote>);
      continue;
    }
    if (line.trim() === '') {
      i++;
      continue;
    }
    const para: string[] = [];
    for (; i < lines.length && lines[i].trim() !== '' && !/^(#{1,6}\s|```|>|\s*([-*+]|\d+\.)\s)/.test(lines[i]); i++) para.push(lines[i]);
    out.push(<p>{inline(para.join(' '))}</p>);
  }
  return out;
}
