/** A file's declared name and type, made safe to store and to serve. */
import { describe, expect, it } from 'vitest';
import { attachmentDisposition, declaredFileName, declaredFileType, servedFileType } from './declared-file.js';

describe('declared files', () => {
  it('keeps only the last part of a name, printable and bounded', () => {
    expect(declaredFileName('../../etc/passwd')).toBe('passwd');
    expect(declaredFileName('C:\\Users\\ada\\report.pdf')).toBe('report.pdf');
    expect(declaredFileName('evil\r\nSet-Cookie: x.txt')).toBe('evilSet-Cookie: x.txt');
    // A right-to-left override would show "exe.txt" for "txt.exe".
    expect(declaredFileName('invoice\u202etxt.exe')).toBe('invoicetxt.exe');
    expect(declaredFileName('..')).toBe('file');
    expect(declaredFileName(undefined)).toBe('file');
    expect([...declaredFileName('长'.repeat(400))]).toHaveLength(255);
  });

  it('stores a bare type, and serves nothing a browser would run', () => {
    expect(declaredFileType('audio/webm;codecs=opus')).toBe('audio/webm');
    expect(declaredFileType('Application/PDF')).toBe('application/pdf');
    expect(declaredFileType('not a type')).toBe('application/octet-stream');
    expect(servedFileType('audio/webm')).toBe('audio/webm');
    expect(servedFileType('application/pdf')).toBe('application/pdf');
    for (const active of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/xml', 'application/javascript', 'text/css']) {
      expect(servedFileType(active)).toBe('application/octet-stream');
    }
  });

  it('names the download in ASCII and, exactly, in UTF-8', () => {
    expect(attachmentDisposition('报告 "Q3".pdf')).toBe(
      `attachment; filename="__ _Q3_.pdf"; filename*=UTF-8''%E6%8A%A5%E5%91%8A%20%22Q3%22.pdf`,
    );
    expect(attachmentDisposition('a\r\nb.txt')).toBe(`attachment; filename="ab.txt"; filename*=UTF-8''ab.txt`);
  });
});
