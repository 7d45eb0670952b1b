// Checks the production build (npm test builds first): the CSP reaches the page and the host,
// and nothing in the page needs 'unsafe-inline'.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const dist = new URL('../dist/', import.meta.url);
const read = file => readFileSync(new URL(file, dist), 'utf8');
const html = read('index.html');

/** The text of an HTML attribute value (the build writes ' as &#39;). */
function unescapeAttribute(value) {
  return value
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function directives(policy) {
  return new Map(
    policy
      .split(';')
      .map(part => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name, values]),
  );
}

describe('index.html of the build', () => {
  it('has a strict Content Security Policy meta tag before any script', () => {
    const meta = html.match(
      /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/,
    );
    assert.ok(meta, 'CSP meta tag present');
    const policy = unescapeAttribute(meta[1]);
    const csp = directives(policy);
    assert.deepEqual(csp.get('default-src'), ["'self'"]);
    assert.deepEqual(csp.get('script-src'), ["'self'"]);
    assert.deepEqual(csp.get('style-src'), ["'self'"]);
    assert.deepEqual(csp.get('object-src'), ["'none'"]);
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/);
    assert.equal(
      csp.get('frame-ancestors'),
      undefined,
      'header-only directives stay out of the meta tag',
    );
    assert.ok(
      html.indexOf(meta[0]) < html.indexOf('<script'),
      'CSP comes before the scripts',
    );
  });

  it('has no inline scripts, inline styles or inline event handlers', () => {
    const scripts = [
      ...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g),
    ];
    assert.ok(scripts.length > 0);
    for (const [, attrs, body] of scripts) {
      assert.match(attrs, /\bsrc="\/assets\/[^"]+\.js"/);
      assert.equal(body.trim(), '');
    }
    assert.doesNotMatch(html, /<style\b/);
    assert.doesNotMatch(html, /\sstyle="/);
    assert.doesNotMatch(html, /\son[a-z]+="/);
  });

  it('loads its styles from a file', () => {
    assert.match(
      html,
      /<link rel="stylesheet"[^>]*href="\/assets\/[^"]+\.css"/,
    );
  });
});

describe('dist/_headers for the static host', () => {
  const headers = read('_headers');

  it('sends the full CSP, including frame-ancestors', () => {
    const line = headers
      .split('\n')
      .find(l => l.trim().startsWith('Content-Security-Policy:'));
    assert.ok(line);
    const csp = directives(line.split(': ')[1]);
    assert.deepEqual(csp.get('script-src'), ["'self'"]);
    assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
  });

  it('sends HSTS and the other hardening headers', () => {
    assert.match(
      headers,
      /Strict-Transport-Security: max-age=63072000; includeSubDomains/,
    );
    assert.match(headers, /X-Content-Type-Options: nosniff/);
    assert.match(headers, /Referrer-Policy: no-referrer/);
  });
});

describe('the bundles', () => {
  it('do not use eval', () => {
    const assets = readdirSync(new URL('assets/', dist)).filter(f =>
      f.endsWith('.js'),
    );
    assert.ok(assets.length > 0);
    for (const file of assets) {
      assert.doesNotMatch(
        read(join('assets', file)),
        /\beval\(|new Function\(/,
        file,
      );
    }
  });
});
