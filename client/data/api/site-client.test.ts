import { describe, expect, it } from 'vitest';
import { parseOrigins, widgetSnippet } from './site-client.js';

describe('site settings helpers', () => {
  it('reads allowed origins one per line, without duplicates or trailing slashes', () => {
    expect(parseOrigins('https://shop.example/\n\nhttp://localhost:3000 , https://shop.example')).toEqual([
      'https://shop.example',
      'http://localhost:3000',
    ]);
  });

  it('makes the one-line snippet', () => {
    expect(widgetSnippet('https://chat.example', 'sabc')).toBe(
      '<script type="module" src="https://chat.example/widget.js" data-site="sabc"></script>',
    );
  });
});
